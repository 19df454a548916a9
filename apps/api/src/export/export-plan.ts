import type { CrmKind, EngagementState, ExportPolicy } from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import { companyDomainFromEmail, isFreeMailDomain, normalizeDomain, type ConduitRecord } from '@conduit/mapping';
import { capabilitiesOf } from '@conduit/crm';
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
  return capabilitiesOf(crm).ownerField;
}

/**
 * The person as @conduit/mapping reads it; the company name falls back to the linked company's. `advancedStatus` is
 * the person's current advanced status (advanced-status.ts), read by a status mapping with an engagementState source.
 */
export function conduitRecordOf(person: Person, company: Company | null, advancedStatus: string | null = null): ConduitRecord {
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
    advancedStatus,
    customAttributes: person.customAttributes,
  };
}

/**
 * A Conduit company as @conduit/mapping reads it (Companies tab, custom rows included); without a company row, the
 * person's company name.
 */
export function companyRecordOf(company: Company | null, companyName: string | null, domain: string): ConduitRecord {
  return {
    name: company?.name ?? companyName ?? null,
    domain: company?.domain ?? domain,
    website: company?.website ?? null,
    industry: company?.industry ?? null,
    employeeCount: company?.employeeCount ?? null,
    city: company?.city ?? null,
    country: company?.country ?? null,
    customAttributes: company?.customAttributes ?? {},
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
