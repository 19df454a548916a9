import { describe, expect, it } from '@jest/globals';
import { hubspotContact } from '../__fixtures__/hubspot-contact.fixture.js';
import { hubspotContactProperties } from '../__fixtures__/hubspot-properties.fixture.js';
import type { CrmFieldDescriptor, HubSpotFieldType } from '../types.js';
import { decodeHubSpotValue, encodeHubSpotValue, HUBSPOT_MAX_STRING_LENGTH, isHubSpotFieldType } from './hubspot.codec.js';
import { hubspotObjectProperties, hubspotPropertiesToDescriptors } from './hubspot.fields.js';

const field = (type: HubSpotFieldType, extra: Partial<CrmFieldDescriptor> = {}): CrmFieldDescriptor => ({
  name: `p_${type}`,
  label: type,
  type,
  readOnly: false,
  custom: true,
  ...extra,
});
const STATUS = field('enumeration', {
  name: 'hs_lead_status',
  restricted: true,
  options: [
    { value: 'NEW', label: 'New' },
    { value: 'IN_PROGRESS', label: 'In Progress' },
    { value: 'OPEN_DEAL', label: 'Open Deal' },
  ],
});
const SEQUENCES = field('enumeration', {
  name: 'conduit_sequences',
  multiValued: true,
  options: [
    { value: 'q2_outbound', label: 'Q2 outbound' },
    { value: 'founders', label: 'Founders' },
  ],
});
const FREE_ENUM = field('enumeration', { name: 'free_enum' });

describe('decodeHubSpotValue: accepted', () => {
  it.each<[CrmFieldDescriptor, unknown, unknown]>([
    [field('string'), 'Ada', 'Ada'],
    [field('string'), '  Ada  ', 'Ada'],
    [field('phone_number'), '+44 20 7946 0958', '+44 20 7946 0958'],
    [field('number'), '1000', 1000],
    [field('number'), '1000.5', 1000.5],
    [field('number'), '-12.25', -12.25],
    [field('number'), 42, 42],
    [field('bool'), 'true', true],
    [field('bool'), 'false', false],
    [field('bool'), true, true],
    [field('date'), '2024-05-02', '2024-05-02'],
    [field('date'), '1714608000000', '2024-05-02'],
    [field('date'), '-4861728000000', '1815-12-10'],
    [field('date'), '2024-05-02T00:00:00.000Z', '2024-05-02'],
    [field('datetime'), '1714658590221', '2024-05-02T14:03:10.221Z'],
    [field('datetime'), '2024-05-02T14:03:10.221Z', '2024-05-02T14:03:10.221Z'],
    [field('datetime'), '2024-05-02T16:03:10.221+02:00', '2024-05-02T14:03:10.221Z'],
    [field('datetime'), '2024-05-02', '2024-05-02T00:00:00.000Z'],
    [STATUS, 'IN_PROGRESS', 'IN_PROGRESS'],
    [STATUS, 'in_progress', 'IN_PROGRESS'],
    [STATUS, 'Open Deal', 'OPEN_DEAL'],
    [FREE_ENUM, 'anything', 'anything'],
    [SEQUENCES, 'q2_outbound;founders', ['q2_outbound', 'founders']],
    [SEQUENCES, ';founders;;q2_outbound;founders', ['founders', 'q2_outbound']],
    [SEQUENCES, 'Founders', ['founders']],
  ])('%# %p ← %p', (f, raw, expected) => {
    expect(decodeHubSpotValue(f, raw)).toEqual({ ok: true, value: expected });
  });

  it.each([[null], [undefined], [''], ['   ']])('blank %p decodes to null for every type', (raw) => {
    for (const t of ['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number'] as const) {
      expect(decodeHubSpotValue(field(t), raw)).toEqual({ ok: true, value: null });
    }
  });
});

describe('decodeHubSpotValue: refused with a per-field error', () => {
  it.each<[CrmFieldDescriptor, unknown, string]>([
    [field('number'), '1,000', 'invalid_number'],
    [field('number'), '12 employees', 'invalid_number'],
    [field('number'), 'NaN', 'invalid_number'],
    [field('bool'), 'yes', 'invalid_boolean'],
    [field('bool'), '1', 'invalid_boolean'],
    [field('date'), '1714658590221', 'invalid_date'],
    [field('date'), '2024-02-30', 'invalid_date'],
    [field('date'), '05/02/2024', 'invalid_date'],
    [field('date'), '2024-05-02T14:03:10.221Z', 'invalid_date'],
    [field('datetime'), 'yesterday', 'invalid_datetime'],
    [field('datetime'), '2024-05-02T14:03:10', 'invalid_datetime'],
    [STATUS, 'CLOSED', 'invalid_option'],
    [SEQUENCES, 'q2_outbound;unknown', 'invalid_option'],
    [field('string'), { value: 'x' }, 'invalid_type'],
    [field('string'), ['x'], 'invalid_type'],
  ])('%# %p ← %p fails with %s', (f, raw, code) => {
    const r = decodeHubSpotValue(f, raw);
    expect(r).toMatchObject({ ok: false, error: { code } });
    if (!r.ok) expect(r.error.message).toContain(f.name);
  });
});

