import { describe, expect, it } from '@jest/globals';
import type { ValidationError } from 'class-validator';
import { flattenValidationErrors } from './validation.js';

describe('flattenValidationErrors', () => {
  it('builds dotted paths through nested objects and arrays', () => {
    const tree: ValidationError[] = [
      { property: 'name', constraints: { isString: 'name must be a string' }, children: [] },
      {
        property: 'people',
        children: [
          { property: '3', children: [{ property: 'email', constraints: { isEmail: 'email must be an email' }, children: [] }] },
        ],
      },
    ];
    expect(flattenValidationErrors(tree)).toEqual([
      { field: 'name', messages: ['name must be a string'] },
      { field: 'people.3.email', messages: ['email must be an email'] },
    ]);
  });
});
