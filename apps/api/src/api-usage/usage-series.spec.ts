import { describe, expect, it } from '@jest/globals';
import { dailyPoints, emptyByFeature, hourlyPoints, totalsSince, type UsageRow } from './usage-series.js';

const NOW = new Date('2026-12-06T14:25:00Z');
const h = (iso: string) => new Date(iso);

const rows: UsageRow[] = [
  { hour: h('2026-12-05T10:00:00Z'), feature: 'backfill', calls: 1_000 }, // yesterday, outside the 24 h window
  { hour: h('2026-12-05T20:00:00Z'), feature: 'backfill', calls: 300 },
  { hour: h('2026-12-05T23:00:00Z'), feature: 'activities', calls: 20 },
  { hour: h('2026-12-06T01:00:00Z'), feature: 'backfill', calls: 500 },
  { hour: h('2026-12-06T01:00:00Z'), feature: 'token_refresh', calls: 1 },
  { hour: h('2026-12-06T14:00:00Z'), feature: 'export', calls: 40 },
  { hour: h('2026-11-28T12:00:00Z'), feature: 'lists', calls: 7 }, // 8 days ago
];

describe('usage chart points', () => {
  it('24 h on a midnight reset: what counted in the day at the end of each hour, back to zero at midnight', () => {
    const points = hourlyPoints(rows, [{ hour: h('2026-12-06T01:00:00Z'), used: 9_000 }], NOW, 'midnight');
    expect(points).toHaveLength(24);
    expect(points[0]!.at).toBe('2026-12-05T15:00:00.000Z');
    expect(points[23]!.at).toBe('2026-12-06T14:00:00.000Z');
    const at = (iso: string) => points.find((p) => p.at === iso)!;
    // Yesterday 20:00: everything since yesterday's midnight up to 21:00 (10:00 and 20:00).
    expect(at('2026-12-05T20:00:00.000Z').byFeature.backfill).toBe(1_300);
    expect(at('2026-12-05T23:00:00.000Z').conduit).toBe(1_320);
    expect(at('2026-12-06T00:00:00.000Z').conduit).toBe(0);
    expect(at('2026-12-06T01:00:00.000Z')).toMatchObject({ conduit: 501, crmReported: 9_000 });
    expect(at('2026-12-06T01:00:00.000Z').byFeature).toEqual({ ...emptyByFeature(), backfill: 500, token_refresh: 1 });
    expect(at('2026-12-06T14:00:00.000Z').conduit).toBe(541);
    expect(at('2026-12-06T13:00:00.000Z').crmReported).toBeNull();
  });

  it('24 h on a rolling day (Salesforce): the 24 hours up to the end of each hour', () => {
    const points = hourlyPoints(rows, [], NOW, 'rolling_24h');
    const at = (iso: string) => points.find((p) => p.at === iso)!;
    // Up to 2026-12-06T02:00: from 2026-12-05T02:00 — yesterday 10:00, 20:00, 23:00 and today 01:00.
    expect(at('2026-12-06T01:00:00.000Z').conduit).toBe(1_000 + 300 + 20 + 501);
    // Up to 15:00 today: from yesterday 15:00.
    expect(at('2026-12-06T14:00:00.000Z').conduit).toBe(300 + 20 + 501 + 40);
    // Up to yesterday 16:00: yesterday 10:00 is within the 24 h before.
    expect(at('2026-12-05T15:00:00.000Z').conduit).toBe(1_000);
  });

  it('7 d: each UTC day\'s calls and its last CRM reading', () => {
    const points = dailyPoints(rows, [{ hour: h('2026-12-05T09:00:00Z'), used: 4_000 }, { hour: h('2026-12-05T22:00:00Z'), used: 8_500 }], NOW);
    expect(points.map((p) => p.at.slice(0, 10))).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(points[5]).toMatchObject({ conduit: 1_320, crmReported: 8_500 });
    expect(points[6]).toMatchObject({ conduit: 541, crmReported: null });
    expect(points[0]!.conduit).toBe(0);
  });

  it('totals over the window', () => {
    expect(totalsSince(rows, h('2026-12-05T14:25:00Z'))).toEqual({ conduit: 861, byFeature: { ...emptyByFeature(), backfill: 800, activities: 20, token_refresh: 1, export: 40 } });
  });
});
