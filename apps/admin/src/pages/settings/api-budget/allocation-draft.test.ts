import type { ApiAllocationDto, ApiBudgetDto } from '@conduit/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/client';
import { allocationBody, allocationErrors, allowanceOf, allowanceSentence, resetSentence, saveErrors, toDraft } from './allocation-draft';
import { pausedLine } from './paused-work';

const SAVED: ApiAllocationDto = { dailyShare: 50, windowShare: 95, liveReserveShare: 10, accountDailyLimit: null, updatedAt: null };
const NOW = new Date(2026, 11, 6, 20, 48);
const MIDNIGHT = new Date(2026, 11, 7, 0, 0);

describe('allocation form', () => {
  it('says what is wrong with each value in plain words, and accepts the defaults and an empty daily limit', () => {
    expect(allocationErrors(toDraft(SAVED))).toEqual({});
    const errors = allocationErrors({ dailyShare: 0, windowShare: 101, liveReserveShare: 95, accountDailyLimit: 0 });
    expect(Object.keys(errors).sort()).toEqual(['accountDailyLimit', 'dailyShare', 'liveReserveShare', 'windowShare']);
    expect(errors.dailyShare).toBe("Enter a whole percentage from 1 to 100: the share of the CRM's daily API calls Conduit may use.");
    expect(errors.liveReserveShare).toMatch(/^Enter a whole percentage from 0 to 90/);
    expect(allocationErrors({ ...toDraft(SAVED), dailyShare: '' }).dailyShare).toMatch(/from 1 to 100/);
    expect(allocationErrors({ ...toDraft(SAVED), dailyShare: '12.5' }).dailyShare).toMatch(/whole percentage/);
    expect(allocationErrors({ ...toDraft(SAVED), liveReserveShare: 0, accountDailyLimit: '250,000' })).toEqual({});
    // Every message is for a person: no field keys.
    for (const message of Object.values(errors)) expect(message).not.toMatch(/Share|accountDailyLimit/);
  });

  it('sends only what changed; an emptied daily limit is sent as null', () => {
    expect(allocationBody(toDraft(SAVED), SAVED)).toEqual({});
    expect(allocationBody({ ...toDraft(SAVED), dailyShare: 40, accountDailyLimit: 250_000 }, SAVED)).toEqual({ dailyShare: 40, accountDailyLimit: 250_000 });
    expect(allocationBody({ ...toDraft(SAVED), accountDailyLimit: '' }, { ...SAVED, accountDailyLimit: 1_000 })).toEqual({ accountDailyLimit: null });
  });

  it('maps a 400 naming the field onto that field, in plain words', () => {
    const refused = new ApiError(400, { statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors: [{ field: 'dailyShare', messages: ['dailyShare must be between 1 and 100'] }] });
    expect(saveErrors(refused)).toEqual({ fields: { dailyShare: expect.stringMatching(/^Enter a whole percentage from 1 to 100/) }, summary: null });
    const other = new ApiError(403, { statusCode: 403, error: 'Forbidden', message: 'Only admins can do this' });
    expect(saveErrors(other)).toEqual({ fields: {}, summary: 'Only admins can do this' });
  });

  it('puts the values in calls with the API’s rounding: the CRM-reported limit first, else the admin’s', () => {
    expect(allowanceOf({ ...toDraft(SAVED), dailyShare: 33 }, 250_001)).toEqual({ limit: 250_001, daily: 82_500, reserve: 8_250, bulk: 74_250 });
    expect(allowanceOf({ ...toDraft(SAVED), accountDailyLimit: 1_000 }, null)).toEqual({ limit: 1_000, daily: 500, reserve: 50, bulk: 450 });
    expect(allowanceOf({ ...toDraft(SAVED), accountDailyLimit: 1_000 }, 2_000)?.limit).toBe(2_000);
    expect(allowanceOf(toDraft(SAVED), null)).toBeNull();
    const budget = { crm: 'hubspot', dailyLimit: 250_000, dailyLimitSource: 'crm' } as const;
    expect(allowanceSentence(toDraft(SAVED), budget)).toBe("Conduit may use 125,000 of the account's 250,000 calls a day. 12,500 of them are kept for live work, so backfills, exports and list syncs pause at 112,500.");
    expect(allowanceSentence(toDraft(SAVED), { crm: 'hubspot', dailyLimit: null, dailyLimitSource: null })).toBe(
      'HubSpot has not reported the account\'s daily limit: enter it in "Account\'s daily limit (calls)" above, or Conduit keeps no daily allocation.',
    );
    expect(allowanceSentence({ ...toDraft(SAVED), dailyShare: 0 }, budget)).toBe('Fix the highlighted values to see what they allow.');
  });

  it('says when the day resets by the CRM’s rule', () => {
    const reset = (r: Partial<ApiBudgetDto['reset']>): ApiBudgetDto['reset'] => ({
      rule: 'midnight',
      timeZone: 'UTC',
      timeZoneSource: 'utc_default',
      periodStart: NOW.toISOString(),
      nextResetAt: MIDNIGHT.toISOString(),
      ...r,
    });
    expect(resetSentence({ crm: 'hubspot', reset: reset({ timeZone: 'Europe/Paris', timeZoneSource: 'account' }) }, NOW)).toBe(
      "HubSpot resets the daily count at midnight in the account's time zone (Europe/Paris). Next reset: 00:00 (in 3 h 12 min).",
    );
    expect(resetSentence({ crm: 'hubspot', reset: reset({}) }, NOW)).toMatch(/has not told Conduit which it is, so Conduit counts the day in UTC\. Next reset: 00:00/);
    expect(resetSentence({ crm: 'salesforce', reset: reset({ rule: 'rolling_24h', nextResetAt: new Date(2026, 11, 6, 21, 0).toISOString() }) }, NOW)).toBe(
      'Salesforce counts a rolling 24 hours: each call leaves the count 24 hours after it was made. The oldest calls counted now leave at 21:00 (in 12 min).',
    );
  });
});

describe('paused line', () => {
  it('says why and when it resumes, in how long', () => {
    expect(pausedLine({ reason: 'Paused: daily API allocation reached', resumesAt: MIDNIGHT.toISOString() }, NOW)).toBe('Paused: daily API allocation reached — resumes at 00:00 (in 3 h 12 min)');
    expect(pausedLine({ reason: "Paused: HubSpot's daily API limit reached", resumesAt: new Date(2026, 11, 6, 20, 0).toISOString() }, NOW)).toBe("Paused: HubSpot's daily API limit reached — resuming now");
  });
});
