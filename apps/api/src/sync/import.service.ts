import { Injectable } from '@nestjs/common';
import type { CrmKind, CrmObjectType, CrmRecord } from '@conduit/crm';
import type { ConduitRecord, MappingRow } from '@conduit/mapping';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { type EntityKind, entityFor, identityKey, type ImportPlan, type PageState, planImport } from './import-plan.js';

/**
 * The import engine's database half. Everything it sends is set-based: one statement per table and chunk, with
 * the rows travelling as a single jsonb parameter expanded by jsonb_to_recordset. That keeps a page of any size
 * far from Postgres' 65,535 bind-parameter limit (a VALUES list of 14 columns would hit it at ~4,600 rows) and
 * gives the planner one plan per statement instead of one per record.
 */

/** Rows per statement: bounds the size of one jsonb parameter. */
const CHUNK = 5000;

export interface ImportScope {
  workspaceId: string;
  connectionId: string;
  crm: CrmKind;
  runId: string;
}

export interface PageOutcome {
  counts: ImportPlan['counts'];
  sample: ImportPlan['sample'];
  failures: ImportPlan['failures'];
}

interface Column {
  field: string;
  column: string;
  type: string;
}

const PERSON_COLUMNS: Column[] = [
  { field: 'firstName', column: 'first_name', type: 'text' },
  { field: 'lastName', column: 'last_name', type: 'text' },
  { field: 'email', column: 'email', type: 'text' },
  { field: 'phone', column: 'phone', type: 'text' },
  { field: 'jobTitle', column: 'job_title', type: 'text' },
  { field: 'city', column: 'city', type: 'text' },
  { field: 'country', column: 'country', type: 'text' },
  { field: 'linkedinUrl', column: 'linkedin_url', type: 'text' },
  { field: 'companyName', column: 'company_name', type: 'text' },
  { field: 'companyId', column: 'company_id', type: 'uuid' },
  { field: 'qualificationReasoning', column: 'qualification_reasoning', type: 'text' },
  { field: 'leadStatus', column: 'lead_status', type: 'text' },
  { field: 'engagementState', column: 'engagement_state', type: 'text' },
  { field: 'customAttributes', column: 'custom_attributes', type: 'jsonb' },
];

const COMPANY_COLUMNS: Column[] = [
  { field: 'name', column: 'name', type: 'text' },
  { field: 'domain', column: 'domain', type: 'text' },
  { field: 'website', column: 'website', type: 'text' },
  { field: 'industry', column: 'industry', type: 'text' },
  { field: 'employeeCount', column: 'employee_count', type: 'integer' },
  { field: 'city', column: 'city', type: 'text' },
  { field: 'country', column: 'country', type: 'text' },
];

const TABLE: Record<EntityKind, { table: string; columns: Column[]; link: 'person_id' | 'company_id' }> = {
  person: { table: 'person', columns: PERSON_COLUMNS, link: 'person_id' },
  company: { table: 'company', columns: COMPANY_COLUMNS, link: 'company_id' },
};

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function recordset(columns: Column[]): string {
  return columns.map((c) => `"${c.column}" ${c.type}`).join(', ');
}

/** A Conduit record as the jsonb object jsonb_to_recordset reads (column names, nulls for blanks). */
function toRow(id: string, record: ConduitRecord, columns: Column[]): Record<string, unknown> {
  const row: Record<string, unknown> = { id };
  for (const c of columns) row[c.column] = record[c.field] ?? null;
  return row;
}

@Injectable()
export class ImportService {
  /**
   * Imports one page of CRM records of one object. With `dryRun` nothing is written: the plan's counts and
   * sample are the preview. The caller owns the transaction (so the page and its checkpoint commit together).
   */
  async importPage(
    manager: EntityManager,
    scope: ImportScope,
    object: CrmObjectType,
    rows: readonly MappingRow[],
    records: readonly CrmRecord[],
    options: { dryRun?: boolean; sampleSize?: number; now?: Date } = {},
  ): Promise<PageOutcome> {
    const entity = entityFor(object);
    const now = options.now ?? new Date();
    if (records.length === 0) return { counts: { created: 0, updated: 0, unchanged: 0, failed: 0, archived: 0 }, sample: [], failures: [] };
    const state = await this.loadState(manager, scope, object, entity, rows, records);
    const plan = planImport({
      entity,
      crm: scope.crm,
      connectionId: scope.connectionId,
      rows,
      records,
      state,
      now,
      newId: randomUUID,
      ...(options.sampleSize !== undefined ? { sampleSize: options.sampleSize } : {}),
    });
    if (!options.dryRun) await this.write(manager, scope, object, entity, plan, now);
    return { counts: plan.counts, sample: plan.sample, failures: plan.failures };
  }

