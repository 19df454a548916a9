import type { CrmRateLimit } from '@conduit/crm';
import type { Redis } from 'ioredis';
import { currentSlowdownMeter } from './run-slowdown.js';

/**
 * One request budget per CRM connection (and CRM budget: standard / search), held in Redis so every worker process
 * spends the same budget. HubSpot enforces "N requests per rolling 10 s"; a log of request times in a sorted set is
 * the exact model of that rule (a token bucket would allow a full burst plus refill inside one window, i.e. 429s).
 *
 * Two lanes share that one window:
 * - `live` (activity logging): takes the next free slot, capped at `share` of the window, and paced evenly
 *   (one call per window/cap) so a burst cannot spend the whole share at once and then stall for most of a window.
 * - `bulk` (backfills, export, lists, workflows): takes what remains. While the live lane has been used within the
 *   last window, bulk leaves the live lane's unused share free, so a live call never waits behind a backfill. Bulk
 *   is paced as well (max per window, evenly, small bursts): a window filled in one burst would free nothing for
 *   most of a window, and a live call arriving then would wait that long.
 * Everything happens in one Lua script (atomic across processes); time comes from Redis so worker clocks do not
 * matter. A caller that must wait is told for how long and sleeps exactly that (no polling).
 */
const TAKE = `
local total, live, tatKey, active, bulkTat = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local member = ARGV[4]
local lane = ARGV[5]
local liveMax = tonumber(ARGV[6])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', total, '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', live, '-inf', now - window)
local used = redis.call('ZCARD', total)
local liveUsed = redis.call('ZCARD', live)
-- Time until the n-th oldest entry of a set leaves the window.
local function freeIn(key, n)
  local e = redis.call('ZRANGE', key, n - 1, n - 1, 'WITHSCORES')
  if e[2] then return tonumber(e[2]) + window - now end
  return 1
end
local wait = 0
if lane == 'live' then
  redis.call('SET', active, '1', 'PX', window)
  if cost > liveMax then liveMax = cost end
  if liveUsed + cost > liveMax then wait = math.max(wait, freeIn(live, liveUsed + cost - liveMax)) end
  if used + cost > max then wait = math.max(wait, freeIn(total, used + cost - max)) end
  local tat = tonumber(redis.call('GET', tatKey) or '0')
  if tat > now then wait = math.max(wait, tat - now) end
  if wait > 0 then return math.max(1, math.ceil(wait)) end
  local interval = window / liveMax
  redis.call('SET', tatKey, tostring(now + cost * interval), 'PX', window)
  for i = 1, cost do
    redis.call('ZADD', total, now, member .. ':' .. i)
    redis.call('ZADD', live, now, member .. ':' .. i)
  end
  redis.call('PEXPIRE', total, window)
  redis.call('PEXPIRE', live, window)
  return 0
end
local reserve = 0
if redis.call('EXISTS', active) == 1 then reserve = math.max(0, liveMax - liveUsed) end
local room = max - reserve
-- Bulk is paced too (window/max apart, a small burst allowed), so the window's entries, and so its free slots,
-- come evenly: a live call arriving at a full window gets the next slot within a fraction of a second.
local interval = window / max
local burst = tonumber(ARGV[7])
local btat = tonumber(redis.call('GET', bulkTat) or '0')
if btat < now then btat = now end
if btat - now > (burst - 1) * interval then return math.max(1, math.ceil(btat - now - (burst - 1) * interval)) end
if used + cost <= room then
  for i = 1, cost do redis.call('ZADD', total, now, member .. ':' .. i) end
  redis.call('PEXPIRE', total, window)
  redis.call('SET', bulkTat, tostring(btat + cost * interval), 'PX', window)
  return 0
end
if cost > room then
  -- Only the reserve is in the way and it ends when live traffic stops.
  wait = redis.call('PTTL', active)
else
  wait = freeIn(total, used + cost - room)
end
if wait < 1 then wait = 1 end
return math.ceil(wait)
`;

/** A CRM metadata budget (CrmRateLimit) as the Redis window paces it. */
export interface RateLimit extends CrmRateLimit {
  /** Bulk calls that may go back to back before pacing applies (default 5 % of max, at least 1). */
  bulkBurst?: number;
}

/** `bulk` takes what the live lane leaves; `live` takes the next slots, up to `share` (0–1) of the window. */
export type RateLane = { kind: 'bulk' } | { kind: 'live'; share: number };

const BULK: RateLane = { kind: 'bulk' };
/** A live lane's default share when bulk callers do not know it (the activity lane's; see activities/activity-delivery.service.ts). */
export const LIVE_SHARE = 0.3;

const MAX_SLEEP_MS = 1_000;
/** Bulk calls that may go back to back before pacing applies, as a share of the window. */
const BULK_BURST = 0.05;
let seq = 0;

export class RateBudget {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Calls the live lane may make per window: `share` of the window, at least one. */
  static liveMax(limit: RateLimit, share: number): number {
    return Math.max(1, Math.floor(limit.max * share));
  }

  /** Waits until `cost` calls fit in the connection's window (for `lane`), then records them. */
  async take(connectionId: string, budget: string, limit: RateLimit, cost = 1, lane: RateLane = BULK): Promise<void> {
    const key = `${this.prefix}:rate:${connectionId}:${budget}`;
    const liveMax = RateBudget.liveMax(limit, lane.kind === 'live' ? lane.share : LIVE_SHARE);
    const bulkBurst = limit.bulkBurst ?? Math.max(1, Math.ceil(limit.max * BULK_BURST));
    for (;;) {
      const member = `${lane.kind}:${process.pid}:${Date.now()}:${seq++}`;
      const wait = Number(
        await this.redis.eval(TAKE, 5, key, `${key}:live`, `${key}:live:tat`, `${key}:live:active`, `${key}:bulk:tat`, limit.max, limit.windowMs, cost, member, lane.kind, liveMax, bulkBurst),
      );
      if (wait <= 0) return;
      // Capped: a reserve that ends early (live traffic stopped) or a window cleared elsewhere is seen within a second.
      const slept = new Promise<void>((r) => setTimeout(r, Math.min(wait, limit.windowMs, MAX_SLEEP_MS)));
      // The run being worked on counts its time paced by the budget (run-slowdown.ts).
      const meter = currentSlowdownMeter();
      await (meter ? meter.pacing(slept) : slept);
    }
  }
}
