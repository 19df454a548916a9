import { describe, expect, it } from '@jest/globals';
import { DAY_MS, HOUR_MS, dailyPeriod, firstCountedHour, hourOf, isValidTimeZone, localDate, nextMidnight, rollingReset, startOfDay } from './daily-reset.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('HubSpot daily reset: midnight in the account time zone', () => {
  it('UTC: the day starts at 00:00Z and resets at the next 00:00Z, whatever the hour', () => {
    for (const now of ['2026-12-06T00:00:00.000Z', '2026-12-06T00:00:01.000Z', '2026-12-06T13:45:12.345Z', '2026-12-06T23:59:59.999Z']) {
      const p = dailyPeriod('hubspot', at(now), 'UTC');
      expect(p).toEqual({ rule: 'midnight', timeZone: 'UTC', start: at('2026-12-06T00:00:00.000Z'), nextReset: at('2026-12-07T00:00:00.000Z') });
    }
  });

  it('no zone, or one the runtime does not know → UTC', () => {
    expect(dailyPeriod('hubspot', at('2026-12-06T05:00:00Z'), null).timeZone).toBe('UTC');
    expect(dailyPeriod('hubspot', at('2026-12-06T05:00:00Z'), 'Mars/Olympus_Mons').timeZone).toBe('UTC');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Not/AZone')).toBe(false);
  });

  it('zones east and west of UTC: the local midnight, which is another UTC date', () => {
    // New York is UTC−5 in December: 03:00Z on the 6th is 22:00 on the 5th there.
    expect(iso(startOfDay(at('2026-12-06T03:00:00Z'), 'America/New_York'))).toBe('2026-12-05T05:00:00.000Z');
    expect(iso(nextMidnight(at('2026-12-06T03:00:00Z'), 'America/New_York'))).toBe('2026-12-06T05:00:00.000Z');
    // Berlin is UTC+1 in December: 23:30Z on the 6th is 00:30 on the 7th there.
    expect(iso(startOfDay(at('2026-12-06T23:30:00Z'), 'Europe/Berlin'))).toBe('2026-12-06T23:00:00.000Z');
    expect(iso(nextMidnight(at('2026-12-06T23:30:00Z'), 'Europe/Berlin'))).toBe('2026-12-07T23:00:00.000Z');
    // Kiritimati is UTC+14, Pago Pago UTC−11: the extremes.
    expect(iso(startOfDay(at('2026-12-06T12:00:00Z'), 'Pacific/Kiritimati'))).toBe('2026-12-06T10:00:00.000Z');
    expect(iso(nextMidnight(at('2026-12-06T12:00:00Z'), 'Pacific/Pago_Pago'))).toBe('2026-12-07T11:00:00.000Z');
  });

  it('half- and quarter-hour offsets (India +5:30, Nepal +5:45)', () => {
    expect(iso(startOfDay(at('2026-12-06T20:00:00Z'), 'Asia/Kolkata'))).toBe('2026-12-06T18:30:00.000Z');
    expect(iso(nextMidnight(at('2026-12-06T20:00:00Z'), 'Asia/Kathmandu'))).toBe('2026-12-07T18:15:00.000Z');
    // The counted hours begin with the bucket holding that midnight.
    expect(iso(firstCountedHour({ start: at('2026-12-06T18:30:00Z') }))).toBe('2026-12-06T18:00:00.000Z');
  });

  it('exactly at midnight the new day has begun; one second before, not yet', () => {
    expect(iso(startOfDay(at('2026-12-07T05:00:00Z'), 'America/New_York'))).toBe('2026-12-07T05:00:00.000Z');
    expect(iso(nextMidnight(at('2026-12-07T04:59:59Z'), 'America/New_York'))).toBe('2026-12-07T05:00:00.000Z');
  });

  it('daylight saving days: 23 and 25 hours long, midnight on either side', () => {
    // Europe/Berlin: 29 March 2026 at 02:00 → 03:00 (23-hour day); 25 October 2026 at 03:00 → 02:00 (25-hour day).
    const spring = dailyPeriod('hubspot', at('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    expect([iso(spring.start), iso(spring.nextReset)]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(spring.nextReset.getTime() - spring.start.getTime()).toBe(23 * HOUR_MS);
    const autumn = dailyPeriod('hubspot', at('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    expect(autumn.nextReset.getTime() - autumn.start.getTime()).toBe(25 * HOUR_MS);
    // America/New_York: 8 March 2026, 8 AM Z is 03:00 EDT.
    expect(iso(startOfDay(at('2026-03-08T08:00:00Z'), 'America/New_York'))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(nextMidnight(at('2026-03-08T08:00:00Z'), 'America/New_York'))).toBe('2026-03-09T04:00:00.000Z');
  });

  it('a day whose midnight does not exist (America/Santiago jumps 00:00 → 01:00) starts at the jump', () => {
    // Chile's DST starts on the first Sunday of September: 6 September 2026, 00:00 −04 → 01:00 −03 (04:00Z).
    const p = dailyPeriod('hubspot', at('2026-09-06T12:00:00Z'), 'America/Santiago');
    expect(iso(p.start)).toBe('2026-09-06T04:00:00.000Z');
    expect(localDate(p.start.getTime(), 'America/Santiago')).toBe(20260906);
    expect(localDate(p.start.getTime() - 1_000, 'America/Santiago')).toBe(20260905);
  });

  it('for any instant: start ≤ now < nextReset, start and nextReset are local midnights a day apart', () => {
    const zones = ['UTC', 'America/Los_Angeles', 'Europe/London', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    for (const zone of zones) {
      for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 7 * DAY_MS + 3 * HOUR_MS + 17_000) {
        const p = dailyPeriod('hubspot', new Date(t), zone);
        expect(p.start.getTime()).toBeLessThanOrEqual(t);
        expect(p.nextReset.getTime()).toBeGreaterThan(t);
        expect(localDate(p.start.getTime(), zone)).toBe(localDate(t, zone));
        expect(localDate(p.start.getTime() - 1_000, zone)).toBeLessThan(localDate(t, zone));
        expect(localDate(p.nextReset.getTime(), zone)).toBeGreaterThan(localDate(t, zone));
        expect(localDate(p.nextReset.getTime() - 1_000, zone)).toBe(localDate(t, zone));
      }
    }
  });
});

describe('Salesforce: a rolling 24 hours', () => {
  const now = at('2026-12-06T13:20:00Z');

  it('counts the last 24 hours; nothing resets at once', () => {
    const p = dailyPeriod('salesforce', now, 'Europe/Berlin');
    expect(p).toEqual({ rule: 'rolling_24h', timeZone: 'UTC', start: at('2026-12-05T13:20:00Z'), nextReset: at('2026-12-07T13:20:00Z') });
    expect(iso(firstCountedHour(p))).toBe('2026-12-05T13:00:00.000Z');
  });

  it('frees calls hour bucket by hour bucket, oldest first, each 24 h after its bucket ends', () => {
    const hourly = [
      { hour: at('2026-12-06T09:00:00Z'), calls: 30 },
      { hour: at('2026-12-05T15:00:00Z'), calls: 10 },
      { hour: at('2026-12-06T12:00:00Z'), calls: 50 },
      { hour: at('2026-12-05T11:00:00Z'), calls: 99 }, // already out of the window
      { hour: at('2026-12-06T10:00:00Z'), calls: 0 },
    ];
    expect(iso(rollingReset(now, hourly, 1))).toBe('2026-12-06T16:00:00.000Z');
    expect(iso(rollingReset(now, hourly, 10))).toBe('2026-12-06T16:00:00.000Z');
    expect(iso(rollingReset(now, hourly, 11))).toBe('2026-12-07T10:00:00.000Z');
    expect(iso(rollingReset(now, hourly, 90))).toBe('2026-12-07T13:00:00.000Z');
    expect(rollingReset(now, hourly, 91)).toBeNull();
    // The bucket that straddles the window's start (12:00–13:00 yesterday) still counts, and frees at once at worst.
    expect(iso(rollingReset(now, [{ hour: at('2026-12-05T13:00:00Z'), calls: 5 }], 5))).toBe('2026-12-06T14:00:00.000Z');
  });

  it('hourOf floors to the UTC hour', () => {
    expect(iso(hourOf(at('2026-12-06T13:59:59.999Z')))).toBe('2026-12-06T13:00:00.000Z');
    expect(iso(hourOf(Date.parse('2026-12-06T14:00:00Z')))).toBe('2026-12-06T14:00:00.000Z');
  });
});
