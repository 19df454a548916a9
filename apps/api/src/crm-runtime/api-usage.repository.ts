import { Injectable } from '@nestjs/common';
import { API_FEATURES, type ApiFeature, type ApiPauseCause } from '@conduit/contracts';
import { DataSource } from 'typeorm';

/** Calls of one connection, hour and feature, to be added to crm_api_usage. */
export interface UsageDelta {
  workspaceId: string;
  connectionId: string;
  hour: Date;
  feature: ApiFeature;
  calls: number;
}

/** One CRM reading of the account's daily usage. */
export interface ReportedUsage {
  workspaceId: string;
  connectionId: string;
  used: number;
  max: number;
  reportedAt: Date;
  /** The start of the span within which the CRM's count only grows (reported-reading.ts). */
  windowStart: Date;
  source: 'headers' | 'limits';
}

export interface PausedRunRow {
  type: 'sync' | 'export' | 'list';
  id: string;
  kind: string;
  name: string | null;
  paused_at: Date | null;
  paused_reason: string | null;
  pause_cause: ApiPauseCause | null;
  resumes_at: Date | null;
}

/** The SQL of crm_api_usage and crm_api_reported. Every read is scoped by workspace and connection. */
@Injectable()
export class ApiUsageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds the deltas (one statement for the whole batch). */
  async addUsage(deltas: readonly UsageDelta[]): Promise<void> {
    if (!deltas.length) return;
    await this.dataSource.query(
      `INSERT INTO crm_api_usage (workspace_id, connection_id, hour, feature, calls)
       SELECT v.workspace_id, v.connection_id, v.hour, v.feature, v.calls
         FROM jsonb_to_recordset($1::jsonb) AS v(workspace_id uuid, connection_id uuid, hour timestamptz, feature text, calls int)
         -- A connection deleted since the calls were made takes its usage with it.
        WHERE EXISTS (SELECT 1 FROM crm_connection c WHERE c.id = v.connection_id AND c.workspace_id = v.workspace_id)
       ON CONFLICT (connection_id, hour, feature) DO UPDATE SET calls = crm_api_usage.calls + EXCLUDED.calls`,
      [JSON.stringify(deltas.map((d) => ({ workspace_id: d.workspaceId, connection_id: d.connectionId, hour: d.hour.toISOString(), feature: d.feature, calls: d.calls })))],
    );
  }

  /**
   * Keeps the current reading of each hour: a later window's, or within the same window the highest (an answer that
   * arrives late with a lower count never replaces it; ApiUsageMeter does the same before its flush — `supersedes`).
   */
  async addReported(readings: readonly ReportedUsage[]): Promise<void> {
    if (!readings.length) return;
    await this.dataSource.query(
      `INSERT INTO crm_api_reported (workspace_id, connection_id, hour, used, max, reported_at, window_start, source)
       SELECT v.workspace_id, v.connection_id, date_trunc('hour', v.reported_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', v.used, v.max, v.reported_at, v.window_start, v.source
         FROM jsonb_to_recordset($1::jsonb) AS v(workspace_id uuid, connection_id uuid, used int, max int, reported_at timestamptz, window_start timestamptz, source text)
        WHERE EXISTS (SELECT 1 FROM crm_connection c WHERE c.id = v.connection_id AND c.workspace_id = v.workspace_id)
       ON CONFLICT (connection_id, hour) DO UPDATE
          SET used = EXCLUDED.used, max = EXCLUDED.max, reported_at = GREATEST(crm_api_reported.reported_at, EXCLUDED.reported_at), window_start = EXCLUDED.window_start, source = EXCLUDED.source
        WHERE crm_api_reported.window_start IS NULL OR crm_api_reported.window_start < EXCLUDED.window_start
           OR (crm_api_reported.window_start = EXCLUDED.window_start AND (crm_api_reported.max <> EXCLUDED.max OR crm_api_reported.used <= EXCLUDED.used))`,
      [
        JSON.stringify(
          readings.map((r) => ({
            workspace_id: r.workspaceId,
            connection_id: r.connectionId,
            used: r.used,
            max: r.max,
            reported_at: r.reportedAt.toISOString(),
            window_start: r.windowStart.toISOString(),
            source: r.source,
          })),
        ),
      ],
    );
  }

  /** Conduit's calls per feature in the hours from `fromHour` on. */
  async usedByFeature(workspaceId: string, connectionId: string, fromHour: Date): Promise<Record<ApiFeature, number>> {
    const rows = await this.dataSource.query<{ feature: ApiFeature; calls: number }[]>(
      `SELECT feature, sum(calls)::int AS calls FROM crm_api_usage WHERE workspace_id = $1 AND connection_id = $2 AND hour >= $3 GROUP BY feature`,
      [workspaceId, connectionId, fromHour],
    );
    const out = Object.fromEntries(API_FEATURES.map((f) => [f, 0])) as Record<ApiFeature, number>;
    for (const r of rows) out[r.feature] = r.calls;
    return out;
  }

  /** Conduit's calls per hour bucket from `fromHour` on (for Salesforce's rolling day). */
  hourly(workspaceId: string, connectionId: string, fromHour: Date): Promise<{ hour: Date; calls: number }[]> {
    return this.dataSource.query<{ hour: Date; calls: number }[]>(
      `SELECT hour, sum(calls)::int AS calls FROM crm_api_usage WHERE workspace_id = $1 AND connection_id = $2 AND hour >= $3 GROUP BY hour ORDER BY hour`,
      [workspaceId, connectionId, fromHour],
    );
  }

  /**
   * The connection's runs paused for the API budget: sync runs, export runs and CRM list syncs (their tables belong
   * to the features above the runtime; read here, never written, so the budget summary can list them).
   */
  pausedRuns(workspaceId: string, connectionId: string): Promise<PausedRunRow[]> {
    return this.dataSource.query<PausedRunRow[]>(
      `SELECT 'sync' AS type, id, kind, NULL AS name, paused_at, paused_reason, pause_cause, resumes_at FROM sync_run
        WHERE workspace_id = $1 AND connection_id = $2 AND status = 'paused'
       UNION ALL
       SELECT 'export', id, trigger, NULL, paused_at, paused_reason, pause_cause, resumes_at FROM export_run
        WHERE workspace_id = $1 AND connection_id = $2 AND status = 'paused'
       UNION ALL
       SELECT 'list', id, 'list', name, paused_at, paused_reason, pause_cause, resumes_at FROM crm_list
        WHERE workspace_id = $1 AND connection_id = $2 AND sync_status = 'paused'
       ORDER BY resumes_at, id`,
      [workspaceId, connectionId],
    );
  }

  /** The newest reading of the connection, if any. */
  async latestReported(workspaceId: string, connectionId: string): Promise<{ used: number; max: number; reportedAt: Date } | null> {
    const [row] = await this.dataSource.query<{ used: number; max: number; reported_at: Date }[]>(
      `SELECT used, max, reported_at FROM crm_api_reported WHERE workspace_id = $1 AND connection_id = $2 ORDER BY hour DESC LIMIT 1`,
      [workspaceId, connectionId],
    );
    return row ? { used: row.used, max: row.max, reportedAt: row.reported_at } : null;
  }
}
