import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ApiFeature } from '@conduit/contracts';
import { ApiUsageRepository, type ReportedUsage, type UsageDelta } from './api-usage.repository.js';
import type { CrmConnectionRef } from './crm-runtime.options.js';
import { hourOf } from './daily-reset.js';
import { supersedes } from './reported-reading.js';

/** How often each process adds its counted calls to Postgres. */
export const USAGE_FLUSH_MS = 2_000;

/**
 * Counts Conduit's CRM calls per connection, hour and feature in this process, and adds them to Postgres in one
 * statement every USAGE_FLUSH_MS (and at shutdown): the request path only increments a Map entry. The CRM's own
 * readings (daily used/max from response headers or Salesforce /limits) go the same way, the current one per connection
 * and hour (reported-reading.ts: within a window the highest).
 * What can be lost: the calls of the last USAGE_FLUSH_MS of a process that dies without shutting down (SIGKILL, OOM).
 * Redis holds none of it, so a Redis flush loses nothing. A failed flush keeps its counts for the next one.
 */
@Injectable()
export class ApiUsageMeter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ApiUsageMeter.name);
  private pending = new Map<string, UsageDelta>();
  private readings = new Map<string, ReportedUsage>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly repository: ApiUsageRepository) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), USAGE_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch((err: unknown) => this.logger.warn({ msg: 'could not store the last API usage counts', error: (err as Error).message }));
  }

  /** Counts `calls` made now (`at`, on the budget clock) by `feature` on the connection. */
  count(connection: Pick<CrmConnectionRef, 'id' | 'workspaceId'>, feature: ApiFeature, calls: number, at: Date): void {
    const hour = hourOf(at);
    const key = `${connection.id}|${hour.getTime()}|${feature}`;
    const entry = this.pending.get(key);
    if (entry) entry.calls += calls;
    else this.pending.set(key, { workspaceId: connection.workspaceId, connectionId: connection.id, hour, feature, calls });
  }

  /** Keeps the CRM's newest reading of the account's daily usage for the next flush. */
  report(connection: Pick<CrmConnectionRef, 'id' | 'workspaceId'>, reading: Omit<ReportedUsage, 'workspaceId' | 'connectionId'>): void {
    const key = `${connection.id}|${hourOf(reading.reportedAt).getTime()}`;
    const current = this.readings.get(key);
    if (current && !supersedes(reading, current)) return;
    this.readings.set(key, { ...reading, workspaceId: connection.workspaceId, connectionId: connection.id });
  }

  /** Adds what was counted so far to Postgres; one flush at a time per process. */
  flush(): Promise<void> {
    const next = this.flushing.then(() => this.flushNow());
    this.flushing = next.catch(() => undefined);
    return next;
  }

  private async flushNow(): Promise<void> {
    const deltas = [...this.pending.values()];
    const readings = [...this.readings.values()];
    if (!deltas.length && !readings.length) return;
    this.pending = new Map();
    this.readings = new Map();
    try {
      await this.repository.addUsage(deltas);
    } catch (err) {
      // Put them back: counted again with the next flush.
      for (const d of deltas) this.count({ id: d.connectionId, workspaceId: d.workspaceId }, d.feature, d.calls, d.hour);
      for (const r of readings) this.report({ id: r.connectionId, workspaceId: r.workspaceId }, r);
      throw err;
    }
    await this.repository.addReported(readings).catch((err: unknown) => this.logger.warn({ msg: 'could not store the CRM-reported API usage', error: (err as Error).message }));
  }
}
