import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import type { Sandbox } from '@conduit/crm-sandbox';
import { DataSource } from 'typeorm';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { CrmListsService } from '../crm-lists/crm-lists.service.js';
import { DncService } from '../dnc/dnc.service.js';
import { OutboxService } from '../queues/outbox.service.js';
import { QueueName } from '../queues/queue-names.js';
import { defaultSyncSettings, SYNC_CONNECTION_PORT, type SyncConnectionPort } from '../sync/sync-connection.port.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { openBenchStack, closeBenchStack, connectSandboxCrm, benchLog, printFigures, benchArgs, round, benchForecast, forecastFigures } from './harness.js';

/**
 * `pnpm bench lists`: membership sync of an N-member (default 50,000) dynamic HubSpot list from a sandbox this
 * process starts, through the real worker pipeline (outbox → Bull → adapter → import engine → Postgres), with
 * HubSpot's limit enforced (100 requests / rolling 10 s):
 *   1. first sync: every member is new to Conduit (membership pages + batch reads + company associations);
 *   2. re-sync after 1 % of the members changed (half leave, half new contacts join): the figures of the issue;
 *   3. recipients of a campaign with the list as audience (counts, first page, excluded), timed in Postgres.
 * Progress goes to stderr; the last stdout line is one JSON object with the figures.
 */
const MEMBERS = Number(benchArgs[0] ?? 50_000);
const CHANGED = Math.round(MEMBERS * 0.01);
const PER_TEN_SECONDS = 100;
const CEILING_CALLS_PER_S = PER_TEN_SECONDS / 10;
const TAG_PROPERTY = 'conduit_personalized_opener';
const TAG = 'bench-audience';

type Ctx = INestApplicationContext;

const log = benchLog('lists');

async function connect(ctx: Ctx, sandbox: Sandbox): Promise<{ workspaceId: string; connectionId: string }> {
  const workspace = await ctx.get(DataSource).getRepository(Workspace).save({ name: 'Bench lists' });
  const connectionId = await connectSandboxCrm(ctx, sandbox, workspace.id, 'hubspot', { accountName: 'Bench lists', afterConnect: false });
  // Only list syncs call the CRM here: no incremental import alongside.
  await ctx.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).saveSettings(workspace.id, connectionId, { ...defaultSyncSettings('hubspot'), importEnabled: false });
  return { workspaceId: workspace.id, connectionId };
}

interface SyncFigures {
  members: number;
  seconds: number;
  calls: number;
  calls429: number;
  /** The forecast made before the sync (#17) next to what it took. */
  forecast: Record<string, unknown>;
}

/** A sync that shows no progress for this long is reported with its queue state and fails the bench (instead of hanging). */
const STUCK_AFTER_MS = 5 * 60_000;

async function syncOnce(ctx: Ctx, sandbox: Sandbox, target: { workspaceId: string; connectionId: string; listId: string }, label: string, prefix: string): Promise<SyncFigures> {
  const { workspaceId, listId } = target;
  const forecast = await benchForecast(ctx, workspaceId, target.connectionId, { kind: 'list-sync', listId });
  const before = sandbox.hubspot.control.stats();
  const started = Date.now();
  const { jobId } = await ctx.get(CrmListsService).requestSync(workspaceId, listId, forecast.id);
  const ds = ctx.get(DataSource);
  let lastCalls = -1;
  let lastProgressAt = Date.now();
  let lastLogAt = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const [row] = await ds.query<{ sync_status: string; member_count: number; last_error: string | null }[]>(`SELECT sync_status, member_count, last_error FROM crm_list WHERE id = $1`, [listId]);
    const calls = sandbox.hubspot.control.stats().total - before.total;
    const elapsed = (Date.now() - started) / 1000;
    if (calls !== lastCalls) {
      lastCalls = calls;
      lastProgressAt = Date.now();
    }
    if (Date.now() - lastLogAt >= 5000 || row!.sync_status === 'ok' || row!.sync_status === 'failed') {
      lastLogAt = Date.now();
      log(`${label}: ${row!.sync_status}, ${calls} calls, ${elapsed.toFixed(0)} s, ${(calls / Math.max(elapsed, 0.001)).toFixed(1)} calls/s`);
    }
    if (row!.sync_status === 'failed') throw new Error(`list sync failed: ${row!.last_error ?? ''}`);
    if (row!.sync_status === 'ok') {
      const after = sandbox.hubspot.control.stats();
      const calls = after.total - before.total;
      return { members: row!.member_count, seconds: elapsed, calls, calls429: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0), forecast: forecastFigures(log, prefix, forecast, { calls, seconds: elapsed }) };
    }
    if (Date.now() - lastProgressAt > STUCK_AFTER_MS) {
      const [job] = await ds.query<{ status: string; attempts: number; last_error: string | null }[]>(`SELECT status, attempts, last_error FROM outbox_job WHERE id = $1`, [jobId]);
      const counts = await ctx.get(OutboxService).queue(QueueName.Lists).getJobCounts();
      throw new Error(`${label}: no CRM call for ${STUCK_AFTER_MS / 1000} s; list ${row!.sync_status}, outbox job ${JSON.stringify(job)}, lists queue ${JSON.stringify(counts)}`);
    }
  }
}

