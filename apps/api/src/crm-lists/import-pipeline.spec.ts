import { describe, expect, it } from '@jest/globals';
import type { CrmObjectType } from '@conduit/crm';
import { type ImportOutcome, ImportPipeline } from './import-pipeline.js';

/** An import function whose calls stay open until the test settles them. */
function controlled() {
  const calls: { object: CrmObjectType; ids: string[]; settle: (outcome: ImportOutcome | Error) => void }[] = [];
  const run = (object: CrmObjectType, ids: string[]) =>
    new Promise<ImportOutcome>((resolve, reject) => {
      calls.push({ object, ids, settle: (o) => (o instanceof Error ? reject(o) : resolve(o)) });
    });
  return { calls, run };
}

const outcome = (n: number): ImportOutcome => ({ runId: `run-${n}`, apiCalls: n, imported: n * 10 });
const tick = () => new Promise((r) => setImmediate(r));

describe('ImportPipeline', () => {
  it('imports in chunks per object, skips ids seen before and sums the outcomes', async () => {
    const { calls, run } = controlled();
    const pipeline = new ImportPipeline(run, 2, 5);
    for (const id of ['1', '2', '2', '3']) await pipeline.add('contact', id);
    await pipeline.add('lead', '9');
    expect(calls.map((c) => [c.object, c.ids])).toEqual([['contact', ['1', '2']]]);
    const done = pipeline.finish();
    await tick();
    expect(calls.map((c) => [c.object, c.ids])).toEqual([
      ['contact', ['1', '2']],
      ['contact', ['3']],
      ['lead', ['9']],
    ]);
    calls.forEach((c, i) => c.settle(outcome(i + 1)));
    expect(await done).toEqual({ runIds: ['run-1', 'run-2', 'run-3'], apiCalls: 6, imported: 60 });
  });

  it('holds the reader back while the chunks in flight are at the limit', async () => {
    const { calls, run } = controlled();
    const pipeline = new ImportPipeline(run, 1, 2);
    await pipeline.add('contact', 'a');
    await pipeline.add('contact', 'b');
    let third = false;
    const adding = pipeline.add('contact', 'c').then(() => (third = true));
    await tick();
    expect(calls).toHaveLength(2);
    expect(third).toBe(false);
    calls[0]!.settle(outcome(1));
    await adding;
    expect(calls).toHaveLength(3);
    calls[1]!.settle(outcome(2));
    calls[2]!.settle(outcome(3));
    expect((await pipeline.finish()).runIds).toEqual(['run-1', 'run-2', 'run-3']);
  });

  it('starts a small chunk at once when no import is running, and waits for a full one while one is', async () => {
    const { calls, run } = controlled();
    const pipeline = new ImportPipeline(run, 5, 2, 2);
    await pipeline.add('contact', 'a');
    expect(calls).toHaveLength(0);
    await pipeline.add('contact', 'b');
    expect(calls.map((c) => c.ids)).toEqual([['a', 'b']]);
    for (const id of ['c', 'd', 'e', 'f']) await pipeline.add('contact', id);
    expect(calls).toHaveLength(1);
    await pipeline.add('contact', 'g');
    expect(calls.map((c) => c.ids)).toEqual([['a', 'b'], ['c', 'd', 'e', 'f', 'g']]);
    calls.forEach((c, i) => c.settle(outcome(i + 1)));
    expect((await pipeline.finish()).runIds).toEqual(['run-1', 'run-2']);
  });

  it('throws the first failure from the next add or from finish, after the chunks in flight settle', async () => {
    const { calls, run } = controlled();
    const pipeline = new ImportPipeline(run, 1, 2);
    await pipeline.add('contact', 'a');
    await pipeline.add('contact', 'b');
    calls[0]!.settle(new Error('batch read failed'));
    await tick();
    await expect(pipeline.add('contact', 'c')).rejects.toThrow('batch read failed');
    const finishing = pipeline.finish();
    calls[1]!.settle(outcome(2));
    await expect(finishing).rejects.toThrow('batch read failed');
    expect(calls).toHaveLength(2);
  });
});
