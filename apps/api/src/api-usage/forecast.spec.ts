import { describe, expect, it } from '@jest/globals';
import type { CrmKind, ForecastKind } from '@conduit/contracts';
import {
  chunksInFlight,
  estimateWork,
  exportCalls,
  forecastSummary,
  formatDuration,
  limitsCallsPerRecord,
  limitsPace,
  measuredMixPace,
  measuredPace,
  MEASURED_RUNS,
  MIN_MEASURED_RECORDS,
  planAgainstBudget,
  readCallsOfObject,
  roundSecondsUp,
  sustainedCallsPerSecond,
  type BudgetState,
} from './forecast.js';

const NOW = new Date('2026-12-06T20:48:00Z');
const MIDNIGHT = new Date('2026-12-07T00:00:00Z');
const KINDS: ForecastKind[] = ['backfill', 'remap', 'bulk-export', 'list-sync'];
const CRMS: CrmKind[] = ['hubspot', 'salesforce'];

describe('measuredPace', () => {
  it('is null without a run big enough to say something', () => {
    expect(measuredPace([])).toBeNull();
    expect(measuredPace([{ records: MIN_MEASURED_RECORDS - 1, calls: 5, seconds: 3 }])).toBeNull();
    expect(measuredPace([{ records: 5_000, calls: 50, seconds: 0 }])).toBeNull();
  });

  it('weights runs by their records: calls per record and records per second over the lot', () => {
    const pace = measuredPace([
      { records: 100_000, calls: 1_003, seconds: 500 },
      { records: 1_000, calls: 20, seconds: 10 },
    ]);
    expect(pace).toEqual({ source: 'measured', callsPerRecord: 1_023 / 101_000, recordsPerSecond: 101_000 / 510, runsMeasured: 2 });
  });

  it('keeps the newest MEASURED_RUNS usable runs and skips the small ones between them', () => {
    const samples = [
      { records: 10, calls: 4, seconds: 1 },
      ...Array.from({ length: MEASURED_RUNS }, () => ({ records: 1_000, calls: 10, seconds: 10 })),
      { records: 1_000, calls: 1_000, seconds: 1 },
    ];
    const pace = measuredPace(samples)!;
    expect(pace.runsMeasured).toBe(MEASURED_RUNS);
    expect(pace.callsPerRecord).toBeCloseTo(0.01, 10);
    expect(pace.recordsPerSecond).toBeCloseTo(100, 10);
  });
});

describe('measuredMixPace (exports and list syncs)', () => {
  it('scales the CRM-limits price of the work at hand by how the connection ran against that price', () => {
    // A first export of 1,000 new HubSpot people (no companies) priced 23 calls took 46 (owners, retries…), in 10 s.
    const first = { records: 1_000, linked: 0, calls: 46, seconds: 10 };
    const again = measuredMixPace('bulk-export', 'hubspot', { records: 1_000, linked: 1_000 }, [first]);
    // A re-export of the same people (all linked: 21 calls at the limits' price) is forecast at twice that.
    expect(again).toMatchObject({ source: 'measured', runsMeasured: 1, recordsPerSecond: 100 });
    expect(again!.callsPerRecord).toBeCloseTo(0.021 * 2, 6);
    // The same work as measured: the measured calls per record.
    expect(measuredMixPace('bulk-export', 'hubspot', { records: 1_000, linked: 0 }, [first])!.callsPerRecord).toBeCloseTo(0.046, 6);
  });

  it('prices a past export’s companies at the work’s companies per new person', () => {
    // 1,000 new people of 200 companies: 27 calls at the limits' price; the run took 27.
    const run = { records: 1_000, linked: 0, calls: 27, seconds: 10 };
    expect(measuredMixPace('bulk-export', 'hubspot', { records: 1_000, linked: 0, newCompanies: 200 }, [run])!.callsPerRecord).toBeCloseTo(0.027, 6);
  });

  it('lists: priced by the members they did not have to import', () => {
    const list = measuredMixPace('list-sync', 'hubspot', { records: 10_000, linked: 10_000 }, [{ records: 10_000, linked: 0, calls: 140, seconds: 100 }]);
    // Priced 1/250 + 1/100 a member for all-new members: 140 calls; all held now: 1/250 a member.
    expect(list!.callsPerRecord).toBeCloseTo(1 / 250, 6);
  });

  it('leaves runs that do not say their mix, or too small, to measuredPace', () => {
    expect(measuredMixPace('bulk-export', 'hubspot', { records: 100 }, [{ records: 1_000, calls: 41, seconds: 10 }])).toBeNull();
    expect(measuredMixPace('bulk-export', 'hubspot', { records: 100 }, [{ records: MIN_MEASURED_RECORDS - 1, linked: 0, calls: 41, seconds: 10 }])).toBeNull();
    expect(measuredMixPace('bulk-export', 'hubspot', { records: 100 }, [])).toBeNull();
  });
});

