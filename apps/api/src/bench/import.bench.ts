import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { CrmAdapter, CrmKind, CrmObjectType, CrmPage } from '@conduit/crm';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { ConnectionsService } from '../connections/connections.service.js';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import type { CrmRuntimeOptions } from '../crm-runtime/crm-runtime.options.js';
import { dropDatabase } from '../database/create-database.js';
import { migrate } from '../database/migrate.js';
import { createLogger } from '../logging/logger.js';
import { PinoNestLogger } from '../logging/pino-nest-logger.js';
import { ImportService } from '../sync/import.service.js';
import { defaultSyncSettings, SYNC_CONNECTION_PORT, type SyncConnectionPort } from '../sync/sync-connection.port.js';
import { SyncRun } from '../sync/sync-run.entity.js';
import { SyncService } from '../sync/sync.service.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { BENCH_PROFILE, benchForecast, forecastFigures, profileFigures, type SandboxLatency } from './harness.js';

/**
 * `pnpm bench import [contacts=100000] [leads=100000] [--no-rate-limit]`: backfills through the real worker pipeline (outbox → Bull →
 * runner → adapter → import → Postgres) from a CRM sandbox this process starts, on a database of its own.
 *
 * 1. HubSpot, rate-limited: N contacts with the sandbox enforcing HubSpot's 100 requests / rolling 10 s.
 *    records_per_s, ceiling_utilization (÷ 1,000 contacts/s = 10 pages of 100 per second), calls_per_record and
 *    share_429 (from the sandbox's request log). The pages the adapter returns are kept in memory.
 * 2. Pipeline: the same backfill again into a fresh workspace with the CRM taken out of the way: the adapter's
 *    listChangedSince answers with the pages kept from phase 1 (no HTTP, no rate limit); everything else is the
 *    production path. pipeline_records_per_s = records ÷ (run finished − backfill requested), so it includes the
 *    queue (outbox row → Bull job → worker), the page reader, the merge (planImport: conversion, priority, matching,
 *    provenance) and every Postgres statement with the per-batch checkpoint and run counts, all committed.
 *    import_stage_records_per_s is the same records ÷ the time spent inside ImportService (preparePage: reads + merge,
 *    writePage: SQL), summed (the runner overlaps them across batches, so it is not a wall-clock rate).
 * 3. Salesforce: M leads seeded in the sandbox, backfill of Leads; salesforce_calls_per_lead from its request log.
 * `--no-rate-limit` runs phase 1 without the sandbox's limit and without Conduit's own budget (quicker, for working
 * on the pipeline; the phase-1 rate figures mean nothing then).
 * Progress goes to stderr; the last stdout line is one JSON object with the figures.
 */
const ARGS = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const CONTACTS = Number(ARGS[0] ?? 100_000);
const LEADS = Number(ARGS[1] ?? 100_000);
/** `--no-rate-limit`: phase 1 without the limit (quicker, for working on the pipeline; its rate figures mean nothing then). */
const NO_RATE_LIMIT = process.argv.includes('--no-rate-limit');
/** `--cpu-prof=FILE`: a V8 CPU profile of the pipeline phase (this process: queue, reader, merge, pg driver), for DevTools. */
const CPU_PROFILE = process.argv.find((a) => a.startsWith('--cpu-prof='))?.slice('--cpu-prof='.length) ?? null;
/**
 * `--workers=1,2,4`: after the other phases, the same HubSpot backfill again into fresh workspaces with that many worker
 * processes (dist/worker.js) against this run's Postgres and Redis, one figure each; `--workers=` skips it.
 */
const WORKERS = (process.argv.find((a) => a.startsWith('--workers='))?.slice('--workers='.length) ?? '1,2,4')
  .split(',')
  .filter((w) => w.trim() !== '')
  .map(Number);
const PER_TEN_SECONDS = 100;
const PAGE = 100;
const CEILING_RECORDS_PER_S = (PER_TEN_SECONDS / 10) * PAGE;
/** Contacts of the sandbox's demo portal (seed 1). */
const DEMO_CONTACTS = 300;
/** Leads of the sandbox's demo org (seed 1), and its org id. */
const SALESFORCE_DEMO_LEADS = 250;
const SALESFORCE_ORG_ID = '00D8d0000000001EAA';

