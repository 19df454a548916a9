import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Fields whose provenance is kept (the import's mapped fields); custom attributes are tracked per key as `custom.<key>`. */
const TRACKED: Record<'person' | 'company', readonly string[]> = {
  person: ['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country', 'linkedinUrl', 'companyName', 'companyId', 'qualificationReasoning', 'leadStatus', 'engagementState'],
  company: ['name', 'domain', 'website', 'industry', 'employeeCount', 'city', 'country'],
};

/** The rule stored for a value someone set in Conduit (the import's rules are crm_wins / conduit_wins …). */
export const CONDUIT_EDIT_RULE = 'conduit_edit';

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

/**
 * Provenance of edits made in Conduit (the people and companies APIs): one field_provenance row per changed field
 * with source `conduit` and the previous value, written in the caller's transaction so the edit and
 * its provenance commit together. "Why is this value here?" then answers "set in Conduit" until a CRM value wins.
 */
export interface ConduitEditRecorder {
  recordEdits(manager: EntityManager, workspaceId: string, entity: 'person' | 'company', id: string, before: object, after: object): Promise<number>;
}

export const CONDUIT_EDIT_RECORDER = Symbol('ConduitEditRecorder');

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
    await manager.query(
      `INSERT INTO field_provenance (workspace_id, entity, entity_id, field, source, connection_id, crm_record_id, crm_field, rule, previous_value, value, at)
       SELECT $1, $2, $3, v.field, 'conduit', NULL, NULL, NULL, $4, v.previous_value, v.value, now()
         FROM jsonb_to_recordset($5::jsonb) AS v(field text, previous_value jsonb, value jsonb)`,
      [workspaceId, entity, id, CONDUIT_EDIT_RULE, JSON.stringify(edits.map((e) => ({ field: e.field, previous_value: e.previousValue, value: e.value })))],
    );
    return edits.length;
  }
}
