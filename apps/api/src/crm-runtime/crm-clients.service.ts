import { Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ApiFeature, ApiWorkClass } from '@conduit/contracts';
import type { CrmAdapter, CrmRequestInfo } from '@conduit/crm';
import { Redis } from 'ioredis';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { ConnectionCredentialsService } from '../connections/connection-credentials.service.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { ConnectionHealthRecorder } from './connection-health.js';
import { ApiBudgetService } from './api-budget.service.js';
import { CRM_RUNTIME_OPTIONS, type CrmConnectionRef, type CrmRuntimeOptions } from './crm-runtime.options.js';
import { withCrmRetry } from './crm-retry.js';
import { InFlightLimiter, noteCrmRequest } from './in-flight-limiter.js';
import { RateBudget, type RateLane } from './rate-budget.js';
import { CrmRateLimitsService } from './rate-limits.service.js';

export interface CrmClientOptions {
  /** The budget lane: `bulk` (default: backfills, exports, lists, workflows) or `live` with its share (activity logging). */
  lane?: RateLane;
  /** Per CRM call (the adapter's default is 30 s). */
  timeoutMs?: number;
  /** Asked before a request takes from the budget: true when its slot was already taken (see CrmClient.reserve). */
  prepaid?: (cost: number, info: CrmRequestInfo) => boolean;
  /** What the calls are for, in the usage by feature (default `other`). */
  feature?: ApiFeature;
  /**
   * The daily allocation's class of the calls: `bulk` stops when the allocation less the live reserve is spent, `live`
   * (activity logging, single pushes, workflow handoffs) may use the reserve. Default: `live` on the live lane, else `bulk`.
   */
  work?: ApiWorkClass;
  /** "Resume now anyway": until then the calls are not held to the daily allocation (the CRM's own limit still applies). */
  allocationOverrideUntil?: Date | null;
}

/** A ready adapter for one connection and the accounting of its calls. */
export interface CrmClient {
  readonly connection: CrmConnectionRef;
  /** Credentials from the connections module (single-flight refresh), every request paced by the shared budget. */
  readonly adapter: CrmAdapter;
  /** Requests made through the adapter so far. */
  calls(): number;
  /** Requests made since the last takeCalls() (a run records them with each checkpoint). */
  takeCalls(): number;
  /** Takes `cost` slots of the connection's budget on this client's lane now, for a call about to be made. */
  reserve(cost: number, budget?: CrmRequestInfo['budget']): Promise<void>;
  /**
   * The adaptive in-flight limit of this connection and lane in this process (shared by every client of them, see
   * in-flight-limiter.ts): how many of its calls run at once. The shared budget still paces each request.
   */
  readonly inFlight: InFlightLimiter;
  /**
   * One CRM call as a feature should make it when it keeps several in flight: under the connection's in-flight limit,
   * rate limits and transient failures retried in place (crm-retry.ts), each attempt a separate slot so a 429 is seen
   * by the limiter. `Promise.all` over many `call`s, or `inFlight.map`, keeps as many in flight as the limit allows.
   */
  call<T>(fn: (adapter: CrmAdapter) => Promise<T>): Promise<T>;
}

/** Calls of one connection and lane in flight at most, whatever the limiter learns (the CRM's budget bounds it too). */
const MAX_IN_FLIGHT = 32;

/**
 * The one place a feature gets a CRM adapter for a connection: credentials and single-flight token refresh through
 * the connections module (ConnectionCredentialsService), every request waiting for the connection's shared Redis
 * budget (rate-budget.ts, limits from the CRM's metadata) on the caller's lane, and counted. Features ask this for a
 * client and never build an adapter themselves, so a list refresh, an export, a workflow, activity logging and a
 * backfill of one connection never exceed the CRM's rate limit together.
 */
