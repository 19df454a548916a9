import { describe, expect, it } from '@jest/globals';
import { hubspotContact } from './__fixtures__/hubspot-contact.fixture.js';
import { hubspotContactProperties } from './__fixtures__/hubspot-properties.fixture.js';
import { salesforceLeadDescribe } from './__fixtures__/salesforce-describe.fixture.js';
import { salesforceLead } from './__fixtures__/salesforce-lead.fixture.js';
import { defaultMappings } from './default-mappings.js';
import { hubspotObjectProperties, hubspotPropertiesToDescriptors } from './hubspot/hubspot.fields.js';
import { applyChanges, mergeOnImport, type MergeOnImportInput } from './merge-on-import.js';
import { salesforceFieldsToDescriptors, salesforceRecordFields } from './salesforce/salesforce.fields.js';
import type { ConduitRecord, CrmFieldType, CrmKind, FieldType, ImportPriority, MappedObject, MappingRow, TypedValue } from './types.js';

const NOW = new Date('2024-06-01T12:00:00.000Z');

/**
 * One typed field per case: the CRM value as that CRM sends it, a Conduit value equal to it
 * in another representation, a different Conduit value, and the value Conduit should get.
 */
interface TypeCase {
  name: string;
  crm: CrmKind;
  object: MappedObject;
  conduitField: string;
  conduitType?: FieldType;
  crmField: string;
  crmType: CrmFieldType;
  crmValue: unknown;
  conduitEqual: unknown;
  conduitOther: unknown;
  expected: TypedValue;
}

