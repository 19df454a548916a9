/**
 * The contract between the sync engine and a CRM. The engine imports only this file's types
 * (never an SDK); an adapter gets credentials and options and calls the CRM. Adapters never
 * touch the database or decrypt anything.
 */
import type { CrmConsentWrite, CrmSubscriptionStatus } from './consent.js';
import type { CrmError } from './errors.js';
import type { CrmFieldDescriptor as MappingFieldDescriptor, FieldOption } from '@conduit/mapping';

export type CrmKind = 'hubspot' | 'salesforce';

/**
 * Neutral object names. HubSpot: contact=contacts, company=companies, deal=deals ('lead' is not
 * supported). Salesforce: lead=Lead, contact=Contact, company=Account, deal=Opportunity.
 */
export type CrmObjectType = 'contact' | 'lead' | 'company' | 'deal';

export type CrmValue = string | number | boolean | null;

/**
 * A record as the CRM holds it, in the CRM's own field names and representation (HubSpot sends
 * every value as a string; Salesforce numbers and booleans stay typed). Type conversion is the
 * mapping package's job.
 */
export interface CrmRecord {
  id: string;
  object: CrmObjectType;
  properties: Record<string, CrmValue>;
  /** ISO timestamp of the last change (HubSpot updatedAt, Salesforce SystemModstamp). */
  updatedAt: string;
  createdAt?: string;
  /** HubSpot archived / Salesforce IsDeleted (in the recycle bin). */
  archived?: boolean;
  /** Associated record ids, when asked for with `associations` (HubSpot backfill pages). */
  associations?: Partial<Record<CrmObjectType, string[]>>;
}

// Field types and the descriptor shape are @conduit/mapping's: the mapping rules read exactly what adapters discover.
export type { CrmFieldType, HubSpotFieldType, SalesforceFieldType } from '@conduit/mapping';
export type CrmFieldOption = FieldOption;

/** A CRM field from HubSpot's properties API or Salesforce's describe: the mapping descriptor plus transport details. */
export interface CrmFieldDescriptor extends MappingFieldDescriptor {
  /** The CRM's raw type (HubSpot fieldType such as `checkbox`/`select`; Salesforce describe type such as `combobox`). */
  crmType: string;
  /** Salesforce reference targets (e.g. ['User'] for OwnerId). */
  referenceTo?: string[];
}

export interface CrmOwner {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  active: boolean;
  /** HubSpot owners carry a separate user id. */
  userId?: string | null;
}

/** A HubSpot deal pipeline and its stages in board order (stage ids are what `dealstage` holds). */
export interface CrmPipeline {
  id: string;
  label: string;
  stages: { id: string; label: string; closed: boolean }[];
}

/** A Salesforce Opportunity stage as set up in the org (OpportunityStage): `value` is what StageName holds. */
export interface CrmOpportunityStage {
  value: string;
  label: string;
  /** The stage closes the deal (Closed Won, Closed Lost): an Opportunity in it is no longer open. */
  closed: boolean;
  won: boolean;
}

export interface CrmList {
  /** Opaque to the engine (Salesforce list views: `Lead/00B…`, `Contact/00B…`). */
  id: string;
  name: string;
  /** static: HubSpot MANUAL/SNAPSHOT lists and Salesforce campaigns; dynamic: HubSpot DYNAMIC lists and Salesforce list views. */
  kind: 'static' | 'dynamic';
  size: number | null;
  updatedAt: string | null;
  /** Salesforce: a Campaign or a list view (a saved filter on Leads or Contacts). Absent: a HubSpot list. */
  source?: 'campaign' | 'list_view';
  /** The person object a list view filters. */
  object?: 'lead' | 'contact';
}

export interface CrmListMember {
  /** The member record id (HubSpot contact id; Salesforce LeadId or ContactId). */
  recordId: string;
  object: CrmObjectType;
  addedAt: string | null;
  /** Salesforce CampaignMember Status. */
  status?: string | null;
}

/** One page of a list's membership (listMembers). */
export interface CrmListMemberPage {
  members: CrmListMember[];
  /** Pass back to read the next page; null on the last one. */
  nextAfter: string | null;
  /** Members the CRM counts in the list now, when it says (HubSpot answers it with every page). */
  total?: number;
  /**
   * True when this membership is paged by record id, ascending, and `nextAfter` is the last record id of the page
   * (HubSpot lists v3 sort memberships by record id; the token is checked, not assumed): a read may then start after
   * any record id, so several ranges of one membership can be read at once. Absent or false: `nextAfter` is a cursor.
   */
  byRecordId?: boolean;
}

