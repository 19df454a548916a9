import { Injectable } from '@nestjs/common';
import { type CrmKind, type CrmObjectType, type CrmRecord, type LeadConversion, leadConversionOf } from '@conduit/crm';
import { type ConduitRecord, type CurrentValueOrigin, type FieldSourceRule, type MappingRow } from '@conduit/mapping';
import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { copyField, copyIn, copyJson, CopyLines } from '../common/pg-copy.js';
import { uuidv7 } from '../common/uuidv7.js';
import { SuppressionService } from '../suppression/suppression.service.js';
import { applyOverlay, type PageOverlay } from './batch-overlay.js';
import { type ConsentPlan, planConsent } from './consent-import.js';
import { CrmLinkRepository, crmLinkSql } from './crm-link.repository.js';
import {
  type EntityKind,
  entityFor,
  identityKeyOf,
  identityRow,
  type ImportFailure,
  type ImportPlan,
  type PageOutcome,
  type PageSourceOfTruth,
  type PageState,
  planImport,
  planImportAsync,
  type PlanInput,
  type ProvenanceEntry,
} from './import-plan.js';
import { LeadConversions } from './lead-conversions.js';
import { SyncRunRepository } from './sync-run.repository.js';
import { writtenFingerprint } from './written-values.js';

/**
 * The import engine's database half. Everything it sends is set-based, one statement per table per batch:
 * - new people/companies, new CRM links and provenance (the bulk of a backfill) go in with COPY (text format),
 *   the cheapest way into Postgres: no bind parameters, no JSON to parse, one round trip per table;
 * - updates, re-linked records and failures travel as one jsonb parameter expanded by jsonb_to_recordset, which
 *   keeps a page of any size far from Postgres' 65,535 bind-parameter limit.
 * Provenance is one row per imported record (a json document keyed by field), not one row per field.
 */

/** Why an erased person's CRM record was not imported (no email: the record id says which). */
export const ERASED_REASON = 'Not imported: this person was erased in Conduit and is on the suppression list';

/** Rows per statement: bounds the size of one jsonb parameter. */
const CHUNK = 5000;

export interface ImportScope {
  workspaceId: string;
  connectionId: string;
  crm: CrmKind;
  runId: string;
}

export type { PageOutcome } from './import-plan.js';

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
  { field: 'customAttributes', column: 'custom_attributes', type: 'jsonb' },
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

/**
 * `"field":{"crm_field":…,"rule":…` of provenance entries, encoded once per page: a page repeats the same few
 * (field, CRM field, rule) triples for every record.
 */
class EntryHeads {
  private readonly heads = new Map<string, { crmField: string | null; rule: string; head: string }[]>();

  of(e: ProvenanceEntry): string {
    let list = this.heads.get(e.field);
    if (!list) this.heads.set(e.field, (list = []));
    for (const h of list) if (h.crmField === e.crmField && h.rule === e.rule) return h.head;
    const head = `${JSON.stringify(e.field)}:{"crm_field":${JSON.stringify(e.crmField)},"rule":${JSON.stringify(e.rule)}`;
    list.push({ crmField: e.crmField, rule: e.rule, head });
    return head;
  }
}

