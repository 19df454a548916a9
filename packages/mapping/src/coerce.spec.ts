import { describe, expect, it } from '@jest/globals';
import {
  coerceValue,
  dateOnlyToEpoch,
  epochToDateOnly,
  formatDecimal,
  parseBooleanString,
  parseDateOnly,
  parseDecimal,
  parseIsoDateTime,
  splitMulti,
  typedValuesEqual,
} from './coerce.js';
import type { FieldType } from './types.js';

const MAY_2 = 1714608000000; // 2024-05-02T00:00:00.000Z
const MAY_2_AFTERNOON = 1714658590221; // 2024-05-02T14:03:10.221Z

describe('parseDecimal', () => {
  it.each([
    ['1000', 1000],
    ['1000.5', 1000.5],
    [' 42 ', 42],
    ['-3', -3],
    ['+7', 7],
    ['0', 0],
    ['.5', 0.5],
    ['5.', 5],
    ['007', 7],
  ])('%p → %p', (s, n) => {
    expect(parseDecimal(s)).toBe(n);
  });
  it.each([['1,000'], ['1 000'], ['1e3'], ['12abc'], [''], ['  '], ['.'], ['-'], ['NaN'], ['Infinity'], ['0x10'], ['1.2.3'], ['9'.repeat(400)]])(
    'rejects %p',
    (s) => {
      expect(parseDecimal(s)).toBeNull();
    },
  );
});

describe('formatDecimal', () => {
  it.each([
    [1000.5, '1000.5'],
    [-3, '-3'],
    [0, '0'],
    [1e21, '1000000000000000000000'],
    [-1e21, '-1000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.5e-7, '-0.00000015'],
  ])('%p → %p, which parses back', (n, s) => {
    expect(formatDecimal(n)).toBe(s);
    expect(parseDecimal(s)).toBe(n);
  });
});

describe('parseBooleanString', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['TRUE', true],
    [' False ', false],
    ['yes', null],
    ['1', null],
    ['', null],
  ])('%p → %p', (s, b) => {
    expect(parseBooleanString(s)).toBe(b);
  });
});

describe('parseDateOnly', () => {
  it.each([
    ['2024-05-02', '2024-05-02'],
    [' 2024-02-29 ', '2024-02-29'],
    ['2023-02-29', null],
    ['2024-13-01', null],
    ['2024-00-10', null],
    ['2024-04-31', null],
    ['2024-04-00', null],
    ['2024-5-2', null],
    ['02/05/2024', null],
    ['2024-05-02T00:00:00Z', null],
  ])('%p → %p', (s, d) => {
    expect(parseDateOnly(s)).toBe(d);
  });
});

describe('parseIsoDateTime', () => {
  it.each([
    ['2024-05-02T14:03:10.221Z', MAY_2_AFTERNOON],
    ['2024-05-02T14:03:10.221z', MAY_2_AFTERNOON],
    ['2024-05-02T16:03:10.221+02:00', MAY_2_AFTERNOON],
    ['2024-05-02T16:03:10.221+0200', MAY_2_AFTERNOON],
    ['2024-05-02T09:03:10.221-05', MAY_2_AFTERNOON],
    ['2024-05-02T14:03:10.221000Z', MAY_2_AFTERNOON],
    ['2024-05-02 14:03:10.221Z', MAY_2_AFTERNOON],
    ['2024-05-02T00:00:00.000+0000', MAY_2],
    ['2024-05-02T00:00Z', MAY_2],
    ['2024-05-02T00:00:00Z', MAY_2],
  ])('%p → %p', (s, ms) => {
    expect(parseIsoDateTime(s)).toBe(ms);
  });
  it.each([
    ['2024-05-02T14:03:10'],
    ['2024-05-02'],
    ['2024-05-02T24:00:00Z'],
    ['2024-05-02T12:60:00Z'],
    ['2024-05-02T12:00:61Z'],
    ['2024-02-30T12:00:00Z'],
    ['2024-05-02T12:00:00+15:00'],
    ['2024-05-02T12:00:00+01:75'],
    ['yesterday'],
  ])('rejects %p', (s) => {
    expect(parseIsoDateTime(s)).toBeNull();
  });
});

describe('epoch helpers', () => {
  it('converts midnight UTC epochs to dates and back', () => {
    expect(epochToDateOnly(MAY_2)).toBe('2024-05-02');
    expect(dateOnlyToEpoch('2024-05-02')).toBe(MAY_2);
    expect(epochToDateOnly(-4861728000000)).toBe('1815-12-10');
  });
  it.each([[MAY_2_AFTERNOON], [MAY_2 + 1], [1.5], [Number.NaN], [Infinity], [9e15]])('refuses %p as a date', (ms) => {
    expect(epochToDateOnly(ms)).toBeNull();
  });
});

describe('splitMulti', () => {
  it.each([
    ['a;b;c', ['a', 'b', 'c']],
    [' a ; b ;; c ;', ['a', 'b', 'c']],
    ['a;a;b', ['a', 'b']],
    ['single', ['single']],
    [';;', []],
  ])('%p → %p', (s, values) => {
    expect(splitMulti(s)).toEqual(values);
  });
});

type Case = [FieldType, unknown, unknown];