const log = (msg: string) => process.stderr.write(`[bench import] ${msg}\n`);

/**
 * The CRM sandbox in a child process of its own, driven through its HTTP control API: in-process it would share
 * this process's event loop with the worker and the measured pipeline would pay for the CRM's serialisation.
 */
class SandboxProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly hubspotUrl: string,
    readonly salesforceUrl: string,
  ) {}

  static async start(): Promise<SandboxProcess> {
    const [hubspotPort, salesforcePort] = [await freePort(), await freePort()];
    const cli = new URL('./cli.js', import.meta.resolve('@conduit/crm-sandbox'));
    const child = spawn(process.execPath, [cli.pathname], {
      env: { HUBSPOT_PORT: String(hubspotPort), SALESFORCE_PORT: String(salesforcePort), SANDBOX_SEED: '1', CRM_SANDBOX_PROFILE: BENCH_PROFILE },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const sandbox = new SandboxProcess(child, `http://127.0.0.1:${hubspotPort}`, `http://127.0.0.1:${salesforcePort}`);
    for (let i = 0; ; i++) {
      const ok = await fetch(`${sandbox.hubspotUrl}/__sandbox/health`).then((r) => r.ok, () => false);
      if (ok) return sandbox;
      if (i > 100) throw new Error('the CRM sandbox did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async control<T>(method: string, path: string, body?: unknown, base = this.hubspotUrl): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  stats(base = this.hubspotUrl): Promise<{ total: number; byStatus: Record<string, number>; byRoute: Record<string, number> }> {
    return this.control('GET', '/__sandbox/stats', undefined, base);
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Pipeline runs (each into a fresh workspace); the median is reported, the machine's CPU being shared and noisy. */
const PIPELINE_RUNS = Number(process.argv.find((a) => a.startsWith('--pipeline-runs='))?.slice('--pipeline-runs='.length) ?? 3);

/**
 * A fixed CPU workload (JSON round trips of a contact-like object), in ms: this machine's speed at the time of the
 * run, printed with the figures so runs on a busier or slower machine can be told apart. Lower is faster.
 */
function calibrate(): number {
  const record = { id: '123', properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace', phone: '+44 20 7946 0000', jobtitle: 'Engineer', city: 'London', country: 'UK' } };
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < 200_000; i++) n += (JSON.parse(JSON.stringify({ ...record, id: String(i) })) as { id: string }).id.length;
  if (n === 0) throw new Error('unreachable');
  return Math.round(performance.now() - t0);
}

interface PipelineRun extends PhaseResult {
  nodeUs: number;
  pgUs: number | null;
}

interface PhaseResult {
  records: number;
  seconds: number;
  calls: number;
  calls429: number;
  importSeconds: number;
  prepareSeconds: number;
  writeSeconds: number;
  /** From the backfill request to the worker starting the run (outbox → Bull → worker). */
  queueSeconds: number;
  /** Phases against the CRM: the forecast made before the run (#17) next to what it took. */
  forecast: Record<string, unknown>;
  /** Calls per route over the phase, and their rate per second (where the budget went: list pages, searches, associations). */
  byRoute: Record<string, { calls: number; per_s: number }>;
}

type Ctx = Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;

/**
 * CPU time (µs) of each Postgres backend serving this database, read from /proc (Postgres runs on this machine; null
 * when it does not). Taken around the pipeline phase, it splits the pipeline's cost into Node's and Postgres'.
 */
async function postgresCpu(ds: DataSource): Promise<Map<number, number> | null> {
  const rows = await ds.query<{ pid: number }[]>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 10 ms.
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * 10_000);
    } catch {
      return null;
    }
  }
  return out;
}

function postgresCpuSpent(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let us = 0;
  for (const [pid, t] of after) us += t - (before.get(pid) ?? 0);
  return us;
}

async function connect(ctx: Ctx, sandbox: SandboxProcess, crm: CrmKind, name: string): Promise<{ workspaceId: string; connectionId: string }> {
  const workspace = await ctx.get(DataSource).getRepository(Workspace).save({ name });
  const base = crm === 'hubspot' ? sandbox.hubspotUrl : sandbox.salesforceUrl;
  const token = await sandbox.control<{ accessToken: string; refreshToken: string }>('POST', '/__sandbox/tokens', { expiresInSec: 6 * 3600 }, base);
  const accountId = crm === 'hubspot' ? String((await sandbox.control<{ hub_id: number }>('GET', `/oauth/v1/access-tokens/${token.accessToken}`)).hub_id) : SALESFORCE_ORG_ID;
  const connection = await ctx.get(ConnectionsService).store(workspace.id, null, crm, {
    accountId,
    accountName: name,
    instanceUrl: crm === 'salesforce' ? sandbox.salesforceUrl : null,
    scopes: [],
    tokens: { accessToken: token.accessToken, refreshToken: token.refreshToken, expiresAt: new Date(Date.now() + 6 * 3600_000) },
  });
  // Only the backfill runs: the incremental schedule would re-read the freshly seeded records alongside it.
  await ctx.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).saveSettings(workspace.id, connection.id, { ...defaultSyncSettings(crm), importEnabled: false });
  return { workspaceId: workspace.id, connectionId: connection.id };
}

interface Replay {
  recordFor: string | null;
  replayFor: string | null;
  /** Pages of listChangedSince by object and cursor (the deals sync reads that way). */
  pages: Map<string, CrmPage>;
  /** Pages of readPages from the start, by object, in the order they were handed out. */
  streams: Map<string, CrmPage[]>;
}

/**
 * The CRM runtime's adapter decorator for the bench: pages read for `recordFor` are kept (readPages: in order, by
 * object; listChangedSince: by cursor), and the same calls of `replayFor` answer from them without touching the CRM.
 * Everything else goes to the real adapter.
 */
function replayingAdapters(state: Replay): NonNullable<CrmRuntimeOptions['decorateAdapter']> {
  return (adapter, { id: connectionId }) => {
    // Keyed by object and cursor: other jobs of the connection (the deals sync) read other objects.
    const listChangedSince: CrmAdapter['listChangedSince'] = async (object, cursor, options) => {
      if (connectionId === state.replayFor) {
        const page = state.pages.get(`${object}:${cursor ?? ''}`);
        // Objects the bench did not record are empty for the replayed connection: it never reaches the CRM.
        if (!page) return { records: [], nextCursor: cursor ?? '', hasMore: false };
        return page;
      }
      const page = await adapter.listChangedSince(object, cursor, options);
      if (connectionId === state.recordFor) state.pages.set(`${object}:${cursor ?? ''}`, page);
      return page;
    };
    const readPages: CrmAdapter['readPages'] = async function* (object, cursor, options) {
      if (connectionId === state.replayFor) {
        const pages = cursor === null ? state.streams.get(object) : undefined;
        if (!pages) {
          yield { records: [], nextCursor: cursor ?? '', hasMore: false };
          return;
        }
        yield* pages;
        return;
      }
      const record: CrmPage[] | null = connectionId === state.recordFor && cursor === null ? [] : null;
      if (record) state.streams.set(object, record);
      for await (const page of adapter.readPages(object, cursor, options)) {
        record?.push(page);
        yield page;
      }
    };
    return new Proxy(adapter, {
      get: (target, prop, receiver) => (prop === 'listChangedSince' ? listChangedSince : prop === 'readPages' ? readPages : Reflect.get(target, prop, receiver)),
    });
  };
}

async function phase(
  ctx: Ctx,
  sandbox: SandboxProcess,
  label: string,
  target: { crm: CrmKind; workspaceId: string; connectionId: string; objects: CrmObjectType[]; expected: number; pollMs: number; inProcess?: boolean; forecast?: boolean },
  timing: { prepareMs: number; writeMs: number },
): Promise<PhaseResult> {
  const { workspaceId, connectionId } = target;
  const base = target.crm === 'hubspot' ? sandbox.hubspotUrl : sandbox.salesforceUrl;
  // What an admin would be shown first (its count calls are made before the phase's calls are counted).
  const forecast = target.forecast ? await benchForecast(ctx, workspaceId, connectionId, { kind: 'backfill', objects: target.objects }) : null;
  const before = await sandbox.stats(base);
  timing.prepareMs = 0;
  timing.writeMs = 0;
  const requested = Date.now();
  const run = await ctx.get(SyncService).startBackfill(workspaceId, connectionId, { objects: target.objects, ...(forecast ? { forecastId: forecast.id } : {}) });
  const repo = ctx.get(DataSource).getRepository(SyncRun);
  let lastLog = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, target.pollMs));
    const r = await repo.findOneByOrFail({ id: run.id, workspaceId });
    const done = r.created + r.updated + r.unchanged + r.failed;
    const elapsed = (Date.now() - requested) / 1000;
    if (Date.now() - lastLog >= 2000 || r.status !== 'running') {
      lastLog = Date.now();
      // The connection's in-flight limit in this process (when this process is the worker).
      const limiter = target.inProcess ? ctx.get(CrmClients).limiterFor({ id: connectionId, workspaceId, crm: target.crm }).state() : null;
      const inFlight = limiter ? `, in flight ${limiter.inFlight}/${limiter.limit} (${limiter.decreases} decreases)` : '';
      log(`${label}: ${done}/${target.expected} records, ${elapsed.toFixed(1)} s, ${elapsed ? (done / elapsed).toFixed(0) : 0} records/s, ${r.apiCalls} calls${inFlight}`);
    }
    if (r.status === 'failed') throw new Error(`backfill failed: ${r.error ?? ''}`);
    if (r.status === 'done') {
      const after = await sandbox.stats(base);
      // The CRM phases count from the worker's start; the pipeline phase from the request, so the queue is in.
      const seconds = (r.finishedAt!.getTime() - (label === 'pipeline' ? requested : r.startedAt!.getTime())) / 1000;
      if (label !== 'pipeline') await logTimeline(sandbox, base, label, r.startedAt!.getTime());
      return {
        records: done,
        seconds,
        forecast: forecast ? forecastFigures(log, label.replace(/\W+/g, '_'), forecast, { calls: after.total - before.total, seconds }) : {},
        calls: after.total - before.total,
        calls429: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0),
        importSeconds: (timing.prepareMs + timing.writeMs) / 1000,
        prepareSeconds: timing.prepareMs / 1000,
        writeSeconds: timing.writeMs / 1000,
        queueSeconds: (r.startedAt!.getTime() - requested) / 1000,
        byRoute: routeDelta(before.byRoute, after.byRoute, seconds),
      };
    }
  }
}

