/**
 * Consent in the CRMs, neutral: what a CRM record says about email opt-out, do-not-call and bounces (read from the
 * record's own fields, so an import pays no extra call), and what Conduit writes back. Pure: no SDK here.
 */
import type { CrmKind, CrmObjectType, CrmRecord, CrmValue } from './contract.js';

export type ConsentKind = 'email_opted_out' | 'email_bounced' | 'do_not_call';

/** One consent fact a CRM record states. */
export interface CrmConsentFact {
  kind: ConsentKind;
  /** The CRM's own words (`Unsubscribed from all email`, a bounce reason). */
  reason: string | null;
  /** When it happened, if the CRM says (Salesforce EmailBouncedDate); otherwise null (the importer uses the record's change time). */
  at: string | null;
}

/**
 * Fields an import must fetch for consent (besides the mapped ones).
 * HubSpot: `hs_email_optout` is HubSpot's own mirror of "opted out of all email" (set from subscription changes, not
 * writable by an integration); `hs_email_hard_bounce_reason_enum` / `…_reason` are set when one of HubSpot's sends
 * hard-bounced. HubSpot has no do-not-call property. Salesforce: the standard fields of Leads and Contacts.
 */
export const CONSENT_FIELDS: Readonly<Record<CrmKind, readonly string[]>> = {
  hubspot: ['hs_email_optout', 'hs_email_hard_bounce_reason_enum', 'hs_email_hard_bounce_reason'],
  salesforce: ['HasOptedOutOfEmail', 'DoNotCall', 'EmailBouncedReason', 'EmailBouncedDate'],
};

function isTrue(v: CrmValue | undefined): boolean {
  return v === true || v === 'true';
}

function text(v: CrmValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

/**
 * The consent facts of a person record, or null when the record cannot say (archived, or fetched without any consent
 * field): then what Conduit holds from this CRM record is left as it is. An empty array means "none any more".
 */
export function consentOfRecord(crm: CrmKind, record: CrmRecord): CrmConsentFact[] | null {
  if (record.archived) return null;
  if (record.object !== 'contact' && record.object !== 'lead') return null;
  const p = record.properties;
  if (!CONSENT_FIELDS[crm].some((f) => f in p)) return null;
  const facts: CrmConsentFact[] = [];
  switch (crm) {
    case 'hubspot': {
      if (isTrue(p['hs_email_optout'])) facts.push({ kind: 'email_opted_out', reason: 'Unsubscribed from all email', at: null });
      const bounce = text(p['hs_email_hard_bounce_reason_enum']) ?? text(p['hs_email_hard_bounce_reason']);
      if (bounce !== null) facts.push({ kind: 'email_bounced', reason: text(p['hs_email_hard_bounce_reason']) ?? bounce, at: null });
      break;
    }
    case 'salesforce': {
      if (isTrue(p['HasOptedOutOfEmail'])) facts.push({ kind: 'email_opted_out', reason: 'Email Opt Out', at: null });
      if (isTrue(p['DoNotCall'])) facts.push({ kind: 'do_not_call', reason: 'Do Not Call', at: null });
      const reason = text(p['EmailBouncedReason']);
      const date = text(p['EmailBouncedDate']);
      if (reason !== null || date !== null) {
        const at = date !== null && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString() : null;
        facts.push({ kind: 'email_bounced', reason: reason ?? 'Email bounced', at });
      }
      break;
    }
  }
  return facts;
}

// ---- Writing consent back ------------------------------------------------------------------

/** What the outbound engine reports. */
export type ConsentEvent = 'unsubscribe' | 'hard_bounce' | 'spam_complaint';

/** HubSpot's legal bases for a subscription change (v3 `legalBasis`). */
export type HubspotLegalBasis =
  | 'LEGITIMATE_INTEREST_PQL'
  | 'LEGITIMATE_INTEREST_CLIENT'
  | 'PERFORMANCE_OF_CONTRACT'
  | 'CONSENT_WITH_NOTICE'
  | 'NON_GDPR'
  | 'PROCESS_AND_STORE'
  | 'LEGITIMATE_INTEREST_OTHER';

export interface CrmConsentWrite {
  /** The CRM record of the person (HubSpot contact; Salesforce Lead or Contact). */
  person: { object: Extract<CrmObjectType, 'contact' | 'lead'>; id: string };
  /** The address the event is about (HubSpot keys subscriptions by address). */
  email: string;
  event: ConsentEvent;
  occurredAt: string;
  /** A bounce's reason (SMTP answer), written to Salesforce EmailBouncedReason. */
  reason?: string | null;
}

/** A subscription type's status for one address (HubSpot communication preferences). */
export interface CrmSubscriptionStatus {
  email: string;
  /** Opted out of all email (HubSpot's `hs_email_optout`). */
  optedOutOfAll: boolean;
  types: { id: string; name: string; status: 'subscribed' | 'unsubscribed' | 'not_specified'; legalBasis: string | null; at: string | null }[];
}

/** What the writes cost, for documentation and the budget: API calls per 1,000 people. */
export const CONSENT_CALLS_PER_1000 = {
  /** Import: consent fields ride on the pages already read. */
  importRead: { hubspot: 0, salesforce: 0 },
  /** HubSpot v4 batch status read, 100 addresses per call. */
  subscriptionRead: { hubspot: 10 },
  /** HubSpot v4 batch unsubscribe-all (100 per call); Salesforce composite update (200 per call). */
  write: { hubspot: 10, salesforce: 5 },
} as const;
