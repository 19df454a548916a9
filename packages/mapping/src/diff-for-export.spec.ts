import { describe, expect, it } from '@jest/globals';
import { hubspotCompany } from './__fixtures__/hubspot-contact.fixture.js';
import { hubspotCompanyProperties, hubspotContactProperties } from './__fixtures__/hubspot-properties.fixture.js';
import { salesforceLeadDescribe } from './__fixtures__/salesforce-describe.fixture.js';
import { salesforceLead } from './__fixtures__/salesforce-lead.fixture.js';
import { defaultMappings } from './default-mappings.js';
import { diffForExport, type DiffForExportInput, type ExportDiff } from './diff-for-export.js';
import { hubspotObjectProperties, hubspotPropertiesToDescriptors } from './hubspot/hubspot.fields.js';
import { salesforceFieldsToDescriptors, salesforceRecordFields } from './salesforce/salesforce.fields.js';
import { defaultStatusMapping } from './status.js';
import type { ConduitRecord, CrmFieldType, CrmKind, CrmWireValue, ExportBehaviour, FieldType, MappedObject, MappingRow } from './types.js';

interface TypeCase {
  name: string;
  crm: CrmKind;
  object: MappedObject;
  conduitField: string;
  conduitType?: FieldType;
  crmField: string;
  crmType: CrmFieldType;
  conduitValue: unknown;
  /** The CRM holding the same value, in its own representation. */
  crmEqual: unknown;
  crmOther: unknown;
  /** What should be sent. */
  wire: CrmWireValue;
}

