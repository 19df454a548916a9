import { describe, expect, it } from '@jest/globals';
import { chunk, dedupeByKey, writeInBatches } from './batching.js';
import type { CrmWriteResult } from './contract.js';
import { CrmError } from './errors.js';

const validation = (msg = 'bad'): CrmError =>
  new CrmError({ kind: 'validation', fields: [{ field: 'email', code: 'INVALID_EMAIL', message: msg }] }, { crm: 'hubspot', message: msg });
const rateLimited = (): CrmError => new CrmError({ kind: 'rate_limited', budget: 'ten_secondly', retryAfterMs: 1000 }, { crm: 'hubspot', message: '429' });

describe('chunk', () => {
  it('splits into consecutive chunks of at most size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 100)).toEqual([]);
    expect(chunk(Array.from({ length: 250 }, (_, i) => i), 100).map((c) => c.length)).toEqual([100, 100, 50]);
  });
  it('refuses a size that is not a positive integer', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });
});

describe('writeInBatches', () => {
  const okAll = (items: Array<{ index: number; input: string }>): CrmWriteResult[] =>
    items.map((it) => ({ index: it.index, ok: true, id: `id-${it.input}`, object: 'contact', created: true }));

  it('sends chunks of the given size and returns results in input order', async () => {
    const sizes: number[] = [];
    const inputs = Array.from({ length: 230 }, (_, i) => `r${i}`);
    const res = await writeInBatches(inputs, {
      crm: 'hubspot',
      size: 100,
      isolate: true,
      send: async (items) => {
        sizes.push(items.length);
        return okAll(items).reverse();
      },
    });
    expect(sizes).toEqual([100, 100, 30]);
    expect(res.map((r) => r.index)).toEqual(inputs.map((_, i) => i));
    expect(res[229]).toMatchObject({ ok: true, id: 'id-r229' });
  });

  it('isolates the bad record of a chunk refused as a whole; the good ones are written', async () => {
    let calls = 0;
    const res = await writeInBatches(['a', 'b', 'BAD', 'd', 'e'], {
      crm: 'hubspot',
      size: 100,
      isolate: true,
      send: async (items) => {
        calls += 1;
        if (items.some((i) => i.input === 'BAD')) throw validation('BAD is invalid');
        return okAll(items);
      },
    });
    expect(res.filter((r) => r.ok)).toHaveLength(4);
    const bad = res[2];
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) expect(bad.error.details).toEqual({ kind: 'validation', fields: [{ field: 'email', code: 'INVALID_EMAIL', message: 'BAD is invalid' }] });
    expect(calls).toBeGreaterThan(2);
  });

  it('does not split when isolate is off (per-record CRMs)', async () => {
    let calls = 0;
    const res = await writeInBatches(['a', 'b'], {
      crm: 'salesforce',
      size: 200,
      isolate: false,
      send: async () => {
        calls += 1;
        throw validation();
      },
    });
    expect(calls).toBe(1);
    expect(res.every((r) => !r.ok)).toBe(true);
  });

  it('throws a fatal error when nothing was written yet', async () => {
    await expect(
      writeInBatches(['a', 'b'], { crm: 'hubspot', size: 1, isolate: true, send: async () => Promise.reject(rateLimited()) }),
    ).rejects.toMatchObject({ kind: 'rate_limited' });
  });

  it('after a partial success, a fatal error becomes the result of every record not written', async () => {
    let n = 0;
    const res = await writeInBatches(['a', 'b', 'c'], {
      crm: 'hubspot',
      size: 1,
      isolate: true,
      send: async (items) => {
        n += 1;
        if (n === 2) throw rateLimited();
        return okAll(items);
      },
    });
    expect(n).toBe(2); // stops calling after the fatal error
    expect(res[0]).toMatchObject({ ok: true, id: 'id-a' });
    expect(res[1]).toMatchObject({ ok: false });
    expect(res[2]).toMatchObject({ ok: false });
    const third = res[2];
    if (third && !third.ok) expect(third.error.kind).toBe('rate_limited');
  });

  it('reports an item the CRM returned nothing for instead of dropping it', async () => {
    const res = await writeInBatches(['a', 'b'], {
      crm: 'salesforce',
      size: 10,
      isolate: false,
      send: async (items) => okAll(items.slice(0, 1)),
    });
    expect(res[1]).toMatchObject({ ok: false });
  });

  it('rethrows errors that are not CRM errors (bugs are not records)', async () => {
    await expect(writeInBatches(['a'], { crm: 'hubspot', size: 1, isolate: true, send: async () => Promise.reject(new TypeError('boom')) })).rejects.toThrow(TypeError);
  });
});

describe('dedupeByKey', () => {
  it('merges inputs with the same key into one write and gives each its result', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const inputs: Array<{ email: string; properties: Record<string, string> }> = [
        { email: 'a@x.example', properties: { firstname: 'A', jobtitle: 'CEO' } },
        { email: 'b@x.example', properties: { firstname: 'B' } },
        { email: 'A@x.example', properties: { firstname: 'Ann' } },
    ];
    const res = await dedupeByKey(
      'hubspot',
      inputs,
      (i) => i.email.toLowerCase(),
      async (unique) => {
        seen.push(...unique.map((u) => u.properties));
        return unique.map((_, index) => ({ index, ok: true as const, id: `id${index}`, object: 'contact' as const, created: null }));
      },
    );
    expect(seen).toEqual([{ firstname: 'Ann', jobtitle: 'CEO' }, { firstname: 'B' }]);
    expect(res).toEqual([
      { index: 0, ok: true, id: 'id0', object: 'contact', created: null },
      { index: 1, ok: true, id: 'id1', object: 'contact', created: null },
      { index: 2, ok: true, id: 'id0', object: 'contact', created: null },
    ]);
  });
});
