/**
 * API budget governance (#17): how many CRM API calls Conduit may spend a day per connection, what it spent by feature,
 * what the CRM itself reports for the whole account, and the runs paused because the day's allocation is spent.
 */
import type { CrmKind } from './connections.js';

/** What Conduit spent its calls on (each CRM call is counted under one). */
export const API_FEATURES = ['backfill', 'incremental', 'export', 'lists', 'activities', 'workflows', 'discovery', 'token_refresh', 'other'] as const;
export type ApiFeature = (typeof API_FEATURES)[number];

/** Plain labels for the admin (charts, tables). */
export const API_FEATURE_LABELS: Record<ApiFeature, string> = {
  backfill: 'Backfills and remaps',
  incremental: 'Scheduled syncs',
  export: 'Exports',
  lists: 'List syncs',
  activities: 'Activity logging',
  workflows: 'Workflows',
  discovery: 'Field discovery',
  token_refresh: 'Token refresh',
  other: 'Other',
};

/**
 * `bulk`: backfills, incremental syncs, remaps, bulk exports, list syncs — stops when the allocation minus the live
 * reserve is spent. `live`: activity logging, single pushes, workflow handoffs — keeps going into the live reserve.
 */
export type ApiWorkClass = 'bulk' | 'live';

/** The daily rule of the CRM: HubSpot resets at midnight in the account's time zone, Salesforce counts a rolling 24 hours. */
export type ApiDailyResetRule = 'midnight' | 'rolling_24h';

/** Why a run is paused: Conduit's own daily allocation reached, or the CRM refused for its daily limit (HubSpot DAILY 429, Salesforce REQUEST_LIMIT_EXCEEDED). */
export type ApiPauseCause = 'daily_allocation' | 'crm_daily_limit';

/** GET /connections/:id/api-allocation (and the answer of PUT). */
export interface ApiAllocationDto {
  /** Share of the CRM's daily API budget Conduit may use, in percent (1–100, default 50). */
  dailyShare: number;
  /** Share of the CRM's 10-second window Conduit paces itself to, in percent (1–100, default 95; HubSpot only — Salesforce has no 10-second window). */
  windowShare: number;
  /** Part of the daily allocation kept for live work (activities, single pushes, workflows), in percent of the allocation (0–90, default 10). */
  liveReserveShare: number;
  /**
   * The account's daily API limit when the CRM does not report it (HubSpot sends no daily headers to OAuth apps).
   * Null: use what the CRM reports; if it reports nothing either, no daily allocation is enforced.
   */
  accountDailyLimit: number | null;
  /** When an admin last changed it; null = defaults. */
  updatedAt: string | null;
}

/** PUT /connections/:id/api-allocation: any subset; a bad value → 400 naming the field. */
export interface UpdateApiAllocationBody {
  dailyShare?: number;
  windowShare?: number;
  liveReserveShare?: number;
  accountDailyLimit?: number | null;
}

/** A run paused by the budget, as the budget summary and the run pages list it. */
export interface PausedRunDto {
  /** Which run table: sync runs (backfill, incremental, remap, list import), export runs, CRM list membership syncs. */
  type: 'sync' | 'export' | 'list';
  id: string;
  /** Sync run kind, export trigger, or 'list'. */
  kind: string;
  /** e.g. "Backfill", "Bulk export", "List sync: Q3 webinar". */
  label: string;
  pausedAt: string;
  /** "Paused: daily API allocation reached". */
  reason: string;
  cause: ApiPauseCause;
  resumesAt: string;
}

/** GET /connections/:id/api-budget: the connection's daily API budget right now. */
export interface ApiBudgetDto {
  connectionId: string;
  crm: CrmKind;
  allocation: ApiAllocationDto;
  reset: {
    rule: ApiDailyResetRule;
    /** IANA zone the midnight is in (HubSpot); 'UTC' for Salesforce's rolling day. */
    timeZone: string;
    /** 'account': the CRM account's own zone; 'utc_default': the CRM did not tell, so UTC. */
    timeZoneSource: 'account' | 'utc_default';
    /** Start of the day counted now (midnight, or now − 24 h for a rolling day). */
    periodStart: string;
    /** When the day's count starts again (next midnight; for a rolling day, when the oldest counted hour leaves it). */
    nextResetAt: string;
  };
  /** The account's daily limit the allocation is a share of, and where it comes from; null when unknown (nothing enforced). */
  dailyLimit: number | null;
  dailyLimitSource: 'crm' | 'admin' | null;
  /** Calls Conduit made in the current day, in all and by feature. */
  conduit: { used: number; bulk: number; live: number; byFeature: Record<ApiFeature, number> };
  /** What the CRM last reported for the whole account (every integration), and when. */
  crmReported: { used: number; max: number; reportedAt: string } | null;
  /** Calls other integrations made today (CRM-reported used − Conduit's), when the CRM reports it. */
  others: number | null;
  /** Conduit's daily allocation in calls, the part bulk work may use, and the live reserve; null when no limit is known. */
  allowance: { daily: number; bulk: number; reserve: number } | null;
  /** Calls left today for bulk work and for live work (which may also use the reserve); null when nothing is enforced. */
  remaining: { bulk: number; live: number } | null;
  /** Bulk work is paused until nextResetAt (its share is spent). */
  bulkExhausted: boolean;
  pausedRuns: PausedRunDto[];
}
