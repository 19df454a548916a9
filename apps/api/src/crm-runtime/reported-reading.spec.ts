import { describe, expect, it } from '@jest/globals';
import type { Reading } from './api-budget.view.js';
import { ApiUsageMeter } from './api-usage.meter.js';
import type { DataSource } from 'typeorm';
import { ApiUsageRepository, type ReportedUsage } from './api-usage.repository.js';
import { currentReading, mergeReading, readingWindowStart, supersedes } from './reported-reading.js';

const at = (iso: string) => new Date(iso);
const r = (used: number, iso: string, max = 15_000): Reading => ({ used, max, at: at(iso) });

describe('the CRM-reported usage (out-of-order answers)', () => {
  it('the window where the count only grows: HubSpot the account day, Salesforce the UTC hour', () => {
    expect(readingWindowStart('hubspot', at('2026-12-06T17:42:10Z'), 'UTC')).toEqual(at('2026-12-06T00:00:00Z'));
    expect(readingWindowStart('hubspot', at('2026-12-06T03:00:00Z'), 'America/New_York')).toEqual(at('2026-12-05T05:00:00Z'));
    // 23:12 in Kolkata (UTC+5:30): its day began at 18:30 UTC the day before.
    expect(readingWindowStart('hubspot', at('2026-12-06T17:42:10Z'), 'Asia/Kolkata')).toEqual(at('2026-12-05T18:30:00Z'));
    expect(readingWindowStart('salesforce', at('2026-12-06T17:42:10Z'), 'UTC')).toEqual(at('2026-12-06T17:00:00Z'));
  });

  it('within a window a lower count is an older answer arriving late and is kept out; equal or higher counts are taken', () => {
    const w = at('2026-12-06T17:00:00Z');
    const current = r(120, '2026-12-06T17:10:00Z');
    expect(mergeReading(current, r(118, '2026-12-06T17:10:01Z'), w)).toBeNull();
    expect(mergeReading(current, r(120, '2026-12-06T17:10:01Z'), w)).toEqual(r(120, '2026-12-06T17:10:01Z'));
    expect(mergeReading(current, r(125, '2026-12-06T17:10:01Z'), w)).toEqual(r(125, '2026-12-06T17:10:01Z'));
    expect(mergeReading(null, r(3, '2026-12-06T17:10:01Z'), w)).toEqual(r(3, '2026-12-06T17:10:01Z'));
  });

  it('a new window (HubSpot midnight, Salesforce next hour) or a new limit takes the answer as it is, even lower', () => {
    const current = r(14_900, '2026-12-06T23:59:59Z');
    expect(mergeReading(current, r(4, '2026-12-07T00:00:02Z'), readingWindowStart('hubspot', at('2026-12-07T00:00:02Z'), 'UTC'))).toEqual(r(4, '2026-12-07T00:00:02Z'));
    // Salesforce: calls of the hour 24 h ago left the rolling count.
    expect(mergeReading(r(900, '2026-12-06T16:59:00Z'), r(850, '2026-12-06T17:00:30Z'), readingWindowStart('salesforce', at('2026-12-06T17:00:30Z'), 'UTC'))).toEqual(r(850, '2026-12-06T17:00:30Z'));
    // The org's allocation changed (licences added): the count is as it says.
    expect(mergeReading(r(900, '2026-12-06T17:10:00Z'), r(890, '2026-12-06T17:10:01Z', 20_000), at('2026-12-06T17:00:00Z'))).toEqual(r(890, '2026-12-06T17:10:01Z', 20_000));
  });

  it('answers of calls in flight together, handed over in any order, end at the highest count of the window', () => {
    const window = (a: Date) => readingWindowStart('salesforce', a, 'UTC');
    // 40 calls answered with the counts 101…140, handed over in a shuffled order a second apart.
    const counts = Array.from({ length: 40 }, (_, i) => 101 + i);
    for (let seed = 1; seed <= 20; seed++) {
      const order = [...counts].sort((a, b) => ((a * 7919 * seed) % 97) - ((b * 7919 * seed) % 97));
      let current: Reading | null = null;
      order.forEach((used, i) => {
        current = mergeReading(current, r(used, new Date(Date.UTC(2026, 11, 6, 17, 5, i)).toISOString()), window(new Date(Date.UTC(2026, 11, 6, 17, 5, i)))) ?? current;
      });
      expect(current!.used).toBe(140);
    }
  });

  it('the current figure from readings of several processes: the newer window, else the highest', () => {
    const window = (a: Date) => readingWindowStart('hubspot', a, 'UTC');
    expect(currentReading([r(50, '2026-12-06T10:00:05Z'), r(48, '2026-12-06T10:00:06Z')], window)).toEqual(r(50, '2026-12-06T10:00:05Z'));
    expect(currentReading([r(48, '2026-12-06T10:00:06Z'), r(50, '2026-12-06T10:00:05Z')], window)).toEqual(r(50, '2026-12-06T10:00:05Z'));
    expect(currentReading([r(9_000, '2026-12-05T23:59:00Z'), null, r(12, '2026-12-06T00:01:00Z')], window)).toEqual(r(12, '2026-12-06T00:01:00Z'));
    expect(currentReading([null, null], window)).toBeNull();
  });

  it('stored per hour: a later window replaces, an earlier never, the same window keeps the highest', () => {
    const s = (used: number, windowStart: string, max = 100) => ({ used, max, reportedAt: at('2026-12-06T17:30:00Z'), windowStart: at(windowStart) });
    expect(supersedes(s(10, '2026-12-06T17:30:00Z'), s(90, '2026-12-06T00:00:00Z'))).toBe(true);
    expect(supersedes(s(90, '2026-12-06T00:00:00Z'), s(10, '2026-12-06T17:30:00Z'))).toBe(false);
    expect(supersedes(s(80, '2026-12-06T00:00:00Z'), s(90, '2026-12-06T00:00:00Z'))).toBe(false);
    expect(supersedes(s(90, '2026-12-06T00:00:00Z'), s(90, '2026-12-06T00:00:00Z'))).toBe(true);
    expect(supersedes(s(80, '2026-12-06T00:00:00Z', 200), s(90, '2026-12-06T00:00:00Z'))).toBe(true);
  });

  it('the meter flushes the highest reading of the hour, not the last one handed over', async () => {
    const stored: ReportedUsage[][] = [];
    // The repository's other SQL is not for the meter: any other call fails on the empty DataSource.
    class Recorded extends ApiUsageRepository {
      override addUsage(): Promise<void> {
        return Promise.resolve();
      }
      override addReported(readings: readonly ReportedUsage[]): Promise<void> {
        stored.push([...readings]);
        return Promise.resolve();
      }
    }
    const meter = new ApiUsageMeter(new Recorded({} as DataSource));
    const connection = { id: 'c1', workspaceId: 'w1' };
    const windowStart = at('2026-12-06T17:00:00Z');
    for (const [used, second] of [[130, 1], [140, 2], [135, 3]] as const) {
      meter.report(connection, { used, max: 15_000, reportedAt: new Date(Date.UTC(2026, 11, 6, 17, 5, second)), windowStart, source: 'headers' });
    }
    await meter.flush();
    expect(stored).toEqual([[expect.objectContaining({ used: 140, connectionId: 'c1' })]]);
  });
});