describe('chunks in flight (exports run EXPORT_CONCURRENCY chunks of EXPORT_CHUNK people at once)', () => {
  const EXPORTS = { chunk: 500, inFlight: 3 };

  it('counts the chunks a run of that size keeps in flight', () => {
    expect(chunksInFlight(1, EXPORTS)).toBe(1);
    expect(chunksInFlight(500, EXPORTS)).toBe(1);
    expect(chunksInFlight(1_000, EXPORTS)).toBe(2);
    expect(chunksInFlight(1_001, EXPORTS)).toBe(3);
    expect(chunksInFlight(10_000, EXPORTS)).toBe(3);
    expect(chunksInFlight(0, EXPORTS)).toBe(1);
    expect(chunksInFlight(10_000, undefined)).toBe(1);
  });

  it('scales a pace measured on small runs to a large one per chunk in flight, until the rate budget is the brake', () => {
    // A first export of 1,000 new people (two chunks in flight) took 10 s: 50 people a second per chunk.
    const first = { records: 1_000, linked: 0, calls: 30, seconds: 10 };
    const large = measuredMixPace('bulk-export', 'hubspot', { records: 10_000, linked: 0 }, [first], EXPORTS)!;
    expect(large.recordsPerSecond).toBeCloseTo(150, 6);
    // The same size as measured: as measured.
    expect(measuredMixPace('bulk-export', 'hubspot', { records: 1_000, linked: 0 }, [first], EXPORTS)!.recordsPerSecond).toBeCloseTo(100, 6);
    // A run at 0.5 calls a person could not go past 9.5 calls/s ÷ 0.5 = 19 people a second, however many chunks.
    const costly = measuredMixPace('bulk-export', 'hubspot', { records: 10_000, linked: 0 }, [{ ...first, calls: 500 }], EXPORTS)!;
    expect(costly.recordsPerSecond).toBeCloseTo(sustainedCallsPerSecond('hubspot') / costly.callsPerRecord, 6);
    // Several runs: records over chunk-seconds (1,000 in 10 s at two chunks, 10,000 in 50 s at three: 11,000 / 170).
    const both = measuredMixPace('bulk-export', 'hubspot', { records: 10_000, linked: 0 }, [first, { records: 10_000, linked: 0, calls: 300, seconds: 50 }], EXPORTS)!;
    expect(both.recordsPerSecond).toBeCloseTo((11_000 / 170) * 3, 6);
    // measuredPace (runs that do not say their mix) scales the same way.
    expect(measuredPace([{ records: 1_000, calls: 30, seconds: 10 }], { records: 10_000, crm: 'hubspot', parallelism: EXPORTS })!.recordsPerSecond).toBeCloseTo(150, 6);
    expect(measuredPace([{ records: 1_000, calls: 30, seconds: 10 }])!.recordsPerSecond).toBe(100);
  });

  it("prices a connection's first export at the pipeline pace measured on 1,000-person runs, per chunk in flight", () => {
    expect(limitsPace('bulk-export', 'hubspot', { records: 1_000, linked: 0 }, EXPORTS).recordsPerSecond).toBe(100);
    expect(limitsPace('bulk-export', 'hubspot', { records: 300, linked: 0 }, EXPORTS).recordsPerSecond).toBe(50);
    expect(limitsPace('bulk-export', 'hubspot', { records: 10_000, linked: 0 }, EXPORTS).recordsPerSecond).toBe(150);
    expect(limitsPace('bulk-export', 'salesforce', { records: 10_000, linked: 0 }, EXPORTS).recordsPerSecond).toBe(630);
    // Without chunking (backfills, list syncs) the pipeline pace is the run's.
    expect(limitsPace('bulk-export', 'hubspot', { records: 10_000, linked: 0 }).recordsPerSecond).toBe(100);
  });
});

