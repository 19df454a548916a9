import { describe, expect, it } from '@jest/globals';
import { nameOfProperties, runRecordKeys } from './workflow-run-records.js';

describe('runRecordKeys', () => {
  it('names an MQL handoff: the HubSpot contact that changed and the Salesforce Lead written, by the name written', () => {
    const keys = runRecordKeys('mql_handoff', {
      trigger: { source: 'hubspot_webhook', object: 'contact', recordId: '101', detail: { property: 'lifecyclestage', value: 'marketingqualifiedlead' } },
      target_id: '00Q000000000001',
      payload: { lead: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@x.io' } },
    });
    expect(keys).toEqual({
      trigger: { crm: 'hubspot', object: 'contact', crmId: '101', name: 'Ada Lovelace' },
      targets: [{ crm: 'salesforce', object: 'lead', crmId: '00Q000000000001', name: 'Ada Lovelace' }],
    });
  });

  it('reads a Salesforce trigger by its own properties and a HubSpot target by the workflow (deal, company)', () => {
    const keys = runRecordKeys('opportunity_deal', {
      trigger: { source: 'salesforce_poll', object: 'deal', recordId: '006000000000001', detail: { Name: 'Acme renewal', StageName: 'Closed Won' } },
      target_id: '9001',
      payload: { deal: { dealname: 'Acme renewal (HubSpot)' } },
    });
    expect(keys.trigger).toEqual({ crm: 'salesforce', object: 'deal', crmId: '006000000000001', name: 'Acme renewal' });
    expect(keys.targets).toEqual([{ crm: 'hubspot', object: 'deal', crmId: '9001', name: 'Acme renewal (HubSpot)' }]);
    // A deal update writes only what changed: the deal mirrors the Opportunity, so it goes by the Opportunity's name.
    const moved = runRecordKeys('opportunity_deal', { trigger: { source: 'salesforce_poll', object: 'deal', recordId: '006000000000001', detail: { Name: 'Acme renewal' } }, target_id: '9001', payload: { deal: { dealstage: 'closedwon' } } });
    expect(moved.targets[0]!.name).toBe('Acme renewal');
  });

  it('splits several targets, names none of them from the payload, and has none without a target', () => {
    const several = runRecordKeys('account_hygiene', { trigger: { source: 'salesforce_poll', object: 'company', recordId: '001A', detail: { Name: 'Acme' } }, target_id: '11,12', payload: { domain: 'acme.io' } });
    expect(several.targets).toEqual([
      { crm: 'hubspot', object: 'company', crmId: '11', name: null },
      { crm: 'hubspot', object: 'company', crmId: '12', name: null },
    ]);
    const none = runRecordKeys('email_change', { trigger: { source: 'hubspot_webhook', object: 'contact', recordId: '5' }, target_id: null, payload: null });
    expect(none).toEqual({ trigger: { crm: 'hubspot', object: 'contact', crmId: '5', name: null }, targets: [] });
  });

  it('leaves an unknown object unknown (no guessed CRM page)', () => {
    const keys = runRecordKeys('email_change', { trigger: { source: 'hubspot_poll', object: 'task', recordId: '7' }, target_id: '00T000000000001', payload: null });
    expect(keys.trigger.object).toBeNull();
    expect(keys.targets[0]!.object).toBeNull();
  });
});

describe('nameOfProperties', () => {
  it('prefers a person name, then a record name, then an email', () => {
    expect(nameOfProperties({ firstname: 'Ada', lastname: ' ', email: 'a@x.io' })).toBe('Ada');
    expect(nameOfProperties({ Name: 'Acme', Email: 'a@x.io' })).toBe('Acme');
    expect(nameOfProperties({ Email: 'a@x.io' })).toBe('a@x.io');
    expect(nameOfProperties({ Amount: 3 })).toBeNull();
  });
});
