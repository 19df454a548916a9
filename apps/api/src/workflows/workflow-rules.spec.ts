import { describe, expect, it } from '@jest/globals';
import type { FilterConditionDto, MqlHandoffConfigDto } from '@conduit/contracts';
import type { CrmFieldDescriptor } from '@conduit/crm';
import { DEFAULT_ACCOUNT_HYGIENE, DEFAULT_EMAIL_CHANGE, DEFAULT_MQL_HANDOFF, DEFAULT_STAGE_LIFECYCLE } from './workflow-defaults.js';
import {
  accountDomain,
  conditionHolds,
  contactPropertiesOf,
  emailDirectionAllows,
  employeeBucket,
  evaluateFilter,
  fieldMappings,
  fingerprintValue,
  hygieneGate,
  isGeneric,
  lifecycleForStage,
  lifecycleMove,
  lookup,
  masterOf,
  masterProblems,
  mayOverwrite,
  planLead,
  resolveOwner,
} from './workflow-rules.js';

const f = (name: string, extra: Partial<CrmFieldDescriptor> = {}): CrmFieldDescriptor => ({ name, label: name, type: 'string', crmType: 'string', readOnly: false, custom: false, ...extra });

const LEAD_FIELDS: CrmFieldDescriptor[] = [
  ...['FirstName', 'LastName', 'Company', 'Title', 'Phone', 'City', 'State', 'Country', 'Website', 'HubSpot_Contact_ID__c'].map((n) => f(n)),
  f('Email', { type: 'email', crmType: 'email' }),
  f('LeadSource', { type: 'picklist', crmType: 'picklist', options: ['Web', 'Other', 'Advertisement', 'External Referral', 'Trade Show'].map((v) => ({ value: v, label: v })) }),
  f('Status', { type: 'picklist', crmType: 'picklist', restricted: true, options: ['Open - Not Contacted', 'Working - Contacted'].map((v) => ({ value: v, label: v })) }),
  f('OwnerId', { type: 'reference', crmType: 'reference', referenceTo: ['User'] }),
  f('NumberOfEmployees', { type: 'int', crmType: 'int' }),
  f('IsConverted', { type: 'boolean', crmType: 'boolean', readOnly: true }),
];
const HS_FIELDS: CrmFieldDescriptor[] = [f('email'), f('conduit_score', { type: 'number', crmType: 'number' }), f('numemployees', { type: 'number', crmType: 'number' })];

describe('filters', () => {
  const props = { hubspotscore: '87', country: 'Germany', jobtitle: 'VP Sales', blank: '', nothing: null };
  const cases: [FilterConditionDto, boolean][] = [
    [{ property: 'hubspotscore', operator: 'gt', value: 50 }, true],
    [{ property: 'hubspotscore', operator: 'gt', value: 87 }, false],
    [{ property: 'hubspotscore', operator: 'gte', value: 87 }, true],
    [{ property: 'hubspotscore', operator: 'lt', value: 87 }, false],
    [{ property: 'hubspotscore', operator: 'lte', value: '87' }, true],
    [{ property: 'country', operator: 'gt', value: 3 }, false],
    [{ property: 'nothing', operator: 'gt', value: 3 }, false],
    [{ property: 'country', operator: 'eq', value: 'germany' }, true],
    [{ property: 'country', operator: 'eq', value: 'France' }, false],
    [{ property: 'country', operator: 'neq', value: 'France' }, true],
    [{ property: 'blank', operator: 'neq', value: 'France' }, true],
    [{ property: 'country', operator: 'in', value: ['France', 'GERMANY'] }, true],
    [{ property: 'country', operator: 'in', value: ['France'] }, false],
    [{ property: 'blank', operator: 'in', value: [''] }, false],
    [{ property: 'country', operator: 'not_in', value: ['France'] }, true],
    [{ property: 'country', operator: 'not_in', value: ['Germany'] }, false],
    [{ property: 'jobtitle', operator: 'contains', value: 'vp' }, true],
    [{ property: 'jobtitle', operator: 'contains', value: 'cto' }, false],
    [{ property: 'jobtitle', operator: 'is_known' }, true],
    [{ property: 'blank', operator: 'is_known' }, false],
    [{ property: 'missing', operator: 'is_unknown' }, true],
    [{ property: 'nothing', operator: 'is_unknown' }, true],
    [{ property: 'country', operator: 'is_unknown' }, false],
  ];
  it.each(cases)('%j → %s', (c, expected) => {
    expect(conditionHolds(c, props)).toBe(expected);
  });

  it('passes when every condition holds and names the first failing one otherwise', () => {
    expect(evaluateFilter([], props)).toEqual({ ok: true, value: 'passed' });
    expect(evaluateFilter([{ property: 'hubspotscore', operator: 'gt', value: 50 }, { property: 'country', operator: 'in', value: ['Germany'] }], props).ok).toBe(true);
    const r = evaluateFilter([{ property: 'hubspotscore', operator: 'gt', value: 50 }, { property: 'country', operator: 'in', value: ['France'] }], props);
    expect(r).toEqual({ ok: false, code: 'filter_rejected', reason: 'country in ["France"] failed (value: "Germany")' });
    expect(evaluateFilter([{ property: 'nothing', operator: 'is_known' }], props)).toMatchObject({ reason: 'nothing is_known failed (value: empty)' });
  });
});

