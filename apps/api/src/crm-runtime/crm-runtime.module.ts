import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { CRM_CALL_COUNTER } from '../connections/crm-call-counter.js';
import { ConnectionHealthRecorder } from './connection-health.js';
import { ApiBudgetController } from './api-budget.controller.js';
import { ApiBudgetService } from './api-budget.service.js';
import { ApiUsageMeter } from './api-usage.meter.js';
import { ApiUsageRepository } from './api-usage.repository.js';
import { CrmClients } from './crm-clients.service.js';
import { CRM_RUNTIME_OPTIONS, type CrmRuntimeOptions } from './crm-runtime.options.js';
import { CrmRateLimitsService } from './rate-limits.service.js';

/**
 * The CRM runtime below every feature: per-CRM rate limits (from packages/crm metadata), the shared Redis rate
 * budget with its lanes, the retry policy (crm-retry.ts), the daily API budget (ApiBudgetService: allocation, usage by
 * feature, pauses; #17) and the one factory of ready adapters (CrmClients).
 * `connections` is the connections feature's module (credentials and refresh); the calls it makes itself (discovery,
 * token refreshes) it counts through CRM_CALL_COUNTER, provided here. Global: any feature may ask it for a client; it
 * imports no feature.
 */
@Module({})
export class CrmRuntimeModule {
  static forRoot({ connections, options = {}, http = false }: { connections: DynamicModule; options?: CrmRuntimeOptions; http?: boolean }): DynamicModule {
    return {
      module: CrmRuntimeModule,
      global: true,
      imports: [connections, TypeOrmModule.forFeature([CrmConnection]), ...(http ? [AuthModule] : [])],
      controllers: http ? [ApiBudgetController] : [],
      providers: [{ provide: CRM_RUNTIME_OPTIONS, useValue: options }, CrmRateLimitsService, ConnectionHealthRecorder, ApiUsageRepository, ApiUsageMeter, ApiBudgetService, CrmClients, { provide: CRM_CALL_COUNTER, useExisting: ApiBudgetService }],
      exports: [CrmClients, CrmRateLimitsService, ApiBudgetService, CRM_CALL_COUNTER],
    };
  }
}
