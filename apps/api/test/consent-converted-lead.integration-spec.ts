import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { ConsentEventResultDto, SyncRunDto } from '@conduit/contracts';
import request from 'supertest';
import { connectCrm } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

/**
 * Consent write-back (#18) to a person Conduit knows only through a Salesforce Lead that was converted since: the
 * Lead refuses the update (CANNOT_UPDATE_CONVERTED_LEAD), so the opt-out is written to the Lead's ConvertedContactId,
 * and the person's link moves to that Contact.
 */
describe('consent write-back to a converted Lead', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let apiKey: string;
  let connectionId = '';
  let leadId = '';
  const email = `converted.${Date.now().toString(36)}@consent-converted.example`;

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 5, hubspot: { demoContacts: 0 } });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'Converted');
    apiKey = ((await request(t.server).post('/api/api-keys').set('Cookie', a.adminCookie).send({ name: 'engine' }).expect(201)).body as { key: string }).key;
    await connectCrm(t.server, a.adminCookie, 'salesforce');
    connectionId = (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1`, [a.id]))[0]!.id;
    const { SalesforceAdapter, salesforceSandboxEndpoints } = await import('@conduit/crm');
    const adapter = new SalesforceAdapter({ accessToken: sandbox.salesforce.control.mintToken().accessToken, instanceUrl: sandbox.salesforce.url }, () => Promise.reject(new Error('no refresh')), {
      endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url),
    });
    const [lead] = await adapter.createMany('lead', [{ properties: { LastName: 'Converted', Company: 'Acme', Email: email } }]);
    if (!lead?.ok) throw new Error('lead not created');
    leadId = lead.id;
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).send({ objects: ['lead'] }).expect(200);
    const run = await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
    await waitFor(async () => ((await request(t.server).get(`/api/sync/runs/${(run.body as SyncRunDto).id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto).status === 'done', 120_000);
  }, 240_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('writes the opt-out to the Contact the Lead became, and moves the link there', async () => {
    // Converted in Salesforce after Conduit linked the Lead (no sync since: Conduit still points at the Lead).
    const { contactId } = sandbox.salesforce.control.convertLead(leadId);
    sandbox.salesforce.control.clearRequests();
    const event = (await request(t.server).post('/api/consent/events').set('Authorization', `Bearer ${apiKey}`).send({ idempotencyKey: `unsub-${leadId}`, type: 'unsubscribe', email }).expect(201)).body as ConsentEventResultDto;
    const view = () => request(t.server).get(`/api/consent/events/${event.id}`).set('Authorization', `Bearer ${apiKey}`).expect(200).then((r) => r.body as ConsentEventResultDto);
    const settled = await waitFor(async () => {
      const e = await view();
      return e.deliveries.every((d) => d.status === 'delivered' || d.status === 'failed') ? e : null;
    }, 60_000);
    expect(settled.deliveries).toEqual([expect.objectContaining({ crm: 'salesforce', status: 'delivered', crmRecordId: contactId, reason: null })]);
    expect(sandbox.salesforce.control.getRecord('Contact', contactId)?.record).toMatchObject({ HasOptedOutOfEmail: true });
    // The Lead was tried first (Salesforce answers the composite update 200 with the record's refusal), then the Contact.
    expect(sandbox.salesforce.control.requests().filter((r) => r.route === 'PATCH /services/data/:version/composite/sobjects').length).toBe(2);
    const links = await t.dataSource.query<{ object: string; crm_id: string; live: boolean }[]>(
      `SELECT object, crm_id, archived_at IS NULL AS live FROM crm_link WHERE workspace_id = $1 AND person_id = $2 ORDER BY object`,
      [a.id, event.personId],
    );
    expect(links).toEqual([
      { object: 'contact', crm_id: contactId, live: true },
      { object: 'lead', crm_id: leadId, live: false },
    ]);
  });
});
