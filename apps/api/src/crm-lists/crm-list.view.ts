import type { CrmListDto, CrmListKind, CrmListSyncStatus, CrmListUsageDto } from '@conduit/contracts';

/** A crm_list row as the list queries select it (snake_case columns, usage aggregated as jsonb). */
export interface CrmListRow {
  id: string;
  connection_id: string;
  crm: 'hubspot' | 'salesforce';
  crm_list_id: string;
  name: string;
  kind: CrmListKind;
  size: number | null;
  crm_updated_at: Date | null;
  member_count: number;
  sync_status: CrmListSyncStatus;
  last_error: string | null;
  paused_reason: string | null;
  resumes_at: Date | null;
  last_synced_at: Date | null;
  deleted_in_crm_at: Date | null;
  refresh_minutes: number;
  used_by: CrmListUsageDto[] | null;
}

/** SELECT list for CrmListRow over `crm_list l`, with where-used from campaign audiences and suppressions. */
export const LIST_COLUMNS = `
  l.id, l.connection_id, l.crm, l.crm_list_id, l.name, l.kind, l.size, l.crm_updated_at, l.member_count, l.sync_status,
  l.last_error, l.paused_reason, l.resumes_at, l.last_synced_at, l.deleted_in_crm_at, l.refresh_minutes,
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
    size: r.size,
    crmUpdatedAt: r.crm_updated_at?.toISOString() ?? null,
    memberCount: r.member_count,
    syncStatus: r.sync_status,
    lastError: r.last_error,
    pausedReason: r.sync_status === 'paused' ? r.paused_reason : null,
    resumesAt: r.sync_status === 'paused' ? (r.resumes_at?.toISOString() ?? null) : null,
    lastSyncedAt: r.last_synced_at?.toISOString() ?? null,
    deletedInCrmAt: r.deleted_in_crm_at?.toISOString() ?? null,
    refreshMinutes: r.refresh_minutes,
    usedBy: r.used_by ?? [],
  };
}
