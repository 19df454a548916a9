import { Injectable } from '@nestjs/common';
import type { RunSlowdownDto } from '@conduit/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { RunProgressRepository, type UnpauseDue } from '../common/run-progress.js';
import type { ImportFailure, PageOutcome } from './import-plan.js';
import { SyncFailure } from './sync-failure.entity.js';
import { type ProposedMapping, type RunProgress, SyncRun, type SyncRunKind } from './sync-run.entity.js';

/** Dry runs keep this many sample diffs. */
export const SAMPLE_SIZE = 20;

/** Rows per statement: bounds the size of one jsonb parameter. */
const FAILURE_CHUNK = 5000;

/** The SQL of sync_run and its per-record failures (sync_failure). Every query is scoped by workspace. */
@Injectable()
export class SyncRunRepository extends RunProgressRepository {
  constructor(dataSource: DataSource) {
    super(dataSource, 'sync_run');
  }

  /** A new pending run. */
  create(
    manager: EntityManager,
    run: Pick<SyncRun, 'workspaceId' | 'connectionId' | 'crm' | 'kind' | 'objects'> & { progress?: RunProgress | null; mapping?: ProposedMapping | null; forecast?: SyncRun['forecast']; personId?: string | null },
  ): Promise<SyncRun> {
    return manager.save(manager.create(SyncRun, { ...run, status: 'pending' }));
  }

  /** The connection's run of `kind` in `status` (pending or running), if any. */
  findOpen(manager: EntityManager, workspaceId: string, connectionId: string, kind: SyncRunKind, status: 'pending' | 'running' | 'paused'): Promise<SyncRun | null> {
    return manager.findOneBy(SyncRun, { workspaceId, connectionId, kind, status });
  }

  /** The connection's open import (incremental, backfill or remap run pending, running or paused), oldest first. */
  findOpenImport(workspaceId: string, connectionId: string, manager: EntityManager = this.dataSource.manager): Promise<SyncRun | null> {
    return manager
      .getRepository(SyncRun)
      .createQueryBuilder('r')
      .where('r.workspace_id = :workspaceId AND r.connection_id = :connectionId', { workspaceId, connectionId })
      .andWhere(`r.kind IN ('incremental', 'backfill', 'remap') AND r.status IN ('pending', 'running', 'paused')`)
      .orderBy('r.created_at', 'ASC')
      .getOne();
  }

  /** Whether an incremental, backfill or remap run of the connection is pending, running or paused (for the API budget). */
  async hasOpenImport(manager: EntityManager, workspaceId: string, connectionId: string): Promise<boolean> {
    const [open] = await manager.query<unknown[]>(
      `SELECT 1 FROM sync_run WHERE workspace_id = $1 AND connection_id = $2 AND kind IN ('incremental', 'backfill', 'remap') AND status IN ('pending', 'running', 'paused') LIMIT 1`,
      [workspaceId, connectionId],
    );
    return open !== undefined;
  }

