import type { FieldDef } from './schema.js';

export type SfValue = string | number | boolean | null;
/** A stored record: canonical field names → values; absent fields read as null. */
export type SfRecord = Record<string, SfValue>;

/** One error as Salesforce reports it (REST single calls rename statusCode → errorCode). */
export interface SfError {
  statusCode: string;
  message: string;
  fields: string[];
  duplicateResult?: unknown;
}

/** Text for a scalar; JSON for anything else (never "[object Object]"). */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}

export function sfError(statusCode: string, message: string, fields: string[] = []): SfError {
  return { statusCode, message, fields };
}

/** Salesforce's datetime wire format: 2024-01-31T09:15:00.000+0000. */
export function toSfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parse an ISO-ish datetime (Z, +00:00, +0000 or no zone = UTC) to epoch ms. */
export function parseDateTime(value: string): number | undefined {
  const m = DATETIME_RE.exec(value.trim());
  if (m === null) {
    const d = DATE_RE.exec(value.trim());
    if (d === null) return undefined;
    const ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    return Number.isNaN(ms) ? undefined : ms;
  }
  const [, y, mo, da, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(da), Number(h), Number(mi), Number(s ?? 0), Number((frac ?? '0').padEnd(3, '0').slice(0, 3)));
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isNaN(ms) ? undefined : ms;
}

export function parseDate(value: string): string | undefined {
  const trimmed = value.trim();
  if (DATE_RE.test(trimmed)) {
    const ms = Date.parse(`${trimmed}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : trimmed;
  }
  const ms = parseDateTime(trimmed);
  return ms === undefined ? undefined : new Date(ms).toISOString().slice(0, 10);
}

// Deliberately simple: local@domain.tld without spaces, like Salesforce's own check.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type Coerced = { ok: true; value: SfValue } | { ok: false; error: SfError };

function typeError(field: FieldDef, raw: unknown, source: 'json' | 'csv'): Coerced {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return source === 'json'
    ? { ok: false, error: sfError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${field.type} from value ${shown} or request may be missing a required field`, [field.name]) }
    : { ok: false, error: sfError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${field.label}: value not of required type: ${shown}`, [field.name]) };
}

/**
 * Convert an incoming value (JSON or a CSV cell) to the stored representation and check
 * it against the field's type, length, picklist and format — the per-field half of
 * Salesforce's validation. Null passes here; required/nillable checks happen later.
 */
export function coerceValue(field: FieldDef, raw: unknown, source: 'json' | 'csv'): Coerced {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  switch (field.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string' && /^(true|false|1|0)$/i.test(raw)) return { ok: true, value: /^(true|1)$/i.test(raw) };
      return typeError(field, raw, source);
    }
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n)) return typeError(field, raw, source);
      if (field.type === 'int') {
        if (!Number.isInteger(n)) return typeError(field, raw, source);
        return { ok: true, value: n };
      }
      const intDigits = Math.trunc(Math.abs(n)).toString().length;
      if (intDigits > field.precision - field.scale) {
        return { ok: false, error: sfError('NUMBER_OUTSIDE_VALID_RANGE', `${field.label}: value outside of valid range on numeric field: ${n}`, [field.name]) };
      }
      return { ok: true, value: n };
    }
    case 'date': {
      if (typeof raw !== 'string') return typeError(field, raw, source);
      const d = parseDate(raw);
      return d === undefined ? typeError(field, raw, source) : { ok: true, value: d };
    }
    case 'datetime': {
      if (typeof raw !== 'string') return typeError(field, raw, source);
      const ms = parseDateTime(raw);
      return ms === undefined ? typeError(field, raw, source) : { ok: true, value: toSfDateTime(ms) };
    }
    case 'id':
    case 'reference':
    case 'string':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'picklist':
    case 'multipicklist':
    case 'combobox': {
      if (typeof raw === 'object') return typeError(field, raw, source);
      const value = asText(raw);
      if (value === '') return { ok: true, value: null };
      if (field.length > 0 && value.length > field.length) {
        const shown = value.length > 50 ? `${value.slice(0, 47)}...` : value;
        return { ok: false, error: sfError('STRING_TOO_LONG', `${field.label}: data value too large: ${shown} (max length=${field.length})`, [field.name]) };
      }
      if (field.type === 'email' && !EMAIL_RE.test(value)) {
        return { ok: false, error: sfError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [field.name]) };
      }
      if ((field.type === 'picklist' || field.type === 'multipicklist') && field.restrictedPicklist) {
        const allowed = field.picklistValues;
        const parts = field.type === 'multipicklist' ? value.split(';') : [value];
        for (const part of parts) {
          if (!allowed.some((p) => p.active && p.value === part)) {
            return { ok: false, error: sfError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${part}`, [field.name]) };
          }
        }
      }
      return { ok: true, value };
    }
  }
}