const TYPE_CASES: TypeCase[] = [
  { name: 'string', crm: 'hubspot', object: 'contact', conduitField: 'firstName', crmField: 'firstname', crmType: 'string', conduitValue: 'Ada', crmEqual: 'Ada', crmOther: 'Augusta', wire: 'Ada' },
  { name: 'email', crm: 'hubspot', object: 'contact', conduitField: 'email', crmField: 'email', crmType: 'string', conduitValue: 'Ada@Example.com', crmEqual: 'ADA@example.com', crmOther: 'ada@other.com', wire: 'ada@example.com' },
  { name: 'enumeration', crm: 'hubspot', object: 'contact', conduitField: 'leadStatus', crmField: 'hs_lead_status', crmType: 'enumeration', conduitValue: 'NEW', crmEqual: 'NEW', crmOther: 'OPEN', wire: 'NEW' },
  { name: 'number', crm: 'hubspot', object: 'company', conduitField: 'employeeCount', crmField: 'numberofemployees', crmType: 'number', conduitValue: 120, crmEqual: '120.0', crmOther: '5', wire: '120' },
  { name: 'date', crm: 'hubspot', object: 'contact', conduitField: 'custom.lastReplied', conduitType: 'date', crmField: 'conduit_last_replied_date', crmType: 'date', conduitValue: '2024-05-02', crmEqual: '1714608000000', crmOther: '2024-05-01', wire: '2024-05-02' },
  { name: 'datetime', crm: 'hubspot', object: 'contact', conduitField: 'custom.firstContactedAt', conduitType: 'datetime', crmField: 'conduit_first_contacted_at', crmType: 'datetime', conduitValue: '2024-05-02T16:03:10.221+02:00', crmEqual: '1714658590221', crmOther: '1714658590222', wire: '2024-05-02T14:03:10.221Z' },
  { name: 'boolean', crm: 'hubspot', object: 'contact', conduitField: 'custom.priority', conduitType: 'boolean', crmField: 'conduit_is_priority', crmType: 'bool', conduitValue: false, crmEqual: 'false', crmOther: 'true', wire: 'false' },
  { name: 'multi', crm: 'hubspot', object: 'contact', conduitField: 'custom.sequences', conduitType: 'multi_enumeration', crmField: 'conduit_sequences', crmType: 'enumeration', conduitValue: ['a', 'b'], crmEqual: 'b;a', crmOther: 'a', wire: 'a;b' },
  { name: 'string', crm: 'salesforce', object: 'contact', conduitField: 'lastName', crmField: 'LastName', crmType: 'string', conduitValue: 'Hopper', crmEqual: 'Hopper', crmOther: 'Murray', wire: 'Hopper' },
  { name: 'email', crm: 'salesforce', object: 'contact', conduitField: 'email', crmField: 'Email', crmType: 'email', conduitValue: 'grace@navy.mil', crmEqual: 'Grace@Navy.mil', crmOther: 'g@other.mil', wire: 'grace@navy.mil' },
  { name: 'textarea', crm: 'salesforce', object: 'contact', conduitField: 'qualificationReasoning', crmField: 'Description', crmType: 'textarea', conduitValue: 'Fits ICP', crmEqual: 'Fits ICP', crmOther: 'Called in May', wire: 'Fits ICP' },
  { name: 'int', crm: 'salesforce', object: 'company', conduitField: 'employeeCount', crmField: 'NumberOfEmployees', crmType: 'int', conduitValue: 250, crmEqual: 250, crmOther: 10, wire: 250 },
  { name: 'picklist', crm: 'salesforce', object: 'company', conduitField: 'industry', crmField: 'Industry', crmType: 'picklist', conduitValue: 'Technology', crmEqual: 'Technology', crmOther: 'Banking', wire: 'Technology' },
  { name: 'date', crm: 'salesforce', object: 'contact', conduitField: 'custom.lastReplied', conduitType: 'date', crmField: 'Conduit_Last_Replied__c', crmType: 'date', conduitValue: '2024-05-02', crmEqual: '2024-05-02', crmOther: '2024-04-30', wire: '2024-05-02' },
  { name: 'datetime', crm: 'salesforce', object: 'contact', conduitField: 'custom.firstContactedAt', conduitType: 'datetime', crmField: 'Conduit_First__c', crmType: 'datetime', conduitValue: '2024-05-02T14:03:10.000Z', crmEqual: '2024-05-02T14:03:10.000+0000', crmOther: '2024-05-02T14:03:11.000+0000', wire: '2024-05-02T14:03:10.000Z' },
  { name: 'boolean', crm: 'salesforce', object: 'contact', conduitField: 'custom.priority', conduitType: 'boolean', crmField: 'Conduit_Priority__c', crmType: 'boolean', conduitValue: true, crmEqual: true, crmOther: false, wire: true },
  { name: 'double', crm: 'salesforce', object: 'contact', conduitField: 'custom.score', conduitType: 'number', crmField: 'Conduit_Score__c', crmType: 'double', conduitValue: '87.5', crmEqual: 87.5, crmOther: 80, wire: 87.5 },
  { name: 'multipicklist', crm: 'salesforce', object: 'contact', conduitField: 'custom.sequences', conduitType: 'multi_enumeration', crmField: 'Conduit_Sequences__c', crmType: 'multipicklist', conduitValue: 'Q2;Founders', crmEqual: 'Founders;Q2', crmOther: 'Q2', wire: 'Q2;Founders' },
];

type CrmState = 'create' | 'blank' | 'equal' | 'other';
const BLANKS: [string, unknown][] = [
  ['null', null],
  ['missing', undefined],
  ["''", ''],
  ["'  '", '  '],
];
const CRM_STATES: [string, CrmState, (c: TypeCase) => Record<string, unknown> | null][] = [
  ['creating (no CRM record)', 'create', () => null],
  ...BLANKS.map(([label, v]): [string, CrmState, (c: TypeCase) => Record<string, unknown> | null] => [
    `CRM ${label}`,
    'blank',
    (c) => (v === undefined ? { other: 'x' } : { [c.crmField]: v }),
  ]),
  ['CRM equal', 'equal', (c) => ({ [c.crmField]: c.crmEqual })],
  ['CRM different', 'other', (c) => ({ [c.crmField]: c.crmOther })],
];
const CONDUIT_STATES: [string, boolean, (c: TypeCase) => unknown][] = [
  ...BLANKS.map(([label, v]): [string, boolean, (c: TypeCase) => unknown] => [`Conduit ${label}`, false, () => v]),
  ['Conduit filled', true, (c) => c.conduitValue],
];
const BEHAVIOURS: ExportBehaviour[] = ['fill_if_empty', 'overwrite', 'do_not_export'];

