import { Injectable } from '@nestjs/common';
import type { ApiFeature } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import type { ReportedRow, UsageRow } from './usage-series.js';

export interface RunUsageRow {
  type: 'sync' | 'export';
  id: string;
  kind: string;
  status: string;
  started_at: Date | null;
  finished_at: Date | null;
  calls: number | null;
  /** A person re-read: its CRM, the person's record it read (its link, null once gone) and the person's name. */
  crm: 'hubspot' | 'salesforce';
  person_id: string | null;
  person_name: string | null;
  record_object: string | null;
  record_crm_id: string | null;
}

/** The usage dashboard's reads (#17): Conduit's calls (crm_api_usage), the CRM's readings (crm_api_reported), the runs. */
@Injectable()
export class UsageRepository {
  constructor(private readonly dataSource: DataSource) {}

  async calls(workspaceId: string, connectionId: string, since: Date): Promise<UsageRow[]> {
    const rows = await this.dataSource.query<{ hour: Date; feature: ApiFeature; calls: number }[]>(
      `SELECT hour, feature, calls FROM crm_api_usage WHERE workspace_id = $1 AND connection_id = $2 AND hour >= $3 ORDER BY hour`,
      [workspaceId, connectionId, since],
    );
    return rows.map((r) => ({ hour: r.hour, feature: r.feature, calls: Number(r.calls) }));
  }

  async reported(workspaceId: string, connectionId: string, since: Date): Promise<(ReportedRow & { max: number })[]> {
    const rows = await this.dataSource.query<{ hour: Date; used: number; max: number }[]>(
      `SELECT hour, used, max FROM crm_api_reported WHERE workspace_id = $1 AND connection_id = $2 AND hour >= $3 ORDER BY hour`,
      [workspaceId, connectionId, since],
    );
    return rows.map((r) => ({ hour: r.hour, used: Number(r.used), max: Number(r.max) }));
  }

  /** The newest CRM reading of the account's daily limit, if any. */
  async latestMax(workspaceId: string, connectionId: string): Promise<number | null> {
    const [row] = await this.dataSource.query<{ max: number }[]>(
      `SELECT max FROM crm_api_reported WHERE workspace_id = $1 AND connection_id = $2 ORDER BY hour DESC LIMIT 1`,
      [workspaceId, connectionId],
    );
    return row ? Number(row.max) : null;
  }

  /** Import runs (not webhook reads) and bulk exports of the connection created since, newest first. */
  runs(workspaceId: string, connectionId: string, since: Date, limit: number): Promise<RunUsageRow[]> {
    return this.dataSource.query<RunUsageRow[]>(
      `SELECT r.*, coalesce(nullif(trim(concat_ws(' ', p.first_name, p.last_name)), ''), p.email) AS person_name, l.object AS record_object, l.crm_id AS record_crm_id
         FROM (
           SELECT 'sync' AS type, id, kind, status, started_at, finished_at, api_calls AS calls, created_at, crm, person_id, objects FROM sync_run
            WHERE workspace_id = $1 AND connection_id = $2 AND created_at >= $3 AND kind <> 'webhook'
           UNION ALL
           SELECT 'export', id, trigger, status, created_at, finished_at, NULL::int, created_at, crm, NULL::uuid, NULL::text[] FROM export_run
            WHERE workspace_id = $1 AND connection_id = $2 AND created_at >= $3 AND trigger = 'bulk'
           ORDER BY created_at DESC LIMIT $4
         ) r
         LEFT JOIN person p ON p.id = r.person_id AND p.workspace_id = $1
         -- A person re-read read the person's record of this connection (of the object it names).
         LEFT JOIN LATERAL (
           SELECT l.object, l.crm_id FROM crm_link l
            WHERE r.person_id IS NOT NULL AND l.workspace_id = $1 AND l.connection_id = $2 AND l.person_id = r.person_id AND l.object = ANY(r.objects)
            ORDER BY l.archived_at DESC NULLS FIRST, l.last_synced_at DESC LIMIT 1
         ) l ON true
        ORDER BY r.created_at DESC`,
      [workspaceId, connectionId, since, limit],
    );
  }
}
