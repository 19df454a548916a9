import { describe, expect, it } from '@jest/globals';
import { CONSENT_FIELDS, consentOfRecord } from './consent.js';
import type { CrmRecord, CrmValue } from './contract.js';

const rec = (object: CrmRecord['object'], properties: Record<string, CrmValue>, archived = false): CrmRecord => ({ id: '1', object, properties, updatedAt: '2026-12-03T10:00:00.000Z', archived });

describe('consentOfRecord', () => {
  it('says nothing for archived records, non-people, or records fetched without consent fields', () => {
    expect(consentOfRecord('hubspot', rec('contact', { hs_email_optout: 'true' }, true))).toBeNull();
    expect(consentOfRecord('hubspot', rec('company', { hs_email_optout: 'true' }))).toBeNull();
    expect(consentOfRecord('hubspot', rec('contact', { email: 'a@b.example' }))).toBeNull();
    expect(consentOfRecord('salesforce', rec('lead', { Email: 'a@b.example' }))).toBeNull();
  });

  it.each<[string, Record<string, CrmValue>, unknown]>([
    ['all fields unset (null)', { hs_email_optout: null, hs_email_hard_bounce_reason_enum: null, hs_email_hard_bounce_reason: null }, []],
    ['opted out', { hs_email_optout: 'true' }, [{ kind: 'email_opted_out', reason: 'Unsubscribed from all email', at: null }]],
    ['opted out false', { hs_email_optout: 'false' }, []],
    ['bounce enum only', { hs_email_hard_bounce_reason_enum: 'UNKNOWN_USER' }, [{ kind: 'email_bounced', reason: 'UNKNOWN_USER', at: null }]],
    ['bounce text wins as reason', { hs_email_hard_bounce_reason_enum: 'UNKNOWN_USER', hs_email_hard_bounce_reason: '550 5.1.1 no such user' }, [{ kind: 'email_bounced', reason: '550 5.1.1 no such user', at: null }]],
    ['blank bounce is none', { hs_email_hard_bounce_reason_enum: '  ', hs_email_optout: 'false' }, []],
    ['both', { hs_email_optout: 'true', hs_email_hard_bounce_reason_enum: 'SPAM' }, [{ kind: 'email_opted_out', reason: 'Unsubscribed from all email', at: null }, { kind: 'email_bounced', reason: 'SPAM', at: null }]],
  ])('HubSpot: %s', (_name, properties, expected) => {
    expect(consentOfRecord('hubspot', rec('contact', properties))).toEqual(expected);
  });

  it.each<[string, Record<string, CrmValue>, unknown]>([
    ['nothing set', { HasOptedOutOfEmail: false, DoNotCall: false, EmailBouncedReason: null, EmailBouncedDate: null }, []],
    ['opt out', { HasOptedOutOfEmail: true }, [{ kind: 'email_opted_out', reason: 'Email Opt Out', at: null }]],
    ['do not call', { DoNotCall: true }, [{ kind: 'do_not_call', reason: 'Do Not Call', at: null }]],
    ['bounce with date (Salesforce format)', { EmailBouncedReason: '550 gone', EmailBouncedDate: '2026-12-03T10:00:00.000+0000' }, [{ kind: 'email_bounced', reason: '550 gone', at: '2026-12-03T10:00:00.000Z' }]],
    ['bounce date only', { EmailBouncedDate: '2026-12-03T10:00:00.000Z' }, [{ kind: 'email_bounced', reason: 'Email bounced', at: '2026-12-03T10:00:00.000Z' }]],
    ['bad date', { EmailBouncedReason: 'x', EmailBouncedDate: 'yesterday' }, [{ kind: 'email_bounced', reason: 'x', at: null }]],
  ])('Salesforce: %s', (_name, properties, expected) => {
    expect(consentOfRecord('salesforce', rec('lead', properties))).toEqual(expected);
    expect(consentOfRecord('salesforce', rec('contact', properties))).toEqual(expected);
  });

  it('lists the fields it reads', () => {
    expect(CONSENT_FIELDS.salesforce).toEqual(['HasOptedOutOfEmail', 'DoNotCall', 'EmailBouncedReason', 'EmailBouncedDate']);
  });
});
