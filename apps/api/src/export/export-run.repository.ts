import { Injectable } from '@nestjs/common';
import type { RunSlowdownDto } from '@conduit/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { RunProgressRepository, type UnpauseDue } from '../common/run-progress.js';
import { ExportRun } from './export-run.entity.js';

/** What a chunk did to its people. */
export interface ChunkCounts {
  created: number;
  updated: number;
  unchanged: number;
  needsAttention: number;
}

/** The SQL of export_run. Every query is scoped by workspace. */
@Injectable()
export class ExportRunRepository extends RunProgressRepository {
  constructor(dataSource: DataSource) {
    super(dataSource, 'export_run');
  }

  /** A new run (done at once when it has nobody to export), in the caller's transaction. */
  create(
    manager: EntityManager,
    run: Pick<ExportRun, 'workspaceId' | 'connectionId' | 'crm' | 'trigger' | 'personIds'> & Partial<Pick<ExportRun, 'skipped' | 'skippedReasons' | 'forecast'>>,
  ): Promise<ExportRun> {
    const empty = run.personIds.length === 0;
    return manager.save(manager.create(ExportRun, { ...run, status: empty ? 'done' : 'pending', ...(empty ? { finishedAt: new Date() } : {}) }));
  }

  get(workspaceId: string, id: string): Promise<ExportRun | null> {
    return this.dataSource.getRepository(ExportRun).findOneBy({ id, workspaceId });
  }

  /** The run as its job finds it, marked running; null when it is gone or already finished (a second delivery of the job). */
  async start(workspaceId: string, runId: string): Promise<ExportRun | null> {
    const repo = this.dataSource.getRepository(ExportRun);
    const run = await repo.findOneBy({ id: runId, workspaceId });
    // A paused run waits for its resume (the budget sweep or an admin set it pending again with a new job).
    if (!run || run.status === 'done' || run.status === 'failed' || run.status === 'paused') return null;
    run.startedAt ??= new Date();
    await repo.update({ id: run.id, workspaceId }, { status: 'running', error: null, startedAt: run.startedAt });
    return run;
  }

  /**
   * A chunk is done: adds its counts and the run's CRM calls since the last chunk, moves the checkpoint (`processed`,
   * never back: chunks finishing at once may commit out of order) and keeps the chunks done past it (`done_chunks`).
   */
  async recordChunk(run: ExportRun, chunk: { at: number; checkpoint: number }, counts: ChunkCounts, apiCalls: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE export_run SET processed = GREATEST(processed, $3),
              done_chunks = ARRAY(SELECT DISTINCT c FROM unnest(array_append(done_chunks, $4::int)) AS c WHERE c >= GREATEST(processed, $3) ORDER BY c),
              created = created + $5, updated = updated + $6, unchanged = unchanged + $7, needs_attention = needs_attention + $8,
              api_calls = api_calls + $9
        WHERE id = $1 AND workspace_id = $2`,
      [run.id, run.workspaceId, chunk.checkpoint, chunk.at, counts.created, counts.updated, counts.unchanged, counts.needsAttention, apiCalls],
    );
  }

  /** Paused runs back to pending (RunProgressRepository.unpauseRows), in the caller's transaction. */
  async unpause(manager: EntityManager, due: UnpauseDue): Promise<{ id: string; workspaceId: string }[]> {
    const rows = await this.unpauseRows<{ id: string; workspace_id: string }>(manager, due);
    return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id }));
  }

  /** Marks the run done, with the last of its slowdown (markDone), and answers it as stored. */
  async finish(run: ExportRun, last?: RunSlowdownDto): Promise<ExportRun> {
    await this.markDone(run.workspaceId, run.id, last);
    return this.dataSource.getRepository(ExportRun).findOneByOrFail({ id: run.id, workspaceId: run.workspaceId });
  }
}
