import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunSlowdownDto } from '@conduit/contracts';
import { CrmError } from '@conduit/crm';

/** How much throttling and retries slowed a run down (added to its row as the run goes; see RunProgressColumns). */
export type RunSlowdown = RunSlowdownDto;

export const NO_SLOWDOWN: RunSlowdown = Object.freeze({ throttledCalls: 0, retriedCalls: 0, retryWaitMs: 0, rateWaitMs: 0 });

/**
 * Wall-clock time during which at least one waiter was waiting. A run keeps several calls in flight: twelve calls
 * sleeping out the same 10-second Retry-After slowed it by 10 s, not 120 s, so waits are counted as the union of
 * their intervals.
 */
class WaitClock {
  private waiting = 0;
  private since = 0;
  private total = 0;

  constructor(private readonly now: () => number) {}

  async during<T>(work: Promise<T>): Promise<T> {
    if (this.waiting++ === 0) this.since = this.now();
    try {
      return await work;
    } finally {
      if (--this.waiting === 0) this.total += this.now() - this.since;
    }
  }

  /** Time counted since the last take (an interval still open counts up to now). */
  take(): number {
    const at = this.now();
    let ms = this.total;
    if (this.waiting > 0) {
      ms += at - this.since;
      this.since = at;
    }
    this.total = 0;
    return Math.round(ms);
  }
}

/**
 * Counts the 429s, retries and waits of one run's CRM calls. The CRM runtime reports to the meter of the work it runs
 * in (withSlowdownMeter: an AsyncLocalStorage, like the retry deadline), so every call a run makes — through a
 * CrmClient, an adapter with withCrmRetry, or an export's batch write — is counted without threading the meter
 * through each feature. Work outside a run (a single push, activity logging) has no meter and counts nothing.
 */
export class SlowdownMeter {
  private throttled = 0;
  private retried = 0;
  private readonly retryClock: WaitClock;
  private readonly rateClock: WaitClock;

  constructor(now: () => number = () => performance.now()) {
    this.retryClock = new WaitClock(now);
    this.rateClock = new WaitClock(now);
  }

  /** A call failed: a 429 counts as throttled whether or not it is retried. */
  noteFailure(error: unknown): void {
    if (error instanceof CrmError && error.details.kind === 'rate_limited') this.throttled++;
  }

  /** Waits `ms` before a retry, counting the retry and the wait. */
  retryAfter(ms: number): Promise<void> {
    this.retried++;
    return this.retryClock.during(sleep(ms));
  }

  /** `wait`: a call waiting for the shared rate budget. */
  pacing<T>(wait: Promise<T>): Promise<T> {
    return this.rateClock.during(wait);
  }

  /** What was counted since the last take (the run adds it to its row). */
  take(): RunSlowdown {
    const taken: RunSlowdown = { throttledCalls: this.throttled, retriedCalls: this.retried, retryWaitMs: this.retryClock.take(), rateWaitMs: this.rateClock.take() };
    this.throttled = 0;
    this.retried = 0;
    return taken;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const meters = new AsyncLocalStorage<SlowdownMeter>();

/** Runs `work` (one run's job) with `meter` counting its CRM calls' 429s, retries and waits. */
export function withSlowdownMeter<T>(meter: SlowdownMeter, work: () => Promise<T>): Promise<T> {
  return meters.run(meter, work);
}

/** The meter of the run being worked on, if any. */
export function currentSlowdownMeter(): SlowdownMeter | undefined {
  return meters.getStore();
}