describe('list syncs: calls at the rate budget, or new members at the import pace, whichever is longer', () => {
  // The lists bench (session 9): a first sync of 50,000 new members, 761 calls in 232 s; then a re-sync, 1 % changed.
  const first = { records: 50_000, linked: 0, calls: 761, seconds: 232 };

  it('forecasts a re-sync of held members at the budget, not at the first sync’s import pace', () => {
    const work = { records: 50_000, linked: 49_750 };
    const pace = measuredMixPace('list-sync', 'hubspot', work, [first])!;
    const { calls, seconds } = estimateWork(work, pace, 'hubspot');
    // ≈ 216 calls at 9.5/s ≈ 23 s (the bench took 212 calls in 25 s); the first sync's records per second said 233 s.
    expect(seconds).toBeCloseTo(calls / sustainedCallsPerSecond('hubspot'), 0);
    expect(seconds).toBeLessThan(25);
  });

  it('forecasts a sync of new members at the import pace measured on the connection', () => {
    const work = { records: 20_000, linked: 0 };
    const pace = measuredMixPace('list-sync', 'hubspot', work, [first])!;
    // 50,000 new members in 232 s: 20,000 in 92.8 s (their 305 calls alone would take 32 s).
    expect(estimateWork(work, pace, 'hubspot').seconds).toBeCloseTo(92.8, 0);
  });

  it('takes the import pace from runs that imported enough members, else the pipeline’s', () => {
    const resync = { records: 50_000, linked: 49_750, calls: 212, seconds: 25 };
    const work = { records: 20_000, linked: 0 };
    // Only a re-sync measured: new members at the pipeline pace (200/s), not at the re-sync's 2,000 members/s.
    expect(estimateWork(work, measuredMixPace('list-sync', 'hubspot', work, [resync])!, 'hubspot').seconds).toBeCloseTo(100, 0);
    // Both: the first sync says how fast members import.
    expect(estimateWork(work, measuredMixPace('list-sync', 'hubspot', work, [resync, first])!, 'hubspot').seconds).toBeCloseTo(92.8, 0);
  });

  it('from the limits: held members at the budget, new ones at the pipeline pace', () => {
    const held = limitsPace('list-sync', 'hubspot', { records: 50_000, linked: 50_000 });
    expect(estimateWork({ records: 50_000, linked: 50_000 }, held, 'hubspot').seconds).toBeCloseTo(200 / 9.5, 0);
    const fresh = limitsPace('list-sync', 'hubspot', { records: 50_000, linked: 0 });
    expect(estimateWork({ records: 50_000, linked: 0 }, fresh, 'hubspot').seconds).toBe(250);
    // An empty list takes no time.
    expect(estimateWork({ records: 0, linked: 0 }, limitsPace('list-sync', 'hubspot', { records: 0, linked: 0 }), 'hubspot').seconds).toBe(0);
  });
});

