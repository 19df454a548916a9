/**
 * Everything declarative about Salesforce in one place: endpoints (from configuration), API
 * version, OAuth scopes, object names, default field map, limits, record deep links.
 */
import type { CrmCapabilities, CrmObjectType, CrmRateLimits } from '../contract.js';

export interface SalesforceEndpoints {
  /** Login host (authorize, token, revoke, identity): https://login.salesforce.com, test.salesforce.com, or the sandbox URL. */
  loginUrl: string;
  /** True when pointed at the CRM sandbox: record links then use its /__sandbox/ui pages. */
  sandbox: boolean;
}

export const SALESFORCE_PRODUCTION: SalesforceEndpoints = { loginUrl: 'https://login.salesforce.com', sandbox: false };

/** A CRM sandbox Salesforce server (packages/crm-sandbox) serves login and instance on one origin. */
export function salesforceSandboxEndpoints(sandboxUrl: string): SalesforceEndpoints {
  return { loginUrl: sandboxUrl.replace(/\/+$/, ''), sandbox: true };
}

/** OAuth endpoints on the login host (jsforce's OAuth2 derives the same from loginUrl). */
export function salesforceOAuthUrls(endpoints: SalesforceEndpoints): { authorize: string; token: string; revoke: string } {
  const login = endpoints.loginUrl.replace(/\/+$/, '');
  return { authorize: `${login}/services/oauth2/authorize`, token: `${login}/services/oauth2/token`, revoke: `${login}/services/oauth2/revoke` };
}

/** jsforce defaults to 50.0; Conduit pins the REST version it was written against. */
export const SALESFORCE_API_VERSION = '62.0';

/** api: REST; refresh_token: offline access; id: identity URL (org and user of the connection). */
export const SALESFORCE_SCOPES: readonly string[] = ['api', 'refresh_token', 'id'];

export const SALESFORCE_OBJECTS: Record<CrmObjectType, string> = {
  lead: 'Lead',
  contact: 'Contact',
  company: 'Account',
  deal: 'Opportunity',
};

/** Conduit field → Salesforce field; full rows live in @conduit/mapping's defaultMappings. */
export const SALESFORCE_DEFAULT_FIELD_MAP = {
  lead: {
    firstName: 'FirstName',
    lastName: 'LastName',
    email: 'Email',
    phone: 'Phone',
    jobTitle: 'Title',
    city: 'City',
    country: 'Country',
    companyName: 'Company',
    leadStatus: 'Status',
    qualificationReasoning: 'Description',
    ownerId: 'OwnerId',
  },
  contact: {
    firstName: 'FirstName',
    lastName: 'LastName',
    email: 'Email',
    phone: 'Phone',
    jobTitle: 'Title',
    city: 'MailingCity',
    country: 'MailingCountry',
    qualificationReasoning: 'Description',
    ownerId: 'OwnerId',
  },
  company: {
    name: 'Name',
    website: 'Website',
    industry: 'Industry',
    employeeCount: 'NumberOfEmployees',
    city: 'BillingCity',
    country: 'BillingCountry',
  },
} as const;

/**
 * Lead.Company is required on create; Conduit writes this when a person has no company
 * (documented placeholder, like Salesforce's own "[not provided]").
 */
export const SALESFORCE_LEAD_COMPANY_PLACEHOLDER = '[not provided]';

/**
 * Limits (Salesforce docs): sObject Collections ≤ 200 records per call, query pages ≤ 2,000
 * rows (batchSize 200–2,000), daily API requests 100,000 + 1,000 per licence (Enterprise) or
 * 15,000 (Developer Edition), 25 concurrent requests longer than 20 s.
 */
export const SALESFORCE_LIMITS = {
  collectionSize: 200,
  /** Composite (POST /composite, one API call): ≤ 25 subrequests, ≤ 5 of them Query/QueryAll or sObject Collections. */
  compositeSubrequests: 25,
  compositeQueries: 5,
  compositeCollections: 5,
  queryPageMin: 200,
  queryPageMax: 2_000,
  /** At most this many values per `IN (...)` lookup. */
  lookupChunk: 1_000,
  /** URL-encoded SOQL per GET query: Salesforce answers 414 URI Too Long past 16,384 characters (path included). */
  maxQueryUriChars: 15_000,
  dailyRequestsDeveloper: 15_000,
} as const;

/**
 * Conduit's request budgets for one Salesforce org. Salesforce has no short window, only a daily allowance: 25/s
 * keeps concurrent workers polite. SOQL is not a separate budget there (both lanes are the same pace).
 */
export const SALESFORCE_RATE_LIMITS: CrmRateLimits = {
  standard: { max: 25, windowMs: 1_000 },
  search: { max: 25, windowMs: 1_000 },
};

/** What Salesforce does differently (see CrmCapabilities). */
export const SALESFORCE_CAPABILITIES: CrmCapabilities = {
  label: 'Salesforce',
  personObject: 'lead',
  personObjects: ['lead', 'contact'],
  emailField: 'Email',
  ownerField: 'OwnerId',
  batchSize: null,
  companyLink: { kind: 'field', field: 'AccountId', object: 'contact' },
  personCreate: 'create',
  activityObjects: { email: 'Task', linkedin_message: 'Task', linkedin_connection_request: 'Task', call: 'Task', meeting: 'Event', note: 'Task', task: 'Task' },
  readPageSize: { backfill: SALESFORCE_LIMITS.queryPageMax, incremental: SALESFORCE_LIMITS.queryPageMax },
  readsNamedFields: false,
  deletedList: 'gone_from_catalog',
  objectNames: { lead: 'Lead', contact: 'Contact', company: 'Account', deal: 'Opportunity' },
};

/** Deep link: real `{instanceUrl}/lightning/r/{SObject}/{id}/view`; sandbox `{base}/__sandbox/ui/{SObject}/{id}`. */
export function salesforceRecordUrl(endpoints: SalesforceEndpoints, instanceUrl: string, object: string, id: string): string {
  const sobject = object in SALESFORCE_OBJECTS ? SALESFORCE_OBJECTS[object as CrmObjectType] : object;
  const base = instanceUrl.replace(/\/+$/, '');
  if (endpoints.sandbox) return `${base}/__sandbox/ui/${encodeURIComponent(sobject)}/${encodeURIComponent(id)}`;
  return `${base}/lightning/r/${encodeURIComponent(sobject)}/${encodeURIComponent(id)}/view`;
}
