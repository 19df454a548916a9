import type { ApiBudgetDto, ApiFeature, PausedRunDto } from '@conduit/contracts';
import type { CrmConnection } from '../connections/connection.entity.js';
import type { Allocation, Allowance } from './allocation.js';
import type { PausedRunRow } from './api-usage.repository.js';
import type { DailyPeriod } from './daily-reset.js';

/** The CRM's reading of the account's daily usage, on the budget clock. */
export interface Reading {
  used: number;
  max: number;
  at: Date;
}

/** What the day looks like now (null limit: the CRM reports no daily limit and the admin entered none). */
export interface DayView {
  period: DailyPeriod;
  allocation: Allocation;
  limit: { limit: number; source: 'crm' | 'admin' } | null;
  allowance: Allowance | null;
  used: number;
  reading: Reading | null;
  remaining: { bulk: number; live: number } | null;
}

const RUN_LABELS: Record<string, string> = {
  backfill: 'Backfill',
  remap: 'Re-apply mapping',
  dry_run: 'Dry run',
  incremental: 'Scheduled sync',
  person_sync: 'Person re-read (Sync now)',
  webhook: 'Webhook import',
  list: 'List members',
  bulk: 'Bulk export',
  auto: 'Automatic export',
  manual: 'Export',
  retry: 'Export retry',
};

/** Features whose calls are live work (activity logging, workflow handoffs); the rest is counted as bulk. */
const LIVE_FEATURES: ReadonlySet<ApiFeature> = new Set(['activities', 'workflows']);

export function toPausedRunDto(r: PausedRunRow): PausedRunDto {
  const label = r.type === 'list' ? `List sync: ${r.name ?? 'a CRM list'}` : (RUN_LABELS[r.kind] ?? r.kind);
  return {
    type: r.type,
    id: r.id,
    kind: r.kind,
    label,
    pausedAt: (r.paused_at ?? r.resumes_at ?? new Date(0)).toISOString(),
    reason: r.paused_reason ?? 'Paused: daily API allocation reached',
    cause: r.pause_cause ?? 'daily_allocation',
    resumesAt: (r.resumes_at ?? new Date(0)).toISOString(),
  };
}

/** The budget summary of a connection (GET /connections/:id/api-budget). */
export function toBudgetDto(connection: CrmConnection, day: DayView, byFeature: Record<ApiFeature, number>, paused: PausedRunRow[], windowShare: number, updatedAt: Date | null): ApiBudgetDto {
  const used = Object.values(byFeature).reduce((n, c) => n + c, 0);
  const live = (Object.entries(byFeature) as [ApiFeature, number][]).filter(([f]) => LIVE_FEATURES.has(f)).reduce((n, [, c]) => n + c, 0);
  return {
    connectionId: connection.id,
    crm: connection.crm,
    allocation: {
      dailyShare: day.allocation.dailyShare,
      windowShare,
      liveReserveShare: day.allocation.liveReserveShare,
      accountDailyLimit: day.allocation.accountDailyLimit,
      updatedAt: updatedAt?.toISOString() ?? null,
    },
    reset: {
      rule: day.period.rule,
      timeZone: day.period.timeZone,
      timeZoneSource: connection.crm === 'hubspot' && connection.accountTimeZone && day.period.timeZone === connection.accountTimeZone ? 'account' : 'utc_default',
      periodStart: day.period.start.toISOString(),
      nextResetAt: day.period.nextReset.toISOString(),
    },
    dailyLimit: day.limit?.limit ?? null,
    dailyLimitSource: day.limit?.source ?? null,
    conduit: { used, bulk: used - live, live, byFeature },
    crmReported: day.reading ? { used: day.reading.used, max: day.reading.max, reportedAt: day.reading.at.toISOString() } : null,
    others: day.reading ? Math.max(0, day.reading.used - used) : null,
    allowance: day.allowance,
    remaining: day.remaining,
    bulkExhausted: day.remaining !== null && day.remaining.bulk <= 0,
    pausedRuns: paused.map(toPausedRunDto),
  };
}
