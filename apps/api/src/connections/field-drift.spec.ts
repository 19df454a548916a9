import { describe, expect, it } from '@jest/globals';
import type { CrmFieldDto } from '@conduit/contracts';
import { fieldDrift, toFieldDto } from './discovery.service.js';

const field = (name: string, patch: Partial<CrmFieldDto> = {}): CrmFieldDto => ({ name, label: name, type: 'string', crmType: 'text', readOnly: false, custom: false, ...patch });

describe('fieldDrift', () => {
  it('is null when nothing changed (labels and order do not count)', () => {
    expect(fieldDrift([field('a'), field('b')], [field('b', { label: 'B!' }), field('a')])).toBeNull();
  });

  it('lists added and removed fields', () => {
    expect(fieldDrift([field('a'), field('gone')], [field('a'), field('new')])).toEqual({ added: ['new'], removed: ['gone'], changed: [] });
  });

  it('describes type and option changes', () => {
    const before = [
      field('score', { type: 'string', crmType: 'text' }),
      field('status', { type: 'enumeration', crmType: 'select', options: [{ value: 'NEW', label: 'New' }, { value: 'OLD', label: 'Old' }] }),
    ];
    const after = [
      field('score', { type: 'number', crmType: 'number' }),
      field('status', { type: 'enumeration', crmType: 'select', options: [{ value: 'NEW', label: 'New' }, { value: 'HOT', label: 'Hot' }] }),
    ];
    expect(fieldDrift(before, after)).toEqual({
      added: [],
      removed: [],
      changed: [
        { name: 'score', changes: ['type string/text → number/number'] },
        { name: 'status', changes: ['options added: HOT', 'options removed: OLD'] },
      ],
    });
  });
});

describe('toFieldDto', () => {
  it('keeps what the dialog and validation need and drops empty options', () => {
    expect(toFieldDto({ name: 'Company', label: 'Company', type: 'string', crmType: 'string', length: 255, readOnly: false, required: true, custom: false, options: [] })).toEqual({
      name: 'Company',
      label: 'Company',
      type: 'string',
      crmType: 'string',
      length: 255,
      readOnly: false,
      required: true,
      custom: false,
    });
  });
});
