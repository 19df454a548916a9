import { describe, expect, it } from 'vitest';
import { waitingText } from './activity-labels';

describe('why a delivery waits', () => {
  const now = new Date('2026-12-06T10:40:00');
  it('says what the CRM answered, since when, and when the next try is', () => {
    const text = waitingText({ cause: 'crm', reason: 'HubSpot answered 500: internal error', failingSince: new Date('2026-12-06T10:32:00').toISOString(), nextAttemptAt: new Date('2026-12-06T10:42:00').toISOString() }, now);
    expect(text).toBe('HubSpot answered 500: internal error · failing since 10:32 AM — next try in 2 min');
  });
  it('says it is trying now when no retry is scheduled, and leaves out an unknown start', () => {
    expect(waitingText({ cause: 'crm', reason: 'HubSpot did not answer in time', failingSince: null, nextAttemptAt: null }, now)).toBe('HubSpot did not answer in time — trying again now');
    expect(waitingText({ cause: 'crm', reason: 'x', failingSince: null, nextAttemptAt: new Date('2026-12-06T10:40:30').toISOString() }, now)).toBe('x — next try in 30 s');
  });
  it('names the time of a next try far off: the daily API budget waits for its reset', () => {
    const text = waitingText({ cause: 'api_budget', reason: 'Waiting: daily HubSpot API allocation spent', failingSince: null, nextAttemptAt: new Date('2026-12-06T13:52:00').toISOString() }, now);
    expect(text).toBe('Waiting: daily HubSpot API allocation spent — next try at 13:52 (in 3 h 12 min)');
  });
});
