import type { CrmKind } from './types.js';

/**
 * Where a Conduit field's value comes from when several CRMs are connected: one CRM (the master), whichever CRM
 * changed it last ("most recent change wins", by the CRMs' own modification times), or Conduit itself.
 */
export type FieldSource = CrmKind | 'latest' | 'conduit';
export const FIELD_SOURCES: readonly FieldSource[] = ['hubspot', 'salesforce', 'latest', 'conduit'];

/** What an import from a CRM that is not the source does: fill a blank field, or never write it. */
export type OtherSourcesPolicy = 'fill_blanks' | 'never';
export const OTHER_SOURCES_POLICIES: readonly OtherSourcesPolicy[] = ['fill_blanks', 'never'];

export interface FieldSourceRule {
  source: FieldSource;
  others: OtherSourcesPolicy;
}

/**
 * The rule when the admin chose none: the first connected CRM is the source and the others fill blanks (the CRM a
 * workspace connected first is usually the one its team works in).
 */
export function defaultFieldSourceRule(connectedInOrder: readonly CrmKind[]): FieldSourceRule {
  return { source: connectedInOrder[0] ?? 'conduit', others: 'fill_blanks' };
}

/** Who set the field's current value, and when its source changed it (a CRM's modification time, or Conduit's edit time). */
export interface CurrentValueOrigin {
  /** null: set in Conduit (an edit, a create, a CSV import). */
  crm: CrmKind | null;
  /** ISO time; null when unknown (a value imported before modification times were recorded). */
  modifiedAt: string | null;
}

export interface FieldSourceInput {
  rule: FieldSourceRule;
  /** The CRM the import reads. */
  incomingCrm: CrmKind;
  /** The CRM record's own modification time (HubSpot `lastmodifieddate`, Salesforce `SystemModstamp`), ISO; null when unknown. */
  incomingModifiedAt: string | null;
  /** Conduit's current value is blank. */
  currentBlank: boolean;
  /** The incoming value equals Conduit's current one (after conversion and the value map). */
  equal: boolean;
  /** The incoming value is one Conduit itself wrote to this CRM record: reading it back is not a change. */
  echo: boolean;
  /**
   * The incoming value is the one Conduit last took from this same connection for this field: the CRM has not changed
   * it since (the record's modification time moved for another field). Only "most recent change wins" reads it.
   */
  unchangedSinceLastImport: boolean;
  /** Where the current value came from; null when unknown (no provenance). */
  current: CurrentValueOrigin | null;
}

export type FieldSourceReason =
  | 'unchanged'
  | 'echo'
  | 'source'
  | 'fill_blank'
  | 'not_source'
  | 'never'
  | 'conduit_is_source'
  | 'newer'
  | 'older'
  | 'same_time'
  | 'time_unknown'
  | 'not_changed_in_crm';

export interface FieldSourceDecision {
  write: boolean;
  reason: FieldSourceReason;
}

/** Provenance rule of a write, by its reason. */
export function fieldSourceRuleLabel(reason: FieldSourceReason): string {
  return reason === 'source' ? 'source_of_truth' : reason === 'newer' ? 'latest_change' : reason;
}

/**
 * Whether an imported CRM value replaces Conduit's, under the field's source of truth:
 * - equal values are no change, and a value Conduit itself wrote to the CRM (an echo) is never a change, so two CRMs
 *   fed by Conduit cannot bounce a value between them;
 * - a blank Conduit field is filled by any CRM, except one whose policy is "never" when it is not the source;
 * - a filled field: the source CRM replaces it; other CRMs and (source Conduit) every CRM leave it alone;
 * - "most recent change wins": the incoming value wins when its record changed after the current value's source did
 *   (strictly later, so equal times keep the value: no flip), and not when the CRM still holds the value Conduit last
 *   took from it (the record changed, this field did not). A current value of unknown age loses to a dated change; an
 *   undated incoming value never replaces a filled field.
 */
export function decideFieldSource(input: FieldSourceInput): FieldSourceDecision {
  const { rule, incomingCrm } = input;
  if (input.equal) return { write: false, reason: 'unchanged' };
  if (input.echo) return { write: false, reason: 'echo' };
  const isSource = rule.source === incomingCrm;
  if (input.currentBlank) {
    if (isSource) return { write: true, reason: 'source' };
    if (rule.source === 'latest' || rule.source === 'conduit') return { write: true, reason: 'fill_blank' };
    return rule.others === 'never' ? { write: false, reason: 'never' } : { write: true, reason: 'fill_blank' };
  }
  if (isSource) return { write: true, reason: 'source' };
  switch (rule.source) {
    case 'conduit':
      return { write: false, reason: 'conduit_is_source' };
    case 'hubspot':
    case 'salesforce':
      return { write: false, reason: rule.others === 'never' ? 'never' : 'not_source' };
    case 'latest':
      return latest(input);
  }
}

function latest(input: FieldSourceInput): FieldSourceDecision {
  if (input.unchangedSinceLastImport) return { write: false, reason: 'not_changed_in_crm' };
  const incoming = timeOf(input.incomingModifiedAt);
  if (incoming === null) return { write: false, reason: 'time_unknown' };
  const current = timeOf(input.current?.modifiedAt ?? null);
  if (current === null) return { write: true, reason: 'newer' };
  if (incoming > current) return { write: true, reason: 'newer' };
  return { write: false, reason: incoming === current ? 'same_time' : 'older' };
}

function timeOf(iso: string | null): number | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}