describe('pace from the CRM limits', () => {
  it('knows each CRM rate budget', () => {
    expect(sustainedCallsPerSecond('hubspot')).toBe(9.5);
    expect(sustainedCallsPerSecond('salesforce')).toBe(25);
  });

  it('reads backfills and remaps at the split read’s price (HubSpot) and query pages of 2,000 (Salesforce)', () => {
    for (const kind of ['backfill', 'remap'] as const) {
      expect(limitsCallsPerRecord(kind, 'hubspot', { records: 1_000 })).toBe(0.0075);
      expect(limitsCallsPerRecord(kind, 'salesforce', { records: 1_000 })).toBe(0.0005);
    }
  });

  it('prices a HubSpot object by list pages up to 2,000 records, then at the split read’s measured price', () => {
    expect(readCallsOfObject('hubspot', 40)).toBe(1);
    expect(readCallsOfObject('hubspot', 2_000)).toBe(20);
    // The import bench's 100,000 contacts: 745 calls.
    expect(readCallsOfObject('hubspot', 100_000)).toBe(20 + 735);
    expect(readCallsOfObject('hubspot', 5_300)).toBe(20 + 25);
  });

  it('exports people at the batch costs the export bench measured: per 100 people, per 100 new companies, per chunk', () => {
    // Bench: HubSpot 1,000 new people of 200 companies took 30 calls; Salesforce 1,000 new Leads 5.
    expect(exportCalls('hubspot', { records: 1_000, newCompanies: 200 })).toBe(1 + 20 + 4 + 2);
    expect(exportCalls('hubspot', { records: 1_000 })).toBe(23);
    expect(exportCalls('hubspot', { records: 1_000, linked: 1_000 })).toBe(21);
    expect(exportCalls('salesforce', { records: 1_000 })).toBe(5);
    expect(exportCalls('salesforce', { records: 1_000, contactMode: true })).toBe(11);
    expect(exportCalls('salesforce', { records: 1_000, linked: 1_000, contactMode: true })).toBe(5);
    expect(exportCalls('hubspot', { records: 0 })).toBe(0);
    expect(limitsCallsPerRecord('bulk-export', 'hubspot', { records: 1_000, newCompanies: 200 })).toBeCloseTo(0.027, 6);
    expect(limitsCallsPerRecord('bulk-export', 'salesforce', { records: 1_000, linked: 1_000 })).toBeCloseTo(0.005, 6);
  });

  it('syncs a list for its member pages, plus the import of members Conduit does not hold yet', () => {
    // Bench (README): HubSpot re-sync 0.00408 calls/member, first sync (all new) 0.015.
    expect(limitsCallsPerRecord('list-sync', 'hubspot', { records: 50_000, linked: 50_000 })).toBeCloseTo(0.004, 6);
    expect(limitsCallsPerRecord('list-sync', 'hubspot', { records: 50_000 })).toBeCloseTo(0.014, 6);
    expect(limitsCallsPerRecord('list-sync', 'salesforce', { records: 50_000, linked: 50_000 })).toBeCloseTo(0.0005, 6);
    expect(limitsCallsPerRecord('list-sync', 'salesforce', { records: 50_000 })).toBeCloseTo(0.0025, 6);
  });

  it('clamps the linked share to 0–1 and treats an empty job as all new', () => {
    expect(limitsCallsPerRecord('list-sync', 'hubspot', { records: 10, linked: 50 })).toBeCloseTo(1 / 250, 6);
    expect(limitsCallsPerRecord('list-sync', 'hubspot', { records: 10, linked: -5 })).toBeCloseTo(1 / 250 + 1 / 100, 6);
    expect(limitsCallsPerRecord('list-sync', 'hubspot', { records: 0, linked: 0 })).toBeCloseTo(1 / 250 + 1 / 100, 6);
    // An export of 10 people: the owners, one read and one write; a new chunk's association batch when none is linked.
    expect(exportCalls('hubspot', { records: 10, linked: 50 })).toBe(3);
    expect(exportCalls('hubspot', { records: 10, linked: -5 })).toBe(4);
  });

  it('never goes faster than the rate budget allows at those calls per record, nor than the pipeline', () => {
    for (const kind of KINDS) {
      for (const crm of CRMS) {
        const pace = limitsPace(kind, crm, { records: 10_000 });
        expect(pace.source).toBe('limits');
        expect(pace.runsMeasured).toBe(0);
        expect(pace.recordsPerSecond).toBeGreaterThan(0);
        expect(pace.recordsPerSecond * pace.callsPerRecord).toBeLessThanOrEqual(sustainedCallsPerSecond(crm) + 1e-9);
      }
    }
    // A HubSpot import at 0.0075 calls/record could read 1,267 records/s; the backfill's read pace (≈ 1,000/s at realistic) is the brake.
    expect(limitsPace('backfill', 'hubspot', { records: 10_000 }).recordsPerSecond).toBe(1_000);
  });
});

