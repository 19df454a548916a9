import { blankCrmValue, decodeCrmValue, descriptorForRow, encodeCrmValue, getCrmValue } from './codec.js';
import { typedValuesEqual } from './coerce.js';
import { readConduitValue, resolveRowField } from './conduit-fields.js';
import { crmValueType } from './field-types.js';
import { isBlank } from './normalize.js';
import type { MappingErrorCode, Result } from './result.js';
import { statusForExport, type StatusMapping } from './status.js';
import type { ConduitRecord, CrmFieldDescriptor, CrmKind, CrmProperties, CrmWireValue, MappedObject, MappingRow, TypedValue } from './types.js';

/** Stamps exported records with a source, e.g. LeadSource = Conduit (Basic sync → contact source). */
export interface ContactSourceStamp {
  crmField: string;
  value: string | number | boolean;
  /** On update: never touch it (default), fill it when blank, or overwrite it. */
  onUpdate?: 'never' | 'fill_if_empty' | 'overwrite';
}

export interface DiffForExportInput {
  crm: CrmKind;
  object: MappedObject;
  rows: readonly MappingRow[];
  conduitRecord: ConduitRecord;
  /** The CRM record as it is now, or null when the export creates it. */
  crmCurrent: CrmProperties | null;
  /** Discovered CRM fields; without them each row's `crmType` is used. */
  fields?: readonly CrmFieldDescriptor[];
  contactSource?: ContactSourceStamp;
  /** Status mapping: the mapped status is written whenever it differs from the CRM's. */
  statusMapping?: StatusMapping;
  /**
   * Opt-in: an `overwrite` row whose Conduit value is blank clears a filled CRM field.
   * Off by default: a blank in Conduit usually means "unknown", not "erase".
   */
  clearWhenConduitEmpty?: boolean;
}

export type ExportSkipReason =
  | 'do_not_export'
  | 'conduit_empty'
  | 'crm_not_empty'
  | 'unchanged'
  | 'superseded'
  | 'create_only'
  | 'unmapped_status'
  | 'consent_field';

/**
 * CRM fields that hold a person's consent (email opt-out, do not call, bounces). An export never writes them: a mapped
 * Conduit value (false, blank) would otherwise clear an opt-out the person made in the CRM and make them emailable
 * again. Consent reaches the CRMs only through Conduit's consent write-back. Salesforce names are compared lowercased.
 */
export const CONSENT_CRM_FIELDS: Readonly<Record<CrmKind, readonly string[]>> = {
  hubspot: ['hs_email_optout', 'hs_email_hard_bounce_reason_enum', 'hs_email_hard_bounce_reason', 'hs_email_bad_address', 'hs_email_quarantined'],
  salesforce: ['hasoptedoutofemail', 'donotcall', 'emailbouncedreason', 'emailbounceddate', 'hasoptedoutoffax'],
};

export function isConsentCrmField(crm: CrmKind, name: string): boolean {
  if (crm === 'hubspot') return CONSENT_CRM_FIELDS.hubspot.includes(name) || /^hs_email_optout_\d+$/.test(name);
  return CONSENT_CRM_FIELDS.salesforce.includes(name.toLowerCase());
}

export interface ExportSkip {
  /** The Conduit field, or `contactSource` / `status` for the stamps. */
  field: string;
  crmField: string;
  reason: ExportSkipReason;
}

export interface ExportError {
  field: string;
  crmField: string;
  code: MappingErrorCode;
  message: string;
}

export interface ExportDiff {
  /** CRM-typed values to send: strings for HubSpot, JSON-typed for Salesforce. */
  properties: Record<string, CrmWireValue>;
  skipped: ExportSkip[];
  errors: ExportError[];
  isCreate: boolean;
}

type WriteMode = 'fill_if_empty' | 'overwrite';

/**
 * What to send to the CRM for one record:
 * - `fill_if_empty` writes only where the CRM value is blank (always on create);
 * - `overwrite` writes every non-blank Conduit value that differs from the CRM's;
 * - `do_not_export` never sends;
 * - a blank Conduit value is never sent (no clearing) unless `clearWhenConduitEmpty`.
 * Equal values are skipped (`unchanged`), so an export of an up-to-date record sends nothing.
 * The status mapping and the contact source are applied first; rows writing the same CRM
 * field are then `superseded`. On create, required CRM fields left unfilled are errors.
 */
