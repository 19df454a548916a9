import { describe, expect, it } from '@jest/globals';
import { CrmError } from '@conduit/crm';
import { withCrmRetry } from './crm-retry.js';
import { SlowdownMeter, withSlowdownMeter } from './run-slowdown.js';

const limited = (ms: number) => new CrmError({ kind: 'rate_limited', retryAfterMs: ms, budget: 'ten_secondly' }, { crm: 'hubspot', message: '429' });
const transient = () => new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: 'hubspot', message: '503' });
const invalid = () => new CrmError({ kind: 'validation', fields: [] }, { crm: 'hubspot', message: '400' });
const policy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 500 };

/** A call failing with `errors` in turn, then answering. */
function failing(...errors: Error[]): () => Promise<string> {
  return async () => {
    const next = errors.shift();
    if (next) throw next;
    return 'ok';
  };
}

describe('run slowdown meter', () => {
  it('counts the 429s, retries and retry waits of the calls of the run it meters', async () => {
    const meter = new SlowdownMeter();
    await withSlowdownMeter(meter, async () => {
      await withCrmRetry(failing(limited(100), transient()), policy);
      await withCrmRetry(failing(transient()), policy);
    });
    const taken = meter.take();
    expect(taken).toMatchObject({ throttledCalls: 1, retriedCalls: 3, rateWaitMs: 0 });
    // 100 ms Retry-After, then 40 ms and 20 ms of backoff (second and first attempt).
    expect(taken.retryWaitMs).toBeGreaterThanOrEqual(150);
    // Taken: the next take starts from zero.
    expect(meter.take()).toEqual({ throttledCalls: 0, retriedCalls: 0, retryWaitMs: 0, rateWaitMs: 0 });
  });

  it('counts a 429 that is not retried (last attempt) and nothing for errors that are never retried', async () => {
    const meter = new SlowdownMeter();
    await withSlowdownMeter(meter, async () => {
      await expect(withCrmRetry(failing(limited(100), limited(100), limited(100)), policy)).rejects.toBeInstanceOf(CrmError);
      await expect(withCrmRetry(failing(invalid()), policy)).rejects.toBeInstanceOf(CrmError);
    });
    expect(meter.take()).toMatchObject({ throttledCalls: 3, retriedCalls: 2 });
  });

  it('counts waits of calls in flight together once (wall-clock), not once per call', async () => {
    const meter = new SlowdownMeter();
    await withSlowdownMeter(meter, () => Promise.all(Array.from({ length: 10 }, () => withCrmRetry(failing(limited(100)), policy))));
    const taken = meter.take();
    expect(taken).toMatchObject({ throttledCalls: 10, retriedCalls: 10 });
    expect(taken.retryWaitMs).toBeGreaterThanOrEqual(95);
    // Counted once: ten calls' 100 ms each would sum to 1,000 ms (bound kept loose for a loaded machine).
    expect(taken.retryWaitMs).toBeLessThan(900);
  });

  it('counts an open wait up to the take, and the rest of it at the next take; work outside a meter counts nowhere', async () => {
    let now = 0;
    const meter = new SlowdownMeter(() => now);
    let release!: () => void;
    const waiting = meter.pacing(new Promise<void>((r) => (release = r)));
    now = 400;
    expect(meter.take().rateWaitMs).toBe(400);
    now = 700;
    release();
    await waiting;
    expect(meter.take().rateWaitMs).toBe(300);
    await withCrmRetry(failing(limited(1)), policy);
    expect(meter.take()).toEqual({ throttledCalls: 0, retriedCalls: 0, retryWaitMs: 0, rateWaitMs: 0 });
  });
});
