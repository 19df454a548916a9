import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Person } from '../src/people/person.entity.js';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { SyncRun } from '../src/sync/sync-run.entity.js';
import { SyncService } from '../src/sync/sync.service.js';
import { connectedWorkspace, crmSandboxConfig } from './support/crm-test-app.js';
import type { TestWorkspace } from './support/fixtures.js';
import { flushQueuePrefix, startContext, startTestApp, type TestApp, waitFor } from './support/test-app.js';

const apiDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Backfills that survive what production throws at them: a worker killed mid-run (and Redis losing the job),
 * a CRM answering 20 % of requests with 429/5xx, and an access token expiring mid-run. The invariant is always
 * the same: every CRM record imported exactly once (one person, one link), nothing duplicated.
 */
describe('import sync reliability (HubSpot sandbox, real SDK)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let connectionId: string;

  beforeAll(async () => {
    // The kill test runs the real worker entry point in a child process: build it from the current source.
    await promisify(execFile)('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: apiDir });
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 2 });
    sandbox.hubspot.control.configure({ rateLimit: { enabled: false } });
    sandbox.hubspot.control.seedContacts(2700);
    t = await startTestApp({ runProcessors: false, ...crmSandboxConfig(sandbox) });
    ({ workspace: a, connectionId } = await connectedWorkspace(t, 'Alpha', 'hubspot'));
    // The tsc build alone takes 10-20 s on a quiet 2-core machine and over a minute on a loaded one.
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  const liveContacts = () => [...(sandbox.hubspot.control.store().records.get('contacts')?.values() ?? [])].filter((c) => !c.archived).length;
  const run = (id: string) => t.dataSource.getRepository(SyncRun).findOneByOrFail({ id, workspaceId: a.id });
  async function expectImportedOnce(): Promise<void> {
    const contacts = liveContacts();
    expect(await t.dataSource.getRepository(Person).countBy({ workspaceId: a.id })).toBe(contacts);
    expect(await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: a.id, connectionId, object: 'contact' })).toBe(contacts);
    const [dupes] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT lower(email) FROM person WHERE workspace_id = $1 GROUP BY 1 HAVING count(*) > 1) d`, [a.id]);
    expect(dupes!.n).toBe(0);
  }

  function spawnWorker(): ChildProcess {
    const env = {
      NODE_ENV: 'development',
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      QUEUE_PREFIX: t.config.queuePrefix,
      HUBSPOT_BASE_URL: sandbox.hubspot.url,
      SALESFORCE_LOGIN_URL: sandbox.salesforce.url,
      RECONCILE_INTERVAL_MS: '1000',
      LOG_LEVEL: 'warn',
    };
    return spawn(process.execPath, ['dist/worker.js'], { cwd: apiDir, env, stdio: 'ignore' });
  }

  it('a worker killed mid-backfill, with Redis flushed, resumes from its checkpoint: no record lost or duplicated', async () => {
    // Slow pages down so the kill lands mid-run.
    sandbox.hubspot.control.setFaults([{ path: '/crm/v3/objects/contacts', latencyMs: 150 }]);
    const started = await t.app.get(SyncService).startBackfill(a.id, connectionId);
    const first = spawnWorker();
    const exited = new Promise((r) => first.once('exit', r));
    const partial = await waitFor(async () => {
      const r = await run(started.id);
      return r.created >= 600 && r;
    }, 45_000);
    first.kill('SIGKILL');
    await exited;
    expect(partial.status).toBe('running');
    const checkpoint = await run(started.id);
    expect(checkpoint.progress?.cursor).not.toBeNull();
    // Redis loses the job too: only the outbox row and the run's checkpoint remain.
    await flushQueuePrefix(t.config);
    sandbox.hubspot.control.clearFaults();
    sandbox.hubspot.control.clearRequests();

    const second = await startContext(t.config, { processors: true });
    try {
      const done = await waitFor(async () => {
        const r = await run(started.id);
        return r.status !== 'running' && r.status !== 'pending' && r;
      }, 45_000);
      expect(done.status).toBe('done');
      await expectImportedOnce();
      // Resumed, not restarted: the second worker read fewer contact pages than a full backfill needs.
      const pages = sandbox.hubspot.control.requests().filter((q) => q.method === 'GET' && q.path.startsWith('/crm/v3/objects/contacts')).length;
      expect(pages).toBeLessThan(Math.ceil(liveContacts() / 100));
      // Each record counted once across both workers (the killed page was rolled back with its checkpoint).
      expect(done.created).toBe(liveContacts() + (sandbox.hubspot.control.store().records.get('companies')?.size ?? 0));
    } finally {
      await second.close();
    }
  }, 120_000);

  it('with 20 % of requests answered 429/5xx and the token expiring mid-run, every record is imported once', async () => {
    await t.dataSource.query(`DELETE FROM crm_link WHERE workspace_id = $1`, [a.id]);
    await t.dataSource.query(`DELETE FROM person WHERE workspace_id = $1`, [a.id]);
    await t.dataSource.query(`DELETE FROM company WHERE workspace_id = $1`, [a.id]);
    sandbox.hubspot.control.setFaults(
      [
        { path: '/crm/v3/objects/', status: 429, share: 0.1 },
        { path: '/crm/v3/objects/', status: 503, share: 0.1 },
      ],
      7,
    );
    sandbox.hubspot.control.clearRequests();
    const worker = await startContext(t.config, { processors: true });
    try {
      const started = await t.app.get(SyncService).startBackfill(a.id, connectionId);
      await waitFor(async () => (await run(started.id)).created >= 300, 45_000);
      expect(sandbox.hubspot.control.expireTokens()).toBeGreaterThan(0);
      const done = await waitFor(async () => {
        const r = await run(started.id);
        return (r.status === 'done' || r.status === 'failed') && r;
      }, 60_000);
      expect(done).toMatchObject({ status: 'done', failed: 0 });
      const statuses = sandbox.hubspot.control.requests().map((q) => q.status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(0);
      // The run says how much they slowed it (#21): every 429 counted, every 429 and 503 retried, and the waits.
      expect(done).toMatchObject({
        throttledCalls: statuses.filter((s) => s === 429).length,
        retriedCalls: statuses.filter((s) => s === 429 || s === 503).length,
      });
      expect(done.retryWaitMs).toBeGreaterThan(0);
      await expectImportedOnce();
    } finally {
      sandbox.hubspot.control.clearFaults();
      await worker.close();
    }
  }, 120_000);
});
