import type { ConnectionMappingDto, CrmFieldDto, CrmKind, ExportBehaviourDto, FieldError, ImportPriorityDto, MappingIssueDto, MappingRowDto } from '@conduit/contracts';

// The field-mapping dialog's drafts and how they become the rows the API stores: pure, tested in mapping-draft.test.ts.

export const CRM_LABELS: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** The CRM field chosen per (non-custom) Conduit field; null: not mapped. */
export type Draft = Record<string, string | null>;
/** Import priority and export behaviour chosen per Conduit field (absent: the stored row's, else the defaults). */
export type RuleDraft = Record<string, { importPriority: ImportPriorityDto; exportBehaviour: ExportBehaviourDto }>;

export const DEFAULT_RULE = { importPriority: 'crm', exportBehaviour: 'fill_if_empty' } as const;
export const PRIORITY_OPTIONS: { value: ImportPriorityDto; label: string }[] = [
  { value: 'crm', label: 'CRM wins' },
  { value: 'conduit', label: 'Conduit wins' },
];
export const BEHAVIOUR_OPTIONS: { value: ExportBehaviourDto; label: string }[] = [
  { value: 'fill_if_empty', label: 'Fill if empty' },
  { value: 'overwrite', label: 'Overwrite' },
  { value: 'do_not_export', label: 'Do not export' },
];

export function rulesOf(mapping: ConnectionMappingDto): RuleDraft {
  const rules: RuleDraft = {};
  for (const r of mapping.rows) rules[r.conduitField] ??= { importPriority: r.importPriority, exportBehaviour: r.exportBehaviour };
  return rules;
}

export const CUSTOM = 'custom.';
export const isCustom = (field: string) => field.startsWith(CUSTOM);

/** A custom-attribute row being edited: `key` is the attribute name without `custom.`. */
export interface CustomRowDraft {
  id: number;
  key: string;
  crmField: string | null;
  importPriority: ImportPriorityDto;
  exportBehaviour: ExportBehaviourDto;
}

let nextCustomId = 1;

/** An empty custom row with the defaults of a CRM-owned field. */
export function newCustomRow(): CustomRowDraft {
  return { id: nextCustomId++, key: '', crmField: null, ...DEFAULT_RULE };
}

export function customRowsOf(mapping: ConnectionMappingDto): CustomRowDraft[] {
  return mapping.rows
    .filter((r) => isCustom(r.conduitField))
    .map((r) => ({ id: nextCustomId++, key: r.conduitField.slice(CUSTOM.length), crmField: r.crmField, importPriority: r.importPriority, exportBehaviour: r.exportBehaviour }));
}

/** Why a custom row cannot be sent yet (null when it can). */
export function customRowError(row: CustomRowDraft, all: readonly CustomRowDraft[]): string | null {
  const key = row.key.trim();
  if (!key) return 'Name the Conduit custom attribute';
  if (!/^[A-Za-z0-9_.-]+$/.test(key)) return 'Letters, digits, _ . - only';
  if (!row.crmField) return 'Choose the CRM field';
  if (all.filter((r) => r.key.trim() === key).length > 1) return 'This attribute is already mapped';
  return null;
}

export function draftOf(mapping: ConnectionMappingDto): Draft {
  const draft: Draft = {};
  for (const f of mapping.conduitFields) if (!isCustom(f.name)) draft[f.name] = null;
  for (const r of mapping.rows) if (draft[r.conduitField] === null) draft[r.conduitField] = r.crmField;
  return draft;
}

/**
 * The stored rows with the dialog's choices applied: changed fields keep their priority/behaviour, cleared ones go, new
 * ones get the defaults of a CRM-owned field. With `custom`, the custom-attribute rows are replaced by the edited ones.
 */
export function rowsFromDraft(mapping: ConnectionMappingDto, draft: Draft, rules: RuleDraft = {}, custom?: readonly CustomRowDraft[]): MappingRowDto[] {
  const rows: MappingRowDto[] = [];
  const seen = new Set<string>();
  for (const r of mapping.rows) {
    if (custom && isCustom(r.conduitField)) continue;
    if (!(r.conduitField in draft)) {
      rows.push(r);
      continue;
    }
    if (seen.has(r.conduitField)) continue;
    seen.add(r.conduitField);
    const crmField = draft[r.conduitField];
    if (crmField) rows.push({ ...r, ...rules[r.conduitField], crmField });
  }
  for (const f of mapping.conduitFields) {
    const crmField = draft[f.name];
    if (!seen.has(f.name) && crmField) rows.push({ conduitField: f.name, crmField, ...DEFAULT_RULE, ...rules[f.name] });
  }
  for (const c of custom ?? []) {
    if (c.crmField && c.key.trim()) rows.push({ conduitField: `${CUSTOM}${c.key.trim()}`, crmField: c.crmField, importPriority: c.importPriority, exportBehaviour: c.exportBehaviour });
  }
  return rows;
}

/** The CRM fields a Conduit field can be mapped to, labelled "Label (name)"; the current one stays listed when it is gone. */
export function fieldOptions(fields: CrmFieldDto[], current: string | null) {
  const writable = fields.filter((f) => !f.readOnly).sort((a, b) => a.label.localeCompare(b.label));
  const options = writable.map((f) => ({ value: f.name, label: `${f.label} (${f.name})${f.custom ? ' · custom' : ''}` }));
  // A mapped field that disappeared (or is read-only) stays visible so the admin sees what to change.
  if (current && !writable.some((f) => f.name === current)) options.unshift({ value: current, label: `${current} (not available)` });
  return options;
}

/** The stored mapping's issues by the Conduit field of the row they name (issues of no row are left out). */
export function issuesByField(mapping: ConnectionMappingDto): Record<string, MappingIssueDto[]> {
  const map: Record<string, MappingIssueDto[]> = {};
  for (const issue of mapping.issues) {
    const row = issue.rowIndex === null ? undefined : mapping.rows[issue.rowIndex];
    if (row) map[row.conduitField] = [...(map[row.conduitField] ?? []), issue];
  }
  return map;
}

/** A 400 naming `rows.N.field`: its messages by the Conduit field of the N-th row sent. */
export function rowErrorsOf(fieldErrors: readonly FieldError[], sent: readonly MappingRowDto[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const fe of fieldErrors) {
    const index = /^rows\.(\d+)\./.exec(fe.field)?.[1];
    const row = index === undefined ? undefined : sent[Number(index)];
    if (row) byField[row.conduitField] = [...(byField[row.conduitField] ?? []), ...fe.messages];
  }
  return byField;
}

/** Which message of `customRowError` belongs under which input of a custom row. */
export function customErrorPlacement(error: string | null, key: string): { key?: string; crmField?: string } {
  if (!error) return {};
  if (!key.trim() || error.startsWith('Letters') || error.startsWith('This attribute')) return { key: error };
  if (error === 'Choose the CRM field') return { crmField: error };
  return {};
}
