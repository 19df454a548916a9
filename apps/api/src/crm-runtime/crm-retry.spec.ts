import { describe, expect, it } from '@jest/globals';
import { CrmError } from '@conduit/crm';
import { retryDelay, withCrmRetry, withRetryDeadline } from './crm-retry.js';

const limited = (ms: number) => new CrmError({ kind: 'rate_limited', retryAfterMs: ms, budget: 'ten_secondly' }, { crm: 'hubspot', message: '429' });
const transient = () => new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: 'hubspot', message: '503' });
const invalid = () => new CrmError({ kind: 'validation', fields: [] }, { crm: 'hubspot', message: '400' });
const policy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 500 };

describe('CRM retry policy', () => {
  it('waits the retry-after of a rate limit (bounded), backs off exponentially on transient errors', () => {
    expect(retryDelay(limited(20), 1, policy)).toBe(100);
    expect(retryDelay(limited(10_000), 1, policy)).toBe(500);
    expect([1, 2, 3].map((a) => retryDelay(transient(), a, policy))).toEqual([1, 2, 4]);
  });

  it('never retries errors waiting cannot fix, nor past the last attempt, nor non-CRM errors', () => {
    expect(retryDelay(invalid(), 1, policy)).toBeNull();
    // A daily limit lasts until the reset: no retry storm (HubSpot DAILY, Salesforce TotalRequests).
    expect(retryDelay(new CrmError({ kind: 'rate_limited', retryAfterMs: 5_000, budget: 'daily' }, { crm: 'hubspot', message: '429 DAILY' }), 1, policy)).toBeNull();
    expect(retryDelay(new CrmError({ kind: 'rate_limited', retryAfterMs: 5_000, budget: 'api_daily' }, { crm: 'salesforce', message: 'TotalRequests' }), 1, policy)).toBeNull();
    expect(retryDelay(new CrmError({ kind: 'rate_limited', retryAfterMs: 50, budget: 'secondly' }, { crm: 'hubspot', message: '429 SECONDLY' }), 1, policy)).toBe(100);
    expect(retryDelay(transient(), 4, policy)).toBeNull();
    expect(retryDelay(new Error('bug'), 1, policy)).toBeNull();
  });

  it('retries until the call succeeds, then gives up with the last error', async () => {
    let calls = 0;
    await expect(withCrmRetry(async () => (++calls < 3 ? Promise.reject(transient()) : 'ok'), policy)).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withCrmRetry(async () => { calls++; throw transient(); }, policy)).rejects.toBeInstanceOf(CrmError);
    expect(calls).toBe(4);
  });

  it('gives up instead of waiting past a retry deadline, and only inside it', async () => {
    const slow = { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 5_000 };
    let calls = 0;
    const started = Date.now();
    // 200 + 400 ms of backoff fit in 700 ms; the next 800 ms wait would not.
    await expect(withRetryDeadline(started + 700, () => withCrmRetry(async () => { calls++; throw transient(); }, slow))).rejects.toBeInstanceOf(CrmError);
    expect(calls).toBe(3);
    // It slept 600 ms and gave up: waiting out the 800 ms as well would take 1,400 ms at least (timers never fire early;
    // on a loaded machine they fire late, so the bound is what a third wait would cost, not the deadline itself).
    expect(Date.now() - started).toBeLessThan(1_400);
    await expect(withRetryDeadline(Date.now() + 50, async () => retryDelay(limited(1_000), 1, policy))).resolves.toBeNull();
    expect(retryDelay(limited(1_000), 1, policy)).toBe(500);
  });
});
