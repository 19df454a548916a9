import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ACTIVITY_ID_FIELD, CrmError, type CrmActivityInput, type CrmActivityType, type CrmAdapter, isConvertedLeadError } from '@conduit/crm';
import { createOwnerResolver, type OwnerResolver } from '@conduit/mapping';
import { Redis } from 'ioredis';
import { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { ApiBudgetExhaustedError, ApiBudgetService, liveWaitReason } from '../crm-runtime/api-budget.service.js';
import { CrmClients, type CrmClient } from '../crm-runtime/crm-clients.service.js';
import { describeCrmFailure } from '../crm-runtime/crm-failure.js';
import { withCrmRetry, type RetryPolicy } from '../crm-runtime/crm-retry.js';
import type { CrmExportSettings } from '../export/export-settings.entity.js';
import { ExportService } from '../export/export.service.js';
import { OwnerMappingService } from '../export/owner-mapping.service.js';
import type { DeliveryCounts, JobOf, JobResultOf } from '../queues/jobs/index.js';
import type { JobName } from '../queues/queue-names.js';
import { LeadConversions } from '../sync/lead-conversions.js';
import { User } from '../users/user.entity.js';
import { ActivitiesService, type ActivitySettings } from './activities.service.js';
import { ActivityDeliveryRepository, type LoggedDelivery, type PendingDelivery } from './activity-delivery.repository.js';
import { planCall, toCrmActivity } from './activity-plan.js';
import { ActivityTargets } from './activity-targets.js';

/** Knobs of delivery (defaults for production; a benchmark or test may tighten them). */
export interface DeliveryTuning {
  /** Per CRM call; a create without an answer by then is uncertain and checked before it is created again. */
  timeoutMs: number;
  /** Deliveries per round (HubSpot batch create takes 100 per object type). */
  batchSize: number;
  /** Rounds a delivery may stay uncertain/transient before it is marked failed (retry from the Activity log). */
  maxAttempts: number;
  /** Share of the connection's request window reserved for live activity logging. */
  budgetShare: number;
  /** Before an uncertain create is checked: lets a slow CRM finish the write it was still doing. */
  settleMs: number;
}


interface Context {
  connection: CrmConnection;
  client: CrmClient;
  adapter: CrmAdapter;
  settings: ActivitySettings;
  exportSettings: CrmExportSettings;
  owners: OwnerResolver | null;
}

interface Ticket {
  prepaid: number;
}
type Counts = DeliveryCounts;
const DELIVERY_OUTCOMES = ['logged', 'failed', 'waiting', 'adopted'] as const satisfies readonly (keyof DeliveryCounts)[];
interface Ready {
  row: PendingDelivery;
  input: CrmActivityInput;
}

/** A delivery the CRM refused in a batch answer, with the CRM's own error for it. */
interface Refusal {
  row: PendingDelivery;
  error: unknown;
}

/**
 * Create calls of one connection in flight at once. The live lane paces calls ≈ 360 ms apart (30 % of 95 / 10 s) and a
 * HubSpot batch create answers in 0.4 s at the median but 1.1 s at p95 and 2.3 s at p99 (realistic profile): with 2 in
 * flight, one slow answer held back the next call of every other type, so waits stacked behind the CRM's tail. Six
 * cover rate × p99; the live lane's budget, not this number, sets the pace.
 */
const PIPELINE = 6;

/** Rounds slower than this are logged with their phases. */
const SLOW_ROUND_MS = 2_000;

/** Pending deliveries looked at to plan a call (the oldest; a backlog drains over several rounds). */
const PLAN_WINDOW = 1000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Fewer and shorter retries than a backfill's: a live call should fail over to the next round rather than wait long. */
const ACTIVITY_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Delivers a connection's pending activities to the CRM timeline (where each goes: activity-targets.ts), in order of occurrence, one connection at a time
 * (a Postgres advisory lock per connection, so two workers never send the same delivery). Per round: held
 * deliveries of people now in the CRM are released; people not in the CRM are exported first when the export policy
 * allows, else their deliveries wait; uncertain earlier creates are checked in the CRM; the rest are created in
 * batches (HubSpot batch create with inline associations, Salesforce sObject collections) and their CRM ids stored.
 */
@Injectable()
export class ActivityDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(ActivityDeliveryService.name);
  /** Activity-drain marks only (the rate budget is the CRM runtime's). */
  private readonly redis: Redis;
  /** The slot a call's requests may spend first (taken before the call's deliveries were chosen). */
  private readonly slot = new AsyncLocalStorage<Ticket>();
  /** `connectionId:activityType` whose CRM object is known to carry ACTIVITY_ID_FIELD. */
  private readonly idFieldReady = new Set<string>();
  tuning: DeliveryTuning = { timeoutMs: 15_000, batchSize: 100, maxAttempts: 8, budgetShare: 0.3, settleMs: 1_000 };

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly deliveries: ActivityDeliveryRepository,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly clients: CrmClients,
    private readonly ownerMapping: OwnerMappingService,
    private readonly exports: ExportService,
    private readonly targets: ActivityTargets,
    private readonly activities: ActivitiesService,
    private readonly conversions: LeadConversions,
    private readonly budgets: ApiBudgetService,
  ) {
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', (err: Error) => this.logger.warn({ msg: 'redis error (activity drain marks)', error: err.message }));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  async deliver(payload: JobOf<JobName.ActivitiesDeliver>): Promise<JobResultOf<JobName.ActivitiesDeliver>> {
    const connection = await this.connections.findOneBy({ id: payload.connectionId, workspaceId: payload.workspaceId });
    if (!connection) return { skipped: 1 };
    // needs_reconnect: throw, so the job retries with backoff while an admin reconnects; deliveries stay pending.
    if (connection.status !== 'connected') throw new Error(`${connection.crm} needs to be reconnected`);
    // One drainer per connection. A job that finds the drainer busy marks the connection dirty and leaves; the drainer
    // clears the mark before each pass and looks at it again after releasing the lock, so no committed delivery is
    // left behind and a burst of intakes does not queue up jobs that each wait for the lock.
    const dirtyKey = `${this.config.queuePrefix}:activities:dirty:${connection.id}`;
    if (this.redis.status === 'wait') await this.redis.connect().catch(() => undefined);
    await this.redis.set(dirtyKey, '1', 'PX', 10 * 60_000);
    const total: DeliveryCounts = { logged: 0, failed: 0, waiting: 0, adopted: 0 };
    const lock = await this.deliveries.drainLock(connection.id);
    try {
      for (;;) {
        if (!(await lock.tryLock())) return { ...total, busy: 1 };
        try {
          await this.redis.del(dirtyKey);
          const counts = await this.drain(connection, total);
          for (const k of DELIVERY_OUTCOMES) total[k] += counts[k];
        } catch (err) {
          // The daily API budget has no room for live work (#17: Conduit's allocation with its live reserve spent, or
          // the CRM's own daily limit): the deliveries stay pending and wait for the reset, recorded in Postgres; the
          // budget sweep (ActivitiesScheduler) starts delivery again then. Not retried before: each try would be refused.
          const pause = this.budgets.pauseFor(connection, err);
          if (!pause) throw err;
          const reason = liveWaitReason(connection.crm, pause);
          await this.deliveries.waitForBudget(connection, { cause: pause.cause, reason, retryAt: pause.resumesAt });
          this.logger.log({ msg: 'activities wait for the daily API budget', connectionId: connection.id, reason, retryAt: pause.resumesAt.toISOString() });
          return { ...total, budgetWaitUntil: pause.resumesAt.toISOString() };
        } finally {
          await lock.unlock();
        }
        if (!(await this.redis.exists(dirtyKey))) return total;
      }
    } finally {
      await lock.release();
    }
  }

  private async context(connection: CrmConnection): Promise<Context> {
    const client = await this.clients.client(connection, {
      feature: 'activities',
      lane: { kind: 'live', share: this.tuning.budgetShare },
      timeoutMs: this.tuning.timeoutMs,
      prepaid: (cost, info) => this.prepaid(cost, info.budget),
    });
    const { adapter } = client;
    const exportSettings = await this.exports.settingsFor(connection);
    const owners = await this.ownerMapping.owners(connection, exportSettings, adapter).catch((err: unknown) => {
      // Refused for the daily budget (a DAILY 429 here is the round's first call when the owners cache is stale): the
      // deliveries wait for the reset like any other refused call, rather than going out today without their owner.
      if (this.budgets.pauseFor(connection, err)) throw err;
      this.logger.warn({ msg: 'could not list CRM owners; activities are logged without owner', error: (err as Error).message });
      return null;
    });
    const members = await this.users.find({ where: { workspaceId: connection.workspaceId }, select: { id: true, email: true } });
    return {
      connection,
      client,
      adapter,
      settings: await this.activities.settingsFor(connection.id),
      exportSettings,
      owners: owners ? createOwnerResolver({ owners, members, overrides: exportSettings.ownerOverrides, defaultOwnerId: exportSettings.defaultOwnerId }) : null,
    };
  }

  /**
   * Activity logging is the live lane of the connection's one shared budget (crm-runtime/rate-budget.ts): it takes the
   * next slots, up to its share of the window, evenly paced, and backfills/exports keep that share free while it is in
   * use. A slot taken ahead for the call being made (the Ticket of its async context) is spent first.
   */
  private prepaid(cost: number, budget: 'standard' | 'search'): boolean {
    const ticket = this.slot.getStore();
    if (!ticket || budget !== 'standard' || ticket.prepaid < cost) return false;
    ticket.prepaid -= cost;
    return true;
  }

  /**
   * The drain loop: per round, one slot of the live lane, then the deliveries that ride in that call. Up to PIPELINE
   * calls are in flight, so the pace of calls is the lane's pace and not also the time our own round trip takes; a
   * person with a delivery in flight waits for it (each person's activities stay in order).
   */
  private async drain(connection: CrmConnection, total: DeliveryCounts): Promise<DeliveryCounts> {
    const counts: Counts = { logged: 0, failed: 0, waiting: 0, adopted: 0 };
    // What was delivered before the budget stopped the drain is counted still (the error leaves this frame).
    const keep = (err: unknown): never => {
      for (const k of DELIVERY_OUTCOMES) total[k] += counts[k];
      throw err;
    };
    let budgetChecked = false;
    let ctx: Context | null = null;
    const inflight = new Map<Promise<void>, { ids: string[]; people: string[] }>();
    // A send that threw (auth lost, CRM down): the loop stops with its error, so the job retries.
    const failure: { error?: unknown; failed: boolean } = { failed: false };
    // A slot taken for the next call and not spent yet (a round can end without a call: people held or just exported).
    let ticket: Ticket | null = null;
    try {
      for (;;) {
        if (failure.failed) {
          await Promise.allSettled(inflight.keys());
          if (this.budgets.pauseFor(connection, failure.error)) keep(failure.error);
          throw failure.error;
        }
        const t0 = Date.now();
        await this.deliveries.releaseHeld(connection);
        const busyIds = () => [...inflight.values()].flatMap((v) => v.ids);
        if (!(await this.deliveries.hasPending(connection, busyIds()))) {
          // A send that failed while we looked has left `inflight` already: its error is handled at the top of the loop.
          // Returning here dropped it (#17: a DAILY 429 at the last send completed the job with nothing recorded, the
          // delivery pending and no job left to retry it).
          if (!inflight.size && !failure.failed) return counts;
          if (inflight.size) await Promise.race(inflight.keys());
          continue;
        }
        // Live work goes until the daily allocation with its reserve is spent (#17): asked before any call of the round
        // (owners, exports, creates), so deliveries that cannot go wait without a CRM call.
        const pause = await this.budgets.liveWait(connection);
        if (pause) {
          await Promise.allSettled(inflight.keys());
          keep(new ApiBudgetExhaustedError(pause, connection.crm));
        }
        if (!budgetChecked) {
          // Room again (a reset, a raised allocation, a reading of the CRM): a wait recorded before is over.
          await this.deliveries.budgetWaitOver(connection);
          budgetChecked = true;
        }
        if (ctx) ctx.settings = await this.activities.settingsFor(connection.id); // a label or toggle changed meanwhile applies now
        ctx ??= await this.context(connection);
        while (inflight.size >= PIPELINE) await Promise.race(inflight.keys());
        // The slot for the next call is taken before its deliveries are chosen: everything that arrived while we waited
        // for it rides along, instead of waiting for the next slot of its type.
        if (!ticket) {
          await ctx.client.reserve(1);
          ticket = { prepaid: 1 };
        }
        const tSlot = Date.now();
        const pending = await this.deliveries.pending(connection, busyIds(), PLAN_WINDOW);
        // One CRM call per round: the oldest delivery's engagement type (HubSpot) / sObject (Salesforce), people in order.
        const rows = planCall(connection.crm, pending, this.tuning.batchSize, new Set([...inflight.values()].flatMap((v) => v.people)));
        if (!rows.length) {
          if (inflight.size) await Promise.race(inflight.keys());
          continue;
        }
        const { targets, exported } = await this.targets.resolve(connection, ctx.settings, ctx.exportSettings, rows);

        const ready: Ready[] = [];
        for (const row of rows) {
          const t = targets.get(row.person_id);
          if (!t || 'held' in t) {
            const failed = t && 'held' in t && t.reason;
            await this.deliveries.setStatus(row.id, failed ? 'failed' : 'waiting_for_export', failed || null);
            if (failed) counts.failed++;
            else counts.waiting++;
            continue;
          }
          const memberId = row.performer_user_id ?? row.assigned_user_id;
          const ownerId = ctx.owners?.resolveOwnerForExport(memberId)?.ownerId ?? null;
          ready.push({ row, input: toCrmActivity({ id: row.activity_id, type: row.type, occurredAt: row.occurred_at, details: row.details }, t, { label: ctx.settings.label, ownerId }) });
        }
        // People just exported (here, or meanwhile by an automatic export or a push): their held deliveries are released
        // first, so everything goes out in order.
        if (exported || !ready.length) continue;
        if (await this.deliveries.hasHeld(connection, [...new Set(ready.map((r) => r.row.person_id))])) continue;

        // Uncertain earlier creates: look in the CRM before creating again.
        const uncertain = ready.filter((r) => r.row.attempted_at !== null);
        let toCreate = ready;
        if (uncertain.length) {
          const c = ctx;
          // Each create carried the activity id (ACTIVITY_ID_FIELD): what the CRM holds under it was created by us.
          const matches = await this.slot.run(ticket, () => this.withRetry(() => c.adapter.findActivities(uncertain.map((u) => u.input))));
          const byActivity = new Map(matches.map((m) => [m.externalId, m]));
          const found = new Map<string, { id: string; crmObject: string }>();
          for (const u of uncertain) {
            const hit = byActivity.get(u.row.activity_id);
            if (hit) found.set(u.row.id, hit);
          }
          await this.deliveries.logged([...found].map(([deliveryId, hit]) => ({ deliveryId, crmId: hit.id, crmObject: hit.crmObject })));
          counts.logged += found.size;
          counts.adopted += found.size;
          toCreate = ready.filter((r) => !found.has(r.row.id));
          if (ticket.prepaid === 0) ticket = null;
        }
        if (!toCreate.length) continue;

        const send = this.slot.run(ticket ?? { prepaid: 0 }, () => this.send(ctx!, toCreate, counts, { t0, tSlot }));
        ticket = null;
        const done = send.then(
          () => undefined,
          (error: unknown) => {
            if (failure.failed) return;
            failure.failed = true;
            failure.error = error;
          },
        );
        inflight.set(done, { ids: toCreate.map((r) => r.row.id), people: [...new Set(toCreate.map((r) => r.row.person_id))] });
        void done.finally(() => inflight.delete(done));
      }
    } finally {
      // The caller releases the connection's lock after this: nothing of ours may still be writing.
      await Promise.allSettled(inflight.keys());
    }
  }

  /** One create call and its outcome (runs while the drain loop prepares the next call). */
  private async send(ctx: Context, toCreate: Ready[], counts: Counts, t: { t0: number; tSlot: number }): Promise<void> {
    const { connection } = ctx;
    try {
      await this.ensureActivityIdField(ctx, toCreate.map((r) => r.input.type));
    } catch (err) {
      // A Salesforce org without the external-id field: failed with that reason (retry after fixing the org).
      // Anything else (rate limit, CRM down) throws, so the job retries.
      if (!(err instanceof CrmError) || err.details.kind !== 'validation') throw err;
      await this.afterFailure(toCreate.map((r) => r.row), err, counts);
      return;
    }
    // Recorded before the call: a create that gets no answer is uncertain from here on.
    await this.deliveries.markAttempted(toCreate.map((r) => r.row.id));
    let results;
    const tCall = Date.now();
    let tAnswer: number;
    try {
      results = await ctx.adapter.createActivities(toCreate.map((r) => r.input));
      tAnswer = Date.now();
    } catch (err) {
      if (this.budgets.pauseFor(connection, err)) {
        // Refused for the daily budget before the call (Conduit's allocation) or by the CRM (HubSpot DAILY 429,
        // Salesforce REQUEST_LIMIT_EXCEEDED): nothing was written, so the deliveries are certain again and wait.
        await this.deliveries.undoAttempt(toCreate.map((r) => r.row.id));
        throw err;
      }
      this.forgetIdField(connection, err);
      await this.afterFailure(toCreate.map((r) => r.row), err, counts);
      return;
    }
    const ok: LoggedDelivery[] = [];
    const onConvertedLeads: Array<{ item: Ready; error: unknown }> = [];
    const refused: Refusal[] = [];
    for (const [i, r] of results.entries()) {
      const item = toCreate[i]!;
      if (r.ok) ok.push({ deliveryId: item.row.id, crmId: r.id, crmObject: r.crmObject ?? null });
      else if (item.input.person.object === 'lead' && isConvertedLeadError(r.error)) onConvertedLeads.push({ item, error: r.error });
      else {
        this.forgetIdField(connection, r.error);
        refused.push({ row: item.row, error: r.error });
      }
    }
    await this.afterRefusals(refused, counts);
    if (onConvertedLeads.length) await this.followConversions(ctx, onConvertedLeads, counts);
    await this.deliveries.logged(ok);
    counts.logged += ok.length;
    const ms = Date.now() - t.t0;
    // A slow round is where latency comes from: say which part was slow (the slot, our own work, or the CRM).
    if (ms > SLOW_ROUND_MS) {
      this.logger.warn({ msg: 'slow activity round', ms, slotMs: t.tSlot - t.t0, prepareMs: tCall - t.tSlot, crmMs: tAnswer - tCall, storeMs: Date.now() - tAnswer, activities: ok.length });
    }
  }

  /**
   * Salesforce refused activities on Leads converted since Conduit linked them ("cannot reference converted lead"):
   * the Leads are read, each person's link moves to the Contact (LeadConversions), and the deliveries go back to
   * pending, so the next round logs them on the Contact. A Lead that turns out not converted fails as before.
   */
  private async followConversions(ctx: Context, refused: Array<{ item: Ready; error: unknown }>, counts: Counts): Promise<void> {
    const { connection } = ctx;
    const scope = { workspaceId: connection.workspaceId, connectionId: connection.id, crm: connection.crm };
    const { followed } = await this.conversions.follow(
      scope,
      refused.map((r) => r.item.input.person.id),
      (ids, properties) => this.withRetry(() => ctx.adapter.readByIds('lead', ids, { properties })),
    );
    const retry = refused.filter((r) => followed.has(r.item.input.person.id)).map((r) => r.item.row.id);
    if (retry.length) await this.deliveries.undoAttempt(retry);
    await this.afterRefusals(refused.filter((r) => !followed.has(r.item.input.person.id)).map((r) => ({ row: r.item.row, error: r.error })), counts);
  }

  /** Per-record refusals from one batch: rows refused for the same reason are settled together (one statement each). */
  private async afterRefusals(refusals: readonly Refusal[], counts: Counts): Promise<void> {
    const byReason = new Map<string, { error: unknown; rows: PendingDelivery[] }>();
    for (const { row, error } of refusals) {
      const key = error instanceof CrmError ? `${error.details.kind}\u0000${error.message}` : `other\u0000${error instanceof Error ? error.message : String(error)}`;
      const group = byReason.get(key) ?? { error, rows: [] };
      group.rows.push(row);
      byReason.set(key, group);
    }
    for (const { error, rows } of byReason.values()) await this.afterFailure(rows, error, counts, false);
  }

  /**
   * A failed create. A rate limit means nothing was written: the delivery is certain again and waits. A transient
   * failure (timeout, dropped connection, 5xx) may have been applied: it stays uncertain and is checked next round.
   * Anything else is the CRM refusing this activity: failed with its reason.
   */
  private async afterFailure(rows: PendingDelivery[], err: unknown, counts: { failed: number }, wait = true): Promise<void> {
    const ids = rows.map((r) => r.id);
    if (err instanceof CrmError && err.details.kind === 'rate_limited') {
      await this.deliveries.undoAttempt(ids);
      // The window rolls and a backfill yields to recorded activity calls: try again soon rather than after a full window.
      if (wait) await sleep(Math.min(Math.max(err.details.retryAfterMs, 100), 1_000));
      return;
    }
    if (err instanceof CrmError && err.details.kind === 'transient') {
      const spent = rows.filter((r) => r.attempts + 1 >= this.tuning.maxAttempts).map((r) => r.id);
      if (spent.length) {
        await this.deliveries.fail(spent, `${describeCrmFailure(err)} (gave up after ${this.tuning.maxAttempts} tries; Retry sends it again)`);
        counts.failed += spent.length;
      }
      if (wait) await sleep(Math.min(250 * 2 ** Math.min(rows[0]?.attempts ?? 0, 5), 8_000) + this.tuning.settleMs);
      return;
    }
    if (err instanceof CrmError && (err.details.kind === 'auth_expired' || err.details.kind === 'auth_revoked')) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    await this.deliveries.fail(ids, reason);
    counts.failed += ids.length;
  }

  /** Once per connection and call group in this process: the CRM must be able to store the activity id before we write. */
  private async ensureActivityIdField(ctx: Context, types: CrmActivityType[]): Promise<void> {
    const missing = [...new Set(types)].filter((t) => !this.idFieldReady.has(`${ctx.connection.id}:${t}`));
    if (!missing.length) return;
    await this.withRetry(() => ctx.adapter.ensureActivityIdField(missing));
    for (const t of missing) this.idFieldReady.add(`${ctx.connection.id}:${t}`);
  }

  /**
   * The CRM refused the activity id field (e.g. someone deleted the HubSpot property): those deliveries fail with the
   * CRM's reason, and the field is checked (and created again) before the next create, so a retry goes through.
   */
  private forgetIdField(connection: CrmConnection, err: unknown): void {
    if (!(err instanceof CrmError) || err.details.kind !== 'validation') return;
    if (!err.details.fields.some((f) => f.field === ACTIVITY_ID_FIELD[connection.crm])) return;
    for (const key of [...this.idFieldReady]) if (key.startsWith(`${connection.id}:`)) this.idFieldReady.delete(key);
  }

  private withRetry<T>(fn: () => Promise<T>): Promise<T> {
    return withCrmRetry(fn, ACTIVITY_RETRY);
  }
}
