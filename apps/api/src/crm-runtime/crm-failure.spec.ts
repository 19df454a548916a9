import { describe, expect, it } from '@jest/globals';
import { CrmError } from '@conduit/crm';
import { describeCrmFailure } from './crm-failure.js';

const error = (details: ConstructorParameters<typeof CrmError>[0], message: string, status?: number, crm: 'hubspot' | 'salesforce' = 'hubspot') =>
  new CrmError(details, { crm, message, ...(status === undefined ? {} : { status }) });

describe('a CRM failure in words', () => {
  it('names the CRM and what it answered', () => {
    expect(describeCrmFailure(error({ kind: 'transient', cause: 'server_error' }, 'internal error', 500))).toBe('HubSpot answered 500: internal error');
    expect(describeCrmFailure(error({ kind: 'transient', cause: 'server_error' }, 'HubSpot answered HTTP 502', 502))).toBe('HubSpot answered HTTP 502');
    expect(describeCrmFailure(error({ kind: 'transient', cause: 'timeout' }, 'HubSpot unreachable (timeout)'))).toBe('HubSpot did not answer in time');
    expect(describeCrmFailure(error({ kind: 'transient', cause: 'connection' }, 'x', undefined, 'salesforce'))).toMatch(/^Salesforce could not be reached/);
    expect(describeCrmFailure(error({ kind: 'rate_limited', retryAfterMs: 7_200, budget: 'ten_secondly' }, 'You have reached your ten_secondly_rolling limit.', 429))).toBe(
      "HubSpot is rate limiting Conduit's calls (You have reached your ten_secondly_rolling limit.); it accepts more in 8 s",
    );
    expect(describeCrmFailure(error({ kind: 'auth_revoked' }, 'token revoked', 401, 'salesforce'))).toMatch(/reconnect Salesforce under Settings → Integrations$/);
  });
});
