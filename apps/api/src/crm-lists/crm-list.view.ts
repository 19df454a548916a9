import type { CrmListDto, CrmListKind, CrmListSource, CrmListSyncStatus, CrmListUnavailableDto, CrmListUsageDto, RunForecastDto } from '@conduit/contracts';
import { forecastVsActual } from '../common/run-forecast.js';

/** A crm_list row as the list queries select it (snake_case columns, usage aggregated as jsonb). */
export interface CrmListRow {
  id: string;
  connection_id: string;
  crm: 'hubspot' | 'salesforce';
  crm_list_id: string;
  name: string;
  kind: CrmListKind;
  source: CrmListSource;
  crm_object: 'lead' | 'contact' | null;
  size: number | null;
  crm_updated_at: Date | null;
  member_count: number;
  sync_status: CrmListSyncStatus;
  last_error: string | null;
  paused_reason: string | null;
  resumes_at: Date | null;
  last_synced_at: Date | null;
  deleted_in_crm_at: Date | null;
  unreadable_at: Date | null;
  unreadable_reason: string | null;
  refresh_minutes: number;
  used_by: CrmListUsageDto[] | null;
  sync_forecast: RunForecastDto | null;
  /** The job of the sync that forecast was for (its result: members and apiCalls). */
  sync_forecast_job: { status: string; started_at: string | null; finished_at: string | null; result: { members?: number; apiCalls?: number } | null } | null;
}

/** SELECT list for CrmListRow over `crm_list l`, with where-used from campaign audiences and suppressions. */
export const LIST_COLUMNS = `
  l.id, l.connection_id, l.crm, l.crm_list_id, l.name, l.kind, l.source, l.crm_object, l.size, l.crm_updated_at, l.member_count, l.sync_status,
  l.last_error, l.paused_reason, l.resumes_at, l.last_synced_at, l.deleted_in_crm_at, l.unreadable_at, l.unreadable_reason, l.refresh_minutes,
  l.sync_forecast,
  (SELECT jsonb_build_object('status', j.status, 'started_at', j.started_at, 'finished_at', j.finished_at, 'result', j.result)
     FROM outbox_job j WHERE j.id = l.sync_forecast_job_id AND j.workspace_id = l.workspace_id) AS sync_forecast_job,
  (SELECT jsonb_agg(u ORDER BY u."campaignName" NULLS FIRST) FROM (
     SELECT a.campaign_id AS "campaignId", c.name AS "campaignName", 'audience' AS role
       FROM campaign_audience a JOIN campaign c ON c.id = a.campaign_id WHERE a.list_id = l.id AND a.workspace_id = l.workspace_id
     UNION ALL
     SELECT s.campaign_id, c.name, 'suppression'
       FROM campaign_suppression s LEFT JOIN campaign c ON c.id = s.campaign_id WHERE s.list_id = l.id AND s.workspace_id = l.workspace_id
  ) u) AS used_by`;

export function toListDto(r: CrmListRow): CrmListDto {
  return {
    id: r.id,
    connectionId: r.connection_id,
    crm: r.crm,
    crmListId: r.crm_list_id,
    name: r.name,
    kind: r.kind,
    source: r.source,
    crmObject: r.crm_object,
    size: r.size,
    crmUpdatedAt: r.crm_updated_at?.toISOString() ?? null,
    memberCount: r.member_count,
    syncStatus: r.sync_status,
    lastError: r.last_error,
    pausedReason: r.sync_status === 'paused' ? r.paused_reason : null,
    resumesAt: r.sync_status === 'paused' ? (r.resumes_at?.toISOString() ?? null) : null,
    lastSyncedAt: r.last_synced_at?.toISOString() ?? null,
    deletedInCrmAt: r.deleted_in_crm_at?.toISOString() ?? null,
    unavailable: unavailableOf({ source: r.source, deletedInCrmAt: r.deleted_in_crm_at, unreadableAt: r.unreadable_at, unreadableReason: r.unreadable_reason }),
    refreshMinutes: r.refresh_minutes,
    usedBy: r.used_by ?? [],
    syncForecast: syncForecastOf(r),
  };
}

/** The forecast of the list's latest sync started with one, next to what that sync's job took (#17). */
function syncForecastOf(r: Pick<CrmListRow, 'sync_forecast' | 'sync_forecast_job'>): CrmListDto['syncForecast'] {
  if (!r.sync_forecast) return null;
  const job = r.sync_forecast_job;
  const date = (d: string | null | undefined) => (d ? new Date(d) : null);
  return forecastVsActual(r.sync_forecast, {
    status: job?.status ?? 'pending',
    startedAt: date(job?.started_at),
    finishedAt: date(job?.finished_at),
    calls: job?.result?.apiCalls ?? null,
    records: job?.result?.members ?? 0,
  });
}

/** What a list is, in the words of its CRM ("list view", "Campaign", "list"). */
function listNoun(source: CrmListSource): string {
  switch (source) {
    case 'list_view':
      return 'list view';
    case 'campaign':
      return 'Campaign';
    case 'list':
      return 'list';
  }
}

/**
 * Whether Conduit can still read a list, and why not, in plain words for the campaign page. A deleted list wins over
 * an unreadable one. A Salesforce list view made private to someone else answers 404 like a deleted one (Salesforce
 * does not tell a user about what they may not see), so its sentence names both.
 */
export function unavailableOf(l: { source: CrmListSource; deletedInCrmAt: Date | string | null; unreadableAt: Date | string | null; unreadableReason: string | null }): CrmListUnavailableDto | null {
  const iso = (d: Date | string) => (typeof d === 'string' ? new Date(d).toISOString() : d.toISOString());
  if (l.deletedInCrmAt) {
    const crm = l.source === 'list' ? 'HubSpot' : 'Salesforce';
    const reason =
      l.source === 'list_view'
        ? 'This list view was deleted in Salesforce, or is no longer shared with the connected Salesforce user.'
        : `This ${listNoun(l.source)} was deleted in ${crm}.`;
    return { state: 'deleted', since: iso(l.deletedInCrmAt), reason };
  }
  if (l.unreadableAt) {
    return { state: 'unreadable', since: iso(l.unreadableAt), reason: l.unreadableReason ?? `The CRM no longer lets Conduit read this ${listNoun(l.source)}.` };
  }
  return null;
}

/**
 * The sentence stored when the CRM refuses to read a list (validation or permission error from the membership read):
 * the CRM's own explanation, without SOQL's "ERROR at Row:1:Column:40" position prefix.
 */
export function unreadableReason(source: CrmListSource, crmLabel: string, crmMessage: string): string {
  const afterPosition = /ERROR at Row:\d+:Column:\d+\s*([\s\S]*)$/.exec(crmMessage);
  const detail = (afterPosition?.[1] ?? crmMessage).trim().split('\n')[0]?.trim() ?? '';
  const column = /No such column '([^']+)' on entity '([^']+)'/.exec(detail);
  const why = column ? `its filter uses the field ${column[1]}, which the connected ${crmLabel} user cannot read` : detail.replace(/\.$/, '');
  return `${crmLabel} no longer lets Conduit read this ${listNoun(source)}: ${why}.`;
}
