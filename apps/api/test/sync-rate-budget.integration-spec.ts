import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config/app-config.js';
import { RateBudget, type RateLane } from '../src/crm-runtime/rate-budget.js';

/**
 * The budget is checked by what it records in Redis (the entries of the connection's window, with Redis' own times),
 * not by how long callers waited: the machine is shared and timings are not ours to assert.
 */
describe('RateBudget (one Redis window per connection, shared by workers, with a live lane)', () => {
  const config = loadConfig();
  const prefix = `conduit_test_${randomBytes(6).toString('hex')}`;
  // Two clients stand for two worker processes.
  const clients = [new Redis(config.redisUrl), new Redis(config.redisUrl)];
  const redis = clients[0]!;
  const live: RateLane = { kind: 'live', share: 0.3 };

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    for (const c of clients) c.disconnect();
  });

  /** Admission times (Redis ms) recorded in a window, oldest first, with the lane of each. */
  async function entries(connection: string): Promise<Array<{ lane: string; at: number }>> {
    const raw = await redis.zrange(`${prefix}:rate:${connection}:standard`, 0, -1, 'WITHSCORES');
    const out: Array<{ lane: string; at: number }> = [];
    for (let i = 0; i < raw.length; i += 2) out.push({ lane: raw[i]!.split(':')[0]!, at: Number(raw[i + 1]) });
    return out.sort((a, b) => a.at - b.at);
  }

  it('never lets more than max calls into any window, across processes; other connections are not held up', async () => {
    const budgets = clients.map((c) => new RateBudget(c, prefix));
    const limit = { max: 10, windowMs: 60_000, bulkBurst: 10 };
    await Promise.all(Array.from({ length: 10 }, (_, i) => budgets[i % 2]!.take('conn-1', 'standard', limit)));
    expect(await redis.zcard(`${prefix}:rate:conn-1:standard`)).toBe(10);
    // An 11th call has to wait for the window: it is still waiting after another connection's call went through.
    let eleventh = false;
    const waiting = budgets[0]!.take('conn-1', 'standard', limit).then(() => (eleventh = true));
    await budgets[1]!.take('conn-1-other', 'standard', limit);
    expect(eleventh).toBe(false);
    expect(await redis.zcard(`${prefix}:rate:conn-1:standard`)).toBe(10);
    await redis.zpopmin(`${prefix}:rate:conn-1:standard`); // the oldest call leaves the window
    await waiting;
    expect(eleventh).toBe(true);
    expect(await redis.zcard(`${prefix}:rate:conn-1:standard`)).toBe(10);
  });

  it('paces both lanes evenly; the live lane never passes its share, bulk callers fill the rest', async () => {
    const budget = new RateBudget(clients[1]!, prefix);
    const limit = { max: 20, windowMs: 1_000 };
    const liveMax = RateBudget.liveMax(limit, 0.3); // 6 per window → one per ~167 ms
    expect(liveMax).toBe(6);
    const stop = Date.now() + 2_500;
    const bulk = (async () => {
      while (Date.now() < stop) await budget.take('conn-2', 'standard', limit, 1);
    })();
    const liveAt: number[] = [];
    const liveLoop = (async () => {
      while (Date.now() < stop) {
        await budget.take('conn-2', 'standard', limit, 1, live);
        const e = await entries('conn-2');
        liveAt.push(e.filter((x) => x.lane === 'live').at(-1)!.at);
      }
    })();
    // Sample the window while both run: never more than max in all, never more than liveMax live.
    const samples: Array<{ total: number; live: number }> = [];
    while (Date.now() < stop) {
      const e = await entries('conn-2');
      const [sec, micro] = await redis.time();
      const now = Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
      const inWindow = e.filter((x) => x.at > now - limit.windowMs);
      samples.push({ total: inWindow.length, live: inWindow.filter((x) => x.lane === 'live').length });
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all([bulk, liveLoop]);
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) {
      expect(s.total).toBeLessThanOrEqual(limit.max);
      expect(s.live).toBeLessThanOrEqual(liveMax);
    }
    // Live admissions (Redis clock) are at least window/liveMax apart: paced, not a burst then a stall.
    expect(liveAt.length).toBeGreaterThan(2);
    for (let i = 1; i < liveAt.length; i++) expect(liveAt[i]! - liveAt[i - 1]!).toBeGreaterThanOrEqual(Math.floor(limit.windowMs / liveMax) - 1);
    // Bulk is paced too (burst 1 at max 20): its admissions still in the window are at least window/max apart.
    const bulkAt = (await entries('conn-2')).filter((e) => e.lane === 'bulk').map((e) => e.at);
    expect(bulkAt.length).toBeGreaterThan(2);
    for (let i = 1; i < bulkAt.length; i++) expect(bulkAt[i]! - bulkAt[i - 1]!).toBeGreaterThanOrEqual(Math.floor(limit.windowMs / limit.max) - 1);
  });

  it('bulk keeps the live share free while live traffic is recent, and uses the whole window otherwise', async () => {
    const budget = new RateBudget(redis, prefix);
    const limit = { max: 10, windowMs: 60_000, bulkBurst: 10 };
    // No live traffic: bulk may take all 10.
    for (let i = 0; i < 10; i++) await budget.take('conn-3', 'standard', limit);
    expect(await redis.zcard(`${prefix}:rate:conn-3:standard`)).toBe(10);

    // Live traffic on conn-4: after one live call, bulk stops at max − (liveMax − live used) = 10 − 2 = 8 in all.
    await budget.take('conn-4', 'standard', limit, 1, live);
    let bulkTaken = 0;
    const bulk = Array.from({ length: 9 }, () => budget.take('conn-4', 'standard', limit).then(() => bulkTaken++));
    // Wait until the window stops moving.
    for (let last = -1; ; ) {
      const n = await redis.zcard(`${prefix}:rate:conn-4:standard`);
      if (n === last) break;
      last = n;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(bulkTaken).toBe(7);
    expect((await entries('conn-4')).filter((e) => e.lane === 'live')).toHaveLength(1);
    // The reserved slots are the live lane's: with one more pacing interval, it gets a slot at once despite the bulk queue.
    await redis.del(`${prefix}:rate:conn-4:standard:live:tat`);
    await budget.take('conn-4', 'standard', limit, 1, live);
    expect((await entries('conn-4')).filter((e) => e.lane === 'live')).toHaveLength(2);
    expect(bulkTaken).toBe(7);
    await redis.del(`${prefix}:rate:conn-4:standard`, `${prefix}:rate:conn-4:standard:live`, `${prefix}:rate:conn-4:standard:live:active`);
    await Promise.all(bulk);
    expect(bulkTaken).toBe(9);
  });
});
