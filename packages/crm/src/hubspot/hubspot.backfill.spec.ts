import { describe, expect, it } from '@jest/globals';
import type { CrmPage, CrmRecord } from '../contract.js';
import { readSplit, SEARCH_PAGE, type SplitState, type SplitTransport, type SplitTuning } from './hubspot.backfill.js';

/**
 * A fake HubSpot holding `ids` (ascending, with gaps), answering each call after a pseudo-random delay so the list lane
 * and the search chains interleave differently from run to run. List pages hold 100 records, `after` is the next id.
 */
function fakeHubspot(ids: number[], seed: number, options: { failAt?: number; associations?: boolean; delayMs?: number; associationDelayMs?: number } = {}) {
  let s = seed;
  const rand = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const delay = (kind: string) =>
    new Promise((r) => setTimeout(r, (kind === 'associations' ? options.associationDelayMs : undefined) ?? options.delayMs ?? Math.floor(rand() * 4)));
  const record = (id: number): CrmRecord => ({ id: String(id), object: 'contact', properties: {}, updatedAt: '' });
  const calls = { list: 0, search: 0, probe: 0, associations: 0, inFlight: 0, peak: 0, emptySearches: 0 };
  // The most calls of one kind in flight at once.
  const peaks: Record<string, number> = {};
  const running: Record<string, number> = {};
  let n = 0;
  const call = async <T>(kind: 'list' | 'search' | 'probe' | 'associations', fn: () => T): Promise<T> => {
    calls[kind]++;
    calls.peak = Math.max(calls.peak, ++calls.inFlight);
    running[kind] = (running[kind] ?? 0) + 1;
    peaks[kind] = Math.max(peaks[kind] ?? 0, running[kind]);
    try {
      await delay(kind);
      if (options.failAt !== undefined && ++n === options.failAt) throw new Error('CRM down');
      return fn();
    } finally {
      calls.inFlight--;
      running[kind]--;
    }
  };
  const transport: SplitTransport = {
    listPage: (after) =>
      call('list', () => {
        const from = after === undefined ? 0 : Number(after);
        const page = ids.filter((id) => id >= from).slice(0, 101);
        return { records: page.slice(0, 100).map(record), after: page.length > 100 ? String(page[100]) : undefined };
      }),
    searchRange: (lo, hi) =>
      call('search', () => {
        const matching = ids.filter((id) => id > lo && (hi === null || id <= hi));
        if (matching.length === 0) calls.emptySearches++;
        return { records: matching.slice(0, SEARCH_PAGE).map(record), total: matching.length };
      }),
    edge: (end) => call('probe', () => (ids.length ? { id: end === 'lowest' ? ids[0]! : ids.at(-1)!, total: ids.length } : null)),
    associations: options.associations ? (batch) => call('associations', () => ({ company: Object.fromEntries(batch.map((id) => [id, [`co-${id}`]])) })) : null,
  };
  return { transport, calls, peaks };
}

const encode = (state: SplitState) => JSON.stringify(state);
const decode = (cursor: string) => JSON.parse(cursor) as SplitState;
const FINAL = 'incremental';
const fresh = (): SplitState => ({ v: 1, m: 'split', startedAt: 0, list: { high: 0 }, top: null, ranges: [] });
const direct = <T>(call: () => Promise<T>) => call();
const tuning: SplitTuning = { chains: 3, maxChains: 3, searchesPerSecond: 4.5, chainWindowMs: 5_000, rangeRecords: 500, maxReady: 4 };

async function collect(pages: AsyncIterable<CrmPage>, stopAfter = Infinity): Promise<CrmPage[]> {
  const out: CrmPage[] = [];
  for await (const page of pages) {
    out.push(page);
    if (out.length >= stopAfter) break;
  }
  return out;
}

/** Ids 1…n with gaps (every 7th missing), so ranges are not all full. */
const idsUpTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((id) => id % 7 !== 0);

