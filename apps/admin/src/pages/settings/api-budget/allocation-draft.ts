import type { ApiAllocationDto, ApiBudgetDto, CrmKind, UpdateApiAllocationBody } from '@conduit/contracts';
import { isApiError } from '../../../api/client';
import { formatCount, formatResumeTime } from './budget-format';

/** The allocation form's values as typed: NumberInput hands back '' when a box is empty. */
export interface AllocationDraft {
  dailyShare: number | string;
  windowShare: number | string;
  liveReserveShare: number | string;
  /** Empty: use what the CRM reports. */
  accountDailyLimit: number | string;
}

export type AllocationField = keyof AllocationDraft;
export const ALLOCATION_FIELDS: readonly AllocationField[] = ['dailyShare', 'windowShare', 'liveReserveShare', 'accountDailyLimit'];

const CRM_NAME: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/** The same bounds as the API (PUT /connections/:id/api-allocation), said in words. */
const RULES: Record<AllocationField, { min: number; max: number; message: string }> = {
  dailyShare: { min: 1, max: 100, message: "Enter a whole percentage from 1 to 100: the share of the CRM's daily API calls Conduit may use." },
  windowShare: { min: 1, max: 100, message: 'Enter a whole percentage from 1 to 100: the share of the 10-second window Conduit may use.' },
  liveReserveShare: { min: 0, max: 90, message: "Enter a whole percentage from 0 to 90: the part of Conduit's share kept for live work." },
  accountDailyLimit: { min: 1, max: 1_000_000_000, message: "Enter the account's daily limit as a whole number of calls (at least 1), or leave it empty." },
};

export function toDraft(a: ApiAllocationDto): AllocationDraft {
  return { dailyShare: a.dailyShare, windowShare: a.windowShare, liveReserveShare: a.liveReserveShare, accountDailyLimit: a.accountDailyLimit ?? '' };
}

const isEmpty = (v: number | string) => v === '' || (typeof v === 'string' && v.trim() === '');
/** The number typed (NumberInput may hand back a string while typing: "12.", "1e3"); NaN when it is none. */
const numberOf = (v: number | string) => (typeof v === 'number' ? v : Number(v.replace(/[,\s]/g, '')));

/** What is wrong with each field, in plain words (none: the draft can be saved). */
export function allocationErrors(d: AllocationDraft): Partial<Record<AllocationField, string>> {
  const errors: Partial<Record<AllocationField, string>> = {};
  for (const field of ALLOCATION_FIELDS) {
    const v = d[field];
    if (field === 'accountDailyLimit' && isEmpty(v)) continue;
    const n = numberOf(v);
    const { min, max, message } = RULES[field];
    if (isEmpty(v) || !Number.isInteger(n) || n < min || n > max) errors[field] = message;
  }
  return errors;
}

/** The fields that changed, as the API takes them (an emptied daily limit is sent as null). */
export function allocationBody(d: AllocationDraft, saved: ApiAllocationDto): UpdateApiAllocationBody {
  const body: UpdateApiAllocationBody = {};
  const limit = isEmpty(d.accountDailyLimit) ? null : numberOf(d.accountDailyLimit);
  if (numberOf(d.dailyShare) !== saved.dailyShare) body.dailyShare = numberOf(d.dailyShare);
  if (numberOf(d.windowShare) !== saved.windowShare) body.windowShare = numberOf(d.windowShare);
  if (numberOf(d.liveReserveShare) !== saved.liveReserveShare) body.liveReserveShare = numberOf(d.liveReserveShare);
  if (limit !== saved.accountDailyLimit) body.accountDailyLimit = limit;
  return body;
}

/**
 * A refused save in the form's words: a 400 names the field (the API's message uses its key), so each named field
 * gets its plain sentence; anything else is one line for the form.
 */
export function saveErrors(error: unknown): { fields: Partial<Record<AllocationField, string>>; summary: string | null } {
  if (!isApiError(error) || error.status !== 400 || error.fieldErrors.length === 0) {
    return { fields: {}, summary: error instanceof Error ? error.message : 'The allocation could not be saved.' };
  }
  const fields: Partial<Record<AllocationField, string>> = {};
  const other: string[] = [];
  for (const e of error.fieldErrors) {
    const field = ALLOCATION_FIELDS.find((f) => f === e.field);
    if (field) fields[field] = RULES[field].message;
    else other.push(e.messages.join(' '));
  }
  return { fields, summary: other.length ? other.join(' ') : null };
}

/**
 * What the draft allows in calls a day, with the same rules as the API (allocation.ts): the limit the CRM reports,
 * else the admin's; the share of it rounded down, the live reserve its share of that rounded down, bulk work the
 * rest. Null when no limit is known.
 */
export function allowanceOf(d: AllocationDraft, reportedLimit: number | null): { limit: number; daily: number; reserve: number; bulk: number } | null {
  if (Object.keys(allocationErrors(d)).length > 0) return null;
  const limit = reportedLimit ?? (isEmpty(d.accountDailyLimit) ? null : numberOf(d.accountDailyLimit));
  if (limit === null || limit <= 0) return null;
  const daily = Math.floor((limit * numberOf(d.dailyShare)) / 100);
  const reserve = Math.floor((daily * numberOf(d.liveReserveShare)) / 100);
  return { limit, daily, reserve, bulk: daily - reserve };
}

/** The draft in calls, one sentence; or why it cannot be said in calls. */
export function allowanceSentence(d: AllocationDraft, budget: Pick<ApiBudgetDto, 'crm' | 'dailyLimit' | 'dailyLimitSource'>): string {
  // The limit the CRM reports, when the admin's own figure is not what sets it.
  const reported = budget.dailyLimitSource === 'crm' ? budget.dailyLimit : null;
  const a = allowanceOf(d, reported);
  if (!a) {
    return Object.keys(allocationErrors(d)).length > 0
      ? 'Fix the highlighted values to see what they allow.'
      : `${CRM_NAME[budget.crm]} has not reported the account's daily limit: enter it in "Account's daily limit (calls)" above, or Conduit keeps no daily allocation.`;
  }
  return (
    `Conduit may use ${formatCount(a.daily)} of the account's ${formatCount(a.limit)} calls a day. ` +
    `${formatCount(a.reserve)} of them are kept for live work, so backfills, exports and list syncs pause at ${formatCount(a.bulk)}.`
  );
}

/** When the daily count starts again, by the CRM's rule, with the next reset in the admin's time. */
export function resetSentence(budget: Pick<ApiBudgetDto, 'crm' | 'reset'>, now: Date = new Date()): string {
  const next = formatResumeTime(budget.reset.nextResetAt, now);
  if (budget.reset.rule === 'rolling_24h') {
    return `${CRM_NAME[budget.crm]} counts a rolling 24 hours: each call leaves the count 24 hours after it was made. The oldest calls counted now leave at ${next}.`;
  }
  const zone =
    budget.reset.timeZoneSource === 'account'
      ? `the account's time zone (${budget.reset.timeZone})`
      : `the account's time zone; ${CRM_NAME[budget.crm]} has not told Conduit which it is, so Conduit counts the day in UTC`;
  return `${CRM_NAME[budget.crm]} resets the daily count at midnight in ${zone}. Next reset: ${next}.`;
}
