import { type DynamicModule, Module } from '@nestjs/common';
import { ConsentController } from './consent.controller.js';
import { ConsentDeliveryService } from './consent-delivery.service.js';
import { ConsentProcessor } from './consent.processor.js';
import { ConsentScheduler } from './consent.scheduler.js';
import { ConsentService } from './consent.service.js';

/**
 * Consent (#18): the outbound engine's unsubscribes, hard bounces and spam complaints, recorded at once and written
 * to every connected CRM (CrmClients from the CRM runtime); the timeline note goes through the activities feature.
 * `activities` is the activities feature's module.
 */
@Module({})
export class ConsentModule {
  static forRoot({ http, processors, activities }: { http: boolean; processors: boolean; activities: DynamicModule }): DynamicModule {
    return {
      module: ConsentModule,
      imports: [activities],
      controllers: http ? [ConsentController] : [],
      providers: [ConsentService, ConsentDeliveryService, ...(processors ? [ConsentProcessor, ConsentScheduler] : [])],
      exports: [ConsentService],
    };
  }
}
