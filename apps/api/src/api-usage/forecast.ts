/**
 * What bulk work will cost before it runs: API calls, time, and where the daily allocation would pause it. Pure
 * arithmetic (no I/O): the service gathers record counts, past runs and the budget, and calls these.
 */
import { type CrmKind, type ForecastKind, type ForecastPaceSource, type ForecastPauseDto, formatDuration } from '@conduit/contracts';
import { HUBSPOT_LIMITS, HUBSPOT_RATE_LIMITS, SALESFORCE_LIMITS, SALESFORCE_RATE_LIMITS } from '@conduit/crm';

/** A finished run of the same kind on the connection: what it read or wrote, the calls it spent, how long it took. */
export interface PaceSample {
  records: number;
  calls: number;
  seconds: number;
  /**
   * Exports and list syncs: of its records, those already linked to a CRM record (an export's updated and unchanged
   * people; a list's members it did not have to import) — they cost fewer calls than new ones.
   */
  linked?: number;
}

export interface Pace {
  source: ForecastPaceSource;
  callsPerRecord: number;
  recordsPerSecond: number;
  runsMeasured: number;
}

/**
 * How a run keeps work in flight when it is cut into chunks (a bulk export: `chunk` people a chunk, `inFlight` chunks at
 * once). Until the rate budget is the brake its pace grows with the chunks in flight, and a small run has fewer of
 * them: a 1,000-person export has two, a 10,000-person one three. A pace measured on runs of one size is scaled to the
 * work's size per chunk in flight.
 */
export interface ChunkParallelism {
  chunk: number;
  inFlight: number;
}

/** Chunks in flight for a run of `records` (1 without chunking). */
export function chunksInFlight(records: number, parallelism: ChunkParallelism | undefined): number {
  if (!parallelism) return 1;
  return Math.max(1, Math.min(parallelism.inFlight, Math.ceil(records / parallelism.chunk)));
}

/**
 * Records per second of the work from runs measured at their own chunks in flight (records ÷ chunk-seconds), and no
 * faster than the rate budget allows at the work's calls per record.
 */
function scaledRate(usable: readonly PaceSample[], work: number, callsPerRecord: number, crm: CrmKind, parallelism: ChunkParallelism | undefined): number {
  const records = usable.reduce((n, s) => n + s.records, 0);
  const chunkSeconds = usable.reduce((n, s) => n + s.seconds * chunksInFlight(s.records, parallelism), 0);
  const rate = (records / chunkSeconds) * chunksInFlight(work, parallelism);
  return parallelism && callsPerRecord > 0 ? Math.min(rate, sustainedCallsPerSecond(crm) / callsPerRecord) : rate;
}

/**
 * Records per second of a list sync: its calls at the rate budget, or the import of the members Conduit does not hold
 * yet at `freshPerSecond`, whichever takes longer. A re-sync of members Conduit holds pages at the budget (50,000 of
 * them, 1 % changed: 212 calls in 25 s); a first sync is the import's pace (50,000 new members in 232 s). One pace in
 * records per second for both was ten times off on the re-sync after a first sync (the lists bench, session 9).
 */
function listSyncRate(crm: CrmKind, work: WorkSize, callsPerRecord: number, freshPerSecond: number): number {
  const fresh = Math.max(0, work.records - Math.min(work.records, work.linked ?? 0));
  const seconds = Math.max((work.records * callsPerRecord) / sustainedCallsPerSecond(crm), freshPerSecond > 0 ? fresh / freshPerSecond : 0);
  return seconds > 0 ? work.records / seconds : freshPerSecond;
}

/** Runs smaller than this are mostly fixed costs (count calls, owners, lists): they say little about the pace. */
export const MIN_MEASURED_RECORDS = 200;
/** The most recent runs a measured pace averages (newest first in the samples). */
export const MEASURED_RUNS = 5;