/** Opaque to the engine: store it as the checkpoint and pass it back. `null` starts a backfill. */
export type CrmCursor = string;

export interface CrmPage {
  records: CrmRecord[];
  /** Checkpoint to store; always present (when caught up it points at "changed since the last record seen"). */
  nextCursor: CrmCursor;
  /** More pages are available right now; when false the engine waits for its next interval. */
  hasMore: boolean;
}

export interface ReadOptions {
  /** Field names to fetch; defaults to every field from describeFields(object). */
  properties?: string[];
}

export interface ChangedSinceOptions extends ReadOptions {
  /**
   * HubSpot: associated ids to include inline while backfilling (list paging), at no extra call.
   * Search pages (incremental) cannot carry them: use readAssociations. Salesforce ignores it
   * (its links are lookup fields such as Contact.AccountId).
   */
  associations?: CrmObjectType[];
  /** HubSpot: ≤ 100 while backfilling (list paging), ≤ 200 incremental (search). Salesforce: 200–2,000 (query batch size). */
  pageSize?: number;
}

/**
 * Runs one CRM call of a read that keeps several in flight: the engine's in-flight limit and retry policy go around
 * it. An adapter starts its calls freely and lets the scheduler hold them.
 */
export type CrmCallScheduler = <T>(call: () => Promise<T>) => Promise<T>;

export interface ReadPagesOptions extends ChangedSinceOptions {
  /** Every CRM call of the read goes through it. */
  schedule: CrmCallScheduler;
}

/** A match of findByEmails. Salesforce: an unconverted Lead, a Contact, or a converted Lead pointing at its Contact. */
export interface CrmEmailMatch {
  /** Normalised (trimmed, lowercased) email as queried. */
  email: string;
  record: CrmRecord;
  /** Salesforce only: the Lead this Contact was converted from, when the match came through a converted Lead. */
  convertedFromLeadId?: string;
}

export interface CrmNameMatch {
  /** The name as asked. */
  name: string;
  record: CrmRecord;
}

export interface CrmDomainMatch {
  /** Normalised domain as queried. */
  domain: string;
  record: CrmRecord;
}

export interface CrmCreateInput {
  properties: Record<string, CrmValue>;
}
export interface CrmUpdateInput {
  id: string;
  properties: Record<string, CrmValue>;
}
export interface CrmEmailUpsertInput {
  email: string;
  properties: Record<string, CrmValue>;
}
export interface CrmExternalIdUpsertInput {
  /** Value of the external-id field. */
  value: string;
  properties: Record<string, CrmValue>;
}

/** Per-record outcome. `index` is the position in the caller's input array. */
export type CrmWriteResult =
  | {
      index: number;
      ok: true;
      id: string;
      /** For activities: the person's object; see crmObject for what was created. */
      object: CrmObjectType;
      /** true = created, false = updated an existing record, null = not reported. */
      created: boolean | null;
      /** The CRM's own object name (HubSpot 'contacts', 'emails', …; Salesforce 'Lead', 'Task', 'Event'). */
      crmObject?: string;
    }
  | { index: number; ok: false; error: CrmError };

export interface CrmAssociationInput {
  from: { object: CrmObjectType; id: string };
  to: { object: CrmObjectType; id: string };
  /** HubSpot contact→company: also mark the company as primary. */
  primary?: boolean;
}

export type CrmAssociationResult = { index: number; ok: true } | { index: number; ok: false; error: CrmError };

// ---- Activities ----------------------------------------------------------------------------

export interface CrmActivityTarget {
  /** The person the activity is about (HubSpot contact; Salesforce Lead or Contact → WhoId). */
  person: { object: 'contact' | 'lead'; id: string };
  /** Also associate to this company (HubSpot) / WhatId account (Salesforce, Contacts only). */
  companyId?: string;
  /** Also associate to this deal / WhatId opportunity (wins over companyId on Salesforce). */
  dealId?: string;
}

