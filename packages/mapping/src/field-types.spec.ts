import { describe, expect, it } from '@jest/globals';
import { crmValueType, typeCompatibility, type TypeCompatibility } from './field-types.js';
import type { CrmFieldType, FieldType } from './types.js';

describe('crmValueType', () => {
  it.each<[CrmFieldType, boolean | undefined, FieldType]>([
    ['string', undefined, 'string'],
    ['number', undefined, 'number'],
    ['date', undefined, 'date'],
    ['datetime', undefined, 'datetime'],
    ['enumeration', undefined, 'enumeration'],
    ['enumeration', true, 'multi_enumeration'],
    ['bool', undefined, 'boolean'],
    ['phone_number', undefined, 'phone'],
    ['textarea', undefined, 'text'],
    ['email', undefined, 'email'],
    ['phone', undefined, 'phone'],
    ['url', undefined, 'url'],
    ['picklist', undefined, 'enumeration'],
    ['multipicklist', undefined, 'multi_enumeration'],
    ['boolean', undefined, 'boolean'],
    ['double', undefined, 'number'],
    ['int', undefined, 'number'],
    ['currency', undefined, 'number'],
    ['percent', undefined, 'number'],
    ['id', undefined, 'string'],
    ['reference', undefined, 'string'],
  ])('%s (multi %p) holds %s', (type, multiValued, expected) => {
    expect(crmValueType({ type, ...(multiValued !== undefined ? { multiValued } : {}) })).toBe(expected);
  });
});

describe('typeCompatibility (from → to)', () => {
  it.each<[FieldType, FieldType, TypeCompatibility]>([
    ['string', 'string', 'ok'],
    ['number', 'string', 'ok'],
    ['boolean', 'text', 'ok'],
    ['multi_enumeration', 'text', 'ok'],
    ['date', 'string', 'ok'],
    ['text', 'number', 'lossy'],
    ['string', 'boolean', 'lossy'],
    ['enumeration', 'number', 'lossy'],
    ['date', 'number', 'incompatible'],
    ['boolean', 'number', 'incompatible'],
    ['number', 'boolean', 'incompatible'],
    ['string', 'enumeration', 'lossy'],
    ['number', 'enumeration', 'incompatible'],
    ['string', 'email', 'ok'],
    ['enumeration', 'url', 'ok'],
    ['phone', 'url', 'ok'],
    ['boolean', 'phone', 'incompatible'],
    ['enumeration', 'multi_enumeration', 'ok'],
    ['string', 'multi_enumeration', 'lossy'],
    ['number', 'multi_enumeration', 'incompatible'],
    ['date', 'datetime', 'ok'],
    ['string', 'datetime', 'lossy'],
    ['number', 'datetime', 'lossy'],
    ['boolean', 'datetime', 'incompatible'],
    ['datetime', 'date', 'lossy'],
    ['string', 'date', 'lossy'],
    ['boolean', 'date', 'incompatible'],
    ['multi_enumeration', 'date', 'incompatible'],
  ])('%s → %s is %s', (from, to, expected) => {
    expect(typeCompatibility(from, to)).toBe(expected);
  });
});