/**
 * The pace measured on the connection: calls per record and records per second over its last MEASURED_RUNS runs of
 * at least MIN_MEASURED_RECORDS records (weighted by records, so a big run counts for more than a small one).
 * Null when no such run exists. `samples` are newest first.
 */
export function measuredPace(samples: readonly PaceSample[], scale?: { records: number; crm: CrmKind; parallelism: ChunkParallelism }): Pace | null {
  const usable = samples.filter((s) => s.records >= MIN_MEASURED_RECORDS && s.seconds > 0 && s.calls >= 0).slice(0, MEASURED_RUNS);
  if (usable.length === 0) return null;
  const records = usable.reduce((n, s) => n + s.records, 0);
  const calls = usable.reduce((n, s) => n + s.calls, 0);
  const seconds = usable.reduce((n, s) => n + s.seconds, 0);
  const recordsPerSecond = scale ? scaledRate(usable, scale.records, calls / records, scale.crm, scale.parallelism) : records / seconds;
  return { source: 'measured', callsPerRecord: calls / records, recordsPerSecond, runsMeasured: usable.length };
}

/**
 * The pace measured on the connection for work whose calls per record depend on how many of its records are linked
 * already (bulk exports, list syncs): the past runs' calls against what the CRM's batch sizes price them at, for their
 * own mix of linked and new records, gives how this connection really runs (its owners lookups, company creates,
 * retries…); the work at hand is priced at its mix and scaled by that. Records per second as measured. Null when no
 * run is big enough, or a run does not say how many of its records were linked (then measuredPace).
 */
export function measuredMixPace(kind: ForecastKind, crm: CrmKind, work: WorkSize, samples: readonly PaceSample[], parallelism?: ChunkParallelism): Pace | null {
  const usable = samples.filter((s) => s.records >= MIN_MEASURED_RECORDS && s.seconds > 0 && s.calls >= 0).slice(0, MEASURED_RUNS);
  if (usable.length === 0 || usable.some((s) => s.linked === undefined)) return null;
  // A past export's new companies are not kept: taken at the work's companies per new person (same settings too).
  const freshOf = (w: WorkSize) => Math.max(0, w.records - Math.min(w.records, w.linked ?? 0));
  const companiesPerFresh = freshOf(work) > 0 ? (work.newCompanies ?? 0) / freshOf(work) : 0;
  const sampleWork = (s: PaceSample): WorkSize => {
    const w: WorkSize = { records: s.records, linked: s.linked ?? 0 };
    return kind === 'bulk-export' ? { ...w, newCompanies: Math.round(freshOf(w) * companiesPerFresh), ...(work.contactMode ? { contactMode: true } : {}) } : w;
  };
  const priced = usable.reduce((n, s) => n + s.records * limitsCallsPerRecord(kind, crm, sampleWork(s)), 0);
  const calls = usable.reduce((n, s) => n + s.calls, 0);
  const records = usable.reduce((n, s) => n + s.records, 0);
  const seconds = usable.reduce((n, s) => n + s.seconds, 0);
  const ratio = priced > 0 ? calls / priced : 1;
  const callsPerRecord = limitsCallsPerRecord(kind, crm, work) * ratio;
  if (kind === 'list-sync') {
    // New members imported per second, from the runs that imported enough of them to say and were not paced by the rate
    // budget (their calls at the budget took under half their time); else the pipeline's pace.
    const importing = usable.filter((s) => s.records - Math.min(s.records, s.linked ?? 0) >= MIN_MEASURED_RECORDS && s.calls / sustainedCallsPerSecond(crm) < s.seconds / 2);
    const fresh = importing.reduce((n, s) => n + s.records - Math.min(s.records, s.linked ?? 0), 0);
    const importSeconds = importing.reduce((n, s) => n + s.seconds, 0);
    const freshPerSecond = importing.length ? fresh / importSeconds : PIPELINE_RECORDS_PER_SECOND[kind][crm];
    return { source: 'measured', callsPerRecord, recordsPerSecond: listSyncRate(crm, work, callsPerRecord, freshPerSecond), runsMeasured: usable.length };
  }
  const recordsPerSecond = parallelism ? scaledRate(usable, work.records, callsPerRecord, crm, parallelism) : records / seconds;
  return { source: 'measured', callsPerRecord, recordsPerSecond, runsMeasured: usable.length };
}

