/**
 * Starts a throw-away copy of the whole product for end-to-end tests: a fresh Postgres database,
 * the built API (migrated and seeded) on a free port with its own Redis key prefix, and the built
 * admin served by `vite preview` in front of it (same origin, so the session cookie just works).
 * Every process runs in its own process group and is killed with it; the database and the Redis
 * keys are removed at the end.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import { Redis } from 'ioredis';
import pg from 'pg';

const execFileAsync = promisify(execFile);

export const ADMIN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const API_DIR = resolve(ADMIN_DIR, '../api');
export const RESULTS_DIR = join(ADMIN_DIR, 'test-results', 'e2e');

export interface Stack {
  /** Where the browser goes: the admin, which proxies /api to the API. */
  adminUrl: string;
  apiUrl: string;
  databaseUrl: string;
  /** The CRM sandbox (HubSpot + Salesforce), in this process on random ports; the API points at it. */
  sandbox: Sandbox;
  /**
   * How far the daily API budget's clock runs ahead of real time (0 unless StackOptions.pinBudgetClock): the sandbox's
   * limits clocks, the API's budget clock and the browser's clock (openSession) all run this far ahead.
   */
  clockOffsetMs: number;
  stop(): Promise<void>;
}

export interface StackOptions {
  /**
   * Pins the daily API budget's day: the CRM sandbox's limits clocks and the API's budget clock start together at a
   * quiet time (untilQuietTime) and run on from there. Suites that spend a day's allocation and read its reset pin it,
   * so whether the wall clock is near HubSpot's reset (midnight UTC) or an hour's end changes nothing.
   */
  pinBudgetClock?: boolean;
}

/**
 * How far ahead of `now` the next quarter past an hour is that is not the last hour before midnight (UTC), in ms (at
 * most two hours): 45 minutes before that hour ends, 1 h 45 min or more before midnight. Close to real time on purpose:
 * runs keep real timestamps, and the usage chart lists the runs of the budget clock's last 24 hours.
 */
export function untilQuietTime(now = Date.now()): number {
  const hour = 3_600_000;
  let at = Math.floor(now / hour) * hour + hour / 4;
  if (at < now) at += hour;
  if (new Date(at).getUTCHours() === 23) at += hour;
  return at - now;
}

function serverUrl(database: string): string {
  const base = process.env.DATABASE_URL
    ? new URL(process.env.DATABASE_URL)
    : new URL(
        `postgres://${encodeURIComponent(process.env.PGUSER ?? 'postgres')}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`,
      );
  if (!process.env.DATABASE_URL && process.env.PGPASSWORD) base.password = process.env.PGPASSWORD;
  base.pathname = `/${database}`;
  return base.toString();
}

async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface Managed {
  name: string;
  child: ChildProcess;
  /** The last lines of output, to explain a failure. */
  tail: string[];
  exited: Promise<number | null>;
}

function startProcess(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Managed {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const log = createWriteStream(join(RESULTS_DIR, `${name}.log`));
  // detached: a process group of its own, so killing the group also ends any children it starts.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolveExit) => {
    child.on('exit', (code) => {
      log.end();
      resolveExit(code);
    });
  });
  return { name, child, tail, exited };
}

async function stopProcess(managed: Managed): Promise<void> {
  const { child } = managed;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const group = -child.pid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
  if ((await Promise.race([managed.exited, timeout])) === 'timeout') {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // already gone
    }
    await managed.exited;
  }
}

