import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ApiBudgetDto, ApiFeature, ApiPauseCause, ApiWorkClass } from '@conduit/contracts';
import { type CrmAdapter, CrmError, type CrmKind, type CrmRateLimitUpdate, crmLabel } from '@conduit/crm';
import type { Repository } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { type Allocation, admits, allowanceOf, dailyLimitOf, remainingOf } from './allocation.js';
import { type DayView, type Reading, toBudgetDto } from './api-budget.view.js';
import { ApiUsageMeter } from './api-usage.meter.js';
import { ApiUsageRepository } from './api-usage.repository.js';
import { CRM_RUNTIME_OPTIONS, type CrmConnectionRef, type CrmRuntimeOptions } from './crm-runtime.options.js';
import { DAY_MS, type DailyPeriod, HOUR_MS, dailyPeriod, firstCountedHour, rollingReset } from './daily-reset.js';
import { currentReading, mergeReading, readingWindowStart } from './reported-reading.js';

/** A run stopped by the API budget: why, in plain words, and when it resumes by itself. */
export interface BudgetPause {
  cause: ApiPauseCause;
  reason: string;
  resumesAt: Date;
}

/** Thrown before a CRM call the day's allocation has no room for (never retried in place: the run pauses). */
export class ApiBudgetExhaustedError extends Error {
  override readonly name = 'ApiBudgetExhaustedError';
  /** `crm`: the CRM whose budget refused (work that spans two CRMs, like a workflow handoff, says which one waits). */
  constructor(
    readonly pause: BudgetPause,
    readonly crm?: CrmKind,
  ) {
    super(pause.reason);
  }
}

export const ALLOCATION_REACHED = 'Paused: daily API allocation reached';
export const crmLimitReason = (crm: CrmKind) => `Paused: ${crmLabel(crm)}'s daily API limit reached`;

/**
 * Live work held by the budget waits rather than pauses, in plain words: "Waiting: daily HubSpot API allocation spent"
 * (Conduit's allocation with its live reserve used up), "Waiting: HubSpot's daily API limit reached" (the CRM's own).
 */
export const liveWaitReason = (crm: CrmKind, pause: Pick<BudgetPause, 'cause'>): string =>
  pause.cause === 'daily_allocation' ? `Waiting: daily ${crmLabel(crm)} API allocation spent` : `Waiting: ${crmLabel(crm)}'s daily API limit reached`;

/** How long a process trusts its view of a connection's day before reading Postgres again (other workers' calls). */
const STATE_TTL_MS = 2_000;
/** Salesforce: when other integrations spent the org's day, look again (with GET /limits) after this long. */
const ACCOUNT_RECHECK_MS = HOUR_MS;
/** Salesforce: read GET /limits before bulk work when the newest reading is older than this. */
const READING_FRESH_MS = HOUR_MS;


/** One connection's day as this process sees it. */
interface DayState {
  crm: CrmKind;
  workspaceId: string;
  timeZone: string | null;
  allocation: Allocation;
  windowShare: number;
  period: DailyPeriod;
  /** The first hour bucket `stored` sums (firstCountedHour of the period when loaded). */
  countedFrom: number;
  /** Conduit's calls in the period per Postgres when loaded, and calls admitted here since. */
  stored: number;
  local: number;
  reading: Reading | null;
  /** Calls admitted here since the reading. */
  sinceReading: number;
  /** After a CRM daily refusal: bulk calls are not even tried until then. */
  crmRefusedUntil: Date | null;
  loadedAt: number;
}


/**
 * The daily API budget of each connection (#17): admits or refuses every CRM call before it is made (CrmClients'
 * beforeRequest), counts it (ApiUsageMeter), takes in the CRM's own readings of the account's usage, and says when a
 * refused run may resume. The hot path is arithmetic on an in-process view of the day that is re-read from Postgres
 * at most every STATE_TTL_MS per connection while calls are made, so workers see each other's calls within that.
 */
@Injectable()
export class ApiBudgetService {
  private readonly logger = new Logger(ApiBudgetService.name);
  private readonly states = new Map<string, DayState>();
  private readonly loading = new Map<string, Promise<DayState>>();
  /** Calls admitted per connection in this process, ever (to know what a load's Postgres sum cannot include yet). */
  private readonly admitted = new Map<string, number>();
  /** Calls admitted per connection in this process and not answered yet (a CRM reading may not include them). */
  private readonly inFlight = new Map<string, number>();