describe('value tables and owners', () => {
  it('looks up case-insensitively and answers null for blanks and misses', () => {
    const t = [{ from: 'ORGANIC_SEARCH', to: 'Web' }];
    expect(lookup(t, 'organic_search')).toBe('Web');
    expect(lookup(t, 'PAID_SEARCH')).toBeNull();
    expect(lookup(t, '')).toBeNull();
    expect(lookup(t, null)).toBeNull();
  });

  it('owner mapping, territory (state beats country) and defaults', () => {
    const mapping = { kind: 'owner_mapping' as const, ownerMapping: [{ from: '11', to: '005A' }], defaultOwnerId: '005D' };
    expect(resolveOwner(mapping, { hubspot_owner_id: '11' })).toBe('005A');
    expect(resolveOwner(mapping, { hubspot_owner_id: '12' })).toBe('005D');
    expect(resolveOwner({ kind: 'owner_mapping', ownerMapping: [] }, { hubspot_owner_id: '12' })).toBeNull();
    const territory = {
      kind: 'territory' as const,
      territories: [
        { country: 'United States', ownerId: '005US' },
        { country: 'United States', state: 'CA', ownerId: '005CA' },
        { country: 'Germany', state: null, ownerId: '005DE' },
      ],
      defaultOwnerId: null,
    };
    expect(resolveOwner(territory, { country: 'united states', state: 'ca' })).toBe('005CA');
    expect(resolveOwner(territory, { country: 'United States', state: 'NY' })).toBe('005US');
    expect(resolveOwner(territory, { country: 'Germany', state: 'Bavaria' })).toBe('005DE');
    expect(resolveOwner(territory, { country: 'France' })).toBeNull();
    expect(resolveOwner({ kind: 'none' }, { country: 'Germany' })).toBeNull();
  });
});

