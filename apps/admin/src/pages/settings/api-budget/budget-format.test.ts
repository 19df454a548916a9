import type { ForecastDto, ForecastVsActualDto } from '@conduit/contracts';
import { describe, expect, it } from 'vitest';
import { budgetSentence, errorColor, forecastLine, forecastRows, formatDuration, formatError, formatResumeTime, formatShare, paceLabel } from './budget-format';

const NOW = new Date(2026, 11, 6, 20, 48);
const MIDNIGHT = new Date(2026, 11, 7, 0, 0);

describe('budget formatting', () => {
  it('durations, shares and differences read as people say them', () => {
    expect(formatDuration(27)).toBe('27 s');
    expect(formatDuration(6_000)).toBe('1 h 40 min');
    expect(formatDuration(3 * 86_400)).toBe('3 d');
    expect(formatShare(0.004)).toBe('< 1 %');
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(0.624)).toBe('62 %');
    expect(formatError(null)).toBe('—');
    expect(formatError(0.001)).toBe('on target');
    expect(formatError(0.123)).toBe('+12 %');
    expect(formatError(-0.08)).toBe('−8 %');
    expect(errorColor(0.19, 0.2)).toBe('teal');
    expect(errorColor(-0.25, 0.2)).toBe('orange');
    expect(errorColor(null, 0.2)).toBe('dimmed');
  });

  it('says when work resumes in the admin’s time, and in how long', () => {
    expect(formatResumeTime(MIDNIGHT.toISOString(), NOW)).toBe('00:00 (in 3 h 12 min)');
    expect(formatResumeTime(new Date(2026, 11, 8, 0, 0).toISOString(), NOW)).toMatch(/^Tue, Dec 8, 00:00 \(in 27 h 12 min\)$/);
    expect(formatResumeTime(new Date(2026, 11, 6, 22, 0).toISOString(), NOW)).toBe('22:00 (in 1 h 12 min)');
    expect(formatResumeTime(new Date(2026, 11, 6, 20, 0).toISOString(), NOW)).toBe('20:00');
  });

  const base: Pick<ForecastDto, 'budget' | 'pause' | 'shareOfRemaining'> = {
    budget: { dailyLimit: 250_000, remainingToday: 48_000, allowancePerDay: 112_500, resetsAt: MIDNIGHT.toISOString() },
    pause: null,
    shareOfRemaining: 0.021,
  };

  it('puts the work against today’s allocation', () => {
    expect(budgetSentence(base, NOW)).toBe('Uses 2 % of the 48,000 calls Conduit may still use today.');
    expect(budgetSentence({ ...base, budget: { ...base.budget, remainingToday: null } }, NOW)).toBeNull();
    expect(budgetSentence({ ...base, shareOfRemaining: 1.6, pause: { atShare: 0.624, resets: 1, resumesAt: MIDNIGHT.toISOString() } }, NOW)).toBe(
      "Will pause at about 62 % when today's allocation is used up, resume at 00:00 (in 3 h 12 min) and finish after tomorrow's reset.",
    );
    expect(budgetSentence({ ...base, pause: { atShare: 0, resets: 2, resumesAt: MIDNIGHT.toISOString() } }, NOW)).toMatch(/^Waits for the daily reset before it starts, resume at .* and finish after 2 daily resets\.$/);
    expect(budgetSentence({ ...base, pause: { atShare: 0.5, resets: 1, resumesAt: null } }, NOW)).toBe("Will pause at about 50 % when today's allocation is used up, until the CRM's daily budget resets.");
  });

  it('names where the pace comes from', () => {
    const pace = { source: 'measured' as const, callsPerRecord: 0.01, recordsPerSecond: 200, runsMeasured: 1 };
    expect(paceLabel({ crm: 'hubspot', pace })).toBe('From the pace of the last run on this connection.');
    expect(paceLabel({ crm: 'hubspot', pace: { ...pace, runsMeasured: 3 } })).toBe('From the pace of the last 3 runs on this connection.');
    expect(paceLabel({ crm: 'salesforce', pace: { ...pace, source: 'limits', runsMeasured: 0 } })).toMatch(/^From Salesforce's page sizes and rate limits/);
  });

  it('lays out forecast next to actual', () => {
    const f: ForecastVsActualDto = {
      forecast: { id: 'f', kind: 'backfill', records: 5_340, expectedCalls: 56, expectedSeconds: 27, pace: { source: 'limits', callsPerRecord: 0.01, recordsPerSecond: 200, runsMeasured: 0 }, createdAt: NOW.toISOString() },
      actual: { calls: 61, seconds: 40, records: 5_340 },
      callsError: 0.089,
      secondsError: 0.481,
    };
    expect(forecastRows(f)).toEqual([
      { label: 'Records', forecast: '5,340', actual: '5,340', error: '', color: 'dimmed' },
      { label: 'API calls', forecast: '56', actual: '61', error: '+9 %', color: 'teal' },
      { label: 'Time', forecast: '27 s', actual: '40 s', error: '+48 %', color: 'orange' },
    ]);
    const open = forecastRows({ ...f, actual: { calls: null, seconds: null, records: 0 }, callsError: null, secondsError: null });
    expect(open[1]!.actual).toBe('not counted');
    expect(open[2]!.actual).toBe('still running');
  });
});

describe('forecastLine', () => {
  const forecast = { id: 'f', kind: 'list-sync' as const, records: 5_000, expectedCalls: 41, expectedSeconds: 8, pace: { source: 'limits' as const, callsPerRecord: 0.008, recordsPerSecond: 600, runsMeasured: 0 }, createdAt: NOW.toISOString() };
  it('puts a list sync’s forecast and what it took in one line', () => {
    expect(forecastLine({ forecast, actual: { calls: 44, seconds: 9, records: 5_000 }, callsError: 0.073, secondsError: 0.125 })).toBe('Forecast 41 calls, 8 s · took 44 calls (+7 %), 9 s (+13 %)');
    expect(forecastLine({ forecast, actual: { calls: null, seconds: null, records: 0 }, callsError: null, secondsError: null })).toBe('Forecast 41 calls, 8 s · still running');
    expect(forecastLine({ forecast: { ...forecast, expectedCalls: 2, expectedSeconds: 1 }, actual: { calls: 1, seconds: 0, records: 16 }, callsError: -0.5, secondsError: -1 })).toBe('Forecast 2 calls, 1 s · took 1 call (−50 %), 0 s (−100 %)');
  });
});

