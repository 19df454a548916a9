import type { CrmKind, EngagementState, ExportPolicy } from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import { companyDomainFromEmail, isFreeMailDomain, normalizeDomain, type ConduitRecord } from '@conduit/mapping';
import type { Company } from '../companies/company.entity.js';
import type { Person } from '../people/person.entity.js';

/** Engagement states that have reached each export policy's level. `not_contacted` never has. */
export const POLICY_STATES: Record<ExportPolicy, readonly EngagementState[]> = {
  all_contacted: ['contacted', 'replied', 'replied_positive', 'replied_negative'],
  replied: ['replied', 'replied_positive', 'replied_negative'],
  replied_positive: ['replied_positive'],
};

export function meetsPolicy(policy: ExportPolicy, state: EngagementState): boolean {
  return POLICY_STATES[policy].includes(state);
}

/**
 * Salesforce refuses a Lead without Company. When neither the person's company nor a company name is known the
 * Lead gets this placeholder, which reps recognise and which a later export overwrites only through a
 * `overwrite` mapping row (the default row is fill-if-empty, so a rep's correction is kept).
 */
export const SALESFORCE_COMPANY_PLACEHOLDER = '[not provided]';

/** The CRM field that holds the record owner. */
export function ownerField(crm: CrmKind): string {
  return crm === 'hubspot' ? 'hubspot_owner_id' : 'OwnerId';
}

/** The person as @conduit/mapping reads it; the company name falls back to the linked company's. */
export function conduitRecordOf(person: Person, company: Company | null): ConduitRecord {
  return {
    firstName: person.firstName,
    lastName: person.lastName,
    email: person.email,
    phone: person.phone,
    jobTitle: person.jobTitle,
    city: person.city,
    country: person.country,
    linkedinUrl: person.linkedinUrl,
    companyName: person.companyName ?? company?.name ?? null,
    qualificationReasoning: person.qualificationReasoning,
    leadStatus: person.leadStatus,
    engagementState: person.engagementState,
    customAttributes: person.customAttributes,
  };
}

/**
 * The company domain a HubSpot contact is associated through: the company's domain or website, else the
 * person's email domain — never a free-mail domain (gmail.com is not a company).
 */
export function companyDomainOf(person: Person, company: Company | null): string | null {
  const fromCompany = normalizeDomain(company?.domain ?? '') ?? normalizeDomain(company?.website ?? '');
  if (fromCompany && !isFreeMailDomain(fromCompany)) return fromCompany;
  return person.email ? companyDomainFromEmail(person.email) : null;
}

/** Salesforce record id prefixes → neutral object (a duplicate rule names a record by id only). */
export function salesforceObjectOfId(id: string): CrmObjectType | null {
  if (id.startsWith('00Q')) return 'lead';
  if (id.startsWith('003')) return 'contact';
  return null;
}

/**
 * Salesforce lookups are GET queries, refused with 414 past 16,384 URI characters. The adapter packs IN lists by
 * `encodeURIComponent` length, which leaves quotes and parentheses as they are while the request encodes them
 * (`'` → %27), so long lists of emails overflow: pre-split them here by the length as actually sent.
 */
export function soqlEmailGroups(emails: readonly string[], fields: readonly string[], maxChars = 14_000): string[][] {
  const encoded = (s: string) => new URLSearchParams({ q: s }).toString().length - 2;
  const base = encoded(`SELECT ${['Id', 'Email', 'IsConverted', 'ConvertedContactId', 'SystemModstamp', ...fields].join(', ')} FROM Contact WHERE Email IN ()`);
  const out: string[][] = [];
  let cur: string[] = [];
  let len = base;
  for (const e of emails) {
    const cost = encoded(`'${e.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}', `);
    if (cur.length && len + cost > maxChars) {
      out.push(cur);
      cur = [];
      len = base;
    }
    cur.push(e);
    len += cost;
  }
  if (cur.length) out.push(cur);
  return out;
}