describe('planLead', () => {
  const contact = { email: 'Ada@Example.com', firstname: 'Ada', lastname: 'Lovelace', company: 'Analytical', jobtitle: 'CTO', hs_analytics_source: 'PAID_SEARCH', country: 'Germany' };
  const plan = (config: MqlHandoffConfigDto = DEFAULT_MQL_HANDOFF, properties: Record<string, string | null> = contact) =>
    planLead({ config, hubspotId: '501', properties, hubspotFields: HS_FIELDS, leadFields: LEAD_FIELDS });

  it('maps fields, translates the source and sets the external id', () => {
    const r = plan();
    expect(r).toEqual({
      ok: true,
      value: {
        properties: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com', Company: 'Analytical', Title: 'CTO', Country: 'Germany', LeadSource: 'Advertisement', HubSpot_Contact_ID__c: '501' },
        defaulted: [],
      },
    });
  });

  it('uses defaults and placeholders for blanks, the default source for unknown sources', () => {
    const config = { ...DEFAULT_MQL_HANDOFF, fieldMap: [...DEFAULT_MQL_HANDOFF.fieldMap, { hubspot: null, salesforce: 'Status', default: 'Working - Contacted' }, { hubspot: 'jobtitle', salesforce: 'Title', default: 'Unknown title' }] };
    const r = plan(config, { email: 'x@y.com', hs_analytics_source: 'AI_REFERRALS', jobtitle: '' });
    expect(r.ok && r.value.properties).toMatchObject({ Status: 'Working - Contacted', LastName: '[not provided]', Company: '[not provided]', LeadSource: 'Other', Title: 'Unknown title' });
    expect(r.ok && r.value.defaulted).toEqual(['Status', 'Title', 'LastName', 'Company']);
    const noDefault = plan({ ...DEFAULT_MQL_HANDOFF, leadSourceDefault: null }, { email: 'x@y.com' });
    expect(noDefault.ok && 'LeadSource' in noDefault.value.properties).toBe(false);
  });

  it('converts numbers and refuses values that do not convert or are not allowed options, with the reason', () => {
    const withCount = { ...DEFAULT_MQL_HANDOFF, fieldMap: [{ hubspot: 'numemployees', salesforce: 'NumberOfEmployees' }] };
    expect(plan(withCount, { numemployees: '250' })).toMatchObject({ ok: true, value: { properties: { NumberOfEmployees: 250 } } });
    const bad = plan(withCount, { numemployees: '1,000' });
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.reason).toContain('numemployees');
    const picklist = plan({ ...DEFAULT_MQL_HANDOFF, fieldMap: [{ hubspot: null, salesforce: 'Status', default: 'MQL - Pending Review' }] }, contact);
    expect(picklist).toMatchObject({ ok: false });
    expect(!picklist.ok && picklist.reason).toMatch(/^Lead\.Status: .*MQL - Pending Review.*\(default\)$/);
    expect(plan({ ...DEFAULT_MQL_HANDOFF, fieldMap: [{ hubspot: 'email', salesforce: 'Nope__c' }] })).toMatchObject({ ok: false, code: 'unknown_field' });
    expect(plan({ ...DEFAULT_MQL_HANDOFF, fieldMap: [{ hubspot: 'email', salesforce: 'IsConverted' }] })).toMatchObject({ ok: false, code: 'read_only' });
    expect(plan({ ...DEFAULT_MQL_HANDOFF, fieldMap: [], owner: { kind: 'owner_mapping', ownerMapping: [], defaultOwnerId: 'not-an-id' } })).toMatchObject({ ok: false });
  });

  it('keeps only writable Contact fields when a converted Lead is updated as its Contact', () => {
    expect(contactPropertiesOf({ FirstName: 'A', Company: 'X', Email: 'a@b.c', HubSpot_Contact_ID__c: '1' }, [f('FirstName'), f('Email'), f('HubSpot_Contact_ID__c'), f('IsDeleted', { readOnly: true })], ['HubSpot_Contact_ID__c'])).toEqual({
      FirstName: 'A',
      Email: 'a@b.c',
    });
  });
});

describe('stage → lifecycle', () => {
  it('maps stages, with the amount condition on Closed Won', () => {
    expect(lifecycleForStage(DEFAULT_STAGE_LIFECYCLE, 'Qualification', null)).toBe('salesqualifiedlead');
    expect(lifecycleForStage(DEFAULT_STAGE_LIFECYCLE, 'closed won', 5000)).toBe('customer');
    expect(lifecycleForStage(DEFAULT_STAGE_LIFECYCLE, 'Closed Won', 0)).toBeNull();
    expect(lifecycleForStage(DEFAULT_STAGE_LIFECYCLE, 'Closed Won', null)).toBeNull();
    expect(lifecycleForStage(DEFAULT_STAGE_LIFECYCLE, 'Closed Lost', 100)).toBeNull();
  });

  it('moves forward, refuses backwards unless allowed, skips unchanged and unknown stages', () => {
    expect(lifecycleMove('lead', 'salesqualifiedlead', false)).toEqual({ ok: true, value: 'forward' });
    expect(lifecycleMove(null, 'opportunity', false)).toEqual({ ok: true, value: 'forward' });
    expect(lifecycleMove('customer', 'salesqualifiedlead', false)).toMatchObject({ ok: false, code: 'backwards_refused' });
    expect(lifecycleMove('customer', 'salesqualifiedlead', true)).toEqual({ ok: true, value: 'backward' });
    expect(lifecycleMove('opportunity', 'opportunity', true)).toMatchObject({ ok: false, code: 'unchanged' });
    expect(lifecycleMove('lead', 'made_up', true)).toMatchObject({ ok: false, code: 'unknown_stage' });
  });
});

