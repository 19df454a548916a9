import type { SandboxClock } from '../common/clock.js';
import type { FaultRule } from '../common/faults.js';
import type { LatencyModel, LatencyProfileName, SalesforceCallKind, SalesforceLatencyProfile } from '../common/latency.js';
import type { RequestLogEntry, RequestStats } from '../common/request-log.js';
import type { MintedToken } from '../common/tokens.js';
import type { FieldDef, FieldSpec } from './schema.js';
import type { ListViewDef, ListViewInput } from './listviews.js';
import type { DuplicateRuleMode } from './store.js';
import type { SfRecord } from './values.js';

export const SALESFORCE_CLIENT_ID = 'conduit-sandbox-salesforce';
export const SALESFORCE_CLIENT_SECRET = 'sandbox-salesforce-secret';
export const LATEST_API_VERSION = '62.0';

/** Everything PUT /__sandbox/config (and control.configure) can change at runtime. */
export interface SalesforceConfig {
  /** Access-token (session) lifetime; Salesforce's default session timeout is 2 hours. */
  sessionTtlSec: number;
  /**
   * DailyApiRequests Max over a rolling 24 hours; requests beyond it get 403 REQUEST_LIMIT_EXCEEDED. Follows `edition`
   * and `licenses` (Salesforce's "API Request Limits and Allocations") unless given explicitly.
   */
  dailyApiLimit: number;
  edition: SalesforceEdition;
  /** Salesforce user licences of the org (each adds 1,000 calls a day, 5,000 in Unlimited/Performance). */
  licenses: number;
  /** Requests running longer than `longRequestMs` at once (ConcurrentPerOrgLongTxn, 25 in production orgs). */
  concurrentLongRequests: number;
  longRequestMs: number;
  duplicateRule: DuplicateRuleMode;
  /** Default REST query page size (Salesforce: 2,000; Sforce-Query-Options batchSize=200..2000 overrides). */
  queryPageSize: number;
  /** Rows per Bulk 2.0 query result page when the client sends no maxRecords. */
  bulkQueryPageSize: number;
  /** Time a Bulk 2.0 job stays InProgress before it completes. */
  bulkProcessingDelayMs: number;
  /** Extra redirect URIs the demo OAuth app accepts (beyond http://localhost:* and 127.0.0.1). */
  allowedRedirects: string[];
  /** Origin put in instance_url / identity URLs; defaults to the request's Host. */
  publicUrl: string | undefined;
}

export type SalesforceEdition = 'developer' | 'professional' | 'enterprise' | 'unlimited' | 'performance';

/** Salesforce's daily API allocation: Developer 15,000; otherwise 100,000 + licences × 1,000 (5,000 for Unlimited/Performance). */
export function dailyApiAllocation(edition: SalesforceEdition, licenses: number): number {
  if (edition === 'developer') return 15_000;
  const perLicense = edition === 'unlimited' || edition === 'performance' ? 5_000 : 1_000;
  return 100_000 + Math.max(0, Math.floor(licenses)) * perLicense;
}

export interface SalesforceOptions extends Partial<SalesforceConfig> {
  /** Latency profile (default 'instant'). */
  latencyProfile?: LatencyProfileName;
  seed?: number;
  /** Directory for salesforce.json (state survives restarts); memory only when absent. */
  persistDir?: string;
  /** Fastify logger on/off (default off). */
  logger?: boolean;
}

export interface SalesforceMintInput {
  scopes?: string[];
  expiresInSec?: number;
  /** 18-char User id; the org's default user (Alex Morgan) when absent. */
  userId?: string;
}

export interface SalesforceMintedToken extends MintedToken {
  orgId: string;
  userId: string;
  /** Path of the identity URL: /id/{orgId}/{userId}. */
  identityPath: string;
}

export interface SalesforceRecordView {
  type: string;
  record: SfRecord;
  /** Parent records referenced by the record's lookups (Account, Owner, converted ids …). */
  related: Record<string, { type: string; id: string; name: string | null }>;
  /** Tasks and Events whose WhoId/WhatId is this record, newest first. */
  timeline: { type: 'Task' | 'Event'; id: string; subject: string | null; subtype: string | null; status: string | null; at: string | null; record: SfRecord }[];
  /** Campaign memberships (Lead/Contact) or opportunity contact roles. */
  memberships: SfRecord[];
}

export interface SalesforceControl {
  readonly orgId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  mintToken(input?: SalesforceMintInput): SalesforceMintedToken;
  expireTokens(accessToken?: string): number;
  revokeRefreshToken(refreshToken: string): boolean;
  setFaults(rules: FaultRule[], seed?: number): void;
  clearFaults(): void;
  requests(since?: number): RequestLogEntry[];
  stats(): RequestStats;
  clearRequests(): void;
  reset(seed?: number): void;
  configure(partial: Partial<SalesforceConfig>): SalesforceConfig;
  config(): SalesforceConfig;
  getRecord(type: string, id: string): SalesforceRecordView | undefined;
  addField(type: string, spec: FieldSpec): FieldDef;
  removeField(type: string, name: string): boolean;
  setDuplicateRule(mode: DuplicateRuleMode): void;
  /** Convert a Lead (SOAP-only in Salesforce): creates the Contact (and an Account unless given). */
  convertLead(leadId: string, accountId?: string): { contactId: string; accountId: string };
  /** Add n generated leads without validation (benchmarks; `fields` set on each, e.g. to match a list view); returns the new Lead count. */
  seedLeads(n: number, fields?: SfRecord): number;
  /** List views on Lead and Contact (every one, whoever may see it), each with the SOQL it runs. */
  listViews(): (ListViewDef & { query: string })[];
  /** Creates a list view as the org's default user; throws naming the bad field. */
  createListView(input: ListViewInput): ListViewDef & { query: string };
  /** Changes a list view's filter, scope, visibility, owner, label or columns; throws naming the bad field or an unknown view. */
  updateListView(id: string, input: ListViewInput): ListViewDef & { query: string };
  deleteListView(id: string): boolean;
  /** Live (non-deleted) record count of a type. */
  count(type: string): number;
  /** API requests counted in the last 24 hours against DailyApiRequests. */
  apiUsage(): { used: number; max: number };
  /** Another integration of the org spends `calls` of the daily allocation. */
  spendApiCalls(calls: number): void;
  setLatencyProfile(profile: LatencyProfileName, seed?: number): void;
  latency(): ReturnType<LatencyModel<SalesforceCallKind, SalesforceLatencyProfile>['describe']>;
  /** The limits' clock (advance it to cover the daily allocation in a test). */
  readonly clock: SandboxClock;
  /** Move the limits' clock 24 hours on: the rolling day's calls have all expired. */
  advanceToNextDailyReset(): void;
  /** Active users (id, name, email) — owners for mapping tests. */
  users(): { id: string; name: string; email: string; active: boolean }[];
}
