import { describe, expect, it } from '@jest/globals';
import { HUBSPOT_RATE_LIMITS, SALESFORCE_RATE_LIMITS, UnsupportedCrmError } from '@conduit/crm';
import { CrmRateLimitsService } from './rate-limits.service.js';

describe('CrmRateLimitsService', () => {
  it('reads each CRM budget from its metadata when nothing is configured', () => {
    const limits = new CrmRateLimitsService({});
    expect(limits.for({ crm: 'hubspot' })).toEqual(HUBSPOT_RATE_LIMITS);
    expect(limits.for({ crm: 'salesforce' })).toEqual(SALESFORCE_RATE_LIMITS);
  });

  it('applies a configured override to its CRM and budget only', () => {
    const limits = new CrmRateLimitsService({ limits: { hubspot: { standard: { max: 1_000, windowMs: 10_000 } } } });
    expect(limits.for({ crm: 'hubspot' })).toEqual({ standard: { max: 1_000, windowMs: 10_000 }, search: HUBSPOT_RATE_LIMITS.search });
    expect(limits.for({ crm: 'salesforce' })).toEqual(SALESFORCE_RATE_LIMITS);
  });

  it('refuses a CRM it has no metadata for', () => {
    expect(() => new CrmRateLimitsService({}).for({ crm: 'pipedrive' as 'hubspot' })).toThrow(UnsupportedCrmError);
  });
});