  constructor(
    @Inject(CRM_RUNTIME_OPTIONS) private readonly options: CrmRuntimeOptions,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    private readonly usage: ApiUsageRepository,
    private readonly meter: ApiUsageMeter,
  ) {}

  /** The budget clock: real time in production; tests follow the CRM sandbox's limits clock (CrmRuntimeOptions.now). */
  now(): Date {
    return new Date(this.options.now ? this.options.now() : Date.now());
  }

  /**
   * Admits `cost` calls of `work` for `feature` now, or throws ApiBudgetExhaustedError with when to resume. Admitted
   * calls are counted at once (before they are made: a call in flight counts).
   */
  async admit(connection: CrmConnectionRef, feature: ApiFeature, work: ApiWorkClass, cost: number, overrideUntil: Date | null = null): Promise<void> {
    const now = this.now();
    const s = await this.state(connection, now);
    // Checked and counted with no await between: calls admitted at once each see the ones before them.
    const refused = this.refusal(s, work, cost, overrideUntil, now);
    if (refused) throw new ApiBudgetExhaustedError(await this.pauseOf(connection, s, refused, work, now), connection.crm);
    s.local += cost;
    s.sinceReading += cost;
    this.admitted.set(connection.id, (this.admitted.get(connection.id) ?? 0) + cost);
    this.inFlight.set(connection.id, (this.inFlight.get(connection.id) ?? 0) + cost);
    this.meter.count(connection, feature, cost, now);
  }

  /**
   * Whether live work (activity logging, workflow handoffs) would be refused a call now, and until when: asked before
   * a round of live work picks what to send, so work that cannot go waits without a CRM call. Counts nothing.
   */
  async liveWait(connection: CrmConnectionRef): Promise<BudgetPause | null> {
    const now = this.now();
    const s = await this.state(connection, now);
    const refused = this.refusal(s, 'live', 1, null, now);
    return refused ? this.pauseOf(connection, s, refused, 'live', now) : null;
  }

  /**
   * Calls `work` may still make today by Conduit's allocation and the account's reading (0 while the CRM refuses for
   * its daily limit); null when the day's limit is not known (no reading yet, no limit set). Counts nothing: work
   * that runs in parts asks it before starting another part beside those in flight (an export's chunks).
   */
  async remaining(connection: CrmConnectionRef, work: ApiWorkClass): Promise<number | null> {
    const now = this.now();
    const s = await this.state(connection, now);
    if (s.crmRefusedUntil && s.crmRefusedUntil > now) return 0;
    return viewOf(s, now).remaining?.[work] ?? null;
  }

  /** Whether `cost` calls of `work` may not be made now, and why (synchronous: admit counts right after it). */
  private refusal(s: DayState, work: ApiWorkClass, cost: number, overrideUntil: Date | null, now: Date): { crmUntil: Date } | { view: DayView } | null {
    // "Resume now anyway": an admin let this work past the allocation until the reset; the CRM's own limit still stops it.
    const overridden = overrideUntil !== null && overrideUntil > now;
    // The CRM refuses for its daily limit (it said so, or its own figures say the day is spent): no work tries until
    // then — live work would only be refused too, one 429 per call — whatever the admin's override (it lifts
    // Conduit's allocation, not the CRM's limit).
    if (s.crmRefusedUntil && s.crmRefusedUntil > now) return { crmUntil: s.crmRefusedUntil };
    const view = viewOf(s, now);
    if (!overridden && view.remaining && !admits(view.remaining, work, cost)) return { view };
    return null;
  }

  private pauseOf(connection: CrmConnectionRef, s: DayState, refused: { crmUntil: Date } | { view: DayView }, work: ApiWorkClass, now: Date): Promise<BudgetPause> {
    if ('crmUntil' in refused) return Promise.resolve({ cause: 'crm_daily_limit', reason: crmLimitReason(s.crm), resumesAt: refused.crmUntil });
    return this.allocationPause(connection, s, refused.view, work, now);
  }

