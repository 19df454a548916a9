import { type DynamicModule, Module } from '@nestjs/common';
import { CrmListsController } from './crm-lists.controller.js';
import { CrmListsProcessor } from './crm-lists.processor.js';
import { CrmListsScheduler } from './crm-lists.scheduler.js';
import { CrmListsService } from './crm-lists.service.js';
import { ListMembershipService } from './list-membership.service.js';

/**
 * CRM lists as audiences and suppression lists. `sync` is the import feature's module: members are imported by its
 * runner. Adapters come from the CRM runtime (global).
 */
@Module({})
export class CrmListsModule {
  static forRoot({ http, processors, sync }: { http: boolean; processors: boolean; sync: DynamicModule }): DynamicModule {
    return {
      module: CrmListsModule,
      imports: [sync],
      controllers: http ? [CrmListsController] : [],
      providers: [
        CrmListsService,
        ListMembershipService,
        ...(processors ? [CrmListsProcessor, CrmListsScheduler] : []),
      ],
      exports: [CrmListsService],
    };
  }
}
