import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CrmAdapter, CrmKind, CrmPage, CrmRecord, CrmValue } from '@conduit/crm';
import { DataSource } from 'typeorm';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { OutboxService } from '../queues/outbox.service.js';
import { RELATED_IMPORTERS, type RelatedImporters } from '../sync/related-importers.js';

/** Deals and company customer status are re-read at least this often (DNC follows deals changing in the CRM). */
export const DEALS_REFRESH_MS = 15 * 60_000;

const DEAL_FIELDS: Record<CrmKind, string[]> = {
  hubspot: ['dealname', 'dealstage', 'amount', 'closedate', 'hs_is_closed', 'hs_is_closed_won', 'pipeline'],
  salesforce: ['Name', 'StageName', 'Amount', 'CloseDate', 'IsClosed', 'IsWon', 'AccountId'],
};
/** The company field the "customer" rule reads: HubSpot lifecycle stage, Salesforce Account Type. */
const CUSTOMER_FIELD: Record<CrmKind, string> = { hubspot: 'lifecyclestage', salesforce: 'Type' };

export interface DealsSyncResult {
  deals: number;
  dealContacts: number;
  companies: number;
  removedDeals: number;
  apiCalls: number;
}

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

const text = (v: CrmValue | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const bool = (v: CrmValue | undefined): boolean => v === true || v === 'true';
const num = (v: CrmValue | undefined): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** A CRM deal as a deal row (pure; HubSpot sends strings, Salesforce typed values). */
export function toDealRow(crm: CrmKind, r: CrmRecord, contacts: { object: string; crm_id: string }[]): DealRow {
  const p = r.properties;
  const closeDate = text(crm === 'hubspot' ? p['closedate'] : p['CloseDate']);
  const isClosed = crm === 'hubspot' ? bool(p['hs_is_closed']) || ['closedwon', 'closedlost'].includes(String(p['dealstage'])) : bool(p['IsClosed']);
  const isWon = crm === 'hubspot' ? bool(p['hs_is_closed_won']) || p['dealstage'] === 'closedwon' : bool(p['IsWon']);
  return {
    crm_id: r.id,
    name: text(crm === 'hubspot' ? p['dealname'] : p['Name']),
    stage: text(crm === 'hubspot' ? p['dealstage'] : p['StageName']),
    amount: num(crm === 'hubspot' ? p['amount'] : p['Amount']),
    close_date: closeDate ? closeDate.slice(0, 10) : null,
    is_closed: isClosed,
    is_won: isWon,
    company_crm_id: crm === 'hubspot' ? (r.associations?.company?.[0] ?? null) : text(p['AccountId']),
    crm_updated_at: r.updatedAt,
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
      importFor: async (workspaceId, connectionId) => {
        const result = await this.sync(workspaceId, connectionId);
        return { count: result.deals, apiCalls: result.apiCalls };
      },
    });
  }

  async sync(workspaceId: string, connectionId: string): Promise<DealsSyncResult> {
    const { connection, adapter, calls } = await this.clients.open(workspaceId, connectionId);
    const crm = connection.crm;
    const deals = await readAll(adapter, 'deal', DEAL_FIELDS[crm], crm === 'hubspot' ? ['contact', 'company'] : []);
    const live = deals.filter((d) => !d.archived);
    const contactsOf = await this.dealContacts(adapter, crm, live);
    const rows = live.map((d) => toDealRow(crm, d, contactsOf.get(d.id) ?? []));
    const companies = (await readAll(adapter, 'company', [CUSTOMER_FIELD[crm]], [])).filter((c) => !c.archived);

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
        [connectionId, workspaceId, crm, JSON.stringify(companies.map((c) => ({ crm_id: c.id, value: text(c.properties[CUSTOMER_FIELD[crm]]) })))],
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
      return (await tx.enqueue('dnc.deals-sync', { workspaceId, connectionId }, { workspaceId, maxAttempts: 5 })).id;
    });
  }

  private async dealContacts(adapter: CrmAdapter, crm: CrmKind, deals: CrmRecord[]): Promise<Map<string, { object: string; crm_id: string }[]>> {
    const out = new Map<string, { object: string; crm_id: string }[]>();
    const missing: string[] = [];
    for (const d of deals) {
      if (crm === 'hubspot' && d.associations?.contact) out.set(d.id, d.associations.contact.map((id) => ({ object: 'contact', crm_id: id })));
      else missing.push(d.id);
    }
    if (missing.length) {
      const assoc = await withCrmRetry(() => adapter.readAssociations('deal', 'contact', missing));
      for (const [dealId, ids] of Object.entries(assoc)) out.set(dealId, ids.map((id) => ({ object: 'contact', crm_id: id })));
    }
    return out;
  }
}

async function readAll(adapter: CrmAdapter, object: 'deal' | 'company', properties: string[], associations: ('contact' | 'company')[]): Promise<CrmRecord[]> {
  const out: CrmRecord[] = [];
  let cursor: string | null = null;
  for (let more = true; more; ) {
    const from: string | null = cursor;
    const page: CrmPage = await withCrmRetry(() => adapter.listChangedSince(object, from, { properties, ...(associations.length ? { associations } : {}) }));
    out.push(...page.records);
    cursor = page.nextCursor;
    more = page.hasMore;
  }
  return out;
}