  /** The connection's share of the CRM's 10-second window, in percent (its allocation). */
  async windowShare(connection: CrmConnectionRef): Promise<number> {
    return (await this.state(connection, this.now())).windowShare;
  }

  /** An admitted call has its answer (CrmAdapterOptions.afterRequest). */
  answered(connection: Pick<CrmConnectionRef, 'id'>, cost: number): void {
    this.inFlight.set(connection.id, Math.max(0, (this.inFlight.get(connection.id) ?? 0) - cost));
  }

  /** Counts calls made outside an adapter's request path (a token refresh at the CRM's OAuth endpoint). */
  count(connection: Pick<CrmConnectionRef, 'id' | 'workspaceId'>, feature: ApiFeature, cost: number): void {
    this.meter.count(connection, feature, cost, this.now());
  }

  /** A CRM answer's rate-limit figures (CrmAdapterOptions.onRateLimits): the account's daily used/max. */
  noteReading(connection: CrmConnectionRef, update: CrmRateLimitUpdate, source: 'headers' | 'limits' = 'headers'): void {
    if (!update.daily) return;
    const at = this.now();
    const next = { used: Math.max(0, update.daily.max - update.daily.remaining), max: update.daily.max, at };
    const s = this.states.get(connection.id);
    const zone = s?.period.timeZone ?? dailyPeriod(connection.crm, at, null).timeZone;
    const windowStart = readingWindowStart(connection.crm, at, zone);
    if (s) {
      // An answer that left the CRM before the current reading's (calls answer out of order): its lower count is old.
      const reading = mergeReading(s.reading, next, windowStart);
      if (!reading) return;
      s.reading = reading;
      // Calls still in flight may have reached the CRM after it counted this answer: keep them as not in the reading
      // (the call that carried it is among them until its answer is handed over: one call too many, the safe side).
      s.sinceReading = this.inFlight.get(connection.id) ?? 0;
      // The account's day is spent by the CRM's own count: bulk calls would only be refused (the answers of calls
      // fetched ahead would each be a refusal), so none is made until the CRM may accept again.
      if (reading.max > 0 && reading.used >= reading.max) this.refusedByCrm(connection, s, at);
    }
    this.meter.report(connection, { used: next.used, max: next.max, reportedAt: at, windowStart, source });
  }

  /**
   * Salesforce: reads GET /limits (one call) when the newest reading of the org's usage is missing or older than an
   * hour — before bulk work starts, e.g. when a paused run resumes — so other integrations' spending is seen.
   */
  async refreshReading(connection: CrmConnectionRef, adapter: CrmAdapter): Promise<void> {
    if (connection.crm !== 'salesforce') return;
    const now = this.now();
    const s = await this.state(connection, now);
    if (s.reading && now.getTime() - s.reading.at.getTime() < READING_FRESH_MS) return;
    const read = await adapter.readDailyApiUsage();
    if (read) this.noteReading(connection, { daily: { max: read.max, remaining: read.max - read.used }, observedAt: now.toISOString() }, 'limits');
  }

  /**
   * The pause an error calls for, or null when it is not about the daily budget: Conduit's allocation (thrown by
   * admit), or the CRM refusing for its daily limit — HubSpot 429 `DAILY`, Salesforce `REQUEST_LIMIT_EXCEEDED`
   * (TotalRequests). Those are never retried in place: until the reset every retry is refused too. Looks through
   * `cause` chains (a batch failing because the page before it failed).
   */
  pauseFor(connection: CrmConnectionRef, error: unknown): BudgetPause | null {
    let e: unknown = error;
    for (let depth = 0; depth < 5 && e; depth++) {
      if (e instanceof ApiBudgetExhaustedError) return e.pause;
      if (e instanceof CrmError) {
        if (e.details.kind !== 'rate_limited' || (e.details.budget !== 'daily' && e.details.budget !== 'api_daily')) return null;
        return { cause: 'crm_daily_limit', reason: crmLimitReason(connection.crm), resumesAt: this.refusedByCrm(connection, this.states.get(connection.id), this.now()) };
      }
      e = typeof e === 'object' && 'cause' in e ? (e as { cause?: unknown }).cause : undefined;
    }
    return null;
  }

