/**
 * Everything declarative about HubSpot in one place: endpoints (from configuration), OAuth
 * scopes, default field map, rate limits, association type ids, record deep links.
 */
import { AssociationTypes } from '@hubspot/api-client';
import type { CrmCapabilities, CrmObjectType, CrmRateLimits } from '../contract.js';

/** Where HubSpot lives. Production values are the defaults; dev/test point everything at the sandbox. */
export interface HubspotEndpoints {
  /** API base (SDK basePath), no trailing slash: https://api.hubapi.com or the sandbox URL. */
  apiBaseUrl: string;
  /** Consent page. The SDK's getAuthorizationUrl ignores basePath, so Conduit builds this URL itself. */
  authorizeUrl: string;
  /** Where records are viewed: https://app.hubspot.com, or the sandbox URL (its /__sandbox/ui pages). */
  appBaseUrl: string;
  /** True when appBaseUrl is the sandbox: record links then use the sandbox UI pattern. */
  sandbox: boolean;
}

export const HUBSPOT_PRODUCTION: HubspotEndpoints = {
  apiBaseUrl: 'https://api.hubapi.com',
  authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
  appBaseUrl: 'https://app.hubspot.com',
  sandbox: false,
};

/** Endpoints of a CRM sandbox HubSpot server (packages/crm-sandbox), e.g. http://127.0.0.1:4010. */
export function hubspotSandboxEndpoints(sandboxUrl: string): HubspotEndpoints {
  const base = sandboxUrl.replace(/\/+$/, '');
  return { apiBaseUrl: base, authorizeUrl: `${base}/oauth/authorize`, appBaseUrl: base, sandbox: true };
}

/** OAuth endpoints, all from configuration (token and token-info live on the API host). */
export function hubspotOAuthUrls(endpoints: HubspotEndpoints): { authorize: string; token: string; accessTokenInfo: string; refreshTokens: string } {
  const api = endpoints.apiBaseUrl.replace(/\/+$/, '');
  return {
    authorize: endpoints.authorizeUrl,
    token: `${api}/oauth/v1/token`,
    accessTokenInfo: `${api}/oauth/v1/access-tokens/{token}`,
    refreshTokens: `${api}/oauth/v1/refresh-tokens/{token}`,
  };
}

/** Scopes Conduit asks for: read/write people, companies and deals (engagements ride on these), owners, lists, schemas. */
export const HUBSPOT_SCOPES: readonly string[] = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.companies.read',
  'crm.lists.read',
];

/**
 * Conduit field → HubSpot property, per object. The full rows (import priority, export
 * behaviour) live in @conduit/mapping's defaultMappings; these names must stay in step.
 */
export const HUBSPOT_DEFAULT_FIELD_MAP = {
  contact: {
    firstName: 'firstname',
    lastName: 'lastname',
    email: 'email',
    phone: 'phone',
    jobTitle: 'jobtitle',
    city: 'city',
    country: 'country',
    companyName: 'company',
    linkedinUrl: 'hs_linkedin_url',
    leadStatus: 'hs_lead_status',
    ownerId: 'hubspot_owner_id',
  },
  company: {
    name: 'name',
    domain: 'domain',
    website: 'website',
    industry: 'industry',
    employeeCount: 'numberofemployees',
    city: 'city',
    country: 'country',
  },
} as const;

/**
 * Limits (HubSpot docs): OAuth apps ~100 requests per rolling 10 s per account (the budget the
 * engine's shared bucket enforces), search 5 requests/s per token (raised from 4 in HubSpot's
 * later limit increase; integrations meet 429s above 5/s, e.g. PipedreamHQ/pipedream#18215), 10,000
 * results per search query, batches ≤ 100 inputs, search pages ≤ 200, list memberships pages ≤ 250.
 */
export const HUBSPOT_LIMITS = {
  requestsPerWindow: 100,
  windowMs: 10_000,
  searchRequestsPerSecond: 5,
  batchSize: 100,
  /** v4 association batch create/read take up to 1,000 inputs. */
  associationBatchSize: 1_000,
  listPageSize: 100,
  searchPageSize: 200,
  searchMaxResults: 10_000,
  membershipsPageSize: 250,
  accessTokenTtlSec: 30 * 60,
} as const;

/**
 * Conduit's request budgets for one HubSpot account, a little under HUBSPOT_LIMITS so in-flight calls never tip it
 * over: 95 per rolling 10 s (OAuth apps get 100), and CRM search at 4.5/s (9 per rolling 2 s, paced 222 ms apart, so
 * no second holds more than 5 even when a request reaches HubSpot a little late) on top. Search carries 200 records a
 * call to the list's 100: in a backfill its budget is worth more than the window's.
 */
