import {
  coerceValue,
  epochToDateOnly,
  epochToIso,
  formatDecimal,
  parseBooleanString,
  parseDateOnly,
  parseDecimal,
  parseIsoDateTime,
  splitMulti,
} from '../coerce.js';
import { describeValue, isBlank } from '../normalize.js';
import { matchOption, matchOptions } from '../options.js';
import { err, ok, type Result } from '../result.js';
import { crmValueType } from '../field-types.js';
import type { CrmFieldDescriptor, HubSpotFieldType, TypedValue } from '../types.js';

/** HubSpot stores at most 65,536 characters in a string property. */
export const HUBSPOT_MAX_STRING_LENGTH = 65_536;
const EPOCH = /^-?\d+$/;

const HUBSPOT_TYPES: readonly HubSpotFieldType[] = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number'];

export function isHubSpotFieldType(t: string): t is HubSpotFieldType {
  return (HUBSPOT_TYPES as readonly string[]).includes(t);
}

// HubSpot rejects values outside an enumeration's options, so its options are always binding.
const restricted = (field: CrmFieldDescriptor): boolean => field.restricted ?? true;

/**
 * A HubSpot property value (always a string on the wire) → a typed value; null when blank.
 * Dates arrive as `YYYY-MM-DD` or as midnight-UTC epoch milliseconds; datetimes as epoch
 * milliseconds or ISO 8601.
 */
export function decodeHubSpotValue(field: CrmFieldDescriptor, raw: unknown): Result<TypedValue | null> {
  if (isBlank(raw)) return ok(null);
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    return err('invalid_type', `${field.name}: HubSpot values are strings, got ${describeValue(raw)}`);
  }
  const s = String(raw).trim();
  const type = crmValueType(field);
  switch (type) {
    case 'number': {
      const n = parseDecimal(s);
      return n === null ? err('invalid_number', `${field.name}: ${describeValue(raw)} is not a number`) : ok(n);
    }
    case 'boolean': {
      const b = parseBooleanString(s);
      return b === null ? err('invalid_boolean', `${field.name}: ${describeValue(raw)} is not 'true' or 'false'`) : ok(b);
    }
    case 'date': {
      const d = EPOCH.test(s) ? epochToDateOnly(Number(s)) : (parseDateOnly(s) ?? midnightIsoToDate(s));
      return d === null ? err('invalid_date', `${field.name}: ${describeValue(raw)} is not a date (YYYY-MM-DD or midnight-UTC epoch ms)`) : ok(d);
    }
    case 'datetime': {
      if (EPOCH.test(s)) return ok(epochToIso(Number(s)));
      const dt = coerceValue(s, 'datetime');
      return dt.ok ? dt : err('invalid_datetime', `${field.name}: ${describeValue(raw)} is not a datetime (epoch ms or ISO 8601)`);
    }
    case 'enumeration':
      return matchOption(field, s, restricted(field));
    case 'multi_enumeration':
      return matchOptions(field, splitMulti(s), restricted(field));
    case 'string':
    case 'text':
    case 'email':
    case 'phone':
    case 'url':
      return ok(s);
  }
}

function midnightIsoToDate(s: string): string | null {
  const ms = parseIsoDateTime(s);
  return ms === null ? null : epochToDateOnly(ms);
}

/**
 * A non-blank value → the string HubSpot expects: numbers in plain decimal, booleans as
 * 'true'/'false', dates as `YYYY-MM-DD`, datetimes as ISO 8601 UTC, multi-enumerations
 * joined with ';'. Enumeration values are checked against the options.
 */
export function encodeHubSpotValue(field: CrmFieldDescriptor, value: unknown): Result<string> {
  const type = crmValueType(field);
  const typed = coerceValue(value, type);
  if (!typed.ok) return err(typed.error.code, `${field.name}: ${typed.error.message}`);
  const v = typed.value;
  switch (type) {
    case 'enumeration':
      return matchOption(field, String(v), restricted(field));
    case 'multi_enumeration': {
      const m = matchOptions(field, v as string[], restricted(field));
      return m.ok ? ok(m.value.join(';')) : m;
    }
    case 'number':
      return ok(formatDecimal(v as number));
    case 'boolean':
    case 'date':
    case 'datetime':
      return ok(String(v));
    case 'string':
    case 'text':
    case 'email':
    case 'phone':
    case 'url': {
      const s = String(v);
      const max = field.length ?? HUBSPOT_MAX_STRING_LENGTH;
      return s.length > max ? err('too_long', `${field.name}: ${s.length} characters, at most ${max} allowed`) : ok(s);
    }
  }
}

/** HubSpot clears a property when sent an empty string. */
export const HUBSPOT_BLANK = '';