const TYPE_CASES: TypeCase[] = [
  { name: 'string', crm: 'hubspot', object: 'contact', conduitField: 'firstName', crmField: 'firstname', crmType: 'string', crmValue: 'Ada', conduitEqual: ' Ada ', conduitOther: 'Grace', expected: 'Ada' },
  { name: 'email', crm: 'hubspot', object: 'contact', conduitField: 'email', crmField: 'email', crmType: 'string', crmValue: 'Ada@Example.com', conduitEqual: 'ada@example.com', conduitOther: 'grace@example.com', expected: 'ada@example.com' },
  { name: 'text', crm: 'hubspot', object: 'contact', conduitField: 'qualificationReasoning', crmField: 'conduit_qualification_reasoning', crmType: 'string', crmValue: 'Fits ICP: 120 staff', conduitEqual: 'Fits ICP: 120 staff', conduitOther: 'Too small', expected: 'Fits ICP: 120 staff' },
  { name: 'enumeration', crm: 'hubspot', object: 'contact', conduitField: 'leadStatus', crmField: 'hs_lead_status', crmType: 'enumeration', crmValue: 'IN_PROGRESS', conduitEqual: 'IN_PROGRESS', conduitOther: 'NEW', expected: 'IN_PROGRESS' },
  { name: 'number', crm: 'hubspot', object: 'company', conduitField: 'employeeCount', crmField: 'numberofemployees', crmType: 'number', crmValue: '1000.5', conduitEqual: 1000.5, conduitOther: 12, expected: 1000.5 },
  { name: 'domain', crm: 'hubspot', object: 'company', conduitField: 'domain', crmField: 'domain', crmType: 'string', crmValue: 'WWW.Acme.com', conduitEqual: 'https://acme.com/', conduitOther: 'other.io', expected: 'acme.com' },
  { name: 'date', crm: 'hubspot', object: 'contact', conduitField: 'custom.lastReplied', conduitType: 'date', crmField: 'conduit_last_replied_date', crmType: 'date', crmValue: '1714608000000', conduitEqual: '2024-05-02', conduitOther: '2023-01-01', expected: '2024-05-02' },
  { name: 'datetime', crm: 'hubspot', object: 'contact', conduitField: 'custom.firstContactedAt', conduitType: 'datetime', crmField: 'conduit_first_contacted_at', crmType: 'datetime', crmValue: '1714658590221', conduitEqual: '2024-05-02T16:03:10.221+02:00', conduitOther: '2024-05-03T00:00:00.000Z', expected: '2024-05-02T14:03:10.221Z' },
  { name: 'boolean', crm: 'hubspot', object: 'contact', conduitField: 'custom.optedOut', conduitType: 'boolean', crmField: 'hs_email_optout', crmType: 'bool', crmValue: 'true', conduitEqual: true, conduitOther: false, expected: true },
  { name: 'multi', crm: 'hubspot', object: 'contact', conduitField: 'custom.sequences', conduitType: 'multi_enumeration', crmField: 'conduit_sequences', crmType: 'enumeration', crmValue: 'a;b', conduitEqual: ['b', 'a'], conduitOther: ['c'], expected: ['a', 'b'] },
  { name: 'string', crm: 'salesforce', object: 'contact', conduitField: 'lastName', crmField: 'LastName', crmType: 'string', crmValue: 'Hopper', conduitEqual: 'Hopper', conduitOther: 'Lovelace', expected: 'Hopper' },
  { name: 'email', crm: 'salesforce', object: 'contact', conduitField: 'email', crmField: 'Email', crmType: 'email', crmValue: 'Grace@Navy.mil', conduitEqual: 'GRACE@navy.mil', conduitOther: 'ada@navy.mil', expected: 'grace@navy.mil' },
  { name: 'picklist', crm: 'salesforce', object: 'contact', conduitField: 'leadStatus', crmField: 'Status', crmType: 'picklist', crmValue: 'Working - Contacted', conduitEqual: 'Working - Contacted', conduitOther: 'Open - Not Contacted', expected: 'Working - Contacted' },
  { name: 'int', crm: 'salesforce', object: 'company', conduitField: 'employeeCount', crmField: 'NumberOfEmployees', crmType: 'int', crmValue: 250, conduitEqual: '250', conduitOther: 12, expected: 250 },
  { name: 'url', crm: 'salesforce', object: 'company', conduitField: 'website', crmField: 'Website', crmType: 'url', crmValue: 'https://navy.mil', conduitEqual: 'https://navy.mil', conduitOther: 'https://other.io', expected: 'https://navy.mil' },
  { name: 'date', crm: 'salesforce', object: 'contact', conduitField: 'custom.lastReplied', conduitType: 'date', crmField: 'Conduit_Last_Replied__c', crmType: 'date', crmValue: '2024-05-02', conduitEqual: '2024-05-02', conduitOther: '2024-05-03', expected: '2024-05-02' },
  { name: 'datetime', crm: 'salesforce', object: 'contact', conduitField: 'custom.firstContactedAt', conduitType: 'datetime', crmField: 'Conduit_First__c', crmType: 'datetime', crmValue: '2024-05-02T14:03:10.000+0000', conduitEqual: '2024-05-02T14:03:10Z', conduitOther: '2024-05-02T14:03:11Z', expected: '2024-05-02T14:03:10.000Z' },
  { name: 'boolean', crm: 'salesforce', object: 'contact', conduitField: 'custom.optedOut', conduitType: 'boolean', crmField: 'HasOptedOutOfEmail', crmType: 'boolean', crmValue: false, conduitEqual: 'false', conduitOther: true, expected: false },
  { name: 'double', crm: 'salesforce', object: 'contact', conduitField: 'custom.score', conduitType: 'number', crmField: 'Conduit_Score__c', crmType: 'double', crmValue: 87.5, conduitEqual: 87.5, conduitOther: 10, expected: 87.5 },
  { name: 'multipicklist', crm: 'salesforce', object: 'contact', conduitField: 'custom.sequences', conduitType: 'multi_enumeration', crmField: 'Conduit_Sequences__c', crmType: 'multipicklist', crmValue: 'Q2;Founders', conduitEqual: 'Founders;Q2', conduitOther: ['Q2'], expected: ['Q2', 'Founders'] },
];

const BLANKS: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ["''", ''],
  ["'   '", '   '],
];
type ConduitState = 'blank' | 'equal' | 'other';
type CrmState = 'blank' | 'value';

const CONDUIT_STATES: [string, ConduitState, (c: TypeCase) => unknown][] = [
  ...BLANKS.map(([label, v]): [string, ConduitState, (c: TypeCase) => unknown] => [`conduit ${label}`, 'blank', () => v]),
  ['conduit equal', 'equal', (c) => c.conduitEqual],
  ['conduit different', 'other', (c) => c.conduitOther],
];
const CRM_STATES: [string, CrmState, (c: TypeCase) => unknown][] = [
  ...BLANKS.map(([label, v]): [string, CrmState, (c: TypeCase) => unknown] => [`crm ${label}`, 'blank', () => v]),
  ['crm value', 'value', (c) => c.crmValue],
];
const PRIORITIES: ImportPriority[] = ['crm', 'conduit'];

/** The rule under test, stated once: what the import should do. */
function expectedOutcome(priority: ImportPriority, conduit: ConduitState, crm: CrmState): 'change' | 'unchanged' {
  if (crm === 'blank') return 'unchanged'; // a blank CRM value never blanks Conduit
  if (conduit === 'blank') return 'change'; // both priorities fill a blank
  if (conduit === 'equal') return 'unchanged';
  return priority === 'crm' ? 'change' : 'unchanged';
}

