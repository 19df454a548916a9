import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ApiUsageDto, ApiUsageRunDto, ApiUsageWindow, CrmRecordRefDto } from '@conduit/contracts';
import type { Repository } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import { type CrmRecordKey, CrmRecordRefs, isCrmObject } from '../sync/crm-record-refs.js';
import { dailyPoints, hourlyPoints, totalsSince } from './usage-series.js';
import { UsageRepository, type RunUsageRow } from './usage.repository.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Runs listed under the chart. */
const RUNS = 20;

const RUN_LABELS: Record<string, string> = {
  backfill: 'Backfill',
  remap: 'Re-apply mapping',
  dry_run: 'Dry run',
  incremental: 'Scheduled sync',
  person_sync: 'Person re-read (Sync now)',
  list: 'List members import',
  bulk: 'Bulk export',
};

/**
 * The usage dashboard of a connection (#17): Conduit's calls by feature over the last 24 h (what counted against the
 * day's budget, hour by hour) or 7 days (per day), the whole account's calls as the CRM reported them, the daily
 * allocation, and the recent runs with the share of the account's day each took.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly repo: UsageRepository,
    private readonly refs: CrmRecordRefs,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    private readonly budgets: ApiBudgetService,
  ) {}

  /**
   * `now` is the budget's clock (ApiBudgetService.now): the meter counts calls in its hours, and the day a point of the
   * chart counts in is the budget's day — on the wall clock, a test that pins the budget clock read other hours.
   */
  async usage(workspaceId: string, connectionId: string, window: ApiUsageWindow, now = this.budgets.now()): Promise<ApiUsageDto> {
    const connection = await this.connections.findOneBy({ id: connectionId, workspaceId });
    if (!connection) throw new NotFoundException('Connection not found');
    const start = window === '24h' ? new Date(Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR) : new Date(Math.floor(now.getTime() / DAY) * DAY - 6 * DAY);
    // A point of the 24 h chart reaches back a day (the day's start, or the rolling 24 hours).
    const readFrom = new Date(start.getTime() - (window === '24h' ? DAY : 0));
    const [rows, reported, latestMax, runs] = await Promise.all([
      this.repo.calls(workspaceId, connectionId, readFrom),
      this.repo.reported(workspaceId, connectionId, start),
      this.repo.latestMax(workspaceId, connectionId),
      this.repo.runs(workspaceId, connectionId, start, RUNS),
    ]);
    const points = window === '24h' ? hourlyPoints(rows, reported, now, connection.crm === 'salesforce' ? 'rolling_24h' : 'midnight') : dailyPoints(rows, reported, now);
    const dailyLimit = latestMax ?? connection.apiAccountDailyLimit;
    return {
      connectionId,
      crm: connection.crm,
      window,
      points,
      totals: totalsSince(rows, window === '24h' ? new Date(now.getTime() - DAY) : start),
      dailyLimit,
      allocation: dailyLimit === null ? null : Math.floor((dailyLimit * connection.apiDailyShare) / 100),
      runs: await this.runViews(workspaceId, runs, dailyLimit),
    };
  }

  /** The runs, a person re-read naming its person (#21): the person's record it read, resolved in one query. */
  private async runViews(workspaceId: string, runs: readonly RunUsageRow[], dailyLimit: number | null): Promise<ApiUsageRunDto[]> {
    const keyOf = (r: RunUsageRow): CrmRecordKey | null =>
      r.person_id && r.record_crm_id ? { crm: r.crm, object: isCrmObject(r.record_object) ? r.record_object : null, crmId: r.record_crm_id, name: r.person_name } : null;
    const keys = runs.map(keyOf);
    const refs = await this.refs.resolve(workspaceId, keys.filter((k): k is CrmRecordKey => k !== null));
    let at = 0;
    return runs.map((r, i) => runView(r, dailyLimit, keys[i] ? (refs[at++] ?? null) : null));
  }
}

function runLabel(r: RunUsageRow, record: CrmRecordRefDto | null): string {
  const label = RUN_LABELS[r.kind] ?? r.kind;
  // A person re-read whose person is gone (or no longer linked here): the label says whom, as far as it is known.
  if (r.kind === 'person_sync' && !record) return `${label}: ${r.person_name ?? 'a person since deleted'}`;
  return label;
}

function runView(r: RunUsageRow, dailyLimit: number | null, record: CrmRecordRefDto | null): ApiUsageRunDto {
  const calls = r.calls === null ? null : Number(r.calls);
  return {
    type: r.type,
    id: r.id,
    label: runLabel(r, record),
    record,
    status: r.status,
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    calls,
    shareOfDay: calls === null || dailyLimit === null || dailyLimit <= 0 ? null : Math.round((calls / dailyLimit) * 10_000) / 10_000,
  };
}