describe('estimateWork', () => {
  const pace = { source: 'measured' as const, callsPerRecord: 0.01, recordsPerSecond: 200, runsMeasured: 1 };
  it('adds the fixed calls and rounds calls and seconds up', () => {
    expect(estimateWork({ records: 100_000 }, pace, 'hubspot')).toEqual({ calls: 1_000, seconds: 500 });
    expect(estimateWork({ records: 100_001, fixedCalls: 4 }, pace, 'hubspot')).toEqual({ calls: 1_005, seconds: 501 });
    expect(estimateWork({ records: 0, fixedCalls: 3 }, pace, 'hubspot')).toEqual({ calls: 3, seconds: 0 });
  });
  it('rounds a short job up to the tenth of a second, a longer one to the second', () => {
    expect(estimateWork({ records: 1_335 }, pace, 'hubspot').seconds).toBe(6.7);
    expect(roundSecondsUp(2.5)).toBe(2.5);
    expect(roundSecondsUp(0.01)).toBe(0.1);
    expect(roundSecondsUp(59.91)).toBe(60);
    expect(roundSecondsUp(60.2)).toBe(61);
    expect(roundSecondsUp(0)).toBe(0);
  });
  it("prices a connection's first export at the export bench's first runs: 1,000 new people in 10 s to HubSpot, 2.4 s to Salesforce", () => {
    // Bench (realistic profile): HubSpot 9.4 / 10.8 / 11.0 s, 30 calls; Salesforce 1.9 / 2.6 / 3.0 s (6 Dec) and 1.86 / 1.7 / 1.7 s (7 Dec), 5 calls.
    const hubspot = { records: 1_000, newCompanies: 200 };
    const hs = estimateWork(hubspot, limitsPace('bulk-export', 'hubspot', hubspot), 'hubspot');
    expect(hs).toEqual({ calls: 27, seconds: 10 });
    const sf = estimateWork({ records: 1_000 }, limitsPace('bulk-export', 'salesforce', { records: 1_000 }), 'salesforce');
    expect(sf).toEqual({ calls: 5, seconds: 2.4 });
    for (const [forecast, actual] of [[hs.seconds, 9.4], [hs.seconds, 10.8], [hs.seconds, 11.0], [sf.seconds, 1.9], [sf.seconds, 2.6], [sf.seconds, 3.0], [sf.seconds, 1.86], [sf.seconds, 1.7]] as const) {
      expect(Math.abs(actual / forecast - 1)).toBeLessThanOrEqual(0.3);
    }
  });
  it('takes no time at a pace of zero records per second rather than forever', () => {
    expect(estimateWork({ records: 10 }, { ...pace, recordsPerSecond: 0 }, 'hubspot').seconds).toBe(0);
  });
  it('from the limits, prices each object read: its pages (one even when empty) and a Salesforce describe', () => {
    expect(readCallsOfObject('hubspot', 0)).toBe(1);
    expect(readCallsOfObject('hubspot', 100)).toBe(1);
    expect(readCallsOfObject('hubspot', 101)).toBe(2);
    expect(readCallsOfObject('salesforce', 0)).toBe(2);
    expect(readCallsOfObject('salesforce', 6_250)).toBe(5);
    const limits = limitsPace('backfill', 'salesforce', { records: 6_392 });
    // Accounts 42, Leads 6,250, Contacts 100, with the run's 3 count calls.
    expect(estimateWork({ records: 6_392, fixedCalls: 3, perObject: [42, 6_250, 100] }, limits, 'salesforce').calls).toBe(3 + 2 + 5 + 2);
    // A measured pace already holds those costs.
    expect(estimateWork({ records: 6_392, fixedCalls: 3, perObject: [42, 6_250, 100] }, { ...pace, callsPerRecord: 0.001 }, 'salesforce').calls).toBe(3 + 7);
  });
});