const record = (c: TypeCase, value: unknown): ConduitRecord => {
  if (!c.conduitField.startsWith('custom.')) return { id: 'p1', [c.conduitField]: value, customAttributes: {} };
  return { id: 'p1', customAttributes: { [c.conduitField.slice('custom.'.length)]: value } };
};

const matrix = TYPE_CASES.flatMap((c) =>
  PRIORITIES.flatMap((priority) =>
    CONDUIT_STATES.flatMap(([conduitLabel, conduitState, conduitValue]) =>
      CRM_STATES.map(([crmLabel, crmState, crmValue]) => ({
        title: `${c.crm} ${c.name}: priority ${priority}, ${conduitLabel}, ${crmLabel}`,
        c,
        priority,
        conduitState,
        crmState,
        conduit: conduitValue(c),
        crmRaw: crmValue(c),
      })),
    ),
  ),
);

describe('mergeOnImport: priority × Conduit state × CRM state × type', () => {
  it('covers the whole matrix', () => {
    expect(matrix).toHaveLength(TYPE_CASES.length * 2 * 6 * 5);
  });

  it.each(matrix)('$title', ({ c, priority, conduitState, crmState, conduit, crmRaw }) => {
    const row: MappingRow = {
      conduitField: c.conduitField,
      crmField: c.crmField,
      importPriority: priority,
      exportBehaviour: 'fill_if_empty',
      crmType: c.crmType,
      ...(c.conduitType ? { conduitType: c.conduitType } : {}),
    };
    const crmRecord = crmRaw === undefined ? {} : { [c.crmField]: crmRaw };
    const result = mergeOnImport({
      object: c.object,
      rows: [row],
      conduitRecord: record(c, conduit),
      crmRecord,
      now: NOW,
      source: { crm: c.crm, connectionId: 'conn_1' },
    });

    expect(result.errors).toEqual([]);
    if (expectedOutcome(priority, conduitState, crmState) === 'change') {
      expect(result.unchanged).toEqual([]);
      expect(result.changes).toEqual([
        {
          field: c.conduitField,
          previousValue: conduit,
          newValue: c.expected,
          source: 'crm',
          crm: c.crm,
          connectionId: 'conn_1',
          crmField: c.crmField,
          rule: row,
          at: '2024-06-01T12:00:00.000Z',
        },
      ]);
    } else {
      expect(result.changes).toEqual([]);
      expect(result.unchanged).toEqual([c.conduitField]);
    }
  });
});

const row = (conduitField: string, crmField: string, extra: Partial<MappingRow> = {}): MappingRow => ({
  conduitField,
  crmField,
  importPriority: 'crm',
  exportBehaviour: 'fill_if_empty',
  ...extra,
});
const base = (extra: Partial<MergeOnImportInput>): MergeOnImportInput => ({
  object: 'contact',
  rows: [],
  conduitRecord: {},
  crmRecord: {},
  now: NOW,
  source: { crm: 'hubspot', connectionId: 'conn_1' },
  ...extra,
});

describe('mergeOnImport: errors leave the field alone', () => {
  it.each<[string, Partial<MergeOnImportInput>, string]>([
    ['unknown Conduit field', { rows: [row('nickname', 'firstname')] }, 'unknown_conduit_field'],
    ['bad custom key', { rows: [row('custom.has space', 'x')] }, 'unknown_conduit_field'],
    ['unknown CRM field (with discovered fields)', { rows: [row('firstName', 'first_name')], fields: [] }, 'unknown_field'],
    ['number that is not one', { object: 'company', rows: [row('employeeCount', 'numberofemployees', { crmType: 'number' })], crmRecord: { numberofemployees: '1,000' } }, 'invalid_number'],
    ['text into a number field', { object: 'company', rows: [row('employeeCount', 'headcount_band')], crmRecord: { headcount_band: '51-200' } }, 'invalid_number'],
    ['invalid email from the CRM', { rows: [row('email', 'email')], crmRecord: { email: 'not-an-email' } }, 'invalid_email'],
    ['invalid domain from the CRM', { object: 'company', rows: [row('domain', 'domain')], crmRecord: { domain: 'localhost' } }, 'invalid_domain'],
    ['date that is not midnight UTC', { rows: [row('custom.d', 'd', { crmType: 'date', conduitType: 'date' })], crmRecord: { d: '1714658590221' } }, 'invalid_date'],
    ['boolean that is not one', { rows: [row('custom.b', 'b', { crmType: 'bool', conduitType: 'boolean' })], crmRecord: { b: 'yes' } }, 'invalid_boolean'],
  ])('%s', (_title, input, code) => {
    const result = mergeOnImport(base({ conduitRecord: { firstName: 'Ada', email: 'ada@x.com', employeeCount: 3 }, ...input }));
    expect(result.changes).toEqual([]);
    expect(result.unchanged).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.code).toBe(code);
    expect(result.errors[0]?.field).toBe(input.rows?.[0]?.conduitField);
  });

  it('reports an error per field and still merges the others', () => {
    const result = mergeOnImport(
      base({
        object: 'company',
        rows: [row('employeeCount', 'numberofemployees', { crmType: 'number' }), row('name', 'name')],
        crmRecord: { numberofemployees: 'many', name: 'Acme' },
      }),
    );
    expect(result.errors.map((e) => e.crmField)).toEqual(['numberofemployees']);
    expect(result.changes.map((c) => [c.field, c.newValue])).toEqual([['name', 'Acme']]);
  });
});