/** The rule under test, stated once. */
function expected(behaviour: ExportBehaviour, crm: CrmState, conduitFilled: boolean): 'write' | 'do_not_export' | 'conduit_empty' | 'unchanged' | 'crm_not_empty' {
  if (behaviour === 'do_not_export') return 'do_not_export';
  if (!conduitFilled) return 'conduit_empty'; // never clears by default
  if (crm === 'create' || crm === 'blank') return 'write';
  if (crm === 'equal') return 'unchanged';
  return behaviour === 'overwrite' ? 'write' : 'crm_not_empty';
}

const record = (c: TypeCase, value: unknown): ConduitRecord =>
  c.conduitField.startsWith('custom.')
    ? { customAttributes: { [c.conduitField.slice('custom.'.length)]: value } }
    : { [c.conduitField]: value, customAttributes: {} };

const matrix = TYPE_CASES.flatMap((c) =>
  BEHAVIOURS.flatMap((behaviour) =>
    CRM_STATES.flatMap(([crmLabel, crmState, crmCurrent]) =>
      CONDUIT_STATES.map(([conduitLabel, filled, conduitValue]) => ({
        title: `${c.crm} ${c.name}: ${behaviour}, ${crmLabel}, ${conduitLabel}`,
        c,
        behaviour,
        crmState,
        filled,
        crmCurrent: crmCurrent(c),
        conduit: conduitValue(c),
      })),
    ),
  ),
);

describe('diffForExport: behaviour × CRM state × Conduit state × type', () => {
  it('covers the whole matrix', () => {
    expect(matrix).toHaveLength(TYPE_CASES.length * 3 * 7 * 5);
  });

  it.each(matrix)('$title', ({ c, behaviour, crmState, filled, crmCurrent, conduit }) => {
    const row: MappingRow = {
      conduitField: c.conduitField,
      crmField: c.crmField,
      importPriority: 'crm',
      exportBehaviour: behaviour,
      crmType: c.crmType,
      ...(c.conduitType ? { conduitType: c.conduitType } : {}),
    };
    const diff = diffForExport({ crm: c.crm, object: c.object, rows: [row], conduitRecord: record(c, conduit), crmCurrent });
    const outcome = expected(behaviour, crmState, filled);

    expect(diff.errors).toEqual([]);
    expect(diff.isCreate).toBe(crmState === 'create');
    if (outcome === 'write') {
      expect(diff.properties).toEqual({ [c.crmField]: c.wire });
      expect(diff.skipped).toEqual([]);
    } else {
      expect(diff.properties).toEqual({});
      expect(diff.skipped).toEqual([{ field: c.conduitField, crmField: c.crmField, reason: outcome }]);
    }
  });
});

const row = (conduitField: string, crmField: string, extra: Partial<MappingRow> = {}): MappingRow => ({
  conduitField,
  crmField,
  importPriority: 'crm',
  exportBehaviour: 'overwrite',
  ...extra,
});
const run = (extra: Partial<DiffForExportInput>): ExportDiff =>
  diffForExport({ crm: 'hubspot', object: 'contact', rows: [], conduitRecord: {}, crmCurrent: {}, ...extra });

