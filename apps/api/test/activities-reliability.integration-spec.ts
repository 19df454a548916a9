import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActivityBatchResultDto, PushResultDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { loadConfig } from '../src/config/app-config.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { flushQueuePrefix, startContext, startTestApp, type TestApp, waitFor } from './support/test-app.js';

describe('Activity delivery survives a Redis flush', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  const run = Date.now().toString(36);

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 8 });
    const base = loadConfig();
    // HTTP only: nothing delivers until the worker below starts.
    t = await startTestApp({
      runProcessors: false,
      crm: { ...base.crm, hubspot: { ...base.crm.hubspot, baseUrl: sandbox.hubspot.url }, salesforce: { ...base.crm.salesforce, loginUrl: sandbox.salesforce.url }, oauthRedirectBase: 'http://127.0.0.1:5173' },
    });
    a = await createWorkspace(t.server, t.dataSource, 'ActivityFlush');
    await connectCrm(t.server, a.adminCookie, 'hubspot');
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('activities accepted before the flush are all logged once by a worker that boots after it', async () => {
    const person = (await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send({ firstName: 'Flush', lastName: 'Proof', email: `flush${run}@flush-co.example` }).expect(201)).body as { id: string };
    const pushed = (await request(t.server).post(`/api/people/${person.id}/push/hubspot`).set('Cookie', a.adminCookie).expect(200)).body as PushResultDto;
    const activities = Array.from({ length: 25 }, (_, i) => ({
      idempotencyKey: `flush-${run}-${i}`,
      type: i % 2 ? 'note' : 'email_sent',
      ...(i % 2 ? { body: `Flush ${run} #${i}` } : { subject: `Flush ${run} #${i}` }),
      personId: person.id,
      occurredAt: new Date(Date.UTC(2026, 2, 1, 9, i)).toISOString(),
    }));
    const res = (await request(t.server).post('/api/activities/batch').set('Cookie', a.adminCookie).send({ activities }).expect(200)).body as ActivityBatchResultDto;
    expect(res.results.every((r) => r.ok)).toBe(true);
    expect(await flushQueuePrefix(t.config)).toBeGreaterThan(0);

    const worker = await startContext(t.config, { processors: true });
    try {
      await waitFor(async () => {
        const [row] = await t.dataSource.query<Array<{ open: number }>>(`SELECT count(*)::int AS open FROM activity_delivery WHERE workspace_id = $1 AND status <> 'logged'`, [a.id]);
        return row!.open === 0;
      }, 45_000);
    } finally {
      await worker.close();
    }
    const timeline = sandbox.hubspot.control.getRecord('contacts', pushed.crmId!)!.timeline;
    const ours = timeline.filter((e) => Object.values(e.properties).some((v) => typeof v === 'string' && v.includes(`Flush ${run} #`)));
    expect(ours).toHaveLength(25);
    const [dupes] = await t.dataSource.query<Array<{ n: number }>>(`SELECT count(DISTINCT crm_id)::int AS n FROM activity_delivery WHERE workspace_id = $1`, [a.id]);
    expect(dupes!.n).toBe(25);
  });
});
