import { type DynamicModule, Module } from '@nestjs/common';
import { JobsController } from './jobs.controller.js';
import { MaintenanceProcessor } from './maintenance.processor.js';
import { MaintenanceService } from './maintenance.service.js';

@Module({})
export class MaintenanceModule {
  static forRoot({ http, processors }: { http: boolean; processors: boolean }): DynamicModule {
    return {
      module: MaintenanceModule,
      controllers: http ? [JobsController] : [],
      providers: [MaintenanceService, ...(processors ? [MaintenanceProcessor] : [])],
    };
  }
}