interface ActivityBase extends CrmActivityTarget {
  /** When it happened (ISO). HubSpot hs_timestamp; Salesforce ActivityDate / StartDateTime. */
  occurredAt: string;
  /** CRM owner id (hubspot_owner_id / OwnerId); omitted → CRM default (token user). */
  ownerId?: string;
  /** Activity label (e.g. `[Conduit]`) the adapter prefixes to the subject/title, or to the body when there is none. */
  label?: string;
  /**
   * Conduit's id for the activity, stored with what the CRM creates (ACTIVITY_ID_FIELD) so a create whose answer was
   * lost can be found with findActivities instead of being created twice.
   */
  externalId?: string;
}

/** Where an activity's externalId is stored: HubSpot custom property on each engagement object; Salesforce external-id field on Task and Event. */
export const ACTIVITY_ID_FIELD = { hubspot: 'conduit_activity_id', salesforce: 'Conduit_Activity_ID__c' } as const;

/** An activity found in the CRM by the externalId it was created with. */
export interface CrmActivityMatch {
  externalId: string;
  id: string;
  /** HubSpot engagement object type ('emails', …) or Salesforce sObject ('Task', 'Event'). */
  crmObject: string;
}

export type Direction = 'outbound' | 'inbound';

export interface CrmEmailActivity extends ActivityBase {
  type: 'email';
  direction: Direction;
  subject: string;
  bodyText?: string;
  bodyHtml?: string;
  from?: string;
  to?: string[];
  threadId?: string;
  status?: 'sent' | 'bounced' | 'failed' | 'scheduled';
}
export interface CrmLinkedinMessageActivity extends ActivityBase {
  type: 'linkedin_message';
  direction: Direction;
  body: string;
}
export interface CrmLinkedinConnectionActivity extends ActivityBase {
  type: 'linkedin_connection_request';
  state: 'sent' | 'accepted';
  /** The note sent with the request, if any. */
  body?: string;
}
export interface CrmCallActivity extends ActivityBase {
  type: 'call';
  direction: Direction;
  title?: string;
  durationMs?: number;
  /** HubSpot hs_call_status (COMPLETED, NO_ANSWER, BUSY, FAILED, …) / Salesforce CallDisposition. */
  status?: 'completed' | 'no_answer' | 'busy' | 'failed' | 'canceled';
  /** Free-text outcome (Salesforce CallDisposition, HubSpot body). */
  disposition?: string;
  body?: string;
  recordingUrl?: string;
}
export interface CrmMeetingActivity extends ActivityBase {
  type: 'meeting';
  title: string;
  startAt: string;
  endAt: string;
  body?: string;
  location?: string;
  outcome?: 'scheduled' | 'completed' | 'rescheduled' | 'no_show' | 'canceled';
  attendees?: string[];
}
export interface CrmNoteActivity extends ActivityBase {
  type: 'note';
  body: string;
}
export interface CrmTaskActivity extends ActivityBase {
  type: 'task';
  subject: string;
  body?: string;
  dueAt?: string;
  priority?: 'low' | 'medium' | 'high';
  status: 'not_started' | 'completed';
  taskType?: 'email' | 'call' | 'todo';
}

export type CrmActivityInput =
  | CrmEmailActivity
  | CrmLinkedinMessageActivity
  | CrmLinkedinConnectionActivity
  | CrmCallActivity
  | CrmMeetingActivity
  | CrmNoteActivity
  | CrmTaskActivity;

export type CrmActivityType = CrmActivityInput['type'];

// ---- Rate limits ---------------------------------------------------------------------------

/** Latest values the CRM reported in response headers (null until a response carried them). */
export interface CrmRateLimitState {
  /** HubSpot X-HubSpot-RateLimit-Max / -Remaining / -Interval-Milliseconds. */
  window: { max: number; remaining: number; intervalMs: number } | null;
  /** HubSpot X-HubSpot-RateLimit-Daily / -Daily-Remaining; Salesforce Sforce-Limit-Info api-usage=used/max. */
  daily: { max: number; remaining: number } | null;
  observedAt: string | null;
}

/** What one CRM answer said about the limits (only the parts it carried). */
export interface CrmRateLimitUpdate {
  window?: NonNullable<CrmRateLimitState['window']>;
  daily?: NonNullable<CrmRateLimitState['daily']>;
  /** ISO time of the answer. */
  observedAt: string;
}

// ---- Credentials and options ---------------------------------------------------------------

export interface CrmCredentials {
  accessToken: string;
  /** Salesforce instance URL (token response instance_url). */
  instanceUrl?: string;
}

/**
 * Called by the adapter on an expired/invalid token (HubSpot 401, Salesforce INVALID_SESSION_ID),
 * at most once per operation, before retrying that operation once. The caller does single-flight
 * refresh and storage; a revoked refresh token should throw CrmError kind 'auth_revoked'.
 */
