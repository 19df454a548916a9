import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplicationContext } from '@nestjs/common';
import type { ApiFeature, ApiUsageDto, ConnectionDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config.js';
import { Secret } from '../src/config/secret.js';
import { ConnectionCredentialsService } from '../src/connections/connection-credentials.service.js';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { CRM_CALL_COUNTER, type CrmCallCounter } from '../src/connections/crm-call-counter.js';
import { DISCOVERED_OBJECTS } from '../src/connections/discovery.service.js';
import { DiscoveryScheduler } from '../src/connections/connections.processor.js';
import { isJobOf, OutboxJob } from '../src/queues/outbox-job.entity.js';
import { connectDemoToSandbox } from '../src/seed/connect-sandbox.js';
import { seedDemo } from '../src/seed/seed.js';
import { createLogger } from '../src/logging/logger.js';
import { flushUsage } from './support/api-budget.js';
import { LogCapture } from './support/test-app.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startContext, startTestApp, waitFor, type TestApp } from './support/test-app.js';
import { JobName } from '../src/queues/queue-names.js';

/** Token endpoint calls seen by the sandbox (refreshes and code exchanges). */
function tokenCalls(sandbox: Sandbox, crm: 'hubspot' | 'salesforce'): number {
  const path = crm === 'hubspot' ? '/oauth/v1/token' : '/services/oauth2/token';
  return sandbox[crm].control.requests().filter((r) => r.method === 'POST' && r.path.startsWith(path)).length;
}

describe('CRM connections: token refresh (single-flight), revocation, scheduled discovery', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let ws: TestWorkspace;
  let workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    sandbox.hubspot.control.configure({ rateLimit: { enabled: false } });
    const base = loadConfig();
    t = await startTestApp({
      crm: {
        ...base.crm,
        hubspot: { ...base.crm.hubspot, baseUrl: sandbox.hubspot.url },
        salesforce: { ...base.crm.salesforce, loginUrl: sandbox.salesforce.url },
        oauthRedirectBase: 'http://127.0.0.1:5173',
      },
    });
    ws = await createWorkspace(t.server, t.dataSource, 'Refresh');
    expect((await connectCrm(t.server, ws.adminCookie, 'hubspot')).searchParams.get('connected')).toBe('hubspot');
    expect((await connectCrm(t.server, ws.adminCookie, 'salesforce')).searchParams.get('connected')).toBe('salesforce');
    // Two more processes sharing the database and Redis, like two workers.
    workers = [await startContext(t.config, { processors: false }), await startContext(t.config, { processors: false })];
  });

  afterAll(async () => {
    for (const w of workers) await w.close();
    await t?.close();
    await sandbox?.stop();
  });

  const row = (crm: 'hubspot' | 'salesforce') => t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: ws.id, crm });
  const apiCreds = () => t.app.get(ConnectionCredentialsService);
  /** The connection's calls of the last 24 h by feature, as the usage dashboard reads them. */
  const usageByFeature = async (crm: 'hubspot' | 'salesforce'): Promise<Record<ApiFeature, number>> => {
    await flushUsage(t.app);
    const { id } = await row(crm);
    return ((await request(t.server).get(`/api/connections/${id}/api-usage?window=24h`).set('Cookie', ws.memberCookie).expect(200)).body as ApiUsageDto).totals.byFeature;
  };
  const card = async (crm: 'hubspot' | 'salesforce') =>
    ((await request(t.server).get('/api/connections').set('Cookie', ws.adminCookie).expect(200)).body as ConnectionDto[]).find((c) => c.crm === crm)!;

  for (const crm of ['hubspot', 'salesforce'] as const) {
    it(`${crm}: an expired access token is refreshed transparently and the new one stored encrypted; the refresh and the discovery are counted by feature`, async () => {
      const before = await row(crm);
      const oldToken = apiCreds().revealAccessToken(before)!;
      const calls = tokenCalls(sandbox, crm);
      const requests = sandbox[crm].control.requests().length;
      const usage = await usageByFeature(crm);
      sandbox[crm].control.expireTokens();
      await request(t.server).post(`/api/connections/${crm}/discover`).set('Cookie', ws.adminCookie).expect(200);
      expect(tokenCalls(sandbox, crm)).toBe(calls + 1);
      // Every call the discovery made at the CRM (the refused one too) is counted as discovery, the refresh as token
      // refresh, in the usage dashboard's figures.
      const discoveryCalls = sandbox[crm].control.requests().length - requests - 1;
      expect(discoveryCalls).toBeGreaterThanOrEqual(DISCOVERED_OBJECTS[crm].length);
      const counted = await usageByFeature(crm);
      expect(counted.token_refresh - usage.token_refresh).toBe(1);
      expect(counted.discovery - usage.discovery).toBe(discoveryCalls);
      const after = await row(crm);
      expect(apiCreds().revealAccessToken(after)).not.toBe(oldToken);
      expect(after.accessTokenEnc).not.toContain(apiCreds().revealAccessToken(after));
      expect(after.lastRefreshedAt).not.toBeNull();
      expect((await card(crm)).state).toBe('connected');
    });

    it(`${crm}: two workers hitting an expired token at once refresh exactly once`, async () => {
      const connection = await row(crm);
      const [w1, w2] = workers.map((w) => w.get(ConnectionCredentialsService));
      const [a1, a2] = await Promise.all([w1!.adapterFor(connection), w2!.adapterFor(connection)]);
      const calls = tokenCalls(sandbox, crm);
      sandbox[crm].control.expireTokens();
      const object = crm === 'hubspot' ? 'contact' : 'lead';
      const [f1, f2] = await Promise.all([a1.describeFields(object), a2.describeFields(object)]);
      expect(f1.length).toBeGreaterThan(10);
      expect(f2.length).toBe(f1.length);
      expect(tokenCalls(sandbox, crm)).toBe(calls + 1);

      // And within one process, many concurrent callers share one refresh too.
      const adapters = await Promise.all([1, 2, 3, 4].map(() => w1!.adapterFor(connection)));
      sandbox[crm].control.expireTokens();
      await Promise.all(adapters.map((a) => a.describeFields(object)));
      expect(tokenCalls(sandbox, crm)).toBe(calls + 2);
    });
  }

  it('refreshes HubSpot ahead of expiry (less than 2 minutes left)', async () => {
    await t.dataSource.getRepository(CrmConnection).update({ workspaceId: ws.id, crm: 'hubspot' }, { accessTokenExpiresAt: new Date(Date.now() + 60_000) });
    expect((await card('hubspot')).tokenHealth).toBe('expiring');
    const calls = tokenCalls(sandbox, 'hubspot');
    await request(t.server).post('/api/connections/hubspot/discover').set('Cookie', ws.adminCookie).expect(200);
    expect(tokenCalls(sandbox, 'hubspot')).toBe(calls + 1);
    const c = await card('hubspot');
    expect(c.tokenHealth).toBe('ok');
    expect(new Date(c.tokenExpiresAt!).getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);
  });

  it('honours Retry-After when the token endpoint answers 429', async () => {
    sandbox.hubspot.control.setFaults([{ method: 'POST', path: '/oauth/v1/token', status: 429, times: 1 }]);
    const calls = tokenCalls(sandbox, 'hubspot');
    sandbox.hubspot.control.expireTokens();
    const started = Date.now();
    await request(t.server).post('/api/connections/hubspot/discover').set('Cookie', ws.adminCookie).expect(200);
    sandbox.hubspot.control.clearFaults();
    expect(tokenCalls(sandbox, 'hubspot')).toBe(calls + 2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect((await card('hubspot')).state).toBe('connected');
  }, 60_000);

  it('runs the scheduled discovery as durable jobs, one per connection', async () => {
    const worker = await startContext(t.config, { processors: true });
    try {
      const enqueued = await worker.get(DiscoveryScheduler).enqueueAll();
      expect(enqueued).toBe(2);
      const jobs = worker.get(DataSource).getRepository(OutboxJob);
      const done = await waitFor(async () => {
        const rows = await jobs.findBy({ name: JobName.DiscoverFields });
        return rows.length === 2 && rows.every((r) => r.status === 'done') ? rows : null;
      }, 30_000);
      expect(done.flatMap((r) => (isJobOf(r, JobName.DiscoverFields) ? [r.payload.connectionId] : [])).sort()).toEqual([(await row('hubspot')).id, (await row('salesforce')).id].sort());
    } finally {
      await worker.close();
    }
  });

  for (const crm of ['hubspot', 'salesforce'] as const) {
    it(`${crm}: a revoked refresh token marks the connection needs_reconnect and the card says so`, async () => {
      const connection = await row(crm);
      const refreshToken = apiCreds().revealRefreshToken(connection)!;
      sandbox[crm].control.revokeRefreshToken(refreshToken);
      sandbox[crm].control.expireTokens();
      const res = await request(t.server).post(`/api/connections/${crm}/discover`).set('Cookie', ws.adminCookie).expect(409);
      expect(res.body.message).toMatch(/reconnect/i);
      const c = await card(crm);
      expect(c).toMatchObject({ state: 'needs_reconnect', tokenHealth: 'needs_reconnect' });
      expect(c.lastError).toMatch(/connect again/);
      const after = await row(crm);
      expect(after.accessTokenEnc).toBeNull();
      expect(after.refreshTokenEnc).toBeNull();
      // Reconnecting fixes it and keeps the mapping.
      expect((await connectCrm(t.server, ws.adminCookie, crm)).searchParams.get('connected')).toBe(crm);
      expect(await card(crm)).toMatchObject({ state: 'connected', tokenHealth: 'ok', lastError: null });
      expect((await row(crm)).id).toBe(connection.id);
    });
  }

  it('connects the demo workspace to the sandbox without a browser (npm start), idempotently, and skips an unreachable sandbox', async () => {
    const { workspaceId } = await seedDemo(t.dataSource);
    const logs = new LogCapture();
    const logger = createLogger({ level: 'info', destination: logs });
    expect(await connectDemoToSandbox(t.app, t.config, logger)).toEqual({ hubspot: 'connected', salesforce: 'connected' });
    const rows = await t.dataSource.getRepository(CrmConnection).findBy({ workspaceId });
    expect(rows.map((r) => [r.crm, r.status]).sort()).toEqual([['hubspot', 'connected'], ['salesforce', 'connected']]);
    expect(rows.every((r) => r.lastDiscoveryAt !== null)).toBe(true);
    // Named for people: the Salesforce org by its name (read by the discovery after connect), not its id.
    expect(Object.fromEntries(rows.map((r) => [r.crm, r.accountName]))).toEqual({ hubspot: `sandbox-${sandbox.hubspot.control.portalId}.conduit.example`, salesforce: 'Northwind Demo Org (alex.morgan@northwind-demo.com)' });
    expect(logs.text).toContain('Northwind Demo Org (alex.morgan@northwind-demo.com)');
    expect(await connectDemoToSandbox(t.app, t.config, logger)).toEqual({ hubspot: 'already_connected', salesforce: 'already_connected' });

    const offline = { ...t.config, crm: { ...t.config.crm, hubspot: { ...t.config.crm.hubspot, baseUrl: 'http://127.0.0.1:9' }, salesforce: { ...t.config.crm.salesforce, loginUrl: 'http://127.0.0.1:9' } } };
    expect(await connectDemoToSandbox(t.app, offline, logger, { waitMs: 0 })).toEqual({ hubspot: 'skipped_unreachable', salesforce: 'skipped_unreachable' });
    expect(logs.text).toContain('CRM sandbox not reachable');
    for (const r of rows) expect(logs.text).not.toContain(t.app.get(ConnectionCredentialsService).revealAccessToken(r)!);
  });

  it('rotates encryption keys: values under the old key are read and re-encrypted with the new one', async () => {
    const rotatedConfig = {
      ...t.config,
      encryptionKeys: { currentId: 'k2', keys: new Map([['k2', new Secret(randomBytes(32))], ...t.config.encryptionKeys.keys]) },
    };
    const rotated = new ConnectionCredentialsService(rotatedConfig, t.dataSource.getRepository(CrmConnection), t.app.get<CrmCallCounter>(CRM_CALL_COUNTER));
    try {
      const before = await row('salesforce');
      expect(before.tokenKeyId).toBe(t.config.encryptionKeys.currentId);
      const token = apiCreds().revealAccessToken(before);
      expect((await rotated.credentials(before.id)).accessToken).toBe(token);
      const after = await row('salesforce');
      expect(after.tokenKeyId).toBe('k2');
      expect(after.accessTokenEnc?.startsWith('v1.k2.')).toBe(true);
      expect(after.refreshTokenEnc?.startsWith('v1.k2.')).toBe(true);
      expect(rotated.revealRefreshToken(after)).toBe(apiCreds().revealRefreshToken(before));
      // The old ring alone can no longer read the row.
      expect(() => apiCreds().revealAccessToken(after)).toThrow(/no encryption key "k2"/);
    } finally {
      await rotated.onModuleDestroy();
    }
  });
});
