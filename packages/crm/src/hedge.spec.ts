import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { HedgeDelay, hedged } from './hedge.js';

/** A call whose answers are scripted: each invocation takes the next { ms, value | error }. */
function scripted<T>(answers: Array<{ ms: number; value?: T; error?: Error }>) {
  let n = 0;
  const call = jest.fn((started: () => void) => {
    started();
    const a = answers[n++];
    if (!a) throw new Error('called more often than scripted');
    return new Promise<T>((resolve, reject) => setTimeout(() => (a.error ? reject(a.error) : resolve(a.value as T)), a.ms));
  });
  return call;
}

describe('hedged', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('does not hedge a call that answers before the delay', async () => {
    const call = scripted([{ ms: 900, value: 'a' }]);
    const onHedge = jest.fn();
    const p = hedged(call, 1_000, onHedge);
    await jest.advanceTimersByTimeAsync(900);
    await expect(p).resolves.toBe('a');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(call).toHaveBeenCalledTimes(1);
    expect(onHedge).not.toHaveBeenCalled();
  });

  it('sends the call again after the delay and takes the first answer', async () => {
    const call = scripted([{ ms: 20_000, value: 'slow' }, { ms: 500, value: 'fast' }]);
    const onHedge = jest.fn();
    const p = hedged(call, 1_000, onHedge);
    await jest.advanceTimersByTimeAsync(1_500);
    await expect(p).resolves.toBe('fast');
    expect(call).toHaveBeenCalledTimes(2);
    expect(onHedge).toHaveBeenCalledTimes(1);
  });

  it('keeps the first call when it still answers first', async () => {
    const call = scripted([{ ms: 1_200, value: 'first' }, { ms: 5_000, value: 'second' }]);
    const p = hedged(call, 1_000);
    await jest.advanceTimersByTimeAsync(1_200);
    await expect(p).resolves.toBe('first');
  });

  it('fails at once when the call fails before the delay, and never sends the hedge', async () => {
    const call = scripted<string>([{ ms: 100, error: new Error('boom') }]);
    const p = hedged(call, 1_000);
    const seen = expect(p).rejects.toThrow('boom');
    await jest.advanceTimersByTimeAsync(100);
    await seen;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('waits for the hedge when the first call fails after it started', async () => {
    const call = scripted([{ ms: 1_500, error: new Error('first failed') }, { ms: 1_000, value: 'hedge' }]);
    const p = hedged(call, 1_000);
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(p).resolves.toBe('hedge');
  });

  it('counts the delay from when the call really starts, not from a wait for a slot', async () => {
    let release!: () => void;
    const slot = new Promise<void>((r) => (release = r));
    const call = jest.fn(async (started: () => void) => {
      await slot;
      started();
      return new Promise<string>((resolve) => setTimeout(() => resolve('late but not slow'), 800));
    });
    const p = hedged(call, 1_000);
    await jest.advanceTimersByTimeAsync(5_000); // waiting for a slot
    expect(call).toHaveBeenCalledTimes(1);
    release();
    await jest.advanceTimersByTimeAsync(800);
    await expect(p).resolves.toBe('late but not slow');
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('fails with the first failure when both fail', async () => {
    const call = scripted<string>([{ ms: 1_500, error: new Error('first failed') }, { ms: 1_000, error: new Error('second failed') }]);
    const p = hedged(call, 1_000);
    const seen = expect(p).rejects.toThrow('first failed');
    await jest.advanceTimersByTimeAsync(2_000);
    await seen;
  });
});

describe('HedgeDelay', () => {
  it('uses the initial delay until enough answers are in', () => {
    const d = new HedgeDelay({ initialMs: 5_000, minMs: 2_000, factor: 2.5 });
    expect(d.delayMs()).toBe(5_000);
    d.observe(1_000);
    d.observe(1_000);
    expect(d.delayMs()).toBe(5_000);
  });

  it('hedges at factor × the median of recent answers, not below the minimum', () => {
    const d = new HedgeDelay({ initialMs: 5_000, minMs: 2_000, factor: 2.5 });
    for (const ms of [1_000, 3_000, 2_000, 40_000]) d.observe(ms);
    expect(d.delayMs()).toBe(6_250); // median 2,500: a 40-s outlier does not move it much
    const fast = new HedgeDelay({ initialMs: 5_000, minMs: 2_000, factor: 2.5 });
    for (const ms of [10, 20, 30]) fast.observe(ms);
    expect(fast.delayMs()).toBe(2_000);
  });

  it('forgets answers outside its window and ignores nonsense', () => {
    const d = new HedgeDelay({ initialMs: 5_000, minMs: 0, factor: 1, minSamples: 1, window: 2 });
    d.observe(Number.NaN);
    d.observe(-5);
    expect(d.delayMs()).toBe(5_000);
    d.observe(100);
    d.observe(200);
    d.observe(300);
    expect(d.delayMs()).toBe(250);
  });
});
