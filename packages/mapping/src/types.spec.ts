import { describe, expect, it } from '@jest/globals';
import { coerceValue } from './coerce.js';
import { typeCompatibility } from './field-types.js';
import { CRM_KINDS, FIELD_TYPES } from './types.js';
import { defaultMappings } from './default-mappings.js';

describe('type lists', () => {
  it('lists each CRM once, each with default mappings', () => {
    expect(CRM_KINDS).toEqual(['hubspot', 'salesforce']);
    for (const crm of CRM_KINDS) expect(defaultMappings(crm, 'contact').length).toBeGreaterThan(0);
  });

  it.each(FIELD_TYPES.map((t) => [t]))('%s is handled everywhere', (type) => {
    expect(FIELD_TYPES.filter((t) => t === type)).toHaveLength(1);
    expect(typeCompatibility(type, type)).toBe('ok');
    expect(() => coerceValue('x', type)).not.toThrow();
  });
});
