import { decodeCrmValue, descriptorForRow, getCrmValue } from './codec.js';
import { type ConduitFieldRef, readConduitValue, resolveRowField, setConduitValue, toConduitValue } from './conduit-fields.js';
import { typedValuesEqual } from './coerce.js';
import { crmValueType } from './field-types.js';
import type { MappingErrorCode, Result } from './result.js';
import { type CurrentValueOrigin, decideFieldSource, type FieldSourceRule, fieldSourceRuleLabel } from './source-of-truth.js';
import type { ConduitRecord, CrmFieldDescriptor, CrmKind, CrmProperties, FieldType, MappedObject, MappingRow, TypedValue } from './types.js';
import { canonicalValue, vocabularyFor } from './value-maps.js';

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
  /** Set when a source-of-truth rule decided the change (several CRMs connected): the provenance rule to record. */
  sourceRule?: string;
}

/** A CRM value of a field with a fixed vocabulary that the connection's value map does not translate. */
export interface UnmappedValue {
  field: string;
  crmField: string;
  value: string;
}

/**
 * Several CRMs connected: the fields with a source of truth, and what Conduit knows about this record's values. A
 * field without a rule keeps its row's import priority.
 */
export interface ImportSourceOfTruth {
  /** Conduit field → its rule. */
  rules: ReadonlyMap<string, FieldSourceRule>;
  /** The CRM record's own modification time (ISO), null when unknown. */
  modifiedAt: string | null;
  /** Conduit field → who set its current value and when (from provenance). */
  origins?: ReadonlyMap<string, CurrentValueOrigin>;
  /** Conduit field → the value Conduit last took from this connection for it (from provenance). */
  lastImported?: ReadonlyMap<string, unknown>;
  /**
   * Whether the CRM field's value (as the CRM sends it) is the one Conduit last wrote to this record: reading it back
   * is not a change. The caller compares however it stores its writes (fingerprints; see echoKey).
   */
  isEcho?: (crmField: string, raw: unknown) => boolean;
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
  /** Several CRMs connected: per-field sources of truth (see ImportSourceOfTruth). */
  sourceOfTruth?: ImportSourceOfTruth;
}

export interface MergeResult {
  changes: FieldChange[];
  /** Conduit fields the import leaves as they are. */
  unchanged: string[];
  errors: FieldError[];
  /** Values of fixed-vocabulary fields the row's value map does not translate (the field is left alone). */
  unmapped: UnmappedValue[];
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
  const { object, rows, conduitRecord, crmRecord, now, source, fields, sourceOfTruth } = input;
  const result: MergeResult = { changes: [], unchanged: [], errors: [], unmapped: [] };
  const at = isoOf(now);