export const HUBSPOT_RATE_LIMITS: CrmRateLimits = {
  standard: { max: 95, windowMs: HUBSPOT_LIMITS.windowMs },
  search: { max: (HUBSPOT_LIMITS.searchRequestsPerSecond - 0.5) * 2, windowMs: 2_000 },
};

/** What HubSpot does differently (see CrmCapabilities). */
export const HUBSPOT_CAPABILITIES: CrmCapabilities = {
  label: 'HubSpot',
  personObject: 'contact',
  personObjects: ['contact'],
  emailField: 'email',
  ownerField: 'hubspot_owner_id',
  batchSize: HUBSPOT_LIMITS.batchSize,
  companyLink: { kind: 'association' },
  personCreate: 'upsert_by_email',
  activityObjects: { email: 'emails', linkedin_message: 'communications', linkedin_connection_request: 'communications', call: 'calls', meeting: 'meetings', note: 'notes', task: 'tasks' },
  // Backfill pages (list API) carry ≤ 100 records, incremental search pages ≤ 200.
  readPageSize: { backfill: HUBSPOT_LIMITS.batchSize, incremental: HUBSPOT_LIMITS.searchPageSize },
  readsNamedFields: true,
  deletedList: 'not_found',
  // HubSpot has no Lead object: a lead is a contact there.
  objectNames: { contact: 'contacts', lead: 'contacts', company: 'companies', deal: 'deals' },
};

/** v4 association type ids (HUBSPOT_DEFINED), from the SDK's AssociationTypes enum. */
export const HUBSPOT_ASSOCIATION_TYPES = {
  emails: { contact: AssociationTypes.emailToContact, company: AssociationTypes.emailToCompany, deal: AssociationTypes.emailToDeal },
  calls: { contact: AssociationTypes.callToContact, company: AssociationTypes.callToCompany, deal: AssociationTypes.callToDeal },
  meetings: { contact: AssociationTypes.meetingToContact, company: AssociationTypes.meetingToCompany, deal: AssociationTypes.meetingToDeal },
  notes: { contact: AssociationTypes.noteToContact, company: AssociationTypes.noteToCompany, deal: AssociationTypes.noteToDeal },
  tasks: { contact: AssociationTypes.taskToContact, company: AssociationTypes.taskToCompany, deal: AssociationTypes.taskToDeal },
  communications: {
    contact: AssociationTypes.communicationToContact,
    company: AssociationTypes.communicationToCompany,
    deal: AssociationTypes.communicationToDeal,
  },
} as const;

/** Record-to-record association type ids, by (from, to). `primary` only exists for contact→company. */
export function recordAssociationTypeId(from: CrmObjectType, to: CrmObjectType, primary = false): number | null {
  const key = `${from}->${to}`;
  switch (key) {
    case 'contact->company':
      return primary ? AssociationTypes.primaryContactToCompany : AssociationTypes.contactToCompany;
    case 'company->contact':
      return primary ? AssociationTypes.primaryCompanyToContact : AssociationTypes.companyToContact;
    case 'deal->contact':
      return AssociationTypes.dealToContact;
    case 'contact->deal':
      return AssociationTypes.contactToDeal;
    case 'deal->company':
      return primary ? AssociationTypes.primaryDealToCompany : AssociationTypes.dealToCompany;
    case 'company->deal':
      return primary ? AssociationTypes.primaryCompanyToDeal : AssociationTypes.companyToDeal;
    default:
      return null;
  }
}

const OBJECT_TYPE_IDS: Record<Exclude<CrmObjectType, 'lead'>, string> = { contact: '0-1', company: '0-2', deal: '0-3' };
const SANDBOX_UI_TYPES: Record<Exclude<CrmObjectType, 'lead'>, string> = { contact: 'contacts', company: 'companies', deal: 'deals' };

/**
 * Deep link to a record: real HubSpot `https://app.hubspot.com/contacts/{portalId}/record/0-1/{id}`;
 * sandbox `{base}/__sandbox/ui/{objectType}/{id}`.
 */
export function hubspotRecordUrl(endpoints: HubspotEndpoints, portalId: string | number, object: CrmObjectType, id: string): string {
  if (object === 'lead') throw new Error("HubSpot has no 'lead' records");
  const base = endpoints.appBaseUrl.replace(/\/+$/, '');
  if (endpoints.sandbox) return `${base}/__sandbox/ui/${SANDBOX_UI_TYPES[object]}/${encodeURIComponent(id)}`;
  return `${base}/contacts/${encodeURIComponent(String(portalId))}/record/${OBJECT_TYPE_IDS[object]}/${encodeURIComponent(id)}`;
}
