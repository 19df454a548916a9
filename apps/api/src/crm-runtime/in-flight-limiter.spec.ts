import { describe, expect, it } from '@jest/globals';
import { CrmError } from '@conduit/crm';
import { InFlightLimiter, noteCrmRequest } from './in-flight-limiter.js';

const limited = () => new CrmError({ kind: 'rate_limited', retryAfterMs: 100, budget: 'ten_secondly' }, { crm: 'hubspot', message: '429' });

/** A limiter on a clock the test moves, and calls the test answers one by one. */
function rig(limits: ConstructorParameters<typeof InFlightLimiter>[0] = {}) {
  let now = 0;
  const limiter = new InFlightLimiter({ ...limits, now: () => now });
  const pending: { resolve: () => void; reject: (e: unknown) => void; started: number }[] = [];
  let peak = 0;
  /** Starts n calls; each settles (answered or failed) without the test awaiting it. */
  const call = () =>
    new Promise<void>((resolve, reject) => {
      noteCrmRequest(0); // one CRM request, which did not wait for the budget
      pending.push({ resolve, reject, started: now });
      peak = Math.max(peak, limiter.state().inFlight);
    });
  /** Starts n calls; each settles (answered or failed) without the test awaiting it. */
  const start = (n: number): void => {
    for (let i = 0; i < n; i++) void limiter.run(call).catch(() => 'failed');
  };
  const flush = () => new Promise((r) => setImmediate(r));
  /** Answers the oldest running call after `ms` of latency (ok, or with `error`). */
  const answer = async (ms: number, error?: unknown) => {
    const call = pending.shift();
    if (!call) throw new Error('no call in flight');
    now = Math.max(now, call.started + ms);
    if (error === undefined) call.resolve();
    else call.reject(error);
    await flush();
  };
  return { limiter, start, answer, flush, pending, peak: () => peak };
}