describe('diffForExport: clearing is opt-in', () => {
  it.each<[CrmKind, string, CrmWireValue]>([
    ['hubspot', 'jobtitle', ''],
    ['salesforce', 'Title', null],
  ])('%s: an overwrite row clears a filled field with %p only when asked', (crm, crmField, blank) => {
    const input = { crm, rows: [row('jobTitle', crmField)], conduitRecord: { jobTitle: '  ' }, crmCurrent: { [crmField]: 'CTO' } };
    expect(run(input).properties).toEqual({});
    expect(run({ ...input, clearWhenConduitEmpty: true }).properties).toEqual({ [crmField]: blank });
  });

  it.each<[string, Partial<DiffForExportInput>]>([
    ['fill_if_empty rows', { rows: [row('jobTitle', 'jobtitle', { exportBehaviour: 'fill_if_empty' })], crmCurrent: { jobtitle: 'CTO' } }],
    ['a CRM field that is already blank', { rows: [row('jobTitle', 'jobtitle')], crmCurrent: { jobtitle: '' } }],
    ['creates', { rows: [row('jobTitle', 'jobtitle')], crmCurrent: null }],
  ])('never clears for %s', (_t, input) => {
    const diff = run({ conduitRecord: { jobTitle: null }, clearWhenConduitEmpty: true, ...input });
    expect(diff.properties).toEqual({});
    expect(diff.skipped.map((s) => s.reason)).toEqual(['conduit_empty']);
  });
});

describe('diffForExport: a CRM value that does not decode counts as filled and different', () => {
  it.each<[ExportBehaviour, Record<string, unknown>, string | undefined]>([
    ['fill_if_empty', {}, 'crm_not_empty'],
    ['overwrite', { numberofemployees: '120' }, undefined],
  ])('%s', (exportBehaviour, properties, reason) => {
    const diff = run({
      object: 'company',
      rows: [row('employeeCount', 'numberofemployees', { crmType: 'number', exportBehaviour })],
      conduitRecord: { employeeCount: 120 },
      crmCurrent: { numberofemployees: 'about 100' },
    });
    expect(diff.errors).toEqual([]);
    expect(diff.properties).toEqual(properties);
    expect(diff.skipped.map((s) => s.reason)).toEqual(reason ? [reason] : []);
  });
});

describe('diffForExport: errors', () => {
  it.each<[string, Partial<DiffForExportInput>, string]>([
    ['unknown Conduit field', { rows: [row('nickname', 'x')] }, 'unknown_conduit_field'],
    ['unknown CRM field', { rows: [row('firstName', 'first_name')], conduitRecord: { firstName: 'Ada' }, fields: hubspotPropertiesToDescriptors(hubspotContactProperties) }, 'unknown_field'],
    ['read-only CRM field', { rows: [row('custom.id', 'hs_object_id')], conduitRecord: { customAttributes: { id: '5' } }, fields: hubspotPropertiesToDescriptors(hubspotContactProperties) }, 'read_only'],
    ['invalid Conduit email', { rows: [row('email', 'email')], conduitRecord: { email: 'ada at x' } }, 'invalid_email'],
    ['text into a number property', { rows: [row('jobTitle', 'annualrevenue', { crmType: 'number' })], conduitRecord: { jobTitle: '1,000' } }, 'invalid_number'],
    ['value outside the options', { rows: [row('leadStatus', 'hs_lead_status')], conduitRecord: { leadStatus: 'WON' }, fields: hubspotPropertiesToDescriptors(hubspotContactProperties) }, 'invalid_option'],
    [
      'string longer than the Salesforce field',
      { crm: 'salesforce', rows: [row('firstName', 'FirstName')], conduitRecord: { firstName: 'x'.repeat(41) }, fields: salesforceFieldsToDescriptors(salesforceLeadDescribe) },
      'too_long',
    ],
    [
      'restricted picklist',
      { crm: 'salesforce', rows: [row('custom.rating', 'Rating')], conduitRecord: { customAttributes: { rating: 'Lukewarm' } }, fields: salesforceFieldsToDescriptors(salesforceLeadDescribe) },
      'invalid_option',
    ],
  ])('%s', (_t, input, code) => {
    const diff = run(input);
    expect(diff.properties).toEqual({});
    expect(diff.errors.map((e) => e.code)).toEqual([code]);
  });

  it('reports two rows writing one CRM field', () => {
    const diff = run({ rows: [row('firstName', 'firstname'), row('lastName', 'firstname')], conduitRecord: { firstName: 'Ada', lastName: 'Lovelace' } });
    expect(diff.properties).toEqual({ firstname: 'Ada' });
    expect(diff.errors).toMatchObject([{ field: 'lastName', code: 'duplicate_target' }]);
  });

  it('reports the second row even when the first one was skipped', () => {
    const diff = run({ rows: [row('firstName', 'firstname'), row('lastName', 'firstname')], conduitRecord: { lastName: 'Lovelace' } });
    expect(diff.properties).toEqual({});
    expect(diff.errors.map((e) => e.code)).toEqual(['duplicate_target']);
  });

  it('lists required fields left empty on create (Salesforce Lead needs Company)', () => {
    const diff = diffForExport({
      crm: 'salesforce',
      object: 'contact',
      rows: defaultMappings('salesforce', 'contact'),
      conduitRecord: { lastName: 'Hopper' },
      crmCurrent: null,
      fields: salesforceFieldsToDescriptors(salesforceLeadDescribe),
    });
    expect(diff.properties).toEqual({ LastName: 'Hopper' });
    expect(diff.errors).toMatchObject([{ field: 'companyName', crmField: 'Company', code: 'required_missing' }]);
  });

  it('does not check required fields on update', () => {
    const diff = diffForExport({
      crm: 'salesforce',
      object: 'contact',
      rows: [],
      conduitRecord: {},
      crmCurrent: { LastName: 'Hopper' },
      fields: salesforceFieldsToDescriptors(salesforceLeadDescribe),
    });
    expect(diff.errors).toEqual([]);
  });
});

