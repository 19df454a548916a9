import { decodeCrmValue, descriptorForRow, getCrmValue } from './codec.js';
import { type ConduitFieldRef, readConduitValue, resolveRowField, setConduitValue, toConduitValue } from './conduit-fields.js';
import { typedValuesEqual } from './coerce.js';
import type { MappingErrorCode } from './result.js';
import type { ConduitRecord, CrmFieldDescriptor, CrmKind, CrmProperties, MappedObject, MappingRow, TypedValue } from './types.js';

export interface ImportSource {
  crm: CrmKind;
  connectionId: string;
  /** Id of the CRM record, kept in each change's provenance when given. */
  crmRecordId?: string;
}

/** One field Conduit should change, with where the value came from and under which rule. */
export interface FieldChange {
  field: string;
  previousValue: unknown;
  newValue: TypedValue;
  source: 'crm';
  crm: CrmKind;
  connectionId: string;
  crmRecordId?: string;
  crmField: string;
  rule: MappingRow;
  /** ISO 8601 time of the import. */
  at: string;
}

export interface FieldError {
  field: string;
  crmField: string;
  code: MappingErrorCode;
  message: string;
}

export interface MergeOnImportInput {
  object: MappedObject;
  rows: readonly MappingRow[];
  conduitRecord: ConduitRecord;
  /** HubSpot `properties`, or a Salesforce record's fields. */
  crmRecord: CrmProperties;
  now: Date;
  source: ImportSource;
  /** Discovered CRM fields; without them each row's `crmType` is used. */
  fields?: readonly CrmFieldDescriptor[];
}

export interface MergeResult {
  changes: FieldChange[];
  /** Conduit fields the import leaves as they are. */
  unchanged: string[];
  errors: FieldError[];
}

/**
 * Decides, field by field, what an imported CRM record changes in Conduit:
 * - priority `crm`: a non-blank CRM value replaces Conduit's (no change when equal);
 * - priority `conduit`: a non-blank Conduit value is kept; a blank one is filled from the CRM;
 * - a blank CRM value never blanks Conduit, whatever the priority: CRMs return blanks for
 *   fields a user cannot see or that were never filled, which is not a decision to erase.
 * Values are compared after conversion to the Conduit type, so '1000' vs 1000 or
 * 'ADA@x.com' vs 'ada@x.com' is no change. A value that does not convert is reported in
 * `errors` and leaves the field alone. When two rows feed one Conduit field, the first change wins.
 */
export function mergeOnImport(input: MergeOnImportInput): MergeResult {
  const { object, rows, conduitRecord, crmRecord, now, source, fields } = input;
  const result: MergeResult = { changes: [], unchanged: [], errors: [] };
  const at = now.toISOString();

  for (const row of rows) {
    const fail = (code: MappingErrorCode, message: string): void => {
      result.errors.push({ field: row.conduitField, crmField: row.crmField, code, message });
    };
    const ref = resolveRowField(object, row);
    if (!ref.ok) {
      fail(ref.error.code, ref.error.message);
      continue;
    }
    const descriptor = descriptorForRow(source.crm, row, fields);
    if (!descriptor.ok) {
      fail(descriptor.error.code, descriptor.error.message);
      continue;
    }
    const decoded = decodeCrmValue(source.crm, descriptor.value, getCrmValue(source.crm, crmRecord, row.crmField));
    if (!decoded.ok) {
      fail(decoded.error.code, decoded.error.message);
      continue;
    }
    if (decoded.value === null || result.changes.some((c) => c.field === row.conduitField)) {
      result.unchanged.push(row.conduitField);
      continue;
    }
    const incoming = toConduitValue(ref.value, decoded.value);
    if (!incoming.ok) {
      fail(incoming.error.code, `${row.crmField} → ${row.conduitField}: ${incoming.error.message}`);
      continue;
    }
    const change = decide(row, ref.value, conduitRecord, incoming.value);
    if (change === null) {
      result.unchanged.push(row.conduitField);
      continue;
    }
    result.changes.push({
      field: row.conduitField,
      previousValue: change.previous,
      newValue: incoming.value,
      source: 'crm',
      crm: source.crm,
      connectionId: source.connectionId,
      ...(source.crmRecordId !== undefined ? { crmRecordId: source.crmRecordId } : {}),
      crmField: row.crmField,
      rule: row,
      at,
    });
  }
  return result;
}

function decide(row: MappingRow, ref: ConduitFieldRef, record: ConduitRecord, incoming: TypedValue): { previous: unknown } | null {
  const current = readConduitValue(record, ref);
  if (current.blank) return { previous: current.raw };
  switch (row.importPriority) {
    case 'conduit':
      return null;
    case 'crm':
      // A current value that no longer converts (garbage) is replaced too.
      return current.value.ok && typedValuesEqual(current.value.value, incoming) ? null : { previous: current.raw };
  }
}

/** Applies changes to a copy of the record (custom attributes land in `customAttributes`). */
export function applyChanges(object: MappedObject, record: ConduitRecord, changes: readonly FieldChange[]): ConduitRecord {
  let next = record;
  for (const change of changes) {
    const ref = resolveRowField(object, change.rule);
    if (ref.ok) next = setConduitValue(next, ref.value, change.newValue);
  }
  return next;
}