describe('InFlightLimiter (AIMD)', () => {
  it('starts at its initial limit and grows by about one per round while calls answer at a steady latency', async () => {
    const { limiter, start, answer, flush, pending } = rig({ initial: 4, max: 64 });
    start(200);
    await flush();
    expect(pending).toHaveLength(4);
    expect(limiter.state().waiting).toBe(196);
    for (let i = 0; i < 4; i++) await answer(200);
    expect(limiter.limit).toBe(4); // 4 + 4 × ~1/4.x: just under 5
    for (let i = 0; i < 5; i++) await answer(200);
    expect(limiter.limit).toBe(5);
    for (let i = 0; i < 100; i++) await answer(200);
    // 109 answers in rounds of 4, 5, 6, …: about 13 rounds.
    expect(limiter.limit).toBeGreaterThanOrEqual(13);
    expect(limiter.limit).toBeLessThanOrEqual(15);
    expect(pending).toHaveLength(limiter.limit);
    expect(limiter.state().decreases).toBe(0);
  });

  it('halves on a 429, once for the whole round of calls in flight', async () => {
    const { limiter, start, answer, flush, pending } = rig({ initial: 16, max: 64 });
    start(40);
    await flush();
    expect(pending).toHaveLength(16);
    await answer(100, limited());
    expect(limiter.limit).toBe(8);
    // The rest of the round carries the same news: no second halving.
    await answer(100, limited());
    await answer(100, limited());
    expect(limiter.limit).toBe(8);
    expect(limiter.state().decreases).toBe(1);
    // Calls already running finish; no new one starts until fewer than 8 run.
    expect(limiter.state().inFlight).toBe(13);
    for (let i = 0; i < 13; i++) await answer(100);
    // Meanwhile the limit grew again (its slots were in use): about +1 per round.
    expect(limiter.limit).toBeLessThanOrEqual(9);
    expect(limiter.state().inFlight).toBe(limiter.limit);
    // A 429 in a later round halves again.
    await answer(100, limited());
    expect(limiter.limit).toBe(4);
  });

  it('halves when latency rises well above its baseline (the CRM queues our calls), not on one slow answer', async () => {
    const { limiter, start, answer, flush } = rig({ initial: 8, max: 64 });
    start(300);
    await flush();
    for (let i = 0; i < 40; i++) await answer(200);
    const grown = limiter.limit;
    await answer(2_000); // one slow answer: the smoothed latency moves a tenth of the way
    expect(limiter.limit).toBeGreaterThanOrEqual(grown);
    expect(limiter.state().decreases).toBe(0);
    for (let i = 0; i < 20 && limiter.state().decreases === 0; i++) await answer(1_000);
    expect(limiter.state().decreases).toBe(1);
    expect(limiter.limit).toBeLessThanOrEqual(Math.ceil(grown / 2) + 1);
  });

  it('halves once when the CRM got slower whatever we do, then takes that latency as the new baseline and grows again', async () => {
    const { limiter, start, answer, flush } = rig({ initial: 8, max: 64 });
    start(2_000);
    await flush();
    for (let i = 0; i < 40; i++) await answer(100);
    expect(limiter.state().baselineMs).toBe(100);
    const grown = limiter.limit;
    // Every answer now takes 800 ms, however many calls are in flight (a slower region, a test's injected delay).
    let lowest = grown;
    for (let i = 0; i < 60; i++) {
      await answer(800);
      lowest = Math.min(lowest, limiter.limit);
    }
    expect(limiter.state().decreases).toBe(1);
    expect(limiter.state().baselineMs).toBe(800);
    expect(lowest).toBeLessThanOrEqual(Math.ceil(grown / 2));
    // The halving was a wrong reading: undone, not regrown one call per round of slow answers.
    expect(limiter.limit).toBeGreaterThanOrEqual(grown);
    for (let i = 0; i < 300; i++) await answer(800);
    expect(limiter.state().decreases).toBe(1);
    expect(limiter.limit).toBeGreaterThan(grown);
  });

  it('keeps halving while halving helps: latency that grows with the calls in flight is our queueing', async () => {
    const { limiter, start, answer, flush } = rig({ initial: 2, max: 64 });
    start(3_000);
    await flush();
    // The CRM serves 4 calls at once in 100 ms; more wait in its queue.
    let peak = 0;
    for (let i = 0; i < 1_500; i++) {
      const { inFlight } = limiter.state();
      peak = Math.max(peak, limiter.limit);
      await answer(100 * Math.max(1, inFlight / 4));
    }
    expect(limiter.state().decreases).toBeGreaterThanOrEqual(3);
    // The baseline stays the unqueued latency, and the limit saws around the point where latency reaches the tolerance.
    expect(limiter.state().baselineMs).toBeLessThan(150);
    expect(peak).toBeLessThanOrEqual(14);
    expect(limiter.limit).toBeGreaterThanOrEqual(4);
  });

  it('does not read one very slow answer as overload (a stuck page is what hedging is for)', async () => {
    const { limiter, start, answer, flush } = rig({ initial: 8, max: 64 });
    start(300);
    await flush();
    for (let i = 0; i < 40; i++) await answer(100);
    await answer(12_000);
    expect(limiter.state().decreases).toBe(0);
    expect(limiter.state().latencyMs!).toBeLessThan(200);
  });

  it('times the CRM, not the wait for the rate budget, and does not time calls that made no request', async () => {
    let now = 0;
    const limiter = new InFlightLimiter({ initial: 2, now: () => now });
    const answer = (ms: number, waited: number | null) =>
      limiter.run(async () => {
        if (waited !== null) noteCrmRequest(waited);
        now += ms;
      });
    for (let i = 0; i < 10; i++) await answer(200, 0);
    expect(limiter.state().baselineMs).toBe(200);
    // Calls that waited 2 s for the budget and then took 200 ms: no sign of a slower CRM.
    for (let i = 0; i < 30; i++) await answer(2_200, 2_000);
    expect(limiter.state().decreases).toBe(0);
    expect(Math.round(limiter.state().latencyMs!)).toBe(200);
    // A scheduled function that made no request (an answer from a cache) is not timed.
    for (let i = 0; i < 30; i++) await answer(0, null);
    expect(Math.round(limiter.state().latencyMs!)).toBe(200);
    // The same 2.2 s spent in the CRM itself is overload.
    for (let i = 0; i < 30 && limiter.state().decreases === 0; i++) await answer(2_200, 0);
    expect(limiter.state().decreases).toBe(1);
  });

  it('stays within min and max', async () => {
    const { limiter, start, answer, flush } = rig({ initial: 2, min: 2, max: 6 });
    start(200);
    await flush();
    for (let i = 0; i < 150; i++) await answer(100);
    expect(limiter.limit).toBe(6);
    for (let i = 0; i < 40; i++) await answer(100, limited());
    expect(limiter.limit).toBe(2);
  });

  it('does not grow while its slots are not all in use', async () => {
    const { limiter, start, answer, flush } = rig({ initial: 8 });
    for (let round = 0; round < 50; round++) {
      start(2);
      await flush();
      await answer(100);
      await answer(100);
    }
    expect(limiter.limit).toBe(8);
  });

  it('map: every item once, results in order, never more in flight than the limit', async () => {
    const limiter = new InFlightLimiter({ initial: 3, max: 3 });
    let running = 0;
    let peak = 0;
    const out = await limiter.map(
      Array.from({ length: 25 }, (_, i) => i),
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, (i * 7) % 5));
        running--;
        return i * 2;
      },
    );
    expect(out).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
    expect(peak).toBe(3);
  });

  it('map: the first failure rejects after the running calls settle, and nothing more starts', async () => {
    const limiter = new InFlightLimiter({ initial: 2, max: 2 });
    const started: number[] = [];
    let running = 0;
    await expect(
      limiter.map([0, 1, 2, 3, 4, 5], async (i) => {
        started.push(i);
        running++;
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (i === 1) throw new Error('boom');
        return i;
      }),
    ).rejects.toThrow('boom');
    expect(running).toBe(0);
    expect(started.length).toBeLessThanOrEqual(3);
  });
});
