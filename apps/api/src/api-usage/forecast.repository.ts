import { Injectable } from '@nestjs/common';
import type { ForecastDto, ForecastKind, RunForecastDto } from '@conduit/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { ForecastRef, RunForecasts } from '../common/run-forecast.js';
import { crmLinkSql } from '../sync/crm-link.repository.js';
import type { PaceSample } from './forecast.js';

/** A forecast is taken by the run it was made for within this time; an older one no longer says what the work costs. */
export const FORECAST_TTL_MS = 60 * 60 * 1000;
/** Past runs read for a measured pace (the newest usable ones are averaged, see measuredPace). */
const SAMPLE_ROWS = 20;

/**
 * The SQL of forecasts: past runs' pace, what the work touches in Conduit's tables (crm_link through crmLinkSql and
 * CrmLinkRepository), and the stored forecasts (api_forecast). It is the RUN_FORECASTS the sync and export features claim a run's forecast from.
 */
@Injectable()
export class ForecastRepository implements RunForecasts {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Finished backfills or remaps of the connection, newest first: records read (people, companies and the related
   * deals, owners and lists), calls recorded on the run, seconds from start to finish.
   */
  syncSamples(workspaceId: string, connectionId: string, kind: 'backfill' | 'remap'): Promise<PaceSample[]> {
    return this.samples(
      `SELECT (created + updated + unchanged + failed + archived
               + COALESCE((SELECT sum(value::numeric) FROM jsonb_each_text(COALESCE(related_counts, '{}'::jsonb))), 0))::float8 AS records,
              api_calls::float8 AS calls, EXTRACT(EPOCH FROM finished_at - started_at)::float8 AS seconds
         FROM sync_run
        WHERE workspace_id = $1 AND connection_id = $2 AND kind = $3 AND status = 'done' AND started_at IS NOT NULL AND finished_at IS NOT NULL
        ORDER BY finished_at DESC LIMIT ${SAMPLE_ROWS}`,
      [workspaceId, connectionId, kind],
    );
  }

  /**
   * Finished bulk exports of the connection that counted their calls (#17), newest first: people exported, of them the
   * ones already linked (updated or unchanged), calls, seconds from the job's start.
   */
  exportSamples(workspaceId: string, connectionId: string): Promise<PaceSample[]> {
    return this.samples(
      `SELECT processed::float8 AS records, (updated + unchanged)::float8 AS linked, api_calls::float8 AS calls, EXTRACT(EPOCH FROM finished_at - started_at)::float8 AS seconds
         FROM export_run
        WHERE workspace_id = $1 AND connection_id = $2 AND trigger = 'bulk' AND status = 'done' AND started_at IS NOT NULL AND finished_at IS NOT NULL
        ORDER BY finished_at DESC LIMIT ${SAMPLE_ROWS}`,
      [workspaceId, connectionId],
    );
  }

  /**
   * Finished membership syncs of the connection's lists, newest first: members, of them the ones Conduit held already
   * (not imported), calls (pages and imports), seconds.
   */
  listSamples(workspaceId: string, connectionId: string): Promise<PaceSample[]> {
    return this.samples(
      `SELECT (j.result->>'members')::float8 AS records, GREATEST(0, (j.result->>'members')::float8 - COALESCE((j.result->>'imported')::float8, 0)) AS linked,
              (j.result->>'apiCalls')::float8 AS calls, EXTRACT(EPOCH FROM j.finished_at - j.started_at)::float8 AS seconds
         FROM outbox_job j JOIN crm_list l ON l.id::text = j.payload->>'listId' AND l.workspace_id = j.workspace_id
        WHERE j.workspace_id = $1 AND l.connection_id = $2 AND j.name = 'crm-lists.sync' AND j.status = 'done'
          AND j.result ? 'members' AND j.started_at IS NOT NULL AND j.finished_at IS NOT NULL
        ORDER BY j.finished_at DESC LIMIT ${SAMPLE_ROWS}`,
      [workspaceId, connectionId],
    );
  }