/**
 * Where the phase's calls went over time: per 5-second slice, the calls answered per kind of route (list pages,
 * searches, association reads, the rest) — a lane that idles, or a tail read by one lane alone, shows here.
 */
async function logTimeline(sandbox: SandboxProcess, base: string, label: string, since: number): Promise<void> {
  const { entries } = await sandbox.control<{ entries: { at: number; route: string }[] }>('GET', `/__sandbox/requests?since=${since}`, undefined, base);
  const kind = (route: string) => (route.includes('/search') ? 'search' : route.includes('/associations/') ? 'assoc' : route.startsWith('GET /crm/v3/objects/') ? 'list' : 'other');
  const slices = new Map<number, Record<string, number>>();
  for (const e of entries) {
    const slice = Math.floor((e.at - since) / 5_000);
    const row = slices.get(slice) ?? {};
    row[kind(e.route)] = (row[kind(e.route)] ?? 0) + 1;
    slices.set(slice, row);
  }
  for (const [slice, row] of [...slices].sort((a, b) => a[0] - b[0])) {
    log(`${label} timeline ${slice * 5}–${slice * 5 + 5} s: ${Object.entries(row).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
}

/** Calls per route between two sandbox stats, with their rate over `seconds`, busiest first. */
function routeDelta(before: Record<string, number>, after: Record<string, number>, seconds: number): Record<string, { calls: number; per_s: number }> {
  const rows = Object.entries(after)
    .map(([route, n]) => [route, n - (before[route] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(rows.map(([route, calls]) => [route, { calls, per_s: round(calls / seconds, 2) }]));
}

/** `fn`, adding the time each call takes (until its promise settles) through `add`. */
function timed<A extends unknown[], R>(fn: (...args: A) => Promise<R>, add: (ms: number) => void): (...args: A) => Promise<R> {
  return async (...args) => {
    const t0 = performance.now();
    try {
      return await fn(...args);
    } finally {
      add(performance.now() - t0);
    }
  };
}

/** Peak resident memory of a process (VmHWM, MB), null when /proc cannot tell. */
function peakRssMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

interface ScaleOutFigure {
  workers: number;
  records: number;
  records_per_s: number;
  ceiling_utilization: number;
  calls_per_record: number;
  share_429: number;
  /** CRM records linked more than once, and people sharing an email: both must be 0. */
  duplicate_links: number;
  duplicate_people: number;
  worker_peak_rss_mb: (number | null)[];
}

/**
 * The HubSpot backfill with `workers` worker processes (the real entry point, dist/worker.js) against this run's
 * Postgres, Redis and sandbox; this process only enqueues and watches (its context runs no processors). One backfill
 * is one job, so one worker reads it; the others share the queue and the Redis budget.
 */
async function scaleOut(ctx: Ctx, sandbox: SandboxProcess, config: AppConfig, workers: number): Promise<ScaleOutFigure> {
  const worker = new URL('../worker.js', import.meta.url).pathname;
  // The workers' configuration is this run's, as environment (the key ring too: they decrypt the tokens stored here).
  const keys = [...config.encryptionKeys.keys].sort(([a], [b]) => (a === config.encryptionKeys.currentId ? -1 : b === config.encryptionKeys.currentId ? 1 : 0));
  const env = {
    NODE_ENV: config.nodeEnv,
    PATH: '/usr/bin:/bin',
    ENCRYPTION_KEYS: keys.map(([id, key]) => `${id}:${key.reveal().toString('base64')}`).join(','),
    DATABASE_URL: config.databaseUrl,
    REDIS_URL: config.redisUrl,
    QUEUE_PREFIX: config.queuePrefix,
    HUBSPOT_BASE_URL: sandbox.hubspotUrl,
    SALESFORCE_LOGIN_URL: sandbox.salesforceUrl,
    LOG_LEVEL: 'warn',
    RECONCILE_INTERVAL_MS: '1000',
  };
  const children = Array.from({ length: workers }, () => spawn(process.execPath, [worker], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
  try {
    const hs = await connect(ctx, sandbox, 'hubspot', `Bench ${workers} workers`);
    const result = await phase(ctx, sandbox, `${workers} workers`, { crm: 'hubspot', ...hs, objects: ['contact'], expected: CONTACTS, pollMs: 2000 }, { prepareMs: 0, writeMs: 0 });
    const ds = ctx.get(DataSource);
    const [links] = await ds.query<{ n: number; distinct_ids: number }[]>(
      `SELECT count(*)::int AS n, count(DISTINCT crm_id)::int AS distinct_ids FROM crm_link WHERE workspace_id = $1 AND connection_id = $2`,
      [hs.workspaceId, hs.connectionId],
    );
    const [people] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (SELECT lower(email) FROM person WHERE workspace_id = $1 AND email IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d`,
      [hs.workspaceId],
    );
    const perS = result.records / result.seconds;
    return {
      workers,
      records: result.records,
      records_per_s: round(perS),
      ceiling_utilization: round(perS / CEILING_RECORDS_PER_S, 3),
      calls_per_record: round(result.calls / result.records, 5),
      share_429: round(result.calls429 / result.calls, 4),
      duplicate_links: links!.n - links!.distinct_ids,
      duplicate_people: people!.n,
      worker_peak_rss_mb: children.map((c) => (c.pid === undefined ? null : peakRssMb(c.pid))),
    };
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
  }
}