  /**
   * The CRM refuses for its daily limit from `now`: until when (HubSpot: its midnight; Salesforce: its rolling day frees
   * calls as they age, and other integrations' calls are not known to Conduit by the hour, so look again in an hour).
   */
  private refusedByCrm(connection: CrmConnectionRef, s: DayState | undefined, now: Date): Date {
    const until = connection.crm === 'hubspot' ? dailyPeriod('hubspot', now, s?.timeZone ?? null).nextReset : new Date(now.getTime() + ACCOUNT_RECHECK_MS);
    if (s && (!s.crmRefusedUntil || s.crmRefusedUntil < until)) s.crmRefusedUntil = until;
    return s?.crmRefusedUntil ?? until;
  }

  /** The connection's day now, from Postgres (for the budget summary; the hot path uses the cached view). */
  async view(connection: CrmConnectionRef): Promise<DayView> {
    this.invalidate(connection.id);
    const now = this.now();
    return viewOf(await this.state(connection, now), now);
  }

  /** GET /connections/:id/api-budget: the connection's day now (404 when the workspace has no such connection). */
  async summary(workspaceId: string, connectionId: string): Promise<ApiBudgetDto> {
    const row = await this.connections.findOneBy({ id: connectionId, workspaceId });
    if (!row) throw new NotFoundException('Connection not found');
    const ref = { id: row.id, workspaceId: row.workspaceId, crm: row.crm };
    const day = await this.view(ref);
    const from = firstCountedHour(day.period);
    const [byFeature, paused] = await Promise.all([this.usage.usedByFeature(workspaceId, connectionId, from), this.usage.pausedRuns(workspaceId, connectionId)]);
    if (day.period.rule === 'rolling_24h') {
      // A rolling day frees calls as the oldest counted hour leaves it.
      const now = this.now();
      const hourly = await this.usage.hourly(workspaceId, connectionId, from);
      day.period = { ...day.period, nextReset: rollingReset(now, hourly, 1) ?? day.period.nextReset };
    }
    return toBudgetDto(row, day, byFeature, paused, row.apiWindowShare, row.apiAllocationUpdatedAt);
  }

  /** Forget this process's view of a connection (its allocation changed): the next call reads it again. */
  invalidate(connectionId: string): void {
    const s = this.states.get(connectionId);
    if (s) s.loadedAt = Number.NEGATIVE_INFINITY;
  }

  private async state(connection: CrmConnectionRef, now: Date): Promise<DayState> {
    const s = this.states.get(connection.id);
    if (s && performance.now() - s.loadedAt < STATE_TTL_MS) {
      if (s.period.rule === 'midnight' && now < s.period.nextReset) return s;
      if (s.period.rule === 'rolling_24h') {
        // The rolling day moves on with the budget clock; once an hour of calls has left it, the sum loaded is too high
        // (a run resumed as soon as its calls aged out was refused again, and paused a day more).
        const period = dailyPeriod(s.crm, now, s.timeZone);
        if (firstCountedHour(period).getTime() === s.countedFrom) {
          s.period = period;
          return s;
        }
      }
    }
    let loading = this.loading.get(connection.id);
    if (!loading) {
      loading = this.load(connection, now, s ?? null).finally(() => this.loading.delete(connection.id));
      this.loading.set(connection.id, loading);
    }
    return loading;
  }

