import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { ConnectionsService } from '../connections/connections.service.js';
import { dropDatabase } from '../database/create-database.js';
import { migrate } from '../database/migrate.js';
import { createLogger } from '../logging/logger.js';
import { PinoNestLogger } from '../logging/pino-nest-logger.js';
import { ImportService } from '../sync/import.service.js';
import { defaultSyncSettings, SYNC_CONNECTION_PORT, type SyncConnectionPort } from '../sync/sync-connection.port.js';
import { SyncRun } from '../sync/sync-run.entity.js';
import { SyncService } from '../sync/sync.service.js';
import { Workspace } from '../workspaces/workspace.entity.js';

/**
 * `pnpm bench import`: backfill of N HubSpot contacts (default 100,000) from a sandbox this process starts,
 * through the real worker pipeline (outbox → Bull → adapter → import → Postgres) on a database of its own.
 * Phase 1 enforces HubSpot's limit (100 requests / rolling 10 s); phase 2 turns it off to measure the pipeline.
 * Progress goes to stderr; the last stdout line is one JSON object with the figures.
 */
const CONTACTS = Number(process.argv[2] ?? 100_000);
const PER_TEN_SECONDS = 100;
const PAGE = 100;
const CEILING_RECORDS_PER_S = (PER_TEN_SECONDS / 10) * PAGE;
/** Contacts of the sandbox's demo portal (seed 1). */
const DEMO_CONTACTS = 300;

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
      env: { HUBSPOT_PORT: String(hubspotPort), SALESFORCE_PORT: String(salesforcePort), SANDBOX_SEED: '1' },
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

  async control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.hubspotUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  stats(): Promise<{ total: number; byStatus: Record<string, number> }> {
    return this.control('GET', '/__sandbox/stats');
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

interface PhaseResult {
  records: number;
  seconds: number;
  calls: number;
  calls429: number;
  importSeconds: number;
}

async function connect(ctx: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>, sandbox: SandboxProcess, name: string): Promise<{ workspaceId: string; connectionId: string }> {
  const workspace = await ctx.get(DataSource).getRepository(Workspace).save({ name });
  const token = await sandbox.control<{ accessToken: string; refreshToken: string }>('POST', '/__sandbox/tokens', { expiresInSec: 6 * 3600 });
  const info = await sandbox.control<{ hub_id: number }>('GET', `/oauth/v1/access-tokens/${token.accessToken}`);
  const connection = await ctx.get(ConnectionsService).store(workspace.id, null, 'hubspot', {
    accountId: String(info.hub_id),
    accountName: name,
    instanceUrl: null,
    scopes: [],
    tokens: { accessToken: token.accessToken, refreshToken: token.refreshToken, expiresAt: new Date(Date.now() + 6 * 3600_000) },
  });
  // Only the backfill runs: the incremental schedule would re-read the freshly seeded contacts alongside it.
  await ctx.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).saveSettings(workspace.id, connection.id, { ...defaultSyncSettings('hubspot'), importEnabled: false });
  return { workspaceId: workspace.id, connectionId: connection.id };
}

async function phase(ctx: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>, sandbox: SandboxProcess, label: string, timing: { ms: number }): Promise<PhaseResult> {
  const { workspaceId, connectionId } = await connect(ctx, sandbox, `Bench ${label}`);
  const before = await sandbox.stats();
  timing.ms = 0;
  const run = await ctx.get(SyncService).startBackfill(workspaceId, connectionId, { objects: ['contact'] });
  const repo = ctx.get(DataSource).getRepository(SyncRun);
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const r = await repo.findOneByOrFail({ id: run.id, workspaceId });
    const done = r.created + r.updated + r.unchanged + r.failed;
    const elapsed = r.startedAt ? (Date.now() - r.startedAt.getTime()) / 1000 : 0;
    log(`${label}: ${done}/${CONTACTS} records, ${elapsed.toFixed(0)} s, ${elapsed ? (done / elapsed).toFixed(0) : 0} records/s, ${r.apiCalls} calls`);
    if (r.status === 'failed') throw new Error(`backfill failed: ${r.error ?? ''}`);
    if (r.status === 'done') {
      const after = await sandbox.stats();
      return {
        records: done,
        seconds: (r.finishedAt!.getTime() - r.startedAt!.getTime()) / 1000,
        calls: after.total - before.total,
        calls429: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0),
        importSeconds: timing.ms / 1000,
      };
    }
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
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config, { http: false, processors: true }), {
    logger: new PinoNestLogger(createLogger({ level: 'warn', service: 'bench' })),
  });
  try {
    // Time spent inside the import (merge + Postgres writes), i.e. the pipeline without the CRM.
    const timing = { ms: 0 };
    const importer = ctx.get(ImportService);
    const importPage = importer.importPage.bind(importer);
    importer.importPage = async (...args) => {
      const t0 = performance.now();
      try {
        return await importPage(...args);
      } finally {
        timing.ms += performance.now() - t0;
      }
    };

    log(`seeding ${CONTACTS} contacts`);
    await sandbox.control('POST', '/__sandbox/hubspot/bulk-seed', { count: CONTACTS - DEMO_CONTACTS });
    await sandbox.control('PUT', '/__sandbox/config', { rateLimit: { enabled: true, perTenSeconds: PER_TEN_SECONDS, windowMs: 10_000, daily: 10_000_000 } });
    const limited = await phase(ctx, sandbox, 'rate-limited', timing);
    await sandbox.control('PUT', '/__sandbox/config', { rateLimit: { enabled: false } });
    const unlimited = await phase(ctx, sandbox, 'unlimited', timing);

    const recordsPerS = limited.records / limited.seconds;
    const figures = {
      bench: 'import',
      records: limited.records,
      seconds: round(limited.seconds),
      records_per_s: round(recordsPerS),
      ceiling_records_per_s: CEILING_RECORDS_PER_S,
      ceiling_utilization: round(recordsPerS / CEILING_RECORDS_PER_S, 3),
      calls_per_record: round(limited.calls / limited.records, 5),
      share_429: round(limited.calls429 / limited.calls, 4),
      pipeline_records_per_s: round(unlimited.records / unlimited.importSeconds),
      unlimited_end_to_end_records_per_s: round(unlimited.records / unlimited.seconds),
      unlimited_calls_per_record: round(unlimited.calls / unlimited.records, 5),
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
