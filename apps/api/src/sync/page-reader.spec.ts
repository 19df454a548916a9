import { describe, expect, it } from '@jest/globals';
import type { CrmPage } from '@conduit/crm';
import { cursorPages, PageReader } from './page-reader.js';

/** A fake CRM cursor sequence: page i holds `size` records and points at i+1, the last has no more. */
function pages(count: number, size: number) {
  const calls: (string | null)[] = [];
  const fetch = async (cursor: string | null): Promise<CrmPage> => {
    calls.push(cursor);
    const i = cursor === null ? 0 : Number(cursor);
    await new Promise((r) => setTimeout(r, 1));
    return {
      records: Array.from({ length: size }, (_, k) => ({ id: `${i}-${k}`, object: 'contact' as const, properties: {}, updatedAt: '' })),
      nextCursor: String(i + 1),
      hasMore: i + 1 < count,
    };
  };
  return { fetch, calls };
}

/** Waits (without a wall-clock bound on the machine's speed) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('PageReader', () => {
  it('hands over every page once, in order, batching what was read ahead up to the record limit', async () => {
    const { fetch, calls } = pages(10, 3);
    const reader = new PageReader(cursorPages(fetch, null), 20);
    await until(() => calls.length === 10); // let it read everything ahead
    await new Promise((r) => setTimeout(r, 10));
    const batches: string[][] = [];
    for (let b = await reader.next(7); b; b = await reader.next(7)) batches.push(b.flatMap((p) => p.records.map((r) => r.id)));
    expect(batches.flat()).toEqual(Array.from({ length: 10 }, (_, i) => [0, 1, 2].map((k) => `${i}-${k}`)).flat());
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(7);
    expect(batches[0]!.length).toBe(6);
  });

  it('starts from the checkpoint cursor and reads at most maxAhead pages ahead', async () => {
    const { fetch, calls } = pages(50, 1);
    const reader = new PageReader(cursorPages(fetch, '40'), 3);
    await until(() => calls.length >= 3);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toEqual(['40', '41', '42']);
    expect((await reader.next(100))!.map((p) => p.nextCursor)).toEqual(['41', '42', '43']);
    reader.stop();
  });

  it('reads at most maxAheadRecords records ahead', async () => {
    const { fetch, calls } = pages(50, 10);
    const reader = new PageReader(cursorPages(fetch, null), 100, 25);
    await until(() => calls.length >= 3);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toEqual([null, '1', '2']); // 30 records buffered ≥ 25
    expect((await reader.next(20))!.map((p) => p.nextCursor)).toEqual(['1', '2']);
    await until(() => calls.length >= 5);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toHaveLength(5); // 10 left + 2 more pages = 30 ≥ 25
    reader.stop();
  });

  it('surfaces a read failure after the pages read before it', async () => {
    let n = 0;
    const reader = new PageReader(
      cursorPages(async () => {
        if (n++ === 1) throw new Error('CRM down');
        return { records: [], nextCursor: 'x', hasMore: true };
      }, null),
    );
    await until(() => n >= 2);
    await new Promise((r) => setTimeout(r, 5));
    expect(await reader.next(10)).toHaveLength(1);
    await expect(reader.next(10)).rejects.toThrow('CRM down');
  });
});
