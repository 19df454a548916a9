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

  private roll(now: number): void {
    const day = Math.floor(now / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
  }

  take(now: number): { allowed: boolean; remaining: number } {
    this.roll(now);
    if (this.used >= this.max) return { allowed: false, remaining: 0 };
    this.used += 1;
    return { allowed: true, remaining: this.max - this.used };
  }

  /** Calls spent elsewhere (another integration in the same account): counted, never refused. */
  spend(now: number, calls: number): void {
    this.roll(now);
    this.used += calls;
  }

  usedToday(now: number): number {
    this.roll(now);
    return this.used;
  }

  remaining(now: number): number {
    const day = Math.floor(now / 86_400_000);
    return day === this.day ? Math.max(0, this.max - this.used) : this.max;
  }

  reset(): void {
    this.used = 0;
  }
}

/**
 * Who is calling, which decides the limits (HubSpot "API usage guidelines and limits"): a public app installed by
 * OAuth gets 110 requests / 10 s per account and no daily limit; private apps get the account tier's burst and daily
 * limits (Free/Starter 100 / 10 s and 250,000 a day, Professional 190 and 625,000, Enterprise 190 and 1,000,000, the
 * API limit increase 250 and +1,000,000).
 */
export const HUBSPOT_ACCOUNT_TYPES = {
  'public-app': { perTenSeconds: 110, daily: null },
  'private-starter': { perTenSeconds: 100, daily: 250_000 },
  'private-professional': { perTenSeconds: 190, daily: 625_000 },
  'private-enterprise': { perTenSeconds: 190, daily: 1_000_000 },
  'private-api-limit-increase': { perTenSeconds: 250, daily: 2_000_000 },
} as const satisfies Record<string, { perTenSeconds: number; daily: number | null }>;
export type HubspotAccountType = keyof typeof HUBSPOT_ACCOUNT_TYPES;

export function isHubspotAccountType(value: unknown): value is HubspotAccountType {
  return typeof value === 'string' && Object.hasOwn(HUBSPOT_ACCOUNT_TYPES, value);
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Sets perTenSeconds and daily to the type's documented limits unless the same patch gives them. */
  accountType: HubspotAccountType;
  /** Requests per rolling window (public OAuth apps: 110 / 10 s). */
  perTenSeconds: number;
  windowMs: number;
  /** The account's daily budget; null = none (public OAuth apps): no DAILY 429 and no daily headers, as HubSpot does. */
  daily: number | null;
  /** CRM search's own limit per second (per token). */
  searchPerSecond: number;
}

/** A config patch applied on a config: an accountType brings its limits, explicit numbers win. */
export function applyRateLimitPatch(config: RateLimitConfig, patch: Partial<RateLimitConfig>): RateLimitConfig {
  const preset = patch.accountType !== undefined && isHubspotAccountType(patch.accountType) ? HUBSPOT_ACCOUNT_TYPES[patch.accountType] : {};
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<RateLimitConfig>;
  return { ...config, ...preset, ...defined };
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
    this.daily = new DailyCounter(config.daily ?? Number.POSITIVE_INFINITY);
    this.search = new RollingWindowLimiter(config.searchPerSecond, 1000);
  }

  configure(config: RateLimitConfig): void {
    this.config = config;
    this.window.reconfigure(config.perTenSeconds, config.windowMs);
    this.daily.max = config.daily ?? Number.POSITIVE_INFINITY;
    this.daily.reset();
    this.search.reconfigure(config.searchPerSecond, 1000);
  }

  /** Calls another integration of the account spent today (they count against the daily budget only). */
  spend(now: number, calls: number): void {
    this.daily.spend(now, calls);
  }

  /** Today's budget: null max when the account has no daily limit. */
  usage(now: number): { daily: number | null; usedToday: number; dailyRemaining: number | null; perTenSeconds: number; windowRemaining: number } {
    const used = this.daily.usedToday(now);
    const daily = this.config.daily;
    return { daily, usedToday: used, dailyRemaining: daily === null ? null : Math.max(0, daily - used), perTenSeconds: this.config.perTenSeconds, windowRemaining: this.window.remaining(now) };
  }

  reset(): void {
    this.window.reset();
    this.daily.reset();
    this.search.reset();
  }

  /**
   * Decide one request. Headers as HubSpot sends them: the window's max/remaining/interval always, the daily pair only
   * when the account has a daily budget (HubSpot leaves them out for OAuth calls), and none on search answers
   * (HubSpot's search endpoints send no X-HubSpot-RateLimit-* headers).
   */
  check(now: number, isSearch: boolean): RateLimitDecision {
    const c = this.config;
    const headers = (windowRemaining: number, dailyRemaining: number): Record<string, string> => isSearch ? {} : ({
      'x-hubspot-ratelimit-max': String(c.perTenSeconds),
      'x-hubspot-ratelimit-remaining': String(windowRemaining),
      'x-hubspot-ratelimit-interval-milliseconds': String(c.windowMs),
      ...(c.daily !== null ? { 'x-hubspot-ratelimit-daily': String(c.daily), 'x-hubspot-ratelimit-daily-remaining': String(dailyRemaining) } : {}),
    });
    if (!c.enabled) return { allowed: true, headers: headers(c.perTenSeconds, c.daily ?? 0) };
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
