import { AsyncLocalStorage } from 'node:async_hooks';
import { CrmError } from '@conduit/crm';
import { currentSlowdownMeter } from './run-slowdown.js';

export interface RetryPolicy {
  /** Attempts for transient failures (5xx, timeouts, dropped connections) and rate limits together. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 250, maxDelayMs: 30_000 };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * After a failed CRM call: waits before the next attempt and answers true, or answers false when `error` must not be
 * retried here (the caller throws it). The run being worked on, if any, counts the 429, the retry and the wait
 * (run-slowdown.ts: "Slowed by 37 s: 12 throttled calls (429) retried").
 */
export async function waitToRetry(error: unknown, attempt: number, policy: RetryPolicy = DEFAULT_RETRY): Promise<boolean> {
  const meter = currentSlowdownMeter();
  meter?.noteFailure(error);
  const delay = retryDelay(error, attempt, policy);
  if (delay === null) return false;
  await (meter ? meter.retryAfter(delay) : sleep(delay));
  return true;
}

/** The time (epoch ms) after which no retry may start, for the work running inside `withRetryDeadline`. */
const deadlines = new AsyncLocalStorage<number>();

/**
 * Runs `work` with a retry deadline: every CRM retry inside it (withCrmRetry, and any caller of retryDelay) gives up
 * rather than wait past `at`, so the last error throws in time. A person waiting on a push gets the CRM's answer
 * within seconds instead of after a backfill's minutes of backoff.
 */
export function withRetryDeadline<T>(at: number, work: () => Promise<T>): Promise<T> {
  return deadlines.run(at, work);
}

/** How long to wait before retrying after `error`, or null when it must not be retried here. */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy = DEFAULT_RETRY): number | null {
  const delay = delayFor(error, attempt, policy);
  const deadline = deadlines.getStore();
  if (delay !== null && deadline !== undefined && Date.now() + delay > deadline) return null;
  return delay;
}

function delayFor(error: unknown, attempt: number, policy: RetryPolicy): number | null {
  if (!(error instanceof CrmError) || attempt >= policy.maxAttempts) return null;
  switch (error.details.kind) {
    case 'rate_limited':
      // The daily limit (HubSpot DAILY, Salesforce TotalRequests) holds until the reset: every retry would be refused
      // too. The caller pauses its run instead (ApiBudgetService.pauseFor).
      if (error.details.budget === 'daily' || error.details.budget === 'api_daily') return null;
      // The CRM says when: wait exactly that (Retry-After / the rolling window), never hammer it.
      return Math.min(Math.max(error.details.retryAfterMs, 100), policy.maxDelayMs);
    case 'transient':
      return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
    // Not fixed by waiting: auth is the refresh hook's job, the rest are about the request or the record.
    case 'auth_expired':
    case 'auth_revoked':
    case 'permission_denied':
    case 'validation':
    case 'duplicate':
    case 'not_found':
      return null;
  }
}

/**
 * Runs one CRM call, retrying rate limits (after the CRM's retry-after) and transient failures (exponential
 * backoff) in place, so a long backfill does not spend its job attempts on a 429. Anything else, and the last
 * failure, throws: the job fails and Bull retries it from the last checkpoint.
 */
export async function withCrmRetry<T>(call: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(await waitToRetry(err, attempt, policy))) throw err;
    }
  }
}
