import { describe, expect, it } from '@jest/globals';
import type { CrmRecord } from '@conduit/crm';
import { planConsent } from './consent-import.js';

const at = '2026-12-03T09:15:00.000Z';
const hs = (id: string, properties: CrmRecord['properties'], archived = false): CrmRecord => ({ id, object: 'contact', properties, updatedAt: at, archived });

describe('planConsent', () => {
  it('knows the records that carry consent fields, with one row per fact', () => {
    const plan = planConsent('hubspot', [
      hs('1', { email: 'a@x.example', hs_email_optout: 'true' }),
      hs('2', { email: 'b@x.example', hs_email_optout: 'false' }),
      hs('3', { email: 'c@x.example' }),
      hs('4', {}, true),
      hs('5', { hs_email_optout: 'true', hs_email_hard_bounce_reason_enum: 'UNKNOWN_USER' }),
    ]);
    expect(plan.known).toEqual(['1', '2', '5']);
    expect(plan.rows).toEqual([
      { crm_id: '1', kind: 'email_opted_out', channel: 'email', reason: 'Unsubscribed from all email', at },
      { crm_id: '5', kind: 'email_opted_out', channel: 'email', reason: 'Unsubscribed from all email', at },
      { crm_id: '5', kind: 'email_bounced', channel: 'email', reason: 'UNKNOWN_USER', at },
    ]);
  });

  it('puts do-not-call on the phone channel and keeps the CRM bounce date', () => {
    const plan = planConsent('salesforce', [
      { id: '00Q1', object: 'lead', properties: { DoNotCall: true, HasOptedOutOfEmail: false, EmailBouncedDate: '2026-11-30T08:00:00.000+0000', EmailBouncedReason: 'gone' }, updatedAt: at },
    ]);
    expect(plan.rows).toEqual([
      { crm_id: '00Q1', kind: 'do_not_call', channel: 'phone', reason: 'Do Not Call', at },
      { crm_id: '00Q1', kind: 'email_bounced', channel: 'email', reason: 'gone', at: '2026-11-30T08:00:00.000Z' },
    ]);
  });
});