/** Sustained calls per second Conduit's own rate budget allows (HubSpot 95 / 10 s; Salesforce 25 / s). */
export function sustainedCallsPerSecond(crm: CrmKind): number {
  const { standard } = crm === 'hubspot' ? HUBSPOT_RATE_LIMITS : SALESFORCE_RATE_LIMITS;
  return (standard.max * 1000) / standard.windowMs;
}

/**
 * Records per second Conduit's own work sustains when the CRM is not the brake, before anything was measured on a
 * connection: the benches at the `realistic` profile on a shared 2-core machine (README). For list syncs, the members
 * they import (see listSyncRate).
 */
const PIPELINE_RECORDS_PER_SECOND: Record<ForecastKind, Record<CrmKind, number>> = {
  // A backfill's own pace at the CRMs' realistic answer times (pnpm bench import: HubSpot 1,008 contacts/s reading list
  // pages and search ranges at once, 0.0075 calls each, 7 Dec 2026; Salesforce 2,322 Leads/s with query pages fetched
  // ahead, 6 Dec): the first run of a connection is priced at it, later ones at their own measured pace.
  backfill: { hubspot: 1_000, salesforce: 2_000 },
  remap: { hubspot: 1_000, salesforce: 2_000 },
  // A connection's first export, from the export bench's first runs at the realistic profile (1,000 new people of 200
  // companies; 6 Dec 2026): HubSpot 9.4 / 10.8 / 11.0 s (≈ 96 people/s over the three: batches of 100 read, upserted
  // and associated one after another, so the CRM's answer time sets the pace), Salesforce 1.9 / 2.6 / 3.0 s, and
  // 1.86 / 1.7 / 1.7 s on 7 Dec (420/s, 2.4 s: every one of them within ±30 %; two Composite calls per 500). The 160
  // and 350/s before were ×1.35 and ×0.63 off on time.
  'bulk-export': { hubspot: 100, salesforce: 420 },
  // New members a list sync imports per second: HubSpot from the lists bench's first sync (session 9: 50,000 new members
  // in 232 s ≈ 215/s at load 11, ranges of memberships read at once; 480 s in session 5), Salesforce unmeasured.
  'list-sync': { hubspot: 200, salesforce: 200 },
};
/** The size of the runs PIPELINE_RECORDS_PER_SECOND was measured on (scaled to other sizes per chunk in flight). */
const PIPELINE_MEASURED_RECORDS = 1_000;

/** What the work touches, split where the calls per record differ. */
export interface WorkSize {
  /** Records read (backfill, remap), people exported, or list members. */
  records: number;
  /** Bulk export: people already linked to a record of this CRM (an update, no lookup of their company). List sync: members already linked (no import). */
  linked?: number;
  /** Calls that do not grow with the records (owners, list catalog). */
  fixedCalls?: number;
  /** Backfill / remap: records per CRM object read (each object is its own query, its last page partly full). */
  perObject?: number[];
  /** Bulk export: distinct companies of the new people that have no CRM company yet (found by domain, created). */
  newCompanies?: number;
  /** Bulk export to Salesforce in Contact + Account mode (new Contacts get their company's Account); else Leads. */
  contactMode?: boolean;
}

/** People an export job takes at a time (export.service EXPORT_CHUNK): some calls are per chunk. */
export const EXPORT_CHUNK_SIZE = 500;

