import type { MqlHandoffConfigDto } from '@conduit/contracts';
import { describe, expect, it } from 'vitest';
import { errorsByPath, fromDraft, runAction, shownPaths, toDraft, triggerSummary, unshownErrors } from './workflow-form';

const MQL: MqlHandoffConfigDto = {
  triggerStage: 'marketingqualifiedlead',
  conditions: [
    { property: 'country', operator: 'in', value: ['Germany', 'France'] },
    { property: 'hubspotscore', operator: 'gt', value: 50 },
    { property: 'email', operator: 'is_known' },
  ],
  fieldMap: [
    { hubspot: 'email', salesforce: 'Email', master: 'hubspot' },
    { hubspot: null, salesforce: 'Status', default: 'Open - Not Contacted' },
  ],
  externalIdField: 'HubSpot_Contact_ID__c',
  leadSourceTable: [{ from: 'ORGANIC_SEARCH', to: 'Web' }],
  leadSourceDefault: 'Other',
  owner: { kind: 'territory', territories: [{ country: 'Germany', state: null, ownerId: '005000000000001AAA' }], defaultOwnerId: null },
  opportunity: { enabled: false, stageName: 'Qualification', amount: null, closeInDays: 30 },
};

describe('workflow drafts', () => {
  it('round-trips an MQL definition through the editor draft', () => {
    const draft = toDraft('mql_handoff', MQL);
    expect(draft.kind === 'mql_handoff' && draft.config.conditions.map((c) => c.value)).toEqual(['Germany, France', '50', '']);
    expect(fromDraft(draft)).toEqual({ ...MQL, owner: { ...MQL.owner, ownerMapping: [] } });
  });

  it('turns typed values into lists and numbers, and leaves non-numbers for the API to refuse by field', () => {
    const draft = toDraft('mql_handoff', MQL);
    if (draft.kind !== 'mql_handoff') throw new Error('kind');
    draft.config.conditions = [
      { property: 'country', operator: 'not_in', value: ' Brazil ,, Chile ' },
      { property: 'hubspotscore', operator: 'gte', value: 'high' },
      { property: 'jobtitle', operator: 'contains', value: ' VP ' },
    ];
    draft.config.fieldMap = [{ hubspot: ' ', salesforce: 'NumberOfEmployees', default: '25', master: null }];
    const body = fromDraft(draft) as MqlHandoffConfigDto;
    expect(body.conditions).toEqual([
      { property: 'country', operator: 'not_in', value: ['Brazil', 'Chile'] },
      { property: 'hubspotscore', operator: 'gte', value: 'high' },
      { property: 'jobtitle', operator: 'contains', value: 'VP' },
    ]);
    expect(body.fieldMap).toEqual([{ hubspot: null, salesforce: 'NumberOfEmployees', default: 25 }]);
  });

  it('puts errors next to the inputs the editor shows and the rest in the banner', () => {
    const draft = toDraft('mql_handoff', MQL);
    const errors = errorsByPath([
      { field: 'config.conditions.1.value', messages: ['value must be a number for gt, gte, lt and lte'] },
      { field: 'config.fieldMap.0.master', messages: ['HubSpot email ↔ Salesforce Email names both HubSpot and Salesforce as master'] },
      { field: 'enabled', messages: ['enabled must be a boolean value'] },
    ]);
    const shown = shownPaths(draft);
    expect(shown.has('config.conditions.1.value')).toBe(true);
    expect(shown.has('config.fieldMap.0.master')).toBe(true);
    expect(unshownErrors(errors, shown)).toEqual(['enabled: enabled must be a boolean value']);
    expect(shownPaths(toDraft('email_change', { direction: 'both' })).has('config.master')).toBe(true);
  });

  it('describes a trigger in words', () => {
    expect(triggerSummary({ source: 'hubspot_webhook', object: 'contact', recordId: '42', detail: { property: 'lifecyclestage', value: 'marketingqualifiedlead' } })).toBe(
      'HubSpot webhook · Lifecycle stage → Marketing Qualified Lead',
    );
    expect(triggerSummary({ source: 'hubspot_webhook', object: 'contact', recordId: '42', detail: { property: 'email', value: null } })).toBe('HubSpot webhook · Email → empty');
    expect(triggerSummary({ source: 'salesforce_poll', object: 'deal', recordId: '006A' })).toBe('Salesforce poll');
  });
});

describe('the closed loop in the run log and the editors', () => {
  it('says what a run did in words: its summary, else its action read out', () => {
    expect(runAction({ summary: "Deal 'Acme — renewal' moved to Closed Won", action: 'deal_updated' })).toBe("Deal 'Acme — renewal' moved to Closed Won");
    expect(runAction({ summary: null, action: 'lead_created+opportunity_created' })).toBe('Created Lead in Salesforce, created Opportunity in Salesforce');
    expect(runAction({ summary: null, action: 'hubspot_email_updated' })).toBe('Updated the email in HubSpot');
    expect(runAction({ summary: null, action: 'some_new_action' })).toBe('Some new action');
    expect(runAction({ summary: null, action: null })).toBeNull();
  });

  it('names a contact-role change in the trigger', () => {
    expect(triggerSummary({ source: 'salesforce_poll', object: 'deal', recordId: '006A', detail: { change: 'contact roles', updatedAt: '2026-12-01T00:00:00Z' } })).toBe('Salesforce poll · contact roles changed');
  });

  it('shows every error path of the two new editors next to its input', () => {
    const deal = toDraft('opportunity_deal', { pipeline: 'default', stages: [{ stage: 'Closed Won', dealstage: 'closedwon' }], ownerTable: [{ from: '005A', to: '7' }], matchOwnersByEmail: true });
    expect([...shownPaths(deal)]).toEqual(expect.arrayContaining(['config.pipeline', 'config.stages.0.dealstage', 'config.ownerTable.0.to', 'config.matchOwnersByEmail']));
    const company = toDraft('account_company', { create: true, fields: ['name'], industryTable: [], genericValues: [], blockedDomains: [] });
    expect([...shownPaths(company)]).toEqual(expect.arrayContaining(['config.create', 'config.blockedDomains', 'config.genericValues', 'config.fields']));
    expect(fromDraft(deal)).toEqual(deal.config);
  });
});
