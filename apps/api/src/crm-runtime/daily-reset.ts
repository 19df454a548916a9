import type { ApiDailyResetRule } from '@conduit/contracts';
import type { CrmKind } from '@conduit/crm';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * The day a CRM counts its daily API limit in (pure; no I/O):
 * - HubSpot: the calendar day in the account's time zone — it resets at midnight there (usage guidelines). The
 *   portal's zone comes from the connection (`account_time_zone`); without one, UTC.
 * - Salesforce: a rolling 24 hours (DailyApiRequests) — nothing resets at once; calls leave the count 24 h after
 *   they were made.
 */
export interface DailyPeriod {
  rule: ApiDailyResetRule;
  timeZone: string;
  /** Calls made at or after this instant count today. */
  start: Date;
  /** HubSpot: the next midnight. Salesforce: now + 24 h at the latest (see rollingReset for when enough calls leave). */
  nextReset: Date;
}

export function dailyPeriod(crm: CrmKind, now: Date, timeZone: string | null): DailyPeriod {
  switch (crm) {
    case 'hubspot': {
      const zone = timeZone && isValidTimeZone(timeZone) ? timeZone : 'UTC';
      return { rule: 'midnight', timeZone: zone, start: startOfDay(now, zone), nextReset: nextMidnight(now, zone) };
    }
    case 'salesforce':
      return { rule: 'rolling_24h', timeZone: 'UTC', start: new Date(now.getTime() - DAY_MS), nextReset: new Date(now.getTime() + DAY_MS) };
  }
}

/** The UTC hour an instant falls in (usage is bucketed by hour). */
export function hourOf(at: Date | number): Date {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
}

/**
 * The hourly buckets that count in a period: every bucket that holds any of its instants. For a midnight that falls
 * mid-hour (zones at :30 or :45 offsets) the bucket of the midnight counts whole — an overcount of under an hour's
 * calls, on the safe side.
 */
export function firstCountedHour(period: Pick<DailyPeriod, 'start'>): Date {
  return hourOf(period.start);
}

/**
 * Salesforce's rolling day: the earliest time at which at least `needed` of the counted calls have left the last
 * 24 hours. `hourly` holds the calls per UTC hour bucket (bucket start → calls); a bucket's calls are taken to leave
 * the count at the bucket's end + 24 h (the latest any of them can). Null when the buckets do not hold `needed` calls.
 */
export function rollingReset(now: Date, hourly: ReadonlyArray<{ hour: Date; calls: number }>, needed: number): Date | null {
  const windowStart = now.getTime() - DAY_MS;
  const counted = hourly.filter((b) => b.hour.getTime() + HOUR_MS > windowStart && b.calls > 0).sort((a, b) => a.hour.getTime() - b.hour.getTime());
  let freed = 0;
  for (const b of counted) {
    freed += b.calls;
    if (freed >= needed) return new Date(Math.max(now.getTime(), b.hour.getTime() + HOUR_MS + DAY_MS));
  }
  return null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (y, m 1–12, d) of an instant in a zone, as one comparable number yyyymmdd. */
export function localDate(at: number, timeZone: string): number {
  let y = 0;
  let m = 0;
  let d = 0;
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type === 'year') y = Number(p.value);
    else if (p.type === 'month') m = Number(p.value);
    else if (p.type === 'day') d = Number(p.value);
  }
  return y * 10_000 + m * 100 + d;
}

/**
 * The first instant of the local day that `now` falls in. Found by bisection on "the local date is that day" rather
 * than by offset arithmetic, so days that start at 01:00 (a DST jump at midnight, e.g. America/Santiago) or are 23 or
 * 25 hours long come out right. UTC offsets are within −12 h … +14 h, so the day starts within 38 h before `now`.
 */
export function startOfDay(now: Date, timeZone: string): Date {
  const t = now.getTime();
  const day = localDate(t, timeZone);
  let lo = t - 38 * HOUR_MS; // before the day
  let hi = t; // in the day
  while (hi - lo > 1_000) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, timeZone) >= day) hi = mid;
    else lo = mid;
  }
  return new Date(Math.floor(hi / 1_000) * 1_000);
}

/** The next local midnight after `now` (the first instant of the next local day). */
export function nextMidnight(now: Date, timeZone: string): Date {
  const t = now.getTime();
  const day = localDate(t, timeZone);
  let lo = t; // in the day
  let hi = t + 38 * HOUR_MS; // after it
  while (hi - lo > 1_000) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, timeZone) > day) hi = mid;
    else lo = mid;
  }
  return new Date(Math.floor(hi / 1_000) * 1_000);
}
