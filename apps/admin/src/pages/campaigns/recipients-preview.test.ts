import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../lib/format';
import { listsStatus } from './recipients-preview';

describe('listsStatus (the campaign Refresh line)', () => {
  it('says nothing without CRM lists', () => {
    expect(listsStatus({ count: 0, lastSyncedAt: null }, false)).toBeNull();
  });

  it('says the lists are refreshing while one syncs, then when the latest sync finished', () => {
    expect(listsStatus({ count: 2, lastSyncedAt: '2026-12-06T20:30:00.000Z' }, true)).toBe('Refreshing 2 CRM lists…');
    expect(listsStatus({ count: 1, lastSyncedAt: null }, true)).toBe('Refreshing 1 CRM list…');
    expect(listsStatus({ count: 2, lastSyncedAt: '2026-12-06T20:30:00.000Z' }, false)).toBe(`CRM lists refreshed ${formatDateTime('2026-12-06T20:30:00.000Z')}`);
    expect(listsStatus({ count: 1, lastSyncedAt: null }, false)).toBe('CRM list not synced yet');
  });
});