describe('diffForExport: contact source stamp', () => {
  const stamp = { crmField: 'LeadSource', value: 'Conduit' };
  const sf = (extra: Partial<DiffForExportInput>): ExportDiff =>
    diffForExport({ crm: 'salesforce', object: 'contact', rows: [], conduitRecord: {}, crmCurrent: null, fields: salesforceFieldsToDescriptors(salesforceLeadDescribe), ...extra });

  it('stamps on create', () => {
    expect(sf({ contactSource: stamp }).properties).toEqual({ LeadSource: 'Conduit' });
  });

  it.each<[string, 'never' | 'fill_if_empty' | 'overwrite' | undefined, Record<string, unknown>, Record<string, unknown>, string | undefined]>([
    ['default never, CRM blank', undefined, {}, {}, 'create_only'],
    ['never, CRM filled', 'never', { LeadSource: 'Web' }, {}, 'create_only'],
    ['fill_if_empty, CRM blank', 'fill_if_empty', { LeadSource: null }, { LeadSource: 'Conduit' }, undefined],
    ['fill_if_empty, CRM filled', 'fill_if_empty', { LeadSource: 'Web' }, {}, 'crm_not_empty'],
    ['overwrite, CRM filled', 'overwrite', { LeadSource: 'Web' }, { LeadSource: 'Conduit' }, undefined],
    ['overwrite, CRM equal', 'overwrite', { LeadSource: 'Conduit' }, {}, 'unchanged'],
  ])('on update: %s', (_t, onUpdate, crmCurrent, properties, reason) => {
    const diff = sf({ contactSource: { ...stamp, ...(onUpdate ? { onUpdate } : {}) }, crmCurrent });
    expect(diff.properties).toEqual(properties);
    expect(diff.skipped).toEqual(reason ? [{ field: 'contactSource', crmField: 'LeadSource', reason }] : []);
  });

  it('wins over a row writing the same field', () => {
    const diff = sf({ contactSource: stamp, rows: [row('custom.source', 'LeadSource')], conduitRecord: { customAttributes: { source: 'Web' } } });
    expect(diff.properties).toEqual({ LeadSource: 'Conduit' });
    expect(diff.skipped).toEqual([{ field: 'custom.source', crmField: 'LeadSource', reason: 'superseded' }]);
  });

  it('leaves the field to rows on updates where it does not apply', () => {
    const diff = sf({ contactSource: stamp, crmCurrent: { LeadSource: null }, rows: [row('custom.source', 'LeadSource')], conduitRecord: { customAttributes: { source: 'Web' } } });
    expect(diff.properties).toEqual({ LeadSource: 'Web' });
  });

  it('validates the stamp against the field', () => {
    const restricted = sf({ contactSource: { crmField: 'Rating', value: 'Conduit', onUpdate: 'overwrite' }, crmCurrent: {} });
    expect(restricted.errors).toMatchObject([{ field: 'contactSource', code: 'invalid_option' }]);
    const unknown = sf({ contactSource: { crmField: 'Origin__c', value: 'Conduit' }, crmCurrent: {} });
    expect(unknown.errors).toMatchObject([{ field: 'contactSource', code: 'unknown_field' }]);
  });

  it('works without discovered fields (HubSpot custom property)', () => {
    const diff = run({ crmCurrent: null, contactSource: { crmField: 'conduit_source', value: 'Conduit' } });
    expect(diff.properties).toEqual({ conduit_source: 'Conduit' });
  });
});

