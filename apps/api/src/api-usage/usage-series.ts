/**
 * The usage chart's points (#17), pure: Conduit's calls per hour and feature (crm_api_usage) and the CRM's readings
 * of the whole account (crm_api_reported) laid out per hour of the last 24 h or per day of the last 7.
 */
import { API_FEATURES, type ApiFeature, type ApiUsagePointDto } from '@conduit/contracts';

export interface UsageRow {
  hour: Date;
  feature: ApiFeature;
  calls: number;
}

export interface ReportedRow {
  hour: Date;
  used: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const emptyByFeature = (): Record<ApiFeature, number> => Object.fromEntries(API_FEATURES.map((f) => [f, 0])) as Record<ApiFeature, number>;

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;

function point(at: number, byFeature: Record<ApiFeature, number>, crmReported: number | null): ApiUsagePointDto {
  return { at: new Date(at).toISOString(), byFeature, conduit: API_FEATURES.reduce((n, f) => n + byFeature[f], 0), crmReported };
}

/**
 * The last 24 hours, one point per hour ending with the current one: what counted against the day's budget at the end
 * of each hour. `midnight` (HubSpot): calls since the start of that hour's UTC day, so the reset drops them to zero;
 * `rolling_24h` (Salesforce): the calls of the 24 hours up to the end of that hour. `rows` must reach 24 h before the
 * first hour for the rolling rule. The CRM-reported figure is the hour's last reading (already the account's day).
 */
export function hourlyPoints(rows: readonly UsageRow[], reported: readonly ReportedRow[], now: Date, rule: 'midnight' | 'rolling_24h'): ApiUsagePointDto[] {
  const last = floorTo(now.getTime(), HOUR);
  const readings = new Map(reported.map((r) => [floorTo(r.hour.getTime(), HOUR), r.used]));
  const out: ApiUsagePointDto[] = [];
  for (let i = 23; i >= 0; i--) {
    const hour = last - i * HOUR;
    const end = hour + HOUR;
    const from = rule === 'midnight' ? floorTo(hour, DAY) : end - DAY;
    const byFeature = emptyByFeature();
    for (const r of rows) {
      const t = r.hour.getTime();
      if (t >= from && t < end) byFeature[r.feature] += r.calls;
    }
    out.push(point(hour, byFeature, readings.get(hour) ?? null));
  }
  return out;
}

/** The last 7 UTC days, one point per day ending with today: the day's calls by feature and the day's last CRM reading. */
export function dailyPoints(rows: readonly UsageRow[], reported: readonly ReportedRow[], now: Date): ApiUsagePointDto[] {
  const today = floorTo(now.getTime(), DAY);
  const out: ApiUsagePointDto[] = [];
  for (let i = 6; i >= 0; i--) {
    const day = today - i * DAY;
    const byFeature = emptyByFeature();
    for (const r of rows) {
      const t = r.hour.getTime();
      if (t >= day && t < day + DAY) byFeature[r.feature] += r.calls;
    }
    // The day's last reading: the CRM's count for the account is cumulative within its day.
    const readings = reported.filter((r) => r.hour.getTime() >= day && r.hour.getTime() < day + DAY).sort((a, b) => a.hour.getTime() - b.hour.getTime());
    out.push(point(day, byFeature, readings.at(-1)?.used ?? null));
  }
  return out;
}

/** Calls by feature over the rows from `since`. */
export function totalsSince(rows: readonly UsageRow[], since: Date): { conduit: number; byFeature: Record<ApiFeature, number> } {
  const byFeature = emptyByFeature();
  for (const r of rows) if (r.hour.getTime() >= since.getTime()) byFeature[r.feature] += r.calls;
  return { conduit: API_FEATURES.reduce((n, f) => n + byFeature[f], 0), byFeature };
}
