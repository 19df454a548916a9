import { type DynamicModule, Module } from '@nestjs/common';
import { ErasureController } from './erasure.controller.js';
import { ErasureHubspotService } from './erasure-hubspot.service.js';
import { ErasureProcessor } from './erasure.processor.js';
import { ErasureRepository } from './erasure.repository.js';
import { ErasureService } from './erasure.service.js';

/** Erasure (#18): the admin's erase (person, addresses, CSV), its audit, and the HubSpot GDPR deletes (durable job). */
@Module({})
export class ErasureModule {
  static forRoot({ http, processors }: { http: boolean; processors: boolean }): DynamicModule {
    return {
      module: ErasureModule,
      controllers: http ? [ErasureController] : [],
      providers: [ErasureRepository, ErasureService, ErasureHubspotService, ...(processors ? [ErasureProcessor] : [])],
    };
  }
}
