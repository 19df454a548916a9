import type { ApiPauseCause, RunSlowdownDto } from '@conduit/contracts';
import { Column, CreateDateColumn, type DataSource, type EntityManager } from 'typeorm';

const ZERO_SLOWDOWN: RunSlowdownDto = Object.freeze({ throttledCalls: 0, retriedCalls: 0, retryWaitMs: 0, rateWaitMs: 0 });

/** `paused`: stopped at the connection's daily API allocation (#17); the budget sweep resumes it at `resumesAt`. */
export type RunStatus = 'pending' | 'running' | 'paused' | 'done' | 'failed';

/**
 * The columns every run table shares (sync_run, export_run): where the run stands, what it did to records and how
 * it ended. Each run entity extends this and adds its own columns, table name and checks.
 */
export abstract class RunProgressColumns {
  @Column({ type: 'text', default: 'pending' })
  status: RunStatus;

  @Column({ type: 'integer', default: 0 })
  created: number;

  @Column({ type: 'integer', default: 0 })
  updated: number;

  @Column({ type: 'integer', default: 0 })
  unchanged: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** When the run last paused for the API budget (#17). */
  @Column({ type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  /** The plain reason shown to the admin, e.g. "Paused: daily API allocation reached". */
  @Column({ type: 'text', nullable: true })
  pausedReason: string | null;

  @Column({ type: 'text', nullable: true })
  pauseCause: ApiPauseCause | null;

  /** When the budget sweep resumes the run from its checkpoint (the daily reset); kept in Postgres so a pause survives restarts and a Redis flush. */
  @Column({ type: 'timestamptz', nullable: true })
  resumesAt: Date | null;

  /** "Resume now anyway": until then the run is not held to the daily API allocation (the CRM's own limit still applies). */
  @Column({ type: 'timestamptz', nullable: true })
  allocationOverrideUntil: Date | null;

  /** How much 429s and retries slowed the run (#21), counted by the CRM runtime (crm-runtime/run-slowdown.ts). */
  @Column({ type: 'integer', default: 0 })
  throttledCalls: number;

  @Column({ type: 'integer', default: 0 })
  retriedCalls: number;

  /** Milliseconds (wall-clock; an integer holds 24 days of waiting). */
  @Column({ type: 'integer', default: 0 })
  retryWaitMs: number;

  @Column({ type: 'integer', default: 0 })
  rateWaitMs: number;
}

/** A run's slowdown as the API answers it. */
export function slowdownOf(run: RunProgressColumns): RunSlowdownDto {
  return { throttledCalls: run.throttledCalls, retriedCalls: run.retriedCalls, retryWaitMs: run.retryWaitMs, rateWaitMs: run.rateWaitMs };
}

/** Which paused runs go back to pending: those due at `now` (the budget sweep), or one run an admin resumes now. */
export type UnpauseDue = { now: Date; limit: number } | { workspaceId: string; runId: string };

/** A pause for the API budget as a run stores it (crm-runtime's BudgetPause). */
export interface RunPause {
  cause: ApiPauseCause;
  reason: string;
  resumesAt: Date;
}

/** A run's error as stored: the first 2,000 characters. */
export const runError = (message: string): string => message.slice(0, 2000);

/** The SQL every run table shares: a run ends done, or failed with its error. Scoped by workspace like every query. */
export abstract class RunProgressRepository {
  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly table: 'sync_run' | 'export_run',
  ) {}

  /**
   * Marks a run done, adding the last of its 429s, retries and waits in the same statement: a reader that sees the run
   * done sees all of them (added after, a poll between the two would read the run done and short of its last retry).
   */
  async markDone(workspaceId: string, runId: string, last: RunSlowdownDto = ZERO_SLOWDOWN, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE ${this.table} SET status = 'done', finished_at = $3, throttled_calls = throttled_calls + $4, retried_calls = retried_calls + $5,
          retry_wait_ms = retry_wait_ms + $6, rate_wait_ms = rate_wait_ms + $7
        WHERE id = $1 AND workspace_id = $2`,
      [runId, workspaceId, new Date(), last.throttledCalls, last.retriedCalls, last.retryWaitMs, last.rateWaitMs],
    );
  }

  /** Adds what the CRM runtime counted of the run's 429s, retries and waits since the last time (nothing when it is all zero). */
  async addSlowdown(workspaceId: string, runId: string, s: RunSlowdownDto, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (s.throttledCalls + s.retriedCalls + s.retryWaitMs + s.rateWaitMs === 0) return;
    await manager.query(
      `UPDATE ${this.table} SET throttled_calls = throttled_calls + $3, retried_calls = retried_calls + $4, retry_wait_ms = retry_wait_ms + $5, rate_wait_ms = rate_wait_ms + $6
        WHERE id = $1 AND workspace_id = $2`,
      [runId, workspaceId, s.throttledCalls, s.retriedCalls, s.retryWaitMs, s.rateWaitMs],
    );
  }

  /** The running run pauses for the API budget (its checkpoint stays where its last committed step left it). */
  pause(run: { id: string; workspaceId: string }, pause: RunPause, now: Date): Promise<void> {
    return this.markPaused(this.dataSource.manager, run, pause, now, 'running');
  }

  /** A run in `from` (a new run: `pending`, no job enqueued) is paused for the API budget, in the caller's transaction. */
  async markPaused(manager: EntityManager, run: { id: string; workspaceId: string }, pause: RunPause, now: Date, from: 'pending' | 'running' = 'pending'): Promise<void> {
    await manager.query(
      `UPDATE ${this.table} SET status = 'paused', paused_at = $3, paused_reason = $4, pause_cause = $5, resumes_at = $6 WHERE id = $1 AND workspace_id = $2 AND status = $7`,
      [run.id, run.workspaceId, now, pause.reason, pause.cause, pause.resumesAt, from],
    );
  }

  /**
   * Paused runs back to pending, in the caller's transaction: those due at `now` (any workspace: the budget sweep;
   * rows taken with SKIP LOCKED, so several workers may sweep at once), or one run of a workspace at once (`runId`:
   * "Resume now anyway", which lets it past the allocation until the reset it was waiting for). Answers their rows
   * (id, workspace_id, connection_id and `columns`), to enqueue their jobs in the same transaction.
   */
  protected async unpauseRows<R>(manager: EntityManager, due: UnpauseDue, columns: readonly string[] = []): Promise<R[]> {
    const returning = ['id', 'workspace_id', 'connection_id', ...columns].join(', ');
    const [rows] = await manager.query<[R[], number]>(
      'runId' in due
        ? `UPDATE ${this.table} SET status = 'pending', paused_reason = NULL, pause_cause = NULL, allocation_override_until = resumes_at, resumes_at = NULL
            WHERE workspace_id = $1 AND id = $2 AND status = 'paused' RETURNING ${returning}`
        : `UPDATE ${this.table} SET status = 'pending', paused_reason = NULL, pause_cause = NULL, resumes_at = NULL
            WHERE id IN (SELECT id FROM ${this.table} WHERE status = 'paused' AND resumes_at <= $1 ORDER BY resumes_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING ${returning}`,
      'runId' in due ? [due.workspaceId, due.runId] : [due.now, due.limit],
    );
    return rows;
  }

  /** Marks a run failed for good (its job's last attempt failed, or it cannot run at all). */
  async fail(workspaceId: string, runId: string, message: string): Promise<void> {
    await this.dataSource.query(`UPDATE ${this.table} SET status = 'failed', error = $3, finished_at = $4 WHERE id = $1 AND workspace_id = $2`, [runId, workspaceId, runError(message), new Date()]);
  }
}
