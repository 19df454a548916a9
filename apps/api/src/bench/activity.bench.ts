import 'reflect-metadata';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service.js';
import type { CreateActivityDto } from '../activities/dto.js';
import type { Caller } from '../auth/caller.js';
import { ExportRun } from '../export/export-run.entity.js';
import { ExportService } from '../export/export.service.js';
import { Person } from '../people/person.entity.js';
import { SyncService } from '../sync/sync.service.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { openBenchStack, closeBenchStack, connectSandboxCrm, benchLog, printFigures, benchArgs, percentile, sleep } from './harness.js';

/**
 * `pnpm bench activity [perSecond=50] [seconds=60] [people=200] [backfillContacts=100000]`: live activity logging to
 * HubSpot through the real pipeline (intake → outbox → Bull → delivery → adapter → sandbox) while a contact backfill
 * of the same connection runs, with the sandbox enforcing HubSpot's 100 requests / rolling 10 s.
 * Figures: latency from intake to Conduit hearing back that the CRM stored the engagement (delivery logged, p50/p99),
 * and from intake to the moment the CRM stored it (crm_stored_p50/p99: the engagement is on the timeline then; the
 * sandbox stores a request on arrival and holds its answer for the drawn latency), `budget_share` =
 * activity calls ÷ calls the window allows over the run, the backfill's calls meanwhile, 429s, duplicates (engagements
 * per activity marker > 1) and lost (activities not logged 60 s after intake ended). Progress on stderr, one JSON line on stdout.
 */
const PER_SECOND = Number(benchArgs[0] ?? 50);
const SECONDS = Number(benchArgs[1] ?? 60);
const PEOPLE = Number(benchArgs[2] ?? 200);
const BACKFILL_CONTACTS = Number(benchArgs[3] ?? 100_000);
const PER_TEN_SECONDS = 100;

const log = benchLog('activity');

const ENGAGEMENTS = '(emails|notes|calls|communications|meetings|tasks)';
/** Calls of the activity lane: creates, create-checks (associations + batch read by activity id), the activity id property. */
const ACTIVITY_PATH = new RegExp(
  `^/crm/v3/objects/${ENGAGEMENTS}/batch/(create|read)$|^/crm/v4/associations/contacts/${ENGAGEMENTS}/batch/read$|^/crm/v3/properties/${ENGAGEMENTS}(/|$)`,
);

