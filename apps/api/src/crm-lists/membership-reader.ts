import type { CrmListMember, CrmListMemberPage } from '@conduit/crm';

/**
 * Membership ranges read at once when the CRM pages by record id. A page takes one CRM round trip (≈ 250 ms at
 * HubSpot's median, 750 ms on a slow day); to keep the connection's window full (95 calls / 10 s) about
 * rate × latency pages must be in flight: 3 at the median, 8 or more with the tail or a slow CRM. This is the most;
 * the connection's adaptive in-flight limit (crm-runtime/in-flight-limiter.ts) decides how many run, and the shared
 * rate budget paces each request.
 */
export const MEMBERSHIP_LANES = 16;

/**
 * Pages per range. The membership is cut into many small ranges that the lanes take one after another, so lanes
 * finish together: with one range per lane, the slowest lane's last pages ran alone at one round trip per page.
 */
export const PAGES_PER_RANGE = 4;

/**
 * A range holds this share fewer members (known at the last sync) than PAGES_PER_RANGE full pages, so the few that
 * join inside it before the next sync (1 % churn is ≈ 10 per range) do not spill into one more page; a range's reads
 * end at its last known member, so it costs no read beyond its own pages.
 */
const RANGE_MARGIN = 0.03;

export type ReadPage = (after: string | null) => Promise<CrmListMemberPage>;

/** A lane's page came back out of record-id order: the CRM's paging is not what `byRecordId` promised. */
export class NotKeysetError extends Error {}

/** Numeric record ids compare as numbers (HubSpot sorts them so); anything else as text. */
export function compareRecordIds(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Record ids that cut `known` (record ids of the list's members at its last sync, in compareRecordIds order) after
 * `after` into ranges of about `pagesPerRange` pages each; none when the rest of the list is a single range.
 */
export function splitPoints(known: readonly string[], after: string, pageSize: number, pagesPerRange = PAGES_PER_RANGE): string[] {
  const rest = known.filter((id) => compareRecordIds(id, after) > 0);
  const size = Math.max(1, Math.floor(pagesPerRange * pageSize * (1 - RANGE_MARGIN)));
  const out: string[] = [];
  for (let i = size - 1; i < rest.length - 1; i += size) out.push(rest[i]!);
  return out;
}

/**
 * Reads the ranges (after, s1], (s1, s2], …, (sk, end) of a membership paged by record id with `lanes` reads at once,
 * each lane taking the next range when it finishes one. A lane pages with the CRM's own tokens and stops at its
 * range's last id (or the first record past it: the rest of that page belongs to the next range). Every page is
 * checked — ascending and after where the lane stands — or it throws NotKeysetError (the caller then reads the
 * membership one page after another). Members come back in record-id order.
 */
export async function readRanges(
  read: ReadPage,
  after: string,
  splits: readonly string[],
  lanes: number,
  onPage: (members: CrmListMember[]) => Promise<void>,
): Promise<CrmListMember[]> {
  const starts = [after, ...splits];
  const results: CrmListMember[][] = starts.map(() => []);
  let next = 0;
  let failed = false;
  const readRange = async (i: number): Promise<void> => {
    const end = splits[i] ?? null;
    let cursor: string | null = starts[i]!;
    while (cursor !== null && !failed) {
      const page = await read(cursor);
      let previous = cursor;
      let done = false;
      const mine: CrmListMember[] = [];
      for (const m of page.members) {
        if (compareRecordIds(m.recordId, previous) <= 0) throw new NotKeysetError(`membership page after ${cursor} is not in record-id order (${m.recordId} after ${previous})`);
        previous = m.recordId;
        const vsEnd = end === null ? -1 : compareRecordIds(m.recordId, end);
        if (vsEnd > 0) {
          done = true;
          break;
        }
        mine.push(m);
        if (vsEnd === 0) {
          done = true;
          break;
        }
      }
      results[i]!.push(...mine);
      if (mine.length) await onPage(mine);
      if (done || !page.nextAfter) break;
      if (page.byRecordId !== true) throw new NotKeysetError(`membership page after ${cursor} has an opaque paging token`);
      cursor = page.nextAfter;
    }
  };
  const lane = async (): Promise<void> => {
    while (next < starts.length && !failed) {
      try {
        await readRange(next++);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  // Every lane settles before anything throws: no read of ours is still running when the caller moves on.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(lanes, starts.length) }, () => lane()));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results.flat();
}