describe('email direction', () => {
  it('HubSpot → Salesforce always; back only when both directions are on', () => {
    expect(emailDirectionAllows({ direction: 'hubspot_to_salesforce' }, 'hubspot')).toBe(true);
    expect(emailDirectionAllows({ direction: 'hubspot_to_salesforce' }, 'salesforce')).toBe(false);
    expect(emailDirectionAllows({ direction: 'both' }, 'salesforce')).toBe(true);
  });
});

describe('account hygiene gate', () => {
  const industries = ['COMPUTER_SOFTWARE', 'FINANCIAL_SERVICES', 'RETAIL'];
  const employees = ['1-5', '5-25', '25-50', '50-100', '100-500', '500-1000', '1000+'];
  const gate = (account: Record<string, string | number | null>, company: Record<string, string | null> = {}, genericValues: string[] = []) =>
    hygieneGate({ config: { ...DEFAULT_ACCOUNT_HYGIENE, genericValues }, account, company, industryOptions: industries, employeeOptions: employees });

  it('writes real values, normalizes industry through the table and buckets head counts', () => {
    expect(gate({ Name: 'Globex', Industry: 'Technology', NumberOfEmployees: 320 }, { name: 'Old', industry: '', numberofemployees: '' })).toEqual({
      properties: { name: 'Globex', industry: 'COMPUTER_SOFTWARE', numberofemployees: '100-500' },
      refused: [],
    });
    expect(gate({ Name: 'Globex', Industry: 'Retail', NumberOfEmployees: 5000 }).properties).toMatchObject({ industry: 'RETAIL', numberofemployees: '1000+' });
  });

  it('never writes empty or generic values, nor unchanged ones', () => {
    const r = gate({ Name: 'N/A', Industry: 'Other', NumberOfEmployees: null }, { name: 'Globex', industry: 'RETAIL' });
    expect(r.properties).toEqual({});
    expect(r.refused.map((x) => x.field)).toEqual(['name', 'industry', 'numberofemployees']);
    expect(r.refused[0]!.reason).toBe('Salesforce Name is generic ("N/A")');
    expect(r.refused[2]!.reason).toBe('Salesforce NumberOfEmployees is empty');
    expect(gate({ Name: 'Acme Holdings' }, {}, ['acme holdings']).properties).toEqual({});
    expect(gate({ Name: 'Globex', Industry: 'Banking', NumberOfEmployees: 30 }, { name: 'globex', industry: 'FINANCIAL_SERVICES', numberofemployees: '25-50' }).properties).toEqual({});
  });

  it('refuses industries with no HubSpot option and nonsense head counts', () => {
    const r = gate({ Name: 'X Corp', Industry: 'Space Mining', NumberOfEmployees: -3 });
    expect(r.properties).toEqual({ name: 'X Corp' });
    expect(r.refused).toEqual([
      { field: 'industry', reason: 'industry "Space Mining" is not a HubSpot industry option; add it to the industry table' },
      { field: 'numberofemployees', reason: 'NumberOfEmployees -3 is not a positive whole number' },
    ]);
    const plain = hygieneGate({ config: DEFAULT_ACCOUNT_HYGIENE, account: { NumberOfEmployees: 42 }, company: {}, industryOptions: industries });
    expect(plain.properties).toEqual({ numberofemployees: '42' });
  });

  it('helpers: generic values, buckets, domains, fingerprints', () => {
    expect(isGeneric('  Unknown ')).toBe(true);
    expect(isGeneric('Initech')).toBe(false);
    expect(isGeneric(0)).toBe(false);
    expect(employeeBucket(0, employees)).toBeNull();
    expect(employeeBucket(50, employees)).toBe('25-50');
    expect(accountDomain({ Website: 'https://www.Globex.com/about' })).toBe('globex.com');
    expect(accountDomain({ Domain__c: 'initech.io', Website: 'other.com' })).toBe('initech.io');
    expect(accountDomain({ Website: null })).toBeNull();
    expect(fingerprintValue(' Ada@X.com ')).toBe('ada@x.com');
    expect(fingerprintValue(null)).toBe('');
    expect(fingerprintValue(42)).toBe('42');
  });
});

