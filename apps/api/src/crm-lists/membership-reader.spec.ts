import { describe, expect, it } from '@jest/globals';
import type { CrmListMember, CrmListMemberPage } from '@conduit/crm';
import { compareRecordIds, NotKeysetError, readRanges, splitPoints } from './membership-reader.js';

const member = (id: number): CrmListMember => ({ recordId: String(id), object: 'contact', addedAt: null });

/** A CRM paging `ids` by record id, `size` per page, the token being the last id (as the sandbox and HubSpot do). */
function keysetCrm(ids: number[], size: number) {
  const sorted = [...ids].sort((a, b) => a - b);
  const reads: (string | null)[] = [];
  const inFlight = { now: 0, most: 0 };
  const read = async (after: string | null): Promise<CrmListMemberPage> => {
    reads.push(after);
    inFlight.most = Math.max(inFlight.most, ++inFlight.now);
    await new Promise((r) => setImmediate(r));
    inFlight.now--;
    const start = after === null ? 0 : sorted.findIndex((id) => id > Number(after));
    const page = start < 0 ? [] : sorted.slice(start, start + size);
    const more = start >= 0 && start + size < sorted.length;
    return { members: page.map(member), nextAfter: more ? String(page[page.length - 1]) : null, byRecordId: more, total: sorted.length };
  };
  return { read, reads, inFlight };
}

describe('compareRecordIds', () => {
  it('orders numeric ids as numbers and other ids as text', () => {
    expect(['10', '9', '100', '11'].sort(compareRecordIds)).toEqual(['9', '10', '11', '100']);
    expect(compareRecordIds('00Q2', '00Q10')).toBeGreaterThan(0);
  });
});

describe('splitPoints', () => {
  it('cuts the known ids after the first page into ranges of a few pages, with room for members who join', () => {
    const known = Array.from({ length: 10_000 }, (_, i) => String(i + 1));
    const splits = splitPoints(known, '250', 250, 4);
    // 970 known members a range (4 pages of 250, less 3 %).
    expect(splits.slice(0, 3)).toEqual(['1220', '2190', '3160']);
    expect(splits).toHaveLength(10);
  });

  it('gives no splits when the rest of the list is one range', () => {
    expect(splitPoints(Array.from({ length: 900 }, (_, i) => String(i)), '0', 250, 4)).toEqual([]);
    expect(splitPoints([], '0', 250, 4)).toEqual([]);
  });
});

describe('readRanges', () => {
  it('reads every member exactly once, in record-id order, with a few extra page reads at most, several at once', async () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => 3 * i + 7);
    const crm = keysetCrm(ids, 100);
    const first = await crm.read(null);
    // Known ids from an earlier sync: some left since, and new members came in between.
    const splits = splitPoints(ids.filter((id) => id % 2 === 0).map(String), first.nextAfter!, 100, 4);
    expect(splits.length).toBeGreaterThan(2);
    const pages: number[] = [];
    const rest = await readRanges(crm.read, first.nextAfter!, splits, 8, (m) => {
      pages.push(m.length);
      return Promise.resolve();
    });
    const all = [...first.members, ...rest].map((m) => Number(m.recordId));
    expect(all).toEqual(ids);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(4_900);
    // Half the members were known: a range of 388 known ids holds ≈ 776 members now, 8 pages: no page beyond them.
    expect(crm.reads.length).toBeLessThanOrEqual(50 + splits.length + 1);
    expect(crm.inFlight.most).toBe(Math.min(8, splits.length + 1));
  });

  it('throws NotKeysetError when a range start is ignored (the CRM answers from the first record)', async () => {
    const sorted = Array.from({ length: 2_000 }, (_, i) => i + 1);
    const read = (after: string | null): Promise<CrmListMemberPage> => {
      // An opaque-token CRM that does not understand a record id as `after` and starts over.
      const start = after === null || !['100', '200'].includes(after) ? 0 : sorted.indexOf(Number(after)) + 1;
      const page = sorted.slice(start, start + 100);
      return Promise.resolve({ members: page.map(member), nextAfter: String(page[page.length - 1]), byRecordId: true });
    };
    await expect(readRanges(read, '100', ['1000'], 2, () => Promise.resolve())).rejects.toBeInstanceOf(NotKeysetError);
  });

  it('throws NotKeysetError when a later page carries an opaque token', async () => {
    const read = (after: string | null): Promise<CrmListMemberPage> =>
      Promise.resolve({ members: [member(Number(after ?? 0) + 1)], nextAfter: 'AoJ4AYKaFw==', byRecordId: false });
    await expect(readRanges(read, '5', ['100'], 2, () => Promise.resolve())).rejects.toBeInstanceOf(NotKeysetError);
  });
});
