import { describe, expect, it } from '@jest/globals';
import { admits, allowanceOf, dailyLimitOf, remainingOf, windowMaxOf } from './allocation.js';

const alloc = (over: Partial<{ dailyShare: number; liveReserveShare: number; accountDailyLimit: number | null }> = {}) => ({ dailyShare: 50, liveReserveShare: 10, accountDailyLimit: null, ...over });

describe('allocation arithmetic', () => {
  it('the daily limit: the CRM-reported max first, then the admin-entered one, else unknown', () => {
    expect(dailyLimitOf(alloc({ accountDailyLimit: 500 }), { used: 10, max: 250_000 })).toEqual({ limit: 250_000, source: 'crm' });
    expect(dailyLimitOf(alloc({ accountDailyLimit: 500 }), null)).toEqual({ limit: 500, source: 'admin' });
    expect(dailyLimitOf(alloc({ accountDailyLimit: 500 }), { used: 0, max: 0 })).toEqual({ limit: 500, source: 'admin' });
    expect(dailyLimitOf(alloc(), null)).toBeNull();
  });

  it('allowance: daily share rounded down, the reserve a share of it rounded down, bulk the rest', () => {
    expect(allowanceOf(alloc(), 250_000)).toEqual({ daily: 125_000, bulk: 112_500, reserve: 12_500 });
    expect(allowanceOf(alloc(), 15_000)).toEqual({ daily: 7_500, bulk: 6_750, reserve: 750 });
    expect(allowanceOf(alloc({ dailyShare: 33 }), 1_001)).toEqual({ daily: 330, bulk: 297, reserve: 33 });
    expect(allowanceOf(alloc({ dailyShare: 100, liveReserveShare: 0 }), 100)).toEqual({ daily: 100, bulk: 100, reserve: 0 });
    expect(allowanceOf(alloc({ dailyShare: 1, liveReserveShare: 90 }), 99)).toEqual({ daily: 0, bulk: 0, reserve: 0 });
    expect(allowanceOf(alloc({ dailyShare: 50, liveReserveShare: 90 }), 100)).toEqual({ daily: 50, bulk: 5, reserve: 45 });
    for (let limit = 1; limit < 3_000; limit += 37) {
      for (const dailyShare of [1, 7, 50, 95, 100]) {
        for (const liveReserveShare of [0, 10, 33, 90]) {
          const a = allowanceOf(alloc({ dailyShare, liveReserveShare }), limit);
          expect(a.bulk + a.reserve).toBe(a.daily);
          expect(a.daily).toBeLessThanOrEqual(limit);
          expect(a.bulk).toBeGreaterThanOrEqual(0);
          expect(a.reserve).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  const a = { daily: 100, bulk: 90, reserve: 10 };

  it('remaining from Conduit’s own count: bulk up to its part, live into the reserve', () => {
    expect(remainingOf(a, 0, null)).toEqual({ bulk: 90, live: 100 });
    expect(remainingOf(a, 89, null)).toEqual({ bulk: 1, live: 11 });
    expect(remainingOf(a, 90, null)).toEqual({ bulk: 0, live: 10 });
    expect(remainingOf(a, 99, null)).toEqual({ bulk: 0, live: 1 });
    expect(remainingOf(a, 100, null)).toEqual({ bulk: 0, live: 0 });
    expect(remainingOf(a, 130, null)).toEqual({ bulk: 0, live: 0 });
  });

  it('other integrations’ spending counts: bulk never takes the account’s last reserve calls, live stops at the account’s limit', () => {
    // Conduit used 20 of its 100; the account has 500 left: Conduit's own share is the bound.
    expect(remainingOf(a, 20, 500)).toEqual({ bulk: 70, live: 80 });
    // Others spent nearly all the account's day: 40 left in the account.
    expect(remainingOf(a, 20, 40)).toEqual({ bulk: 30, live: 40 });
    // Down to the reserve: bulk stops, live goes on.
    expect(remainingOf(a, 20, 10)).toEqual({ bulk: 0, live: 10 });
    expect(remainingOf(a, 0, 0)).toEqual({ bulk: 0, live: 0 });
    expect(remainingOf(a, 0, -5)).toEqual({ bulk: 0, live: 0 });
  });

  it('admits a call when its class has room for its cost', () => {
    expect(admits({ bulk: 1, live: 5 }, 'bulk', 1)).toBe(true);
    expect(admits({ bulk: 0, live: 5 }, 'bulk', 1)).toBe(false);
    expect(admits({ bulk: 0, live: 5 }, 'live', 5)).toBe(true);
    expect(admits({ bulk: 0, live: 5 }, 'live', 6)).toBe(false);
  });

  it('window pace: the share of the CRM window, at least one call', () => {
    expect(windowMaxOf(100, 95)).toBe(95);
    expect(windowMaxOf(110, 95)).toBe(104);
    expect(windowMaxOf(100, 1)).toBe(1);
    expect(windowMaxOf(10, 1)).toBe(1);
    expect(windowMaxOf(100, 100)).toBe(100);
  });
});
