import { type DynamicModule, Module } from '@nestjs/common';
import { DealsSyncService } from './deals-sync.service.js';
import { DncController } from './dnc.controller.js';
import { DncProcessor } from './dnc.processor.js';
import { DncScheduler } from './dnc.scheduler.js';
import { DncService } from './dnc.service.js';

/** Deals and do-not-contact. `crmLists` provides the budgeted CRM adapters (CrmAccessService). */
@Module({})
export class DncModule {
  static forRoot({ http, processors, crmLists }: { http: boolean; processors: boolean; crmLists: DynamicModule }): DynamicModule {
    return {
      module: DncModule,
      imports: [crmLists],
      controllers: http ? [DncController] : [],
      providers: [DncService, DealsSyncService, ...(processors ? [DncProcessor, DncScheduler] : [])],
      exports: [DncService],
    };
  }
}
