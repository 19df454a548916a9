import { describe, expect, it } from '@jest/globals';
import { UnsupportedCrmError } from './errors.js';
import { HubspotAdapter } from './hubspot/hubspot.adapter.js';
import { HUBSPOT_LIMITS, hubspotSandboxEndpoints } from './hubspot/hubspot.metadata.js';
import { capabilitiesOf, createCrmAdapter, crmAccountName, crmLabel, rateLimitsOf } from './registry.js';
import { SalesforceAdapter } from './salesforce/salesforce.adapter.js';

const refresh = (): Promise<never> => Promise.reject(new Error('refresh must not be called'));

describe('createCrmAdapter', () => {
  it('builds a HubSpot adapter', () => {
    const a = createCrmAdapter('hubspot', { accessToken: 't' }, { refresh, hubspot: { endpoints: hubspotSandboxEndpoints('http://127.0.0.1:1') } });
    expect(a).toBeInstanceOf(HubspotAdapter);
    expect(a.kind).toBe('hubspot');
  });

  it('builds a Salesforce adapter (instance URL required)', () => {
    const a = createCrmAdapter('salesforce', { accessToken: 't', instanceUrl: 'http://127.0.0.1:1' }, { refresh });
    expect(a).toBeInstanceOf(SalesforceAdapter);
    expect(a.kind).toBe('salesforce');
    expect(() => createCrmAdapter('salesforce', { accessToken: 't' }, { refresh })).toThrow(/instanceUrl/);
  });

  it.each(['pipedrive', '', 'HubSpot'])('throws UnsupportedCrmError for %j', (kind) => {
    expect(() => createCrmAdapter(kind, { accessToken: 't' }, { refresh })).toThrow(UnsupportedCrmError);
  });

  it('starts with an empty rate-limit state', () => {
    const a = createCrmAdapter('hubspot', { accessToken: 't' }, { refresh });
    expect(a.rateLimitState()).toEqual({ window: null, daily: null, observedAt: null });
  });
});

describe('rateLimitsOf', () => {
  it('keeps each budget under the CRM limit it paces', () => {
    const hubspot = rateLimitsOf('hubspot');
    expect(hubspot.standard).toEqual({ max: 95, windowMs: 10_000 });
    expect(hubspot.standard.max).toBeLessThan(HUBSPOT_LIMITS.requestsPerWindow);
    // 4.5 searches/s, paced evenly: never more than 5 in any second (HubSpot's search limit).
    expect(hubspot.search).toEqual({ max: 9, windowMs: 2_000 });
    expect((hubspot.search.max * 1_000) / hubspot.search.windowMs).toBeLessThan(HUBSPOT_LIMITS.searchRequestsPerSecond);
    expect(rateLimitsOf('salesforce')).toEqual({ standard: { max: 25, windowMs: 1_000 }, search: { max: 25, windowMs: 1_000 } });
  });

  it.each(['pipedrive', '', 'HubSpot'])('throws UnsupportedCrmError for %j', (kind) => {
    expect(() => rateLimitsOf(kind)).toThrow(UnsupportedCrmError);
  });
});

describe('capabilitiesOf', () => {
  it("answers the same capabilities as each CRM's adapter, and throws for an unknown kind", () => {
    const hubspot = createCrmAdapter('hubspot', { accessToken: 't' }, { refresh });
    const salesforce = createCrmAdapter('salesforce', { accessToken: 't', instanceUrl: 'http://127.0.0.1:1' }, { refresh });
    expect(capabilitiesOf('hubspot')).toBe(hubspot.capabilities);
    expect(capabilitiesOf('salesforce')).toBe(salesforce.capabilities);
    expect([crmLabel('hubspot'), crmLabel('salesforce')]).toEqual(['HubSpot', 'Salesforce']);
    expect(() => capabilitiesOf('pipedrive')).toThrow(UnsupportedCrmError);
  });

  it('names a CRM object for every activity type (HubSpot engagement objects; Salesforce Task, Event for meetings)', () => {
    expect(capabilitiesOf('hubspot').activityObjects).toEqual({ email: 'emails', linkedin_message: 'communications', linkedin_connection_request: 'communications', call: 'calls', meeting: 'meetings', note: 'notes', task: 'tasks' });
    expect(new Set(Object.values(capabilitiesOf('salesforce').activityObjects))).toEqual(new Set(['Task', 'Event']));
    expect(capabilitiesOf('salesforce').activityObjects.meeting).toBe('Event');
  });
});

describe('crmAccountName', () => {
  it('names a Salesforce org by its Name and the username that connected it; by its id while the name is not known', () => {
    expect(crmAccountName('salesforce', { accountId: '00D8d0000000001EAA', organizationName: 'Acme Corp', username: 'alex.morgan@acme.com' })).toBe('Acme Corp (alex.morgan@acme.com)');
    expect(crmAccountName('salesforce', { accountId: '00D8d0000000001EAA', organizationName: null, username: 'alex.morgan@acme.com' })).toBe('00D8d0000000001EAA (alex.morgan@acme.com)');
    expect(crmAccountName('salesforce', { accountId: '00D8d0000000001EAA', organizationName: 'Acme Corp', username: null })).toBe('Acme Corp');
  });

  it('names a HubSpot portal by its hub domain, or its id without one', () => {
    expect(crmAccountName('hubspot', { accountId: '123', organizationName: 'acme.hubspot.com', username: 'alex@acme.com' })).toBe('acme.hubspot.com');
    expect(crmAccountName('hubspot', { accountId: '123', organizationName: null, username: null })).toBe('Portal 123');
    expect(() => crmAccountName('pipedrive', { accountId: '1', organizationName: null, username: null })).toThrow(UnsupportedCrmError);
  });
});
