import type { ApiWorkClass } from '@conduit/contracts';

/** An admin's allocation of a connection (columns of crm_connection). */
export interface Allocation {
  /** Percent of the account's daily limit Conduit may use (1–100). */
  dailyShare: number;
  /** Percent of the allocation kept for live work (0–90). */
  liveReserveShare: number;
  /** The account's daily limit as the admin gave it, for CRMs that do not report one. */
  accountDailyLimit: number | null;
}

export const DEFAULT_ALLOCATION = { dailyShare: 50, windowShare: 95, liveReserveShare: 10 } as const;

/** Conduit's calls for the day: all of it, the part bulk work may use, and the live reserve on top of bulk's part. */
export interface Allowance {
  daily: number;
  bulk: number;
  reserve: number;
}

/** What the CRM reported for the whole account in the current day. */
export interface AccountReading {
  used: number;
  max: number;
}

/**
 * The account's daily limit the allocation is a share of: what the CRM reports, else what the admin entered, else
 * unknown (HubSpot OAuth apps get no daily headers) — then nothing is enforced.
 */
export function dailyLimitOf(allocation: Allocation, reported: AccountReading | null): { limit: number; source: 'crm' | 'admin' } | null {
  if (reported && reported.max > 0) return { limit: reported.max, source: 'crm' };
  if (allocation.accountDailyLimit !== null && allocation.accountDailyLimit > 0) return { limit: allocation.accountDailyLimit, source: 'admin' };
  return null;
}

/** dailyShare % of the limit (rounded down), the reserve its liveReserveShare % (rounded down), bulk the rest. */
export function allowanceOf(allocation: Allocation, dailyLimit: number): Allowance {
  const daily = Math.floor((dailyLimit * allocation.dailyShare) / 100);
  const reserve = Math.floor((daily * allocation.liveReserveShare) / 100);
  return { daily, bulk: daily - reserve, reserve };
}

/**
 * Calls left today for each class of work.
 * - Conduit's own count: bulk may go up to `allowance.bulk`, live up to `allowance.daily` (bulk's part and the reserve).
 * - The account: other integrations spend the same daily limit. Whatever they spent is counted here: bulk work never
 *   takes the account's last `reserve` calls (so live work still has them), live work stops at the account's limit.
 *   `accountRemaining` is the CRM's latest figure less the calls Conduit made since that reading.
 */
export function remainingOf(allowance: Allowance, conduitUsed: number, accountRemaining: number | null): { bulk: number; live: number } {
  const ownBulk = allowance.bulk - conduitUsed;
  const ownLive = allowance.daily - conduitUsed;
  const account = accountRemaining ?? Number.POSITIVE_INFINITY;
  return { bulk: Math.max(0, Math.min(ownBulk, account - allowance.reserve)), live: Math.max(0, Math.min(ownLive, account)) };
}

/** Whether a call of `cost` for work of `work` fits what is left. */
export function admits(remaining: { bulk: number; live: number }, work: ApiWorkClass, cost: number): boolean {
  return (work === 'bulk' ? remaining.bulk : remaining.live) >= cost;
}

/** The window pace for a CRM window of `crmMax` calls at `windowShare` percent (at least 1 call). */
export function windowMaxOf(crmMax: number, windowShare: number): number {
  return Math.max(1, Math.floor((crmMax * windowShare) / 100));
}
