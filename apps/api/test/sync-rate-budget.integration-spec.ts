import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config/app-config.js';
import { RateBudget } from '../src/sync/rate-budget.js';

describe('RateBudget (Redis sliding window shared by workers)', () => {
  const config = loadConfig();
  const prefix = `conduit_test_${randomBytes(6).toString('hex')}`;
  // Two clients stand for two worker processes.
  const clients = [new Redis(config.redisUrl), new Redis(config.redisUrl)];

  afterAll(async () => {
    const keys = await clients[0]!.keys(`${prefix}:*`);
    if (keys.length) await clients[0]!.del(...keys);
    for (const c of clients) c.disconnect();
  });

  it('never lets more than max calls into any window, across processes, and lets the next ones in as the window slides', async () => {
    const budgets = clients.map((c) => new RateBudget(c, prefix));
    const limit = { max: 10, windowMs: 500 };
    const admitted: number[] = [];
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => budgets[i % 2]!.take('conn-1', 'standard', limit).then(() => admitted.push(Date.now() - t0))),
    );
    admitted.sort((a, b) => a - b);
    expect(admitted).toHaveLength(30);
    // Any 10 consecutive admissions span less than a window, so the 11th must come a full window after the 1st.
    for (let i = 10; i < admitted.length; i++) expect(admitted[i]! - admitted[i - 10]!).toBeGreaterThanOrEqual(limit.windowMs - 20);
    // Budgets are per connection: another connection is not held up.
    const start = Date.now();
    await budgets[0]!.take('conn-2', 'standard', limit);
    expect(Date.now() - start).toBeLessThan(limit.windowMs);
  });
});
