import { findCrmField } from './codec.js';
import { crmValueType } from './field-types.js';
import { isBlank } from './normalize.js';
import { matchOption } from './options.js';
import { err, ok, type Result } from './result.js';
import { ADVANCED_STATUSES, parentOfStatus } from './status-advanced.js';
import type { ConduitRecord, CrmFieldDescriptor, CrmKind } from './types.js';

/** Conduit's engagement states (same list as @conduit/contracts ENGAGEMENT_STATES). */
export const ENGAGEMENT_STATES = ['not_contacted', 'contacted', 'replied', 'replied_positive', 'replied_negative'] as const;

/**
 * Settings → Status mapping: which CRM enumeration receives Conduit's status, and which CRM
 * value each Conduit status becomes. `source` picks the Conduit field that feeds it.
 */
export interface StatusMapping {
  crmField: string;
  source: 'leadStatus' | 'engagementState';
  /**
   * Conduit status → CRM option value. With an engagementState source, advanced statuses (status-advanced.ts) may
   * have entries too; one without an entry uses its parent's.
   */
  table: Record<string, string>;
  /**
   * CRM value → Conduit status for import, where the table alone is ambiguous (several
   * Conduit statuses share one CRM value). Without it the first such table entry wins.
   */
  reverse?: Record<string, string>;
}

export function defaultStatusMapping(crm: CrmKind): StatusMapping {
  switch (crm) {
    case 'hubspot':
      return {
        crmField: 'hs_lead_status',
        source: 'engagementState',
        table: {
          not_contacted: 'NEW',
          contacted: 'ATTEMPTED_TO_CONTACT',
          replied: 'CONNECTED',
          replied_positive: 'IN_PROGRESS',
          replied_negative: 'UNQUALIFIED',
        },
      };
    case 'salesforce':
      return {
        crmField: 'Status',
        source: 'engagementState',
        table: {
          not_contacted: 'Open - Not Contacted',
          contacted: 'Working - Contacted',
          replied: 'Working - Contacted',
          replied_positive: 'Working - Contacted',
          replied_negative: 'Closed - Not Converted',
        },
      };
  }
}

function scalarText(v: unknown): string | null {
  if (isBlank(v)) return null;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v).trim() : null;
}

export interface StatusForExportInput {
  crm: CrmKind;
  mapping: StatusMapping;
  /**
   * The person as mapping reads it. With an engagementState source, `advancedStatus` (the person's current advanced
   * status, see advancedStatusOf) is used when it refines the engagement state.
   */
  conduitRecord: ConduitRecord;
  /** The discovered CRM field: when given the value must be one of its options. */
  field?: CrmFieldDescriptor;
}

function tableValue(table: Record<string, string>, status: string): string | undefined {
  const v = Object.hasOwn(table, status) ? table[status] : undefined;
  return v === undefined || isBlank(v) ? undefined : v;
}

/**
 * The table entry a status resolves to: its own entry, else (an advanced status) its parent's. `status` is the key
 * whose entry was used, undefined when neither has one.
 */
export function resolveStatusEntry(table: Record<string, string>, status: string): { status: string; value: string } | undefined {
  const own = tableValue(table, status);
  if (own !== undefined) return { status, value: own };
  const parent = parentOfStatus(status);
  const inherited = parent === null ? undefined : tableValue(table, parent);
  return parent !== null && inherited !== undefined ? { status: parent, value: inherited } : undefined;
}

/** The status key of a record: with an engagementState source, its advanced status when that refines the engagement state. */
export function statusKeyOf(mapping: StatusMapping, conduitRecord: ConduitRecord): string | null {
  const key = scalarText(conduitRecord[mapping.source]);
  if (key === null || mapping.source !== 'engagementState') return key;
  const advanced = scalarText(conduitRecord['advancedStatus']);
  return advanced !== null && parentOfStatus(advanced) === key ? advanced : key;
}

/**
 * The CRM value for the record's current status: ok(null) when the record has no status,
 * `unmapped_status` when the table has no entry for it (nor, for an advanced status, its parent), `invalid_option`
 * when the table's value is not an option of the field (HubSpot enumerations and restricted picklists).
 */
export function statusForExport({ crm, mapping, conduitRecord, field }: StatusForExportInput): Result<string | null> {
  const key = statusKeyOf(mapping, conduitRecord);
  if (key === null) return ok(null);
  const entry = resolveStatusEntry(mapping.table, key);
  if (entry === undefined) {
    return err('unmapped_status', `Status "${key}" has no ${mapping.crmField} value in the status mapping`);
  }
  if (!field) return ok(entry.value);
  return matchOption(field, entry.value, field.restricted ?? crm === 'hubspot');
}