async function main(): Promise<void> {
  const base = loadConfig();
  const suffix = randomBytes(4).toString('hex');
  const dbUrl = new URL(base.databaseUrl);
  dbUrl.pathname = `/conduit_bench_${suffix}`;
  const sandbox = await SandboxProcess.start();
  const config: AppConfig = {
    ...base,
    databaseUrl: dbUrl.toString(),
    queuePrefix: `conduit_bench_${suffix}`,
    logLevel: 'warn',
    crm: { ...base.crm, hubspot: { ...base.crm.hubspot, baseUrl: sandbox.hubspotUrl }, salesforce: { ...base.crm.salesforce, loginUrl: sandbox.salesforceUrl } },
  };
  await migrate(config.databaseUrl);
  const replay: Replay = { recordFor: null, replayFor: null, pages: new Map(), streams: new Map() };
  const crmRuntime: CrmRuntimeOptions = {
    decorateAdapter: replayingAdapters(replay),
    // Without the sandbox's limit phase 1 only records the pages the pipeline phase replays: Conduit's own Redis budget
    // (95 calls per 10 s) is lifted too.
    ...(NO_RATE_LIMIT ? { limits: { hubspot: { standard: { max: 1_000_000, windowMs: 10_000 }, search: { max: 1_000_000, windowMs: 1_000 } } } } : {}),
  };
  let ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config, { http: false, processors: true, crmRuntime }), {
    logger: new PinoNestLogger(createLogger({ level: 'warn', service: 'bench' })),
  });
  try {
    const calibration = calibrate();
    log(`calibration: ${calibration} ms (a fixed CPU workload; lower is a faster machine)`);
    // Time spent inside the import (reads + merge: preparePage; Postgres writes: writePage), without the queue, the
    // reader and the checkpoint. The runner overlaps one batch's prepare with the previous batch's write, so the sum
    // can exceed the wall-clock time.
    const timing = { prepareMs: 0, writeMs: 0 };
    const importer = ctx.get(ImportService);
    importer.preparePage = timed(importer.preparePage.bind(importer), (ms) => (timing.prepareMs += ms));
    importer.writePage = timed(importer.writePage.bind(importer), (ms) => (timing.writeMs += ms));
    const skipRateLimited = NO_RATE_LIMIT;

    log(`seeding ${CONTACTS} HubSpot contacts`);
    await sandbox.control('POST', '/__sandbox/hubspot/bulk-seed', { count: CONTACTS - DEMO_CONTACTS });
    if (skipRateLimited) {
      await sandbox.control('PUT', '/__sandbox/config', { rateLimit: { enabled: false } });
    }
    else await sandbox.control('PUT', '/__sandbox/config', { rateLimit: { enabled: true, perTenSeconds: PER_TEN_SECONDS, windowMs: 10_000, daily: 10_000_000 } });
    const hs = await connect(ctx, sandbox, 'hubspot', 'Bench rate-limited');
    replay.recordFor = hs.connectionId;
    const limited = await phase(ctx, sandbox, skipRateLimited ? 'unlimited' : 'rate-limited', { crm: 'hubspot', ...hs, objects: ['contact'], expected: CONTACTS, pollMs: 2000, inProcess: true, forecast: true }, timing);
    replay.recordFor = null;

    log(`pipeline: replaying ${replay.streams.get('contact')?.length ?? 0} recorded pages without the CRM, ${PIPELINE_RUNS} runs into fresh workspaces (the median run is reported)`);
    if (!replay.streams.get('contact')?.length) throw new Error('phase 1 recorded no contact pages');
    const runs: PipelineRun[] = [];
    for (let i = 0; i < PIPELINE_RUNS; i++) {
      const pipe = await connect(ctx, sandbox, 'hubspot', `Bench pipeline ${i + 1}`);
      replay.replayFor = pipe.connectionId;
      const profiler = CPU_PROFILE && i === PIPELINE_RUNS - 1 ? new Session() : null;
      if (profiler) {
        profiler.connect();
        await profiler.post('Profiler.enable');
        await profiler.post('Profiler.start');
      }
      const cpu0 = process.cpuUsage();
      const pg0 = await postgresCpu(ctx.get(DataSource));
      const result = await phase(ctx, sandbox, 'pipeline', { crm: 'hubspot', ...pipe, objects: ['contact'], expected: CONTACTS, pollMs: 100 }, timing);
      const cpu = process.cpuUsage(cpu0);
      const pgUs = postgresCpuSpent(pg0, await postgresCpu(ctx.get(DataSource)));
      if (profiler && CPU_PROFILE) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(CPU_PROFILE, JSON.stringify(profile));
        profiler.disconnect();
        log(`pipeline CPU profile of the last run written to ${CPU_PROFILE}`);
      }
      const run: PipelineRun = { ...result, nodeUs: cpu.user + cpu.system, pgUs };
      runs.push(run);
      log(
        `pipeline run ${i + 1}: ${run.records} records ÷ ${run.seconds.toFixed(2)} s = ${(run.records / run.seconds).toFixed(0)} records/s (request to commit); Node CPU ${(run.nodeUs / run.records).toFixed(1)} µs per record, Postgres ${pgUs === null ? 'unknown' : (pgUs / run.records).toFixed(1)} µs (all backends of the database, 10 ms ticks); prepare ${run.prepareSeconds.toFixed(2)} s, write ${run.writeSeconds.toFixed(2)} s (summed over batches)`,
      );
    }
    const pipeline = [...runs].sort((a, b) => b.records / b.seconds - a.records / a.seconds)[Math.floor(runs.length / 2)]!;
    replay.pages.clear();
    replay.streams.clear();

    let salesforce: PhaseResult | null = null;
    if (LEADS > 0) {
      log(`seeding ${LEADS} Salesforce leads`);
      await sandbox.control('POST', '/__sandbox/seed/leads', { count: LEADS }, sandbox.salesforceUrl);
      const sf = await connect(ctx, sandbox, 'salesforce', 'Bench Salesforce');
      salesforce = await phase(ctx, sandbox, 'salesforce', { crm: 'salesforce', ...sf, objects: ['lead'], expected: LEADS + SALESFORCE_DEMO_LEADS, pollMs: 1000, inProcess: true, forecast: true }, timing);
    }

    // This process has been the worker so far: its peak memory includes the pages kept for the pipeline replay.
    const benchPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const scale: ScaleOutFigure[] = [];
    if (WORKERS.length && !NO_RATE_LIMIT) {
      // From here on this process only enqueues and watches: the worker processes run the jobs.
      await ctx.close();
      ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config, { http: false, processors: false }), {
        logger: new PinoNestLogger(createLogger({ level: 'warn', service: 'bench' })),
      });
      for (const workers of WORKERS) {
        const figure = await scaleOut(ctx, sandbox, config, workers);
        log(`${workers} worker process(es): ${JSON.stringify(figure)}`);
        scale.push(figure);
      }
    }

    const recordsPerS = limited.records / limited.seconds;
    const figures = {
      bench: 'import',
      ...(skipRateLimited ? { rate_limited: false } : {}),
      records: limited.records,
      seconds: round(limited.seconds),
      records_per_s: round(recordsPerS),
      ceiling_records_per_s: CEILING_RECORDS_PER_S,
      ceiling_utilization: round(recordsPerS / CEILING_RECORDS_PER_S, 3),
      calls_per_record: round(limited.calls / limited.records, 5),
      share_429: round(limited.calls429 / limited.calls, 4),
      calls_by_route: limited.byRoute,
      ...limited.forecast,
      pipeline_records: pipeline.records,
      pipeline_seconds: round(pipeline.seconds, 2),
      pipeline_records_per_s: round(pipeline.records / pipeline.seconds),
      pipeline_queue_seconds: round(pipeline.queueSeconds, 3),
      pipeline_measures: 'queue + page reader + merge + Postgres writes, committed (recorded CRM pages replayed, no HTTP)',
      pipeline_runs_records_per_s: runs.map((r) => round(r.records / r.seconds)),
      pipeline_node_cpu_us_per_record: round(pipeline.nodeUs / pipeline.records),
      ...(pipeline.pgUs === null ? {} : { pipeline_postgres_cpu_us_per_record: round(pipeline.pgUs / pipeline.records) }),
      pipeline_prepare_seconds: round(pipeline.prepareSeconds, 2),
      pipeline_write_seconds: round(pipeline.writeSeconds, 2),
      calibration_ms: calibration,
      import_stage_records_per_s: round(pipeline.records / pipeline.importSeconds),
      bench_process_peak_rss_mb: benchPeakRssMb,
      ...(scale.length ? { scale_out: scale, worker_peak_rss_mb: Math.max(...scale.flatMap((f) => f.worker_peak_rss_mb.filter((m): m is number => m !== null))) } : {}),
      ...(salesforce
        ? {
            salesforce_leads: salesforce.records,
            salesforce_calls: salesforce.calls,
            salesforce_calls_per_lead: round(salesforce.calls / salesforce.records, 5),
            salesforce_records_per_s: round(salesforce.records / salesforce.seconds),
            ...salesforce.forecast,
          }
        : {}),
      ...profileFigures(
        await sandbox.control<SandboxLatency>('GET', '/__sandbox/latency'),
        await sandbox.control<SandboxLatency>('GET', '/__sandbox/latency', undefined, sandbox.salesforceUrl),
      ),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await ctx.close();
    sandbox.stop();
    await dropDatabase(config.databaseUrl);
  }
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

await main();
