import { coerceValue } from './coerce.js';
import { describeValue, isBlank, normalizeDomain } from './normalize.js';
import { err, ok, type Result } from './result.js';
import type { ConduitRecord, FieldType, MappedObject, MappingRow, TypedValue } from './types.js';

export interface ConduitFieldSpec {
  name: string;
  label: string;
  type: FieldType;
  /** Extra canonicalisation after type coercion (e.g. a company domain from a URL). */
  normalize?: (value: TypedValue) => Result<TypedValue>;
}

const normalizeDomainField = (value: TypedValue): Result<TypedValue> => {
  const d = normalizeDomain(value);
  return d === null ? err('invalid_domain', `${describeValue(value)} is not a domain`) : ok(d);
};

export const PERSON_FIELDS: readonly ConduitFieldSpec[] = [
  { name: 'firstName', label: 'First name', type: 'string' },
  { name: 'lastName', label: 'Last name', type: 'string' },
  { name: 'email', label: 'Email', type: 'email' },
  { name: 'phone', label: 'Phone', type: 'phone' },
  { name: 'jobTitle', label: 'Job title', type: 'string' },
  { name: 'city', label: 'City', type: 'string' },
  { name: 'country', label: 'Country', type: 'string' },
  { name: 'linkedinUrl', label: 'LinkedIn URL', type: 'url' },
  { name: 'companyName', label: 'Company name', type: 'string' },
  { name: 'qualificationReasoning', label: 'Qualification reasoning', type: 'text' },
  { name: 'leadStatus', label: 'Lead status', type: 'enumeration' },
  { name: 'engagementState', label: 'Engagement state', type: 'enumeration' },
];

export const COMPANY_FIELDS: readonly ConduitFieldSpec[] = [
  { name: 'name', label: 'Name', type: 'string' },
  { name: 'domain', label: 'Domain', type: 'string', normalize: normalizeDomainField },
  { name: 'website', label: 'Website', type: 'url' },
  { name: 'industry', label: 'Industry', type: 'string' },
  { name: 'employeeCount', label: 'Employee count', type: 'number' },
  { name: 'city', label: 'City', type: 'string' },
  { name: 'country', label: 'Country', type: 'string' },
];

export function standardFields(object: MappedObject): readonly ConduitFieldSpec[] {
  switch (object) {
    case 'contact':
      return PERSON_FIELDS;
    case 'company':
      return COMPANY_FIELDS;
    case 'activity':
      // Activities are built by the activity exporter; only custom attributes map field by field.
      return [];
  }
}

export const CUSTOM_PREFIX = 'custom.';
const CUSTOM_KEY = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$/;

export type ConduitFieldRef =
  | { kind: 'standard'; name: string; spec: ConduitFieldSpec; type: FieldType }
  | { kind: 'custom'; key: string; type: FieldType };

/**
 * Resolves a mapping's `conduitField`. Standard fields keep their own type; a custom
 * attribute (`custom.<key>`) takes the row's `conduitType`, `string` when absent.
 */
export function resolveConduitField(object: MappedObject, field: string, conduitType?: FieldType): Result<ConduitFieldRef> {
  if (field.startsWith(CUSTOM_PREFIX)) {
    const key = field.slice(CUSTOM_PREFIX.length);
    if (!CUSTOM_KEY.test(key)) {
      return err('unknown_conduit_field', `"${field}" is not a valid custom attribute (letters, digits, _ and - only)`);
    }
    return ok({ kind: 'custom', key, type: conduitType ?? 'string' });
  }
  const spec = standardFields(object).find((f) => f.name === field);
  if (!spec) return err('unknown_conduit_field', `"${field}" is not a ${object} field (use custom.<key> for custom attributes)`);
  return ok({ kind: 'standard', name: spec.name, spec, type: spec.type });
}

export function resolveRowField(object: MappedObject, row: MappingRow): Result<ConduitFieldRef> {
  return resolveConduitField(object, row.conduitField, row.conduitType);
}

function customAttributes(record: ConduitRecord): Record<string, unknown> {
  const attrs = record['customAttributes'];
  return attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs) ? (attrs as Record<string, unknown>) : {};
}

export function getConduitValue(record: ConduitRecord, ref: ConduitFieldRef): unknown {
  return ref.kind === 'custom' ? customAttributes(record)[ref.key] : record[ref.name];
}

/** Returns a copy of `record` with the field set (custom attributes are copied, not mutated). */
export function setConduitValue(record: ConduitRecord, ref: ConduitFieldRef, value: unknown): ConduitRecord {
  if (ref.kind === 'standard') return { ...record, [ref.name]: value };
  return { ...record, customAttributes: { ...customAttributes(record), [ref.key]: value } };
}

/** Coerces a non-blank value to the field's Conduit type and canonical form. */
export function toConduitValue(ref: ConduitFieldRef, value: unknown): Result<TypedValue> {
  const typed = coerceValue(value, ref.type);
  if (!typed.ok || ref.kind === 'custom' || !ref.spec.normalize) return typed;
  return ref.spec.normalize(typed.value);
}

/** The field's current value: blank, or its canonical form (which may fail to convert). */
export function readConduitValue(
  record: ConduitRecord,
  ref: ConduitFieldRef,
): { blank: true; raw: unknown } | { blank: false; value: Result<TypedValue>; raw: unknown } {
  const raw = getConduitValue(record, ref);
  if (isBlank(raw)) return { blank: true, raw };
  return { blank: false, value: toConduitValue(ref, raw), raw };
}