export type RefreshCredentials = () => Promise<CrmCredentials>;

/** What the budget hook is told about a call. */
export interface CrmRequestInfo {
  crm: CrmKind;
  /**
   * 'search': HubSpot CRM search, which also has its own limit (~4–5 requests/s per account)
   * on top of the general one. 'standard': everything else.
   */
  budget: 'standard' | 'search';
}

/**
 * One request budget: at most `max` requests in any `windowMs`. Each CRM's metadata declares Conduit's own pace per
 * budget, a little under the CRM's limit so in-flight calls never tip it over.
 */
export interface CrmRateLimit {
  max: number;
  windowMs: number;
}

/** A CRM's request budgets, by the budget a call spends (CrmRequestInfo['budget']). */
export type CrmRateLimits = Record<CrmRequestInfo['budget'], CrmRateLimit>;

/** A change of an Opportunity's contact roles (Salesforce): the Opportunity, its name when read, and when it changed. */
export interface DealContactRoleChange {
  dealId: string;
  dealName: string | null;
  updatedAt: string;
}

export interface CrmAdapterOptions {
  /**
   * Awaited before every HTTP call to the CRM with its cost in API calls (1 today). The API backs
   * it with a token bucket in Redis shared across workers; throwing from it aborts the call.
   */
  beforeRequest?: (cost: number, info: CrmRequestInfo) => Promise<void>;
  /**
   * Called after every CRM answer that carried rate-limit figures (HubSpot `X-HubSpot-RateLimit-*`, Salesforce
   * `Sforce-Limit-Info`), with what that answer said: the API records the account's daily usage from it (every
   * integration's calls, not only Conduit's). Must not throw or block: it runs on the answer's path.
   */
  onRateLimits?: (update: CrmRateLimitUpdate) => void;
  /** Called once each request that `beforeRequest` let through has its answer (or failed), with its cost. */
  afterRequest?: (cost: number) => void;
  /** Abort a call that got no answer after this many ms (transient/timeout). Default 30 s. */
  timeoutMs?: number;
}

// ---- The adapter ---------------------------------------------------------------------------

/**
 * Batch operations split inputs into CRM-sized chunks (HubSpot ≤ 100, Salesforce ≤ 200) and
 * return one result per input, in input order. They throw only when nothing was written (the
 * first request failed for a reason that is not about a record: rate limit, auth, transient);
 * once some records were written, records that could not be attempted carry that error.
 */
/** A deal (HubSpot deal / Salesforce Opportunity) in neutral terms. */
export interface CrmDeal {
  id: string;
  name: string | null;
  stage: string | null;
  amount: number | null;
  /** YYYY-MM-DD. */
  closeDate: string | null;
  isClosed: boolean;
  isWon: boolean;
  /** The deal's company (HubSpot association, Salesforce AccountId). */
  companyId: string | null;
  updatedAt: string;
}

/**
 * How a CRM's deals are read (fields to ask for, associations that come inline with the records) and turned into
 * CrmDeals, and the company field the do-not-contact "customer" rule reads. Declared in each CRM's mapper.
 */
export interface CrmDealSchema {
  fields: readonly string[];
  inlineAssociations: readonly ('contact' | 'company')[];
  customerField: string;
  toDeal(record: CrmRecord): CrmDeal;
}

/**
 * How a CRM differs in ways the engine must follow, declared in its metadata, so features branch on what a CRM does
 * rather than on its name.
 */
