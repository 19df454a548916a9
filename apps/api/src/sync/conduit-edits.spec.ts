import { describe, expect, it } from '@jest/globals';
import { CONDUIT_CREATE_RULE, diffEdits, provenanceDocument } from './conduit-edits.js';

describe('diffEdits (provenance of edits made in Conduit)', () => {
  it('lists only the tracked fields that changed, with the previous value', () => {
    const before = { id: 'p1', firstName: 'Ada', jobTitle: 'CTO', city: null, updatedAt: new Date(1), customAttributes: {} };
    const after = { id: 'p1', firstName: 'Ada', jobTitle: 'CEO', city: 'Paris', updatedAt: new Date(2), customAttributes: {} };
    expect(diffEdits('person', before, after)).toEqual([
      { field: 'jobTitle', previousValue: 'CTO', value: 'CEO' },
      { field: 'city', previousValue: null, value: 'Paris' },
    ]);
  });

  it('treats blank, null and missing alike (no entry for "" → null)', () => {
    expect(diffEdits('person', { phone: '' }, { phone: null })).toEqual([]);
    expect(diffEdits('company', { industry: undefined }, { industry: null })).toEqual([]);
  });

  it('tracks custom attributes per key as custom.<key>, including removed keys', () => {
    const edits = diffEdits('person', { customAttributes: { tier: 'A', score: 3 } }, { customAttributes: { tier: 'B', region: 'EU' } });
    expect(edits).toEqual([
      { field: 'custom.region', previousValue: null, value: 'EU' },
      { field: 'custom.score', previousValue: 3, value: null },
      { field: 'custom.tier', previousValue: 'A', value: 'B' },
    ]);
  });

  it('compares company numbers by value', () => {
    expect(diffEdits('company', { employeeCount: 50, name: 'Acme' }, { employeeCount: 50, name: 'Acme Inc' })).toEqual([{ field: 'name', previousValue: 'Acme', value: 'Acme Inc' }]);
  });

  it('a created record: every non-blank tracked field and custom attribute, from nothing', () => {
    const created = diffEdits('company', {}, { name: 'Acme', domain: null, website: '', employeeCount: 0, customAttributes: { tier: 'gold', empty: '' }, workspaceId: 'w1' });
    expect(created).toEqual([
      { field: 'name', previousValue: null, value: 'Acme' },
      { field: 'employeeCount', previousValue: null, value: 0 },
      { field: 'custom.tier', previousValue: null, value: 'gold' },
    ]);
    expect(provenanceDocument(created, CONDUIT_CREATE_RULE)).toEqual({
      name: { crm_field: null, rule: 'conduit_create', previous_value: null, value: 'Acme' },
      employeeCount: { crm_field: null, rule: 'conduit_create', previous_value: null, value: 0 },
      'custom.tier': { crm_field: null, rule: 'conduit_create', previous_value: null, value: 'gold' },
    });
  });
});
