import { CrmError, type CrmWriteResult } from '@conduit/crm';
import { DEFAULT_RETRY, type RetryPolicy, waitToRetry } from '../crm-runtime/crm-retry.js';

export interface Settled<I> {
  input: I;
  result: CrmWriteResult;
}

/**
 * Sends a batch write and retries, with the sync engine's backoff, the records that failed for a retryable
 * reason (rate limit, 5xx, timeout) — a whole-call failure counts for every record. Records that failed for
 * any other reason are returned as they are (validation goes to Needs attention, duplicates get linked).
 * `beforeRetry` may take records out of the retry (e.g. a create that did land: found by email) and settle them.
 * After the last attempt the error throws, so the job fails and Bull retries it later.
 */
export async function writeSettled<I>(
  inputs: readonly I[],
  send: (pending: I[]) => Promise<CrmWriteResult[]>,
  beforeRetry?: (pending: I[]) => Promise<{ retry: I[]; settled: Settled<I>[] }>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<Settled<I>[]> {
  const done: Settled<I>[] = [];
  let pending = [...inputs];
  for (let attempt = 1; pending.length > 0; attempt++) {
    let failure: unknown = null;
    let retry: I[] = [];
    try {
      const results = await send(pending);
      results.forEach((result) => {
        const input = pending[result.index];
        if (input === undefined) return;
        if (!result.ok && result.error.retryable) {
          retry.push(input);
          failure = result.error;
        } else done.push({ input, result });
      });
    } catch (err) {
      if (!(err instanceof CrmError)) throw err;
      failure = err;
      retry = pending;
    }
    if (retry.length === 0) break;
    if (!(await waitToRetry(failure, attempt, policy))) throw failure;
    if (beforeRetry) {
      const checked = await beforeRetry(retry);
      done.push(...checked.settled);
      retry = checked.retry;
    }
    pending = retry;
  }
  return done;
}
