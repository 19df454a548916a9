import { Inject, Injectable, Logger } from '@nestjs/common';
import { dealSchemaOf, type CrmAdapter, type CrmCallScheduler, type CrmKind, type CrmRecord, type CrmValue } from '@conduit/crm';
import { DataSource } from 'typeorm';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import type { DealsSyncResult } from '../queues/jobs/index.js';
import { OutboxService } from '../queues/outbox.service.js';
import { JobName } from '../queues/queue-names.js';
import { RELATED_IMPORTERS, type RelatedImportRun, type RelatedImporters } from '../sync/related-importers.js';

/** Deals and company customer status are re-read at least this often (DNC follows deals changing in the CRM). */
export const DEALS_REFRESH_MS = 15 * 60_000;

interface DealRow {
  crm_id: string;
  name: string | null;
  stage: string | null;
  amount: number | null;
  close_date: string | null;
  is_closed: boolean;
  is_won: boolean;
  company_crm_id: string | null;
  crm_updated_at: string;
  contacts: { object: string; crm_id: string }[];
}

/** A CRM deal as a deal row (pure; the CRM's mapper reads its fields, see CrmDealSchema). */
export function toDealRow(crm: CrmKind, r: CrmRecord, contacts: { object: string; crm_id: string }[]): DealRow {
  const d = dealSchemaOf(crm).toDeal(r);
  return {
    crm_id: d.id,
    name: d.name,
    stage: d.stage,
    amount: d.amount,
    close_date: d.closeDate,
    is_closed: d.isClosed,
    is_won: d.isWon,
    company_crm_id: d.companyId,
    crm_updated_at: d.updatedAt,
    contacts,
  };
}

/**
 * Reads a connection's deals (with their people: HubSpot deal→contact associations, Salesforce opportunity contact
 * roles) and its companies' customer field, and replaces what Conduit holds for that connection with set-based
 * statements. People are kept as CRM ids and resolved through crm_link when DNC is read, so import order does
 * not matter. A full re-read each time: deals are few next to contacts.
 */
@Injectable()
export class DealsSyncService {
  private readonly logger = new Logger(DealsSyncService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: CrmClients,
    private readonly outbox: OutboxService,
    @Inject(RELATED_IMPORTERS) related: RelatedImporters,
  ) {
    // A full backfill's `deal` step is this sync.
    related.register('deal', {
      importFor: async (workspaceId, connectionId, run) => {
        const result = await this.sync(workspaceId, connectionId, run);
        return { count: result.deals, apiCalls: result.apiCalls };
      },
    });
  }

  /** `run`: the backfill this sync is a step of (its feature and "Resume now anyway"); alone, its calls count as 'other'. */
  async sync(workspaceId: string, connectionId: string, run: RelatedImportRun | null = null): Promise<DealsSyncResult> {
    const { connection, adapter, calls, inFlight } = await this.clients.open(workspaceId, connectionId, {
      feature: run?.feature ?? 'other',
      allocationOverrideUntil: run?.allocationOverrideUntil ?? null,
    });
    // Reads keep several calls in flight under the connection's limit (readPages), each attempt retried on its own.
    const schedule: CrmCallScheduler = (call) => withCrmRetry(() => inFlight.run(call));
    const crm = connection.crm;
    const schema = adapter.deals;
    // Deals and the companies' customer field are read at once (the limiter and the budget share the calls out).
    const companiesRead = readAll(adapter, schedule, 'company', [schema.customerField], []);
    companiesRead.catch(() => undefined); // awaited below; a deals failure must not leave it unobserved
    const deals = await readAll(adapter, schedule, 'deal', [...schema.fields], [...schema.inlineAssociations]);
    const live = deals.filter((d) => !d.archived);
    const contactsOf = await this.dealContacts(adapter, live);
    const rows = live.map((d) => toDealRow(crm, d, contactsOf.get(d.id) ?? []));
    const companies = (await companiesRead).filter((c) => !c.archived);

    const removed = await this.dataSource.transaction(async (tx) => {
      const upserted = await tx.query<{ id: string; crm_id: string }[]>(
        `INSERT INTO deal (workspace_id, connection_id, crm, crm_id, name, stage, amount, close_date, is_closed, is_won, company_crm_id, crm_updated_at, synced_at)
         SELECT $1, $2, $3, v.crm_id, v.name, v.stage, v.amount, v.close_date, v.is_closed, v.is_won, v.company_crm_id, v.crm_updated_at, now()
           FROM jsonb_to_recordset($4::jsonb) AS v(crm_id text, name text, stage text, amount numeric, close_date date, is_closed boolean, is_won boolean, company_crm_id text, crm_updated_at timestamptz)
         ON CONFLICT (connection_id, crm_id) DO UPDATE SET name = excluded.name, stage = excluded.stage, amount = excluded.amount, close_date = excluded.close_date,
            is_closed = excluded.is_closed, is_won = excluded.is_won, company_crm_id = excluded.company_crm_id, crm_updated_at = excluded.crm_updated_at, synced_at = now()
          WHERE deal.workspace_id = excluded.workspace_id
         RETURNING id, crm_id`,
        [workspaceId, connectionId, crm, JSON.stringify(rows.map(({ contacts: _c, ...r }) => r))],
      );
      const [, removedCount] = await tx.query<[unknown[], number]>(`DELETE FROM deal WHERE workspace_id = $1 AND connection_id = $2 AND NOT (crm_id = ANY($3::text[]))`, [
        workspaceId,
        connectionId,
        rows.map((r) => r.crm_id),
      ]);
      const idByCrmId = new Map(upserted.map((u) => [u.crm_id, u.id]));
      const links = rows.flatMap((r) => r.contacts.map((c) => ({ deal_id: idByCrmId.get(r.crm_id), object: c.object, crm_id: c.crm_id }))).filter((l) => l.deal_id);
      await tx.query(`DELETE FROM deal_contact WHERE deal_id = ANY($1::uuid[])`, [upserted.map((u) => u.id)]);
      await tx.query(
        `INSERT INTO deal_contact (deal_id, object, crm_id) SELECT DISTINCT v.deal_id, v.object, v.crm_id FROM jsonb_to_recordset($1::jsonb) AS v(deal_id uuid, object text, crm_id text)`,
        [JSON.stringify(links)],
      );
      await tx.query(
        `INSERT INTO crm_company_status (connection_id, crm_id, workspace_id, crm, value, synced_at)
         SELECT $1, v.crm_id, $2, $3, v.value, now() FROM jsonb_to_recordset($4::jsonb) AS v(crm_id text, value text)
         ON CONFLICT (connection_id, crm_id) DO UPDATE SET value = excluded.value, synced_at = now() WHERE crm_company_status.workspace_id = excluded.workspace_id`,
        [connectionId, workspaceId, crm, JSON.stringify(companies.map((c) => ({ crm_id: c.id, value: customerValue(c.properties[schema.customerField]) })))],
      );
      await tx.query(`DELETE FROM crm_company_status WHERE workspace_id = $1 AND connection_id = $2 AND NOT (crm_id = ANY($3::text[]))`, [
        workspaceId,
        connectionId,
        companies.map((c) => c.id),
      ]);
      return removedCount;
    });
    const result = { deals: rows.length, dealContacts: rows.reduce((n, r) => n + r.contacts.length, 0), companies: companies.length, removedDeals: removed, apiCalls: calls() };
    this.logger.log({ msg: 'deals synced', connectionId, ...result });
    return result;
  }

