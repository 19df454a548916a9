import type {
  ConnectionMappingDto,
  CrmFieldDto,
  CrmKind,
  ExportBehaviourDto,
  FieldError,
  FieldSourceDto,
  ImportPriorityDto,
  MappingIssueDto,
  MappingRowDto,
  OtherSourcesPolicyDto,
  SourceOfTruthDto,
} from '@conduit/contracts';

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

/** Value maps being edited, per Conduit field with a fixed vocabulary: CRM option value → Conduit value ('' = unmapped). */
export type ValueMapDraft = Record<string, Record<string, string>>;

/** The value maps of the mapped fixed-vocabulary fields, as the API answers them (saved + suggestions). */
export function valueMapsOf(mapping: ConnectionMappingDto): ValueMapDraft {
  const maps: ValueMapDraft = {};
  for (const r of mapping.rows) if (r.valueMap && !(r.conduitField in maps)) maps[r.conduitField] = { ...r.valueMap };
  return maps;
}

/** The Conduit fields with a fixed vocabulary (lead status, industry), with their values. */
export function vocabularyFields(mapping: ConnectionMappingDto): { name: string; label: string; vocabulary: string[] }[] {
  return mapping.conduitFields.flatMap((f) => (f.vocabulary ? [{ name: f.name, label: f.label, vocabulary: f.vocabulary }] : []));
}

/**
 * The options of the CRM field a fixed-vocabulary field is mapped to, labelled for people (the option's label, never its
 * code unless it has no other name), and what each is imported as. Options the map names that the CRM no longer lists
 * stay visible.
 */
export function valueMapRows(mapping: ConnectionMappingDto, crmField: string | null, map: Record<string, string>): { value: string; label: string; conduitValue: string | null }[] {
  const field = crmField ? mapping.fields.find((f) => f.name === crmField) : undefined;
  const options = field?.options ?? [];
  const rows = options.map((o) => ({ value: o.value, label: o.label || o.value, conduitValue: map[o.value] || null }));
  for (const [value, conduitValue] of Object.entries(map)) if (!options.some((o) => o.value === value)) rows.push({ value, label: value, conduitValue: conduitValue || null });
  return rows;
}

/**
 * The stored rows with the dialog's choices applied: changed fields keep their priority/behaviour, cleared ones go, new
 * ones get the defaults of a CRM-owned field. With `custom`, the custom-attribute rows are replaced by the edited ones.
 * With `valueMaps`, rows of fixed-vocabulary fields carry the edited map (a field mapped to another CRM field starts
 * from Conduit's suggestions: no map is sent).
 */
export function rowsFromDraft(
  mapping: ConnectionMappingDto,
  draft: Draft,
  rules: RuleDraft = {},
  custom?: readonly CustomRowDraft[],
  valueMaps?: ValueMapDraft,
): MappingRowDto[] {
  const rows = baseRows(mapping, draft, rules, custom);
  if (!valueMaps) return rows;
  return rows.map((r) => {
    const map = valueMaps[r.conduitField];
    const saved = mapping.rows.find((s) => s.conduitField === r.conduitField);
    const { valueMap: _old, ...rest } = r;
    if (!map || !saved || saved.crmField !== r.crmField) return rest;
    return { ...rest, valueMap: map };
  });
}

function baseRows(mapping: ConnectionMappingDto, draft: Draft, rules: RuleDraft, custom?: readonly CustomRowDraft[]): MappingRowDto[] {
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

/** Source-of-truth choices being edited, per Conduit field. */
export type SourceDraft = Record<string, { source: FieldSourceDto; others: OtherSourcesPolicyDto }>;

export function sourcesOf(sot: SourceOfTruthDto): SourceDraft {
  const draft: SourceDraft = {};
  for (const f of sot.fields) draft[f.conduitField] = { source: f.source, others: f.others };
  return draft;
}

/** The choices that differ from what is saved (or from the default), as the API takes them. */
export function changedSources(sot: SourceOfTruthDto, draft: SourceDraft): { conduitField: string; source: FieldSourceDto; others: OtherSourcesPolicyDto }[] {
  return sot.fields.flatMap((f) => {
    const d = draft[f.conduitField];
    return d && (d.source !== f.source || d.others !== f.others) ? [{ conduitField: f.conduitField, ...d }] : [];
  });
}

/** The sources an admin can pick: the connected CRMs (first connected first), the most recent change, Conduit. */
export function sourceOptions(connected: readonly CrmKind[]): { value: FieldSourceDto; label: string }[] {
  return [...connected.map((c) => ({ value: c, label: CRM_LABELS[c] })), { value: 'latest', label: 'Most recent change wins' }, { value: 'conduit', label: 'Conduit' }];
}

export const OTHERS_OPTIONS: { value: OtherSourcesPolicyDto; label: string }[] = [
  { value: 'fill_blanks', label: 'Fill blanks only' },
  { value: 'never', label: 'Never write' },
];

/** One sentence saying what a choice does, for the row's help text. */
export function sourceExplanation(choice: { source: FieldSourceDto; others: OtherSourcesPolicyDto }, connected: readonly CrmKind[]): string {
  const others = (source: CrmKind) => connected.filter((c) => c !== source).map((c) => CRM_LABELS[c]).join(' and ');
  switch (choice.source) {
    case 'latest':
      return 'Whichever CRM changed it last wins, by the CRMs’ own modification times.';
    case 'conduit':
      return 'Conduit keeps its value; the CRMs only fill it when it is blank.';
    case 'hubspot':
    case 'salesforce':
      return `${CRM_LABELS[choice.source]}’s value wins; ${others(choice.source) || 'the other CRM'} ${choice.others === 'never' ? 'never writes it' : 'only fills it when it is blank'}.`;
  }
}

/** Everything the mapping editor edits for one object (the source-of-truth choices are compared on their own). */
export interface MappingDrafts {
  draft: Draft;
  rules: RuleDraft;
  custom: readonly CustomRowDraft[];
  valueMaps: ValueMapDraft;
}

/** The drafts a saved mapping starts the editor with. */
export function draftsOf(mapping: ConnectionMappingDto): MappingDrafts {
  return { draft: draftOf(mapping), rules: rulesOf(mapping), custom: customRowsOf(mapping), valueMaps: valueMapsOf(mapping) };
}

/**
 * Whether the editor holds changes not in `base`, the saved mapping it started from: the rows it would send differ,
 * or a custom row was added, removed or half-filled (rows it cannot send yet are edits too).
 */
export function hasUnsavedChanges(base: ConnectionMappingDto, drafts: MappingDrafts): boolean {
  const start = draftsOf(base);
  const sent = (d: MappingDrafts) => JSON.stringify(rowsFromDraft(base, d.draft, d.rules, d.custom, d.valueMaps));
  const customs = (rows: readonly CustomRowDraft[]) => JSON.stringify(rows.map(({ id: _id, ...rest }) => rest));
  return sent(drafts) !== sent(start) || customs(drafts.custom) !== customs(start.custom);
}
