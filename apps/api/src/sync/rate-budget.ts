import type { Redis } from 'ioredis';

/**
 * A sliding-window request budget per CRM connection, held in Redis so every worker process spends the same
 * budget. HubSpot enforces "N requests per rolling 10 s"; a log of request times in a sorted set is the exact
 * model of that rule (a token bucket would allow a full burst plus refill inside one window, i.e. 429s).
 * The script is atomic; time comes from Redis so worker clocks do not matter.
 */
const TAKE = `
local key = KEYS[1]
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local member = ARGV[4]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = redis.call('ZCARD', key)
if used + cost <= max then
  for i = 1, cost do redis.call('ZADD', key, now, member .. ':' .. i) end
  redis.call('PEXPIRE', key, window)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local wait = window
if oldest[2] then wait = tonumber(oldest[2]) + window - now end
if wait < 1 then wait = 1 end
return wait
`;

export interface RateLimit {
  max: number;
  windowMs: number;
}

let seq = 0;

export class RateBudget {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Waits until `cost` calls fit in the connection's window, then records them. */
  async take(connectionId: string, budget: string, limit: RateLimit, cost = 1): Promise<void> {
    const key = `${this.prefix}:rate:${connectionId}:${budget}`;
    for (;;) {
      const member = `${process.pid}:${Date.now()}:${seq++}`;
      const wait = Number(await this.redis.eval(TAKE, 1, key, limit.max, limit.windowMs, cost, member));
      if (wait <= 0) return;
      await new Promise((r) => setTimeout(r, Math.min(wait, limit.windowMs)));
    }
  }
}