describe('one master per field', () => {
  const defs = (email: object, mql: Partial<MqlHandoffConfigDto> = {}) => [
    { kind: 'mql_handoff' as const, config: { ...DEFAULT_MQL_HANDOFF, ...mql } },
    { kind: 'stage_lifecycle' as const, config: DEFAULT_STAGE_LIFECYCLE },
    { kind: 'email_change' as const, config: { ...DEFAULT_EMAIL_CHANGE, ...email } },
    { kind: 'account_hygiene' as const, config: DEFAULT_ACCOUNT_HYGIENE },
  ];
  const emailRow = DEFAULT_MQL_HANDOFF.fieldMap.findIndex((r) => r.hubspot === 'email');

  it('lists the pairs each definition maps, per direction', () => {
    expect(fieldMappings('email_change', { direction: 'both', master: 'hubspot' }).map((m) => [m.hubspot, m.salesforce, m.direction, m.master])).toEqual([
      ['contact.email', 'person.Email', 'hubspot_to_salesforce', 'hubspot'],
      ['contact.email', 'person.Email', 'salesforce_to_hubspot', 'hubspot'],
    ]);
    expect(fieldMappings('mql_handoff', DEFAULT_MQL_HANDOFF)).toHaveLength(DEFAULT_MQL_HANDOFF.fieldMap.length);
    expect(fieldMappings('account_hygiene', DEFAULT_ACCOUNT_HYGIENE).every((m) => m.direction === 'salesforce_to_hubspot')).toBe(true);
  });

  it('the defaults map nothing both ways', () => {
    for (const kind of ['mql_handoff', 'stage_lifecycle', 'email_change', 'account_hygiene'] as const) expect(masterProblems(kind, defs({}))).toEqual([]);
  });

  it('a field mapped both ways without a master is named, in the definition being saved', () => {
    expect(masterProblems('email_change', defs({ direction: 'both' }))).toEqual([
      { field: 'config.master', message: expect.stringContaining('HubSpot email ↔ Salesforce Email is mapped both ways') as unknown as string },
    ]);
    // The handoff maps email → Email too: its row is named when the handoff is saved.
    expect(masterProblems('mql_handoff', defs({ direction: 'both' }))).toEqual([{ field: `config.fieldMap.${emailRow}.master`, message: expect.stringContaining('name which system is master') as unknown as string }]);
  });

  it('one master named anywhere settles the pair; two different masters conflict', () => {
    expect(masterProblems('email_change', defs({ direction: 'both', master: 'salesforce' }))).toEqual([]);
    const rowMaster = (master: 'hubspot' | 'salesforce') => ({ fieldMap: DEFAULT_MQL_HANDOFF.fieldMap.map((r, i) => (i === emailRow ? { ...r, master } : r)) });
    expect(masterProblems('email_change', defs({ direction: 'both' }, rowMaster('hubspot')))).toEqual([]);
    expect(masterOf(defs({ direction: 'both' }, rowMaster('hubspot')), 'contact.email', 'person.Email')).toBe('hubspot');
    const conflict = masterProblems('mql_handoff', defs({ direction: 'both', master: 'salesforce' }, rowMaster('hubspot')));
    expect(conflict).toEqual([{ field: `config.fieldMap.${emailRow}.master`, message: expect.stringContaining('names both HubSpot and Salesforce as master') as unknown as string }]);
    expect(masterOf(defs({ direction: 'both', master: 'salesforce' }, rowMaster('hubspot')), 'contact.email', 'person.Email')).toBeNull();
  });

  it('the non-master direction only fills an empty value', () => {
    expect(mayOverwrite(null, 'hubspot', 'x@a.example')).toBe(true);
    expect(mayOverwrite('hubspot', 'hubspot', 'x@a.example')).toBe(true);
    expect(mayOverwrite('salesforce', 'hubspot', 'x@a.example')).toBe(false);
    expect(mayOverwrite('salesforce', 'hubspot', '')).toBe(true);
    expect(mayOverwrite('hubspot', 'salesforce', null)).toBe(true);
    expect(mayOverwrite('hubspot', 'salesforce', 'y@b.example')).toBe(false);
  });
});