  /** Enqueues a deals sync per connected CRM of the workspace (or one connection); an open one is reused. */
  async requestSync(workspaceId: string, connectionId?: string): Promise<string[]> {
    const connections = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM crm_connection WHERE workspace_id = $1 AND status = 'connected' ${connectionId ? 'AND id = $2' : ''}`,
      connectionId ? [workspaceId, connectionId] : [workspaceId],
    );
    const jobIds: string[] = [];
    for (const c of connections) {
      const id = await this.enqueueIfIdle(workspaceId, c.id, null);
      if (id) jobIds.push(id);
    }
    return jobIds;
  }

  /** Connections whose last deals sync is older than DEALS_REFRESH_MS get one. */
  async scheduleDue(now = new Date()): Promise<number> {
    const connections = await this.dataSource.query<{ id: string; workspace_id: string }[]>(`SELECT id, workspace_id FROM crm_connection WHERE status = 'connected'`);
    let started = 0;
    for (const c of connections) if (await this.enqueueIfIdle(c.workspace_id, c.id, new Date(now.getTime() - DEALS_REFRESH_MS))) started++;
    return started;
  }

  /**
   * Under a per-connection advisory lock: returns the open job's id, or enqueues a new one unless a job finished
   * after `freshAfter` (null = always enqueue when idle).
   */
  private async enqueueIfIdle(workspaceId: string, connectionId: string, freshAfter: Date | null): Promise<string | null> {
    return this.outbox.transaction(async (tx) => {
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('dnc.deals-sync:' || $1))`, [connectionId]);
      const [last] = await tx.manager.query<{ id: string; status: string; created_at: Date }[]>(
        `SELECT id, status, created_at FROM outbox_job WHERE workspace_id = $1 AND name = 'dnc.deals-sync' AND payload->>'connectionId' = $2 ORDER BY created_at DESC LIMIT 1`,
        [workspaceId, connectionId],
      );
      if (last && (last.status === 'pending' || last.status === 'running')) return freshAfter ? null : last.id;
      if (freshAfter && last && last.created_at > freshAfter) return null;
      return (await tx.enqueue(JobName.DncDealsSync, { workspaceId, connectionId }, { workspaceId, maxAttempts: 5 })).id;
    });
  }

  /** The deals' people: inline with the records where the CRM sends them (HubSpot), else one association read. */
  private async dealContacts(adapter: CrmAdapter, deals: CrmRecord[]): Promise<Map<string, { object: string; crm_id: string }[]>> {
    const out = new Map<string, { object: string; crm_id: string }[]>();
    const missing: string[] = [];
    for (const d of deals) {
      if (d.associations?.contact) out.set(d.id, d.associations.contact.map((id) => ({ object: 'contact', crm_id: id })));
      else missing.push(d.id);
    }
    if (missing.length) {
      const assoc = await withCrmRetry(() => adapter.readAssociations('deal', 'contact', missing));
      for (const [dealId, ids] of Object.entries(assoc)) out.set(dealId, ids.map((id) => ({ object: 'contact', crm_id: id })));
    }
    return out;
  }
}

/** A company's customer field as stored (text; blank is none). */
function customerValue(v: CrmValue | undefined): string | null {
  return v === null || v === undefined || v === '' ? null : String(v);
}

/** Every record of `object`, read from the start with several calls in flight (the adapter's readPages). */
async function readAll(adapter: CrmAdapter, schedule: CrmCallScheduler, object: 'deal' | 'company', properties: string[], associations: ('contact' | 'company')[]): Promise<CrmRecord[]> {
  const out: CrmRecord[] = [];
  for await (const page of adapter.readPages(object, null, { schedule, properties, ...(associations.length ? { associations } : {}) })) out.push(...page.records);
  return out;
}
