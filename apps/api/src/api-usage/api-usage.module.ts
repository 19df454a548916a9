import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RUN_FORECASTS } from '../common/run-forecast.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { ApiUsageController } from './api-usage.controller.js';
import { ForecastBudget } from './forecast-budget.js';
import { ForecastRepository } from './forecast.repository.js';
import { ForecastService } from './forecast.service.js';
import { UsageRepository } from './usage.repository.js';
import { UsageService } from './usage.service.js';

/**
 * API usage and forecasts of bulk work (#17). Global for RUN_FORECASTS: the sync and export features take the
 * forecast a run is started with from it. `sync` and `exports` are those features' modules.
 */
@Global()
@Module({})
export class ApiUsageModule {
  static forRoot({ http, sync, exports }: { http: boolean; sync: DynamicModule; exports: DynamicModule }): DynamicModule {
    return {
      module: ApiUsageModule,
      imports: [sync, exports, TypeOrmModule.forFeature([CrmConnection])],
      controllers: http ? [ApiUsageController] : [],
      providers: [ForecastService, ForecastRepository, ForecastBudget, UsageService, UsageRepository, { provide: RUN_FORECASTS, useExisting: ForecastRepository }],
      exports: [RUN_FORECASTS],
    };
  }
}