describe('planAgainstBudget', () => {
  const budget = (b: Partial<BudgetState>): BudgetState => ({ remainingToday: 10_000, allowancePerDay: 50_000, resetsAt: MIDNIGHT, ...b });

  it('says nothing about the budget it does not know', () => {
    const plan = planAgainstBudget(1_000, 600, budget({ remainingToday: null }), NOW);
    expect(plan).toEqual({ shareOfRemaining: null, pause: null, finishesAt: new Date(NOW.getTime() + 600_000), finishes: true });
  });

  it('fits: the share of what is left today and no pause', () => {
    const plan = planAgainstBudget(2_500, 600, budget({}), NOW);
    expect(plan.shareOfRemaining).toBe(0.25);
    expect(plan.pause).toBeNull();
    expect(plan.finishesAt).toEqual(new Date(NOW.getTime() + 600_000));
    expect(planAgainstBudget(10_000, 600, budget({}), NOW).pause).toBeNull();
    expect(planAgainstBudget(0, 0, budget({ remainingToday: 0 }), NOW).shareOfRemaining).toBe(0);
  });

  it('pauses where today runs out and finishes after the reset', () => {
    // 16,000 calls over 1,600 s: today's 10,000 last 1,000 s (62.5 %), then it waits for midnight.
    const plan = planAgainstBudget(16_000, 1_600, budget({}), NOW);
    expect(plan.shareOfRemaining).toBe(1.6);
    expect(plan.pause).toEqual({ atShare: 0.625, resets: 1, resumesAt: MIDNIGHT });
    expect(plan.finishes).toBe(true);
    expect(plan.finishesAt).toEqual(new Date(MIDNIGHT.getTime() + 600_000));
  });

  it('waits for several resets when a day allowance is smaller than the rest', () => {
    // 10,000 today, then 50,000 a day: 120,000 calls need today + 3 days (10 + 50 + 50 + 10).
    const plan = planAgainstBudget(120_000, 12_000, budget({}), NOW);
    expect(plan.pause?.atShare).toBeCloseTo(10_000 / 120_000, 10);
    expect(plan.pause?.resets).toBe(3);
    expect(plan.pause?.resumesAt).toEqual(MIDNIGHT);
    const lastDay = new Date(MIDNIGHT.getTime() + 2 * 86_400_000);
    expect(plan.finishesAt).toEqual(new Date(lastDay.getTime() + 10_000 * 100));
  });

  it('does not pause when the reset comes before today is spent (the new day adds room)', () => {
    // 3 h 12 min to midnight; 20,000 calls over 5 h at 1.1 calls/s: only ~12,700 go out before midnight… but today
    // holds 15,000, so the reset comes first and the rest fits in tomorrow's allowance.
    const untilMidnight = (MIDNIGHT.getTime() - NOW.getTime()) / 1000;
    const plan = planAgainstBudget(20_000, 5 * 3600, budget({ remainingToday: 15_000 }), NOW);
    expect(untilMidnight).toBe(11_520);
    expect(plan.pause).toBeNull();
    expect(plan.finishesAt).toEqual(new Date(NOW.getTime() + 5 * 3600 * 1000));
    expect(plan.shareOfRemaining).toBeCloseTo(20_000 / 15_000, 10);
  });

  it('pauses at the start when nothing is left today', () => {
    const plan = planAgainstBudget(1_000, 100, budget({ remainingToday: 0 }), NOW);
    expect(plan.shareOfRemaining).toBe(Number.POSITIVE_INFINITY);
    expect(plan.pause).toEqual({ atShare: 0, resets: 1, resumesAt: MIDNIGHT });
    expect(plan.finishesAt).toEqual(new Date(MIDNIGHT.getTime() + 100_000));
    // A negative remainder (spent past the allocation) is nothing left, not a debt.
    expect(planAgainstBudget(1_000, 100, budget({ remainingToday: -300 }), NOW).pause?.atShare).toBe(0);
  });

  it('work with no duration pauses when today is short, like any other', () => {
    const plan = planAgainstBudget(30_000, 0, budget({}), NOW);
    expect(plan.pause).toEqual({ atShare: 10_000 / 30_000, resets: 1, resumesAt: MIDNIGHT });
    expect(plan.finishesAt).toEqual(MIDNIGHT);
  });

  it('never finishes when no allowance comes after the reset', () => {
    const plan = planAgainstBudget(20_000, 100, budget({ allowancePerDay: 0 }), NOW);
    expect(plan.finishes).toBe(false);
    expect(plan.pause?.atShare).toBe(0.5);
    expect(plan.pause?.resumesAt).toEqual(MIDNIGHT);
  });

  it('pauses with no resume time when the reset is unknown', () => {
    const plan = planAgainstBudget(20_000, 100, budget({ resetsAt: null }), NOW);
    expect(plan.pause).toEqual({ atShare: 0.5, resets: 1, resumesAt: null });
    expect(plan.finishes).toBe(false);
  });

  it('a reset time in the past counts from now: a new day allowance at once, no pause', () => {
    const plan = planAgainstBudget(20_000, 100, budget({ resetsAt: new Date(NOW.getTime() - 60_000) }), NOW);
    expect(plan.pause).toBeNull();
    expect(plan.finishesAt).toEqual(new Date(NOW.getTime() + 100_000));
  });

  it('uses the given period between resets (Salesforce rolling 24 h approximated by the period)', () => {
    const plan = planAgainstBudget(70_000, 700, budget({ periodMs: 3_600_000 }), NOW);
    // 10,000 today, 50,000 at midnight, the last 10,000 after the reset an hour later.
    expect(plan.pause?.resets).toBe(2);
    expect(plan.finishesAt).toEqual(new Date(MIDNIGHT.getTime() + 3_600_000 + 100_000));
  });

  it('the calls before each pause and after the last reset add up to the whole', () => {
    for (const calls of [1, 999, 10_001, 59_999, 60_001, 333_333]) {
      for (const seconds of [0, 1, 3_600, 100_000]) {
        const plan = planAgainstBudget(calls, seconds, budget({}), NOW);
        const msPerCall = (seconds * 1000) / calls;
        const spendsTodayBeforeMidnight = 10_000 * msPerCall <= MIDNIGHT.getTime() - NOW.getTime();
        if (calls <= 10_000) {
          expect(plan.pause).toBeNull();
          expect(plan.finishesAt.getTime()).toBeCloseTo(NOW.getTime() + seconds * 1000, -1);
        } else if (!spendsTodayBeforeMidnight) {
          // Midnight comes first and adds a day: a pause, if any, is on a later day.
          if (plan.pause) expect(plan.pause.resumesAt!.getTime()).toBeGreaterThan(MIDNIGHT.getTime());
          else expect(plan.finishesAt.getTime()).toBeCloseTo(NOW.getTime() + seconds * 1000, -1);
        } else {
          expect(plan.pause!.atShare * calls).toBeCloseTo(10_000, 6);
          expect(plan.pause!.resumesAt).toEqual(MIDNIGHT);
          // Each reset brings 50,000: the resets waited for are the days the rest needs.
          expect(plan.pause!.resets).toBe(Math.ceil((calls - 10_000) / 50_000));
          expect(plan.finishesAt.getTime()).toBeGreaterThanOrEqual(MIDNIGHT.getTime());
        }
      }
    }
  });
});