  for (const row of rows) {
    // Per row, not per record: the Conduit field and the CRM descriptor (a page merges thousands of records).
    const compiled = fields ? compileRow(object, source.crm, row, fields) : compiledRow(object, source.crm, row);
    const ref = compiled.ref;
    if (!ref.ok) {
      result.errors.push({ field: row.conduitField, crmField: row.crmField, code: ref.error.code, message: ref.error.message });
      continue;
    }
    const descriptor = compiled.descriptor;
    if (!descriptor.ok) {
      result.errors.push({ field: row.conduitField, crmField: row.crmField, code: descriptor.error.code, message: descriptor.error.message });
      continue;
    }
    const raw = getCrmValue(source.crm, crmRecord, row.crmField);
    if (compiled.plainText && sourceOfTruth === undefined) {
      // Fast path, same outcome as the general one below: text on both sides (the wire value and the current one
      // are strings or blank), so decoding and conversion are a trim and equality is string equality.
      const fast = mergePlainText(row, ref.value, conduitRecord, raw, result);
      if (fast === FAST_CHANGED) pushChange(result, row, fast.previous, fast.incoming, source, at);
      if (fast !== FAST_FALLBACK) continue;
    }
    const decoded = decodeCrmValue(source.crm, descriptor.value, raw);
    if (!decoded.ok) {
      result.errors.push({ field: row.conduitField, crmField: row.crmField, code: decoded.error.code, message: decoded.error.message });
      continue;
    }
    if (decoded.value === null || alreadyChanged(result, row.conduitField)) {
      result.unchanged.push(row.conduitField);
      continue;
    }
    let incoming = toConduitValue(ref.value, decoded.value);
    if (!incoming.ok) {
      result.errors.push({ field: row.conduitField, crmField: row.crmField, code: incoming.error.code, message: incoming.error.message });
      continue;
    }
    if (compiled.vocabulary !== null && row.valueMap !== undefined && typeof incoming.value === 'string') {
      // Fixed vocabulary: stored as Conduit's value, or left alone and reported (codes never mix with Conduit's values).
      const canonical = canonicalValue(row.valueMap, compiled.vocabulary, incoming.value);
      if (!canonical.mapped) {
        result.unmapped.push({ field: row.conduitField, crmField: row.crmField, value: canonical.value });
        result.unchanged.push(row.conduitField);
        continue;
      }
      incoming = { ok: true, value: canonical.value };
    }
    const rule = sourceOfTruth?.rules.get(row.conduitField);
    if (sourceOfTruth !== undefined && rule !== undefined) {
      const current = readConduitValue(conduitRecord, ref.value);
      const decision = decideFieldSource({
        rule,
        incomingCrm: source.crm,
        incomingModifiedAt: sourceOfTruth.modifiedAt,
        currentBlank: current.blank,
        equal: !current.blank && current.value.ok && typedValuesEqual(current.value.value, incoming.value),
        echo: sourceOfTruth.isEcho !== undefined && sourceOfTruth.isEcho(row.crmField, raw),
        unchangedSinceLastImport: sameAsLastImport(sourceOfTruth.lastImported, row.conduitField, incoming.value),
        current: sourceOfTruth.origins?.get(row.conduitField) ?? null,
      });
      if (!decision.write) {
        result.unchanged.push(row.conduitField);
        continue;
      }
      pushChange(result, row, current.raw, incoming.value, source, at);
      const change = result.changes[result.changes.length - 1];
      if (change) change.sourceRule = fieldSourceRuleLabel(decision.reason);
      continue;
    }
    const change = decide(row, ref.value, conduitRecord, incoming.value);
    if (change === null) {
      result.unchanged.push(row.conduitField);
      continue;
    }
    pushChange(result, row, change.previous, incoming.value, source, at);
  }
  return result;
}

/**
 * How a value written to or read from a CRM is compared for echoes: as text, trimmed, any case (HubSpot answers
 * strings for what Salesforce answers as numbers and booleans); null for a blank value (never an echo).
 */
export function echoKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
  const text = String(value).trim().toLowerCase();
  return text === '' ? null : text;
}

function sameAsLastImport(last: ReadonlyMap<string, unknown> | undefined, field: string, incoming: TypedValue): boolean {
  if (last === undefined || !last.has(field)) return false;
  const previous = last.get(field);
  if (previous === null || previous === undefined) return false;
  return typedValuesEqual(previous as TypedValue, incoming);
}

function pushChange(result: MergeResult, row: MappingRow, previousValue: unknown, newValue: TypedValue, source: ImportSource, at: string): void {
  // Two literals rather than a spread: one shape per variant, no temporary object.
  result.changes.push(
    source.crmRecordId !== undefined
      ? { field: row.conduitField, previousValue, newValue, source: 'crm', crm: source.crm, connectionId: source.connectionId, crmRecordId: source.crmRecordId, crmField: row.crmField, rule: row, at }
      : { field: row.conduitField, previousValue, newValue, source: 'crm', crm: source.crm, connectionId: source.connectionId, crmField: row.crmField, rule: row, at },
  );
}

function alreadyChanged(result: MergeResult, field: string): boolean {
  for (const c of result.changes) if (c.field === field) return true;
  return false;
}

let lastNow = Number.NaN;
let lastIso = '';
/** `now.toISOString()`, computed once for a page's records (they share one `now`). */
function isoOf(now: Date): string {
  const t = now.getTime();
  if (t !== lastNow) {
    lastIso = now.toISOString();
    lastNow = t;
  }
  return lastIso;
}

interface CompiledRow {
  object: MappedObject;
  crm: CrmKind;
  conduitField: string;
  conduitType: MappingRow['conduitType'];
  crmField: string;
  crmType: MappingRow['crmType'];
  ref: Result<ConduitFieldRef>;
  descriptor: Result<CrmFieldDescriptor>;
  /** HubSpot text → Conduit text without extra normalisation: decoding and conversion are a trim. */
  plainText: boolean;
  /** The Conduit field's fixed vocabulary (values go through the row's value map), null for free values. */
  vocabulary: readonly string[] | null;
  valueMap: MappingRow['valueMap'];
}

