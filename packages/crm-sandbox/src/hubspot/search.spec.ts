import { describe, it, expect } from '@jest/globals';
import { compileFilter, compileFilterGroups, compileQuery, compileSort, normalizeSorts, sortRecords, SearchFilterError, type SearchFilter } from './search.js';
import type { PropertyType } from './properties.js';

const TYPES: Record<string, PropertyType> = {
  email: 'string', firstname: 'string', country: 'string', conduit_score: 'number', lastmodifieddate: 'datetime',
  lifecyclestage: 'enumeration', hs_buying_role: 'enumeration', hs_email_optout: 'bool',
};
const typeOf = (name: string): PropertyType | undefined => TYPES[name];
const matches = (filter: SearchFilter, props: Record<string, string>): boolean => compileFilter(filter, typeOf)(props);

describe('search filter evaluation', () => {
  const ada = { email: 'Ada.Lovelace@Analytical.example', firstname: 'Ada', country: 'Germany', conduit_score: '72', lastmodifieddate: '2025-03-01T10:00:00.000Z', lifecyclestage: 'lead', hs_buying_role: 'CHAMPION;DECISION_MAKER' };

  it('EQ / NEQ are case-insensitive for text and exact for numbers', () => {
    expect(matches({ propertyName: 'email', operator: 'EQ', value: 'ada.lovelace@analytical.example' }, ada)).toBe(true);
    expect(matches({ propertyName: 'conduit_score', operator: 'EQ', value: '72.0' }, ada)).toBe(true);
    expect(matches({ propertyName: 'country', operator: 'NEQ', value: 'germany' }, ada)).toBe(false);
    expect(matches({ propertyName: 'country', operator: 'NEQ', value: 'France' }, ada)).toBe(true);
    expect(matches({ propertyName: 'jobtitle', operator: 'NEQ', value: 'CEO' }, ada)).toBe(true);
  });

  it('compares numbers numerically and datetimes as instants (epoch ms or ISO)', () => {
    expect(matches({ propertyName: 'conduit_score', operator: 'GT', value: '8' }, ada)).toBe(true);
    expect(matches({ propertyName: 'conduit_score', operator: 'LT', value: '8' }, ada)).toBe(false);
    expect(matches({ propertyName: 'conduit_score', operator: 'LTE', value: '72' }, ada)).toBe(true);
    expect(matches({ propertyName: 'conduit_score', operator: 'BETWEEN', value: '70', highValue: '80' }, ada)).toBe(true);
    const ms = String(Date.parse('2025-03-01T10:00:00.000Z'));
    expect(matches({ propertyName: 'lastmodifieddate', operator: 'GTE', value: ms }, ada)).toBe(true);
    expect(matches({ propertyName: 'lastmodifieddate', operator: 'GT', value: ms }, ada)).toBe(false);
    expect(matches({ propertyName: 'lastmodifieddate', operator: 'LT', value: '2025-03-02' }, ada)).toBe(true);
    // Missing values never satisfy a range.
    expect(matches({ propertyName: 'conduit_score', operator: 'GT', value: '1' }, { email: 'x@y.z' })).toBe(false);
  });

  it('IN / NOT_IN match any part of a multi-select value', () => {
    expect(matches({ propertyName: 'lifecyclestage', operator: 'IN', values: ['lead', 'customer'] }, ada)).toBe(true);
    expect(matches({ propertyName: 'hs_buying_role', operator: 'IN', values: ['DECISION_MAKER'] }, ada)).toBe(true);
    expect(matches({ propertyName: 'hs_buying_role', operator: 'NOT_IN', values: ['CHAMPION'] }, ada)).toBe(false);
    expect(matches({ propertyName: 'country', operator: 'NOT_IN', values: ['france'] }, {})).toBe(true);
  });

  it('HAS_PROPERTY treats empty strings as unset', () => {
    expect(matches({ propertyName: 'firstname', operator: 'HAS_PROPERTY' }, ada)).toBe(true);
    expect(matches({ propertyName: 'firstname', operator: 'HAS_PROPERTY' }, { firstname: '' })).toBe(false);
    expect(matches({ propertyName: 'firstname', operator: 'NOT_HAS_PROPERTY' }, {})).toBe(true);
  });

  it('CONTAINS_TOKEN matches whole tokens and * wildcards', () => {
    expect(matches({ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@analytical.example' }, ada)).toBe(true);
    expect(matches({ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'lovelace' }, ada)).toBe(true);
    expect(matches({ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'love' }, ada)).toBe(false);
    expect(matches({ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'love*' }, ada)).toBe(true);
    expect(matches({ propertyName: 'email', operator: 'NOT_CONTAINS_TOKEN', value: 'lovelace' }, ada)).toBe(false);
  });

  it('ORs groups and ANDs filters within a group', () => {
    const match = compileFilterGroups([
      { filters: [{ propertyName: 'country', operator: 'EQ', value: 'France' }] },
      { filters: [{ propertyName: 'country', operator: 'EQ', value: 'Germany' }, { propertyName: 'lifecyclestage', operator: 'EQ', value: 'customer' }] },
    ], typeOf);
    expect(match(ada)).toBe(false);
    expect(match({ ...ada, lifecyclestage: 'customer' })).toBe(true);
    expect(match({ country: 'France' })).toBe(true);
    expect(compileFilterGroups([], typeOf)(ada)).toBe(true);
  });

  it('rejects filters without the values they need', () => {
    expect(() => compileFilter({ propertyName: 'email', operator: 'EQ' }, typeOf)).toThrow(SearchFilterError);
    expect(() => compileFilter({ propertyName: 'country', operator: 'IN' }, typeOf)).toThrow(SearchFilterError);
    expect(() => compileFilter({ propertyName: 'conduit_score', operator: 'GT', value: 'abc' }, typeOf)).toThrow(SearchFilterError);
  });

  it('free-text query prefix-matches tokens of searchable properties', () => {
    const q = compileQuery('ada love', ['firstname', 'email']);
    expect(q(ada)).toBe(true);
    expect(compileQuery('bob', ['firstname'])(ada)).toBe(false);
  });
});

describe('search sorting', () => {
  const rows = [
    { id: '3', properties: { conduit_score: '10', lastmodifieddate: '2025-01-02T00:00:00.000Z' } },
    { id: '1', properties: { conduit_score: '9', lastmodifieddate: '2025-01-02T00:00:00.000Z' } },
    { id: '2', properties: { lastmodifieddate: '2025-01-01T00:00:00.000Z' } },
  ];

  it('sorts numerically with missing values last and ties broken by id', () => {
    const byScore = [...rows].sort(compileSort([{ propertyName: 'conduit_score', direction: 'ASCENDING' }], typeOf));
    expect(byScore.map((r) => r.id)).toEqual(['1', '3', '2']);
    const byModified = [...rows].sort(compileSort([{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }], typeOf));
    expect(byModified.map((r) => r.id)).toEqual(['2', '1', '3']);
    const desc = [...rows].sort(compileSort([{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }], typeOf));
    expect(desc.map((r) => r.id)).toEqual(['1', '3', '2']);
  });

  it('sortRecords orders exactly like compileSort', () => {
    for (const sorts of [
      [{ propertyName: 'conduit_score', direction: 'ASCENDING' as const }],
      [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' as const }, { propertyName: 'conduit_score', direction: 'DESCENDING' as const }],
      [],
    ]) {
      const expected = [...rows].sort(compileSort(sorts, typeOf)).map((r) => r.id);
      expect(sortRecords([...rows], sorts, typeOf).map((r) => r.id)).toEqual(expected);
    }
  });

  it('accepts the legacy string form of sorts', () => {
    expect(normalizeSorts(['-createdate', 'email', { propertyName: 'x' }])).toEqual([
      { propertyName: 'createdate', direction: 'DESCENDING' },
      { propertyName: 'email', direction: 'ASCENDING' },
      { propertyName: 'x', direction: 'ASCENDING' },
    ]);
  });
});