async function waitForOk(url: string, managed: Managed, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (managed.child.exitCode !== null) {
      throw new Error(`${managed.name} exited with code ${managed.child.exitCode} before ${url} answered:\n${managed.tail.join('\n')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${managed.name}: ${url} not ready after ${timeoutMs} ms (${last}):\n${managed.tail.join('\n')}`);
}

async function runNode(script: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await execFileAsync(process.execPath, [script], { cwd: API_DIR, env, timeout: 120_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: error });
  }
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Builds the admin so `vite preview` serves the code under test, not an older build. */
async function buildAdmin(): Promise<void> {
  if (process.env.E2E_SKIP_ADMIN_BUILD === '1' && existsSync(join(ADMIN_DIR, 'dist', 'index.html'))) return;
  await execFileAsync(process.execPath, [join(ADMIN_DIR, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ADMIN_DIR,
    timeout: 180_000,
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  for (const file of ['dist/main.js', 'dist/cli/migrate.js', 'dist/cli/seed.js']) {
    if (!existsSync(join(API_DIR, file))) {
      throw new Error(`apps/api/${file} is missing: build the API first (pnpm --filter @conduit/api build).`);
    }
  }
  await buildAdmin();

  const id = randomBytes(5).toString('hex');
  const database = `conduit_e2e_${id}`;
  const databaseUrl = serverUrl(database);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queuePrefix = `conduit_e2e_${id}`;
  const managed: Managed[] = [];
  let sandbox: Sandbox | undefined;

  const stop = async () => {
    for (const proc of [...managed].reverse()) await stopProcess(proc);
    await sandbox?.stop().catch((error: unknown) => console.error('could not stop the CRM sandbox:', error));
    await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)).catch((error: unknown) => {
      console.error(`could not drop ${database}:`, error);
    });
    await deleteRedisKeys(redisUrl, queuePrefix).catch((error: unknown) => console.error('could not clean Redis keys:', error));
  };

  try {
    await withAdminClient((client) => client.query(`CREATE DATABASE "${database}"`));
    const apiPort = await freePort();
    const adminPort = await freePort();
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    const clockOffsetMs = options.pinBudgetClock ? untilQuietTime() : 0;
    sandbox.hubspot.control.clock.advance(clockOffsetMs);
    sandbox.salesforce.control.clock.advance(clockOffsetMs);
    const apiEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      PORT: String(apiPort),
      ADMIN_ORIGIN: adminUrl,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // CRMs: the in-process sandbox; OAuth comes back through the admin's /api proxy (the default redirect base).
      HUBSPOT_BASE_URL: sandbox.hubspot.url,
      SALESFORCE_LOGIN_URL: sandbox.salesforce.url,
      // Workflows read Salesforce when a test clicks "Check Salesforce now": a scheduled poll between two of its steps
      // (an Opportunity created, then its contact role) read half of the change and ran the workflow on it.
      WORKFLOW_POLL_INTERVAL_MS: '86400000',
    };

    await runNode('dist/cli/migrate.js', apiEnv);
    await runNode('dist/cli/seed.js', apiEnv);

    // A pinned budget clock needs the API started with it (CrmRuntimeOptions.now), which dist/main.js does not take.
    const apiArgs = !options.pinBudgetClock ? ['dist/main.js'] : ['--import', import.meta.resolve('tsx'), join(ADMIN_DIR, 'e2e/support/api-on-clock.ts')];
    const api = startProcess('api', process.execPath, apiArgs, { cwd: API_DIR, env: !options.pinBudgetClock ? apiEnv : { ...apiEnv, E2E_BUDGET_CLOCK_OFFSET_MS: String(clockOffsetMs) } });
    managed.push(api);
    await waitForOk(`${apiUrl}/api/health`, api, 60_000);

    const preview = startProcess(
      'vite-preview',
      process.execPath,
      [join(ADMIN_DIR, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(adminPort), '--strictPort'],
      { cwd: ADMIN_DIR, env: { ...process.env, API_URL: apiUrl } },
    );
    managed.push(preview);
    await waitForOk(`${adminUrl}/`, preview, 30_000);
    // The proxy, not just the static files: the browser only ever talks to the admin origin.
    await waitForOk(`${adminUrl}/api/health`, preview, 30_000);

    return { adminUrl, apiUrl, databaseUrl, sandbox, clockOffsetMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
