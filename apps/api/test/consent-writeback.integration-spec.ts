import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { ConsentEventResultDto } from '@conduit/contracts';
import request from 'supertest';
import type { SyncRunDto } from '@conduit/contracts';
import { JobName } from '../src/queues/queue-names.js';
import { connectCrm } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

/**
 * Consent write-back (#18), both CRMs through the real SDKs: an unsubscribe and a hard bounce reported through the
 * API (API key) are recorded at once and reach HubSpot and Salesforce exactly once each, with 20 % of CRM calls
 * failing; a repeated report changes nothing; bad input is a 400 naming the field.
 */
describe('consent events → CRMs', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let apiKey: string;
  const connections: Record<'hubspot' | 'salesforce', string> = { hubspot: '', salesforce: '' };
  const run = Date.now().toString(36);
  const emails = { unsub: `unsub.${run}@consent-writeback.example`, bounce: `bounce.${run}@consent-writeback.example`, later: `later.${run}@consent-writeback.example` };
  const hs: Record<string, string> = {};
  const sf: Record<string, string> = {};

  const post = (body: unknown) => request(t.server).post('/api/consent/events').set('Authorization', `Bearer ${apiKey}`).send(body as object);
  const personId = async (email: string) => (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM person WHERE workspace_id = $1 AND lower(email) = $2`, [a.id, email]))[0]!.id;

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1, hubspot: { demoContacts: 0 } });
    for (const key of ['unsub', 'bounce'] as const) {
      hs[key] = sandbox.hubspot.control.createRecord('contacts', { email: emails[key], firstname: key, lastname: 'Consent' }).id;
    }
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'Writeback');
    apiKey = ((await request(t.server).post('/api/api-keys').set('Cookie', a.adminCookie).send({ name: 'engine' }).expect(201)).body as { key: string }).key;
    for (const crm of ['hubspot', 'salesforce'] as const) {
      await connectCrm(t.server, a.adminCookie, crm);
      connections[crm] = (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = $2`, [a.id, crm]))[0]!.id;
    }
    // Salesforce Leads with the same emails (created through the real API by a first import's sibling: the adapter).
    const { SalesforceAdapter, salesforceSandboxEndpoints } = await import('@conduit/crm');
    const adapter = new SalesforceAdapter({ accessToken: sandbox.salesforce.control.mintToken().accessToken, instanceUrl: sandbox.salesforce.url }, () => Promise.reject(new Error('no refresh')), {
      endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url),
    });
    const created = await adapter.createMany('lead', (['unsub', 'bounce'] as const).map((k) => ({ properties: { LastName: 'Consent', Company: 'Acme', Email: emails[k] } })));
    (['unsub', 'bounce'] as const).forEach((k, i) => {
      const r = created[i]!;
      if (!r.ok) throw r.error;
      sf[k] = r.id;
    });
    for (const crm of ['hubspot', 'salesforce'] as const) {
      await request(t.server).put(`/api/sync/connections/${connections[crm]}/settings`).set('Cookie', a.adminCookie).send({ objects: crm === 'hubspot' ? ['contact'] : ['lead'] }).expect(200);
      const res = await request(t.server).post(`/api/sync/connections/${connections[crm]}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
      await waitFor(async () => {
        const r = (await request(t.server).get(`/api/sync/runs/${(res.body as SyncRunDto).id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto;
        return r.status === 'done';
      }, 120_000);
    }
    // A person Conduit knows only (not in any CRM yet).
    await request(t.server).post('/api/people').set('Cookie', a.memberCookie).send({ email: emails.later, firstName: 'Later', lastName: 'Exported' }).expect(201);
  }, 240_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('bad input is a 400 naming the field; an unknown person is a 404; no API key is a 401', async () => {
    const bad = await post({ idempotencyKey: 'k', type: 'opt_out', email: emails.unsub }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('type');
    const noWho = await post({ idempotencyKey: 'k', type: 'unsubscribe' }).expect(400);
    expect(JSON.stringify(noWho.body)).toMatch(/email|personId/);
    const badEmail = await post({ idempotencyKey: 'k', type: 'unsubscribe', email: 'not-an-email' }).expect(400);
    expect(JSON.stringify(badEmail.body)).toContain('email');
    const badDate = await post({ idempotencyKey: 'k', type: 'unsubscribe', email: emails.unsub, occurredAt: 'yesterday' }).expect(400);
    expect(JSON.stringify(badDate.body)).toContain('occurredAt');
    await post({ idempotencyKey: 'k', type: 'unsubscribe', email: `nobody.${run}@consent-writeback.example` }).expect(404);
    await request(t.server).post('/api/consent/events').send({ idempotencyKey: 'k', type: 'unsubscribe', email: emails.unsub }).expect(401);
    expect((await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM consent_event WHERE workspace_id = $1`, [a.id]))[0]!.n).toBe(0);
  });

  it('an unsubscribe and a hard bounce reach HubSpot and Salesforce exactly once with 20 % of CRM calls failing', async () => {
    sandbox.hubspot.control.setFaults([{ path: '/^\\/(crm|communication-preferences)\\//', status: 503, share: 0.2 }], 7);
    sandbox.salesforce.control.setFaults([{ path: '/^\\/services\\/data\\//', status: 503, share: 0.2 }], 7);
    sandbox.hubspot.control.clearRequests();
    sandbox.salesforce.control.clearRequests();
    try {
      const unsub = (await post({ idempotencyKey: `unsub-${run}`, type: 'unsubscribe', email: emails.unsub, reason: 'Clicked unsubscribe' }).expect(201)).body as ConsentEventResultDto;
      // Suppressed at once: the consent row exists before any CRM call was answered.
      expect((await t.dataSource.query<{ kind: string; source: string }[]>(`SELECT kind, source FROM person_consent WHERE person_id = $1 AND source = 'outbound'`, [unsub.personId]))).toEqual([{ kind: 'email_opted_out', source: 'outbound' }]);
      const bounce = (await post({ idempotencyKey: `bounce-${run}`, type: 'hard_bounce', email: emails.bounce, reason: '550 5.1.1 user unknown', occurredAt: '2026-12-03T10:00:00.000Z' }).expect(201)).body as ConsentEventResultDto;
      // One delivery per connected CRM (already under way: the answer is read after the drain jobs were queued).
      expect(unsub.deliveries.map((d) => d.crm).sort()).toEqual(['hubspot', 'salesforce']);
      expect(unsub.deliveries.every((d) => ['pending', 'delivered'].includes(d.status))).toBe(true);
      // The engine repeats itself: same answer, nothing new.
      const again = (await post({ idempotencyKey: `unsub-${run}`, type: 'unsubscribe', email: emails.unsub }).expect(200)).body as ConsentEventResultDto;
      expect(again).toMatchObject({ id: unsub.id, duplicate: true });

      const view = (id: string) => request(t.server).get(`/api/consent/events/${id}`).set('Authorization', `Bearer ${apiKey}`).expect(200).then((r) => r.body as ConsentEventResultDto);
      for (const e of [unsub, bounce]) {
        await waitFor(async () => (await view(e.id)).deliveries.every((d) => d.status === 'delivered'), 120_000);
      }
      // And the labelled notes on both timelines (activity pipeline).
      await waitFor(async () => {
        const rows = await t.dataSource.query<{ status: string }[]>(
          `SELECT d.status FROM activity a JOIN activity_delivery d ON d.activity_id = a.id WHERE a.workspace_id = $1 AND a.idempotency_key LIKE 'consent:%'`,
          [a.id],
        );
        return rows.length === 4 && rows.every((r) => r.status === 'logged');
      }, 120_000);
    } finally {
      sandbox.hubspot.control.clearFaults();
      sandbox.salesforce.control.clearFaults();
    }

    // The faults did hit the CRM calls (and were retried).
    expect(sandbox.hubspot.control.requests().filter((r) => r.status === 503).length).toBeGreaterThan(0);
    expect(sandbox.salesforce.control.requests().filter((r) => r.status === 503).length).toBeGreaterThan(0);
    // HubSpot: the address opted out of all email (HubSpot then reports hs_email_optout), by one successful call.
    expect(sandbox.hubspot.control.store().subscriptions.state(emails.unsub)?.optedOutOfAll).toBeDefined();
    expect(sandbox.hubspot.control.store().get('contacts', hs['unsub']!)?.properties['hs_email_optout']).toBe('true');
    expect(sandbox.hubspot.control.store().subscriptions.state(emails.bounce)).toBeUndefined();
    const okUnsubscribes = sandbox.hubspot.control.requests().filter((r) => r.path.startsWith('/communication-preferences/') && r.status < 300);
    expect(okUnsubscribes.length).toBe(1);
    // Salesforce: the fields, on the Leads.
    expect(sandbox.salesforce.control.getRecord('Lead', sf['unsub']!)?.record).toMatchObject({ HasOptedOutOfEmail: true });
    expect(sandbox.salesforce.control.getRecord('Lead', sf['bounce']!)?.record).toMatchObject({ EmailBouncedReason: '550 5.1.1 user unknown', EmailBouncedDate: '2026-12-03T10:00:00.000+0000', HasOptedOutOfEmail: false });
    // Exactly one labelled note per event per CRM.
    const hsNotes = (id: string) => sandbox.hubspot.control.getRecord('contacts', id)!.timeline.filter((e) => e.type === 'notes');
    expect(hsNotes(hs['unsub']!).map((n) => n.properties['hs_note_body'])).toEqual([expect.stringMatching(/^\[Conduit\] Unsubscribed from email \(reported by the outbound engine\): Clicked unsubscribe/)]);
    expect(hsNotes(hs['bounce']!).map((n) => n.properties['hs_note_body'])).toEqual([expect.stringMatching(/Email hard bounced.*550 5\.1\.1 user unknown/)]);
    const sfNotes = (id: string) => sandbox.salesforce.control.getRecord('Lead', id)!.timeline;
    expect(sfNotes(sf['unsub']!).length).toBe(1);
    expect(sfNotes(sf['bounce']!).length).toBe(1);

    // A later drain finds nothing left to write: no further consent call to either CRM.
    const writes = () => [
      ...sandbox.hubspot.control.requests().filter((r) => r.path.startsWith('/communication-preferences/')),
      ...sandbox.salesforce.control.requests().filter((r) => r.method === 'PATCH'),
    ].length;
    const before = writes();
    const { OutboxService } = await import('../src/queues/outbox.service.js');
    const job = await t.app.get(OutboxService).transaction((tx) => tx.enqueue(JobName.ConsentDeliver, { workspaceId: a.id, connectionId: connections.salesforce }, { workspaceId: a.id }));
    await waitFor(async () => (await t.dataSource.query<{ status: string }[]>(`SELECT status FROM outbox_job WHERE id = $1`, [job.id]))[0]?.status === 'done', 30_000);
    expect(writes()).toBe(before);
  }, 300_000);

  it('a person in no CRM yet is suppressed at once and written once they are exported', async () => {
    const event = (await post({ idempotencyKey: `later-${run}`, type: 'spam_complaint', email: emails.later }).expect(201)).body as ConsentEventResultDto;
    const view = () => request(t.server).get(`/api/consent/events/${event.id}`).set('Cookie', a.memberCookie).expect(200).then((r) => r.body as ConsentEventResultDto);
    await waitFor(async () => (await view()).deliveries.every((d) => d.status === 'waiting_for_export'), 60_000);
    // Exported to HubSpot (the push creates the contact and links it): the held delivery is written then.
    const id = await personId(emails.later);
    await request(t.server).post(`/api/people/${id}/push/hubspot`).set('Cookie', a.memberCookie).send({}).expect((res) => {
      if (res.status >= 300) throw new Error(`export answered ${res.status}: ${JSON.stringify(res.body)}`);
    });
    await waitFor(async () => (await view()).deliveries.find((d) => d.crm === 'hubspot')?.status === 'delivered', 90_000);
    expect(sandbox.hubspot.control.store().subscriptions.state(emails.later)?.optedOutOfAll).toBeDefined();
    expect((await view()).deliveries.find((d) => d.crm === 'salesforce')?.status).toBe('waiting_for_export');
  }, 180_000);

  it('a failed delivery retried goes out again through its own connection; an unknown id is a 404', async () => {
    const event = (await post({ idempotencyKey: `retry-${run}`, type: 'unsubscribe', email: emails.unsub }).expect(201)).body as ConsentEventResultDto;
    const view = () => request(t.server).get(`/api/consent/events/${event.id}`).set('Cookie', a.memberCookie).expect(200).then((r) => r.body as ConsentEventResultDto);
    await waitFor(async () => (await view()).deliveries.every((d) => d.status === 'delivered'), 90_000);
    const delivery = (await view()).deliveries.find((d) => d.crm === 'hubspot')!;
    // As a CRM refusal leaves it (the retry is what an admin does after fixing the cause).
    await t.dataSource.query(`UPDATE consent_delivery SET status = 'failed', reason = 'refused by the CRM', delivered_at = NULL WHERE id = $1`, [delivery.id]);
    await request(t.server).post(`/api/consent/deliveries/${delivery.id}/retry`).set('Cookie', a.adminCookie).expect(204);
    const [job] = await t.dataSource.query<{ payload: { connectionId?: string } }[]>(
      `SELECT payload FROM outbox_job WHERE workspace_id = $1 AND name = $2 ORDER BY created_at DESC LIMIT 1`,
      [a.id, JobName.ConsentDeliver],
    );
    expect(job?.payload.connectionId).toBe(connections.hubspot);
    await waitFor(async () => (await view()).deliveries.find((d) => d.id === delivery.id)?.status === 'delivered', 90_000);
    // Retrying it again (not failed any more), or an id that names nothing, is a 404.
    await request(t.server).post(`/api/consent/deliveries/${delivery.id}/retry`).set('Cookie', a.adminCookie).expect(404);
    await request(t.server).post('/api/consent/deliveries/00000000-0000-4000-8000-000000000000/retry').set('Cookie', a.adminCookie).expect(404);
  }, 180_000);
});
