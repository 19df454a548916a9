import { describe, expect, it } from 'vitest';
import { persistentlyFailing } from '../connection/connection-status';
import { connectErrorMessage } from './integrations-page';

describe('connectErrorMessage', () => {
  it('explains each callback error in words', () => {
    expect(connectErrorMessage('hubspot', 'access_denied')).toMatch(/not granted in HubSpot/);
    expect(connectErrorMessage('salesforce', 'state_expired')).toMatch(/expired/);
    expect(connectErrorMessage('salesforce', 'whatever')).toMatch(/Connecting Salesforce failed/);
  });
});

describe('persistentlyFailing', () => {
  const now = new Date('2026-12-06T10:40:00Z');
  const health = (failures: number, since: string) => ({ health: { failingSince: since, lastFailureAt: since, lastError: 'HubSpot answered 500: internal error', failures } });
  it('shows a CRM that failed a few calls or for over a minute, not one blip', () => {
    expect(persistentlyFailing({ health: null }, now)).toBe(false);
    expect(persistentlyFailing(health(1, '2026-12-06T10:39:50Z'), now)).toBe(false);
    expect(persistentlyFailing(health(3, '2026-12-06T10:39:50Z'), now)).toBe(true);
    expect(persistentlyFailing(health(1, '2026-12-06T10:38:00Z'), now)).toBe(true);
  });
});
