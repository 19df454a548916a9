import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { CrmExportSettings } from '../export/export-settings.entity.js';
import { OwnerMappingService } from '../export/owner-mapping.service.js';
import { User } from '../users/user.entity.js';
import { ActivitiesController } from './activities.controller.js';
import { ActivitiesProcessor } from './activities.processor.js';
import { ActivitiesScheduler } from './activities.scheduler.js';
import { ActivitiesService } from './activities.service.js';
import { ActivityDeliveryRepository } from './activity-delivery.repository.js';
import { ActivityDeliveryService } from './activity-delivery.service.js';
import { ActivityTargets } from './activity-targets.js';

/**
 * Activity logging to CRM timelines. Uses the export feature (global: ExportService, ExportEngine) for policy and
 * export-first, and the connections feature for credentials. `connections` is the connections feature's module.
 */
@Module({})
export class ActivitiesModule {
  static forRoot({ http, processors, connections }: { http: boolean; processors: boolean; connections: DynamicModule }): DynamicModule {
    return {
      module: ActivitiesModule,
      imports: [connections, TypeOrmModule.forFeature([CrmConnection, CrmExportSettings, User])],
      controllers: http ? [ActivitiesController] : [],
      providers: [ActivitiesService, ActivityDeliveryRepository, ActivityDeliveryService, ActivityTargets, OwnerMappingService, ...(processors ? [ActivitiesProcessor, ActivitiesScheduler] : [])],
      exports: [ActivitiesService, ActivityDeliveryService],
    };
  }
}
