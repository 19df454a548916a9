import { coerceValue, parseBooleanString, parseDecimal, splitMulti } from '../coerce.js';
import { crmValueType } from '../field-types.js';
import { describeValue, isBlank } from '../normalize.js';
import { matchOption, matchOptions } from '../options.js';
import { err, ok, type Result } from '../result.js';
import type { CrmFieldDescriptor, CrmWireValue, SalesforceFieldType, TypedValue } from '../types.js';

const SALESFORCE_TYPES: readonly SalesforceFieldType[] = [
  'string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'boolean',
  'double', 'int', 'currency', 'percent', 'date', 'datetime', 'id', 'reference',
];

export function isSalesforceFieldType(t: string): t is SalesforceFieldType {
  return (SALESFORCE_TYPES as readonly string[]).includes(t);
}

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const isIdField = (field: CrmFieldDescriptor): boolean => field.type === 'id' || field.type === 'reference';

// Picklists accept any value unless the org restricted them.
const restricted = (field: CrmFieldDescriptor): boolean => field.restricted ?? false;

function withField<T>(field: CrmFieldDescriptor, r: Result<T>): Result<T> {
  return r.ok ? r : err(r.error.code, `${field.name}: ${r.error.message}`);
}

/**
 * A Salesforce REST value (JSON-typed: strings, numbers, booleans; dates `YYYY-MM-DD`;
 * datetimes ISO 8601 with an offset such as `+0000`) → a typed value; null when blank.
 * Strings such as Bulk API CSV cells are accepted for numbers and booleans too.
 * Picklist values are NOT checked against the options on import: describe lists only
 * active values and records keep inactive ones.
 */
export function decodeSalesforceValue(field: CrmFieldDescriptor, raw: unknown): Result<TypedValue | null> {
  if (isBlank(raw)) return ok(null);
  const type = crmValueType(field);
  switch (type) {
    case 'number': {
      const n = typeof raw === 'number' ? (Number.isFinite(raw) ? raw : null) : typeof raw === 'string' ? parseDecimal(raw) : null;
      if (n === null) return err('invalid_number', `${field.name}: ${describeValue(raw)} is not a number`);
      if (field.type === 'int' && !Number.isInteger(n)) return err('not_an_integer', `${field.name}: ${describeValue(raw)} is not an integer`);
      return ok(n);
    }
    case 'boolean': {
      const b = typeof raw === 'boolean' ? raw : typeof raw === 'string' ? parseBooleanString(raw) : null;
      return b === null ? err('invalid_boolean', `${field.name}: ${describeValue(raw)} is not a boolean`) : ok(b);
    }
    case 'multi_enumeration':
      return typeof raw === 'string' ? ok(splitMulti(raw)) : err('invalid_type', `${field.name}: ${describeValue(raw)} is not a multi-select picklist value`);
    case 'date':
      if (typeof raw !== 'string') return err('invalid_date', `${field.name}: ${describeValue(raw)} is not a YYYY-MM-DD date`);
      return withField(field, coerceValue(raw, 'date'));
    case 'datetime':
      if (typeof raw !== 'string') return err('invalid_datetime', `${field.name}: ${describeValue(raw)} is not an ISO 8601 datetime`);
      return withField(field, coerceValue(raw, 'datetime'));
    case 'string':
    case 'text':
    case 'email':
    case 'phone':
    case 'url':
    case 'enumeration':
      if (typeof raw !== 'string') return err('invalid_type', `${field.name}: ${describeValue(raw)} is not a string`);
      return ok(raw.trim());
  }
}

/**
 * A non-blank value → the JSON value the REST API expects: numbers as JSON numbers (integers
 * for `int`), booleans, dates `YYYY-MM-DD`, datetimes ISO 8601 UTC, multi-select picklists
 * joined with ';'. Fails rather than truncating a string longer than the field, sending an
 * invalid email, or a value outside a restricted picklist.
 */
export function encodeSalesforceValue(field: CrmFieldDescriptor, value: unknown): Result<Exclude<CrmWireValue, null>> {
  const type = crmValueType(field);
  const typed = withField(field, coerceValue(value, type));
  if (!typed.ok) return typed;
  const v = typed.value;
  switch (type) {
    case 'number':
      if (field.type === 'int' && !Number.isInteger(v)) return err('not_an_integer', `${field.name}: ${describeValue(v)} is not an integer`);
      return ok(v as number);
    case 'boolean':
      return ok(v as boolean);
    case 'date':
    case 'datetime':
      return ok(v as string);
    case 'enumeration':
      return withLength(field, matchOption(field, v as string, restricted(field)));
    case 'multi_enumeration': {
      const m = matchOptions(field, v as string[], restricted(field));
      return withLength(field, m.ok ? ok(m.value.join(';')) : m);
    }
    case 'string':
    case 'text':
    case 'email':
    case 'phone':
    case 'url':
      if (isIdField(field) && !SALESFORCE_ID.test(v as string)) {
        return err('invalid_id', `${field.name}: ${describeValue(v)} is not a 15 or 18 character Salesforce id`);
      }
      return withLength(field, ok(v as string));
  }
}

function withLength(field: CrmFieldDescriptor, r: Result<string>): Result<string> {
  if (!r.ok || field.length === undefined || field.length <= 0 || r.value.length <= field.length) return r;
  return err('too_long', `${field.name}: ${r.value.length} characters, at most ${field.length} allowed`);
}

/** Salesforce clears a field when sent null. */
export const SALESFORCE_BLANK = null;