/**
 * The Conduit status for a CRM value: ok(null) when blank, `unmapped_status` when no entry maps to it. An entry of an
 * advanced status gives its parent (the engagement state is what an import can set; advanced statuses come from
 * activities).
 */
export function statusForImport(mapping: StatusMapping, crmValue: unknown): Result<string | null> {
  const value = scalarText(crmValue);
  if (value === null) return ok(null);
  const lower = value.toLowerCase();
  const reverse = Object.entries(mapping.reverse ?? {});
  const explicit = reverse.find(([v]) => v === value) ?? reverse.find(([v]) => v.toLowerCase() === lower);
  if (explicit) return ok(parentOfStatus(explicit[1]) ?? explicit[1]);
  const entries = Object.entries(mapping.table);
  const hit = entries.find(([, v]) => v === value) ?? entries.find(([, v]) => v.toLowerCase() === lower);
  return hit ? ok(parentOfStatus(hit[0]) ?? hit[0]) : err('unmapped_status', `${mapping.crmField} value "${value}" has no Conduit status in the status mapping`);
}

export type StatusIssueCode = 'unknown_crm_field' | 'read_only' | 'not_an_enumeration' | 'invalid_option' | 'unknown_status' | 'status_not_mapped';

export interface StatusIssue {
  /** The Conduit status the issue is about, null for the mapping as a whole. */
  status: string | null;
  severity: 'error' | 'warning';
  code: StatusIssueCode;
  message: string;
}

export interface ValidateStatusMappingInput {
  crm: CrmKind;
  mapping: StatusMapping;
  fields: readonly CrmFieldDescriptor[];
  /** The Conduit statuses that exist (defaults to ENGAGEMENT_STATES for an engagementState source). */
  conduitStatuses?: readonly string[];
}

/** Every status key a mapping with an engagementState source accepts: the engagement states, then the advanced statuses. */
export const STATUS_MAPPING_KEYS: readonly string[] = [...ENGAGEMENT_STATES, ...ADVANCED_STATUSES.map((s) => s.status)];

/**
 * Errors for unknown fields, read-only fields, values outside the options and unknown statuses; warnings for a
 * non-enumeration field and unmapped statuses. With an engagementState source advanced statuses are accepted, a
 * blank advanced entry means "use the parent's value", and only engagement states are warned about when unmapped.
 */
export function validateStatusMapping({ crm, mapping, fields, conduitStatuses }: ValidateStatusMappingInput): { valid: boolean; issues: StatusIssue[] } {
  const issues: StatusIssue[] = [];
  const field = findCrmField(crm, fields, mapping.crmField);
  const advanced = conduitStatuses === undefined && mapping.source === 'engagementState';
  const statuses = conduitStatuses ?? (advanced ? STATUS_MAPPING_KEYS : undefined);
  const inherits = (status: string, value: string) => advanced && isBlank(value) && parentOfStatus(status) !== null;
  if (!field) {
    issues.push({ status: null, severity: 'error', code: 'unknown_crm_field', message: `${mapping.crmField} is not a ${crm} field` });
  } else {
    if (field.readOnly) issues.push({ status: null, severity: 'error', code: 'read_only', message: `${field.name} is read-only` });
    const type = crmValueType(field);
    if (type !== 'enumeration') {
      issues.push({ status: null, severity: 'warning', code: 'not_an_enumeration', message: `${field.name} is a ${type} field, not a single-select enumeration` });
    }
    for (const [status, value] of Object.entries(mapping.table)) {
      if (inherits(status, value)) continue;
      const m = matchOption(field, value, true);
      if (!m.ok) issues.push({ status, severity: 'error', code: 'invalid_option', message: m.error.message });
    }
  }
  if (statuses) {
    for (const status of Object.keys(mapping.table)) {
      if (!statuses.includes(status)) issues.push({ status, severity: 'error', code: 'unknown_status', message: `"${status}" is not a Conduit status` });
    }
    for (const status of statuses) {
      if (advanced && parentOfStatus(status) !== null) continue;
      if (!Object.hasOwn(mapping.table, status)) {
        issues.push({ status, severity: 'warning', code: 'status_not_mapped', message: `"${status}" is not mapped: records in it will not update ${mapping.crmField}` });
      }
    }
  }
  return { valid: !issues.some((i) => i.severity === 'error'), issues };
}
