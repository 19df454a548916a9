import { CrmError } from '@conduit/crm';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How many CRM calls of one connection and lane a worker process keeps in flight, adapted as they answer (AIMD, as
 * TCP does with its window):
 * - every call that answers without a sign of overload adds 1/limit (about +1 per round of `limit` calls);
 * - a 429 halves the limit, and so does latency that has risen to `latencyTolerance` × the calls' usual latency
 *   (a smoothed figure against a slowly moving baseline): the CRM is queueing our calls, and more of them in flight
 *   would only wait longer. At most one decrease per round of calls in flight, so one burst of
 *   429s halves once;
 * - but latency is only read as *our* queueing while halving helps: when the answers after a latency decrease are
 *   about as slow as the ones that caused it, the CRM got slower whatever we do (another region, a heavier kind of
 *   call, a test's injected delay), so that latency becomes the new baseline instead of halving again. Without this a
 *   step in latency halved the limit round after round down to one call, which starved a read's pages fetched ahead
 *   and its hedges (a hedge waited for the slot of the very call it was meant to overtake). The halving that read it
 *   wrongly is undone then: the limit goes back to where it was.
 *
 * The limiter bounds concurrency only; the rate is the shared Redis budget's (rate-budget.ts), which every request
 * takes before it leaves, so N worker processes together never exceed the CRM's window however many calls each keeps
 * in flight. Latency is the CRM's answer time: the time a request waited for that budget is left out (the CRM runtime
 * reports it through noteCrmRequest), since waiting there is the budget doing its job, not the CRM slowing down; and a
 * scheduled function that made no request, or several, is not timed. The baseline is the median of the first answers,
 * then follows lower figures at once and higher ones only when halving did not help.
 */
export interface InFlightLimits {
  /** Calls in flight at first (default 4). */
  initial?: number;
  /** Never fewer than this (default 1). */
  min?: number;
  /** Never more than this (default 32). */
  max?: number;
  /** Smoothed latency above this multiple of the baseline is read as overload (default 2.5). */
  latencyTolerance?: number;
  /** Whether a failure is the CRM saying "slow down" (default: a CrmError of kind rate_limited). */
  isOverload?: (error: unknown) => boolean;
  /** Clock in ms (tests). */
  now?: () => number;
}

export interface InFlightState {
  /** Calls allowed in flight now. */
  limit: number;
  /** Calls running now. */
  inFlight: number;
  /** Calls waiting for a slot. */
  waiting: number;
  /** Smoothed and baseline latency (ms) of recent answers; null until the first few have been timed. */
  latencyMs: number | null;
  baselineMs: number | null;
  /** Decreases so far (429 or latency). */
  decreases: number;
}

/** What the CRM runtime tells the limiter about the requests of the call being run. */
interface CallContext {
  requests: number;
  waitedMs: number;
}
const current = new AsyncLocalStorage<CallContext>();

/**
 * Called for every CRM request (CrmClients' beforeRequest) with the time it waited for the rate budget: counted for
 * the limiter call it belongs to, if any.
 */
export function noteCrmRequest(waitedMs: number): void {
  const ctx = current.getStore();
  if (!ctx) return;
  ctx.requests++;
  ctx.waitedMs += waitedMs;
}

/** Answers timed before the baseline is set (their median). */
const WARMUP = 8;

const isRateLimited = (e: unknown): boolean => e instanceof CrmError && e.details.kind === 'rate_limited';
/** Weight of a new answer in the smoothed latency (about the last 10 calls). */
const SMOOTHING = 0.1;
/** An answer's weight in the smoothed latency is capped at this multiple of the tolerated latency. */
const OUTLIER = 2;
/** Answers timed after a latency decrease's round before deciding whether halving helped. */
const LATENCY_EVIDENCE = 4;
/** Halving helped when the answers after it average below this share of the latency that caused it. */
const HALVING_HELPED = 0.8;

export class InFlightLimiter {
  private limitValue: number;
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private smoothed: number | null = null;
  private baseline: number | null = null;
  private completed = 0;
  private readonly warmup: number[] = [];
  /** No further decrease until this many calls have completed (one decrease per round in flight). */
  private holdUntil = 0;
  private decreaseCount = 0;
  /**
   * After a latency decrease: the smoothed latency that caused it, the limit before it, and the answers timed since its
   * round ended.
   */
  private latencyCut: { smoothedMs: number; limitBefore: number; answersMs: number[] } | null = null;
  private readonly min: number;
  private readonly max: number;
  private readonly tolerance: number;
  private readonly isOverload: (error: unknown) => boolean;
  private readonly now: () => number;

  constructor(limits: InFlightLimits = {}) {
    this.min = Math.max(1, limits.min ?? 1);
    this.max = Math.max(this.min, limits.max ?? 32);
    this.limitValue = Math.min(this.max, Math.max(this.min, limits.initial ?? 4));
    this.tolerance = limits.latencyTolerance ?? 2.5;
    this.isOverload = limits.isOverload ?? isRateLimited;
    this.now = limits.now ?? (() => performance.now());
  }

  /** Calls allowed in flight now (whole calls). */
  get limit(): number {
    return Math.floor(this.limitValue);
  }

