import { describe, it, expect } from '@jest/globals';
import { applyRateLimitPatch, DailyCounter, PortalRateLimiter, RollingWindowLimiter, type RateLimitConfig } from './rate-limiter.js';

describe('RollingWindowLimiter', () => {
  it('allows max requests per rolling window and frees slots as they age out', () => {
    const limiter = new RollingWindowLimiter(3, 1000);
    expect(limiter.take(0)).toMatchObject({ allowed: true, remaining: 2 });
    expect(limiter.take(100)).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.take(200)).toMatchObject({ allowed: true, remaining: 0 });
    const denied = limiter.take(900);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterMs).toBe(100);
    // The request at t=0 leaves the window at t=1000 (rolling, not fixed buckets).
    expect(limiter.take(1000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take(1050).allowed).toBe(false);
    expect(limiter.take(1100).allowed).toBe(true);
  });

  it('does not count rejected requests', () => {
    const limiter = new RollingWindowLimiter(1, 1000);
    expect(limiter.take(0).allowed).toBe(true);
    for (let t = 1; t < 1000; t += 100) expect(limiter.take(t).allowed).toBe(false);
    expect(limiter.take(1000).allowed).toBe(true);
  });

  it('keeps exact counts over a long run', () => {
    // Speed is for the benchmarks to measure; a wall-clock bound here fails on a busy CI machine.
    const limiter = new RollingWindowLimiter(100, 10_000);
    let allowed = 0;
    for (let i = 0; i < 1_000_000; i++) if (limiter.take(i * 5).allowed) allowed += 1;
    // 5 ms apart → 2,000 per window offered, 100 allowed per 10 s over 5,000 s.
    expect(allowed).toBe(50_000);
  });
});

describe('DailyCounter', () => {
  it('resets at midnight UTC', () => {
    const day = new DailyCounter(2);
    const t = Date.UTC(2025, 0, 1, 23, 59);
    expect(day.take(t).allowed).toBe(true);
    expect(day.take(t).remaining).toBe(0);
    expect(day.take(t).allowed).toBe(false);
    expect(day.take(Date.UTC(2025, 0, 2, 0, 0)).allowed).toBe(true);
  });
});

describe('PortalRateLimiter', () => {
  const config: RateLimitConfig = { enabled: true, accountType: 'private-starter', perTenSeconds: 4, windowMs: 10_000, daily: 100, searchPerSecond: 2 };

  it('reports HubSpot headers and the policy that blocked a request', () => {
    const limiter = new PortalRateLimiter(config);
    const first = limiter.check(0, false);
    expect(first.headers).toMatchObject({
      'x-hubspot-ratelimit-max': '4', 'x-hubspot-ratelimit-remaining': '3', 'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '100', 'x-hubspot-ratelimit-daily-remaining': '99',
    });
    expect(limiter.check(10, true).allowed).toBe(true);
    expect(limiter.check(20, true).allowed).toBe(true);
    expect(limiter.check(30, true)).toMatchObject({ allowed: false, policy: 'SECONDLY' });
    expect(limiter.check(40, false).allowed).toBe(true);
    expect(limiter.check(50, false)).toMatchObject({ allowed: false, policy: 'TEN_SECONDLY_ROLLING' });
  });

  it('blocks on the daily budget and can be switched off', () => {
    const limiter = new PortalRateLimiter({ ...config, perTenSeconds: 1000, daily: 2 });
    limiter.check(0, false);
    limiter.check(1, false);
    expect(limiter.check(2, false)).toMatchObject({ allowed: false, policy: 'DAILY' });
    limiter.configure({ ...config, enabled: false });
    for (let i = 0; i < 50; i++) expect(limiter.check(3 + i, true).allowed).toBe(true);
  });

  it('a public OAuth app has no daily budget: no daily headers and no DAILY 429, whatever was spent elsewhere', () => {
    const limiter = new PortalRateLimiter(applyRateLimitPatch(config, { accountType: 'public-app' }));
    limiter.spend(0, 10_000_000);
    const first = limiter.check(0, false);
    expect(first.allowed).toBe(true);
    expect(first.headers).toEqual({ 'x-hubspot-ratelimit-max': '110', 'x-hubspot-ratelimit-remaining': '109', 'x-hubspot-ratelimit-interval-milliseconds': '10000' });
    expect(limiter.usage(0)).toMatchObject({ daily: null, dailyRemaining: null, perTenSeconds: 110 });
  });

  it('search answers carry no rate-limit headers', () => {
    const limiter = new PortalRateLimiter(config);
    expect(limiter.check(0, true)).toEqual({ allowed: true, headers: {} });
  });

  it('calls spent by another integration count against the day only, until midnight UTC', () => {
    const limiter = new PortalRateLimiter({ ...config, perTenSeconds: 1000, daily: 10 });
    const noon = Date.UTC(2025, 0, 1, 12);
    limiter.spend(noon, 9);
    expect(limiter.check(noon, false)).toMatchObject({ allowed: true, headers: { 'x-hubspot-ratelimit-daily-remaining': '0', 'x-hubspot-ratelimit-remaining': '999' } });
    expect(limiter.check(noon + 1, false)).toMatchObject({ allowed: false, policy: 'DAILY' });
    expect(limiter.usage(noon)).toMatchObject({ daily: 10, usedToday: 10, dailyRemaining: 0 });
    expect(limiter.check(Date.UTC(2025, 0, 2, 0, 0, 0, 1), false)).toMatchObject({ allowed: true, headers: { 'x-hubspot-ratelimit-daily-remaining': '9' } });
  });
});

describe('applyRateLimitPatch', () => {
  const base: RateLimitConfig = { enabled: true, accountType: 'public-app', perTenSeconds: 110, windowMs: 10_000, daily: null, searchPerSecond: 5 };

  it.each([
    ['public-app', 110, null],
    ['private-starter', 100, 250_000],
    ['private-professional', 190, 625_000],
    ['private-enterprise', 190, 1_000_000],
    ['private-api-limit-increase', 250, 2_000_000],
  ] as const)('%s brings %d / 10 s and a daily budget of %s', (accountType, perTenSeconds, daily) => {
    expect(applyRateLimitPatch(base, { accountType })).toEqual({ ...base, accountType, perTenSeconds, daily });
  });

  it('explicit limits in the same patch win over the account type; undefined values change nothing', () => {
    expect(applyRateLimitPatch(base, { accountType: 'private-enterprise', perTenSeconds: 7 })).toMatchObject({ perTenSeconds: 7, daily: 1_000_000 });
    expect(applyRateLimitPatch(base, { daily: undefined, perTenSeconds: 3 })).toEqual({ ...base, perTenSeconds: 3 });
  });
});
