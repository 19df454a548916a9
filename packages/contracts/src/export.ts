/** Export to the CRM: settings, owner and status mapping, runs and the Needs attention list. */
import type { ForecastVsActualDto } from './api-usage.js';
import type { RunSlowdownDto } from './sync.js';
import type { CrmFieldDto, CrmKind } from './connections.js';
import type { EngagementState } from './people.js';

/** Basic sync → "Choose when people export": the engagement level that triggers an automatic export. */
export const EXPORT_POLICIES = ['all_contacted', 'replied', 'replied_positive'] as const;
export type ExportPolicy = (typeof EXPORT_POLICIES)[number];

/** A CRM field and value stamped on exported records (e.g. LeadSource = Conduit). */
export interface ContactSourceDto {
  crmField: string;
  value: string;
}

export interface ExportSettingsDto {
  crm: CrmKind;
  policy: ExportPolicy;
  /** Export automatically when a person's engagement state reaches the policy level. */
  autoExport: boolean;
  contactSource: ContactSourceDto | null;
  /** Salesforce: a Lead external-id field holding the Conduit person id; exports then upsert on it. */
  externalIdField: string | null;
  /** Salesforce only (absent for HubSpot): write people as Leads, or as Contacts under an Account. */
  salesforceObject?: SalesforceExportObject;
  /** Salesforce only: in Contact + Account mode, a person who is an unconverted Lead with the same email. */
  whenLeadExists?: WhenLeadExists;
}

export const SALESFORCE_EXPORT_OBJECTS = ['lead', 'contact'] as const;
export type SalesforceExportObject = (typeof SALESFORCE_EXPORT_OBJECTS)[number];
/** update_lead: the Lead is updated (no Contact made); create_contact: a Contact is created under the Account, the Lead left as it is. */
export const WHEN_LEAD_EXISTS = ['update_lead', 'create_contact'] as const;
export type WhenLeadExists = (typeof WHEN_LEAD_EXISTS)[number];

export type UpdateExportSettingsBody = Partial<Omit<ExportSettingsDto, 'crm'>>;

/**
 * The fields a contact-source stamp can be written to: the writable discovered fields of the object people are
 * exported as (HubSpot contacts; Salesforce Lead or Contact, per the export object), custom ones included.
 */
export interface ContactSourceFieldsDto {
  crm: CrmKind;
  /** The CRM's name of that object ("Contact", "Lead"). */
  objectName: string;
  /** When the fields were last discovered; null: never (the list is then empty). */
  discoveredAt: string | null;
  fields: CrmFieldDto[];
}

export interface CrmOwnerDto {
  id: string;
  email: string | null;
  name: string;
  active: boolean;
  /** The team member the owner is paired with, and how. */
  memberId: string | null;
  via: 'override' | 'email' | null;
}

export interface OwnerMappingDto {
  crm: CrmKind;
  owners: CrmOwnerDto[];
  /** Active owners no member is paired with. */
  unmappedOwnerIds: string[];
  /** Team members without an owner (their records get the fallback owner). */
  unmappedMemberIds: string[];
  overrides: { crmOwnerId: string; memberId: string }[];
  defaultOwnerId: string | null;
  issues: { code: string; message: string }[];
}

export interface UpdateOwnerMappingBody {
  overrides: { crmOwnerId: string; memberId: string }[];
  defaultOwnerId: string | null;
}

/**
 * "Show advanced statuses": refinements of an engagement state, derived from the activities Conduit records (same
 * list, order and parents as @conduit/mapping ADVANCED_STATUSES). The order is the display order and, within a
 * parent, the rank (a person only moves up). A status mapping may give one its own CRM value; without one it uses its
 * parent's.
 */