export interface CrmCapabilities {
  /** The CRM's name as people read it (messages, reasons). */
  label: string;
  /** What a new person is created as: HubSpot contact, Salesforce Lead. */
  personObject: 'contact' | 'lead';
  /** The objects a person can be (Salesforce: Lead and Contact, with different fields). */
  personObjects: readonly ('contact' | 'lead')[];
  /** Person records' email and owner fields. */
  emailField: string;
  ownerField: string;
  /** Inputs per batch call when the engine groups calls itself (HubSpot 100); null when the adapter packs them (Salesforce Composite). */
  batchSize: number | null;
  /**
   * How a person is tied to a company: `association` (HubSpot: v4 associations; companies created by domain when
   * none exists, with the Companies-tab mapping) or a lookup `field` on the person object that has it (Salesforce
   * Contact.AccountId; Accounts are matched, never created).
   */
  companyLink: { kind: 'association' } | { kind: 'field'; field: string; object: 'contact' | 'lead' };
  /** How new people are written: upsert by email (HubSpot, atomic) or create / upsert on an external-id field (Salesforce). */
  personCreate: 'upsert_by_email' | 'create';
  /**
   * The CRM object each activity type is written as; activities of one object share a create call (HubSpot: one
   * engagement object type per batch; Salesforce: Task or Event per sObject collection).
   */
  activityObjects: Readonly<Record<CrmActivityType, string>>;
  /** Records per read page: a backfill's first read (from no cursor) and the incremental reads after it. */
  readPageSize: { backfill: number; incremental: number };
  /**
   * Whether a read may ask for just the mapped fields: HubSpot ignores properties that do not exist (and a contact
   * has ~135, so the payload is the cost); Salesforce rejects unknown fields in SOQL and reads its described fields.
   */
  readsNamedFields: boolean;
  /**
   * How a list deleted in the CRM shows: `not_found` (HubSpot answers 404) or `gone_from_catalog` (a deleted
   * Salesforce Campaign still answers the member query; only the Campaign catalog tells).
   */
  deletedList: 'not_found' | 'gone_from_catalog';
  /** The CRM's own name of each neutral object, as admins see it in the CRM (HubSpot 'contacts', Salesforce 'Account'). */
  objectNames: Readonly<Record<CrmObjectType, string>>;
}

/** Tokens as Conduit stores them, whichever CRM issued them. */
export interface CrmTokenSet {
  accessToken: string;
  /** null: the answer carried none (a Salesforce refresh: keep the stored one). */
  refreshToken: string | null;
  /** null: the CRM states no lifetime (Salesforce: an expired session is noticed as a 401). */
  expiresAt: Date | null;
  /** Salesforce: the instance the tokens work against (a refresh may name it again). */
  instanceUrl?: string;
}

/** What a CRM hands over when an admin connects it: the account, its name for people, and the tokens. */
export interface CrmConnectedAccount {
  /** HubSpot portal id, Salesforce org id: the account a connection is bound to. */
  accountId: string;
  /** The account as people read it (crmAccountName: 'Northwind Demo Org (alex.morgan@northwind-demo.com)', 'acme.hubspot.com'). */
  accountName: string | null;
  /** The account's own name in the CRM (Salesforce: the org's Name; HubSpot: its hub domain); null or absent when it gave none. */
  organizationName?: string | null;
  /** Who consented, as the CRM names them (Salesforce: the username; HubSpot: the user's email); null or absent when unknown. */
  username?: string | null;
  instanceUrl: string | null;
  scopes: string[];
  tokens: CrmTokenSet;
}

/**
 * One CRM's OAuth, from configuration (packages/crm/src/oauth.ts hands it out per CRM): where the consent page and the
 * token endpoint are, which scopes Conduit asks for, and the calls of the flow. State, storage, encryption and
 * single-flight refresh belong to the API. A grant the CRM no longer honours is a CrmError `auth_revoked`.
 */
export interface CrmOAuth {
  readonly kind: CrmKind;
  readonly urls: { readonly authorize: string; readonly token: string };
  readonly scopes: readonly string[];
  /** The consent page for this state. */
  authorizeUrl(state: string): string;
  /** The callback's code → tokens, plus the account they are for. */
  exchange(code: string): Promise<CrmConnectedAccount>;
  refresh(refreshToken: string): Promise<CrmTokenSet>;
  /** Revokes the grant at the CRM; one already gone counts as revoked. */
  revoke(refreshToken: string): Promise<void>;
}

export interface CrmAdapter {
  readonly kind: CrmKind;
  /** What this CRM does differently (metadata; no call). */
  readonly capabilities: CrmCapabilities;
  /** Deal fields and mapping of this CRM (pure; no call). */
  readonly deals: CrmDealSchema;

