import { describe, it, expect } from '@jest/globals';
import { defaultProperties, normalizeValue, type PropertyDefinition } from './properties.js';

const contactProps = new Map(defaultProperties('contacts').map((p) => [p.name, p]));
const def = (name: string): PropertyDefinition => {
  const d = contactProps.get(name);
  if (d === undefined) throw new Error(`no ${name}`);
  return d;
};

describe('contact property definitions', () => {
  it('has 90+ properties including the custom Conduit ones', () => {
    expect(contactProps.size).toBeGreaterThanOrEqual(90);
    expect(def('conduit_score').type).toBe('number');
    expect(def('conduit_score').hubspotDefined).toBe(false);
    expect(def('lastmodifieddate').modificationMetadata.readOnlyValue).toBe(true);
  });
});

describe('normalizeValue', () => {
  it('validates options, emails and numbers with HubSpot error codes', () => {
    expect(normalizeValue(def('lifecyclestage'), 'lead')).toEqual({ value: 'lead' });
    expect(normalizeValue(def('lifecyclestage'), 'Lead')).toMatchObject({ error: { code: 'INVALID_OPTION' } });
    expect(normalizeValue(def('hs_buying_role'), 'CHAMPION;END_USER')).toEqual({ value: 'CHAMPION;END_USER' });
    expect(normalizeValue(def('hs_buying_role'), 'CHAMPION;BOSS')).toMatchObject({ error: { code: 'INVALID_OPTION' } });
    expect(normalizeValue(def('email'), 'nope@')).toMatchObject({ error: { code: 'INVALID_EMAIL' } });
    expect(normalizeValue(def('conduit_score'), '12.5')).toEqual({ value: '12.5' });
    expect(normalizeValue(def('conduit_score'), '12,5')).toMatchObject({ error: { code: 'INVALID_DECIMAL' } });
    expect(normalizeValue(def('associatedcompanyid'), '1.5')).toMatchObject({ error: { code: 'INVALID_INTEGER' } });
    expect(normalizeValue(def('hs_email_optout'), 'yes')).toMatchObject({ error: { code: 'INVALID_BOOLEAN' } });
  });

  it('normalises datetimes to ISO 8601 from epoch ms or ISO input; empty clears', () => {
    expect(normalizeValue(def('closedate'), '1735689600000')).toEqual({ value: '2025-01-01T00:00:00.000Z' });
    expect(normalizeValue(def('closedate'), '2025-01-01T01:00:00+01:00')).toEqual({ value: '2025-01-01T00:00:00.000Z' });
    expect(normalizeValue(def('closedate'), 'tomorrow')).toMatchObject({ error: { code: 'INVALID_DATETIME' } });
    expect(normalizeValue(def('closedate'), '')).toEqual({ value: '' });
  });
});
