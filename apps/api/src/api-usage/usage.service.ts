import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ApiUsageDto, ApiUsageRunDto, ApiUsageWindow } from '@conduit/contracts';
import type { Repository } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
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
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {}

  async usage(workspaceId: string, connectionId: string, window: ApiUsageWindow, now = new Date()): Promise<ApiUsageDto> {
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
      runs: runs.map((r) => runView(r, dailyLimit)),
    };
  }
}

function runView(r: RunUsageRow, dailyLimit: number | null): ApiUsageRunDto {
  const calls = r.calls === null ? null : Number(r.calls);
  return {
    type: r.type,
    id: r.id,
    label: RUN_LABELS[r.kind] ?? r.kind,
    status: r.status,
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    calls,
    shareOfDay: calls === null || dailyLimit === null || dailyLimit <= 0 ? null : Math.round((calls / dailyLimit) * 10_000) / 10_000,
  };
}