describe('diffForExport: status mapping', () => {
  const fields = hubspotPropertiesToDescriptors(hubspotContactProperties);
  const statusMapping = defaultStatusMapping('hubspot');

  it.each<[string, ConduitRecord, Record<string, unknown> | null, Record<string, unknown>, string | undefined]>([
    ['writes the mapped value on create', { engagementState: 'replied' }, null, { hs_lead_status: 'CONNECTED' }, undefined],
    ['overwrites a different CRM status', { engagementState: 'replied_negative' }, { hs_lead_status: 'NEW' }, { hs_lead_status: 'UNQUALIFIED' }, undefined],
    ['skips an equal CRM status', { engagementState: 'contacted' }, { hs_lead_status: 'ATTEMPTED_TO_CONTACT' }, {}, 'unchanged'],
    ['skips a record without status', { engagementState: null }, {}, {}, 'conduit_empty'],
    ['skips an unmapped status', { engagementState: 'snoozed' }, {}, {}, 'unmapped_status'],
  ])('%s', (_t, conduitRecord, crmCurrent, properties, reason) => {
    const diff = run({ fields, statusMapping, conduitRecord, crmCurrent });
    expect(diff.errors).toEqual([]);
    expect(diff.properties).toEqual(properties);
    expect(diff.skipped).toEqual(reason ? [{ field: 'status', crmField: 'hs_lead_status', reason }] : []);
  });

  it('works without discovered fields (no option check)', () => {
    const diff = run({ statusMapping: { ...statusMapping, table: { replied: 'REPLIED' } }, conduitRecord: { engagementState: 'replied' }, crmCurrent: null });
    expect(diff.properties).toEqual({ hs_lead_status: 'REPLIED' });
  });

  it('supersedes a row on the same property', () => {
    const diff = run({ fields, statusMapping, conduitRecord: { engagementState: 'replied', leadStatus: 'NEW' }, rows: [row('leadStatus', 'hs_lead_status')] });
    expect(diff.properties).toEqual({ hs_lead_status: 'CONNECTED' });
    expect(diff.skipped).toEqual([{ field: 'leadStatus', crmField: 'hs_lead_status', reason: 'superseded' }]);
  });

  it('reports a mapped value that is not an option, and an unknown status field', () => {
    const bad = run({ fields, statusMapping: { ...statusMapping, table: { replied: 'REPLIED' } }, conduitRecord: { engagementState: 'replied' } });
    expect(bad.errors).toMatchObject([{ field: 'status', code: 'invalid_option' }]);
    const unknown = run({ fields, statusMapping: { ...statusMapping, crmField: 'nope' }, conduitRecord: { engagementState: 'replied' } });
    expect(unknown.errors).toMatchObject([{ field: 'status', code: 'unknown_field' }]);
  });
});