describe('readSplit (HubSpot backfill from both ends)', () => {
  it('hands out every id exactly once, from the list and from search ranges, and ends with the incremental cursor', async () => {
    const ids = idsUpTo(12_000);
    const { transport, calls } = fakeHubspot(ids, 1);
    const pages = await collect(readSplit(fresh(), transport, direct, encode, FINAL, tuning));
    const got = pages.flatMap((p) => p.records.map((r) => Number(r.id)));
    expect(got.length).toBe(ids.length);
    expect(new Set(got).size).toBe(ids.length);
    expect(pages.at(-1)).toEqual({ records: [], nextCursor: FINAL, hasMore: false });
    expect(pages.slice(0, -1).every((p) => p.hasMore)).toBe(true);
    // Both ends did real work, with several calls in flight.
    expect(calls.list).toBeGreaterThan(3);
    expect(calls.search).toBeGreaterThan(10);
    expect(calls.peak).toBeGreaterThan(2);
  });

  it('steals smaller ranges near the end, shared among the chains, so they end together', async () => {
    const ids = idsUpTo(12_000);
    const { transport } = fakeHubspot(ids, 3);
    // Each range's first search: its bounds (a range's hi is the top of the territory when it was stolen).
    const firstLo = new Map<number | null, number>();
    const search = transport.searchRange;
    transport.searchRange = (lo, hi) => {
      if (!firstLo.has(hi)) firstLo.set(hi, lo);
      return search(lo, hi);
    };
    const pages = await collect(readSplit(fresh(), transport, direct, encode, FINAL, tuning));
    expect(new Set(pages.flatMap((p) => p.records.map((r) => r.id))).size).toBe(ids.length);
    const sizes = [...firstLo].map(([hi, lo]) => ids.filter((id) => id > lo && (hi === null || id <= hi)).length);
    // Ranges of a little under rangeRecords (whole pages) while the territory is large…
    expect(sizes[0]).toBeGreaterThanOrEqual(tuning.rangeRecords * 0.98 - 15);
    expect(sizes[0]).toBeLessThanOrEqual(tuning.rangeRecords);
    // …then what is left split among the chains: several smaller ranges (not one cut short by the list), none below a page.
    expect(sizes.filter((n) => n < tuning.rangeRecords - 50).length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(SEARCH_PAGE - 10);
  });

  it('sizes ranges by the density where the chains read, so a dense block of ids costs whole pages (no sixth search for a few records)', async () => {
    // A few old records spread thin, then a dense block (a bulk import): the probe's average density is far below the block's.
    const ids = [...Array.from({ length: 200 }, (_, i) => 1 + i * 50), ...Array.from({ length: 20_000 }, (_, i) => 20_000 + i)];
    const { transport } = fakeHubspot(ids, 5);
    const searchesOf = new Map<number | null, number>();
    const search = transport.searchRange;
    transport.searchRange = (lo, hi) => {
      searchesOf.set(hi, (searchesOf.get(hi) ?? 0) + 1);
      return search(lo, hi);
    };
    const wide: SplitTuning = { ...tuning, rangeRecords: 1_000 };
    const pages = await collect(readSplit(fresh(), transport, direct, encode, FINAL, wide));
    expect(new Set(pages.flatMap((p) => p.records.map((r) => r.id))).size).toBe(ids.length);
    const perRange = [...searchesOf.values()];
    expect(perRange.length).toBeGreaterThan(5);
    // The chains' first ranges are sized by the probe (too wide for the block: twice the searches); every later one, by the
    // density its chain last read, takes 5 at most.
    expect(Math.max(...perRange.slice(0, wide.chains))).toBeGreaterThan(Math.ceil(wide.rangeRecords / SEARCH_PAGE));
    expect(Math.max(...perRange.slice(wide.chains))).toBeLessThanOrEqual(Math.ceil(wide.rangeRecords / SEARCH_PAGE));
  });

  it('a range whose last page is full ends on the search total, without one more (empty) search', async () => {
    // Dense ids: every stolen range holds exactly 1,000 records, 5 full pages.
    const ids = Array.from({ length: 12_000 }, (_, i) => i + 1);
    const { transport, calls } = fakeHubspot(ids, 5);
    const pages = await collect(readSplit(fresh(), transport, direct, encode, FINAL, { ...tuning, rangeRecords: 1_000 }));
    expect(pages.flatMap((p) => p.records).length).toBe(ids.length);
    expect(calls.search).toBeGreaterThan(10);
    expect(calls.emptySearches).toBe(0);
  });

  it('resumed from any page’s cursor, reads exactly the ids not handed out before it', async () => {
    const ids = idsUpTo(6_000);
    for (const seed of [2, 3, 4]) {
      const all = await collect(readSplit(fresh(), fakeHubspot(ids, seed).transport, direct, encode, FINAL, tuning));
      for (const k of [1, 5, Math.floor(all.length / 2), all.length - 3]) {
        const before = all.slice(0, k).flatMap((p) => p.records.map((r) => Number(r.id)));
        const cursor = all[k - 1]!.nextCursor;
        const after = await collect(readSplit(decode(cursor), fakeHubspot(ids, seed + k).transport, direct, encode, FINAL, tuning));
        const rest = after.flatMap((p) => p.records.map((r) => Number(r.id)));
        expect([...before, ...rest].sort((x, y) => x - y)).toEqual(ids);
      }
    }
  });

  it('search pages get their associations (batched), list pages keep theirs', async () => {
    const ids = idsUpTo(5_000);
    const { transport, calls } = fakeHubspot(ids, 5, { associations: true });
    const pages = await collect(readSplit(fresh(), transport, direct, encode, FINAL, tuning));
    const records = pages.flatMap((p) => p.records);
    expect(records).toHaveLength(ids.length);
    const fromSearch = records.filter((r) => r.associations?.company);
    expect(fromSearch.length).toBeGreaterThan(1000);
    expect(fromSearch.every((r) => r.associations!.company![0] === `co-${r.id}`)).toBe(true);
    // About one association read per 1,000 search records, not one per page.
    expect(calls.associations).toBeLessThanOrEqual(Math.ceil(fromSearch.length / 1000) + tuning.chains + 1);
  });

  it('reads the association batches of search pages at once, and hands their pages out in order', async () => {
    const ids = idsUpTo(20_000);
    const { transport, peaks } = fakeHubspot(ids, 11, { associations: true, delayMs: 2, associationDelayMs: 60 });
    const pages = await collect(readSplit(fresh(), transport, direct, encode, FINAL, { ...tuning, chains: 4, maxChains: 4 }));
    const records = pages.flatMap((p) => p.records);
    expect(records.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(ids);
    expect(records.filter((r) => r.associations?.company).every((r) => r.associations!.company![0] === `co-${r.id}`)).toBe(true);
    // One read at a time fell behind the searches at a slow CRM.
    expect(peaks['associations']).toBeGreaterThan(1);
    // Each page's cursor resumes after every id handed out so far, so pages of one range come out in id order.
    for (const [k, page] of pages.entries()) {
      if (!page.hasMore) continue;
      const seen = new Set(pages.slice(0, k + 1).flatMap((p) => p.records.map((r) => r.id)));
      const rest = await collect(readSplit(decode(page.nextCursor), fakeHubspot(ids, 12).transport, direct, encode, FINAL, tuning));
      expect(rest.flatMap((p) => p.records.map((r) => Number(r.id))).sort((a, b) => a - b)).toEqual(ids.filter((id) => !seen.has(String(id))));
      if (k > 6) break;
    }
  });

  it('adds search chains while the searches fall short of their budget (a slow CRM), up to the most', async () => {
    const ids = idsUpTo(40_000);
    const slow = fakeHubspot(ids, 13, { delayMs: 15 });
    const adaptive: SplitTuning = { ...tuning, chains: 2, maxChains: 6, searchesPerSecond: 10_000, chainWindowMs: 20 };
    const pages = await collect(readSplit(fresh(), slow.transport, direct, encode, FINAL, adaptive));
    expect(pages.flatMap((p) => p.records.map((r) => Number(r.id))).sort((a, b) => a - b)).toEqual(ids);
    expect(slow.peaks['search']).toBeGreaterThan(2);
    expect(slow.peaks['search']).toBeLessThanOrEqual(6);

    // Searches as fast as the budget: no chain is added.
    const enough = fakeHubspot(ids, 13, { delayMs: 15 });
    await collect(readSplit(fresh(), enough.transport, direct, encode, FINAL, { ...adaptive, searchesPerSecond: 1 }));
    expect(enough.peaks['search']).toBeLessThanOrEqual(2);
  });

  it('a small object is read by the list alone; an empty one ends at once', async () => {
    const small = fakeHubspot(idsUpTo(300), 6);
    const pages = await collect(readSplit(fresh(), small.transport, direct, encode, FINAL, tuning));
    expect(pages.flatMap((p) => p.records)).toHaveLength(idsUpTo(300).length);
    expect(small.calls.search).toBe(0);
    const empty = await collect(readSplit(fresh(), fakeHubspot([], 7).transport, direct, encode, FINAL, tuning));
    expect(empty.flatMap((p) => p.records)).toHaveLength(0);
    expect(empty.at(-1)?.hasMore).toBe(false);
  });

  it('surfaces a failure after the pages read before it, and stops calling when the caller stops', async () => {
    const ids = idsUpTo(6_000);
    const failing = fakeHubspot(ids, 8, { failAt: 20 });
    const seen: CrmPage[] = [];
    await expect(
      (async () => {
        for await (const page of readSplit(fresh(), failing.transport, direct, encode, FINAL, tuning)) seen.push(page);
      })(),
    ).rejects.toThrow('CRM down');
    expect(seen.length).toBeGreaterThan(0);

    const stopped = fakeHubspot(ids, 9);
    await collect(readSplit(fresh(), stopped.transport, direct, encode, FINAL, tuning), 3);
    await new Promise((r) => setTimeout(r, 50));
    const callsThen = stopped.calls.list + stopped.calls.search;
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped.calls.list + stopped.calls.search).toBe(callsThen);
    expect(callsThen).toBeLessThan(30);
  });
});
