import { findCrmField } from './codec.js';
import { resolveRowField } from './conduit-fields.js';
import { crmValueType, typeCompatibility, type TypeCompatibility } from './field-types.js';
import type { CrmFieldDescriptor, CrmKind, MappedObject, MappingRow } from './types.js';

export type IssueSeverity = 'error' | 'warning';

export type MappingIssueCode =
  | 'unknown_conduit_field'
  | 'unknown_crm_field'
  | 'read_only'
  | 'type_mismatch'
  | 'incompatible_types'
  | 'duplicate_crm_target'
  | 'duplicate_crm_source'
  | 'duplicate_conduit_field'
  | 'required_not_mapped';

export interface MappingIssue {
  /** Index in `rows`, or null for an issue about the mapping as a whole. */
  rowIndex: number | null;
  /** The Conduit or CRM field the issue is about. */
  field: string;
  severity: IssueSeverity;
  code: MappingIssueCode;
  message: string;
}

export interface ValidateMappingInput {
  crm: CrmKind;
  object: MappedObject;
  rows: readonly MappingRow[];
  /** The object's fields as discovered from the CRM. */
  fields: readonly CrmFieldDescriptor[];
}

export interface MappingValidation {
  /** True when there is no error (warnings allowed). */
  valid: boolean;
  issues: MappingIssue[];
}

const isExported = (row: MappingRow): boolean => row.exportBehaviour !== 'do_not_export';
const WORSE: Record<TypeCompatibility, number> = { ok: 0, lossy: 1, incompatible: 2 };

/**
 * Checks a mapping against the CRM's discovered fields. Errors: unknown fields, exporting to
 * a read-only field, two exporting rows writing the same CRM field, two rows importing into
 * the same Conduit field, types that can never convert. Warnings: types where some values
 * will fail (text into a number, free text into an enumeration), one CRM field imported into
 * several Conduit fields, required CRM fields no row fills.
 */
export function validateMapping({ crm, object, rows, fields }: ValidateMappingInput): MappingValidation {
  const issues: MappingIssue[] = [];
  const add = (rowIndex: number | null, field: string, severity: IssueSeverity, code: MappingIssueCode, message: string): void => {
    issues.push({ rowIndex, field, severity, code, message });
  };

  rows.forEach((row, i) => {
    const conduit = resolveRowField(object, row);
    if (!conduit.ok) add(i, row.conduitField, 'error', 'unknown_conduit_field', conduit.error.message);
    const crmField = findCrmField(crm, fields, row.crmField);
    if (!crmField) {
      add(i, row.crmField, 'error', 'unknown_crm_field', `${row.crmField} is not a ${crm} ${object} field`);
      return;
    }
    if (crmField.readOnly && isExported(row)) {
      add(i, row.crmField, 'error', 'read_only', `${row.crmField} is read-only in ${crm}: set its export behaviour to do_not_export`);
    }
    if (!conduit.ok) return;
    const crmType = crmValueType(crmField);
    const directions: [TypeCompatibility, string][] = [
      [typeCompatibility(crmType, conduit.value.type), `importing ${crmType} ${row.crmField} into ${conduit.value.type} ${row.conduitField}`],
    ];
    if (isExported(row)) {
      directions.push([typeCompatibility(conduit.value.type, crmType), `exporting ${conduit.value.type} ${row.conduitField} to ${crmType} ${row.crmField}`]);
    }
    const [worst, what] = directions.reduce((a, b) => (WORSE[b[0]] > WORSE[a[0]] ? b : a));
    if (worst === 'incompatible') add(i, row.conduitField, 'error', 'incompatible_types', `Types never convert: ${what}`);
    if (worst === 'lossy') add(i, row.conduitField, 'warning', 'type_mismatch', `Some values will fail to convert: ${what}`);
  });

  const byCrmField = groupBy(rows, (r) => (crm === 'salesforce' ? r.crmField.toLowerCase() : r.crmField));
  for (const indexes of byCrmField.values()) {
    if (indexes.length < 2) continue;
    const exporting = indexes.filter((i) => isExported(rows[i] as MappingRow));
    for (const i of indexes.slice(1)) {
      const row = rows[i] as MappingRow;
      if (exporting.length > 1 && exporting.includes(i)) {
        add(i, row.crmField, 'error', 'duplicate_crm_target', `${row.crmField} is written by more than one row (rows ${exporting.join(', ')})`);
      } else {
        add(i, row.crmField, 'warning', 'duplicate_crm_source', `${row.crmField} is imported into more than one Conduit field (rows ${indexes.join(', ')})`);
      }
    }
  }
  for (const indexes of groupBy(rows, (r) => r.conduitField).values()) {
    for (const i of indexes.slice(1)) {
      const row = rows[i] as MappingRow;
      add(i, row.conduitField, 'error', 'duplicate_conduit_field', `${row.conduitField} is filled by more than one row (rows ${indexes.join(', ')})`);
    }
  }
  for (const f of fields) {
    if (f.required && !f.readOnly && !rows.some((r) => isExported(r) && findCrmField(crm, [f], r.crmField))) {
      add(null, f.name, 'warning', 'required_not_mapped', `${f.name} is required to create a record and no exported row fills it`);
    }
  }

  issues.sort((a, b) => (a.rowIndex ?? Infinity) - (b.rowIndex ?? Infinity));
  return { valid: !issues.some((x) => x.severity === 'error'), issues };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number[]> {
  const map = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    map.set(k, [...(map.get(k) ?? []), i]);
  });
  return map;
}