export function diffForExport(input: DiffForExportInput): ExportDiff {
  const { crm, object, rows, conduitRecord, crmCurrent, fields } = input;
  const diff: ExportDiff = { properties: {}, skipped: [], errors: [], isCreate: crmCurrent === null };
  // CRM fields already decided, by whom: a stamp (status, contact source) or a row.
  const claimed = new Map<string, 'stamp' | 'row'>();
  const written = new Set<string>();
  const key = (name: string): string => (crm === 'salesforce' ? name.toLowerCase() : name);
  const error = (field: string, crmField: string, code: MappingErrorCode, message: string): void => {
    diff.errors.push({ field, crmField, code, message });
  };
  const lookup = (name: string, crmType?: MappingRow['crmType']): Result<CrmFieldDescriptor> =>
    descriptorForRow(crm, { conduitField: '', crmField: name, importPriority: 'crm', exportBehaviour: 'overwrite', ...(crmType ? { crmType } : {}) }, fields);

  /** Encodes and writes `value` to `field` according to `mode`, or records why not. */
  const write = (field: string, descriptor: CrmFieldDescriptor, value: unknown, mode: WriteMode, by: 'stamp' | 'row', ignoreCase = false): void => {
    claimed.set(key(descriptor.name), by);
    const encoded = encodeCrmValue(crm, descriptor, value);
    if (!encoded.ok) return error(field, descriptor.name, encoded.error.code, encoded.error.message);
    const skip = crmCurrent === null ? null : compareWithCurrent(crm, descriptor, getCrmValue(crm, crmCurrent, descriptor.name), encoded.value, mode, ignoreCase);
    if (skip) {
      diff.skipped.push({ field, crmField: descriptor.name, reason: skip });
      return;
    }
    diff.properties[descriptor.name] = encoded.value;
    written.add(key(descriptor.name));
  };

  if (input.statusMapping) {
    const mapping = input.statusMapping;
    const descriptor = lookup(mapping.crmField, 'enumeration');
    if (!descriptor.ok) error('status', mapping.crmField, descriptor.error.code, descriptor.error.message);
    else {
      const status = statusForExport({ crm, mapping, conduitRecord, ...(fields ? { field: descriptor.value } : {}) });
      if (!status.ok && status.error.code === 'unmapped_status') diff.skipped.push({ field: 'status', crmField: mapping.crmField, reason: 'unmapped_status' });
      else if (!status.ok) error('status', mapping.crmField, status.error.code, status.error.message);
      else if (status.value === null) diff.skipped.push({ field: 'status', crmField: mapping.crmField, reason: 'conduit_empty' });
      else write('status', descriptor.value, status.value, 'overwrite', 'stamp');
    }
  }

  if (input.contactSource) {
    const stamp = input.contactSource;
    const mode = crmCurrent === null ? 'overwrite' : (stamp.onUpdate ?? 'never');
    const descriptor = lookup(stamp.crmField);
    if (!descriptor.ok) error('contactSource', stamp.crmField, descriptor.error.code, descriptor.error.message);
    else if (mode === 'never') diff.skipped.push({ field: 'contactSource', crmField: stamp.crmField, reason: 'create_only' });
    else write('contactSource', descriptor.value, stamp.value, mode, 'stamp');
  }

  for (const row of rows) {
    const skip = (reason: ExportSkipReason): void => {
      diff.skipped.push({ field: row.conduitField, crmField: row.crmField, reason });
    };
    if (row.exportBehaviour === 'do_not_export') {
      skip('do_not_export');
      continue;
    }
    if (isConsentCrmField(crm, row.crmField)) {
      skip('consent_field');
      continue;
    }
    const ref = resolveRowField(object, row);
    if (!ref.ok) {
      error(row.conduitField, row.crmField, ref.error.code, ref.error.message);
      continue;
    }
    const descriptor = descriptorForRow(crm, row, fields);
    if (!descriptor.ok) {
      error(row.conduitField, row.crmField, descriptor.error.code, descriptor.error.message);
      continue;
    }
    if (descriptor.value.readOnly) {
      error(row.conduitField, row.crmField, 'read_only', `${row.crmField} is read-only in ${crm}`);
      continue;
    }
    const claimedBy = claimed.get(key(descriptor.value.name));
    if (claimedBy === 'stamp') {
      skip('superseded');
      continue;
    }
    if (claimedBy === 'row') {
      error(row.conduitField, row.crmField, 'duplicate_target', `${row.crmField} is already written by another row`);
      continue;
    }
    claimed.set(key(descriptor.value.name), 'row');
    const current = readConduitValue(conduitRecord, ref.value);
    if (current.blank) {
      const crmValue = crmCurrent === null ? undefined : getCrmValue(crm, crmCurrent, descriptor.value.name);
      if (input.clearWhenConduitEmpty && row.exportBehaviour === 'overwrite' && crmCurrent !== null && !isBlank(crmValue)) {
        diff.properties[descriptor.value.name] = blankCrmValue(crm);
        written.add(key(descriptor.value.name));
      } else skip('conduit_empty');
      continue;
    }
    if (!current.value.ok) {
      error(row.conduitField, row.crmField, current.value.error.code, `${row.conduitField}: ${current.value.error.message}`);
      continue;
    }
    write(row.conduitField, descriptor.value, current.value.value, row.exportBehaviour, 'row', ref.value.type === 'email');
  }

  if (diff.isCreate && fields) {
    for (const f of fields) {
      if (f.required && !f.readOnly && !written.has(key(f.name))) {
        const mapped = rows.find((r) => key(r.crmField) === key(f.name));
        error(mapped?.conduitField ?? '', f.name, 'required_missing', `${f.name} is required to create a ${crm} record and has no value`);
      }
    }
  }
  return diff;
}

/** Null when the value should be written, else why it is skipped. */
function compareWithCurrent(
  crm: CrmKind,
  field: CrmFieldDescriptor,
  currentRaw: unknown,
  encoded: Exclude<CrmWireValue, null>,
  mode: WriteMode,
  ignoreCase: boolean,
): ExportSkipReason | null {
  if (isBlank(currentRaw)) return null;
  const current = decodeCrmValue(crm, field, currentRaw);
  const next = decodeCrmValue(crm, field, encoded);
  const equal = current.ok && next.ok && current.value !== null && next.value !== null && sameValue(field, current.value, next.value, ignoreCase);
  if (equal) return 'unchanged';
  return mode === 'fill_if_empty' ? 'crm_not_empty' : null;
}

/** Email addresses compare without case: 'Ada@X.com' in the CRM is not worth rewriting. */
function sameValue(field: CrmFieldDescriptor, a: TypedValue, b: TypedValue, ignoreCase: boolean): boolean {
  if ((ignoreCase || crmValueType(field) === 'email') && typeof a === 'string' && typeof b === 'string') {
    return a.toLowerCase() === b.toLowerCase();
  }
  return typedValuesEqual(a, b);
}

