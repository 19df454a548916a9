import { describe, expect, it } from '@jest/globals';
import {
  COMPANY_FIELDS,
  getConduitValue,
  PERSON_FIELDS,
  readConduitValue,
  resolveConduitField,
  setConduitValue,
  standardFields,
  toConduitValue,
  type ConduitFieldRef,
} from './conduit-fields.js';

const ref = (object: 'contact' | 'company', field: string, type?: Parameters<typeof resolveConduitField>[2]): ConduitFieldRef => {
  const r = resolveConduitField(object, field, type);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('standard fields', () => {
  it('lists the Person and Company fields Conduit maps', () => {
    expect(PERSON_FIELDS.map((f) => f.name)).toEqual([
      'firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country', 'linkedinUrl', 'companyName', 'qualificationReasoning', 'leadStatus', 'engagementState',
    ]);
    expect(COMPANY_FIELDS.map((f) => f.name)).toEqual(['name', 'domain', 'website', 'industry', 'employeeCount', 'city', 'country']);
    expect(standardFields('contact')).toBe(PERSON_FIELDS);
    expect(standardFields('company')).toBe(COMPANY_FIELDS);
    expect(standardFields('activity')).toEqual([]);
  });
});

describe('resolveConduitField', () => {
  it.each<['contact' | 'company' | 'activity', string, string | undefined, object]>([
    ['contact', 'email', undefined, { kind: 'standard', name: 'email', type: 'email' }],
    ['contact', 'email', 'number', { kind: 'standard', name: 'email', type: 'email' }],
    ['company', 'employeeCount', undefined, { kind: 'standard', type: 'number' }],
    ['contact', 'custom.tier', undefined, { kind: 'custom', key: 'tier', type: 'string' }],
    ['contact', 'custom.seats_2024-q1', 'number', { kind: 'custom', key: 'seats_2024-q1', type: 'number' }],
    ['activity', 'custom.label', undefined, { kind: 'custom', key: 'label' }],
  ])('%s %s (%p) resolves', (object, field, type, expected) => {
    expect(resolveConduitField(object, field, type as never)).toMatchObject({ ok: true, value: expected });
  });

  it.each<['contact' | 'company' | 'activity', string]>([
    ['contact', 'name'],
    ['company', 'firstName'],
    ['contact', 'customAttributes'],
    ['contact', 'custom.'],
    ['contact', 'custom.a.b'],
    ['contact', 'custom.with space'],
    ['contact', `custom.${'k'.repeat(101)}`],
    ['activity', 'subject'],
  ])('%s %s does not resolve', (object, field) => {
    expect(resolveConduitField(object, field)).toMatchObject({ ok: false, error: { code: 'unknown_conduit_field' } });
  });
});

describe('get / set / read', () => {
  it('reads and writes standard fields and custom attributes without mutating', () => {
    const record = { firstName: 'Ada', customAttributes: { tier: 'gold' } };
    expect(getConduitValue(record, ref('contact', 'firstName'))).toBe('Ada');
    expect(getConduitValue(record, ref('contact', 'custom.tier'))).toBe('gold');
    expect(getConduitValue({ customAttributes: ['x'] }, ref('contact', 'custom.tier'))).toBeUndefined();
    expect(getConduitValue({}, ref('contact', 'custom.tier'))).toBeUndefined();
    const next = setConduitValue(setConduitValue(record, ref('contact', 'firstName'), 'Augusta'), ref('contact', 'custom.seats'), 3);
    expect(next).toEqual({ firstName: 'Augusta', customAttributes: { tier: 'gold', seats: 3 } });
    expect(record).toEqual({ firstName: 'Ada', customAttributes: { tier: 'gold' } });
  });

  it('canonicalises values on read', () => {
    expect(readConduitValue({ email: ' ADA@X.com ' }, ref('contact', 'email'))).toEqual({ blank: false, raw: ' ADA@X.com ', value: { ok: true, value: 'ada@x.com' } });
    expect(readConduitValue({ domain: 'https://www.acme.com/x' }, ref('company', 'domain'))).toMatchObject({ value: { ok: true, value: 'acme.com' } });
    expect(readConduitValue({ email: '  ' }, ref('contact', 'email'))).toEqual({ blank: true, raw: '  ' });
    expect(readConduitValue({ employeeCount: 'lots' }, ref('company', 'employeeCount'))).toMatchObject({ blank: false, value: { ok: false } });
  });

  it.each<[string, unknown, unknown]>([
    ['domain', 'ada@acme.com', 'acme.com'],
    ['domain', 'ACME.COM', 'acme.com'],
    ['employeeCount', '12', 12],
    ['name', '  Acme  ', 'Acme'],
  ])('toConduitValue(company.%s, %p) → %p', (field, value, expected) => {
    expect(toConduitValue(ref('company', field), value)).toEqual({ ok: true, value: expected });
  });

  it('fails on a domain that is not one', () => {
    expect(toConduitValue(ref('company', 'domain'), 'intranet')).toMatchObject({ ok: false, error: { code: 'invalid_domain' } });
  });
});