async function timeMs(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const stack = await openBenchStack();
  const { sandbox, app: ctx } = stack;
  try {
    const control = sandbox.hubspot.control;
    const store = control.store();
    log(`seeding ${MEMBERS + CHANGED} contacts and a dynamic list of ${MEMBERS}`);
    const seeded = control.seedContacts(MEMBERS + CHANGED);
    const contacts = [...store.records.get('contacts')!.values()].filter((c) => Number(c.id) >= Number(seeded.firstId));
    const members = contacts.slice(0, MEMBERS);
    const outsiders = contacts.slice(MEMBERS);
    for (const c of members) c.properties[TAG_PROPERTY] = TAG;
    const at = Date.now();
    const hsList = {
      listId: store.allocateListId(),
      name: `Bench dynamic ${MEMBERS}`,
      processingType: 'DYNAMIC' as const,
      objectTypeId: '0-1',
      createdAt: at,
      updatedAt: at,
      members: new Map<string, number>(),
      listVersion: 1,
      filterGroups: [{ filters: [{ propertyName: TAG_PROPERTY, operator: 'EQ' as const, value: TAG }] }],
    };
    store.lists.set(hsList.listId, hsList);
    store.evaluateList(hsList, at);
    log(`list has ${hsList.members.size} members`);
    control.configure({ rateLimit: { enabled: true, perTenSeconds: PER_TEN_SECONDS, windowMs: 10_000, daily: 10_000_000 } });

    const { workspaceId, connectionId } = await connect(ctx, sandbox);
    await ctx.get(CrmListsService).refreshCatalog(workspaceId, connectionId);
    const [row] = await ctx.get(DataSource).query<{ id: string }[]>(`SELECT id FROM crm_list WHERE connection_id = $1 AND crm_list_id = $2`, [connectionId, hsList.listId]);
    const listId = row!.id;

    const first = await syncOnce(ctx, sandbox, { workspaceId, connectionId, listId }, 'first sync (all members new)', 'first_sync');
    log(`changing ${CHANGED} members: ${CHANGED / 2} leave, ${CHANGED / 2} join`);
    for (const c of members.slice(0, CHANGED / 2)) control.updateRecord('contacts', c.id, { [TAG_PROPERTY]: 'left' });
    for (const c of outsiders.slice(0, CHANGED / 2)) control.updateRecord('contacts', c.id, { [TAG_PROPERTY]: TAG });
    const resync = await syncOnce(ctx, sandbox, { workspaceId, connectionId, listId }, 're-sync (1 % changed)', 'resync');

    log('timing recipients');
    const campaigns = ctx.get(CampaignsService);
    const campaign = await campaigns.create(workspaceId, { name: 'Bench campaign', audienceListIds: [listId] });
    const domain = String(members[members.length - 1]!.properties['email']).split('@')[1]!;
    await ctx.get(DncService).updateSettings(workspaceId, { domains: [domain] });
    const counts = await campaigns.counts(workspaceId, campaign.id);
    const countsMs = await timeMs(() => campaigns.counts(workspaceId, campaign.id));
    const pageMs = await timeMs(() => campaigns.recipients(workspaceId, campaign.id, 1, 50));
    const excludedMs = await timeMs(() => campaigns.excluded(workspaceId, campaign.id, 1, 50));

    const pagesOnly = Math.ceil(resync.members / 250);
    const figures = {
      bench: 'lists',
      members: resync.members,
      changed: CHANGED,
      calls_per_member: round(resync.calls / resync.members, 5),
      resync_calls: resync.calls,
      resync_membership_pages: pagesOnly,
      seconds: round(resync.seconds),
      ceiling_utilization: round(resync.calls / resync.seconds / CEILING_CALLS_PER_S, 3),
      share_429: round(resync.calls429 / Math.max(1, resync.calls), 4),
      first_sync_calls_per_member: round(first.calls / first.members, 5),
      first_sync_seconds: round(first.seconds),
      first_sync_ceiling_utilization: round(first.calls / first.seconds / CEILING_CALLS_PER_S, 3),
      recipients: counts,
      recipients_ms: round(Math.max(countsMs, pageMs)),
      recipients_counts_ms: round(countsMs),
      recipients_page_ms: round(pageMs),
      recipients_excluded_ms: round(excludedMs),
      ...first.forecast,
      ...resync.forecast,
    };
    // The worker, the API and (in this bench) the CRM sandbox share this process: its peak is an upper bound of a worker's.
    printFigures({ ...figures, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }, sandbox);
  } finally {
    await closeBenchStack(stack);
  }
}

await main();