/** Conduit types a trimmed string converts to unchanged (coerceValue → toText). */
const TEXT_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['string', 'text', 'phone', 'url', 'enumeration']);
/** HubSpot wire types decoded as the trimmed string (decodeHubSpotValue). */
const HUBSPOT_TEXT_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['string', 'text', 'email', 'phone', 'url']);

function compileRow(object: MappedObject, crm: CrmKind, row: MappingRow, fields?: readonly CrmFieldDescriptor[]): CompiledRow {
  const ref = resolveRowField(object, row);
  const descriptor = descriptorForRow(crm, row, fields);
  // Only for rows typed by the mapping itself (no discovered fields): the import's path, and the general path stays
  // reachable with `fields` to check the shortcut against.
  const vocabulary = ref.ok && ref.value.kind === 'standard' ? vocabularyFor(object, ref.value.name) : null;
  const plainText =
    (vocabulary === null || row.valueMap === undefined) &&
    fields === undefined &&
    crm === 'hubspot' &&
    ref.ok &&
    descriptor.ok &&
    TEXT_TYPES.has(ref.value.type) &&
    !(ref.value.kind === 'standard' && ref.value.spec.normalize) &&
    HUBSPOT_TEXT_TYPES.has(crmValueType(descriptor.value));
  return { object, crm, conduitField: row.conduitField, conduitType: row.conduitType, crmField: row.crmField, crmType: row.crmType, ref, descriptor, plainText, vocabulary, valueMap: row.valueMap };
}

/** Compiled rows, per row object; a row changed since (or merged for another object or CRM) is compiled again. */
const COMPILED = new WeakMap<MappingRow, CompiledRow>();

function compiledRow(object: MappedObject, crm: CrmKind, row: MappingRow): CompiledRow {
  const c = COMPILED.get(row);
  if (c && c.object === object && c.crm === crm && c.conduitField === row.conduitField && c.conduitType === row.conduitType && c.crmField === row.crmField && c.crmType === row.crmType && c.valueMap === row.valueMap) return c;
  const fresh = compileRow(object, crm, row);
  COMPILED.set(row, fresh);
  return fresh;
}

const FAST_DONE = { kind: 'done' } as const;
const FAST_FALLBACK = { kind: 'fallback' } as const;
const FAST_CHANGED: { kind: 'changed'; previous: unknown; incoming: string } = { kind: 'changed', previous: null, incoming: '' };

/**
 * A plain-text row: FAST_DONE when it decided (unchanged recorded), FAST_CHANGED (a shared, reused object: read it at
 * once) when the field changes, FAST_FALLBACK when a side is not a string or blank (the general path decides).
 */
function mergePlainText(row: MappingRow, ref: ConduitFieldRef, record: ConduitRecord, raw: unknown, result: MergeResult): typeof FAST_DONE | typeof FAST_FALLBACK | typeof FAST_CHANGED {
  if (raw === null || raw === undefined) {
    result.unchanged.push(row.conduitField);
    return FAST_DONE;
  }
  if (typeof raw !== 'string') return FAST_FALLBACK;
  const incoming = raw.trim();
  if (incoming === '' || alreadyChanged(result, row.conduitField)) {
    result.unchanged.push(row.conduitField);
    return FAST_DONE;
  }
  const current = ref.kind === 'custom' ? customValue(record, ref.key) : record[ref.name];
  let changed: boolean;
  if (current === null || current === undefined) changed = true;
  else if (typeof current !== 'string') return FAST_FALLBACK;
  else {
    const trimmed = current.trim();
    // Blank: filled whatever the priority. Otherwise CRM wins replaces a different value; Conduit wins keeps it.
    changed = trimmed === '' || (row.importPriority === 'crm' && trimmed !== incoming);
  }
  if (!changed) {
    result.unchanged.push(row.conduitField);
    return FAST_DONE;
  }
  FAST_CHANGED.previous = current;
  FAST_CHANGED.incoming = incoming;
  return FAST_CHANGED;
}

function customValue(record: ConduitRecord, key: string): unknown {
  const attrs = record['customAttributes'];
  return attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs) ? (attrs as Record<string, unknown>)[key] : undefined;
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
