import { ConflictException, Inject, Injectable, Logger, NotFoundException, Optional } from '@nestjs/common';
import type { CrmListDto, CrmListSyncResultDto, RunForecastDto } from '@conduit/contracts';
import { CrmError, type CrmList } from '@conduit/crm';
import { DataSource, type EntityManager } from 'typeorm';
import { likePattern } from '../common/pagination.js';
import { forecastNotUsable, RUN_FORECASTS, type RunForecasts } from '../common/run-forecast.js';
import { OutboxService, type OutboxTransaction } from '../queues/outbox.service.js';
import { RELATED_IMPORTERS, type RelatedImporters } from '../sync/related-importers.js';
import { ApiBudgetExhaustedError, ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import { resumeDue, resumeOne } from '../crm-runtime/paused-work.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { type CrmListRow, LIST_COLUMNS, toListDto } from './crm-list.view.js';
import { JobName } from '../queues/queue-names.js';

/**
 * A browse re-reads a connection's catalog from the CRM at most this often: the admin polls the Lists page while a
 * sync runs, and every catalog read would spend the rate budget that sync is using.
 */
const CATALOG_FRESH_MS = 15_000;

export interface BrowseQuery {
  crm?: 'hubspot' | 'salesforce';
  search?: string;
}

/**
 * The catalog of CRM lists (HubSpot lists v3, Salesforce Campaigns and Lead/Contact list views) a workspace can use, stored as crm_list rows
 * so campaigns can point at them, plus the entry points of membership syncs (on demand and on a schedule).
 * Conduit never creates or modifies a CRM list.
 */
@Injectable()
export class CrmListsService {
  private readonly logger = new Logger(CrmListsService.name);
  /** When this process last read each connection's catalog. */
  private readonly catalogReadAt = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: CrmClients,
    private readonly outbox: OutboxService,
    private readonly budgets: ApiBudgetService,
    @Inject(RELATED_IMPORTERS) related: RelatedImporters,
    @Optional() @Inject(RUN_FORECASTS) private readonly forecasts?: RunForecasts,
  ) {
    // A full backfill's `list` step reads the catalog (its calls are not added to the run's, as before).
    related.register('list', { importFor: async (workspaceId, connectionId) => ({ count: await this.refreshCatalog(workspaceId, connectionId), apiCalls: 0 }) });
  }

  /**
   * Reads the current catalog from every connected CRM of the workspace (or the one asked for; at most every
   * CATALOG_FRESH_MS), stores it, and answers from the store. A CRM that cannot be reached right now leaves its last
   * known catalog in place.
   */
  async browse(workspaceId: string, query: BrowseQuery): Promise<CrmListDto[]> {
    const connections = await this.dataSource.query<{ id: string; crm: 'hubspot' | 'salesforce' }[]>(
      `SELECT id, crm FROM crm_connection WHERE workspace_id = $1 AND status = 'connected' ${query.crm ? 'AND crm = $2' : ''}`,
      query.crm ? [workspaceId, query.crm] : [workspaceId],
    );
    for (const c of connections) {
      if (Date.now() - (this.catalogReadAt.get(c.id) ?? 0) < CATALOG_FRESH_MS) continue;
      try {
        await this.refreshCatalog(workspaceId, c.id);
      } catch (err) {
        // The CRM failing, or the day's API budget spent (the catalog read is live work): the stored catalog is served.
        if (!(err instanceof CrmError) && !(err instanceof ApiBudgetExhaustedError)) throw err;
        this.logger.warn({ msg: 'could not read the CRM list catalog; serving the stored one', connectionId: c.id, error: err.message });
      }
    }
    const params: unknown[] = [workspaceId];
    let where = 'l.workspace_id = $1';
    if (query.crm) {
      params.push(query.crm);
      where += ` AND l.crm = $${params.length}`;
    }
    if (query.search?.trim()) {
      params.push(likePattern(query.search));
      where += ` AND l.name ILIKE $${params.length}`;
    }
    const rows = await this.dataSource.query<CrmListRow[]>(`SELECT ${LIST_COLUMNS} FROM crm_list l WHERE ${where} ORDER BY l.deleted_in_crm_at NULLS FIRST, lower(l.name), l.id`, params);
    return rows.map(toListDto);
  }

  async get(workspaceId: string, id: string): Promise<CrmListDto> {
    const [row] = await this.dataSource.query<CrmListRow[]>(`SELECT ${LIST_COLUMNS} FROM crm_list l WHERE l.workspace_id = $1 AND l.id = $2`, [workspaceId, id]);
    if (!row) throw new NotFoundException('List not found');
    return toListDto(row);
  }

  async update(workspaceId: string, id: string, refreshMinutes: number): Promise<CrmListDto> {
    const [, affected] = await this.dataSource.query<[unknown[], number]>(`UPDATE crm_list SET refresh_minutes = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, id, refreshMinutes]);
    if (!affected) throw new NotFoundException('List not found');
    return this.get(workspaceId, id);
  }

  /** Pages the CRM's lists into crm_list; after a complete read, lists the CRM no longer returns are flagged deleted. */
  async refreshCatalog(workspaceId: string, connectionId: string): Promise<number> {
    const { connection, adapter } = await this.clients.open(workspaceId, connectionId, { feature: 'lists', work: 'live' });
    const lists: CrmList[] = [];
    let after: string | null = null;
    do {
      const from: string | null = after;
      const page: Awaited<ReturnType<typeof adapter.listLists>> = await withCrmRetry(() => adapter.listLists(from));
      lists.push(...page.lists);
      after = page.nextAfter;
    } while (after);
    await this.dataSource.query(
      // A list view's size is not in the catalog: the one its last sync counted stays.
      `INSERT INTO crm_list (workspace_id, connection_id, crm, crm_list_id, name, kind, size, crm_updated_at, source, crm_object)
       SELECT $1, $2, $3, v.id, v.name, v.kind, v.size, v.updated_at, v.source, v.crm_object
         FROM jsonb_to_recordset($4::jsonb) AS v(id text, name text, kind text, size integer, updated_at timestamptz, source text, crm_object text)
       ON CONFLICT (connection_id, crm_list_id) DO UPDATE
          SET name = excluded.name, kind = excluded.kind, size = COALESCE(excluded.size, crm_list.size), crm_updated_at = excluded.crm_updated_at,
              source = excluded.source, crm_object = excluded.crm_object, deleted_in_crm_at = NULL
        WHERE crm_list.workspace_id = excluded.workspace_id`,
      [
        workspaceId,
        connectionId,
        connection.crm,
        JSON.stringify(lists.map((l) => ({ id: l.id, name: l.name, kind: l.kind, size: l.size, updated_at: l.updatedAt, source: l.source ?? 'list', crm_object: l.object ?? null }))),
      ],
    );
    await this.dataSource.query(
      `UPDATE crm_list SET deleted_in_crm_at = now()
        WHERE workspace_id = $1 AND connection_id = $2 AND deleted_in_crm_at IS NULL AND NOT (crm_list_id = ANY($3::text[]))`,
      [workspaceId, connectionId, lists.map((l) => l.id)],
    );
    this.catalogReadAt.set(connectionId, Date.now());
    return lists.length;
  }

  /**
   * Enqueues a membership sync (202). A sync already pending or running is reused, not doubled. `forecastId`: the
   * forecast the admin was shown (#17); the list keeps it with the sync's job (400 naming `forecastId` when it cannot
   * be used).
   */
  async requestSync(workspaceId: string, listId: string, forecastId?: string): Promise<CrmListSyncResultDto> {
    return this.outbox.transaction(async (tx) => {
      const forecast = forecastId === undefined ? null : await this.claimForecast(tx.manager, workspaceId, listId, forecastId);
      const jobId = await this.enqueueSync(tx, workspaceId, listId, { force: true });
      if (!jobId) throw new NotFoundException('List not found');
      if (forecast) {
        await tx.manager.query(`UPDATE crm_list SET sync_forecast = $3::jsonb, sync_forecast_job_id = $4 WHERE workspace_id = $1 AND id = $2`, [workspaceId, listId, JSON.stringify(forecast), jobId]);
      }
      return { listId, jobId };
    });
  }

  private async claimForecast(manager: EntityManager, workspaceId: string, listId: string, forecastId: string): Promise<RunForecastDto> {
    const [list] = await manager.query<{ connection_id: string }[]>(`SELECT connection_id FROM crm_list WHERE workspace_id = $1 AND id = $2`, [workspaceId, listId]);
    if (!list) throw new NotFoundException('List not found');
    const forecast = await this.forecasts?.claim(manager, { workspaceId, connectionId: list.connection_id, kind: 'list-sync', forecastId });
    if (!forecast) throw forecastNotUsable();
    return forecast;
  }

  /**
   * Marks the list pending and enqueues its sync in the caller's transaction. Without `force`, a list that is
   * already pending/running is left alone (returns null). Returns the outbox job id.
   */
  async enqueueSync(tx: OutboxTransaction, workspaceId: string, listId: string, options: { force?: boolean } = {}): Promise<string | null> {
    const rows = await tx.manager.query<{ id: string; sync_status: string }[]>(`SELECT id, sync_status FROM crm_list WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [workspaceId, listId]);
    const row = rows[0];
    if (!row) return null;
    if (row.sync_status === 'pending' || row.sync_status === 'running') {
      const open = await openJob(tx.manager, workspaceId, listId);
      if (open) return open;
      if (!options.force) return null;
    }
    await tx.manager.query(`UPDATE crm_list SET sync_status = 'pending' WHERE id = $1 AND workspace_id = $2`, [listId, workspaceId]);
    const job = await tx.enqueue(JobName.CrmListsSync, { workspaceId, listId }, { workspaceId, maxAttempts: 5 });
    return job.id;
  }

  /**
   * The budget sweep of list syncs (#17): lists paused for the daily API budget whose resume time has come (on the
   * budget clock) are synced again, each with a new job (resumes_at is in Postgres: a pause survives restarts and a
   * Redis flush). Answers how many resumed.
   */
  resumeDue(now: Date = this.budgets.now()): Promise<number> {
    return resumeDue(this.outbox, (tx, limit) => unpauseDue(tx.manager, now, limit), (tx, l) => tx.enqueue(JobName.CrmListsSync, { workspaceId: l.workspace_id, listId: l.id }, { workspaceId: l.workspace_id, maxAttempts: 5 }));
  }

  /**
   * "Resume now anyway" (#17): a list sync paused for the daily API budget is synced again at once, its calls let past
   * Conduit's allocation until the reset it was waiting for (the CRM's own limit still stops it). 404 when the
   * workspace has no such list, 409 when its sync is not paused.
   */
  async resumeNow(workspaceId: string, listId: string): Promise<CrmListDto> {
    const resumed = await resumeOne(
      this.outbox,
      async (tx) => {
        const [rows] = await tx.manager.query<[{ id: string; workspace_id: string }[], number]>(
          `UPDATE crm_list SET sync_status = 'pending', paused_reason = NULL, pause_cause = NULL, allocation_override_until = resumes_at, resumes_at = NULL
            WHERE workspace_id = $1 AND id = $2 AND sync_status = 'paused' RETURNING id, workspace_id`,
          [workspaceId, listId],
        );
        return rows;
      },
      (tx, l) => tx.enqueue(JobName.CrmListsSync, { workspaceId: l.workspace_id, listId: l.id }, { workspaceId: l.workspace_id, maxAttempts: 5 }),
    );
    if (!resumed) {
      await this.get(workspaceId, listId);
      throw new ConflictException('The list sync is not paused, so there is nothing to resume');
    }
    this.logger.log({ msg: 'paused list sync resumed by an admin', listId });
    return this.get(workspaceId, listId);
  }

  /**
   * Dynamic lists used by a campaign (audience or suppression) whose last sync is older than their refresh_minutes,
   * and used lists never synced, get a sync. Returns how many were enqueued.
   */
  async scheduleDue(now = new Date()): Promise<number> {
    const due = await this.dataSource.query<{ id: string; workspace_id: string }[]>(
      `SELECT l.id, l.workspace_id FROM crm_list l
        WHERE l.deleted_in_crm_at IS NULL AND l.sync_status NOT IN ('pending', 'running', 'paused')
          AND (EXISTS (SELECT 1 FROM campaign_audience a WHERE a.list_id = l.id) OR EXISTS (SELECT 1 FROM campaign_suppression s WHERE s.list_id = l.id))
          AND (l.last_synced_at IS NULL OR (l.kind = 'dynamic' AND l.last_synced_at < $1::timestamptz - make_interval(mins => l.refresh_minutes)))`,
      [now],
    );
    let started = 0;
    for (const d of due) {
      const jobId = await this.outbox.transaction((tx) => this.enqueueSync(tx, d.workspace_id, d.id));
      if (jobId) started++;
    }
    return started;
  }
}

/** The crm_list rows a budget sweep takes: paused, due at `now`, locked (SKIP LOCKED) and set pending. */
async function unpauseDue(manager: EntityManager, now: Date, limit: number): Promise<{ id: string; workspace_id: string }[]> {
  const [rows] = await manager.query<[{ id: string; workspace_id: string }[], number]>(
    `UPDATE crm_list SET sync_status = 'pending', paused_reason = NULL, pause_cause = NULL, resumes_at = NULL
      WHERE id IN (SELECT id FROM crm_list WHERE sync_status = 'paused' AND resumes_at <= $1 ORDER BY resumes_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id, workspace_id`,
    [now, limit],
  );
  return rows;
}

async function openJob(manager: EntityManager, workspaceId: string, listId: string): Promise<string | null> {
  const rows = await manager.query<{ id: string }[]>(
    `SELECT id FROM outbox_job WHERE workspace_id = $1 AND name = 'crm-lists.sync' AND status IN ('pending', 'running') AND payload->>'listId' = $2 ORDER BY created_at DESC LIMIT 1`,
    [workspaceId, listId],
  );
  return rows[0]?.id ?? null;
}
