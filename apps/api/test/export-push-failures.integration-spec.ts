import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActivityDto, ActivityIntakeResultDto, ConnectionDto, ExportRunDto, NeedsAttentionDto, PushResultDto } from '@conduit/contracts';
import { CrmError } from '@conduit/crm';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { ExportService } from '../src/export/export.service.js';
import { ExportRun } from '../src/export/export-run.entity.js';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

/**
 * A push against a CRM that fails answers within seconds (issue #21): with HubSpot answering 500 to every call, or not
 * answering at all, the push lands in Needs attention with the CRM's answer and Retry exports once the CRM is back;
 * with HubSpot rate limiting, the push is queued as an export run.
 */
describe('Push against a failing CRM (real SDK against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let seq = 0;

  const newPerson = async (): Promise<string> => {
    const email = `push-failure-${Date.now().toString(36)}${seq++}@failing-crm.example`;
    const res = await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send({ firstName: 'Ada', lastName: `Failing ${seq}`, email }).expect(201);
    return (res.body as { id: string }).id;
  };
  const timedPush = async (personId: string): Promise<{ ms: number; body: PushResultDto }> => {
    const t0 = Date.now();
    const res = await request(t.server).post(`/api/people/${personId}/push/hubspot`).set('Cookie', a.memberCookie).expect(200);
    return { ms: Date.now() - t0, body: res.body as PushResultDto };
  };
  const needsAttention = async () => (await request(t.server).get('/api/export/needs-attention?crm=hubspot').set('Cookie', a.memberCookie).expect(200)).body as NeedsAttentionDto[];
  const contactsWithEmailOf = async (personId: string) => {
    const person = (await request(t.server).get(`/api/people/${personId}`).set('Cookie', a.memberCookie).expect(200)).body as { email: string };
    return [...(sandbox.hubspot.control.store().records.get('contacts')?.values() ?? [])].filter((c) => c.properties['email'] === person.email);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 5 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'PushFailures');
    await connectCrm(t.server, a.adminCookie, 'hubspot');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  beforeEach(() => sandbox.hubspot.control.clearFaults());

  it('HubSpot answering 500 to every call: the push answers within 5 s, in Needs attention with HubSpot\'s answer; Retry exports once HubSpot is back', async () => {
    const personId = await newPerson();
    sandbox.hubspot.control.setFaults([{ path: '/crm/', status: 500 }]);
    const { ms, body } = await timedPush(personId);
    expect(ms).toBeLessThan(5_000);
    expect(body.outcome).toBe('needs_attention');
    expect(body.reason).toMatch(/^HubSpot answered 500/);
    const [item, ...others] = (await needsAttention()).filter((i) => i.personId === personId);
    expect(others).toHaveLength(0);
    expect(item).toMatchObject({ crm: 'hubspot', code: 'crm_http_500', source: 'crm', reason: body.reason, personName: expect.stringContaining('Ada') });
    expect(await contactsWithEmailOf(personId)).toHaveLength(0);

    // The Integrations card knows HubSpot keeps failing, since when and what it answered.
    const failing = await waitFor(async () => {
      const c = (await request(t.server).get('/api/connections/hubspot').set('Cookie', a.memberCookie).expect(200)).body as ConnectionDto;
      return c.health && c;
    }, 10_000);
    expect(failing.health).toMatchObject({ lastError: expect.stringMatching(/^HubSpot answered 500/), failures: expect.any(Number) });
    expect(failing.health!.failures).toBeGreaterThanOrEqual(3);
    expect(Date.parse(failing.health!.failingSince)).toBeLessThanOrEqual(Date.parse(failing.health!.lastFailureAt));

    // Still failing: Retry answers in time too, and counts the attempt.
    const again = await request(t.server).post(`/api/export/needs-attention/${item!.id}/retry`).set('Cookie', a.memberCookie).expect(200);
    expect((again.body as PushResultDto).outcome).toBe('needs_attention');
    expect((await needsAttention()).find((i) => i.personId === personId)?.attempts).toBe(2);

    sandbox.hubspot.control.clearFaults();
    const retried = (await request(t.server).post(`/api/export/needs-attention/${item!.id}/retry`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
    expect(retried.outcome).toBe('created');
    expect(await contactsWithEmailOf(personId)).toHaveLength(1);
    expect((await needsAttention()).some((i) => i.personId === personId)).toBe(false);
    // HubSpot answers again: the card no longer says it fails.
    await waitFor(async () => ((await request(t.server).get('/api/connections/hubspot').set('Cookie', a.memberCookie).expect(200)).body as ConnectionDto).health === null, 10_000);
  }, 60_000);

  it('an activity waiting on HubSpot says what HubSpot answers, since when, and when the next try is', async () => {
    const personId = await newPerson();
    expect((await timedPush(personId)).body.outcome).toBe('created');
    sandbox.hubspot.control.setFaults([{ path: '/crm/', status: 500 }]);
    const intake = (
      await request(t.server)
        .post('/api/activities')
        .set('Cookie', a.memberCookie)
        .send({ idempotencyKey: `waiting-${Date.now()}`, type: 'note', body: 'Called, no answer', personId, occurredAt: new Date().toISOString() })
        .expect(201)
    ).body as ActivityIntakeResultDto;
    const delivery = await waitFor(async () => {
      const activity = (await request(t.server).get(`/api/activities/${intake.activity.id}`).set('Cookie', a.memberCookie).expect(200)).body as ActivityDto;
      const d = activity.deliveries.find((x) => x.crm === 'hubspot');
      return d?.waiting?.nextAttemptAt ? d : false;
    }, 60_000);
    expect(delivery.status).toBe('pending');
    expect(delivery.waiting).toMatchObject({ cause: 'crm', reason: expect.stringMatching(/^HubSpot answered 500/), failingSince: expect.any(String) });
    expect(Date.parse(delivery.waiting?.nextAttemptAt ?? '')).toBeGreaterThan(Date.now() - 1_000);

    sandbox.hubspot.control.clearFaults();
    const logged = await waitFor(async () => {
      const activity = (await request(t.server).get(`/api/activities/${intake.activity.id}`).set('Cookie', a.memberCookie).expect(200)).body as ActivityDto;
      const d = activity.deliveries.find((x) => x.crm === 'hubspot');
      return d?.status === 'logged' && d;
    }, 90_000);
    expect(logged.waiting).toBeNull();
  }, 180_000);

  it('HubSpot not answering at all: the push answers within 5 s, in Needs attention saying HubSpot did not answer', async () => {
    const personId = await newPerson();
    sandbox.hubspot.control.setFaults([{ path: '/crm/', hang: true }]);
    const { ms, body } = await timedPush(personId);
    expect(ms).toBeLessThan(5_000);
    expect(body.outcome).toBe('needs_attention');
    expect(body.reason).toMatch(/^HubSpot did not answer in time/);
    expect((await needsAttention()).find((i) => i.personId === personId)).toMatchObject({ code: 'crm_timeout' });
  }, 60_000);

  it('HubSpot rate limiting: the push is queued as an export run that writes the person once HubSpot takes calls again', async () => {
    const personId = await newPerson();
    sandbox.hubspot.control.setFaults([{ path: '/crm/', status: 429 }]);
    const { ms, body } = await timedPush(personId);
    expect(ms).toBeLessThan(5_000);
    expect(body.outcome).toBe('queued');
    expect(body.reason).toMatch(/^HubSpot is rate limiting/);
    expect(body.runId).toEqual(expect.any(String));
    sandbox.hubspot.control.clearFaults();
    const run = await waitFor(async () => {
      const r = (await request(t.server).get(`/api/export/runs/${body.runId!}`).set('Cookie', a.memberCookie).expect(200)).body as ExportRunDto;
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 60_000);
    expect(run).toMatchObject({ status: 'done', created: 1 });
    expect(await contactsWithEmailOf(personId)).toHaveLength(1);
  }, 90_000);

  it('a queued push whose run fails for good lands in Needs attention with the CRM\'s answer', async () => {
    const personId = await newPerson();
    const connection = await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: a.id, crm: 'hubspot' });
    const run = await t.dataSource.getRepository(ExportRun).save({ workspaceId: a.id, connectionId: connection.id, crm: 'hubspot', trigger: 'manual', personIds: [personId], status: 'running' });
    const error = new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: 'hubspot', message: 'internal error', status: 503 });
    await t.app.get(ExportService).failRun(a.id, run.id, error);
    expect((await needsAttention()).find((i) => i.personId === personId)).toMatchObject({ code: 'crm_http_503', reason: 'HubSpot answered 503: internal error' });
    // A bulk run that fails does not fill Needs attention with everyone it had left.
    const other = await newPerson();
    const bulk = await t.dataSource.getRepository(ExportRun).save({ workspaceId: a.id, connectionId: connection.id, crm: 'hubspot', trigger: 'bulk', personIds: [other], status: 'running' });
    await t.app.get(ExportService).failRun(a.id, bulk.id, error);
    expect((await needsAttention()).some((i) => i.personId === other)).toBe(false);
  }, 30_000);
});