  private async loadState(
    manager: EntityManager,
    scope: ImportScope,
    object: CrmObjectType,
    entity: EntityKind,
    rows: readonly MappingRow[],
    records: readonly CrmRecord[],
  ): Promise<PageState> {
    const { table, columns, link } = TABLE[entity];
    const crmIds = records.map((r) => r.id);
    const linkRows = await manager.query<{ crm_id: string; entity_id: string }[]>(
      `SELECT crm_id, ${link} AS entity_id FROM crm_link WHERE workspace_id = $1 AND connection_id = $2 AND object = $3 AND crm_id = ANY($4::text[])`,
      [scope.workspaceId, scope.connectionId, object, crmIds],
    );
    const linkedByCrmId = new Map(linkRows.map((l) => [l.crm_id, l.entity_id]));
    const keys = [...new Set(records.map((r) => identityKey(entity, rows, r)).filter((k): k is string => k !== null))];
    const keyExpr = entity === 'person' ? 'lower(email)' : 'lower(domain)';
    const select = columns.map((c) => `"${c.column}" AS "${c.field}"`).join(', ');
    const found = await manager.query<(ConduitRecord & { id: string; key: string | null; created_at: Date })[]>(
      // Two index lookups (primary key, workspace+key index) rather than one OR, which the planner turns into a scan.
      `SELECT * FROM (
         SELECT id, created_at, ${keyExpr} AS key, ${select} FROM ${table} WHERE workspace_id = $1 AND id = ANY($2::uuid[])
         UNION
         SELECT id, created_at, ${keyExpr} AS key, ${select} FROM ${table} WHERE workspace_id = $1 AND ${keyExpr} = ANY($3::text[])
       ) found ORDER BY created_at`,
      [scope.workspaceId, [...new Set(linkedByCrmId.values())], keys],
    );
    const entitiesById = new Map<string, ConduitRecord>();
    const entityByKey = new Map<string, string>();
    for (const { key, created_at: _created, ...rec } of found) {
      entitiesById.set(rec.id, rec);
      // Oldest first: with duplicate company domains the first company is the match.
      if (key && !entityByKey.has(key)) entityByKey.set(key, rec.id);
    }

    const companyByCrmId = new Map<string, string>();
    const companyByDomain = new Map<string, string>();
    if (entity === 'person') {
      const companyCrmIds = [...new Set(records.map((r) => r.associations?.company?.[0] ?? (typeof r.properties['AccountId'] === 'string' ? r.properties['AccountId'] : null)).filter((x): x is string => !!x))];
      if (companyCrmIds.length) {
        const companyLinks = await manager.query<{ crm_id: string; company_id: string }[]>(
          `SELECT crm_id, company_id FROM crm_link WHERE workspace_id = $1 AND connection_id = $2 AND object = 'company' AND crm_id = ANY($3::text[]) AND archived_at IS NULL`,
          [scope.workspaceId, scope.connectionId, companyCrmIds],
        );
        for (const l of companyLinks) companyByCrmId.set(l.crm_id, l.company_id);
      }
      const domains = [...new Set(keys.map((e) => e.slice(e.lastIndexOf('@') + 1)))];
      if (domains.length) {
        const companies = await manager.query<{ id: string; domain: string }[]>(
          `SELECT DISTINCT ON (lower(domain)) id, lower(domain) AS domain FROM company WHERE workspace_id = $1 AND lower(domain) = ANY($2::text[]) ORDER BY lower(domain), created_at`,
          [scope.workspaceId, domains],
        );
        for (const c of companies) companyByDomain.set(c.domain, c.id);
      }
    }
    return { linkedByCrmId, entitiesById, entityByKey, companyByCrmId, companyByDomain };
  }

