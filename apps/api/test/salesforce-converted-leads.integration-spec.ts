import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActivityDto, ActivityIntakeResultDto, ProvenanceDto, PushResultDto, SyncRunDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { ActivityDeliveryService } from '../src/activities/activity-delivery.service.js';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionPort } from '../src/sync/sync-connection.port.js';
import { SyncService } from '../src/sync/sync.service.js';
import { connectedWorkspace, crmSandboxConfig } from './support/crm-test-app.js';
import type { TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

/** #19: a Lead converted in Salesforce — the person follows it to the Contact (and Account). */
describe('Salesforce converted Leads (jsforce against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let connectionId: string;
  let seq = 0;
  const run = Date.now().toString(36);

  const createPerson = async (name: string, companyId?: string) => {
    const res = await request(t.server).post('/api/people').set('Cookie', a.adminCookie)
      .send({ firstName: name, lastName: 'Convert', email: `${name.toLowerCase()}-${run}@converted.example`, ...(companyId ? { companyId } : { companyName: `${name} Ltd` }) }).expect(201);
    return (res.body as { id: string }).id;
  };
  const push = async (personId: string) => (await request(t.server).post(`/api/people/${personId}/push/salesforce`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
  const logActivity = async (personId: string, subject: string) =>
    ((await request(t.server).post('/api/activities').set('Cookie', a.memberCookie)
      .send({ idempotencyKey: `conv-${run}-${seq++}`, type: 'email_sent', subject, bodyText: 'Hello', to: ['x@converted.example'], personId, occurredAt: new Date().toISOString() }).expect(201)).body as ActivityIntakeResultDto).activity.id;
  const delivered = (id: string) =>
    waitFor(async () => {
      const act = (await request(t.server).get(`/api/activities/${id}`).set('Cookie', a.memberCookie).expect(200)).body as ActivityDto;
      const d = act.deliveries.find((x) => x.crm === 'salesforce');
      return d && (d.status === 'logged' || d.status === 'failed') && d;
    }, 45_000);
  const links = (personId: string) => t.dataSource.getRepository(CrmLink).findBy({ workspaceId: a.id, connectionId, personId });
  const provenance = async (personId: string) => (await request(t.server).get(`/api/people/${personId}/provenance`).set('Cookie', a.memberCookie).expect(200)).body as ProvenanceDto;
  const task = (id: string) => sandbox.salesforce.control.getRecord('Task', id)!.record;

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 19 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    t.app.get(ActivityDeliveryService).tuning = { timeoutMs: 5_000, batchSize: 100, maxAttempts: 8, budgetShare: 0.3, settleMs: 500 };
    ({ workspace: a, connectionId } = await connectedWorkspace(t, 'Converted', 'salesforce'));
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('incremental sync notices the conversion: the link moves to the Contact, the company to the Account, with provenance; the next activity lands on the Contact and the earlier one stays logged', async () => {
    const company = (await request(t.server).post('/api/companies').set('Cookie', a.adminCookie).send({ name: `Engines ${run}`, domain: `engines-${run}.example` }).expect(201)).body as { id: string };
    const personId = await createPerson('Ada', company.id);
    const pushed = await push(personId);
    expect(pushed.crmObject).toBe('lead');
    const leadId = pushed.crmId!;
    const beforeId = await logActivity(personId, 'Before conversion');
    const before = await delivered(beforeId);
    expect(before.status).toBe('logged');
    expect(task(before.crmId!)['WhoId']).toBe(leadId);

    // Sales qualifies the Lead (its website, which conversion copies to the new Account) and converts it.
    const token = sandbox.salesforce.control.mintToken();
    const patched = await fetch(`${sandbox.salesforce.url}/services/data/v62.0/sobjects/Lead/${leadId}`, {
      method: 'PATCH', headers: { Authorization: `Bearer ${token.accessToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ Website: `https://www.engines-${run}.example` }),
    });
    expect(patched.status).toBe(204);
    const { contactId, accountId } = sandbox.salesforce.control.convertLead(leadId);
    const info = (await t.app.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).get(a.id, connectionId))!;
    const started = (await t.app.get(SyncService).startIncremental(info))!;
    const done = await waitFor(async () => {
      const r = (await request(t.server).get(`/api/sync/runs/${started.id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto;
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 90_000);
    expect(done.status).toBe('done');

    const mine = await links(personId);
    expect(mine.find((l) => l.object === 'lead')).toMatchObject({ crmId: leadId, archivedAt: expect.any(Date) });
    expect(mine.find((l) => l.object === 'contact')).toMatchObject({ crmId: contactId, archivedAt: null });
    const companyLink = await t.dataSource.getRepository(CrmLink).findOneByOrFail({ workspaceId: a.id, connectionId, companyId: company.id });
    expect(companyLink.crmId).toBe(accountId);
    const prov = await provenance(personId);
    expect(prov.current.find((e) => e.field === 'crmRecord')).toMatchObject({ rule: 'lead_converted', previousValue: `Lead ${leadId}`, value: `Contact ${contactId}`, crmRecordId: contactId });
    const badges = (await request(t.server).get(`/api/people/${personId}/crm-links`).set('Cookie', a.memberCookie).expect(200)).body as { object: string; crmId: string }[];
    expect(badges.map((b) => [b.object, b.crmId])).toEqual([['contact', contactId]]);

    const after = await delivered(await logActivity(personId, 'After conversion'));
    expect(after.status).toBe('logged');
    expect(task(after.crmId!)['WhoId']).toBe(contactId);
    // What was logged on the Lead stays logged (Salesforce moved that Task to the Contact at conversion).
    const first = (await request(t.server).get(`/api/activities/${beforeId}`).set('Cookie', a.memberCookie).expect(200)).body as ActivityDto;
    expect(first.deliveries.find((d) => d.crm === 'salesforce')).toMatchObject({ status: 'logged', crmId: before.crmId });
    expect(sandbox.salesforce.control.getRecord('Contact', contactId)!.timeline.map((e) => e.id)).toEqual(expect.arrayContaining([before.crmId, after.crmId]));

    // Seen again (the next incremental reads the Lead once more), nothing moves twice.
    const again = (await t.app.get(SyncService).startIncremental(info))!;
    await waitFor(async () => ((await request(t.server).get(`/api/sync/runs/${again.id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto).status === 'done', 60_000);
    expect((await provenance(personId)).history.filter((e) => e.field === 'crmRecord')).toHaveLength(1);
  });

  it('an activity that meets a Lead converted since the last sync follows it: logged on the Contact, the link moved', async () => {
    const company = (await request(t.server).post('/api/companies').set('Cookie', a.adminCookie).send({ name: `Grace Ltd ${run}` }).expect(201)).body as { id: string };
    const personId = await createPerson('Grace', company.id);
    const leadId = (await push(personId)).crmId!;
    const { contactId, accountId } = sandbox.salesforce.control.convertLead(leadId);
    const d = await delivered(await logActivity(personId, 'Refused by the converted Lead'));
    expect(d.status).toBe('logged');
    expect(task(d.crmId!)['WhoId']).toBe(contactId);
    const mine = await links(personId);
    expect(mine.find((l) => l.object === 'lead')?.archivedAt).toBeInstanceOf(Date);
    expect(mine.find((l) => l.object === 'contact')).toMatchObject({ crmId: contactId, archivedAt: null });
    // The person's company (Grace Ltd, in Salesforce only as the Lead's Company) is now the Account.
    expect(await t.dataSource.getRepository(CrmLink).findOneBy({ workspaceId: a.id, connectionId, companyId: company.id })).toMatchObject({ object: 'company', crmId: accountId });
  });

  it('a push that meets a converted Lead updates its Contact and moves the link, with provenance', async () => {
    const personId = await createPerson('Hedy');
    const leadId = (await push(personId)).crmId!;
    const { contactId } = sandbox.salesforce.control.convertLead(leadId);
    await request(t.server).patch(`/api/people/${personId}`).set('Cookie', a.adminCookie).send({ jobTitle: 'Inventor' }).expect(200);
    const again = await push(personId);
    expect(again).toMatchObject({ crmObject: 'contact', crmId: contactId });
    expect(sandbox.salesforce.control.getRecord('Contact', contactId)!.record['Title']).toBe('Inventor');
    const mine = await links(personId);
    expect(mine.find((l) => l.object === 'lead')?.archivedAt).toBeInstanceOf(Date);
    expect(mine.find((l) => l.object === 'contact')?.archivedAt).toBeNull();
    expect((await provenance(personId)).current.find((e) => e.field === 'crmRecord')).toMatchObject({ rule: 'lead_converted', value: `Contact ${contactId}` });
  });
});