describe('encodeHubSpotValue: accepted (always strings)', () => {
  it.each<[CrmFieldDescriptor, unknown, string]>([
    [field('string'), 'Ada', 'Ada'],
    [field('string'), ' Ada ', 'Ada'],
    [field('string'), 42, '42'],
    [field('string'), true, 'true'],
    [field('phone_number'), '+1 555 0100', '+1 555 0100'],
    [field('number'), 1000.5, '1000.5'],
    [field('number'), '1000', '1000'],
    [field('number'), -3, '-3'],
    [field('number'), 1e21, '1000000000000000000000'],
    [field('bool'), true, 'true'],
    [field('bool'), false, 'false'],
    [field('bool'), 'TRUE', 'true'],
    [field('date'), '2024-05-02', '2024-05-02'],
    [field('date'), 1714608000000, '2024-05-02'],
    [field('date'), '2024-05-02T00:00:00Z', '2024-05-02'],
    [field('datetime'), '2024-05-02T16:03:10.221+02:00', '2024-05-02T14:03:10.221Z'],
    [field('datetime'), 1714658590221, '2024-05-02T14:03:10.221Z'],
    [field('datetime'), '2024-05-02', '2024-05-02T00:00:00.000Z'],
    [STATUS, 'NEW', 'NEW'],
    [STATUS, 'new', 'NEW'],
    [STATUS, 'In Progress', 'IN_PROGRESS'],
    [FREE_ENUM, 'whatever', 'whatever'],
    [SEQUENCES, ['founders', 'q2_outbound'], 'founders;q2_outbound'],
    [SEQUENCES, 'Founders; Q2 outbound', 'founders;q2_outbound'],
    [SEQUENCES, ['founders', 'Founders'], 'founders'],
    [field('string', { length: 3 }), 'abc', 'abc'],
  ])('%# %p ← %p gives %p', (f, value, expected) => {
    expect(encodeHubSpotValue(f, value)).toEqual({ ok: true, value: expected });
  });
});

describe('encodeHubSpotValue: refused', () => {
  it.each<[CrmFieldDescriptor, unknown, string]>([
    [field('number'), '1,000', 'invalid_number'],
    [field('number'), 'ten', 'invalid_number'],
    [field('number'), true, 'invalid_type'],
    [field('bool'), 'yes', 'invalid_boolean'],
    [field('date'), '2024-05-02T14:03:10.221Z', 'invalid_date'],
    [field('date'), 1714658590221, 'invalid_date'],
    [field('datetime'), 'soon', 'invalid_datetime'],
    [STATUS, 'CLOSED_WON', 'invalid_option'],
    [SEQUENCES, ['founders', 'nope'], 'invalid_option'],
    [field('string'), 'x'.repeat(HUBSPOT_MAX_STRING_LENGTH + 1), 'too_long'],
    [field('string', { length: 3 }), 'abcd', 'too_long'],
    [field('string'), '   ', 'invalid_type'],
    [field('string'), { a: 1 }, 'invalid_type'],
  ])('%# %p ← %p fails with %s', (f, value, code) => {
    const r = encodeHubSpotValue(f, value);
    expect(r).toMatchObject({ ok: false, error: { code } });
    if (!r.ok) expect(r.error.message).toContain(f.name);
  });

  it('lists the allowed options in the message', () => {
    const r = encodeHubSpotValue(STATUS, 'CLOSED_WON');
    expect(!r.ok && r.error.message).toContain('NEW, IN_PROGRESS, OPEN_DEAL');
  });

  it('summarises long option lists', () => {
    const many = field('enumeration', { options: Array.from({ length: 15 }, (_, i) => ({ value: `v${i}`, label: `V ${i}` })) });
    const r = encodeHubSpotValue(many, 'nope');
    expect(!r.ok && r.error.message).toContain('(15 options)');
  });
});

describe('recorded HubSpot contact against recorded property definitions', () => {
  const descriptors = hubspotPropertiesToDescriptors(hubspotContactProperties);
  const props = hubspotObjectProperties(hubspotContact);
  const byName = new Map(descriptors.map((d) => [d.name, d]));

  it('decodes every mapped property to a typed value', () => {
    const decoded: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(props)) {
      const d = byName.get(name);
      if (!d) continue;
      const r = decodeHubSpotValue(d, raw);
      expect(r.ok).toBe(true);
      if (r.ok) decoded[name] = r.value;
    }
    expect(decoded).toEqual({
      annualrevenue: 1250000.5,
      city: 'London',
      company: 'Analytical Engines Ltd',
      conduit_first_contacted_at: '2024-05-02T14:03:10.221Z',
      conduit_last_replied_date: '2024-05-02',
      conduit_qualification_reasoning: null,
      conduit_sequences: ['q2_outbound', 'founders'],
      country: 'United Kingdom',
      createdate: '2024-03-18T09:12:44.913Z',
      date_of_birth: '1815-12-10',
      email: 'Ada.Lovelace@Analytical-Engines.co.uk',
      firstname: 'Ada',
      hs_email_optout: false,
      hs_lead_status: 'IN_PROGRESS',
      hs_linkedin_url: 'https://www.linkedin.com/in/ada-lovelace',
      hs_object_id: 51,
      hubspot_owner_id: '82645126',
      jobtitle: 'Head of Computation',
      lastmodifieddate: '2024-05-02T14:03:10.221Z',
      lastname: 'King Lovelace',
      lifecyclestage: 'lead',
      phone: '+44 20 7946 0958',
    });
  });

  it('round-trips every non-blank value: encode(decode(x)) decodes to the same value', () => {
    for (const [name, raw] of Object.entries(props)) {
      const d = byName.get(name);
      const decoded = d ? decodeHubSpotValue(d, raw) : undefined;
      if (!d || !decoded?.ok || decoded.value === null) continue;
      const encoded = encodeHubSpotValue(d, decoded.value);
      expect(encoded.ok).toBe(true);
      if (encoded.ok) {
        expect(typeof encoded.value).toBe('string');
        expect(decodeHubSpotValue(d, encoded.value)).toEqual(decoded);
      }
    }
  });

  it('knows its own types', () => {
    expect(isHubSpotFieldType('enumeration')).toBe(true);
    expect(isHubSpotFieldType('object_coordinates')).toBe(false);
  });
});
