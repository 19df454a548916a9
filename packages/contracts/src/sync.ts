/** Import from the CRM: per-connection settings, sync runs (history, progress, dry runs) and field provenance. */
import type { ForecastVsActualDto } from './api-usage.js';
import type { CrmKind } from './connections.js';

/**
 * What the sync settings can select. HubSpot: company, contact, deal, owner, list; Salesforce: company (Account),
 * lead, contact, deal (Opportunity), owner (User), list (Campaign).
 */
export type SyncObject = 'company' | 'contact' | 'lead' | 'deal' | 'owner' | 'list';

/** `person_sync`: one person re-read from the CRM ("Sync now" on the person, #21); `webhook`: records a CRM webhook named. */
export const SYNC_RUN_KINDS = ['backfill', 'incremental', 'webhook', 'remap', 'dry_run', 'list', 'person_sync'] as const;
export type SyncRunKind = (typeof SYNC_RUN_KINDS)[number];
/** `paused`: the connection's daily API allocation is spent (or the CRM refused for its daily limit); resumes by itself at `resumesAt`. */
export const SYNC_RUN_STATUSES = ['pending', 'running', 'paused', 'done', 'failed'] as const;
export type SyncRunStatus = (typeof SYNC_RUN_STATUSES)[number];

/** Per-connection import settings (GET/PUT /sync/connections/:id/settings). */
export interface SyncSettingsDto {
  importEnabled: boolean;
  /** CRM objects to import; read in this order (companies first so people find their company; deals, owners, lists last). */
  objects: SyncObject[];
  /** Minutes between incremental syncs. */
  intervalMinutes: number;
}

/** A field-level change a dry run would make. */
export interface SampleDiffDto {
  entity: 'person' | 'company';
  crmId: string;
  /** The record in words: the person's name (else email), the company's name (else domain); absent on older runs. */
  name?: string | null;
  /** The Conduit person or company an update applies to (a link to its page); null for a record it would create. */
  entityId?: string | null;
  action: 'create' | 'update';
  field: string;
  from: unknown;
  to: unknown;
  rule: string;
}

/**
 * How much a run (sync or export) was slowed by the CRM's rate limits and by retries: shown on the run as "Slowed by
 * 37 s: 12 throttled calls (429) retried". Waits are wall-clock (calls waiting at the same time count once).
 */
export interface RunSlowdownDto {
  /** Calls the CRM answered 429 (rate limited). */
  throttledCalls: number;
  /** Calls made again after a 429 or a transient failure (5xx, timeout, dropped connection). */
  retriedCalls: number;
  /** Time (ms) the run's calls spent waiting before retries: the CRM's Retry-After, or backoff after a failure. */
  retryWaitMs: number;
  /** Time (ms) the run's calls spent waiting for the connection's rate budget (Conduit pacing its calls under the CRM's limit). */
  rateWaitMs: number;
}

/** One sync run with its counts and progress (GET /sync/runs, and the answer of starting one). */
export interface SyncRunDto {
  id: string;
  connectionId: string;
  crm: CrmKind;
  kind: SyncRunKind;
  status: SyncRunStatus;
  objects: SyncObject[];
  startedAt: string | null;
  finishedAt: string | null;
  counts: { created: number; updated: number; unchanged: number; failed: number; archived: number };
  apiCalls: number;
  /** 429s, retries and waits of the run's CRM calls. */
  slowdown: RunSlowdownDto;
  /** Related objects read by a full backfill (deal, owner, list → rows). */
  related: Partial<Record<string, number>>;
  /** The forecast the run was started with (#17) next to what it took; null when started without one. */
  forecast: ForecastVsActualDto | null;
  progress: { done: number; total: number | null; recordsPerSecond: number | null; etaSeconds: number | null };
  /** A dry run of proposed mapping rows (not of a backfill). */
  mappingPreview: boolean;
  /** Dry runs: a sample of field-level diffs. */
  sample: SampleDiffDto[] | null;
  error: string | null;
  /** Paused runs (#17): the plain reason ("Paused: daily API allocation reached"), when it paused and when it resumes by itself. */
  pausedReason: string | null;
  pausedAt: string | null;
  resumesAt: string | null;
  /** A person re-read (`person_sync`): the person, by name (null once deleted, or for other runs). */
  person: { id: string; name: string | null } | null;
  createdAt: string;
}