  state(): InFlightState {
    return {
      limit: this.limit,
      inFlight: this.running,
      waiting: this.queue.length,
      latencyMs: this.smoothed,
      baselineMs: this.baseline,
      decreases: this.decreaseCount,
    };
  }

  /** Runs `call` once a slot is free; its answer (or failure) adjusts the limit. Failures are rethrown as they are. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    await this.acquire();
    const started = this.now();
    const ctx: CallContext = { requests: 0, waitedMs: 0 };
    try {
      const result = await current.run(ctx, call);
      this.onAnswer(ctx.requests === 1 ? Math.max(1, this.now() - started - ctx.waitedMs) : null);
      return result;
    } catch (error) {
      if (this.isOverload(error)) this.decrease();
      throw error;
    } finally {
      this.release();
    }
  }

  /**
   * `fn` for every item, each through run(), results in the items' order. At most `limit` run at once (items are taken
   * as slots free up, so a long list never queues all its closures). The first failure rejects once the calls already
   * started have settled; items not yet started are not started.
   */
  async map<I, O>(items: readonly I[], fn: (item: I, index: number) => Promise<O>): Promise<O[]> {
    const out = new Array<O>(items.length);
    let next = 0;
    let failed: { error: unknown } | null = null;
    const worker = async (): Promise<void> => {
      while (failed === null && next < items.length) {
        const i = next++;
        try {
          out[i] = await this.run(() => fn(items[i]!, i));
        } catch (error) {
          failed ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(items.length, this.max) }, worker));
    if (failed !== null) throw (failed as { error: unknown }).error;
    return out;
  }

  private acquire(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    this.running--;
    this.completed++;
    this.drain();
  }

  private drain(): void {
    while (this.running < this.limit && this.queue.length > 0) {
      this.running++;
      this.queue.shift()!();
    }
  }

  /** `ms`: the CRM's answer time, or null when the call is not timed (no request, or several). */
  private onAnswer(ms: number | null): void {
    if (ms !== null) {
      if (this.baseline === null) {
        this.warmup.push(ms);
        if (this.warmup.length >= WARMUP) this.baseline = this.smoothed = median(this.warmup);
      } else {
        // One answer counts at most OUTLIER × the tolerated latency: a single page stuck for 12 s (the tail a hedge
        // overtakes) must not read as overload, only a run of slow answers.
        const sample = Math.min(ms, OUTLIER * this.tolerance * this.baseline);
        this.smoothed = this.smoothed! + SMOOTHING * (sample - this.smoothed!);
        // The baseline is the usual latency when nothing queues: it drops to any lower smoothed figure at once and rises
        // only when halving did not help (onSlowAnswers: a CRM that got slower for good). It does not creep upwards with
        // the latency, which would let a queue that grows as slowly as the limit does go unseen.
        this.baseline = Math.min(this.smoothed, this.baseline);
        const cut = this.latencyCut;
        if (cut && this.completed >= this.holdUntil && cut.answersMs.length < 4 * LATENCY_EVIDENCE) cut.answersMs.push(ms);
        if (this.smoothed > this.tolerance * this.baseline) {
          this.onSlowAnswers();
          return;
        }
      }
    }
    // Grow only while the limit is in use: idle slots prove nothing about the CRM.
    if (this.running >= this.limit) this.limitValue = Math.min(this.max, this.limitValue + 1 / this.limitValue);
    this.drain();
  }

  /**
   * Latency well above the baseline. The first time, halve. After a latency decrease, wait for the answers of the
   * next round: if they are clearly faster than what caused the decrease (halving helped: the CRM was queueing our
   * calls), halve again; if not, take their latency as the new baseline.
   */
  private onSlowAnswers(): void {
    const cut = this.latencyCut;
    if (cut === null) {
      this.decrease(true);
      return;
    }
    if (this.completed < this.holdUntil || cut.answersMs.length < LATENCY_EVIDENCE) return;
    const after = median(cut.answersMs);
    if (after < HALVING_HELPED * cut.smoothedMs) {
      this.decrease(true);
      return;
    }
    // Halving did not help: the CRM got slower whatever we do. The decrease was a wrong reading, so it is undone —
    // at a slow CRM the limit would otherwise regrow by one per round of slow answers (a minute of a backfill's start).
    this.baseline = this.smoothed = after;
    this.limitValue = Math.min(this.max, Math.max(this.limitValue, cut.limitBefore));
    this.latencyCut = null;
    this.drain();
  }

  private decrease(forLatency = false): void {
    // One decrease per round of calls in flight: the answers of calls started before the decrease carry the same news.
    if (this.completed < this.holdUntil) return;
    const limitBefore = this.limitValue;
    this.limitValue = Math.max(this.min, this.limitValue / 2);
    // `running` still counts the call that brought the news (it is released after this).
    this.holdUntil = this.completed + this.running;
    this.decreaseCount++;
    this.latencyCut = forLatency && this.smoothed !== null ? { smoothedMs: this.smoothed, limitBefore, answersMs: [] } : null;
    // Latency measured at the old concurrency no longer describes the new one.
    if (this.smoothed !== null && this.baseline !== null) this.smoothed = Math.min(this.smoothed, this.baseline * this.tolerance * 0.8);
  }
}

/** The middle value (the upper one of an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
