import { type DynamicModule, Module } from '@nestjs/common';
import { CampaignsController } from './campaigns.controller.js';
import { CampaignsService } from './campaigns.service.js';

/** Campaigns: audiences, suppression lists and recipients. `crmLists` is the lists feature's module (first syncs of newly used lists). */
@Module({})
export class CampaignsModule {
  static forRoot({ http, crmLists }: { http: boolean; crmLists: DynamicModule }): DynamicModule {
    return {
      module: CampaignsModule,
      imports: [crmLists],
      controllers: http ? [CampaignsController] : [],
      providers: [CampaignsService],
      exports: [CampaignsService],
    };
  }
}