export const ADVANCED_STATUSES = [
  { status: 'email_sent', parent: 'contacted', label: 'Email sent' },
  { status: 'linkedin_connection_requested', parent: 'contacted', label: 'LinkedIn connection requested' },
  { status: 'linkedin_message_sent', parent: 'contacted', label: 'LinkedIn message sent' },
  { status: 'called', parent: 'contacted', label: 'Called' },
  { status: 'linkedin_connected', parent: 'contacted', label: 'LinkedIn connected' },
  { status: 'meeting_booked', parent: 'replied_positive', label: 'Meeting booked' },
  { status: 'meeting_held', parent: 'replied_positive', label: 'Meeting held' },
] as const satisfies readonly { status: string; parent: EngagementState; label: string }[];
export type AdvancedStatus = (typeof ADVANCED_STATUSES)[number]['status'];

export interface StatusMappingDto {
  crm: CrmKind;
  /** False: no status is written on export. */
  enabled: boolean;
  crmField: string;
  source: 'leadStatus' | 'engagementState';
  /** Conduit status → CRM option value; advanced statuses (ADVANCED_STATUSES) without an entry use their parent's. */
  table: Record<string, string>;
  /** Options of the chosen field, from discovery. */
  options: { value: string; label: string }[];
  /** Enumeration fields the admin can pick from. */
  candidateFields: { name: string; label: string }[];
}

export interface UpdateStatusMappingBody {
  enabled: boolean;
  crmField: string;
  source: 'leadStatus' | 'engagementState';
  table: Record<string, string>;
}

export type ExportRunStatus = 'pending' | 'running' | 'paused' | 'done' | 'failed';

/** Why a person was not exported by a bulk export. */
export type ExportSkipReasonDto = 'below_policy' | 'no_email_or_name' | 'not_found';

export interface ExportRunDto {
  id: string;
  crm: CrmKind;
  status: ExportRunStatus;
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  needsAttention: number;
  skipped: number;
  skippedReasons: Partial<Record<ExportSkipReasonDto, number>>;
  /** 429s, retries and waits of the run's CRM calls (see SyncRunDto). */
  slowdown: RunSlowdownDto;
  error: string | null;
  /** Paused runs (#17): see SyncRunDto. */
  pausedReason: string | null;
  resumesAt: string | null;
  /** CRM API calls the run made (#17). */
  apiCalls: number;
  /** The forecast the run was started with (#17) next to what it took; null when started without one. */
  forecast: ForecastVsActualDto | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Bulk export: explicit ids, or a filter over people. */
export interface StartExportBody {
  personIds?: string[];
  /** The forecast shown before starting (#17); the run keeps it. */
  forecastId?: string;
  filter?: { engagementState?: string; leadStatus?: string; assignedUserId?: string; companyId?: string; search?: string };
}

/** What an export did with one person. */
export type ExportOutcome = 'created' | 'updated' | 'unchanged' | 'needs_attention';

export interface PushResultDto {
  personId: string;
  crm: CrmKind;
  /**
   * `queued`: the CRM could not take the push within a few seconds (it is rate limiting, or slow): it runs as an export
   * run (`runId`) and its outcome shows on the person's CRM badge, or in Needs attention if it fails.
   */
  outcome: ExportOutcome | 'queued';
  /** The export run a queued push continues in. */
  runId?: string;
  crmObject: string | null;
  crmId: string | null;
  recordUrl: string | null;
  reason: string | null;
  /** Salesforce Contact + Account: the Account the Contact is under and how it was found (or that it was created). */
  account?: { id: string; matchedBy: 'link' | 'domain' | 'name' | 'created'; recordUrl: string };
}

export interface NeedsAttentionDto {
  id: string;
  personId: string;
  personName: string | null;
  personEmail: string | null;
  crm: CrmKind;
  /** What went wrong, in words; the CRM's own message when it came from the CRM. */
  reason: string;
  code: string;
  /** The CRM fields concerned. */
  fields: string[];
  source: 'preflight' | 'crm';
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** A person's CRM record (the Prospects CRM badge): links to the record in the CRM (or the sandbox's record page). */
export interface CrmLinkDto {
  crm: CrmKind;
  object: 'contact' | 'lead' | 'company' | 'deal';
  crmId: string;
  recordUrl: string;
  lastSyncedAt: string;
}