/** The provenance document of one record's changes: `{ field: { crm_field, rule, previous_value?, value? } }`. */
function provenanceDoc(entries: readonly ProvenanceEntry[], heads: EntryHeads): string {
  const to = entries.length;
  let doc = '{';
  for (let i = 0; i < to; i++) {
    const e = entries[i]!;
    // A field decided twice for one record (a mapped companyId, then the association): the later entry is the answer.
    let later = false;
    for (let j = i + 1; j < to && !later; j++) later = entries[j]!.field === e.field;
    if (later) continue;
    if (doc.length > 1) doc += ',';
    doc += heads.of(e);
    if (e.previousValue !== null && e.previousValue !== undefined) doc += `,"previous_value":${JSON.stringify(e.previousValue)}`;
    if (e.value !== null && e.value !== undefined) doc += `,"value":${JSON.stringify(e.value)}`;
    doc += '}';
  }
  return `${doc}}`;
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

const EMPTY_STATE: PageState = { linkedByCrmId: new Map(), entitiesById: new Map(), entityByKey: new Map(), companyByCrmId: new Map(), companyByDomain: new Map() };

/** The provenance set of one imported record as a COPY line of field_provenance_set (with the CRM record's modification time). */
function provenanceLine(scope: ImportScope, at: string, heads: EntryHeads, entries: readonly ProvenanceEntry[], crmModifiedAt: string | null): string {
  const first = entries[0]!;
  return `${scope.workspaceId}\t${first.entity}\t${first.entityId}\tcrm\t${scope.connectionId}\t${copyField(first.crmRecordId, 'text')}\t${at}\t${copyJson(provenanceDoc(entries, heads))}\t${crmModifiedAt === null ? '\\N' : crmModifiedAt}\n`;
}


/** The COPY payloads of a planned page's new rows and new links, and its known links. */
function render(page: PreparedPage, plan: ImportPlan, state: PageState): void {
  const { scope, object, entity } = page;
  const { columns } = TABLE[entity];
  const ws = scope.workspaceId;
  const at = page.now.toISOString();

  const creates = new CopyLines();
  for (const w of plan.creates) {
    let line = `${w.id}\t${ws}`;
    for (const c of columns) {
      const v = w.record[c.field] ?? (c.column === 'engagement_state' ? 'not_contacted' : c.column === 'custom_attributes' ? {} : null);
      line += `\t${copyField(v, c.type)}`;
    }
    creates.add(`${line}\n`);
  }
  page.createLines = creates.done();

  const links = new CopyLines();
  const prefix = `${ws}\t${scope.connectionId}\t${scope.crm}\t${object}\t`;
  for (const l of plan.links) {
    if (state.linkedByCrmId.has(l.crmId)) page.knownLinks.push({ crm_id: l.crmId, entity_id: l.entityId });
    else links.add(`${uuidv7()}\t${prefix}${copyField(l.crmId, 'text')}\t${l.entityId}\t${at}\n`);
  }
  page.newLinkLines = links.done();
}

export type WritablePlan = Omit<ImportPlan, 'provenance'>;

/**
 * One batch, planned and rendered but not written: the COPY payloads are built before the transaction opens, so the
 * transaction only streams them (Postgres does not wait for Node between statements).
 */
export interface PreparedPage {
  scope: ImportScope;
  object: CrmObjectType;
  entity: EntityKind;
  now: Date;
  dryRun: boolean;
  /** The plan without its provenance entries (rendered into provenanceLines). */
  plan: WritablePlan;
  /** COPY text (UTF-8 chunks) of the new people/companies, new CRM links and provenance sets; null when there are none. */
  createLines: Buffer[] | null;
  newLinkLines: Buffer[] | null;
  provenanceLines: Buffer[] | null;
  /** Links that already exist (pointed at the entity, revived, stamped). */
  knownLinks: { crm_id: string; entity_id: string }[];
  /** People: the consent state the records state (opt-out, bounce, do-not-call), written after the links. */
  consent: ConsentPlan | null;
  /** Salesforce Leads of the page that were converted: their people move to the Contact (after the links). */
  conversions: LeadConversion[];
  /** The page maps fixed-vocabulary fields: its records' unmapped values are replaced by `plan.unmapped`. */
  tracksUnmapped: boolean;
}

export interface PrepareOptions {
  dryRun?: boolean;
  sampleSize?: number;
  now?: Date;
  /** A batch planned before this one whose transaction may not have committed yet: its writes are read as done. */
  after?: PageOverlay | null;
  /** Plan in slices, yielding to the event loop (when another batch is being written meanwhile). */
  sliced?: boolean;
  /** Several CRMs connected: the source-of-truth rule per Conduit field (null or absent: rows' import priority). */
  sourceOfTruth?: ReadonlyMap<string, FieldSourceRule> | null;
}

@Injectable()
export class ImportService {
  constructor(
    private readonly links: CrmLinkRepository,
    private readonly runs: SyncRunRepository,
    private readonly conversions: LeadConversions,
    private readonly suppression: SuppressionService,
  ) {}

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
    options: { dryRun?: boolean; sampleSize?: number; now?: Date; sourceOfTruth?: ReadonlyMap<string, FieldSourceRule> | null } = {},
  ): Promise<PageOutcome> {
    const page = await this.preparePage(manager, scope, object, rows, records, options);
    return this.writePage(manager, page);
  }

  /**
   * Reads what the database holds for the records (plus `after`, the overlay of a batch still being written), plans
   * the batch and renders its writes. Reads only: `manager` need not be the transaction that writes the page.
   */
  async preparePage(
    manager: EntityManager,
    scope: ImportScope,
    object: CrmObjectType,
    rows: readonly MappingRow[],
    records: readonly CrmRecord[],
    options: PrepareOptions = {},
  ): Promise<PreparedPage> {
    const entity = entityFor(object);
    const now = options.now ?? new Date();
    const dryRun = options.dryRun ?? false;
    const { kept, erased } = await this.withoutErased(manager, scope, object, entity, rows, records);
    records = kept;
    const state = records.length ? await this.loadState(manager, scope, object, entity, rows, records, options.after ?? null) : EMPTY_STATE;
    const rules = options.sourceOfTruth;
    const sourceOfTruth = rules && rules.size && records.length ? await this.loadSourceOfTruth(manager, scope, object, entity, rules, state, records) : null;
    const input = {
      entity,
      crm: scope.crm,
      connectionId: scope.connectionId,
      rows,
      records,
      state,
      now,
      newId: uuidv7,
      ...(options.sampleSize !== undefined ? { sampleSize: options.sampleSize } : {}),
      ...(sourceOfTruth ? { sourceOfTruth } : {}),
    };
    // Provenance sets are rendered as each record is planned (one set per imported record).
    const sets = new CopyLines();
    const at = now.toISOString();
    const heads = new EntryHeads();
    const planInput: PlanInput = dryRun ? input : { ...input, onProvenance: (entries, modifiedAt) => sets.add(provenanceLine(scope, at, heads, entries, modifiedAt)) };
    const plan = options.sliced ? await planImportAsync(planInput) : planImport(planInput);
    // Erased people are never imported again: their records are reported (by CRM id only) and skipped.
    for (const crmId of erased) plan.failures.push({ crmId, reason: ERASED_REASON });
    for (const f of plan.failures) f.object = object;
    plan.counts.failed += erased.length;
    const { provenance: _none, ...writable } = plan;
    const consent = !dryRun && entity === 'person' ? planConsent(scope.crm, records) : null;
    const conversions = !dryRun && object === 'lead' ? records.map(leadConversionOf).filter((c): c is LeadConversion => c !== null) : [];
    const tracksUnmapped = rows.some((r) => r.valueMap !== undefined);
    const page: PreparedPage = { scope, object, entity, now, dryRun, plan: writable, createLines: null, newLinkLines: null, provenanceLines: null, knownLinks: [], consent, conversions, tracksUnmapped };
    if (!dryRun) {
      render(page, plan, state);
      page.provenanceLines = sets.done();
    }
    return page;
  }

  /** Writes a prepared page inside the caller's transaction (with dryRun, nothing). */
  async writePage(manager: EntityManager, page: PreparedPage): Promise<PageOutcome> {
    const { plan } = page;
    if (!page.dryRun) await this.write(manager, page);
    return { counts: plan.counts, sample: plan.sample, failures: plan.failures };
  }

  /**
   * The records minus those of erased people (suppression list: the email's or the record's salted hash). Archived
   * records pass (they only unlink). One indexed query per page, none in a workspace that never erased anyone.
   */
  private async withoutErased(
    manager: EntityManager,
    scope: ImportScope,
    object: CrmObjectType,
    entity: EntityKind,
    rows: readonly MappingRow[],
    records: readonly CrmRecord[],
  ): Promise<{ kept: readonly CrmRecord[]; erased: string[] }> {
    if (entity !== 'person' || !records.length) return { kept: records, erased: [] };
    const keyRow = identityRow(entity, rows);
    const live = records.filter((r) => !r.archived);
    const hits = await this.suppression.erasedRecords(manager, scope.workspaceId, scope.crm, live.map((r) => ({ object, id: r.id, email: identityKeyOf(entity, keyRow, r) })));
    if (!hits.size) return { kept: records, erased: [] };
    const erasedIds = new Set(live.filter((_, i) => hits.has(i)).map((r) => r.id));
    return { kept: records.filter((r) => !erasedIds.has(r.id)), erased: [...erasedIds] };
  }

  /**
   * What the source-of-truth rules need about the page (several CRMs connected only): per matched person/company and
   * ruled field, who set the current value and when its source changed it, and the value last taken from this
   * connection (both from provenance); per CRM record, the fingerprints of values Conduit wrote there (echoes).
   */
  private async loadSourceOfTruth(
    manager: EntityManager,
    scope: ImportScope,
    object: CrmObjectType,
    entity: EntityKind,
    rules: ReadonlyMap<string, FieldSourceRule>,
    state: PageState,
    records: readonly CrmRecord[],
  ): Promise<PageSourceOfTruth> {
    const ids = [...new Set([...state.linkedByCrmId.values(), ...state.entityByKey.values()])];
    const fields = [...rules.keys()];
    const origins = new Map<string, Map<string, CurrentValueOrigin>>();
    const lastImported = new Map<string, Map<string, unknown>>();
    if (ids.length) {
      const found = await manager.query<{ entity_id: string; field: string; source: 'crm' | 'conduit'; crm: CurrentValueOrigin['crm']; modified_at: Date | null; own: boolean; value: unknown; seq: string }[]>(
        `SELECT DISTINCT ON (s.entity_id, f.key, s.connection_id IS NOT DISTINCT FROM $5::uuid) s.entity_id, f.key AS field, s.source,
                c.crm, CASE WHEN s.source = 'crm' THEN s.crm_modified_at ELSE s.at END AS modified_at,
                s.connection_id IS NOT DISTINCT FROM $5::uuid AS own, (f.value -> 'value')::jsonb AS value, s.seq
           FROM field_provenance_set s CROSS JOIN LATERAL json_each(s.fields) AS f(key, value)
           LEFT JOIN crm_connection c ON c.id = s.connection_id
          WHERE s.workspace_id = $1 AND s.entity = $2 AND s.entity_id = ANY($3::uuid[]) AND f.key = ANY($4::text[])
          ORDER BY s.entity_id, f.key, s.connection_id IS NOT DISTINCT FROM $5::uuid, s.seq DESC`,
        [scope.workspaceId, entity, ids, fields, scope.connectionId],
      );
      // Per entity and field: the latest set from this connection and the latest from anywhere else; the newer of the two
      // (by seq) set the current value.
      const latest = new Map<string, { seq: number; origin: CurrentValueOrigin }>();
      for (const r of found) {
        const key = `${r.entity_id}\u0000${r.field}`;
        const seq = Number(r.seq);
        const prior = latest.get(key);
        if (!prior || seq > prior.seq) latest.set(key, { seq, origin: { crm: r.source === 'conduit' ? null : r.crm, modifiedAt: r.modified_at?.toISOString() ?? null } });
        if (r.own) {
          let m = lastImported.get(r.entity_id);
          if (!m) lastImported.set(r.entity_id, (m = new Map()));
          m.set(r.field, r.value);
        }
      }
      for (const [key, { origin }] of latest) {
        const [id, field] = key.split('\u0000') as [string, string];
        let m = origins.get(id);
        if (!m) origins.set(id, (m = new Map()));
        m.set(field, origin);
      }
    }
    const written = await manager.query<{ crm_id: string; crm_field: string; fingerprint: string }[]>(
      `SELECT crm_id, crm_field, fingerprint FROM crm_written_value WHERE connection_id = $1 AND object = $2 AND crm_id = ANY($3::text[]) AND workspace_id = $4`,
      [scope.connectionId, object, records.map((r) => r.id), scope.workspaceId],
    );
    const fingerprints = new Map(written.map((w) => [`${w.crm_id}\u0000${w.crm_field}`, w.fingerprint]));
    const isEcho = (crmId: string, crmField: string, raw: unknown): boolean => {
      if (!fingerprints.size) return false;
      const fp = fingerprints.get(`${crmId}\u0000${crmField}`);
      return fp !== undefined && fp === writtenFingerprint(raw);
    };
    return { rules, origins, lastImported, isEcho };
  }

  private async loadState(
    manager: EntityManager,
    scope: ImportScope,
    object: CrmObjectType,
    entity: EntityKind,
    rows: readonly MappingRow[],
    records: readonly CrmRecord[],
    after: PageOverlay | null,
  ): Promise<PageState> {
    const { table, columns, link } = TABLE[entity];
    const crmIds = records.map((r) => r.id);
    const linkRows = await this.links.linked(manager, { workspaceId: scope.workspaceId, connectionId: scope.connectionId, object }, link, crmIds);
    const linkedByCrmId = new Map(linkRows.map((l) => [l.crm_id, l.entity_id]));
    const keyRow = identityRow(entity, rows);
    const keys = [...new Set(records.map((r) => identityKeyOf(entity, keyRow, r)).filter((k): k is string => k !== null))];
    // Links of the batch still being written (read before the entities, whose ids they give).
    if (after) {
      for (const id of crmIds) {
        const linked = after.links.get(id);
        if (linked !== undefined) linkedByCrmId.set(id, linked);
      }
    }
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
    if (after) applyOverlay(after, keys, linkedByCrmId, entitiesById, entityByKey);

    const companyByCrmId = new Map<string, string>();
    const companyByDomain = new Map<string, string>();
    if (entity === 'person') {
      const companyCrmIds = [...new Set(records.map((r) => r.associations?.company?.[0] ?? (typeof r.properties['AccountId'] === 'string' ? r.properties['AccountId'] : null)).filter((x): x is string => !!x))];
      if (companyCrmIds.length) {
        const companyLinks = await this.links.liveCompanies(manager, scope.workspaceId, scope.connectionId, companyCrmIds);
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

  private async write(manager: EntityManager, page: PreparedPage): Promise<void> {
    const { scope, object, entity, plan, now } = page;
    const { table, columns, link } = TABLE[entity];
    const ws = scope.workspaceId;
    const client = await this.clientOf(manager);

    if (page.createLines) {
      try {
        await copyIn(client, `COPY ${table} (id, workspace_id, ${columns.map((c) => `"${c.column}"`).join(', ')}) FROM STDIN`, page.createLines);
      } catch (err) {
        // Another worker created one of these emails since the page was read: the transaction is lost; retrying
        // the page matches the new row.
        if ((err as { code?: string }).code === '23505') throw new Error(`Concurrent import created some of these ${table} rows; retrying the page`, { cause: err });
        throw err;
      }
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

    // Links the page did not find are new (COPY); known ones are pointed at the entity, revived and stamped.
    const links = { workspaceId: ws, connectionId: scope.connectionId, object };
    if (page.newLinkLines) await this.links.copyNew(client, link, page.newLinkLines);
    for (const part of chunks(page.knownLinks)) await this.links.relink(manager, links, link, now, part);
    if (plan.archivedCrmIds.length) await this.links.archive(manager, links, now, plan.archivedCrmIds);

    if (page.consent?.known.length) await this.writeConsent(manager, page, page.consent);
    if (page.conversions.length) await this.conversions.apply(scope, page.conversions, now, manager);

    if (page.provenanceLines) {
      await copyIn(client, `COPY field_provenance_set (workspace_id, entity, entity_id, source, connection_id, crm_record_id, at, fields, crm_modified_at) FROM STDIN`, page.provenanceLines);
    }
    if (page.tracksUnmapped) await this.writeUnmapped(manager, page);

    await this.recordFailures(manager, scope, plan.failures);
  }

  /**
   * Consent of the page's people as their CRM records state it, joined to the people through crm_link (so records that
   * were not imported — failures, erased addresses — get none): facts a known record no longer states are deleted, new
   * ones inserted; an existing fact keeps its first date (when Conduit first saw it), so "Unsubscribed in HubSpot on 3
   * Dec" does not move with every later change of the contact.
   */
  private async writeConsent(manager: EntityManager, page: PreparedPage, consent: ConsentPlan): Promise<void> {
    const { scope, object } = page;
    for (const part of chunks(consent.known)) {
      const ids = new Set(part);
      const rows = consent.rows.filter((r) => ids.has(r.crm_id));
      await manager.query(
        `DELETE FROM person_consent c
          WHERE c.connection_id = $2 AND c.source = 'crm' AND c.workspace_id = $1 AND c.crm_record_id = ANY($3::text[])
            AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($4::jsonb) AS v(crm_id text, kind text) WHERE v.crm_id = c.crm_record_id AND v.kind = c.kind)`,
        [scope.workspaceId, scope.connectionId, part, JSON.stringify(rows)],
      );
      if (!rows.length) continue;
      await manager.query(
        `INSERT INTO person_consent (workspace_id, person_id, channel, kind, source, connection_id, crm, crm_record_id, reason, occurred_at)
         SELECT $1, l.person_id, v.channel, v.kind, 'crm', $2, $3, v.crm_id, v.reason, v.at
           FROM jsonb_to_recordset($5::jsonb) AS v(crm_id text, kind text, channel text, reason text, at timestamptz)
           ${crmLinkSql.joinLinkedPerson('l', { workspace: '$1', connection: '$2', object: '$4', crmId: 'v.crm_id', live: false })}
         ON CONFLICT (person_id, kind, source, connection_id, crm_record_id) DO UPDATE SET reason = excluded.reason`,
        [scope.workspaceId, scope.connectionId, scope.crm, object, JSON.stringify(rows)],
      );
    }
  }

  /**
   * The page's records' untranslated values replace what was recorded for them (a record whose value maps now, or
   * went blank, drops out of the count). Live records only: archived ones keep theirs until the connection goes.
   */
  private async writeUnmapped(manager: EntityManager, page: PreparedPage): Promise<void> {
    const { scope, object, plan } = page;
    const ids = [...new Set([...plan.links.map((l) => l.crmId), ...plan.failures.map((f) => f.crmId)])];
    if (!ids.length && !plan.unmapped.length) return;
    await manager.query(`DELETE FROM unmapped_value WHERE connection_id = $1 AND object = $2 AND crm_record_id = ANY($3::text[]) AND workspace_id = $4`, [scope.connectionId, object, ids, scope.workspaceId]);
    if (!plan.unmapped.length) return;
    await manager.query(
      `INSERT INTO unmapped_value (workspace_id, connection_id, object, crm_record_id, conduit_field, crm_field, crm_value, seen_at)
       SELECT $1, $2, $3, v.crm_id, v.field, v.crm_field, v.value, $4 FROM jsonb_to_recordset($5::jsonb) AS v(crm_id text, field text, crm_field text, value text)
       ON CONFLICT (connection_id, object, crm_record_id, conduit_field) DO UPDATE SET crm_value = EXCLUDED.crm_value, crm_field = EXCLUDED.crm_field, seen_at = EXCLUDED.seen_at`,
      [scope.workspaceId, scope.connectionId, object, page.now, JSON.stringify(plan.unmapped.map((u) => ({ crm_id: u.crmId, field: u.field, crm_field: u.crmField, value: u.value.slice(0, 1000) })))],
    );
  }

  /** The pg connection of the caller's transaction (COPY needs the driver's client, not TypeORM's query()). */
  private async clientOf(manager: EntityManager): Promise<PoolClient> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('importPage writes inside the caller\'s transaction (pass the transaction\'s EntityManager)');
    return (await runner.connect()) as PoolClient;
  }

  async recordFailures(manager: EntityManager, scope: ImportScope, failures: readonly ImportFailure[]): Promise<void> {
    await this.runs.recordFailures(manager, scope.workspaceId, scope.runId, failures);
  }
}
