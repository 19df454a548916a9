/** HubSpot ↔ Salesforce workflows: definitions, run log and counts. */
import type { CrmFieldOptionDto } from './connections.js';
import type { CrmRecordRefDto } from './sync.js';

export const WORKFLOW_KINDS = ['mql_handoff', 'stage_lifecycle', 'email_change', 'account_hygiene', 'opportunity_deal', 'account_company'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

export const FILTER_OPERATORS = ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'contains', 'is_known', 'is_unknown'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** One condition on a HubSpot property; all conditions of a filter must hold. */
export interface FilterConditionDto {
  property: string;
  operator: FilterOperator;
  /** Ignored by is_known / is_unknown; a list for in / not_in; a number for gt/gte/lt/lte. */
  value?: string | number | string[];
}

/** Which system wins for a field Conduit maps between the CRMs. */
export const FIELD_MASTERS = ['hubspot', 'salesforce'] as const;
export type FieldMaster = (typeof FIELD_MASTERS)[number];

/** HubSpot property → Salesforce Lead field, with a default when the HubSpot value is blank. */
export interface FieldMapRowDto {
  hubspot: string | null;
  salesforce: string;
  default?: string | number | boolean | null;
  /**
   * The system that wins for this field. Required when another workflow maps the same pair back (Salesforce →
   * HubSpot), unless that workflow names it. The other direction never overwrites a non-empty value
   * (salesforce here: the handoff fills the Salesforce field only while it is empty).
   */
  master?: FieldMaster | null;
}

export interface ValueTableRowDto {
  from: string;
  to: string;
}

export interface TerritoryRowDto {
  country: string;
  /** Empty = the whole country. */
  state?: string | null;
  ownerId: string;
}

export interface OwnerRuleDto {
  kind: 'none' | 'owner_mapping' | 'territory';
  /** owner_mapping: hubspot_owner_id → Salesforce User id. */
  ownerMapping?: ValueTableRowDto[];
  territories?: TerritoryRowDto[];
  defaultOwnerId?: string | null;
}

export interface OpportunityRuleDto {
  enabled: boolean;
  stageName: string;
  amount?: number | null;
  /** Close date = creation day + this many days. */
  closeInDays: number;
}

export interface MqlHandoffConfigDto {
  /** The lifecycle stage that triggers the handoff (HubSpot internal value). */
  triggerStage: string;
  conditions: FilterConditionDto[];
  fieldMap: FieldMapRowDto[];
  /** Lead external-id field holding the HubSpot contact id. */
  externalIdField: string;
  leadSourceTable: ValueTableRowDto[];
  /** Lead Source when hs_analytics_source has no row; null leaves LeadSource alone. */
  leadSourceDefault: string | null;
  owner: OwnerRuleDto;
  opportunity: OpportunityRuleDto;
}

export interface StageRuleDto {
  stage: string;
  lifecycle: string;
  /** The rule applies only when the Opportunity Amount is greater than this. */
  minAmountExclusive?: number | null;
}

export interface StageLifecycleConfigDto {
  rules: StageRuleDto[];
  allowBackwards: boolean;
}

export interface EmailChangeConfigDto {
  /** hubspot_to_salesforce, or both directions (each change is propagated; Conduit's own writes are recognised by fingerprint). */
  direction: 'hubspot_to_salesforce' | 'both';
  /** Which system wins for email ↔ Email. Required with `both` (the field is then mapped both ways). */
  master?: FieldMaster | null;
}

export interface AccountHygieneConfigDto {
  fields: ('name' | 'industry' | 'numberofemployees')[];
  /** Salesforce Industry → HubSpot industry option. */
  industryTable: ValueTableRowDto[];
  /** Values never written (compared case-insensitively, besides the built-in generic list). */
  genericValues: string[];
}

/** One row of the Opportunity → deal stage table: a Salesforce StageName and the HubSpot deal stage (id) it becomes. */
export interface DealStageRowDto {
  stage: string;
  dealstage: string;
}

export interface OpportunityDealConfigDto {
  /** The HubSpot deal pipeline (id) deals are created in; the stage table names stages of this pipeline. */
  pipeline: string;
  stages: DealStageRowDto[];
  /** Salesforce User id → HubSpot owner id; checked before matching owners by email. */
  ownerTable: ValueTableRowDto[];
  /** A Salesforce user and a HubSpot owner with the same email are the same person. */
  matchOwnersByEmail: boolean;
}

export interface AccountCompanyConfigDto {
  /** Create a HubSpot company when none has the Account's domain (off: only existing companies are updated). */
  create: boolean;
  /** Account values copied besides the domain (name is always written on create). */
  fields: ('name' | 'industry' | 'numberofemployees')[];
  /** Salesforce Industry → HubSpot industry option. */
  industryTable: ValueTableRowDto[];
  /** Account names refused as placeholders (besides the built-in list: Test, Unknown, N/A, …). */
  genericValues: string[];
  /** Domains that never identify a company (besides the built-in free-mail and example domains). */
  blockedDomains: string[];
}

export type WorkflowConfigDto = MqlHandoffConfigDto | StageLifecycleConfigDto | EmailChangeConfigDto | AccountHygieneConfigDto | OpportunityDealConfigDto | AccountCompanyConfigDto;

/** A HubSpot deal pipeline and its stages, in order (the stage table's choices). */
export interface DealPipelineDto {
  id: string;
  label: string;
  stages: { id: string; label: string; closed: boolean }[];
}

/** A Salesforce Opportunity stage for the stage pickers: its label, the value StageName holds, and whether it closes the deal. */
export interface OpportunityStageDto extends CrmFieldOptionDto {
  /** Closed Won, Closed Lost…: an Opportunity in it is no longer open (Salesforce's OpportunityStage.IsClosed). */
  closed: boolean;
}

/** Salesforce users and HubSpot owners, for the owner table's pickers. */
export interface WorkflowOwnersDto {
  salesforce: { id: string; name: string; email: string | null; active: boolean }[];
  hubspot: { id: string; name: string; email: string | null; active: boolean }[];
}

export interface WorkflowDto<C = WorkflowConfigDto> {
  kind: WorkflowKind;
  enabled: boolean;
  /** paused: an auth failure stopped it; resume after reconnecting. */
  status: 'active' | 'paused';
  pausedReason: string | null;
  /** The CRM whose authorization failed (its integration card shows the alert). */
  pausedCrm: 'hubspot' | 'salesforce' | null;
  config: C;
  updatedAt: string | null;
}

export interface UpdateWorkflowBody<C> {
  enabled?: boolean;
  config?: C;
}

export const WORKFLOW_RUN_RESULTS = ['pending', 'success', 'filtered', 'skipped', 'ignored_echo', 'needs_attention', 'failed'] as const;
export type WorkflowRunResult = (typeof WORKFLOW_RUN_RESULTS)[number];

export interface WorkflowRunDto {
  id: string;
  kind: WorkflowKind;
  trigger: { source: 'hubspot_webhook' | 'hubspot_poll' | 'salesforce_poll'; object: string; recordId: string; detail?: Record<string, unknown> };
  decision: string | null;
  payload: Record<string, unknown> | null;
  action: string | null;
  /** What the run did, in words ("Deal 'Acme — renewal' moved to Closed Won"); null for runs that predate it. */
  summary: string | null;
  result: WorkflowRunResult;
  reason: string | null;
  /**
   * A pending run held by the daily API budget (#17; `reason` says which: "Waiting: daily Salesforce API allocation
   * spent"): when it is tried again. Null otherwise.
   */
  waitUntil: string | null;
  targetId: string | null;
  /**
   * A run skipped because a later run of the same record read it after this change (#21): that run's id when known
   * (it did the work; there is nothing to retry), else null. Null for every other run.
   */
  supersededBy: { runId: string | null } | null;
  /** Whether an admin may retry the run: failed, needing attention, or skipped for a reason other than a later run. */
  retryable: boolean;
  /** The record that triggered the run, in words (#21): its name, Conduit page and CRM page. */
  record: CrmRecordRefDto;
  /** The records the run wrote to (or would have), in words; empty when none. */
  targets: CrmRecordRefDto[];
  attempts: number;
  latencyMs: number | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Latency of successful runs over time, per bucket (for the chart). */
export const LATENCY_WINDOWS = ['1h', '24h', '7d'] as const;
export type LatencyWindow = (typeof LATENCY_WINDOWS)[number];

export interface WorkflowLatencyDto {
  kind: WorkflowKind;
  window: LatencyWindow;
  bucketSeconds: number;
  /** Buckets that had successful runs, oldest first. */
  points: { at: string; runs: number; p50Ms: number; p95Ms: number }[];
}

export interface WorkflowCountsDto {
  kind: WorkflowKind;
  counts: Record<WorkflowRunResult, number>;
  latency: { p50Ms: number | null; p95Ms: number | null };
}