describe('formatDuration and forecastSummary', () => {
  it('writes durations as people read them', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(44.6)).toBe('45 s');
    expect(formatDuration(480)).toBe('8 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(6000)).toBe('1 h 40 min');
    expect(formatDuration(48 * 3600)).toBe('2 d');
    expect(formatDuration(51 * 3600)).toBe('2 d 3 h');
  });

  it('says calls, time and share, and where it pauses', () => {
    const b: BudgetState = { remainingToday: 48_000, allowancePerDay: 50_000, resetsAt: MIDNIGHT };
    expect(forecastSummary(1_010, 480, planAgainstBudget(1_010, 480, b, NOW), 48_000)).toBe('About 1,010 API calls and 8 min: 2 % of the 48,000 calls Conduit may still use today.');
    expect(forecastSummary(1, 0, planAgainstBudget(1, 0, b, NOW), 48_000)).toBe('About 1 API call and 0 s: 1 % of the 48,000 calls Conduit may still use today.');
    const long = planAgainstBudget(77_400, 6_000, b, NOW);
    expect(forecastSummary(77_400, 6_000, long, 48_000)).toBe(
      "About 77,400 API calls and 1 h 40 min: more than the 48,000 calls Conduit may still use today: it will pause at about 62 %, resume at 00:00 UTC and finish after tomorrow's reset.",
    );
    const unknown = planAgainstBudget(500, 60, { remainingToday: null, allowancePerDay: null, resetsAt: null }, NOW);
    expect(forecastSummary(500, 60, unknown, null)).toBe(
      "About 500 API calls and 1 min; the account's daily API limit is not known yet (the CRM has not reported it and no admin entered it), so no daily allocation applies.",
    );
    const none = planAgainstBudget(500, 60, { ...b, remainingToday: 0 }, NOW);
    expect(forecastSummary(500, 60, none, 0)).toContain('it will wait for the reset before it starts, resume at 00:00 UTC');
    const never = planAgainstBudget(100_000, 60, { ...b, allowancePerDay: 0 }, NOW);
    expect(forecastSummary(100_000, 60, never, 48_000)).toContain('too small for it ever to finish');
    const noReset = planAgainstBudget(100_000, 60, { ...b, resetsAt: null }, NOW);
    expect(forecastSummary(100_000, 60, noReset, 48_000)).toContain('until the daily budget resets');
    const days = planAgainstBudget(200_000, 6_000, b, NOW);
    expect(forecastSummary(200_000, 6_000, days, 48_000)).toContain('finish after 4 daily resets');
  });
});
