import { type DynamicModule, Module } from '@nestjs/common';
import { DealsSyncService } from './deals-sync.service.js';
import { DncController } from './dnc.controller.js';
import { DncProcessor } from './dnc.processor.js';
import { DncScheduler } from './dnc.scheduler.js';
import { DncService } from './dnc.service.js';

/** Deals and do-not-contact. CRM adapters come from the CRM runtime (global). */
@Module({})
export class DncModule {
  static forRoot({ http, processors }: { http: boolean; processors: boolean }): DynamicModule {
    return {
      module: DncModule,
      controllers: http ? [DncController] : [],
      providers: [DncService, DealsSyncService, ...(processors ? [DncProcessor, DncScheduler] : [])],
      exports: [DncService],
    };
  }
}
