import { describe, expect, it } from 'vitest';
import { connectErrorMessage } from './integrations-page';

describe('connectErrorMessage', () => {
  it('explains each callback error in words', () => {
    expect(connectErrorMessage('hubspot', 'access_denied')).toMatch(/not granted in HubSpot/);
    expect(connectErrorMessage('salesforce', 'state_expired')).toMatch(/expired/);
    expect(connectErrorMessage('salesforce', 'whatever')).toMatch(/Connecting Salesforce failed/);
  });
});