  private async load(connection: CrmConnectionRef, now: Date, previous: DayState | null): Promise<DayState> {
    const mark = this.admitted.get(connection.id) ?? 0;
    // This process's counts first, so the sum below holds them (a failed flush keeps them for the next one).
    await this.meter.flush().catch(() => undefined);
    const row = await this.connections.findOneBy({ id: connection.id, workspaceId: connection.workspaceId });
    const allocation: Allocation = row
      ? { dailyShare: row.apiDailyShare, liveReserveShare: row.apiLiveReserveShare, accountDailyLimit: row.apiAccountDailyLimit }
      : { dailyShare: 50, liveReserveShare: 10, accountDailyLimit: null };
    const timeZone = row?.accountTimeZone ?? null;
    const period = dailyPeriod(connection.crm, now, timeZone);
    const [byFeature, stored] = await Promise.all([this.usage.usedByFeature(connection.workspaceId, connection.id, firstCountedHour(period)), this.usage.latestReported(connection.workspaceId, connection.id)]);
    const sum = Object.values(byFeature).reduce((n, c) => n + c, 0);
    // The current reading from this process's own and the one stored by any process: the newer, or within the window
    // where the count only grows (reported-reading.ts) the higher.
    const mine = previous?.reading ?? null;
    const reading = currentReading([stored && { used: stored.used, max: stored.max, at: stored.reportedAt }, mine], (at) => readingWindowStart(connection.crm, at, period.timeZone));
    const state: DayState = {
      crm: connection.crm,
      workspaceId: connection.workspaceId,
      timeZone,
      allocation,
      windowShare: row?.apiWindowShare ?? 95,
      period,
      countedFrom: firstCountedHour(period).getTime(),
      stored: sum,
      // Calls admitted while this load ran: not in the sum (the few admitted before the flush took its counts are in
      // both, counted twice on the safe side until the next load).
      local: (this.admitted.get(connection.id) ?? 0) - mark,
      reading: reading && reading.at >= period.start ? reading : null,
      sinceReading: reading === mine ? (previous?.sinceReading ?? 0) : 0,
      crmRefusedUntil: previous?.crmRefusedUntil && previous.crmRefusedUntil > now ? previous.crmRefusedUntil : null,
      loadedAt: performance.now(),
    };
    this.states.set(connection.id, state);
    return state;
  }

  private async allocationPause(connection: CrmConnectionRef, s: DayState, view: DayView, work: ApiWorkClass, now: Date): Promise<BudgetPause> {
    this.logger.debug({ msg: 'daily API allocation reached', connectionId: connection.id, work, used: view.used, allowance: view.allowance, remaining: view.remaining, reading: view.reading });
    // The CRM's own count says the account's day is spent (other integrations, mostly): that is its limit, not
    // Conduit's allocation, and it holds until the CRM may accept again.
    const accountRemaining = accountRemainingOf(s, now);
    if (accountRemaining !== null && accountRemaining <= 0) return { cause: 'crm_daily_limit', reason: crmLimitReason(s.crm), resumesAt: this.refusedByCrm(connection, s, now) };
    const pause = (resumesAt: Date): BudgetPause => ({ cause: 'daily_allocation', reason: ALLOCATION_REACHED, resumesAt });
    if (s.period.rule === 'midnight' || !view.allowance) return pause(s.period.nextReset);
    // Salesforce's rolling day: Conduit's own calls bound it → when enough of them leave the 24 hours; other
    // integrations' calls bound it → look again in an hour.
    const own = work === 'bulk' ? view.allowance.bulk : view.allowance.daily;
    const needed = view.used - own + 1;
    if (needed <= 0) return pause(new Date(now.getTime() + ACCOUNT_RECHECK_MS));
    // The hourly buckets hold this process's calls once they are flushed: without them the calls just admitted were
    // missing (ApiUsageMeter adds them every 2 s) and the run waited a whole day from now instead of until they age out.
    await this.meter.flush().catch(() => undefined);
    const hourly = await this.usage.hourly(connection.workspaceId, connection.id, firstCountedHour(s.period));
    return pause(rollingReset(now, hourly, needed) ?? new Date(now.getTime() + DAY_MS));
  }
}

/**
 * The account's calls left by the CRM's newest reading less Conduit's calls since; null when unknown — also when a
 * Salesforce reading is over an hour old: its rolling day may have freed calls since, so the next bulk work reads
 * GET /limits first (refreshReading) instead of trusting it.
 */
function accountRemainingOf(s: DayState, now: Date): number | null {
  if (!s.reading) return null;
  if (s.period.rule === 'rolling_24h' && now.getTime() - s.reading.at.getTime() >= READING_FRESH_MS) return null;
  return s.reading.max - s.reading.used - s.sinceReading;
}

function viewOf(s: DayState, now: Date): DayView {
  const limit = dailyLimitOf(s.allocation, s.reading);
  const used = s.stored + s.local;
  if (!limit) return { period: s.period, allocation: s.allocation, limit: null, allowance: null, used, reading: s.reading, remaining: null };
  const allowance = allowanceOf(s.allocation, limit.limit);
  const accountRemaining = accountRemainingOf(s, now);
  return { period: s.period, allocation: s.allocation, limit, allowance, used, reading: s.reading, remaining: remainingOf(allowance, used, accountRemaining) };
}
