import type { RunSlowdownDto } from '@conduit/contracts';
import type { SyncObject, SyncRunDto, SyncRunKind, SyncRunStatus } from '../../api/sync';

export const RUN_KIND_LABELS: Record<SyncRunKind, string> = {
  backfill: 'Backfill',
  incremental: 'Incremental',
  webhook: 'Webhook',
  remap: 'Re-apply mapping',
  dry_run: 'Dry run',
  list: 'List members',
  person_sync: 'Person re-read (Sync now)',
};

/** A run's title in words: its kind, a mapping preview as such, a person re-read with the person's name. */
export function runTitle(run: Pick<SyncRunDto, 'kind' | 'mappingPreview' | 'person'>): string {
  if (run.mappingPreview) return 'Mapping preview';
  if (run.kind === 'person_sync') return `${RUN_KIND_LABELS.person_sync}: ${run.person?.name ?? 'a person since deleted'}`;
  return RUN_KIND_LABELS[run.kind];
}

export const RUN_STATUS_LABELS: Record<SyncRunStatus, string> = { pending: 'Pending', running: 'Running', paused: 'Paused', done: 'Done', failed: 'Failed' };

export const RUN_STATUS_COLORS: Record<SyncRunStatus, string> = { pending: 'gray', running: 'blue', paused: 'yellow', done: 'teal', failed: 'red' };

export const OBJECT_LABELS: Record<SyncObject, string> = { company: 'Companies', contact: 'Contacts', lead: 'Leads', deal: 'Deals', owner: 'Owners', list: 'Lists' };

/** What each object is called in the CRM (Salesforce: Accounts, Opportunities, Users, Campaigns). */
export function objectLabel(crm: 'hubspot' | 'salesforce', object: SyncObject): string {
  if (crm === 'salesforce') {
    const sf: Partial<Record<SyncObject, string>> = { company: 'Accounts', deal: 'Opportunities', owner: 'Users', list: 'Campaigns' };
    return sf[object] ?? OBJECT_LABELS[object];
  }
  return OBJECT_LABELS[object];
}

/** "1 h 2 min", "3 min 5 s", "12 s"; null (no estimate) reads "unknown". */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Records a run touched (what the chart plots), without the unchanged ones. */
export function recordsSynced(run: SyncRunDto): number {
  return run.counts.created + run.counts.updated + run.counts.archived;
}

/** Finished, non-dry runs summed per hour, oldest first, for the "records synced over time" chart. */
export function syncedPerHour(runs: SyncRunDto[]): { hour: string; created: number; updated: number }[] {
  const buckets = new Map<string, { created: number; updated: number }>();
  for (const run of runs) {
    if (run.kind === 'dry_run' || !run.finishedAt) continue;
    const d = new Date(run.finishedAt);
    d.setUTCMinutes(0, 0, 0);
    const key = d.toISOString();
    const b = buckets.get(key) ?? { created: 0, updated: 0 };
    b.created += run.counts.created;
    b.updated += run.counts.updated + run.counts.archived;
    buckets.set(key, b);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([iso, b]) => ({ hour: new Intl.DateTimeFormat('en', { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso)), ...b }));
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const RULE_LABELS: Record<string, string> = {
  crm_wins: 'CRM wins',
  conduit_wins_fill_empty: 'Conduit wins (filled an empty value)',
  crm_association: 'CRM association',
  email_domain: 'Email domain',
  conduit_edit: 'Edited in Conduit',
  conduit_create: 'Created in Conduit',
  lead_converted: 'Lead converted to a Contact in Salesforce',
  // Source of truth per field (#21), with several CRMs connected: packages/mapping fieldSourceRuleLabel.
  source_of_truth: 'From the source of truth',
  latest_change: 'Most recent change wins',
  fill_blank: 'Filled an empty value',
  name_from_domain: 'Named after its domain',
};

const CRM_NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** A wait in words: "37 s", "2 min 5 s", "under a second". */
function formatWait(ms: number): string {
  return ms > 0 && ms < 1000 ? 'under a second' : formatEta(ms / 1000);
}

/**
 * How much the CRM's rate limits and retries slowed a run, for a RevOps admin: a headline ("Slowed by 37 s: 12
 * throttled calls (429) retried, 3 calls retried after a CRM error") and, when Conduit paced the calls under the CRM's
 * limit for a second or more, a line saying so. A run that nothing slowed says that too.
 */
export function describeSlowdown(s: RunSlowdownDto, crm: 'hubspot' | 'salesforce'): { slowed: boolean; headline: string; pacing: string | null } {
  const afterErrors = Math.max(0, s.retriedCalls - s.throttledCalls);
  const retriedAfter429 = s.retriedCalls - afterErrors;
  const parts: string[] = [];
  if (s.throttledCalls > 0) {
    const throttled = `${plural(s.throttledCalls, 'throttled call', 'throttled calls')} (429)`;
    parts.push(retriedAfter429 === s.throttledCalls ? `${throttled} retried` : `${throttled}, ${retriedAfter429.toLocaleString('en')} retried`);
  }
  if (afterErrors > 0) parts.push(`${plural(afterErrors, 'call', 'calls')} retried after a ${CRM_NAMES[crm]} error (5xx, timeout)`);
  const pacing = s.rateWaitMs >= 1000 ? `Calls waited ${formatWait(s.rateWaitMs)} in all for ${CRM_NAMES[crm]}'s rate limit (Conduit paces them so ${CRM_NAMES[crm]} does not throttle).` : null;
  if (parts.length === 0) return { slowed: false, headline: `Not slowed by ${CRM_NAMES[crm]}: no throttled calls (429) and no retries.`, pacing };
  return { slowed: true, headline: `Slowed by ${formatWait(s.retryWaitMs)}: ${parts.join(', ')}`, pacing };
}
