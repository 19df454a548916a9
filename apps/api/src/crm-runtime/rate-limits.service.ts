import { Inject, Injectable } from '@nestjs/common';
import { rateLimitsOf, type CrmRateLimits } from '@conduit/crm';
import { CRM_RUNTIME_OPTIONS, type CrmConnectionRef, type CrmRuntimeOptions } from './crm-runtime.options.js';

/**
 * The request budgets of a connection: its CRM's metadata (`HUBSPOT_RATE_LIMITS` in hubspot.metadata.ts,
 * `SALESFORCE_RATE_LIMITS` in salesforce.metadata.ts), with the runtime's configured override on top.
 */
@Injectable()
export class CrmRateLimitsService {
  constructor(@Inject(CRM_RUNTIME_OPTIONS) private readonly options: CrmRuntimeOptions) {}

  for(connection: Pick<CrmConnectionRef, 'crm'>): CrmRateLimits {
    const defaults = rateLimitsOf(connection.crm);
    const override = this.options.limits?.[connection.crm];
    return override ? { ...defaults, ...override } : defaults;
  }
}