  describeFields(object: CrmObjectType): Promise<CrmFieldDescriptor[]>;
  /** `cursor` null = backfill from the start, then the returned cursors continue incrementally. */
  listChangedSince(object: CrmObjectType, cursor: CrmCursor | null, options?: ChangedSinceOptions): Promise<CrmPage>;
  /**
   * The pages listChangedSince would hand out from `cursor` until `hasMore` is false, read with several calls in
   * flight (HubSpot: a backfill reads list pages from the lowest id while CRM search reads id ranges from the top, until
   * they meet; Salesforce: the query's later pages are fetched ahead by their locator offsets). Pages come in the order
   * they may be committed: each page's `nextCursor` resumes after it and every page before it, so a read resumed from
   * any page's cursor loses no record and hands none out twice. The last page has `hasMore: false` and the cursor the
   * incremental sync continues from. Calls stop when the caller stops iterating (its `return()`).
   */
  readPages(object: CrmObjectType, cursor: CrmCursor | null, options: ReadPagesOptions): AsyncIterable<CrmPage>;
  /**
   * How many live records of `object` the CRM holds right now, for a backfill's progress total (HubSpot: a
   * one-result CRM search's `total`; Salesforce: SELECT COUNT()). One API call; an estimate while records change.
   */
  countRecords(object: CrmObjectType): Promise<number>;
  /**
   * Records deleted/archived in the CRM (HubSpot archived list; Salesforce recycle bin), paged by
   * an opaque `after`. A sweep for what incremental reads cannot see (HubSpot search never returns
   * archived records; webhooks can be missed).
   */
  listArchived(object: CrmObjectType, after?: string | null): Promise<{ records: CrmRecord[]; nextAfter: string | null }>;
  /**
   * Salesforce: the Opportunities whose contact roles changed (added, edited or deleted OpportunityContactRoles) since
   * `cursor`, oldest change first, paged like listChangedSince — a contact role's change does not touch its
   * Opportunity's SystemModstamp, so a reader of Opportunity changes alone would miss it. HubSpot has no such object
   * and does not implement it. `dealName`: the Opportunity's Name, read with the change (null once it is deleted), so
   * what the change triggers can name it without reading the Opportunity.
   */
  listDealContactRoleChanges?(cursor: CrmCursor | null, options?: { pageSize?: number }): Promise<{ changes: DealContactRoleChange[]; nextCursor: CrmCursor; hasMore: boolean }>;
  /**
   * Salesforce: the org's own name (`SELECT Name FROM Organization`, its one row), so a connection made before Conduit
   * read it can be named for people. HubSpot names the account by its hub domain at connect and does not implement it.
   */
  readOrganizationName?(): Promise<string | null>;
  /** Missing ids are left out of the answer. */
  readByIds(object: CrmObjectType, ids: string[], options?: ReadOptions): Promise<CrmRecord[]>;
  /**
   * HubSpot: contacts by email. Salesforce: unconverted Leads, Contacts, and converted Leads
   * resolved to their Contact (one SOQL query per batch of emails). An email may match several.
   */
  findByEmails(emails: string[], options?: ReadOptions): Promise<CrmEmailMatch[]>;
  /** HubSpot companies by `domain`; Salesforce Accounts by Website domain. */
  findCompaniesByDomains(domains: string[], options?: ReadOptions): Promise<CrmDomainMatch[]>;
  /**
   * Salesforce: Accounts whose Name is one of `names` (trimmed, case-insensitive like SOQL's `=`), each match under the
   * name as asked. HubSpot has no use for it (companies are found by domain) and does not implement it.
   */
  findCompaniesByNames?(names: string[], options?: ReadOptions): Promise<CrmNameMatch[]>;

  createMany(object: CrmObjectType, inputs: CrmCreateInput[]): Promise<CrmWriteResult[]>;
  updateMany(object: CrmObjectType, inputs: CrmUpdateInput[]): Promise<CrmWriteResult[]>;
  /**
   * HubSpot: batch upsert with idProperty=email (atomic in the CRM). Salesforce has no upsert by
   * email: one SOQL lookup of `object` by Email, then update the matches and create the rest
   * (use findByEmails first when a Lead may already be a Contact).
   */
  upsertManyByEmail(object: CrmObjectType, inputs: CrmEmailUpsertInput[]): Promise<CrmWriteResult[]>;
  /** Salesforce upsert by an external-id field; HubSpot batch upsert with idProperty = a unique property. */
  upsertByExternalId(object: CrmObjectType, field: string, inputs: CrmExternalIdUpsertInput[]): Promise<CrmWriteResult[]>;

  associate(links: CrmAssociationInput[]): Promise<CrmAssociationResult[]>;
  /**
   * Ids of `to` records associated with each of `ids` (HubSpot v4 batch read, ≤ 1,000 per call;
   * Salesforce lookups: Contact/Opportunity.AccountId, OpportunityContactRole). Ids with no
   * associations are absent from the answer.
   */
  readAssociations(from: CrmObjectType, to: CrmObjectType, ids: string[]): Promise<Record<string, string[]>>;

