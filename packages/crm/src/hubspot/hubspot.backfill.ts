import type { CrmCallScheduler, CrmObjectType, CrmPage, CrmRecord } from '../contract.js';

/**
 * A HubSpot backfill read from both ends at once. List paging (100 records a call, associations inline) is one chain
 * of cursors: each page names the next, so it cannot have more than one call in flight, and at ~250 ms a call it
 * reaches about a third of the 10-second window. CRM search (200 records a call, its own 4–5/s budget on top of the
 * window) can start anywhere: a keyset query `lo < hs_object_id ≤ hi` sorted by id reads any id range, never paging
 * past the 10,000-result cap because each call is a new query. So:
 * - the **list lane** pages from the lowest id upwards, as before;
 * - **search chains** take id ranges from the top down ("steal" them from the list's territory: `top` moves down),
 *   each range read keyset by keyset; a range never starts below the highest id the list has handed out, and the list
 *   drops ids above `top` and stops once it is past it. The two meet somewhere in the middle; every id belongs to
 *   exactly one of them.
 * Pages are handed out as they arrive, each with a cursor that snapshots what has been handed out (`SplitState`): the
 * list's `after` and highest id, `top`, and for every range stolen so far the part not handed out yet. A range is
 * recorded the moment it is stolen, so a resumed read re-reads it rather than leaving it to the list. Resuming from
 * any page's cursor therefore reads every id not handed out before it exactly once.
 * Search pages carry no associations: they are read for up to 1,000 records at once (v4 batch read) before their
 * pages are handed out, in order.
 */
export interface SplitState {
  v: 1;
  m: 'split';
  startedAt: number;
  /** The list lane: its next `after` and the highest id it handed out; null once it is done. */
  list: { after?: string; high: number } | null;
  /** Ids above `top` belong to search ranges; null while nothing has been stolen (the list reads to the end). */
  top: number | null;
  /** Stolen ranges not finished: ids with lo < id ≤ hi (hi null: no upper bound) not handed out yet. */
  ranges: { lo: number; hi: number | null }[];
}

/** What the split read asks of HubSpot; the adapter wires each to the SDK through its CallRunner. */
export interface SplitTransport {
  /** A list page (≤ 100 records) after `after`, and the next `after` when there is more. */
  listPage(after: string | undefined): Promise<{ records: CrmRecord[]; after: string | undefined }>;
  /**
   * Up to `SEARCH_PAGE` records with lo < id ≤ hi (hi null: no bound), ascending by id, and how many records match that
   * query in all (HubSpot search's `total`): a page holding them all ends the range without one more call.
   */
  searchRange(lo: number, hi: number | null): Promise<{ records: CrmRecord[]; total: number }>;
  /**
   * The lowest or highest id and the count of records (null when there are none). Two calls, each scheduled (and so
   * retried and counted) on its own: one scheduled call making both would report one of two 429s and redo both.
   */
  edge(end: 'lowest' | 'highest'): Promise<{ id: number; total: number } | null>;
  /** Associated ids for search pages' records, per object asked for; null when the read asks for none. */
  associations: ((ids: string[]) => Promise<Partial<Record<CrmObjectType, Record<string, string[]>>>>) | null;
}

export interface SplitTuning {
  /** Search chains reading ranges at once at first (their calls still wait for the limiter and the search budget). */
  chains: number;
  /**
   * The most search chains: while searches come back slower than `searchesPerSecond` allows (a slow CRM: each chain
   * waits longer for its answers), more chains start after each `chainWindowMs`, as many as the shortfall says.
   */
  maxChains: number;
  /** The search budget the chains are to fill (calls per second). */
  searchesPerSecond: number;
  chainWindowMs: number;
  /** Records per stolen range (its width in ids comes from the probe's density). */
  rangeRecords: number;
  /** Pages handed out but not yet taken by the caller before the lanes pause. */
  maxReady: number;
}

/** Records per search call (HubSpot's maximum). */
export const SEARCH_PAGE = 200;
/** Ids per v4 association batch read. */
const ASSOCIATION_BATCH = 1_000;
/**
 * Five chains keep the search budget (4.5/s: HubSpot's 5/s less a margin) busy when a search takes ~1 s; at three times
 * that (the sandbox's `slow` profile) they reach about 2.6/s, so chains are added while the searches fall short.
 * 1,000-record ranges (5 searches) keep the end of the read short when the list and the search chains meet.
 */
export const SPLIT_TUNING: SplitTuning = { chains: 5, maxChains: 12, searchesPerSecond: 4.5, chainWindowMs: 5_000, rangeRecords: 1_000, maxReady: 8 };
/** Searches short of this share of the budget start more chains (as many as the shortfall says). */
const SEARCH_SHORTFALL = 0.85;

