import 'reflect-metadata';
import { LATENCY_PROFILES, startSandbox, type LatencyProfileName, type Sandbox } from '@conduit/crm-sandbox';
import type { CrmKind, ForecastDto, ForecastRequestBody } from '@conduit/contracts';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ForecastService } from '../api-usage/forecast.service.js';
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

/** The forecast an admin would be shown before the bench's run (#17): POST /connections/:id/forecast's answer. */
export function benchForecast(app: INestApplicationContext, workspaceId: string, connectionId: string, body: ForecastRequestBody): Promise<ForecastDto> {
  return app.get(ForecastService).forecast(workspaceId, connectionId, body);
}

/** The accuracy the issue holds forecasts to: calls within ±20 %, time within ±30 % (#17). */
export const FORECAST_TOLERANCE = { calls: 0.2, seconds: 0.3 } as const;

/**
 * A forecast next to what the run took, as figures (`<prefix>_forecast_calls`, `…_actual_calls`, `…_calls_ratio`
 * actual ÷ forecast, the same for seconds, the pace's source, and whether both are within the tolerance), with a
 * line on stderr.
 */
export function forecastFigures(log: (msg: string) => void, prefix: string, forecast: ForecastDto, actual: { calls: number; seconds: number }): Record<string, unknown> {
  const callsRatio = forecast.expectedCalls > 0 ? actual.calls / forecast.expectedCalls : null;
  const secondsRatio = forecast.expectedSeconds > 0 ? actual.seconds / forecast.expectedSeconds : null;
  const within = (ratio: number | null, tolerance: number) => ratio !== null && Math.abs(ratio - 1) <= tolerance;
  const ok = within(callsRatio, FORECAST_TOLERANCE.calls) && within(secondsRatio, FORECAST_TOLERANCE.seconds);
  const ratio = (r: number | null) => (r === null ? 'n/a' : `×${r.toFixed(2)}`);
  log(
    `${prefix} forecast (${forecast.pace.source} pace): ${forecast.expectedCalls} calls, ${forecast.expectedSeconds} s; actual ${actual.calls} calls, ${actual.seconds.toFixed(1)} s ` +
      `(calls ${ratio(callsRatio)}, time ${ratio(secondsRatio)}) — ${ok ? 'within' : 'NOT within'} ±20 % calls and ±30 % time`,
  );
  return {
    [`${prefix}_forecast_calls`]: forecast.expectedCalls,
    [`${prefix}_actual_calls`]: actual.calls,
    [`${prefix}_calls_ratio`]: callsRatio === null ? null : round(callsRatio, 3),
    [`${prefix}_forecast_seconds`]: forecast.expectedSeconds,
    [`${prefix}_actual_seconds`]: round(actual.seconds, 1),
    [`${prefix}_seconds_ratio`]: secondsRatio === null ? null : round(secondsRatio, 3),
    [`${prefix}_forecast_pace`]: forecast.pace.source,
    [`${prefix}_forecast_within_tolerance`]: ok,
  };
}