describe('mergeOnImport: details', () => {
  it('replaces a Conduit value that no longer converts (crm priority)', () => {
    const result = mergeOnImport(base({ rows: [row('email', 'email')], conduitRecord: { email: 'garbage' }, crmRecord: { email: 'ada@x.com' } }));
    expect(result.changes.map((c) => [c.previousValue, c.newValue])).toEqual([['garbage', 'ada@x.com']]);
  });

  it('keeps a Conduit value that no longer converts (conduit priority)', () => {
    const result = mergeOnImport(base({ rows: [row('email', 'email', { importPriority: 'conduit' })], conduitRecord: { email: 'garbage' }, crmRecord: { email: 'ada@x.com' } }));
    expect(result.changes).toEqual([]);
  });

  it('lets the first row win when two rows feed one Conduit field', () => {
    const result = mergeOnImport(
      base({ rows: [row('companyName', 'company'), row('companyName', 'associatedcompany')], crmRecord: { company: 'Acme', associatedcompany: 'Other' } }),
    );
    expect(result.changes.map((c) => c.newValue)).toEqual(['Acme']);
    expect(result.unchanged).toEqual(['companyName']);
  });

  it('records the CRM record id in provenance when given', () => {
    const result = mergeOnImport(base({ rows: [row('firstName', 'firstname')], crmRecord: { firstname: 'Ada' }, source: { crm: 'hubspot', connectionId: 'c', crmRecordId: '51' } }));
    expect(result.changes[0]).toMatchObject({ crmRecordId: '51', connectionId: 'c', crm: 'hubspot' });
  });

  it('matches Salesforce field names without regard to case', () => {
    const result = mergeOnImport(base({ rows: [row('lastName', 'lastname')], crmRecord: { LastName: 'Hopper' }, source: { crm: 'salesforce', connectionId: 'c' } }));
    expect(result.changes.map((c) => c.newValue)).toEqual(['Hopper']);
  });

  it('does not match HubSpot property names without regard to case', () => {
    const result = mergeOnImport(base({ rows: [row('firstName', 'FirstName')], crmRecord: { firstname: 'Ada' } }));
    expect(result.changes).toEqual([]);
  });

  it('treats a custom attribute without customAttributes as blank', () => {
    const result = mergeOnImport(base({ rows: [row('custom.tier', 'tier')], conduitRecord: { customAttributes: null }, crmRecord: { tier: 'gold' } }));
    expect(result.changes.map((c) => [c.previousValue, c.newValue])).toEqual([[undefined, 'gold']]);
  });

  it('merges text rows the same whatever non-text values either side holds (text fast path vs general path)', () => {
    // Text on both sides takes a shortcut; anything else (numbers, booleans, arrays, objects) the general path.
    const values: unknown[] = [null, undefined, '', '  ', 'Ada', ' Ada ', 'Grace', 12, true, [], ['Ada'], { a: 1 }];
    for (const importPriority of ['crm', 'conduit'] as const) {
      for (const current of values) {
        for (const incoming of values) {
          const r = row('firstName', 'firstname', { importPriority });
          const fast = mergeOnImport(base({ rows: [r], conduitRecord: { firstName: current }, crmRecord: { firstname: incoming } }));
          // With discovered fields given (the same string property), the shortcut is never taken.
          const general = mergeOnImport(
            base({
              rows: [r],
              conduitRecord: { firstName: current },
              crmRecord: { firstname: incoming },
              fields: [{ name: 'firstname', label: 'First name', type: 'string', readOnly: false, custom: false }],
            }),
          );
          expect([importPriority, current, incoming, fast]).toEqual([importPriority, current, incoming, general]);
        }
      }
    }
  });

  it('compiles a row again when it is changed after a merge', () => {
    const r = row('firstName', 'firstname');
    expect(mergeOnImport(base({ rows: [r], crmRecord: { firstname: 'Ada', lastname: 'Lovelace' } })).changes.map((c) => c.newValue)).toEqual(['Ada']);
    r.crmField = 'lastname';
    r.conduitField = 'lastName';
    expect(mergeOnImport(base({ rows: [r], crmRecord: { firstname: 'Ada', lastname: 'Lovelace' } })).changes.map((c) => [c.field, c.newValue])).toEqual([['lastName', 'Lovelace']]);
    expect(mergeOnImport(base({ object: 'company', rows: [r], crmRecord: { lastname: 'Lovelace' } })).errors.map((e) => e.code)).toEqual(['unknown_conduit_field']);
  });

  it('has no rows for activities by default and rejects standard fields there', () => {
    const result = mergeOnImport(base({ object: 'activity', rows: [row('firstName', 'x')], crmRecord: { x: '1' } }));
    expect(result.errors[0]?.code).toBe('unknown_conduit_field');
  });
});

