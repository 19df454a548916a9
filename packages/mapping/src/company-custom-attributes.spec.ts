import { describe, expect, it } from '@jest/globals';
import { diffForExport } from './diff-for-export.js';
import { applyChanges, mergeOnImport } from './merge-on-import.js';
import type { CrmFieldDescriptor, ImportPriority, MappingRow } from './types.js';
import { validateMapping } from './validate-mapping.js';

/** Company custom attributes (`custom.<key>` on the Companies tab) behave like a person's. */
const NOW = new Date('2024-06-01T12:00:00.000Z');
const TIER: CrmFieldDescriptor = { name: 'conduit_tier', label: 'Tier', type: 'string', readOnly: false, custom: true };
const DOMAIN: CrmFieldDescriptor = { name: 'domain', label: 'Domain', type: 'string', readOnly: false, custom: false };
const row = (importPriority: ImportPriority, exportBehaviour: MappingRow['exportBehaviour'] = 'fill_if_empty'): MappingRow => ({
  conduitField: 'custom.tier',
  crmField: 'conduit_tier',
  importPriority,
  exportBehaviour,
  crmType: 'string',
});
const source = { crm: 'hubspot' as const, connectionId: 'c1', crmRecordId: '42' };

describe('company custom attributes', () => {
  it('a Companies-tab row may target a custom attribute; an invalid key is an error on the row', () => {
    expect(validateMapping({ crm: 'hubspot', object: 'company', rows: [row('crm')], fields: [TIER, DOMAIN] }).issues).toEqual([]);
    const bad = validateMapping({ crm: 'hubspot', object: 'company', rows: [{ ...row('crm'), conduitField: 'custom.no spaces' }], fields: [TIER, DOMAIN] });
    expect(bad.issues).toEqual([expect.objectContaining({ rowIndex: 0, field: 'custom.no spaces', severity: 'error', code: 'unknown_conduit_field' })]);
  });

  it.each([
    ['crm', { tier: 'silver', other: 1 }, 'gold', 'gold'],
    ['crm', {}, 'gold', 'gold'],
    ['conduit', { tier: 'silver', other: 1 }, 'gold', null],
    ['conduit', { tier: '  ' }, 'gold', 'gold'],
  ] as const)('import, %s wins, Conduit %j, CRM %s → %s', (priority, attrs, crmValue, expected) => {
    const conduitRecord = { name: 'Acme', customAttributes: attrs };
    const merge = mergeOnImport({ object: 'company', rows: [row(priority)], conduitRecord, crmRecord: { conduit_tier: crmValue }, now: NOW, source });
    expect(merge.errors).toEqual([]);
    if (expected === null) {
      expect(merge.changes).toEqual([]);
      return;
    }
    expect(merge.changes).toEqual([expect.objectContaining({ field: 'custom.tier', newValue: expected, crmField: 'conduit_tier' })]);
    const next = applyChanges('company', conduitRecord, merge.changes);
    expect(next['customAttributes']).toEqual({ ...attrs, tier: expected });
    expect(conduitRecord.customAttributes).toEqual(attrs); // not mutated
  });

  it('export per behaviour: created with the value, fill if empty keeps a filled CRM value, overwrite replaces it, do not export never sends', () => {
    const conduitRecord = { name: 'Acme', domain: 'acme.test', customAttributes: { tier: 'gold' } };
    const diff = (behaviour: MappingRow['exportBehaviour'], crmCurrent: Record<string, string> | null) =>
      diffForExport({ crm: 'hubspot', object: 'company', rows: [row('crm', behaviour)], conduitRecord, crmCurrent, fields: [TIER, DOMAIN] }).properties;
    expect(diff('fill_if_empty', null)).toEqual({ conduit_tier: 'gold' });
    expect(diff('fill_if_empty', { conduit_tier: '' })).toEqual({ conduit_tier: 'gold' });
    expect(diff('fill_if_empty', { conduit_tier: 'bronze' })).toEqual({});
    expect(diff('overwrite', { conduit_tier: 'bronze' })).toEqual({ conduit_tier: 'gold' });
    expect(diff('do_not_export', null)).toEqual({});
  });
});
