import { describe, expect, it } from '@jest/globals';
import { CrmError } from '@conduit/crm';
import { attentionFromFailure } from './crm-failure.js';

const error = (details: ConstructorParameters<typeof CrmError>[0], message: string, status?: number, crm: 'hubspot' | 'salesforce' = 'hubspot') =>
  new CrmError(details, { crm, message, ...(status === undefined ? {} : { status }) });

describe('a push the CRM failed as a whole', () => {
  it('gives Needs attention a code per kind of failure', () => {
    expect(attentionFromFailure(error({ kind: 'transient', cause: 'server_error' }, 'boom', 503))).toEqual({ code: 'crm_http_503', reason: 'HubSpot answered 503: boom', fields: [], source: 'crm' });
    expect(attentionFromFailure(error({ kind: 'transient', cause: 'timeout' }, 'slow')).code).toBe('crm_timeout');
    expect(attentionFromFailure(error({ kind: 'permission_denied' }, 'no scope', 403)).code).toBe('permission_denied');
  });
});
