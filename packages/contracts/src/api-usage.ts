/** API budget (#17): what big work will cost before it runs (forecast), and what it cost after. */
import type { ApiFeature } from './api-budget.js';
import type { CrmKind } from './connections.js';
import type { StartExportBody } from './export.js';
import type { CrmRecordRefDto, SyncObject } from './sync.js';

export const FORECAST_KINDS = ['backfill', 'remap', 'bulk-export', 'list-sync'] as const;
/** Bulk work a forecast is made for: a full import, a re-apply of the mapping, a bulk export, a CRM list's membership sync. */
export type ForecastKind = (typeof FORECAST_KINDS)[number];

/** POST /connections/:id/forecast. `objects` for backfill/remap (default: the sync settings'), `export` for bulk-export, `listId` for list-sync. */
export interface ForecastRequestBody {
  kind: ForecastKind;
  objects?: SyncObject[];
  export?: StartExportBody;
  listId?: string;
}

/** Where the pace of a forecast comes from: past runs of this kind on this connection, or the CRM's page sizes and rate limits. */
export type ForecastPaceSource = 'measured' | 'limits';

/** The figures of a forecast, as stored on the run it was made for (sync_run.forecast / export_run.forecast). */
export interface RunForecastDto {
  /** The forecast's id (pass it as `forecastId` when starting the work, so the run keeps it). */
  id: string;
  kind: ForecastKind;
  /** Records the work reads or writes. */
  records: number;
  expectedCalls: number;
  /** Time the work itself takes at the pace used (waits for a daily reset not included). */
  expectedSeconds: number;
  pace: { source: ForecastPaceSource; callsPerRecord: number; recordsPerSecond: number; runsMeasured: number };
  createdAt: string;
}

/** Today's API budget of the connection as the forecast saw it (null where Conduit does not know it yet). */
export interface ForecastBudgetDto {
  /** The CRM's daily limit for the account (HubSpot daily / Salesforce DailyApiRequests Max). */
  dailyLimit: number | null;
  /** Calls Conduit's bulk work may still spend before it pauses (its daily allocation minus what it spent and the live reserve). */
  remainingToday: number | null;
  /** What the bulk work may spend in a whole day after the reset. */
  allowancePerDay: number | null;
  /** When the daily budget resets (HubSpot: midnight; Salesforce: rolling 24 h, so when enough calls age out). */
  resetsAt: string | null;
}

/** Where the work will pause if it goes ahead: after `atShare` of it (0–1), until `resumesAt`. */
export interface ForecastPauseDto {
  atShare: number;
  /** Null when the CRM's reset time is not known yet. */
  resumesAt: string | null;
  /** Daily resets the work waits for before it ends (1 = it finishes after tomorrow's reset). */
  resets: number;
}

/** The answer of POST /connections/:id/forecast. */
export interface ForecastDto extends RunForecastDto {
  connectionId: string;
  crm: CrmKind;
  /** Records per CRM object (or `person` for an export, `member` for a list). */
  recordsByObject: { object: string; records: number }[];
  budget: ForecastBudgetDto;
  /** expectedCalls ÷ budget.remainingToday (null when the remaining allocation is unknown); above 1 means it pauses. */
  shareOfRemaining: number | null;
  pause: ForecastPauseDto | null;
  /** When the work should end, waits for resets included. */
  finishesAt: string;
  /** One sentence for the admin, e.g. "About 1,010 API calls and 8 min: 2 % of what Conduit may still use today." */
  summary: string;
}

/** A finished run's forecast next to what it took (on GET /sync/runs/:id and GET /export/runs/:id). */
export interface ForecastVsActualDto {
  forecast: RunForecastDto;
  actual: { calls: number | null; seconds: number | null; records: number };
  /** actual ÷ forecast − 1 (0.12 = 12 % more than forecast); null until the run ended or when not measured. */
  callsError: number | null;
  secondsError: number | null;
}

export const API_USAGE_WINDOWS = ['24h', '7d'] as const;
/** The usage chart's window: the last 24 hours by hour, or the last 7 days by day. */
export type ApiUsageWindow = (typeof API_USAGE_WINDOWS)[number];

/** One bar of the usage chart. */
export interface ApiUsagePointDto {
  /** Start of the hour (24 h) or of the UTC day (7 d). */
  at: string;
  /**
   * Conduit's calls by feature. 24 h: what counted against the day's budget at the end of that hour (HubSpot: since
   * the day's start, so a reset drops it to zero; Salesforce: the rolling 24 hours before it). 7 d: the day's calls.
   */
  byFeature: Record<ApiFeature, number>;
  conduit: number;
  /** The whole account's calls (every integration) as the CRM last reported them in that hour or day; null when it said nothing. */
  crmReported: number | null;
}

/** A run of the connection with the calls it spent and what share of the account's day that was. */
export interface ApiUsageRunDto {
  type: 'sync' | 'export';
  id: string;
  /** "Backfill", "Re-apply mapping", "Bulk export"… */
  label: string;
  /**
   * The record a one-record run re-read (#21: "Sync now" on a person): the person by name, with its Conduit page and
   * its CRM page; null for other runs, and once the person is deleted (the label says so).
   */
  record: CrmRecordRefDto | null;
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Null where the run does not count its calls (export runs). */
  calls: number | null;
  /** calls ÷ the account's daily limit; null when either is unknown. */
  shareOfDay: number | null;
}

/** GET /connections/:id/api-usage?window=24h|7d: Conduit's calls by feature against the allocation and the CRM-reported total. */
export interface ApiUsageDto {
  connectionId: string;
  crm: CrmKind;
  window: ApiUsageWindow;
  points: ApiUsagePointDto[];
  /** Calls in the window. */
  totals: { conduit: number; byFeature: Record<ApiFeature, number> };
  /** The account's daily limit (CRM-reported, else the admin's) and Conduit's daily allocation of it; null when unknown. */
  dailyLimit: number | null;
  allocation: number | null;
  runs: ApiUsageRunDto[];
}
