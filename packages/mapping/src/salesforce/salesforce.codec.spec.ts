import { describe, expect, it } from '@jest/globals';
import { salesforceLeadDescribe } from '../__fixtures__/salesforce-describe.fixture.js';
import { salesforceLead } from '../__fixtures__/salesforce-lead.fixture.js';
import type { CrmFieldDescriptor, SalesforceFieldType } from '../types.js';
import { decodeSalesforceValue, encodeSalesforceValue, isSalesforceFieldType } from './salesforce.codec.js';
import { salesforceFieldsToDescriptors, salesforceRecordFields } from './salesforce.fields.js';

const field = (type: SalesforceFieldType, extra: Partial<CrmFieldDescriptor> = {}): CrmFieldDescriptor => ({
  name: `F_${type}__c`,
  label: type,
  type,
  readOnly: false,
  custom: true,
  ...extra,
});
const STATUS = field('picklist', {
  name: 'Status',
  restricted: true,
  options: [
    { value: 'Open - Not Contacted', label: 'Open - Not Contacted' },
    { value: 'Working - Contacted', label: 'Working - Contacted' },
  ],
});
const SOURCE = field('picklist', { name: 'LeadSource', restricted: false, options: [{ value: 'Web', label: 'Web' }] });
const SEQUENCES = field('multipicklist', {
  name: 'Conduit_Sequences__c',
  restricted: true,
  length: 20,
  options: [
    { value: 'Q2 Outbound', label: 'Q2 Outbound' },
    { value: 'Founders', label: 'Founders' },
    { value: 'Re-engage', label: 'Re-engage' },
  ],
});

describe('decodeSalesforceValue: accepted', () => {
  it.each<[CrmFieldDescriptor, unknown, unknown]>([
    [field('string'), 'Grace', 'Grace'],
    [field('string'), ' Grace ', 'Grace'],
    [field('textarea'), 'line 1\nline 2', 'line 1\nline 2'],
    [field('email'), 'Grace.Hopper@Navy.mil', 'Grace.Hopper@Navy.mil'],
    [field('phone'), '(555) 010-1906', '(555) 010-1906'],
    [field('url'), 'https://navy.mil', 'https://navy.mil'],
    [field('id'), '00Q5g00000AbCdEEAV', '00Q5g00000AbCdEEAV'],
    [field('reference'), '0055g00000XyZ12AAB', '0055g00000XyZ12AAB'],
    [STATUS, 'Working - Contacted', 'Working - Contacted'],
    [STATUS, 'Nurturing', 'Nurturing'],
    [SEQUENCES, 'Q2 Outbound;Founders', ['Q2 Outbound', 'Founders']],
    [field('boolean'), true, true],
    [field('boolean'), false, false],
    [field('boolean'), 'true', true],
    [field('double'), 87.5, 87.5],
    [field('double'), '87.5', 87.5],
    [field('currency'), 12500000.5, 12500000.5],
    [field('percent'), 12.5, 12.5],
    [field('int'), 250, 250],
    [field('int'), '250', 250],
    [field('date'), '2024-05-02', '2024-05-02'],
    [field('datetime'), '2024-05-02T14:03:10.000+0000', '2024-05-02T14:03:10.000Z'],
    [field('datetime'), '2024-05-02T16:03:10.000+02:00', '2024-05-02T14:03:10.000Z'],
    [field('datetime'), '2024-05-02T14:03:10Z', '2024-05-02T14:03:10.000Z'],
  ])('%# %p ← %p', (f, raw, expected) => {
    expect(decodeSalesforceValue(f, raw)).toEqual({ ok: true, value: expected });
  });

  it.each([[null], [undefined], [''], ['  ']])('blank %p decodes to null', (raw) => {
    for (const t of ['string', 'double', 'boolean', 'date', 'datetime', 'picklist', 'multipicklist'] as const) {
      expect(decodeSalesforceValue(field(t), raw)).toEqual({ ok: true, value: null });
    }
  });
});

describe('decodeSalesforceValue: refused', () => {
  it.each<[CrmFieldDescriptor, unknown, string]>([
    [field('double'), '1,000', 'invalid_number'],
    [field('double'), Number.NaN, 'invalid_number'],
    [field('double'), true, 'invalid_number'],
    [field('int'), 2.5, 'not_an_integer'],
    [field('boolean'), 'yes', 'invalid_boolean'],
    [field('boolean'), 1, 'invalid_boolean'],
    [field('date'), '2024-02-30', 'invalid_date'],
    [field('date'), 1714608000000, 'invalid_date'],
    [field('datetime'), '2024-05-02T14:03:10', 'invalid_datetime'],
    [field('datetime'), 1714658590221, 'invalid_datetime'],
    [field('multipicklist'), ['a'], 'invalid_type'],
    [field('string'), 42, 'invalid_type'],
    [field('string'), { city: 'Arlington' }, 'invalid_type'],
  ])('%# %p ← %p fails with %s', (f, raw, code) => {
    const r = decodeSalesforceValue(f, raw);
    expect(r).toMatchObject({ ok: false, error: { code } });
    if (!r.ok) expect(r.error.message).toContain(f.name);
  });
});