/**
 * A bulk export's calls from the CRM's batch sizes (the export bench's runs: HubSpot 1,000 new people of 200
 * companies took 30 calls, Salesforce 1,000 new Leads 5):
 * - HubSpot: every person read by email and written (upsert or update) in batches of 100; each new company looked up
 *   by domain and created in batches of 100; per chunk of new people one v4 association batch; the owners once.
 * - Salesforce: per chunk of 500 one Composite lookup and one Composite write; in Contact + Account mode new people's
 *   Accounts are looked up by domain, then by name, and created (one Composite each per chunk); the owners once.
 */
export function exportCalls(crm: CrmKind, work: WorkSize): number {
  const people = work.records;
  if (people <= 0) return 0;
  const fresh = people - Math.min(people, Math.max(0, work.linked ?? 0));
  const companies = Math.max(0, work.newCompanies ?? 0);
  const chunks = Math.ceil(people / EXPORT_CHUNK_SIZE);
  const freshChunks = Math.ceil(fresh / EXPORT_CHUNK_SIZE);
  if (crm === 'hubspot') {
    const b = HUBSPOT_LIMITS.batchSize;
    return 1 + 2 * Math.ceil(people / b) + (companies > 0 ? 2 * Math.ceil(companies / b) : 0) + freshChunks;
  }
  return 1 + 2 * chunks + (work.contactMode ? 3 * freshChunks : 0);
}

/**
 * Read calls of one object of a backfill or remap from the CRM's page size: its pages (an empty object still answers
 * one), and on Salesforce the object's describe (its fields are read before the first query).
 */
export function readCallsOfObject(crm: CrmKind, records: number): number {
  if (crm === 'salesforce') return Math.max(1, Math.ceil(records / SALESFORCE_LIMITS.queryPageMax)) + 1;
  // HubSpot reads list pages from the bottom while search chains read ranges from the top (hubspot.backfill.ts): past
  // its first SPLIT_LIST_RECORDS, an object costs what the split read measured per record.
  const listed = Math.min(records, SPLIT_LIST_RECORDS);
  return Math.max(1, Math.ceil(listed / HUBSPOT_LIMITS.listPageSize) + Math.ceil((records - listed) * HUBSPOT_SPLIT_CALLS_PER_RECORD));
}

/** Records of a HubSpot object priced as list pages (100 a call) before the split read's price applies. */
const SPLIT_LIST_RECORDS = 2_000;
/**
 * Calls per record of a HubSpot split read (list pages, 200-record searches, association reads for the searched
 * records): 745 calls for 100,000 contacts in the import bench (session 9; list pages 21 % of the records).
 */
const HUBSPOT_SPLIT_CALLS_PER_RECORD = 0.0075;

/**
 * Calls per record from the CRM's page and batch sizes (packages/crm metadata), for a connection with no measured
 * run. A mix of linked and new records is weighted by `work`.
 */
export function limitsCallsPerRecord(kind: ForecastKind, crm: CrmKind, work: WorkSize): number {
  const linkedShare = work.records > 0 ? Math.min(1, Math.max(0, (work.linked ?? 0) / work.records)) : 0;
  const mix = (linked: number, fresh: number) => linkedShare * linked + (1 - linkedShare) * fresh;
  switch (kind) {
    case 'backfill':
    case 'remap':
      // HubSpot: the split read's price (a small object's list pages are priced by readCallsOfObject); Salesforce query
      // pages of 2,000 rows.
      return crm === 'hubspot' ? HUBSPOT_SPLIT_CALLS_PER_RECORD : 1 / SALESFORCE_LIMITS.queryPageMax;
    case 'bulk-export':
      return work.records > 0 ? exportCalls(crm, work) / work.records : 0;
    case 'list-sync':
      if (crm === 'hubspot') return 1 / HUBSPOT_LIMITS.membershipsPageSize + mix(0, 1 / HUBSPOT_LIMITS.batchSize);
      // CampaignMember query pages of 2,000; new members read as Leads and Contacts by id (1,000 per query).
      return 1 / SALESFORCE_LIMITS.queryPageMax + mix(0, 2 / SALESFORCE_LIMITS.lookupChunk);
  }
}