@Injectable()
export class CrmClients implements OnModuleDestroy {
  private readonly logger = new Logger(CrmClients.name);
  private readonly redis: Redis;
  private readonly budget: RateBudget;
  /** One limiter per connection and lane in this process, so every feature's calls of a connection share it. */
  private readonly limiters = new Map<string, InFlightLimiter>();

  constructor(
    @InjectConfig() config: AppConfig,
    @Inject(CRM_RUNTIME_OPTIONS) private readonly options: CrmRuntimeOptions,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    private readonly credentials: ConnectionCredentialsService,
    private readonly limits: CrmRateLimitsService,
    private readonly health: ConnectionHealthRecorder,
    private readonly budgets: ApiBudgetService,
  ) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', (err: Error) => this.logger.warn({ msg: 'redis error (rate budget)', error: err.message }));
    this.budget = new RateBudget(this.redis, config.queuePrefix);
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /** A client for a connection of this workspace (404 when the workspace has no such connection). */
  async open(workspaceId: string, connectionId: string, options: CrmClientOptions = {}): Promise<CrmClient & { connection: CrmConnection }> {
    const row = await this.connections.findOneBy({ id: connectionId, workspaceId });
    if (!row) throw new NotFoundException('Connection not found');
    return this.client(row, options);
  }

  /** A client for a connection the caller already loaded (scoped to its workspace). */
  async client<C extends CrmConnectionRef>(connection: C, options: CrmClientOptions = {}): Promise<CrmClient & { connection: C }> {
    const lane = options.lane ?? { kind: 'bulk' };
    const feature = options.feature ?? 'other';
    const work = options.work ?? (lane.kind === 'live' ? 'live' : 'bulk');
    const limits = this.limits.for(connection, await this.budgets.windowShare(connection));
    const take = async (cost: number, budget: CrmRequestInfo['budget']) => {
      // A search spends its own budget and the general window too: HubSpot (and the sandbox) count a search in the
      // 10-second window, so a backfill searching at 4/s beside list paging would otherwise overrun that window.
      if (budget !== 'standard') await this.budget.take(connection.id, budget, limits[budget], cost, lane);
      await this.budget.take(connection.id, 'standard', limits.standard, cost, lane);
    };
    let total = 0;
    let taken = 0;
    const raw = await this.credentials.adapterFor(connection, {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      beforeRequest: async (cost, info) => {
        // The day's allocation first (throws ApiBudgetExhaustedError: the run pauses), then the 10-second window.
        await this.budgets.admit(connection, feature, work, cost, options.allocationOverrideUntil ?? null);
        total += cost;
        if (options.prepaid?.(cost, info)) return noteCrmRequest(0);
        const t0 = performance.now();
        await take(cost, info.budget);
        // The in-flight limiter times the CRM's answer, not the wait for the budget.
        noteCrmRequest(performance.now() - t0);
      },
      onRateLimits: (update) => this.budgets.noteReading(connection, update),
      afterRequest: (cost) => this.budgets.answered(connection, cost),
    });
    // Every call's outcome tells whether the CRM keeps failing (the Integrations card, waiting activities).
    const adapter = this.health.observe(this.options.decorateAdapter ? this.options.decorateAdapter(raw, connection) : raw, connection);
    const inFlight = this.limiterFor(connection, lane);
    return {
      connection,
      adapter,
      calls: () => total,
      takeCalls: () => {
        const n = total - taken;
        taken = total;
        return n;
      },
      reserve: (cost, budget = 'standard') => take(cost, budget),
      inFlight,
      call: (fn) => withCrmRetry(() => inFlight.run(() => fn(adapter))),
    };
  }

  /** The process's in-flight limiter of a connection and lane (created on first use, bounded by the CRM's budget). */
  limiterFor(connection: CrmConnectionRef, lane: RateLane = { kind: 'bulk' }): InFlightLimiter {
    const key = `${connection.id}:${lane.kind}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const max = Math.min(MAX_IN_FLIGHT, this.limits.for(connection).standard.max);
      limiter = new InFlightLimiter({ initial: Math.min(8, max), max });
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}
