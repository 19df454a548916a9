import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type CrmAdapter, CrmError } from '@conduit/crm';
import { DataSource } from 'typeorm';
import type { CrmConnectionRef } from './crm-runtime.options.js';
import { describeCrmFailure } from './crm-failure.js';

/** Failures of one connection are written at most this often per process (a failing CRM fails many calls at once). */
const WRITE_EVERY_MS = 1_000;
/** A process that saw no failure still clears a connection's failing state this often when its calls succeed. */
const CLEAR_CHECK_MS = 15_000;

interface ConnectionState {
  ref: Pick<CrmConnectionRef, 'id' | 'workspaceId'>;
  /** Failures not written yet: how many, the first one's time, the last one in words. */
  pending: { count: number; firstAt: Date; lastAt: Date; lastError: string } | null;
  /** This process wrote a failure and has not cleared it since. */
  failing: boolean;
  lastWriteAt: number;
  lastClearAt: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Whether a connection's CRM keeps failing (#21), from the outcome of every call made through CrmClients: a CRM that
 * answers 5xx, does not answer or drops the connection is "failing since" its first such failure, until a call
 * succeeds. Rate limits are not failures (the CRM answers, Conduit waits), and refusals of a record are about the
 * record. Kept in crm_connection_health for every process's calls, written in the background at most once a second
 * per connection: a call never waits for it.
 */
@Injectable()
export class ConnectionHealthRecorder implements OnModuleDestroy {
  private readonly logger = new Logger(ConnectionHealthRecorder.name);
  private readonly states = new Map<string, ConnectionState>();
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly dataSource: DataSource) {}

  async onModuleDestroy(): Promise<void> {
    for (const s of this.states.values()) if (s.timer) clearTimeout(s.timer);
    await Promise.allSettled([...this.writes]);
  }

  /** The adapter with every call's outcome noted (methods only; the same adapter otherwise). */
  observe(adapter: CrmAdapter, connection: Pick<CrmConnectionRef, 'id' | 'workspaceId'>): CrmAdapter {
    return new Proxy(adapter, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => {
          const result: unknown = Reflect.apply(value, target, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (answer: unknown) => {
              this.succeeded(connection);
              return answer;
            },
            (error: unknown) => {
              this.failed(connection, error);
              throw error;
            },
          );
        };
      },
    });
  }

  failed(connection: Pick<CrmConnectionRef, 'id' | 'workspaceId'>, error: unknown): void {
    if (!(error instanceof CrmError) || error.details.kind !== 'transient') return;
    const s = this.state(connection);
    const now = new Date();
    s.pending = s.pending
      ? { count: s.pending.count + 1, firstAt: s.pending.firstAt, lastAt: now, lastError: describeCrmFailure(error) }
      : { count: 1, firstAt: now, lastAt: now, lastError: describeCrmFailure(error) };
    s.failing = true;
    if (!s.timer) s.timer = setTimeout(() => this.flush(s), Math.max(0, s.lastWriteAt + WRITE_EVERY_MS - Date.now()));
    s.timer.unref();
  }

  succeeded(connection: Pick<CrmConnectionRef, 'id' | 'workspaceId'>): void {
    const s = this.state(connection);
    if (!s.failing && Date.now() - s.lastClearAt < CLEAR_CHECK_MS) return;
    s.failing = false;
    s.pending = null;
    s.lastClearAt = Date.now();
    this.track(
      this.dataSource.query(
        `UPDATE crm_connection_health SET failing_since = NULL, failures = 0, recovered_at = now() WHERE connection_id = $1 AND workspace_id = $2 AND failing_since IS NOT NULL`,
        [s.ref.id, s.ref.workspaceId],
      ),
    );
  }

  private state(connection: Pick<CrmConnectionRef, 'id' | 'workspaceId'>): ConnectionState {
    let s = this.states.get(connection.id);
    if (!s) {
      s = { ref: { id: connection.id, workspaceId: connection.workspaceId }, pending: null, failing: false, lastWriteAt: 0, lastClearAt: 0, timer: null };
      this.states.set(connection.id, s);
    }
    return s;
  }

  private flush(s: ConnectionState): void {
    s.timer = null;
    const p = s.pending;
    if (!p) return;
    s.pending = null;
    s.lastWriteAt = Date.now();
    this.track(
      this.dataSource.query(
        `INSERT INTO crm_connection_health (connection_id, workspace_id, failing_since, last_failure_at, last_error, failures)
         SELECT id, workspace_id, $3, $4, $5, $6 FROM crm_connection WHERE id = $1 AND workspace_id = $2
         ON CONFLICT (connection_id) DO UPDATE
           SET failing_since = coalesce(crm_connection_health.failing_since, excluded.failing_since), last_failure_at = excluded.last_failure_at,
               last_error = excluded.last_error, failures = crm_connection_health.failures + excluded.failures`,
        [s.ref.id, s.ref.workspaceId, p.firstAt, p.lastAt, p.lastError, p.count],
      ),
    );
  }

  private track(write: Promise<unknown>): void {
    const done = write.then(
      () => undefined,
      (error: unknown) => this.logger.warn({ msg: 'could not record connection health', error: error instanceof Error ? error.message : String(error) }),
    );
    this.writes.add(done);
    void done.finally(() => this.writes.delete(done));
  }
}