describe('encodeSalesforceValue: accepted (JSON-typed)', () => {
  it.each<[CrmFieldDescriptor, unknown, unknown]>([
    [field('string'), ' Grace ', 'Grace'],
    [field('string'), 42, '42'],
    [field('string', { length: 5 }), 'Grace', 'Grace'],
    [field('textarea'), 'why: big fleet', 'why: big fleet'],
    [field('email'), ' Grace@Navy.MIL ', 'grace@navy.mil'],
    [field('phone'), '+1 555 0100', '+1 555 0100'],
    [field('url'), 'https://navy.mil', 'https://navy.mil'],
    [field('reference'), '0055g00000XyZ12AAB', '0055g00000XyZ12AAB'],
    [field('reference'), '0055g00000XyZ12', '0055g00000XyZ12'],
    [STATUS, 'Working - Contacted', 'Working - Contacted'],
    [STATUS, 'working - contacted', 'Working - Contacted'],
    [SOURCE, 'Conduit', 'Conduit'],
    [SOURCE, 'web', 'Web'],
    [SEQUENCES, ['Founders', 'Q2 Outbound'], 'Founders;Q2 Outbound'],
    [SEQUENCES, 'founders', 'Founders'],
    [field('boolean'), true, true],
    [field('boolean'), 'false', false],
    [field('double'), 87.5, 87.5],
    [field('double'), '87.5', 87.5],
    [field('currency'), '12500000.50', 12500000.5],
    [field('int'), 250, 250],
    [field('int'), '250', 250],
    [field('date'), '2024-05-02', '2024-05-02'],
    [field('date'), '2024-05-02T00:00:00.000Z', '2024-05-02'],
    [field('datetime'), '2024-05-02T16:03:10.000+02:00', '2024-05-02T14:03:10.000Z'],
    [field('datetime'), 1714658590221, '2024-05-02T14:03:10.221Z'],
  ])('%# %p ← %p gives %p', (f, value, expected) => {
    expect(encodeSalesforceValue(f, value)).toEqual({ ok: true, value: expected });
  });
});

describe('encodeSalesforceValue: refused', () => {
  it.each<[CrmFieldDescriptor, unknown, string]>([
    [field('string', { length: 5 }), 'Gracie', 'too_long'],
    [field('textarea', { length: 10 }), 'x'.repeat(11), 'too_long'],
    [field('email'), 'grace@', 'invalid_email'],
    [field('reference'), 'not-an-id', 'invalid_id'],
    [field('id'), '0055g00000XyZ1', 'invalid_id'],
    [STATUS, 'Nurturing', 'invalid_option'],
    [SEQUENCES, ['Founders', 'Unknown'], 'invalid_option'],
    [SEQUENCES, ['Q2 Outbound', 'Founders', 'Re-engage'], 'too_long'],
    [field('boolean'), 'yes', 'invalid_boolean'],
    [field('double'), '1,000', 'invalid_number'],
    [field('int'), 2.5, 'not_an_integer'],
    [field('int'), '2.5', 'not_an_integer'],
    [field('date'), '2024-05-02T14:03:10Z', 'invalid_date'],
    [field('datetime'), '2024-05-02 at noon', 'invalid_datetime'],
    [field('string'), null, 'invalid_type'],
  ])('%# %p ← %p fails with %s', (f, value, code) => {
    const r = encodeSalesforceValue(f, value);
    expect(r).toMatchObject({ ok: false, error: { code } });
    if (!r.ok) expect(r.error.message).toContain(f.name);
  });
});

describe('recorded Salesforce Lead against the recorded describe', () => {
  const descriptors = salesforceFieldsToDescriptors(salesforceLeadDescribe);
  const record = salesforceRecordFields(salesforceLead);
  const byName = new Map(descriptors.map((d) => [d.name, d]));

  it('decodes every described field', () => {
    const decoded: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(record)) {
      const d = byName.get(name);
      if (!d) continue;
      const r = decodeSalesforceValue(d, raw);
      expect(r.ok).toBe(true);
      if (r.ok) decoded[name] = r.value;
    }
    expect(decoded).toEqual({
      Id: '00Q5g00000AbCdEEAV',
      IsDeleted: false,
      FirstName: 'Grace',
      LastName: 'Hopper',
      Title: 'Rear Admiral',
      Company: 'Navy Compilers Inc.',
      City: 'Arlington',
      Country: 'United States',
      Phone: '(555) 010-1906',
      Email: 'Grace.Hopper@Navy-Compilers.com',
      Website: 'https://www.navy-compilers.com/',
      Description: null,
      LeadSource: 'Web',
      Status: 'Working - Contacted',
      Industry: 'Technology',
      Rating: null,
      AnnualRevenue: 12500000.5,
      NumberOfEmployees: 250,
      OwnerId: '0055g00000XyZ12AAB',
      HasOptedOutOfEmail: false,
      IsConverted: false,
      ConvertedDate: null,
      CreatedDate: '2024-03-18T09:12:44.000Z',
      LastModifiedDate: '2024-05-02T14:03:10.000Z',
      SystemModstamp: '2024-05-02T14:03:10.000Z',
      Conduit_Last_Replied__c: '2024-05-02',
      Conduit_Sequences__c: ['Q2 Outbound', 'Founders'],
      Conduit_Score__c: 87.5,
    });
  });

  it('round-trips every non-blank value with JSON types', () => {
    for (const [name, raw] of Object.entries(record)) {
      const d = byName.get(name);
      const decoded = d ? decodeSalesforceValue(d, raw) : undefined;
      if (!d || !decoded?.ok || decoded.value === null) continue;
      const encoded = encodeSalesforceValue(d, decoded.value);
      expect(encoded.ok).toBe(true);
      if (encoded.ok) {
        if (typeof raw === 'number' || typeof raw === 'boolean') expect(encoded.value).toBe(raw);
        // Email addresses are sent normalised (lower-case); everything else comes back unchanged.
        const expected = d.type === 'email' ? { ok: true, value: String(decoded.value).toLowerCase() } : decoded;
        expect(decodeSalesforceValue(d, encoded.value)).toEqual(expected);
      }
    }
  });

  it('knows its own types', () => {
    expect(isSalesforceFieldType('multipicklist')).toBe(true);
    expect(isSalesforceFieldType('address')).toBe(false);
  });
});
