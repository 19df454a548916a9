import { describe, expect, it } from '@jest/globals';
import { seedContacts, seedDemoData } from './seed.js';
import { HubspotStore } from './store.js';
import type { SearchFilter } from './search.js';

describe('HubSpot search by hs_object_id range (the id-ordered index)', () => {
  const store = new HubspotStore(1);
  seedDemoData(store, 1);
  seedContacts(store, 1, 3_000);
  const ids = [...(store.records.get('contacts')?.keys() ?? [])].map(Number).sort((a, b) => a - b);
  const search = (filters: SearchFilter[], twice = false) =>
    store
      .search('contacts', {
        // Two identical groups (OR) take the full scan: the same question without the index.
        filterGroups: twice ? [{ filters }, { filters }] : [{ filters }],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        limit: 200,
      })
      .results.map((r) => r.id);

  it('answers exactly as a full scan for GT/GTE/LT/LTE/EQ bounds, with other filters still applied', () => {
    const a = String(ids[100]);
    const b = String(ids[900]);
    const cases: SearchFilter[][] = [
      [{ propertyName: 'hs_object_id', operator: 'GT', value: a }],
      [{ propertyName: 'hs_object_id', operator: 'GTE', value: a }, { propertyName: 'hs_object_id', operator: 'LTE', value: b }],
      [{ propertyName: 'hs_object_id', operator: 'GT', value: a }, { propertyName: 'hs_object_id', operator: 'LT', value: b }, { propertyName: 'email', operator: 'HAS_PROPERTY' }],
      [{ propertyName: 'hs_object_id', operator: 'EQ', value: b }],
      [{ propertyName: 'hs_object_id', operator: 'GT', value: String(ids.at(-1)) }],
      [{ propertyName: 'hs_object_id', operator: 'GT', value: '0.5' }, { propertyName: 'hs_object_id', operator: 'LTE', value: `${a}.7` }],
    ];
    for (const filters of cases) {
      const fast = search(filters);
      expect(fast).toEqual(search(filters, true));
    }
    expect(search(cases[0]!)[0]).toBe(String(ids[101]));
    expect(search(cases[3]!)).toEqual([b]);
    expect(search(cases[4]!)).toEqual([]);
  });
});