  /** HubSpot owners; Salesforce active Users. */
  listOwners(): Promise<CrmOwner[]>;
  /**
   * HubSpot: the deal pipelines and their stages (pipelines API, one call). Salesforce has no pipelines (its stages are
   * the Opportunity StageName picklist, see describeFields) and does not implement it.
   */
  listPipelines?(object: 'deal'): Promise<CrmPipeline[]>;
  /**
   * Salesforce: the active Opportunity stages in their order, with whether each closes (and wins) the deal — the
   * StageName picklist's describe does not say (OpportunityStage, one query). HubSpot's stages come with
   * listPipelines; it does not implement it.
   */
  listOpportunityStages?(): Promise<CrmOpportunityStage[]>;
  /** HubSpot lists v3 (contact lists); Salesforce Campaigns. */
  listLists(after?: string | null): Promise<{ lists: CrmList[]; nextAfter: string | null }>;
  listMembers(listId: string, after?: string | null): Promise<CrmListMemberPage>;
  /**
   * The whole membership of a list, page after page, with several calls in flight through `options.schedule`
   * (Salesforce: the member query's later pages fetched ahead by their locator offsets, as readPages does). Absent:
   * the engine pages listMembers itself.
   */
  readListMembers?(listId: string, options: { schedule: CrmCallScheduler }): AsyncIterable<CrmListMemberPage>;

  /** One result per input, in order; `id` is the engagement / Task / Event id. */
  createActivities(inputs: CrmActivityInput[]): Promise<CrmWriteResult[]>;
  /**
   * Makes sure the CRM can store ACTIVITY_ID_FIELD for these activity types: HubSpot creates the custom property on
   * each engagement object that lacks it (an existing one is left alone); Salesforce checks Task / Event describe it
   * and throws a CrmError (invalid_input) naming the missing field. Call it once per connection and type.
   */
  ensureActivityIdField(types: CrmActivityType[]): Promise<void>;
  /**
   * Activities already in the CRM, by the externalId they were created with (inputs as given to createActivities;
   * inputs without externalId are ignored). For creates whose answer was lost: found → adopt, absent → not created.
   * HubSpot: the person's associated engagements of each type (v4 batch association read) read with the property
   * (batch read) — not search, whose index lags writes by seconds. Salesforce: SOQL on the external-id field.
   */
  findActivities(inputs: CrmActivityInput[]): Promise<CrmActivityMatch[]>;

  // ---- Consent (see consent.ts) ----
  /**
   * Writes what the outbound engine reported, whatever the field export behaviour says (compliance, not enrichment);
   * idempotent in both CRMs. HubSpot: unsubscribe / spam complaint → the address opts out of all email through the
   * communication preferences API (v4 batch unsubscribe-all, 100 per call; HubSpot then sets `hs_email_optout`); a
   * hard bounce has no HubSpot write (its bounce properties are set only by HubSpot's own sends) and is answered ok
   * with `crmObject: 'none'`. Salesforce: `HasOptedOutOfEmail = true`, or `EmailBouncedReason` + `EmailBouncedDate`,
   * on the Lead or Contact (composite update, 200 per call). One result per input, in order.
   */
  recordConsent(inputs: CrmConsentWrite[]): Promise<CrmWriteResult[]>;
  /** HubSpot: subscription statuses of these addresses (v4 batch read, 100 per call). Salesforce: UnsupportedCrmError (opt-out is a field of the record). */
  readSubscriptions(emails: string[]): Promise<CrmSubscriptionStatus[]>;
  /**
   * HubSpot GDPR delete (`POST /crm/v3/objects/contacts/gdpr-delete`, one call per contact): the contact is deleted for
   * good; one result per id (not_found when it is already gone). Salesforce: UnsupportedCrmError — its records stay the
   * customer's to delete.
   */
  gdprDelete(contactIds: string[]): Promise<CrmWriteResult[]>;

  rateLimitState(): CrmRateLimitState;
  /**
   * The account's daily API usage read from the CRM now (Salesforce `GET /limits` → DailyApiRequests; one API call), or
   * null when the CRM has no such read (HubSpot reports its daily figures only in response headers). Also reported
   * through `onRateLimits`.
   */
  readDailyApiUsage(): Promise<{ used: number; max: number } | null>;
}
