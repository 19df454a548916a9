import type { ApiPauseCause, RunSlowdownDto } from '@conduit/contracts';
import { Column, CreateDateColumn, type DataSource, type EntityManager } from 'typeorm';

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

/** A run's error as stored: the first 2,000 characters. */
export const runError = (message: string): string => message.slice(0, 2000);

/** The SQL every run table shares: a run ends done, or failed with its error. Scoped by workspace like every query. */
export abstract class RunProgressRepository {
  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly table: 'sync_run' | 'export_run',
  ) {}

  /** Marks a run done. */
  async markDone(workspaceId: string, runId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`UPDATE ${this.table} SET status = 'done', finished_at = $3 WHERE id = $1 AND workspace_id = $2`, [runId, workspaceId, new Date()]);
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

  /** Marks a run failed for good (its job's last attempt failed, or it cannot run at all). */
  async fail(workspaceId: string, runId: string, message: string): Promise<void> {
    await this.dataSource.query(`UPDATE ${this.table} SET status = 'failed', error = $3, finished_at = $4 WHERE id = $1 AND workspace_id = $2`, [runId, workspaceId, runError(message), new Date()]);
  }
}