describe('applyChanges', () => {
  it('applies standard and custom changes to a copy', () => {
    const original: ConduitRecord = { firstName: null, customAttributes: { keep: 1 } };
    const result = mergeOnImport(
      base({ rows: [row('firstName', 'firstname'), row('custom.tier', 'tier')], conduitRecord: original, crmRecord: { firstname: 'Ada', tier: 'gold' } }),
    );
    const next = applyChanges('contact', original, result.changes);
    expect(next).toEqual({ firstName: 'Ada', customAttributes: { keep: 1, tier: 'gold' } });
    expect(original).toEqual({ firstName: null, customAttributes: { keep: 1 } });
  });

  it('ignores changes whose rule no longer resolves', () => {
    const change = { ...mergeOnImport(base({ rows: [row('firstName', 'firstname')], crmRecord: { firstname: 'Ada' } })).changes[0]! };
    expect(applyChanges('company', { name: 'x' }, [change])).toEqual({ name: 'x' });
  });
});

describe('mergeOnImport on recorded payloads with default mappings', () => {
  it('imports the recorded HubSpot contact into an empty person', () => {
    const result = mergeOnImport({
      object: 'contact',
      rows: defaultMappings('hubspot', 'contact'),
      conduitRecord: { id: 'p1', customAttributes: {} },
      crmRecord: hubspotObjectProperties(hubspotContact),
      fields: hubspotPropertiesToDescriptors(hubspotContactProperties),
      now: NOW,
      source: { crm: 'hubspot', connectionId: 'conn_hs', crmRecordId: hubspotContact.id },
    });
    expect(result.errors).toEqual([]);
    expect(Object.fromEntries(result.changes.map((c) => [c.field, c.newValue]))).toEqual({
      firstName: 'Ada',
      lastName: 'King Lovelace',
      email: 'ada.lovelace@analytical-engines.co.uk',
      phone: '+44 20 7946 0958',
      jobTitle: 'Head of Computation',
      city: 'London',
      country: 'United Kingdom',
      companyName: 'Analytical Engines Ltd',
      linkedinUrl: 'https://www.linkedin.com/in/ada-lovelace',
      leadStatus: 'IN_PROGRESS',
    });
    expect(result.unchanged).toEqual(['qualificationReasoning']);
  });

  it('imports the recorded Salesforce Lead over an existing person', () => {
    const result = mergeOnImport({
      object: 'contact',
      rows: defaultMappings('salesforce', 'contact'),
      conduitRecord: { firstName: 'Grace', lastName: 'Hopper', email: 'grace.hopper@navy-compilers.com', jobTitle: 'Commodore', qualificationReasoning: 'Runs a compiler team', customAttributes: {} },
      crmRecord: salesforceRecordFields(salesforceLead),
      fields: salesforceFieldsToDescriptors(salesforceLeadDescribe),
      now: NOW,
      source: { crm: 'salesforce', connectionId: 'conn_sf' },
    });
    expect(result.errors).toEqual([]);
    expect(result.changes.map((c) => [c.field, c.previousValue, c.newValue])).toEqual([
      ['phone', undefined, '(555) 010-1906'],
      ['jobTitle', 'Commodore', 'Rear Admiral'],
      ['city', undefined, 'Arlington'],
      ['country', undefined, 'United States'],
      ['companyName', undefined, 'Navy Compilers Inc.'],
      ['leadStatus', undefined, 'Working - Contacted'],
    ]);
    expect(result.unchanged).toEqual(['firstName', 'lastName', 'email', 'qualificationReasoning']);
  });
});
