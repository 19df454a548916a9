import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SalesforceAdapter, salesforceSandboxEndpoints } from '@conduit/crm';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { CampaignDto, ExcludedPageDto, RecipientCountsDto, SyncRunDto } from '@conduit/contracts';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { SyncService } from '../src/sync/sync.service.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionPort } from '../src/sync/sync-connection.port.js';
import { connectCrm } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

/**
 * Consent read on import (#18), both CRMs through the real SDKs: a contact unsubscribed in HubSpot and a Lead opted
 * out in Salesforce leave a campaign's recipients after one incremental sync (HubSpot also after one webhook), and
 * the Excluded tab says why, where and when.
 */
describe('consent on import → campaign exclusion', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let baseUrl: string;
  const connections: Record<'hubspot' | 'salesforce', string> = { hubspot: '', salesforce: '' };

  const runOf = async (id: string) => (await request(t.server).get(`/api/sync/runs/${id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto;
  const finished = (id: string) => waitFor(async () => {
    const run = await runOf(id);
    if (run.status === 'failed') throw new Error(`run failed: ${JSON.stringify(run)}`);
    return run.status === 'done' && run;
  }, 90_000);
  const incremental = async (crm: 'hubspot' | 'salesforce') => {
    const info = (await t.app.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).get(a.id, connections[crm]))!;
    return finished((await t.app.get(SyncService).startIncremental(info))!.id);
  };
  const personOf = async (connectionId: string, crmId: string): Promise<string> =>
    waitFor(async () => (await t.dataSource.query<{ person_id: string }[]>(`SELECT person_id FROM crm_link WHERE connection_id = $1 AND crm_id = $2 AND person_id IS NOT NULL`, [connectionId, crmId]))[0]?.person_id ?? null);

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1, hubspot: { demoContacts: 40 } });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    a = await createWorkspace(t.server, t.dataSource, 'Consent');
    for (const crm of ['hubspot', 'salesforce'] as const) {
      await connectCrm(t.server, a.adminCookie, crm);
      connections[crm] = (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = $2`, [a.id, crm]))[0]!.id;
      await request(t.server).put(`/api/sync/connections/${connections[crm]}/settings`).set('Cookie', a.adminCookie).send({ objects: crm === 'hubspot' ? ['contact'] : ['lead'] }).expect(200);
      const res = await request(t.server).post(`/api/sync/connections/${connections[crm]}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
      await finished((res.body as SyncRunDto).id);
    }
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  async function campaignOf(personIds: string[]): Promise<string> {
    const res = await request(t.server).post('/api/campaigns').set('Cookie', a.memberCookie).send({ name: `Consent ${Date.now()}`, audiencePersonIds: personIds }).expect(201);
    expect((res.body as CampaignDto).channel).toBe('email');
    return (res.body as CampaignDto).id;
  }
  const counts = async (id: string) => (await request(t.server).get(`/api/campaigns/${id}/recipients/counts`).set('Cookie', a.memberCookie).expect(200)).body as RecipientCountsDto;
  const excluded = async (id: string) => (await request(t.server).get(`/api/campaigns/${id}/recipients/excluded`).set('Cookie', a.memberCookie).expect(200)).body as ExcludedPageDto;

  it('a HubSpot unsubscribe and a Salesforce Email Opt Out exclude the person after one incremental sync, with the reason', async () => {
    const contact = [...sandbox.hubspot.control.store().records.get('contacts')!.values()].find((c) => c.properties['email'] && c.properties['hs_email_optout'] !== 'true')!;
    const email = contact.properties['email']!;
    const sf = new SalesforceAdapter({ accessToken: sandbox.salesforce.control.mintToken().accessToken, instanceUrl: sandbox.salesforce.url }, () => Promise.reject(new Error('no refresh')), {
      endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url),
    });
    const leads = (await t.dataSource.query<{ crm_id: string; person_id: string }[]>(
      `SELECT l.crm_id, l.person_id FROM crm_link l JOIN person p ON p.id = l.person_id
        WHERE l.connection_id = $1 AND l.object = 'lead' AND p.email IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM person_consent c WHERE c.person_id = l.person_id) ORDER BY l.crm_id LIMIT 50`,
      [connections.salesforce],
    )).find((l) => sandbox.salesforce.control.getRecord('Lead', l.crm_id)?.record['IsConverted'] === false)!;
    const hsPerson = await personOf(connections.hubspot, contact.id);
    const campaignId = await campaignOf([hsPerson, leads.person_id]);
    expect(await counts(campaignId)).toMatchObject({ audience: 2, consent: 0, final: 2 });

    sandbox.hubspot.control.unsubscribeAll(email);
    const [updated] = await sf.updateMany('lead', [{ id: leads.crm_id, properties: { HasOptedOutOfEmail: true } }]);
    expect(updated?.ok ? true : JSON.stringify(updated)).toBe(true);
    await incremental('hubspot');
    await incremental('salesforce');

    expect(await counts(campaignId)).toMatchObject({ audience: 2, suppressed: 0, dnc: 0, consent: 2, final: 0 });
    const page = await excluded(campaignId);
    const reasons = Object.fromEntries(page.items.map((i) => [i.personId, i.reasons]));
    expect(reasons[hsPerson]).toEqual([{ reason: 'email_opted_out', detail: 'Unsubscribed from all email', crm: 'hubspot', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(reasons[leads.person_id]).toEqual([{ reason: 'email_opted_out', detail: 'Email Opt Out', crm: 'salesforce', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    const at = Date.parse(reasons[hsPerson]![0]!.at!);
    expect(Math.abs(at - Date.now())).toBeLessThan(120_000);

    // A campaign on the phone channel is not affected by an email opt-out; Salesforce Do Not Call is.
    await sf.updateMany('lead', [{ id: leads.crm_id, properties: { DoNotCall: true, HasOptedOutOfEmail: false } }]);
    await incremental('salesforce');
    const phone = (await request(t.server).post('/api/campaigns').set('Cookie', a.memberCookie).send({ name: 'Calls', channel: 'phone', audiencePersonIds: [hsPerson, leads.person_id] }).expect(201)).body as CampaignDto;
    expect(await counts(phone.id)).toMatchObject({ audience: 2, consent: 1, final: 1 });
    expect((await excluded(phone.id)).items.map((i) => i.reasons.map((r) => `${r.reason}:${r.crm ?? ''}`))).toEqual([['do_not_call:salesforce']]);
    // The lead's email opt-out was withdrawn in Salesforce: the email campaign keeps only the HubSpot exclusion.
    expect(await counts(campaignId)).toMatchObject({ consent: 1, final: 1 });
    await request(t.server).post('/api/campaigns').set('Cookie', a.memberCookie).send({ name: 'Bad', channel: 'fax' }).expect(400);
  }, 120_000);

  it('a HubSpot unsubscribe arriving by webhook excludes the person with no sync run of its own', async () => {
    const contact = [...sandbox.hubspot.control.store().records.get('contacts')!.values()].reverse().find((c) => c.properties['email'] && c.properties['hs_email_optout'] !== 'true')!;
    const person = await personOf(connections.hubspot, contact.id);
    const campaignId = await campaignOf([person]);
    expect(await counts(campaignId)).toMatchObject({ final: 1 });
    sandbox.hubspot.control.setWebhookTarget(`${baseUrl}/api/webhooks/hubspot`);
    try {
      sandbox.hubspot.control.unsubscribeAll(contact.properties['email']!);
      await sandbox.hubspot.control.flushWebhooks();
      expect(sandbox.hubspot.control.webhookDeliveries().at(-1)?.status).toBe(204);
      await waitFor(async () => (await counts(campaignId)).final === 0, 60_000);
    } finally {
      sandbox.hubspot.control.setWebhookTarget(null);
    }
    const [row] = (await excluded(campaignId)).items;
    expect(row?.reasons).toEqual([expect.objectContaining({ reason: 'email_opted_out', crm: 'hubspot' })]);
    const runs = await t.dataSource.query<{ kind: string }[]>(`SELECT kind FROM sync_run WHERE connection_id = $1 ORDER BY created_at DESC LIMIT 1`, [connections.hubspot]);
    expect(runs[0]?.kind).toBe('webhook');
  }, 90_000);

  it('a hard bounce set by HubSpot is read as email bounced and keeps its first date on later syncs', async () => {
    const contact = [...sandbox.hubspot.control.store().records.get('contacts')!.values()].find((c) => c.properties['email'] && !c.properties['hs_email_optout'])!;
    sandbox.hubspot.control.hardBounce(contact.id, 'UNKNOWN_USER');
    await incremental('hubspot');
    const person = await personOf(connections.hubspot, contact.id);
    const first = await t.dataSource.query<{ kind: string; reason: string; occurred_at: Date }[]>(`SELECT kind, reason, occurred_at FROM person_consent WHERE person_id = $1`, [person]);
    expect(first).toEqual([{ kind: 'email_bounced', reason: '550 5.1.1 UNKNOWN_USER', occurred_at: expect.any(Date) }]);
    sandbox.hubspot.control.updateRecord('contacts', contact.id, { jobtitle: 'Changed later' });
    await new Promise((r) => setTimeout(r, 20));
    await incremental('hubspot');
    const again = await t.dataSource.query<{ occurred_at: Date }[]>(`SELECT occurred_at FROM person_consent WHERE person_id = $1`, [person]);
    expect(again[0]?.occurred_at.toISOString()).toBe(first[0]!.occurred_at.toISOString());
  }, 90_000);
});
