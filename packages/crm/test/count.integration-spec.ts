/**
 * countRecords (a backfill's progress total) through both SDKs against the CRM sandbox: one call each.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Sandbox, startSandbox } from '@conduit/crm-sandbox';
import { type CrmRequestInfo, HubspotAdapter, hubspotSandboxEndpoints, SalesforceAdapter, salesforceSandboxEndpoints } from '../src/index.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 2 });
});
afterAll(async () => {
  await sandbox.stop();
});

describe('countRecords', () => {
  it('HubSpot: the total of a one-result search, live records only, on the search budget', async () => {
    const calls: CrmRequestInfo['budget'][] = [];
    const adapter = new HubspotAdapter({ accessToken: sandbox.hubspot.control.mintToken().accessToken }, () => Promise.reject(new Error('unexpected refresh')), {
      endpoints: hubspotSandboxEndpoints(sandbox.hubspot.url),
      beforeRequest: async (_cost, info) => {
        calls.push(info.budget);
      },
    });
    const live = (type: 'contacts' | 'companies' | 'deals') => [...(sandbox.hubspot.control.store().records.get(type)?.values() ?? [])].filter((r) => !r.archived).length;
    expect(await adapter.countRecords('contact')).toBe(live('contacts'));
    expect(await adapter.countRecords('company')).toBe(live('companies'));
    expect(await adapter.countRecords('deal')).toBe(live('deals'));
    expect(calls).toEqual(['search', 'search', 'search']);
    // Archiving a contact lowers the count.
    const first = [...(sandbox.hubspot.control.store().records.get('contacts')?.values() ?? [])].find((r) => !r.archived)!;
    sandbox.hubspot.control.store().archive('contacts', first.id);
    expect(await adapter.countRecords('contact')).toBe(live('contacts'));
  });

  it('Salesforce: SELECT COUNT() per object (Lead, Contact, Account, Opportunity)', async () => {
    let calls = 0;
    const token = sandbox.salesforce.control.mintToken();
    const adapter = new SalesforceAdapter({ accessToken: token.accessToken, instanceUrl: sandbox.salesforce.url }, () => Promise.reject(new Error('unexpected refresh')), {
      endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url),
      beforeRequest: async () => {
        calls++;
      },
    });
    const sf = sandbox.salesforce.control;
    expect(await adapter.countRecords('lead')).toBe(sf.count('Lead'));
    expect(await adapter.countRecords('contact')).toBe(sf.count('Contact'));
    expect(await adapter.countRecords('company')).toBe(sf.count('Account'));
    expect(await adapter.countRecords('deal')).toBe(sf.count('Opportunity'));
    expect(calls).toBe(4);
  });
});
