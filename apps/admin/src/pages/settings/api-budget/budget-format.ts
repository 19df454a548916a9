import { type ForecastDto, type ForecastVsActualDto, formatDuration } from '@conduit/contracts';

const CRM_NAME = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;

/** "8 min", "1 h 40 min", "45 s", "2 d 3 h": one formatter with the API's sentences (packages/contracts). */
export { formatDuration };

export const formatCount = (n: number) => Math.round(n).toLocaleString('en');

/** "62 %"; shares under 1 % read "< 1 %" rather than 0. */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.01) return '< 1 %';
  return `${Math.round(share * 100)} %`;
}

/**
 * "00:00 (in 3 h 12 min)", in the admin's own time zone. The day is named when the time is not within the next
 * 24 hours (the "in …" already says which 00:00 it is) and is not today.
 */
export function formatResumeTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const inSeconds = (at.getTime() - now.getTime()) / 1000;
  const plain = at.toDateString() === now.toDateString() || (inSeconds > 0 && inSeconds < 86_400);
  const day = plain ? '' : `${at.toLocaleDateString('en', { weekday: 'short', day: 'numeric', month: 'short' })}, `;
  return inSeconds > 0 ? `${day}${time} (in ${formatDuration(inSeconds)})` : `${day}${time}`;
}

/** Where the pace comes from, in the admin's words. */
export function paceLabel(f: Pick<ForecastDto, 'pace' | 'crm'>): string {
  if (f.pace.source === 'measured') return `From the pace of the last ${f.pace.runsMeasured === 1 ? 'run' : `${f.pace.runsMeasured} runs`} on this connection.`;
  return `From ${CRM_NAME[f.crm]}'s page sizes and rate limits: no run of this kind measured on this connection yet.`;
}

/** What happens against today's allocation, in one sentence (null: the budget is not known). */
export function budgetSentence(f: Pick<ForecastDto, 'budget' | 'pause' | 'shareOfRemaining'>, now: Date = new Date()): string | null {
  if (f.budget.remainingToday === null) return null;
  if (!f.pause) return `Uses ${formatShare(f.shareOfRemaining ?? 0)} of the ${formatCount(f.budget.remainingToday)} calls Conduit may still use today.`;
  const where = f.pause.atShare < 0.005 ? 'Waits for the daily reset before it starts' : `Will pause at about ${Math.round(f.pause.atShare * 100)} % when today's allocation is used up`;
  if (f.pause.resumesAt === null) return `${where}, until the CRM's daily budget resets.`;
  const after = f.pause.resets <= 1 ? "finish after tomorrow's reset" : `finish after ${f.pause.resets} daily resets`;
  return `${where}, resume at ${formatResumeTime(f.pause.resumesAt, now)} and ${after}.`;
}

/** "+12 %", "−8 %", "on target" (within 1 %). */
export function formatError(error: number | null): string {
  if (error === null) return '—';
  if (Math.abs(error) < 0.005) return 'on target';
  const pct = Math.round(error * 100);
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct)} %`;
}

/** Green within the accuracy the issue asks (calls ±20 %, time ±30 %), orange beyond. */
export function errorColor(error: number | null, tolerance: number): string {
  return error === null ? 'dimmed' : Math.abs(error) <= tolerance ? 'teal' : 'orange';
}

export type ForecastRows = { label: string; forecast: string; actual: string; error: string; color: string }[];

/** The rows of forecast vs actual on a finished run. */
export function forecastRows(f: ForecastVsActualDto): ForecastRows {
  return [
    { label: 'Records', forecast: formatCount(f.forecast.records), actual: formatCount(f.actual.records), error: '', color: 'dimmed' },
    {
      label: 'API calls',
      forecast: formatCount(f.forecast.expectedCalls),
      actual: f.actual.calls === null ? 'not counted' : formatCount(f.actual.calls),
      error: formatError(f.callsError),
      color: errorColor(f.callsError, 0.2),
    },
    {
      label: 'Time',
      forecast: formatDuration(f.forecast.expectedSeconds),
      actual: f.actual.seconds === null ? 'still running' : formatDuration(f.actual.seconds),
      error: formatError(f.secondsError),
      color: errorColor(f.secondsError, 0.3),
    },
  ];
}

/** "Forecast 41 calls, 8 s · took 44 calls (+7 %), 9 s (+13 %)", or "… · running" before the work ends. */
export function forecastLine(f: ForecastVsActualDto): string {
  const callsOf = (n: number) => `${formatCount(n)} call${n === 1 ? '' : 's'}`;
  const head = `Forecast ${callsOf(f.forecast.expectedCalls)}, ${formatDuration(f.forecast.expectedSeconds)}`;
  if (f.actual.seconds === null) return `${head} · still running`;
  const calls = f.actual.calls === null ? 'calls not counted' : `${callsOf(f.actual.calls)} (${formatError(f.callsError)})`;
  return `${head} · took ${calls}, ${formatDuration(f.actual.seconds)} (${formatError(f.secondsError)})`;
}