/**
 * POST /sync/connections/:id/sync-now: the run started (an incremental one; a first full backfill when the connection
 * never synced), or the import run already open for the connection (`started: false`, no second run).
 */
export interface SyncNowDto {
  started: boolean;
  run: SyncRunDto;
  /** In words: "Sync started" / "A sync is already running (started 10:32)". */
  message: string;
}

/** What re-reading one CRM record of a person did: `not_found` (deleted in the CRM), `skipped` (connection unusable). */
export const PERSON_SYNC_OUTCOMES = ['updated', 'unchanged', 'not_found', 'failed', 'skipped'] as const;
export type PersonSyncOutcome = (typeof PERSON_SYNC_OUTCOMES)[number];

export interface PersonSyncRecordDto {
  crm: CrmKind;
  /** The CRM's object name ("Contact", "Lead"). */
  crmObject: string;
  crmId: string;
  outcome: PersonSyncOutcome;
  /** Why it failed or was skipped, in words (the CRM's reason). */
  reason: string | null;
  /** The import run that re-read it (sync history). */
  runId: string | null;
}

/** One Conduit field the re-read changed (`field` is the Conduit key; `customAttributes.x` for custom ones). */
export interface PersonSyncChangeDto {
  field: string;
  before: string | null;
  after: string | null;
}

/**
 * POST /people/:id/sync-now: the person re-read from each connected CRM it is linked to, import priority and the
 * source of truth applied; what changed, or nothing (`upToDate`). 409 while the same person is being re-read.
 */
export interface PersonSyncDto {
  personId: string;
  records: PersonSyncRecordDto[];
  changes: PersonSyncChangeDto[];
  upToDate: boolean;
  /** In words: "Already up to date", "2 fields updated from HubSpot", "Not linked to any CRM record". */
  message: string;
}

/**
 * A CRM record in words for people (#21): the name of the Conduit person or company it is linked to (else the name
 * it carried when Conduit read it), that record's Conduit page and its page in the CRM. The id stays for machines.
 */
export interface CrmRecordRefDto {
  crm: CrmKind;
  /** The CRM object (contact, lead, company, deal) when known. */
  crmObject: string | null;
  crmId: string;
  /** "Ada Lovelace", "Acme" — null when Conduit knows no name for it. */
  name: string | null;
  /** The linked Conduit person or company (its page), if any. */
  personId: string | null;
  companyId: string | null;
  /** The record's page in the CRM, when the connection and object are known. */
  crmRecordUrl: string | null;
}

/** One record a run could not import, with the CRM's (or Conduit's) reason and the record in words. */
export interface SyncFailureDto {
  crmId: string;
  reason: string;
  at: string;
  record: CrmRecordRefDto;
}

/** GET /sync/runs/:id: the run and its first 200 per-record failures with the CRM's reason. */
export interface SyncRunDetailDto extends SyncRunDto {
  failures: SyncFailureDto[];
}

/** One change of a field: where the value came from and which rule let it in. */
export interface ProvenanceEntryDto {
  field: string;
  source: 'crm' | 'conduit';
  connectionId: string | null;
  crmRecordId: string | null;
  crmField: string | null;
  rule: string;
  previousValue: unknown;
  value: unknown;
  at: string;
  /** CRM imports: the CRM record's own modification time when it was read (null for Conduit edits and older imports). */
  crmModifiedAt: string | null;
  /** Words for people (#21): the CRM of the connection (null for Conduit edits, or a connection since removed). */
  crm: CrmKind | null;
  /** The CRM record's object (contact, lead, company…), when known. */
  crmObject: string | null;
  /** The CRM field's own label as discovered ("Lead Status"), when known. */
  crmFieldLabel: string | null;
  /** The record's page in the CRM, when known. */
  crmRecordUrl: string | null;
  /** Values that are ids (the company, the assigned member) by name: "Meridian Properties" for a company id. */
  valueLabel: string | null;
  previousValueLabel: string | null;
}

/** GET /people/:id/provenance and /companies/:id/provenance: "why is this value here?". */
export interface ProvenanceDto {
  /** The latest entry per field: where the current value came from. */
  current: ProvenanceEntryDto[];
  /** Every entry, newest first (at most 200). */
  history: ProvenanceEntryDto[];
}