  /** Whether any run of the connection imported, updated or matched a record. */
  async hasImported(workspaceId: string, connectionId: string): Promise<boolean> {
    const [imported] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM sync_run WHERE workspace_id = $1 AND connection_id = $2 AND kind IN ('backfill', 'incremental', 'webhook', 'remap') AND (created + updated + unchanged) > 0 LIMIT 1`,
      [workspaceId, connectionId],
    );
    return imported !== undefined;
  }

  /** Whether the connection ever had a backfill or incremental run. */
  async hasSynced(workspaceId: string, connectionId: string): Promise<boolean> {
    const [synced] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM sync_run WHERE workspace_id = $1 AND connection_id = $2 AND kind IN ('backfill', 'incremental') LIMIT 1`, [
      workspaceId,
      connectionId,
    ]);
    return synced !== undefined;
  }

  /** When the connection's last incremental run was created. */
  async lastIncrementalAt(workspaceId: string, connectionId: string): Promise<Date | null> {
    const [last] = await this.dataSource.query<{ created_at: Date }[]>(
      `SELECT created_at FROM sync_run WHERE workspace_id = $1 AND connection_id = $2 AND kind = 'incremental' ORDER BY created_at DESC LIMIT 1`,
      [workspaceId, connectionId],
    );
    return last?.created_at ?? null;
  }

  /** History, newest first. */
  list(workspaceId: string, options: { connectionId?: string; limit: number }): Promise<SyncRun[]> {
    return this.dataSource.getRepository(SyncRun).find({
      where: { workspaceId, ...(options.connectionId ? { connectionId: options.connectionId } : {}) },
      order: { createdAt: 'DESC' },
      take: options.limit,
    });
  }

  get(workspaceId: string, id: string): Promise<SyncRun | null> {
    return this.dataSource.getRepository(SyncRun).findOneBy({ id, workspaceId });
  }

  /** The people of person re-reads by name (name, else email), for runs that name one; a deleted person is absent. */
  async personNames(workspaceId: string, runs: readonly SyncRun[]): Promise<ReadonlyMap<string, string>> {
    const ids = [...new Set(runs.map((r) => r.personId).filter((id): id is string => id !== null))];
    if (!ids.length) return new Map();
    const rows = await this.dataSource.query<{ id: string; name: string | null }[]>(
      `SELECT id, coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), email) AS name FROM person WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
      [workspaceId, ids],
    );
    return new Map(rows.flatMap((r) => (r.name === null ? [] : [[r.id, r.name] as const])));
  }

  /** The run's first `limit` per-record failures, oldest first. */
  failures(workspaceId: string, runId: string, limit: number): Promise<SyncFailure[]> {
    return this.dataSource.getRepository(SyncFailure).find({ where: { runId, workspaceId }, order: { at: 'ASC' }, take: limit });
  }

  /** Per-record failures with the CRM's (or Conduit's) reason, in the caller's transaction. */
  async recordFailures(manager: EntityManager, workspaceId: string, runId: string, failures: readonly ImportFailure[]): Promise<void> {
    for (let i = 0; i < failures.length; i += FAILURE_CHUNK) {
      const part = failures.slice(i, i + FAILURE_CHUNK);
      await manager.query(
        `INSERT INTO sync_failure (workspace_id, run_id, crm_id, reason, object, name)
         SELECT $1, $2, v.crm_id, v.reason, v.object, v.name FROM jsonb_to_recordset($3::jsonb) AS v(crm_id text, reason text, object text, name text)`,
        [workspaceId, runId, JSON.stringify(part.map((f) => ({ crm_id: f.crmId, reason: f.reason.slice(0, 2000), object: f.object ?? null, name: f.name?.slice(0, 300) ?? null })))],
      );
    }
  }

  /**
   * The run as a job finds it: pending runs become running (with their start time, kept from a first start when it
   * resumes after a pause); null when it is gone, already finished (a second delivery of the job) or paused (a
   * stale delivery: the budget sweep enqueues it again when it is due).
   */
  async start(workspaceId: string, runId: string): Promise<SyncRun | null> {
    const repo = this.dataSource.getRepository(SyncRun);
    const run = await repo.findOneBy({ id: runId, workspaceId });
    if (!run || run.status === 'done' || run.status === 'failed' || run.status === 'paused') return null;
    if (run.status === 'pending') await repo.update({ id: run.id, workspaceId }, { status: 'running', startedAt: run.startedAt ?? new Date() });
    return run;
  }

  /** Adds a page's counts and calls to the run, with its checkpoint and (dry runs) sample diffs, in the page's transaction. */
  async recordPage(tx: EntityManager, run: SyncRun, outcome: PageOutcome, apiCalls: number, progress: RunProgress | undefined): Promise<void> {
    const c = outcome.counts;
    await tx.query(
      `UPDATE sync_run SET created = created + $3, updated = updated + $4, unchanged = unchanged + $5, failed = failed + $6,
              archived = archived + $7, api_calls = api_calls + $8,
              progress = COALESCE($9::jsonb, progress),
              sample = CASE WHEN $10::jsonb IS NULL THEN sample
                            ELSE (SELECT jsonb_agg(x) FROM (SELECT x FROM jsonb_array_elements(COALESCE(sample, '[]') || $10::jsonb) AS x LIMIT ${SAMPLE_SIZE}) s) END
        WHERE id = $1 AND workspace_id = $2`,
      [
        run.id,
        run.workspaceId,
        c.created,
        c.updated,
        c.unchanged,
        c.failed,
        c.archived,
        apiCalls,
        progress ? JSON.stringify(progress) : null,
        outcome.sample.length ? JSON.stringify(outcome.sample) : null,
      ],
    );
  }

  /** The backfill's expected total (null: the CRM could not count) and the calls spent counting. */
  async recordEstimate(run: SyncRun, total: number | null, apiCalls: number): Promise<void> {
    await this.dataSource.query(`UPDATE sync_run SET total_estimate = $3, api_calls = api_calls + $4 WHERE id = $1 AND workspace_id = $2`, [run.id, run.workspaceId, total, apiCalls]);
  }

  /**
   * A related object imported (owners, deals, lists): its count, what it adds to the total, the calls and the run's
   * next checkpoint, together.
   */
  async recordRelated(run: SyncRun, related: { object: string; count: number; addToTotal: number; apiCalls: number; next: RunProgress }): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_run SET related_counts = COALESCE(related_counts, '{}'::jsonb) || jsonb_build_object($3::text, $4::int),
              total_estimate = total_estimate + $5, api_calls = api_calls + $6, progress = $7::jsonb
        WHERE id = $1 AND workspace_id = $2`,
      [run.id, run.workspaceId, related.object, related.count, related.addToTotal, related.apiCalls, JSON.stringify(related.next)],
    );
  }

  /** Marks the run done, with the last of its slowdown (markDone), and answers it as stored. */
  async finish(run: SyncRun, last?: RunSlowdownDto): Promise<SyncRun> {
    await this.markDone(run.workspaceId, run.id, last);
    return this.dataSource.getRepository(SyncRun).findOneByOrFail({ id: run.id, workspaceId: run.workspaceId });
  }

  /**
   * Paused runs back to pending, in the caller's transaction (RunProgressRepository.unpauseRows: the budget sweep's due
   * runs, or one run an admin resumes now). Answers the runs, to enqueue their jobs.
   */
  async unpause(manager: EntityManager, due: UnpauseDue): Promise<SyncRun[]> {
    const rows = await this.unpauseRows<SyncRunRow>(manager, due, ['kind']);
    return rows.map((r) => Object.assign(new SyncRun(), { id: r.id, workspaceId: r.workspace_id, connectionId: r.connection_id, kind: r.kind }));
  }
}

interface SyncRunRow {
  id: string;
  workspace_id: string;
  connection_id: string;
  kind: SyncRunKind;
}