describe('diffForExport on recorded payloads with default mappings', () => {
  it('updates the recorded Salesforce Lead: fills blanks only, sends JSON types', () => {
    const diff = diffForExport({
      crm: 'salesforce',
      object: 'contact',
      rows: defaultMappings('salesforce', 'contact'),
      conduitRecord: {
        firstName: 'Grace',
        lastName: 'Hopper',
        email: 'grace.hopper@navy-compilers.com',
        phone: '+1 555 0100',
        jobTitle: 'Rear Admiral (ret.)',
        companyName: 'Navy Compilers Inc.',
        qualificationReasoning: 'Leads a 40-person compiler group',
        leadStatus: 'Open - Not Contacted',
      },
      crmCurrent: salesforceRecordFields(salesforceLead),
      fields: salesforceFieldsToDescriptors(salesforceLeadDescribe),
    });
    expect(diff.errors).toEqual([]);
    expect(diff.properties).toEqual({ Description: 'Leads a 40-person compiler group' });
    expect(Object.fromEntries(diff.skipped.map((s) => [s.field, s.reason]))).toEqual({
      firstName: 'unchanged',
      lastName: 'unchanged',
      email: 'unchanged',
      phone: 'crm_not_empty',
      jobTitle: 'crm_not_empty',
      city: 'conduit_empty',
      country: 'conduit_empty',
      companyName: 'unchanged',
      leadStatus: 'do_not_export',
    });
  });

  it('creates a HubSpot company from a Conduit company, matching the industry label to its option', () => {
    const diff = diffForExport({
      crm: 'hubspot',
      object: 'company',
      rows: defaultMappings('hubspot', 'company'),
      conduitRecord: { name: 'Analytical Engines Ltd', domain: 'https://www.analytical-engines.co.uk/about', industry: 'Computer Software', employeeCount: 120 },
      crmCurrent: null,
      fields: hubspotPropertiesToDescriptors(hubspotCompanyProperties),
    });
    expect(diff.errors).toEqual([]);
    expect(diff.properties).toEqual({ name: 'Analytical Engines Ltd', domain: 'analytical-engines.co.uk', industry: 'COMPUTER_SOFTWARE', numberofemployees: '120' });
  });

  it('sends nothing for a HubSpot company that is already up to date', () => {
    const diff = diffForExport({
      crm: 'hubspot',
      object: 'company',
      rows: defaultMappings('hubspot', 'company').map((r) => ({ ...r, exportBehaviour: 'overwrite' as const })),
      conduitRecord: { name: 'Analytical Engines Ltd', domain: 'analytical-engines.co.uk', website: 'https://www.analytical-engines.co.uk', industry: 'COMPUTER_SOFTWARE', employeeCount: 120, city: 'London', country: 'United Kingdom' },
      crmCurrent: hubspotObjectProperties(hubspotCompany),
      fields: hubspotPropertiesToDescriptors(hubspotCompanyProperties),
    });
    expect(diff.errors).toEqual([]);
    expect(diff.properties).toEqual({});
    expect(diff.skipped.every((s) => s.reason === 'unchanged')).toBe(true);
  });

  it.each<['hubspot' | 'salesforce', string, unknown]>([
    ['hubspot', 'hs_email_optout', 'bool'],
    ['hubspot', 'hs_email_optout_1001', 'bool'],
    ['hubspot', 'hs_email_hard_bounce_reason_enum', 'enumeration'],
    ['salesforce', 'HasOptedOutOfEmail', 'boolean'],
    ['salesforce', 'doNotCall', 'boolean'],
    ['salesforce', 'EmailBouncedReason', 'string'],
    ['salesforce', 'EmailBouncedDate', 'datetime'],
  ])('never exports the consent field %s %s, whatever the behaviour (an export must not clear an opt-out)', (crm, crmField, crmType) => {
    for (const exportBehaviour of ['overwrite', 'fill_if_empty'] as const) {
      const diff = diffForExport({
        crm,
        object: 'contact',
        rows: [{ conduitField: 'custom.optedOut', conduitType: 'boolean', crmField, crmType: crmType as never, importPriority: 'crm', exportBehaviour }],
        conduitRecord: { customAttributes: { optedOut: false } },
        crmCurrent: { [crmField]: crm === 'hubspot' ? 'true' : true },
        clearWhenConduitEmpty: true,
      });
      expect(diff.properties).toEqual({});
      expect(diff.skipped).toEqual([{ field: 'custom.optedOut', crmField, reason: 'consent_field' }]);
    }
  });
});
