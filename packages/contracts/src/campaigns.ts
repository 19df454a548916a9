/** Campaigns, CRM lists (audiences and suppression lists) and do-not-contact: shapes shared by the API and the admin. */
import type { CrmRecordRefDto } from './sync.js';
import type { ForecastVsActualDto } from './api-usage.js';

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The channel a campaign sends on: its recipients exclude people who withdrew consent for it (email opt-out or bounce; do not call). */
export const CAMPAIGN_CHANNELS = ['email', 'phone', 'linkedin'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

/** static: HubSpot MANUAL/SNAPSHOT lists and Salesforce Campaigns (refreshed on demand); dynamic: HubSpot DYNAMIC lists and Salesforce list views (refreshed on a schedule too). */
export type CrmListKind = 'static' | 'dynamic';
/** What a list is in the CRM: a HubSpot list, a Salesforce Campaign, or a Salesforce list view (a saved filter on Leads or Contacts). */
export type CrmListSource = 'list' | 'campaign' | 'list_view';

/**
 * A list Conduit can no longer read: `deleted` (the CRM answers 404 or dropped it from its catalog — for a Salesforce
 * list view also one no longer shared with the connected user, which Salesforce does not tell apart) or `unreadable`
 * (the CRM refuses to run it, e.g. a list view filtering on a field the connected user cannot read). Its last members
 * stay in use; `reason` says what happened in plain words.
 */
export interface CrmListUnavailableDto {
  state: 'deleted' | 'unreadable';
  since: string;
  reason: string;
}
/** `paused`: the membership sync stopped at the connection's daily API allocation (#17) and resumes at `resumesAt`. */
export type CrmListSyncStatus = 'never' | 'pending' | 'running' | 'paused' | 'ok' | 'failed';

/** Where a list is used: as an audience or suppression list of a campaign, or workspace-wide suppression (campaignId null). */
export interface CrmListUsageDto {
  campaignId: string | null;
  campaignName: string | null;
  role: 'audience' | 'suppression';
}

export interface CrmListDto {
  /** Conduit id (a list gets one when first browsed). */
  id: string;
  connectionId: string;
  crm: 'hubspot' | 'salesforce';
  crmListId: string;
  name: string;
  kind: CrmListKind;
  source: CrmListSource;
  /** The object a Salesforce list view lists; null otherwise. */
  crmObject: 'lead' | 'contact' | null;
  /** Size the CRM reports. */
  size: number | null;
  crmUpdatedAt: string | null;
  /** Members held in Conduit after the last sync. */
  memberCount: number;
  syncStatus: CrmListSyncStatus;
  lastError: string | null;
  lastSyncedAt: string | null;
  /** A paused sync (#17): the plain reason and when it resumes by itself. */
  pausedReason: string | null;
  resumesAt: string | null;
  /** Set when the CRM answered 404 for the list: it keeps its last members until an admin acts. */
  deletedInCrmAt: string | null;
  /** Deleted or unreadable in the CRM, with the reason; null while Conduit can read it. */
  unavailable: CrmListUnavailableDto | null;
  /** A dynamic list in use is re-read at least this often (minutes, 5–10080; default 15). */
  refreshMinutes: number;
  usedBy: CrmListUsageDto[];
  /** The forecast the latest sync started with one was shown (#17), next to what that sync took; null when none. */
  syncForecast: ForecastVsActualDto | null;
}

/** POST /crm-lists/:id/sync. */
export interface SyncCrmListBody {
  /** The forecast shown before (POST /connections/:id/forecast, kind list-sync): the sync keeps it. */
  forecastId?: string;
}

export interface UpdateCrmListDto {
  refreshMinutes: number;
}

export interface CrmListSyncResultDto {
  listId: string;
  jobId: string;
}

/**
 * POST /campaigns/:id/refresh-lists: the CRM lists the campaign reads (audiences, its suppression lists and the
 * workspace-wide ones) queued for a membership sync; a list already syncing keeps its running sync (`alreadySyncing`).
 * Lists deleted in the CRM or whose CRM is not connected are left out with the reason.
 */
export interface CampaignListsRefreshDto {
  campaignId: string;
  queued: { listId: string; name: string; alreadySyncing: boolean }[];
  skipped: { listId: string; name: string; reason: string }[];
}

export interface CampaignAudienceDto {
  id: string;
  kind: 'crm_list' | 'people';
  list: Pick<CrmListDto, 'id' | 'name' | 'kind' | 'crm' | 'source' | 'crmObject' | 'memberCount' | 'deletedInCrmAt' | 'unavailable'> | null;
  personId: string | null;
}

export interface CampaignSuppressionDto {
  id: string;
  /** null: workspace-wide (applies to every campaign). */
  campaignId: string | null;
  list: Pick<CrmListDto, 'id' | 'name' | 'kind' | 'crm' | 'source' | 'crmObject' | 'memberCount' | 'deletedInCrmAt' | 'unavailable'>;
}

export interface CampaignDto {
  id: string;
  name: string;
  status: CampaignStatus;
  channel: CampaignChannel;
  audiences: CampaignAudienceDto[];
  suppressions: CampaignSuppressionDto[];
  /** Lists this campaign uses that were deleted in the CRM. */
  deletedLists: { id: string; name: string }[];
  /** Lists this campaign uses that were deleted in the CRM or became unreadable, with the reason (their last members stay in use). */
  unavailableLists: ({ id: string; name: string; crm: 'hubspot' | 'salesforce'; source: CrmListSource; crmObject: 'lead' | 'contact' | null } & CrmListUnavailableDto)[];
  createdAt: string;
  updatedAt: string;
}

export interface CreateCampaignDto {
  name: string;
  status?: CampaignStatus;
  /** Default email. */
  channel?: CampaignChannel;
  /** Conduit CRM list ids (from GET /crm-lists). */
  audienceListIds?: string[];
  audiencePersonIds?: string[];
  suppressionListIds?: string[];
}
export type UpdateCampaignDto = Partial<CreateCampaignDto>;

export interface RecipientCountsDto {
  /** Distinct people in the audiences. */
  audience: number;
  /** Audience people on a suppression list (campaign or workspace-wide). */
  suppressed: number;
  /** Audience people not suppressed but do-not-contact. */
  dnc: number;
  /** Audience people neither suppressed nor do-not-contact whose consent for the campaign's channel is withdrawn (opted out, bounced, do not call). */
  consent: number;
  /** What the outbound engine gets. */
  final: number;
}

export interface RecipientDto {
  personId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  companyName: string | null;
}

export interface RecipientsPageDto {
  items: RecipientDto[];
  page: number;
  pageSize: number;
  total: number;
}

export type ExclusionReason = 'suppressed' | 'dnc_open_deal' | 'dnc_customer' | 'dnc_domain' | 'email_opted_out' | 'email_bounced' | 'do_not_call';

export interface ExclusionReasonDto {
  reason: ExclusionReason;
  /** List, deal or domain name; for consent reasons the CRM's or the outbound engine's own words. */
  detail: string | null;
  /** Consent reasons: where it came from (a CRM, or null for the outbound engine) and when (ISO). */
  crm?: 'hubspot' | 'salesforce' | null;
  at?: string | null;
}

export interface ExcludedRecipientDto extends RecipientDto {
  reasons: ExclusionReasonDto[];
}

export interface ExcludedPageDto {
  items: ExcludedRecipientDto[];
  page: number;
  pageSize: number;
  total: number;
}

export type DncReasonKind = 'open_deal' | 'customer' | 'domain';

export interface DncSettingsDto {
  /** People associated with an open deal are DNC. */
  openDeals: boolean;
  /** Only open deals in these stages count (empty = every open stage). */
  openDealStages: string[];
  /** A company with a closed-won deal is a customer. */
  closedWonCustomers: boolean;
  /** HubSpot company lifecycle stages that make it a customer. */
  hubspotCustomerStages: string[];
  /** Salesforce Account Type values that make it a customer. */
  salesforceCustomerTypes: string[];
  /** Email domains never contacted (lowercase). */
  domains: string[];
}
export type UpdateDncSettingsDto = Partial<DncSettingsDto>;

export interface DealDto {
  id: string;
  connectionId: string;
  crm: 'hubspot' | 'salesforce';
  crmId: string;
  name: string | null;
  stage: string | null;
  amount: number | null;
  closeDate: string | null;
  isClosed: boolean;
  isWon: boolean;
  /**
   * The deal in words (#21): its name, else "Deal with <its company>", else none (the admin says "Unnamed HubSpot
   * deal"), with its page in the CRM — never its bare id.
   */
  record: CrmRecordRefDto;
}

export interface PersonDncDto {
  personId: string;
  dnc: boolean;
  /**
   * `record`: what the reason is about, in words — the deal (open, or won by the person's company), or the company a
   * CRM holds as a customer (`detail` is then its lifecycle stage or account type); null for a blocked domain.
   */
  reasons: { reason: DncReasonKind; detail: string | null; dealId: string | null; record: CrmRecordRefDto | null }[];
  deals: DealDto[];
}