  private async write(manager: EntityManager, scope: ImportScope, object: CrmObjectType, entity: EntityKind, plan: ImportPlan, now: Date): Promise<void> {
    const { table, columns, link } = TABLE[entity];
    const ws = scope.workspaceId;
    const cols = columns.map((c) => `"${c.column}"`).join(', ');

    for (const part of chunks(plan.creates)) {
      const values = columns
        .map((c) => (c.column === 'engagement_state' ? `COALESCE(v."engagement_state", 'not_contacted')` : c.column === 'custom_attributes' ? `COALESCE(v."custom_attributes", '{}')` : `v."${c.column}"`))
        .join(', ');
      const conflict = entity === 'person' ? `ON CONFLICT (workspace_id, lower(email)) WHERE email IS NOT NULL DO NOTHING` : '';
      const inserted = await manager.query<{ id: string }[]>(
        `INSERT INTO ${table} (id, workspace_id, ${cols})
         SELECT v.id, $1, ${values} FROM jsonb_to_recordset($2::jsonb) AS v(id uuid, ${recordset(columns)})
         ${conflict} RETURNING id`,
        [ws, JSON.stringify(part.map((w) => toRow(w.id, w.record, columns)))],
      );
      // Another worker created one of these emails since the page was read: retry the page, it will match now.
      if (inserted.length !== part.length) throw new Error(`Concurrent import created ${part.length - inserted.length} of these ${table} rows; retrying the page`);
    }

    for (const part of chunks(plan.updates)) {
      const sets = columns.map((c) => `"${c.column}" = v."${c.column}"`).join(', ');
      await manager.query(
        `UPDATE ${table} AS t SET ${sets}, updated_at = now()
           FROM jsonb_to_recordset($2::jsonb) AS v(id uuid, ${recordset(columns)})
          WHERE t.id = v.id AND t.workspace_id = $1`,
        [ws, JSON.stringify(part.map((w) => toRow(w.id, w.record, columns)))],
      );
    }

    for (const part of chunks(plan.links)) {
      await manager.query(
        `INSERT INTO crm_link (workspace_id, connection_id, crm, object, crm_id, ${link}, archived_at, last_synced_at)
         SELECT $1, $2, $3, $4, v.crm_id, v.entity_id, NULL, $5 FROM jsonb_to_recordset($6::jsonb) AS v(crm_id text, entity_id uuid)
         ON CONFLICT (connection_id, object, crm_id)
         DO UPDATE SET ${link} = excluded.${link}, archived_at = NULL, last_synced_at = excluded.last_synced_at
         WHERE crm_link.workspace_id = excluded.workspace_id`,
        [ws, scope.connectionId, scope.crm, object, now, JSON.stringify(part.map((l) => ({ crm_id: l.crmId, entity_id: l.entityId })))],
      );
    }

    if (plan.archivedCrmIds.length) {
      await manager.query(
        `UPDATE crm_link SET archived_at = COALESCE(archived_at, $5), last_synced_at = $5
          WHERE workspace_id = $1 AND connection_id = $2 AND object = $3 AND crm_id = ANY($4::text[])`,
        [ws, scope.connectionId, object, plan.archivedCrmIds, now],
      );
    }

    for (const part of chunks(plan.provenance)) {
      await manager.query(
        `INSERT INTO field_provenance (workspace_id, entity, entity_id, field, source, connection_id, crm_record_id, crm_field, rule, previous_value, value, at)
         SELECT $1, v.entity, v.entity_id, v.field, 'crm', $2, v.crm_record_id, v.crm_field, v.rule, v.previous_value, v.value, $3
           FROM jsonb_to_recordset($4::jsonb) AS v(entity text, entity_id uuid, field text, crm_record_id text, crm_field text, rule text, previous_value jsonb, value jsonb)`,
        [
          ws,
          scope.connectionId,
          now,
          JSON.stringify(
            part.map((p) => ({
              entity: p.entity,
              entity_id: p.entityId,
              field: p.field,
              crm_record_id: p.crmRecordId,
              crm_field: p.crmField,
              rule: p.rule,
              previous_value: p.previousValue ?? null,
              value: p.value ?? null,
            })),
          ),
        ],
      );
    }

    await this.recordFailures(manager, scope, plan.failures);
  }

  async recordFailures(manager: EntityManager, scope: ImportScope, failures: readonly { crmId: string; reason: string }[]): Promise<void> {
    for (const part of chunks(failures)) {
      await manager.query(
        `INSERT INTO sync_failure (workspace_id, run_id, crm_id, reason)
         SELECT $1, $2, v.crm_id, v.reason FROM jsonb_to_recordset($3::jsonb) AS v(crm_id text, reason text)`,
        [scope.workspaceId, scope.runId, JSON.stringify(part.map((f) => ({ crm_id: f.crmId, reason: f.reason.slice(0, 2000) })))],
      );
    }
  }
}
