import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { CrmFieldMapping } from '../connections/field-mapping.entity.js';
import { ConnectionsSyncPort } from '../sync/connections-sync.port.js';
import { SYNC_CONNECTION_PORT } from '../sync/sync-connection.port.js';
import { CrmAccessService } from './crm-access.service.js';
import { CrmListsController } from './crm-lists.controller.js';
import { CrmListsProcessor } from './crm-lists.processor.js';
import { CrmListsScheduler } from './crm-lists.scheduler.js';
import { CrmListsService } from './crm-lists.service.js';
import { ListMembershipService } from './list-membership.service.js';

/**
 * CRM lists as audiences and suppression lists. `connections` and `sync` are those features' modules: adapters come
 * through the sync engine's connection port, members are imported by its runner.
 */
@Module({})
export class CrmListsModule {
  static forRoot({ http, processors, connections, sync }: { http: boolean; processors: boolean; connections: DynamicModule; sync: DynamicModule }): DynamicModule {
    return {
      module: CrmListsModule,
      imports: [connections, sync, TypeOrmModule.forFeature([CrmConnection, CrmFieldMapping])],
      controllers: http ? [CrmListsController] : [],
      providers: [
        { provide: SYNC_CONNECTION_PORT, useClass: ConnectionsSyncPort },
        CrmAccessService,
        CrmListsService,
        ListMembershipService,
        ...(processors ? [CrmListsProcessor, CrmListsScheduler] : []),
      ],
      exports: [CrmAccessService, CrmListsService],
    };
  }
}