const idOf = (r: CrmRecord): number => Number(r.id);
/** Share of a range's target records its width is sized for (see nextRange). */
const RANGE_FILL = 0.98;

export async function* readSplit(
  initial: SplitState,
  transport: SplitTransport,
  schedule: CrmCallScheduler,
  encode: (state: SplitState) => string,
  finalCursor: string,
  tuning: SplitTuning = SPLIT_TUNING,
): AsyncGenerator<CrmPage> {
  const state: SplitState = { ...initial, list: initial.list ? { ...initial.list } : null, ranges: initial.ranges.map((r) => ({ ...r })) };
  const ready: CrmPage[] = [];
  let stopped = false;
  let failure: { error: unknown } | null = null;
  let finished = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let spaceWaiters: (() => void)[] = [];
  const space = () => {
    const ws = spaceWaiters;
    spaceWaiters = [];
    for (const w of ws) w();
  };
  const roomToRead = async () => {
    while (!stopped && ready.length >= tuning.maxReady) await new Promise<void>((r) => spaceWaiters.push(r));
  };
  /** Applies a page's change to the handed-out state and queues the page with a snapshot of it. */
  const emit = (records: CrmRecord[], apply: () => void) => {
    apply();
    ready.push({ records, nextCursor: encode(state), hasMore: true });
    signal();
  };

  /** The read stops at its first failure (after the CRM retry policy gave up); pages handed out before it still go. */
  function fail(error: unknown): void {
    failure ??= { error };
    stopped = true;
    space();
    signal();
  }

  // The list's highest id as read (a range is never stolen below it); the probe, once, when a range is to be stolen.
  let probe: Promise<{ minId: number; maxId: number; total: number } | null> | null = null;
  const owned = new Set<SplitState['ranges'][number]>();
  // Records per id where the chains read last (a range's first search counts its matches): ids are not spread evenly
  // (other objects' ids, a bulk import's block), and a range sized by the probe's average held a few records over
  // 1,000 — a sixth search for them, one range in six of the search budget.
  let localDensity: number | null = null;

  const listLane = async () => {
    while (state.list && !stopped) {
      await roomToRead();
      if (stopped) return;
      const list = state.list;
      const page = await schedule(() => transport.listPage(list.after));
      const top = state.top;
      const keep = top === null ? page.records : page.records.filter((r) => idOf(r) <= top);
      const ids = page.records.map(idOf);
      const ascending = ids.every((id, i) => i === 0 || id > ids[i - 1]!);
      // Past `top`: the rest of the list is the search ranges'. HubSpot pages come in id order; should one not, the
      // list only stops at a page wholly above `top`.
      const met = top !== null && ids.length > 0 && (ascending ? ids.at(-1)! > top : Math.min(...ids) > top);
      const done = page.after === undefined || met;
      emit(keep, () => {
        state.list = done ? null : { after: page.after!, high: Math.max(list.high, ...keep.map(idOf)) };
      });
    }
  };

  /** A range to read: one left from before (resumed), else one stolen from the top of the list's territory. */
  const nextRange = async (): Promise<SplitState['ranges'][number] | null> => {
    const take = (r: SplitState['ranges'][number]) => {
      owned.add(r);
      return r;
    };
    const left = state.ranges.find((r) => !owned.has(r));
    if (left) return take(left);
    if (!state.list) return null;
    probe ??= Promise.all([schedule(() => transport.edge('lowest')), schedule(() => transport.edge('highest'))]).then(([low, high]) =>
      low && high ? { minId: low.id, maxId: high.id, total: low.total } : null,
    );
    const p = await probe;
    if (!p || !state.list) return null;
    const again = state.ranges.find((r) => !owned.has(r));
    if (again) return take(again);
    const density = Math.max(localDensity ?? p.total / Math.max(1, p.maxId - p.minId + 1), 1e-9);
    const floor = Math.max(state.list.high, p.minId - 1);
    const upper = state.top ?? p.maxId;
    // Leave the last few list pages' worth to the list: stealing them would only make the chains the end of the read.
    if (upper - floor <= Math.ceil((4 * 100) / density)) return null;
    // Near the end, smaller ranges: what is left is shared among the chains (and the list), so they end together
    // instead of one chain reading its last 1,000-record range alone, five searches one after another.
    const remaining = (upper - floor) * density;
    const records = remaining < chains * tuning.rangeRecords ? Math.max(SEARCH_PAGE, Math.ceil(remaining / (chains + 1))) : tuning.rangeRecords;
    // A little under the target, so a range whose ids are a bit denser than measured still ends in whole pages.
    const width = Math.max(1, Math.floor((records * RANGE_FILL) / density));
    const lo = Math.max(floor, upper - width);
    const range = { lo, hi: state.top };
    state.top = lo;
    state.ranges.push(range);
    return take(range);
  };

  // Search pages waiting for their associations, in the order they were read; flushed one batch at a time.
  let held: { range: SplitState['ranges'][number]; records: CrmRecord[]; lo: number; done: boolean }[] = [];
  let heldIds = 0;
  let searching = 0;
  let flushing: Promise<void> = Promise.resolve();
  const handOut = (range: SplitState['ranges'][number], records: CrmRecord[], lo: number, done: boolean) =>
    emit(records, () => {
      if (done) state.ranges.splice(state.ranges.indexOf(range), 1);
      else range.lo = lo;
    });
  // A batch's association read starts at once (at a slow CRM one read at a time fell behind the searches: a backlog
  // of tens of thousands of records read at the end); its pages are handed out after the batches before it.
  const flush = () => {
    const batch = held;
    held = [];
    heldIds = 0;
    if (!batch.length) return flushing;
    const ids = batch.flatMap((b) => b.records.map((r) => r.id));
    const reading = ids.length && transport.associations ? schedule(() => transport.associations!(ids)) : Promise.resolve({});
    // Handled here too: a failed read rejects before the batches ahead of it are handed out.
    reading.catch(() => undefined);
    flushing = flushing
      .then(async () => {
      const found = await reading;
      for (const b of batch) {
        const records = b.records.map((r) => {
          const assoc: Partial<Record<CrmObjectType, string[]>> = { ...r.associations };
          for (const [object, byId] of Object.entries(found) as [CrmObjectType, Record<string, string[]>][]) assoc[object] = byId[r.id] ?? [];
          return { ...r, associations: assoc };
        });
        handOut(b.range, records, b.lo, b.done);
      }
    })
      .catch((error: unknown) => fail(error));
    return flushing;
  };

  // Search chains running, and the searches answered in the current window (from the first answer on: the read's
  // start — the probe, the first ranges — is not judged).
  let chains = 0;
  const lanes: Promise<void>[] = [];
  let windowStart: number | null = null;
  let windowSearches = 0;
  const startChain = () => {
    chains++;
    lanes.push(chain().catch(fail));
  };
  // Searches short of the budget: as many more chains as the shortfall says (each chain's pace is its answer time),
  // up to the most. The budget paces them all; a chain with no range left ends at once.
  const searchAnswered = () => {
    const now = performance.now();
    if (windowStart === null) {
      windowStart = now;
      return;
    }
    windowSearches++;
    const elapsed = now - windowStart;
    if (elapsed < tuning.chainWindowMs) return;
    const rate = (windowSearches * 1_000) / elapsed;
    if (rate < tuning.searchesPerSecond * SEARCH_SHORTFALL && state.list && !stopped) {
      const wanted = Math.min(tuning.maxChains, Math.ceil((chains * tuning.searchesPerSecond) / Math.max(rate, 0.1)));
      while (chains < wanted) startChain();
    }
    windowStart = now;
    windowSearches = 0;
  };

  async function chain(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const range = await nextRange();
      if (!range || stopped) return;
      let lo = range.lo;
      for (;;) {
        await roomToRead();
        if (stopped) return;
        searching++;
        let found: { records: CrmRecord[]; total: number };
        try {
          found = await schedule(() => transport.searchRange(lo, range.hi));
        } finally {
          searching--;
        }
        searchAnswered();
        const records = found.records;
        if (lo === range.lo && range.hi !== null && range.hi > lo) localDensity = found.total / (range.hi - lo);
        // A short page ends the range, and so does a full one holding every match (a 1,000-record range is 5 calls, not
        // 6 with an empty last one: a sixth of the search budget).
        const done = records.length < SEARCH_PAGE || records.length >= found.total;
        lo = records.reduce((m, r) => Math.max(m, idOf(r)), lo);
        if (transport.associations) {
          held.push({ range, records, lo, done });
          heldIds += records.length;
          if (heldIds >= ASSOCIATION_BATCH || searching === 0) void flush();
        } else {
          handOut(range, records, lo, done);
        }
        if (done) break;
      }
    }
  }

  lanes.push(listLane().catch(fail));
  for (let i = 0; i < tuning.chains; i++) startChain();
  // Every lane, also those started while the others ran (a lane only starts from a running one, before it ends).
  const allLanes = async () => {
    for (let i = 0; i < lanes.length; i++) await lanes[i];
  };
  const work = allLanes()
    .then(() => flush())
    .then(() => {
      if (stopped) return;
      ready.push({ records: [], nextCursor: finalCursor, hasMore: false });
      finished = true;
      signal();
    })
    .catch(fail);

  try {
    for (;;) {
      const page = ready.shift();
      if (page) {
        space();
        yield page;
        continue;
      }
      if (failure) throw (failure as { error: unknown }).error;
      if (finished) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    stopped = true;
    space();
    // Calls already in flight finish (their answers are dropped); nothing new starts.
    void work;
  }
}