  private async samples(sql: string, params: unknown[]): Promise<PaceSample[]> {
    const rows = await this.dataSource.query<{ records: number; calls: number; seconds: number; linked?: number | null }[]>(sql, params);
    return rows.map((r) => ({ records: Number(r.records), calls: Number(r.calls), seconds: Number(r.seconds), ...(r.linked === undefined || r.linked === null ? {} : { linked: Number(r.linked) }) }));
  }

  /** Distinct companies of those of these people not linked yet whose company has no live CRM company record of the connection. */
  async newCompaniesOf(workspaceId: string, connectionId: string, personIds: readonly string[]): Promise<number> {
    if (personIds.length === 0) return 0;
    const ref = { workspace: '$1', connection: '$2' };
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(DISTINCT p.company_id)::int AS n FROM person p
        WHERE p.workspace_id = $1 AND p.id = ANY($3::uuid[]) AND p.company_id IS NOT NULL
          AND NOT ${crmLinkSql.hasLivePersonRecord({ ...ref, person: 'p.id' })}
          AND NOT ${crmLinkSql.hasLiveCompanyRecord({ ...ref, company: 'p.company_id' })}`,
      [workspaceId, connectionId, personIds],
    );
    return row?.n ?? 0;
  }

  /** The Salesforce object new people are exported as (crm_export_settings; Leads when not set). */
  async salesforceExportObject(workspaceId: string, connectionId: string): Promise<'lead' | 'contact'> {
    const [row] = await this.dataSource.query<{ salesforce_object: 'lead' | 'contact' }[]>(
      `SELECT salesforce_object FROM crm_export_settings WHERE workspace_id = $1 AND connection_id = $2`,
      [workspaceId, connectionId],
    );
    return row?.salesforce_object ?? 'lead';
  }

  /** A CRM list of the connection: its name, the size the CRM reports, and the members Conduit holds. */
  async list(workspaceId: string, connectionId: string, listId: string): Promise<{ name: string; size: number | null; members: number } | null> {
    const [row] = await this.dataSource.query<{ name: string; size: number | null; member_count: number }[]>(
      `SELECT name, size, member_count FROM crm_list WHERE workspace_id = $1 AND connection_id = $2 AND id = $3`,
      [workspaceId, connectionId, listId],
    );
    return row ? { name: row.name, size: row.size, members: row.member_count } : null;
  }

  /** Stores what the admin is shown; the id returned is the forecast's. */
  async save(workspaceId: string, connectionId: string, kind: ForecastKind, figures: Omit<ForecastDto, 'id'>): Promise<string> {
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO api_forecast (workspace_id, connection_id, kind, figures, created_at) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id`,
      [workspaceId, connectionId, kind, JSON.stringify(figures), new Date(figures.createdAt)],
    );
    return row!.id;
  }

  async usable(ref: ForecastRef, now = new Date()): Promise<boolean> {
    const [row] = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM api_forecast WHERE id = $1 AND workspace_id = $2 AND connection_id = $3 AND kind = $4 AND used_at IS NULL AND created_at > $5`,
      [ref.forecastId, ref.workspaceId, ref.connectionId, ref.kind, new Date(now.getTime() - FORECAST_TTL_MS)],
    );
    return row !== undefined;
  }

  /** Marks the forecast used by a run (in the run's transaction) and answers its figures; null when it cannot be used. */
  async claim(manager: EntityManager, ref: ForecastRef, now = new Date()): Promise<RunForecastDto | null> {
    // UPDATE … RETURNING answers [rows, affected] through TypeORM.
    const [[row]] = await manager.query<[{ id: string; figures: Omit<ForecastDto, 'id'> }[], number]>(
      `UPDATE api_forecast SET used_at = $5
        WHERE id = $1 AND workspace_id = $2 AND connection_id = $3 AND kind = $4 AND used_at IS NULL AND created_at > $6
        RETURNING id, figures`,
      [ref.forecastId, ref.workspaceId, ref.connectionId, ref.kind, now, new Date(now.getTime() - FORECAST_TTL_MS)],
    );
    if (!row) return null;
    const f = row.figures;
    return { id: row.id, kind: f.kind, records: f.records, expectedCalls: f.expectedCalls, expectedSeconds: f.expectedSeconds, pace: f.pace, createdAt: f.createdAt };
  }
}