/** The pace from the CRM's limits: the slower of Conduit's own pipeline and the rate budget at those calls per record. */
export function limitsPace(kind: ForecastKind, crm: CrmKind, work: WorkSize, parallelism?: ChunkParallelism): Pace {
  const callsPerRecord = limitsCallsPerRecord(kind, crm, work);
  if (kind === 'list-sync') return { source: 'limits', callsPerRecord, recordsPerSecond: listSyncRate(crm, work, callsPerRecord, PIPELINE_RECORDS_PER_SECOND[kind][crm]), runsMeasured: 0 };
  const rateBound = sustainedCallsPerSecond(crm) / callsPerRecord;
  const pipeline = (PIPELINE_RECORDS_PER_SECOND[kind][crm] * chunksInFlight(work.records, parallelism)) / chunksInFlight(PIPELINE_MEASURED_RECORDS, parallelism);
  return { source: 'limits', callsPerRecord, recordsPerSecond: Math.min(rateBound, pipeline), runsMeasured: 0 };
}

/**
 * Calls and seconds of the work at a pace (seconds of work; waits for a daily reset are not in them). From the
 * limits, a read of several objects is priced object by object (readCallsOfObject); a measured pace already holds
 * those per-object costs in its calls per record.
 */
export function estimateWork(work: WorkSize, pace: Pace, crm: CrmKind): { calls: number; seconds: number } {
  const variable = pace.source === 'limits' && work.perObject ? work.perObject.reduce((n, records) => n + readCallsOfObject(crm, records), 0) : work.records * pace.callsPerRecord;
  // Up to the next whole call, but not for a float's last digit (300 × (12 ÷ 300) is 12.000000000000002).
  const calls = Math.ceil((work.fixedCalls ?? 0) + variable - 1e-9);
  const seconds = pace.recordsPerSecond > 0 ? work.records / pace.recordsPerSecond : 0;
  return { calls, seconds: roundSecondsUp(seconds) };
}

/**
 * Up to the next tenth of a second under a minute, else the next second: a 2.5-s export forecast as 3 s would be off by
 * a fifth before anything ran (the benches hold forecasts to ±30 % of the time).
 */
export function roundSecondsUp(seconds: number): number {
  if (seconds >= 60) return Math.ceil(seconds - 1e-9);
  return Math.max(0, Math.ceil(seconds * 10 - 1e-9) / 10);
}

/** The connection's daily budget as Conduit sees it now (nulls: not known, e.g. before the CRM reported its counters). */
export interface BudgetState {
  /** Calls Conduit's bulk work may still spend before the next reset. */
  remainingToday: number | null;
  /** Calls bulk work may spend in a whole day after a reset. */
  allowancePerDay: number | null;
  resetsAt: Date | null;
  /** Time between resets (HubSpot: a day; Salesforce's rolling 24 h is approximated the same way). */
  periodMs?: number;
}