describe('coerceValue: accepted conversions', () => {
  it.each<Case>([
    ['string', '  Ada  ', 'Ada'],
    ['string', 42, '42'],
    ['string', 1000.5, '1000.5'],
    ['string', 1e21, '1000000000000000000000'],
    ['string', true, 'true'],
    ['string', false, 'false'],
    ['string', new Date(MAY_2_AFTERNOON), '2024-05-02T14:03:10.221Z'],
    ['string', ['a', 'b', 'a'], 'a;b'],
    ['text', 'line one\nline two', 'line one\nline two'],
    ['phone', ' +44 20 7946 0958 ', '+44 20 7946 0958'],
    ['url', 'https://acme.com', 'https://acme.com'],
    ['enumeration', 'NEW', 'NEW'],
    ['enumeration', 3, '3'],
    ['email', ' Ada@Example.COM ', 'ada@example.com'],
    ['number', 12, 12],
    ['number', -0.5, -0.5],
    ['number', '1000.5', 1000.5],
    ['number', ' 250 ', 250],
    ['boolean', true, true],
    ['boolean', false, false],
    ['boolean', 'true', true],
    ['boolean', 'FALSE', false],
    ['date', '2024-05-02', '2024-05-02'],
    ['date', '2024-05-02T00:00:00.000Z', '2024-05-02'],
    ['date', '2024-05-02T02:00:00+02:00', '2024-05-02'],
    ['date', MAY_2, '2024-05-02'],
    ['date', new Date(MAY_2), '2024-05-02'],
    ['datetime', '2024-05-02T14:03:10.221Z', '2024-05-02T14:03:10.221Z'],
    ['datetime', '2024-05-02T16:03:10.221+02:00', '2024-05-02T14:03:10.221Z'],
    ['datetime', '2024-05-02T14:03:10.000+0000', '2024-05-02T14:03:10.000Z'],
    ['datetime', '2024-05-02', '2024-05-02T00:00:00.000Z'],
    ['datetime', MAY_2_AFTERNOON, '2024-05-02T14:03:10.221Z'],
    ['datetime', MAY_2_AFTERNOON + 0.7, '2024-05-02T14:03:10.221Z'],
    ['datetime', new Date(MAY_2_AFTERNOON), '2024-05-02T14:03:10.221Z'],
    ['multi_enumeration', 'a;b', ['a', 'b']],
    ['multi_enumeration', ['a', ' b ', 'a', ''], ['a', 'b']],
    ['multi_enumeration', [1, 'b'], ['1', 'b']],
    ['multi_enumeration', 7, ['7']],
  ])('%s ← %p gives %p', (type, input, expected) => {
    expect(coerceValue(input, type)).toEqual({ ok: true, value: expected });
  });
});

describe('coerceValue: refused conversions', () => {
  it.each<[FieldType, unknown, string]>([
    ['string', null, 'invalid_type'],
    ['string', '   ', 'invalid_type'],
    ['string', [], 'invalid_type'],
    ['string', { a: 1 }, 'invalid_type'],
    ['string', Number.NaN, 'invalid_type'],
    ['string', new Date(Number.NaN), 'invalid_type'],
    ['string', [1, 2], 'invalid_type'],
    ['email', 'not-an-email', 'invalid_email'],
    ['email', { a: 1 }, 'invalid_type'],
    ['number', '1,000', 'invalid_number'],
    ['number', '12abc', 'invalid_number'],
    ['number', '1e3', 'invalid_number'],
    ['number', Infinity, 'invalid_number'],
    ['number', Number.NaN, 'invalid_number'],
    ['number', true, 'invalid_type'],
    ['number', ['1'], 'invalid_type'],
    ['boolean', 'yes', 'invalid_boolean'],
    ['boolean', '1', 'invalid_boolean'],
    ['boolean', 1, 'invalid_type'],
    ['date', '2024-02-30', 'invalid_date'],
    ['date', '02/05/2024', 'invalid_date'],
    ['date', '2024-05-02T14:03:10.221Z', 'invalid_date'],
    ['date', MAY_2_AFTERNOON, 'invalid_date'],
    ['date', new Date(MAY_2_AFTERNOON), 'invalid_date'],
    ['date', true, 'invalid_type'],
    ['datetime', '2024-05-02T14:03:10', 'invalid_datetime'],
    ['datetime', 'last tuesday', 'invalid_datetime'],
    ['datetime', 9e15, 'invalid_datetime'],
    ['datetime', new Date(Number.NaN), 'invalid_datetime'],
    ['datetime', false, 'invalid_type'],
    ['multi_enumeration', [{}], 'invalid_type'],
    ['multi_enumeration', true, 'invalid_type'],
    ['enumeration', { a: 1 }, 'invalid_type'],
  ])('%s ← %p fails with %s', (type, input, code) => {
    const r = coerceValue(input, type);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(5);
    }
  });
});

describe('typedValuesEqual', () => {
  it.each([
    ['a', 'a', true],
    ['a', 'A', false],
    [1, 1, true],
    [1, '1', false],
    [true, true, true],
    [true, false, false],
    [['a', 'b'], ['b', 'a'], true],
    [['a', 'b'], ['a'], false],
    [['a', 'b'], ['a', 'c'], false],
    [['a'], 'a', false],
    ['a', ['a'], false],
  ])('%p vs %p → %p', (a, b, expected) => {
    expect(typedValuesEqual(a, b)).toBe(expected);
  });
});
