/**
 * Rolling-window limiter: remembers the timestamps of the last `max` accepted requests in a
 * ring buffer, so each check is O(1) amortised and memory is O(max) however long a
 * benchmark runs.
 */
export class RollingWindowLimiter {
  private stamps: Float64Array;
  private head = 0;
  private count = 0;

  constructor(
    public max: number,
    public windowMs: number,
  ) {
    this.stamps = new Float64Array(Math.max(1, max));
  }

  reconfigure(max: number, windowMs: number): void {
    this.max = max;
    this.windowMs = windowMs;
    this.stamps = new Float64Array(Math.max(1, max));
    this.head = 0;
    this.count = 0;
  }

  private evict(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.count > 0 && (this.stamps[this.head] ?? 0) <= cutoff) {
      this.head = (this.head + 1) % this.stamps.length;
      this.count -= 1;
    }
  }

  /** Records the request when allowed. `remaining` is what is left after this request. */
  take(now: number): { allowed: boolean; remaining: number; retryAfterMs: number } {
    this.evict(now);
    if (this.count >= this.max) {
      const oldest = this.stamps[this.head] ?? now;
      return { allowed: false, remaining: 0, retryAfterMs: Math.max(0, oldest + this.windowMs - now) };
    }
    this.stamps[(this.head + this.count) % this.stamps.length] = now;
    this.count += 1;
    return { allowed: true, remaining: this.max - this.count, retryAfterMs: 0 };
  }

  remaining(now: number): number {
    this.evict(now);
    return Math.max(0, this.max - this.count);
  }

  reset(): void {
    this.head = 0;
    this.count = 0;
  }
}

/** Daily request budget that resets at midnight UTC (HubSpot resets at midnight in the portal's time zone). */
export class DailyCounter {
  private day = -1;
  private used = 0;

  constructor(public max: number) {}

  take(now: number): { allowed: boolean; remaining: number } {
    const day = Math.floor(now / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    if (this.used >= this.max) return { allowed: false, remaining: 0 };
    this.used += 1;
    return { allowed: true, remaining: this.max - this.used };
  }

  remaining(now: number): number {
    const day = Math.floor(now / 86_400_000);
    return day === this.day ? Math.max(0, this.max - this.used) : this.max;
  }

  reset(): void {
    this.used = 0;
  }
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Requests per rolling window (HubSpot OAuth apps: 100 / 10 s). */
  perTenSeconds: number;
  windowMs: number;
  daily: number;
  /** CRM search's own limit per second. */
  searchPerSecond: number;
}

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY';

export interface RateLimitDecision {
  allowed: boolean;
  policy?: RateLimitPolicy;
  headers: Record<string, string>;
}

/** One portal's limits: the rolling window, the daily budget and the search limit. */
export class PortalRateLimiter {
  private readonly window: RollingWindowLimiter;
  private readonly daily: DailyCounter;
  private readonly search: RollingWindowLimiter;

  constructor(private config: RateLimitConfig) {
    this.window = new RollingWindowLimiter(config.perTenSeconds, config.windowMs);
    this.daily = new DailyCounter(config.daily);
    this.search = new RollingWindowLimiter(config.searchPerSecond, 1000);
  }

  configure(config: RateLimitConfig): void {
    this.config = config;
    this.window.reconfigure(config.perTenSeconds, config.windowMs);
    this.daily.max = config.daily;
    this.daily.reset();
    this.search.reconfigure(config.searchPerSecond, 1000);
  }

  reset(): void {
    this.window.reset();
    this.daily.reset();
    this.search.reset();
  }

  check(now: number, isSearch: boolean): RateLimitDecision {
    const c = this.config;
    const headers = (windowRemaining: number, dailyRemaining: number): Record<string, string> => ({
      'x-hubspot-ratelimit-max': String(c.perTenSeconds),
      'x-hubspot-ratelimit-remaining': String(windowRemaining),
      'x-hubspot-ratelimit-interval-milliseconds': String(c.windowMs),
      'x-hubspot-ratelimit-daily': String(c.daily),
      'x-hubspot-ratelimit-daily-remaining': String(dailyRemaining),
    });
    if (!c.enabled) return { allowed: true, headers: headers(c.perTenSeconds, c.daily) };
    // Check without consuming first, so a rejected request does not use up another budget.
    if (this.daily.remaining(now) <= 0) {
      return { allowed: false, policy: 'DAILY', headers: headers(this.window.remaining(now), 0) };
    }
    if (isSearch && this.search.remaining(now) <= 0) {
      return { allowed: false, policy: 'SECONDLY', headers: headers(this.window.remaining(now), this.daily.remaining(now)) };
    }
    const w = this.window.take(now);
    if (!w.allowed) {
      return { allowed: false, policy: 'TEN_SECONDLY_ROLLING', headers: { ...headers(0, this.daily.remaining(now)), 'retry-after': String(Math.ceil(w.retryAfterMs / 1000)) } };
    }
    if (isSearch) this.search.take(now);
    const d = this.daily.take(now);
    return { allowed: true, headers: headers(w.remaining, d.remaining) };
  }
}