export interface BudgetPlan {
  /** calls ÷ remaining today; null when the remaining allocation is unknown. */
  shareOfRemaining: number | null;
  /** The first pause, or null when the work fits in what is left today (or the budget is unknown). */
  pause: (Omit<ForecastPauseDto, 'resumesAt'> & { resumesAt: Date | null }) | null;
  finishesAt: Date;
  /** False when the work can never end (no allowance after a reset). */
  finishes: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Resets simulated at most (a forecast past a year says nothing). */
const MAX_RESETS = 366;

/**
 * Walks the work through the daily budget: calls go out evenly over its seconds; when what is left today is spent
 * before the reset, the work pauses until the reset and goes on with a new day's allowance. A reset that comes
 * before the allowance runs out only gives it more room.
 */
export function planAgainstBudget(calls: number, seconds: number, budget: BudgetState, now: Date): BudgetPlan {
  const plain: BudgetPlan = { shareOfRemaining: null, pause: null, finishesAt: new Date(now.getTime() + seconds * 1000), finishes: true };
  if (budget.remainingToday === null) return plain;
  const remaining = Math.max(0, budget.remainingToday);
  const shareOfRemaining = calls === 0 ? 0 : remaining === 0 ? Number.POSITIVE_INFINITY : calls / remaining;
  if (calls <= remaining) return { ...plain, shareOfRemaining };
  if (budget.resetsAt === null || budget.allowancePerDay === null) {
    // It will pause, but when it resumes is unknown.
    return { ...plain, shareOfRemaining, finishes: false, pause: { atShare: remaining / calls, resets: 1, resumesAt: null } };
  }
  const period = budget.periodMs ?? DAY_MS;
  const msPerCall = seconds > 0 ? (seconds * 1000) / calls : 0;
  let t = now.getTime();
  let reset = Math.max(budget.resetsAt.getTime(), t);
  let left = calls;
  let allowance = remaining;
  let pause: BudgetPlan['pause'] = null;
  let resets = 0;
  for (let i = 0; i <= MAX_RESETS; i++) {
    const untilExhausted = allowance * msPerCall;
    const untilReset = reset - t;
    if (left <= allowance) return { shareOfRemaining, pause: pause && { ...pause, resets }, finishesAt: new Date(t + left * msPerCall), finishes: true };
    if (msPerCall > 0 && untilReset < untilExhausted) {
      // The reset comes first: today's allowance is not used up, tomorrow's starts.
      left -= untilReset / msPerCall;
    } else {
      left -= allowance;
      pause ??= { atShare: (calls - left) / calls, resets: 0, resumesAt: new Date(reset) };
      resets++;
    }
    t = reset;
    reset += period;
    allowance = Math.max(0, budget.allowancePerDay);
  }
  return { shareOfRemaining, pause: pause && { ...pause, resets }, finishesAt: new Date(t), finishes: false };
}

/** "1 h 40 min", "8 min", "45 s", "2 d 3 h": one formatter with the admin console's (packages/contracts). */
export { formatDuration };

const n = (x: number) => Math.round(x).toLocaleString('en');
const pct = (x: number) => `${Math.max(1, Math.round(x * 100))} %`;
const utcTime = (d: Date) => `${d.toISOString().slice(11, 16)} UTC`;

/** The forecast in one sentence for an admin (the admin console writes its own, in the admin's time zone). */
export function forecastSummary(calls: number, seconds: number, plan: BudgetPlan, remainingToday: number | null): string {
  const head = `About ${n(calls)} API call${calls === 1 ? '' : 's'} and ${formatDuration(seconds)}`;
  if (plan.shareOfRemaining === null || remainingToday === null) return `${head}; the account's daily API limit is not known yet (the CRM has not reported it and no admin entered it), so no daily allocation applies.`;
  if (!plan.pause) return `${head}: ${pct(plan.shareOfRemaining)} of the ${n(remainingToday)} calls Conduit may still use today.`;
  const more = `${head}: more than the ${n(remainingToday)} calls Conduit may still use today`;
  const where = plan.pause.atShare < 0.005 ? 'it will wait for the reset before it starts' : `it will pause at about ${Math.round(plan.pause.atShare * 100)} %`;
  if (plan.pause.resumesAt === null) return `${more}, so ${where} until the daily budget resets.`;
  if (!plan.finishes) return `${more}, and the daily allocation is too small for it ever to finish: raise the allocation first.`;
  const after = plan.pause.resets === 1 ? "after tomorrow's reset" : `after ${plan.pause.resets} daily resets`;
  return `${more}: ${where}, resume at ${utcTime(plan.pause.resumesAt)} and finish ${after}.`;
}
