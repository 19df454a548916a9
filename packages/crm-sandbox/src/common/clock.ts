/**
 * The sandbox's clock for limits: real time plus an offset that tests move forward, so daily budgets (HubSpot's
 * midnight reset, Salesforce's rolling 24 hours) can be covered in seconds. Only the limits read it: token lifetimes,
 * record timestamps and latency timers keep real time.
 */
export class SandboxClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Move the clock forward by `ms` (never backwards). */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward: ms must be a non-negative number');
    this.offsetMs += ms;
    return this.now();
  }

  get offset(): number {
    return this.offsetMs;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  describe(): { now: string; offsetMs: number } {
    return { now: new Date(this.now()).toISOString(), offsetMs: this.offsetMs };
  }
}

/** The next midnight UTC after `now` (epoch ms). */
export function nextUtcMidnight(now: number): number {
  return (Math.floor(now / 86_400_000) + 1) * 86_400_000;
}
