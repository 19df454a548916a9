import { describe, expect, it } from '@jest/globals';
import type { ValidationError } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { isStorable, MAX_INPUT_DEPTH, UNSTORABLE_MESSAGE, unstorableFields } from './storable-input.js';
import { disallowedNulls, documentNullable, flattenValidationErrors } from './validation.js';

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

describe('unstorableFields', () => {
  it('names NUL and unpaired surrogates by dotted path, keys by their parent, and passes every other character', () => {
    const body = {
      ok: 'tab\tnewline\n\u0001 emoji 😀 é',
      nul: 'a\u0000b',
      high: 'x\ud800',
      low: '\udc00y',
      nested: { list: ['fine', 'bad\u0000'], deep: { [`k\u0000`]: 1 } },
    };
    expect(unstorableFields(body)).toEqual([
      { field: 'nul', messages: [`nul ${UNSTORABLE_MESSAGE}`] },
      { field: 'high', messages: [`high ${UNSTORABLE_MESSAGE}`] },
      { field: 'low', messages: [`low ${UNSTORABLE_MESSAGE}`] },
      { field: 'nested.list.1', messages: [`nested.list.1 ${UNSTORABLE_MESSAGE}`] },
      { field: 'nested.deep', messages: [`a key of nested.deep ${UNSTORABLE_MESSAGE}`] },
    ]);
    expect(unstorableFields('\u0000', 'search')).toEqual([{ field: 'search', messages: [`search ${UNSTORABLE_MESSAGE}`] }]);
    expect(unstorableFields({ rows: ['\u0000'], other: '\u0000' }, '', (p) => p === 'rows').map((e) => e.field)).toEqual(['other']);
  });

  it('accepts every well-formed string and refuses every string with a lone surrogate or NUL', () => {
    const wrong: number[] = [];
    for (let cu = 0; cu <= 0xffff; cu++) {
      const lone = cu >= 0xd800 && cu <= 0xdfff;
      if (isStorable(`a${String.fromCharCode(cu)}b`) !== (!lone && cu !== 0)) wrong.push(cu);
    }
    expect(wrong).toEqual([]);
    expect(isStorable('\ud83d\ude00')).toBe(true);
    expect(isStorable('\ude00\ud83d')).toBe(false);
  });

  it('refuses JSON nested deeper than MAX_INPUT_DEPTH instead of recursing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(unstorableFields({ a: deep })).toEqual([{ field: `a${'.0'.repeat(MAX_INPUT_DEPTH - 1)}`, messages: [expect.stringContaining(`more than ${MAX_INPUT_DEPTH} levels`)] }]);
  });
});

describe('disallowedNulls', () => {
  class Inner {
    @ApiPropertyOptional({ nullable: true }) clearable?: string | null;
    @ApiPropertyOptional() flag?: boolean;
  }
  class Outer {
    @ApiPropertyOptional() name?: string;
    @ApiPropertyOptional({ type: Inner }) inner?: Inner;
    @ApiPropertyOptional({ type: 'object', additionalProperties: true }) free?: Record<string, unknown>;
  }
  class Patch extends Outer {}
  documentNullable(Patch, ['name']);

  it('allows null only where the OpenAPI metadata says nullable, in nested DTOs too, never inside free-form objects', () => {
    const inner = Object.assign(new Inner(), { clearable: null, flag: null });
    const outer = Object.assign(new Outer(), { name: null, inner, free: { anything: null } });
    expect(disallowedNulls(outer).map((e) => e.field)).toEqual(['name', 'inner.flag']);
    expect(disallowedNulls(Object.assign(new Patch(), { name: null }))).toEqual([]);
    expect(disallowedNulls([Object.assign(new Inner(), { flag: null })], 'rows').map((e) => e.field)).toEqual(['rows.0.flag']);
    expect(disallowedNulls({ plain: null })).toEqual([]);
  });
});
