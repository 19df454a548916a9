import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProvenanceFieldDoc } from './field-provenance.entity.js';

/** Fields whose provenance is kept (the import's mapped fields); custom attributes are tracked per key as `custom.<key>`. */
const TRACKED: Record<'person' | 'company', readonly string[]> = {
  person: ['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country', 'linkedinUrl', 'companyName', 'companyId', 'qualificationReasoning', 'leadStatus', 'engagementState'],
  company: ['name', 'domain', 'website', 'industry', 'employeeCount', 'city', 'country'],
};

/** The rule stored for a value someone set in Conduit (the import's rules are crm_wins / conduit_wins …). */
export const CONDUIT_EDIT_RULE = 'conduit_edit';
/** The rule stored for the values a person or company was created with in Conduit (POST, bulk, CSV import). */
export const CONDUIT_CREATE_RULE = 'conduit_create';

export interface FieldEdit {
  field: string;
  previousValue: unknown;
  value: unknown;
}

const blankToNull = (v: unknown): unknown => (v === undefined || v === '' ? null : v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(blankToNull(a)) === JSON.stringify(blankToNull(b));

/** The tracked fields that differ between two versions of a person or company (pure). */
export function diffEdits(entity: 'person' | 'company', before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): FieldEdit[] {
  const edits: FieldEdit[] = [];
  for (const field of TRACKED[entity]) {
    if (!same(before[field], after[field])) edits.push({ field, previousValue: blankToNull(before[field]), value: blankToNull(after[field]) });
  }
  const customBefore = (before['customAttributes'] ?? {}) as Record<string, unknown>;
  const customAfter = (after['customAttributes'] ?? {}) as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(customBefore), ...Object.keys(customAfter)])].sort()) {
    if (!same(customBefore[key], customAfter[key])) edits.push({ field: `custom.${key}`, previousValue: blankToNull(customBefore[key]), value: blankToNull(customAfter[key]) });
  }
  return edits;
}

/** The provenance document of one change set (field_provenance_set.fields): `{ "<field>": { crm_field, rule, previous_value, value } }`. */
export function provenanceDocument(edits: readonly FieldEdit[], rule: string): Record<string, ProvenanceFieldDoc> {
  const doc: Record<string, ProvenanceFieldDoc> = {};
  for (const e of edits) doc[e.field] = { crm_field: null, rule, previous_value: e.previousValue, value: e.value };
  return doc;
}

/** A record created in Conduit: its id and the values it was created with. */
export interface CreatedRecord {
  id: string;
  values: object;
}

/**
 * Provenance of values set in Conduit (the people and companies APIs): one field_provenance_set row per edited or
 * created record, source `conduit`, its fields as one document (edits with their previous value), written in the
 * caller's transaction so the change and its provenance commit together. "Why is this value here?" then answers
 * "set in Conduit" until a CRM value wins.
 */
export interface ConduitEditRecorder {
  recordEdits(manager: EntityManager, workspaceId: string, entity: 'person' | 'company', id: string, before: object, after: object): Promise<number>;
  /** The fields each record was created with (blank ones left out); returns the number of sets written. */
  recordCreated(manager: EntityManager, workspaceId: string, entity: 'person' | 'company', records: readonly CreatedRecord[]): Promise<number>;
}

export const CONDUIT_EDIT_RECORDER = Symbol('ConduitEditRecorder');

/** One set per record, in one statement (bulk creates pass up to 1,000 records). */
async function insertSets(manager: EntityManager, workspaceId: string, entity: 'person' | 'company', sets: { id: string; fields: Record<string, ProvenanceFieldDoc> }[]): Promise<number> {
  if (sets.length === 0) return 0;
  await manager.query(
    `INSERT INTO field_provenance_set (workspace_id, entity, entity_id, source, connection_id, crm_record_id, at, fields)
     SELECT $1, $2, v.id, 'conduit', NULL, NULL, now(), v.fields FROM jsonb_to_recordset($3::jsonb) AS v(id uuid, fields json)`,
    [workspaceId, entity, JSON.stringify(sets)],
  );
  return sets.length;
}

@Injectable()
export class ConduitEditProvenance implements ConduitEditRecorder {
  async recordEdits(
    manager: EntityManager,
    workspaceId: string,
    entity: 'person' | 'company',
    id: string,
    before: object,
    after: object,
  ): Promise<number> {
    const edits = diffEdits(entity, before as Record<string, unknown>, after as Record<string, unknown>);
    if (edits.length === 0) return 0;
    await insertSets(manager, workspaceId, entity, [{ id, fields: provenanceDocument(edits, CONDUIT_EDIT_RULE) }]);
    return edits.length;
  }

  async recordCreated(manager: EntityManager, workspaceId: string, entity: 'person' | 'company', records: readonly CreatedRecord[]): Promise<number> {
    const sets = records.flatMap((r) => {
      const edits = diffEdits(entity, {}, r.values as Record<string, unknown>);
      return edits.length ? [{ id: r.id, fields: provenanceDocument(edits, CONDUIT_CREATE_RULE) }] : [];
    });
    return insertSets(manager, workspaceId, entity, sets);
  }
}
