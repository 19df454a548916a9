import { Inject, Injectable } from '@nestjs/common';
import { HUBSPOT_LIMITS, rateLimitsOf, type CrmRateLimits } from '@conduit/crm';
import { windowMaxOf } from './allocation.js';
import { CRM_RUNTIME_OPTIONS, type CrmConnectionRef, type CrmRuntimeOptions } from './crm-runtime.options.js';

/**
 * The request budgets of a connection: its CRM's metadata (`HUBSPOT_RATE_LIMITS` in hubspot.metadata.ts,
 * `SALESFORCE_RATE_LIMITS` in salesforce.metadata.ts), with the runtime's configured override on top. HubSpot's
 * 10-second window is paced at the connection's window share (#17, default 95 % of HubSpot's 100 = the metadata's 95);
 * Salesforce has no such window (its pace is per second and stays as the metadata says).
 */
@Injectable()
export class CrmRateLimitsService {
  constructor(@Inject(CRM_RUNTIME_OPTIONS) private readonly options: CrmRuntimeOptions) {}

  for(connection: Pick<CrmConnectionRef, 'crm'>, windowShare?: number): CrmRateLimits {
    const defaults = rateLimitsOf(connection.crm);
    const override = this.options.limits?.[connection.crm];
    if (override) return { ...defaults, ...override };
    if (connection.crm === 'hubspot' && windowShare !== undefined) {
      return { ...defaults, standard: { ...defaults.standard, max: windowMaxOf(HUBSPOT_LIMITS.requestsPerWindow, windowShare) } };
    }
    return defaults;
  }
}
