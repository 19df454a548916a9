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

  it('paces HubSpot’s 10-second window at the connection’s window share of HubSpot’s 100; Salesforce has no such window', () => {
    const limits = new CrmRateLimitsService({});
    expect(limits.for({ crm: 'hubspot' }, 95)).toEqual(HUBSPOT_RATE_LIMITS);
    expect(limits.for({ crm: 'hubspot' }, 50)).toEqual({ standard: { max: 50, windowMs: 10_000 }, search: HUBSPOT_RATE_LIMITS.search });
    expect(limits.for({ crm: 'salesforce' }, 50)).toEqual(SALESFORCE_RATE_LIMITS);
    // A configured override (benchmarks) wins over the share.
    expect(new CrmRateLimitsService({ limits: { hubspot: { standard: { max: 7, windowMs: 1_000 } } } }).for({ crm: 'hubspot' }, 50).standard).toEqual({ max: 7, windowMs: 1_000 });
  });

  it('refuses a CRM it has no metadata for', () => {
    expect(() => new CrmRateLimitsService({}).for({ crm: 'pipedrive' as 'hubspot' })).toThrow(UnsupportedCrmError);
  });
});
