import 'reflect-metadata';
import { LATENCY_PROFILES, startSandbox, type LatencyProfileName, type Sandbox } from '@conduit/crm-sandbox';
import type { CrmKind } from '@conduit/contracts';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../app.module.js';
import { createApp } from '../bootstrap.js';
import { loadConfig, type AppConfig } from '../config/app-config.js';
import { ConnectionsService } from '../connections/connections.service.js';
import { dropDatabase } from '../database/create-database.js';
import { migrate } from '../database/migrate.js';
import { createLogger } from '../logging/logger.js';
import { PinoNestLogger } from '../logging/pino-nest-logger.js';

/** Positional arguments of the bench (flags such as `--profile=…` removed). */
export const benchArgs: readonly string[] = process.argv.slice(2).filter((a) => !a.startsWith('--'));

/**
 * `--profile=instant|realistic|slow`: the CRM sandbox's latency profile. Benches default to `realistic` (the CRMs'
 * own answer times, see packages/crm-sandbox/README.md): figures against an instant CRM describe a CRM no user has.
 */
export const BENCH_PROFILE: LatencyProfileName = ((): LatencyProfileName => {
  const raw = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length) ?? 'realistic';
  const profile = LATENCY_PROFILES.find((p) => p === raw);
  if (profile === undefined) throw new Error(`--profile must be one of ${LATENCY_PROFILES.join(', ')}, got "${raw}"`);
  return profile;
})();

/** What a sandbox CRM reports of its latency (GET /__sandbox/latency, control.latency()). */
export interface SandboxLatency {
  profile: string;
  seed: number;
  kinds: Record<string, { p50: number; p95: number; p99: number; refKb: number; msPerKb: number }>;
  bulk?: unknown;
}

/** The figures that name the sandbox's profile and its parameters (ms per kind of call), for every bench's JSON line. */
export function profileFigures(hubspot: SandboxLatency, salesforce: SandboxLatency): Record<string, unknown> {
  return {
    sandbox_profile: hubspot.profile === salesforce.profile ? hubspot.profile : `hubspot ${hubspot.profile}, salesforce ${salesforce.profile}`,
    sandbox_latency: {
      hubspot: hubspot.kinds,
      salesforce: { ...salesforce.kinds, ...(salesforce.bulk !== undefined ? { bulk: salesforce.bulk } : {}) },
    },
  };
}

/**
 * What every bench stands on: a CRM sandbox of its own (random ports, seed 1), a database and a Bull prefix of its
 * own (`conduit_bench_<suffix>`, dropped at the end), and the app with its processors in this process — as a worker
 * context, or with `http: true` as the HTTP app listening on a random loopback port (for webhooks).
 */
export interface BenchStack<App extends INestApplicationContext = INestApplicationContext> {
  config: AppConfig;
  sandbox: Sandbox;
  /** Random per run: tags data so nothing collides with an earlier run. */
  suffix: string;
  app: App;
  /** Base URL of the HTTP app (only with `http: true`). */
  url: string | null;
}

export async function openBenchStack(options: { http: true }): Promise<BenchStack<NestExpressApplication>>;
export async function openBenchStack(options?: { http?: false }): Promise<BenchStack>;
export async function openBenchStack(options: { http?: boolean } = {}): Promise<BenchStack> {
  const base = loadConfig();
  const suffix = randomBytes(4).toString('hex');
  const dbUrl = new URL(base.databaseUrl);
  dbUrl.pathname = `/conduit_bench_${suffix}`;
  const sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1, profile: BENCH_PROFILE });
  const config: AppConfig = {
    ...base,
    databaseUrl: dbUrl.toString(),
    queuePrefix: `conduit_bench_${suffix}`,
    logLevel: 'warn',
    runProcessors: true,
    crm: { ...base.crm, hubspot: { ...base.crm.hubspot, baseUrl: sandbox.hubspot.url }, salesforce: { ...base.crm.salesforce, loginUrl: sandbox.salesforce.url } },
  };
  try {
    await migrate(config.databaseUrl);
    if (options.http) {
      const app = await createApp(config, createLogger({ level: 'warn', service: 'bench' }));
      await app.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      return { config, sandbox, suffix, app, url };
    }
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { http: false, processors: true }), {
      logger: new PinoNestLogger(createLogger({ level: 'warn', service: 'bench' })),
    });
    return { config, sandbox, suffix, app, url: null };
  } catch (error) {
    await sandbox.stop();
    await dropDatabase(config.databaseUrl);
    throw error;
  }
}

export async function closeBenchStack(stack: BenchStack): Promise<void> {
  await stack.app.close();
  await stack.sandbox.stop();
  await dropDatabase(stack.config.databaseUrl);
}

/**
 * Connects the workspace to the sandbox CRM as a finished OAuth flow would (tokens stored encrypted, then discovery and
 * default mapping rows unless `afterConnect: false`); returns the connection id. Not counted by the benches: it happens once per connection.
 */
export async function connectSandboxCrm(
  app: INestApplicationContext,
  sandbox: Sandbox,
  workspaceId: string,
  crm: CrmKind,
  options: { accountName?: string; afterConnect?: boolean } = {},
): Promise<string> {
  const connections = app.get(ConnectionsService);
  const token = crm === 'hubspot' ? sandbox.hubspot.control.mintToken({ expiresInSec: 6 * 3600 }) : sandbox.salesforce.control.mintToken({ expiresInSec: 6 * 3600 });
  const connection = await connections.store(workspaceId, null, crm, {
    accountId: crm === 'hubspot' ? String(sandbox.hubspot.control.portalId) : sandbox.salesforce.control.orgId,
    accountName: options.accountName ?? `Bench ${crm}`,
    instanceUrl: crm === 'salesforce' ? sandbox.salesforce.url : null,
    scopes: [],
    tokens: { accessToken: token.accessToken, refreshToken: token.refreshToken, expiresAt: new Date(Date.now() + 6 * 3600_000) },
  });
  if (options.afterConnect !== false) await connections.afterConnect(connection);
  return connection.id;
}

/** Progress lines on stderr, prefixed with the bench's name (stdout carries only the final JSON line). */
export function benchLog(name: string): (msg: string) => void {
  return (msg) => process.stderr.write(`[bench ${name}] ${msg}\n`);
}

/** The figures line: one JSON object on stdout, ending with the sandbox's latency profile and its parameters. */
export function printFigures(figures: Record<string, unknown>, sandbox: Sandbox): void {
  process.stdout.write(`${JSON.stringify({ ...figures, ...profileFigures(sandbox.hubspot.control.latency(), sandbox.salesforce.control.latency()) })}\n`);
}

/** Nearest-rank percentile of an ascending array; null when it is empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