async function main(): Promise<void> {
  const stack = await openBenchStack();
  const { sandbox, suffix, app: ctx } = stack;
  try {
    const ds = ctx.get(DataSource);
    const workspace = await ds.getRepository(Workspace).save({ name: 'Bench activity' });
    const caller: Caller = { kind: 'api-key', workspaceId: workspace.id, userId: null, role: 'member', apiKeyId: 'bench' };
    const connectionId = await connectSandboxCrm(ctx, sandbox, workspace.id, 'hubspot');

    log(`exporting ${PEOPLE} people so activities have contacts`);
    const people = await ds
      .getRepository(Person)
      .save(Array.from({ length: PEOPLE }, (_, i) => ({ workspaceId: workspace.id, firstName: `Act${i}`, lastName: 'Bench', email: `act${i}-${suffix}@bench-activity.example`, engagementState: 'contacted' as const })), { chunk: 500 });
    const run = await ctx.get(ExportService).startBulk(caller, 'hubspot', { personIds: people.map((p) => p.id) });
    for (;;) {
      const r = await ds.getRepository(ExportRun).findOneByOrFail({ id: run.id });
      if (r.status === 'done') break;
      if (r.status === 'failed') throw new Error(`export failed: ${r.error ?? ''}`);
      await sleep(500);
    }

    log(`seeding ${BACKFILL_CONTACTS} contacts and starting a backfill`);
    sandbox.hubspot.control.seedContacts(BACKFILL_CONTACTS);
    sandbox.hubspot.control.configure({ rateLimit: { enabled: true, perTenSeconds: PER_TEN_SECONDS, windowMs: 10_000, daily: 10_000_000 } });
    const backfill = await ctx.get(SyncService).startBackfill(workspace.id, connectionId, { objects: ['contact'] });
    await sleep(5_000);

    const activities = ctx.get(ActivitiesService);
    const marker = `b${suffix}`;
    // Warm-up, not measured: one activity per type, so the connection's first-use work (activity id property on each
    // engagement object, owners) is done before the clock starts, as it is for any connection that logged before.
    const warm = ['email_sent', 'note', 'call', 'linkedin_message'] as const;
    for (const [i, type] of warm.entries()) {
      await activities.createOne(caller, {
        idempotencyKey: `warm-${marker}-${i}`,
        type,
        personId: people[i]!.id,
        occurredAt: new Date().toISOString(),
        ...(type === 'email_sent' ? { subject: 'warm-up' } : {}),
        ...(type === 'note' ? { body: 'warm-up' } : {}),
        ...(type === 'call' ? { direction: 'outbound' as const, durationSeconds: 1, title: 'warm-up' } : {}),
        ...(type === 'linkedin_message' ? { direction: 'sent' as const, body: 'warm-up' } : {}),
      });
    }
    for (;;) {
      const [row] = await ds.query<Array<{ open: number }>>(`SELECT count(*)::int AS open FROM activity_delivery WHERE workspace_id = $1 AND status <> 'logged'`, [workspace.id]);
      if (row!.open === 0) break;
      await sleep(200);
    }
    log('warm-up logged; measuring');
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    const startedAt = Date.now();
    const before = sandbox.hubspot.control.stats();
    const types = ['email_sent', 'note', 'call', 'linkedin_message'] as const;
    let sent = 0;
    let intakeErrors = 0;
    const inflight: Promise<unknown>[] = [];
    const total = PER_SECOND * SECONDS;
    /** When each activity was posted (by its marker number): the start of "event → stored in the CRM". */
    const postedAt = new Array<number>(total);
    for (let i = 0; i < total; i++) {
      const due = startedAt + (i * 1000) / PER_SECOND;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const type = types[i % types.length]!;
      const dto = {
        idempotencyKey: `${marker}-${i}`,
        type,
        personId: people[i % people.length]!.id,
        occurredAt: new Date().toISOString(),
        ...(type === 'email_sent' ? { subject: `${marker} #${i}` } : {}),
        ...(type === 'note' ? { body: `${marker} #${i}` } : {}),
        ...(type === 'call' ? { direction: 'outbound' as const, durationSeconds: 60, title: `${marker} #${i}` } : {}),
        ...(type === 'linkedin_message' ? { direction: 'sent' as const, body: `${marker} #${i}` } : {}),
      } as CreateActivityDto;
      postedAt[i] = Date.now();
      inflight.push(
        activities.createOne(caller, dto).then(
          () => sent++,
          (e: unknown) => {
            intakeErrors++;
            log(`intake failed: ${(e as Error).message}`);
          },
        ),
      );
      if (i % PER_SECOND === 0 && i > 0) {
        const [row] = await ds.query<Array<{ logged: number }>>(`SELECT count(*)::int AS logged FROM activity_delivery WHERE workspace_id = $1 AND status = 'logged'`, [workspace.id]);
        // The API, worker, backfill and sandbox share this process: a blocked event loop delays everything.
        log(`${(i / PER_SECOND).toFixed(0)} s: ${i} posted, ${row!.logged} logged, ${sandbox.hubspot.control.stats().total - before.total} CRM calls, event loop max delay ${Math.round(loop.max / 1e6)} ms`);
        loop.reset();
      }
    }
    await Promise.all(inflight);
    const intakeEnded = Date.now();
    let open = 0;
    for (;;) {
      const [row] = await ds.query<Array<{ open: number }>>(`SELECT count(*)::int AS open FROM activity_delivery WHERE workspace_id = $1 AND status <> 'logged'`, [workspace.id]);
      open = row!.open;
      if (open === 0 || Date.now() - intakeEnded > 60_000) break;
      log(`draining: ${open} not logged yet`);
      await sleep(1000);
    }
    const windowMs = Date.now() - startedAt;
    const after = sandbox.hubspot.control.stats();
    const requests = sandbox.hubspot.control.requests(startedAt).filter((r) => r.path.startsWith('/crm/'));
    const activityCalls = requests.filter((r) => ACTIVITY_PATH.test(r.path)).length;
    const otherCalls = requests.length - activityCalls;
    const latencies = (
      await ds.query<Array<{ ms: number }>>(
        `SELECT extract(epoch FROM (d.logged_at - a.created_at)) * 1000 AS ms FROM activity_delivery d JOIN activity a ON a.id = d.activity_id
          WHERE d.workspace_id = $1 AND d.status = 'logged' AND a.created_at >= to_timestamp($2 / 1000.0)`,
        [workspace.id, startedAt],
      )
    )
      .map((r) => Number(r.ms))
      .sort((x, y) => x - y);
    // Where the slow ones are: latency by second of intake (p50 / max), on stderr.
    const bySecond = await ds.query<Array<{ s: number; n: number; p50: number; mx: number }>>(
      `SELECT floor(extract(epoch FROM (a.created_at - to_timestamp($2 / 1000.0))) / 5)::int * 5 AS s, count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (d.logged_at - a.created_at)) * 1000) AS p50,
              max(extract(epoch FROM (d.logged_at - a.created_at)) * 1000) AS mx
         FROM activity_delivery d JOIN activity a ON a.id = d.activity_id WHERE d.workspace_id = $1 AND d.status = 'logged' AND a.created_at >= to_timestamp($2 / 1000.0) GROUP BY 1 ORDER BY 1`,
      [workspace.id, startedAt],
    );
    for (const b of bySecond) log(`intake ${b.s}-${b.s + 5} s: ${b.n} logged, p50 ${Math.round(Number(b.p50))} ms, max ${Math.round(Number(b.mx))} ms`);
    // Duplicates: engagements in the CRM per activity marker.
    const seen = new Map<string, number>();
    // When the CRM stored each engagement (the sandbox stores on arrival and then holds the answer for the drawn
    // latency), so "event → on the CRM timeline" apart from "→ Conduit heard back" (p99_ms).
    const stored: number[] = [];
    const store = sandbox.hubspot.control.store();
    for (const type of ['emails', 'notes', 'calls', 'communications'] as const) {
      for (const rec of store.records.get(type)?.values() ?? []) {
        const text = Object.values(rec.properties).find((v) => typeof v === 'string' && v.includes(`${marker} #`));
        const m = typeof text === 'string' ? /#(\d+)/.exec(text) : null;
        if (!m) continue;
        seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1);
        const posted = postedAt[Number(m[1])];
        if (posted !== undefined) stored.push(rec.createdAt - posted);
      }
    }
    const duplicates = [...seen.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
    const lost = total - seen.size;
    const capacity = PER_TEN_SECONDS * (windowMs / 10_000);
    const backfillRun = await ctx.get(SyncService).getRun(workspace.id, backfill.id);
    const figures = {
      bench: 'activity',
      per_second: PER_SECOND,
      seconds: SECONDS,
      activities: total,
      accepted: sent,
      intake_errors: intakeErrors,
      logged: latencies.length,
      p50_ms: Math.round(percentile(latencies, 50) ?? 0),
      p99_ms: Math.round(percentile(latencies, 99) ?? 0),
      crm_stored_p50_ms: Math.round(percentile(stored.sort((x, y) => x - y), 50) ?? 0),
      crm_stored_p99_ms: Math.round(percentile(stored, 99) ?? 0),
      max_ms: Math.round(latencies[latencies.length - 1] ?? 0),
      activity_calls: activityCalls,
      other_calls: otherCalls,
      calls_429: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0),
      budget_share: Math.round((activityCalls / capacity) * 1000) / 1000,
      backfill_status: backfillRun.status,
      duplicates,
      lost,
      not_logged_in_conduit: open,
    };
    // The worker, the API and (in this bench) the CRM sandbox share this process: its peak is an upper bound of a worker's.
    printFigures({ ...figures, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }, sandbox);
  } finally {
    await closeBenchStack(stack);
  }
}

await main();
