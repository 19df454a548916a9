import { describeValue, isBlank, normalizeEmail } from './normalize.js';
import { err, ok, type Result } from './result.js';
import type { FieldType, TypedValue } from './types.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DAY_MS = 86_400_000;

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `YYYY-MM-DD` that is a real calendar day, else null. */
export function parseDateOnly(s: string): string | null {
  const m = DATE_ONLY.exec(s.trim());
  if (!m) return null;
  return validYmd(Number(m[1]), Number(m[2]), Number(m[3])) ? m[0] : null;
}

/**
 * An ISO 8601 date-time WITH a zone (`Z`, `+02:00`, or Salesforce's `+0000`) → epoch ms.
 * Zone-less date-times are refused: their instant is unknowable.
 */
export function parseIsoDateTime(s: string): number | null {
  const m = DATE_TIME.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', frac = '0', zone = 'Z'] = m;
  if (!validYmd(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 14 || om > 59) return null;
    offsetMin = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms) - offsetMin * 60_000;
}

function isValidEpoch(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}

/** Epoch ms → `YYYY-MM-DD`, only when it is exactly midnight UTC (HubSpot's date encoding). */
export function epochToDateOnly(ms: number): string | null {
  if (!isValidEpoch(ms) || !Number.isInteger(ms) || ms % DAY_MS !== 0) return null;
  return new Date(ms).toISOString().slice(0, 10);
}

export function dateOnlyToEpoch(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

export function epochToIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Strict decimal parsing: '1000.5' and '-3' are numbers; '1,000', '1e3', '12abc' and '' are not. */
export function parseDecimal(s: string): number | null {
  const t = s.trim();
  if (!DECIMAL.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/**
 * A finite number in plain decimal notation, never exponent notation (String(1e21) is
 * '1e+21', which parseDecimal — and HubSpot — refuse).
 */
export function formatDecimal(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Math.abs(n) >= 1) return BigInt(Math.round(n)).toString();
  return n.toFixed(20).replace(/\.?0+$/, '');
}

export function parseBooleanString(s: string): boolean | null {
  const t = s.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return null;
}

/** `a;b; c` → ['a', 'b', 'c']: trimmed, blanks dropped, duplicates removed, order kept. */
export function splitMulti(s: string): string[] {
  return dedupe(s.split(';'));
}

function dedupe(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const t = v.trim();
    if (t !== '' && !out.includes(t)) out.push(t);
  }
  return out;
}

function mismatch(value: unknown, to: FieldType): Result<never> {
  return err('invalid_type', `Cannot convert ${describeValue(value)} to ${to}`);
}

/**
 * Converts a non-blank JS value to the canonical shape of `to` (see TypedValue). Conversions
 * that would lose or invent information fail instead: a datetime that is not midnight UTC does
 * not become a date, 'yes' does not become a boolean, '1,000' does not become a number.
 * Blank input is refused; callers decide what "no value" means.
 */
export function coerceValue(value: unknown, to: FieldType): Result<TypedValue> {
  if (isBlank(value)) return err('invalid_type', `Expected a ${to} value, got a blank one`);
  switch (to) {
    case 'string':
    case 'text':
    case 'phone':
    case 'url':
    case 'enumeration':
      return toText(value, to);
    case 'email': {
      const text = toText(value, to);
      return text.ok ? normalizeEmail(text.value) : text;
    }
    case 'number':
      if (typeof value === 'number') return Number.isFinite(value) ? ok(value) : err('invalid_number', `${describeValue(value)} is not a finite number`);
      if (typeof value === 'string') {
        const n = parseDecimal(value);
        return n === null ? err('invalid_number', `${describeValue(value)} is not a plain decimal number`) : ok(n);
      }
      return mismatch(value, to);
    case 'boolean':
      if (typeof value === 'boolean') return ok(value);
      if (typeof value === 'string') {
        const b = parseBooleanString(value);
        return b === null ? err('invalid_boolean', `${describeValue(value)} is not 'true' or 'false'`) : ok(b);
      }
      return mismatch(value, to);
    case 'date':
      return toDate(value);
    case 'datetime':
      return toDateTime(value);
    case 'multi_enumeration':
      if (Array.isArray(value)) {
        if (!value.every((v) => typeof v === 'string' || typeof v === 'number')) return mismatch(value, to);
        return ok(dedupe(value.map(String)));
      }
      if (typeof value === 'string') return ok(splitMulti(value));
      if (typeof value === 'number') return ok([String(value)]);
      return mismatch(value, to);
  }
}

function toText(value: unknown, to: FieldType): Result<string> {
  if (typeof value === 'string') return ok(value.trim());
  if (typeof value === 'number') return Number.isFinite(value) ? ok(formatDecimal(value)) : mismatch(value, to);
  if (typeof value === 'boolean') return ok(String(value));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? mismatch(value, to) : ok(value.toISOString());
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return ok(dedupe(value).join(';'));
  return mismatch(value, to);
}

function toDate(value: unknown): Result<string> {
  if (typeof value === 'string') {
    const d = parseDateOnly(value);
    if (d !== null) return ok(d);
    const ms = parseIsoDateTime(value);
    if (ms === null) return err('invalid_date', `${describeValue(value)} is not a YYYY-MM-DD date`);
    return fromEpoch(ms, value);
  }
  if (typeof value === 'number') return fromEpoch(value, value);
  if (value instanceof Date) return fromEpoch(value.getTime(), value);
  return mismatch(value, 'date');
}

function fromEpoch(ms: number, original: unknown): Result<string> {
  const d = epochToDateOnly(ms);
  return d === null ? err('invalid_date', `${describeValue(original)} is not midnight UTC, so it is not a date`) : ok(d);
}

function toDateTime(value: unknown): Result<string> {
  if (typeof value === 'string') {
    const d = parseDateOnly(value);
    if (d !== null) return ok(epochToIso(dateOnlyToEpoch(d)));
    const ms = parseIsoDateTime(value);
    return ms === null || !isValidEpoch(ms)
      ? err('invalid_datetime', `${describeValue(value)} is not an ISO 8601 date-time with a time zone`)
      : ok(epochToIso(ms));
  }
  if (typeof value === 'number') {
    return isValidEpoch(value) ? ok(epochToIso(Math.trunc(value))) : err('invalid_datetime', `${describeValue(value)} is not an epoch in ms`);
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? err('invalid_datetime', 'Invalid Date') : ok(value.toISOString());
  }
  return mismatch(value, 'datetime');
}

/** Equality of two canonical values of the same type (multi-enumerations compare as sets). */
export function typedValuesEqual(a: TypedValue, b: TypedValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x) => b.includes(x));
  }
  return a === b;
}
