import type { CrmKind } from '@conduit/crm';
import type { Reading } from './api-budget.view.js';
import { hourOf, startOfDay } from './daily-reset.js';

/**
 * The span within which the CRM-reported usage can only grow, so a lower figure is an older answer arriving late:
 * - HubSpot: the account's day (its count only goes back to 0 at midnight in the account's zone);
 * - Salesforce: its count is a rolling 24 hours, so it also falls as old calls leave it — but by at most the calls of
 *   one hour 24 hours ago within an hour. Within the UTC hour the highest figure is kept (an overcount of what left the
 *   day in that hour: the safe side), and the first reading of the next hour starts afresh.
 */
export function readingWindowStart(crm: CrmKind, at: Date, timeZone: string): Date {
  switch (crm) {
    case 'hubspot':
      return startOfDay(at, timeZone);
    case 'salesforce':
      return hourOf(at);
  }
}

/**
 * The account's usage after an answer carrying `next` came back (at or after `current` was taken), given the current
 * reading (#17). Answers of calls made at once come back in any order: a call sent before another may answer after it
 * with the lower count the CRM had when it handled it. Within a window (`windowStart`, from readingWindowStart at
 * `next.at`) the count never goes down, so a lower figure there is kept out (null: the current reading stands). A new
 * limit (`max` changed) or a new window takes the answer as it is.
 */
export function mergeReading(current: Reading | null, next: Reading, windowStart: Date): Reading | null {
  if (!current || current.at < windowStart || current.max !== next.max || next.used >= current.used) return next;
  return null;
}

/** The current figure from several readings taken in any order (this process's and the one stored by any process). */
export function currentReading(readings: ReadonlyArray<Reading | null>, windowStartAt: (at: Date) => Date): Reading | null {
  let current: Reading | null = null;
  for (const r of readings.filter((x): x is Reading => x !== null).sort((a, b) => a.at.getTime() - b.at.getTime())) {
    current = mergeReading(current, r, windowStartAt(r.at)) ?? current;
  }
  return current;
}

/** A stored reading with the window it was taken in. */
export interface WindowedReading {
  used: number;
  max: number;
  reportedAt: Date;
  windowStart: Date;
}

/**
 * Whether `next` replaces `kept` when both are stored for the same hour (in a process before its flush, and in
 * crm_api_reported, whose upsert says the same in SQL): a later window always, an earlier one never, the same window
 * when the limit changed or the count did not go down.
 */
export function supersedes(next: WindowedReading, kept: WindowedReading): boolean {
  const a = next.windowStart.getTime();
  const b = kept.windowStart.getTime();
  if (a !== b) return a > b;
  return next.max !== kept.max || next.used >= kept.used;
}
