import { describe, expect, it } from '@jest/globals';
import { CrmError, type CrmWriteResult } from '@conduit/crm';
import { writeSettled } from './export-retry.js';

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 };
const transient = () => new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: 'hubspot', message: '503', status: 503 });
const invalid = () => new CrmError({ kind: 'validation', fields: [{ field: 'x', code: 'INVALID', message: 'bad x' }] }, { crm: 'hubspot', message: 'bad', status: 400 });
const ok = (index: number, id: string): CrmWriteResult => ({ index, ok: true, id, object: 'contact', created: true });

describe('writeSettled', () => {
  it('retries only the records that failed for a retryable reason', async () => {
    const calls: string[][] = [];
    const out = await writeSettled(
      ['a', 'b', 'c'],
      async (pending) => {
        calls.push(pending);
        return pending.map((p, i): CrmWriteResult => (p === 'b' && calls.length === 1 ? { index: i, ok: false, error: transient() } : p === 'c' ? { index: i, ok: false, error: invalid() } : ok(i, `id-${p}`)));
      },
      undefined,
      fast,
    );
    expect(calls).toEqual([['a', 'b', 'c'], ['b']]);
    expect(out.map((s) => [s.input, s.result.ok])).toEqual([['a', true], ['c', false], ['b', true]]);
  });

  it('retries a whole-call transient failure, asking beforeRetry which records still need sending', async () => {
    let n = 0;
    const out = await writeSettled(
      ['a', 'b'],
      async (pending) => {
        n++;
        if (n === 1) throw transient();
        return pending.map((p, i) => ok(i, `id-${p}`));
      },
      async (pending) => ({ retry: pending.filter((p) => p !== 'a'), settled: [{ input: 'a', result: ok(0, 'found-a') }] }),
      fast,
    );
    expect(out.map((s) => (s.result.ok ? s.result.id : null))).toEqual(['found-a', 'id-b']);
  });

  it('throws after the last attempt, and at once for a non-retryable whole-call failure', async () => {
    await expect(writeSettled(['a'], () => Promise.reject(transient()), undefined, fast)).rejects.toThrow('503');
    let calls = 0;
    await expect(
      writeSettled(['a'], () => {
        calls++;
        return Promise.reject(invalid());
      }, undefined, fast),
    ).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });
});
