import { describe, expect, it } from '@jest/globals';
import { blankCrmValue, decodeCrmValue, descriptorForRow, encodeCrmValue, findCrmField, getCrmValue } from './codec.js';
import type { CrmFieldDescriptor, MappingRow } from './types.js';

const field = (name: string, type: CrmFieldDescriptor['type']): CrmFieldDescriptor => ({ name, label: name, type, readOnly: false, custom: false });
const row = (crmField: string, extra: Partial<MappingRow> = {}): MappingRow => ({ conduitField: 'x', crmField, importPriority: 'crm', exportBehaviour: 'overwrite', ...extra });

describe('CRM dispatch', () => {
  it('decodes and encodes with the right CRM rules', () => {
    expect(decodeCrmValue('hubspot', field('n', 'number'), '12')).toEqual({ ok: true, value: 12 });
    expect(decodeCrmValue('salesforce', field('n', 'double'), 12)).toEqual({ ok: true, value: 12 });
    expect(encodeCrmValue('hubspot', field('n', 'number'), 12)).toEqual({ ok: true, value: '12' });
    expect(encodeCrmValue('salesforce', field('n', 'double'), '12')).toEqual({ ok: true, value: 12 });
  });

  it('clears with an empty string in HubSpot and null in Salesforce', () => {
    expect(blankCrmValue('hubspot')).toBe('');
    expect(blankCrmValue('salesforce')).toBeNull();
  });
});

describe('findCrmField / getCrmValue', () => {
  const fields = [field('FirstName', 'string'), field('firstname', 'string')];

  it('prefers the exact name, then (Salesforce only) any case', () => {
    expect(findCrmField('salesforce', fields, 'firstname')).toBe(fields[1]);
    expect(findCrmField('salesforce', [field('FirstName', 'string')], 'FIRSTNAME')?.name).toBe('FirstName');
    expect(findCrmField('hubspot', [field('FirstName', 'string')], 'firstname')).toBeUndefined();
  });

  it.each<['hubspot' | 'salesforce', Record<string, unknown>, string, unknown]>([
    ['hubspot', { firstname: 'Ada' }, 'firstname', 'Ada'],
    ['hubspot', { firstname: 'Ada' }, 'FirstName', undefined],
    ['salesforce', { FirstName: 'Grace' }, 'firstname', 'Grace'],
    ['salesforce', { FirstName: null }, 'FirstName', null],
    ['salesforce', {}, 'FirstName', undefined],
  ])('%s: %p[%s] → %p', (crm, record, name, expected) => {
    expect(getCrmValue(crm, record, name)).toBe(expected);
  });
});

describe('descriptorForRow', () => {
  it('uses the discovered field when fields are given', () => {
    const discovered = field('Email', 'email');
    expect(descriptorForRow('salesforce', row('email'), [discovered])).toEqual({ ok: true, value: discovered });
    expect(descriptorForRow('salesforce', row('Mail'), [discovered])).toMatchObject({ ok: false, error: { code: 'unknown_field' } });
  });

  it('builds one from the row otherwise', () => {
    expect(descriptorForRow('hubspot', row('score', { crmType: 'number' }))).toEqual({
      ok: true,
      value: { name: 'score', label: 'score', type: 'number', readOnly: false, custom: false },
    });
    expect(descriptorForRow('hubspot', row('note'))).toMatchObject({ ok: true, value: { type: 'string' } });
    expect(descriptorForRow('hubspot', row('tags', { crmType: 'enumeration', conduitType: 'multi_enumeration' }))).toMatchObject({
      ok: true,
      value: { type: 'enumeration', multiValued: true },
    });
  });
});
