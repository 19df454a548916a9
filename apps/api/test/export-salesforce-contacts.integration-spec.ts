import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExportRunDto, ExportSettingsDto, NeedsAttentionDto, PushResultDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { connectedWorkspace, crmSandboxConfig } from './support/crm-test-app.js';
import type { TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

/** #19: Salesforce export as Contact + Account (export settings), through jsforce against the sandbox. */
describe('Export to Salesforce as Contact + Account', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let connectionId: string;
  let token: string;
  let seq = 0;
  const run = Date.now().toString(36);
  const uid = () => `${run}${seq++}`;

  const settings = (body: Record<string, unknown>) => request(t.server).put('/api/connections/salesforce/export-settings').set('Cookie', a.adminCookie).send(body);
  const company = async (body: Record<string, unknown>) => ((await request(t.server).post('/api/companies').set('Cookie', a.adminCookie).send(body).expect(201)).body as { id: string }).id;
  const person = async (body: Record<string, unknown>) => ((await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send({ lastName: 'Prospect', ...body }).expect(201)).body as { id: string }).id;
  const push = async (personId: string) => (await request(t.server).post(`/api/people/${personId}/push/salesforce`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
  const record = (type: string, id: string) => sandbox.salesforce.control.getRecord(type, id)!.record;
  /** A salesperson's own write in the org (REST, as jsforce sends it). */
  const sfCreate = async (type: string, body: Record<string, unknown>): Promise<string> => {
    const res = await fetch(`${sandbox.salesforce.url}/services/data/v62.0/sobjects/${type}`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Sforce-Duplicate-Rule-Header': 'allowSave=true' }, body: JSON.stringify(body),
    });
    const json = (await res.json()) as { id?: string };
    if (res.status !== 201 || !json.id) throw new Error(`create ${type} answered ${res.status}: ${JSON.stringify(json)}`);
    return json.id;
  };
  const countAccounts = async (name: string) => {
    const res = await fetch(`${sandbox.salesforce.url}/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Account WHERE Name = '${name}'`)}`, { headers: { Authorization: `Bearer ${token}` } });
    return ((await res.json()) as { totalSize: number }).totalSize;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 21 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    ({ workspace: a, connectionId } = await connectedWorkspace(t, 'SfContacts', 'salesforce'));
    token = sandbox.salesforce.control.mintToken().accessToken;
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('the export object is a Salesforce setting: Lead by default, Contact + Account when chosen; bad values are a 400 naming the field', async () => {
    const before = (await request(t.server).get('/api/connections/salesforce/export-settings').set('Cookie', a.memberCookie).expect(200)).body as ExportSettingsDto;
    expect(before).toMatchObject({ salesforceObject: 'lead', whenLeadExists: 'update_lead' });
    const bad = await settings({ salesforceObject: 'account' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('salesforceObject');
    await request(t.server).put('/api/connections/salesforce/export-settings').set('Cookie', a.memberCookie).send({ salesforceObject: 'contact' }).expect(403);
    const saved = (await settings({ salesforceObject: 'contact' }).expect(200)).body as ExportSettingsDto;
    expect(saved).toMatchObject({ salesforceObject: 'contact', whenLeadExists: 'update_lead' });
  });

  it('a prospect of a company Salesforce does not have becomes a Contact under a new Account (Companies-tab fields); the next one reuses it through the link', async () => {
    const name = `Initech ${uid()}`;
    const companyId = await company({ name, domain: `initech-${run}.example`, industry: 'Technology', city: 'Austin' });
    const first = await push(await person({ firstName: 'Peter', email: `peter-${uid()}@initech-${run}.example`, companyId, jobTitle: 'Engineer' }));
    expect(first).toMatchObject({ outcome: 'created', crmObject: 'contact', account: { matchedBy: 'created' } });
    const contact = record('Contact', first.crmId!);
    expect(contact).toMatchObject({ AccountId: first.account!.id, Title: 'Engineer', LastName: 'Prospect' });
    expect(record('Account', first.account!.id)).toMatchObject({ Name: name, Website: `initech-${run}.example`, BillingCity: 'Austin' });
    expect(await t.dataSource.getRepository(CrmLink).findOneBy({ workspaceId: a.id, connectionId, companyId })).toMatchObject({ object: 'company', crmId: first.account!.id });

    const second = await push(await person({ firstName: 'Samir', email: `samir-${uid()}@initech-${run}.example`, companyId }));
    expect(second).toMatchObject({ outcome: 'created', crmObject: 'contact', account: { id: first.account!.id, matchedBy: 'link' } });
    expect(await countAccounts(name)).toBe(1);
  });

  it('an Account is matched by website domain, then by exact name; several matching Accounts go to Needs attention and nothing is written', async () => {
    const byDomain = await sfCreate('Account', { Name: `Globex Corporation ${uid()}`, Website: `https://www.globex-${run}.example/about` });
    const r1 = await push(await person({ email: `hank-${uid()}@gmail.com`, companyId: await company({ name: `Globex ${uid()}`, domain: `globex-${run}.example` }) }));
    expect(r1).toMatchObject({ crmObject: 'contact', account: { id: byDomain, matchedBy: 'domain' } });

    const exactName = `Umbrella ${uid()}`;
    const byName = await sfCreate('Account', { Name: exactName });
    const r2 = await push(await person({ email: `alice-${uid()}@gmail.com`, companyName: exactName }));
    expect(r2).toMatchObject({ crmObject: 'contact', account: { id: byName, matchedBy: 'name' } });
    expect(record('Contact', r2.crmId!)['AccountId']).toBe(byName);

    const twin = `twins-${run}.example`;
    const ids = [await sfCreate('Account', { Name: `Twin A ${uid()}`, Website: twin }), await sfCreate('Account', { Name: `Twin B ${uid()}`, Website: `http://${twin}` })].sort();
    const email = `twin-${uid()}@${twin}`;
    const personId = await person({ email, companyId: await company({ name: `Twins ${uid()}`, domain: twin }) });
    const r3 = await push(personId);
    expect(r3).toMatchObject({ outcome: 'needs_attention', crmId: null });
    expect(r3.reason).toContain(ids[0]);
    expect(r3.reason).toContain(ids[1]);
    const attention = (await request(t.server).get('/api/export/needs-attention?crm=salesforce').set('Cookie', a.memberCookie).expect(200)).body as NeedsAttentionDto[];
    expect(attention.find((n) => n.personId === personId)).toMatchObject({ code: 'account_ambiguous' });
    const res = await fetch(`${sandbox.salesforce.url}/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE Email = '${email}'`)}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await res.json()) as { totalSize: number }).totalSize).toBe(0);
  });

  it('an Account created meanwhile by someone else trips the duplicate rule: the Contact goes under that Account', async () => {
    const name = `Hooli ${uid()}`;
    const personId = await person({ email: `gavin-${uid()}@gmail.com`, companyName: name });
    // The Account create waits; meanwhile a rep creates the same Account, so Salesforce's duplicate rule answers.
    sandbox.salesforce.control.setFaults([{ method: 'POST', path: '/services/data/v62.0/composite/sobjects', latencyMs: 1_500, times: 1 }]);
    try {
      const pushing = push(personId);
      await new Promise((r) => setTimeout(r, 500));
      const theirs = await sfCreate('Account', { Name: name });
      const result = await pushing;
      expect(result).toMatchObject({ outcome: 'created', crmObject: 'contact', account: { id: theirs } });
      expect(record('Contact', result.crmId!)['AccountId']).toBe(theirs);
      expect(await countAccounts(name)).toBe(1);
    } finally {
      sandbox.salesforce.control.clearFaults();
    }
  });

  it('concurrent exports of people of one new company create its Account once', async () => {
    const name = `Pied Piper ${uid()}`;
    const companyId = await company({ name, domain: `piedpiper-${run}.example` });
    const people = await Promise.all([0, 1, 2, 3].map((i) => person({ firstName: `P${i}`, email: `p${i}-${uid()}@piedpiper-${run}.example`, companyId })));
    const results = await Promise.all(people.map((p) => push(p)));
    expect(results.every((r) => r.outcome === 'created' && r.crmObject === 'contact')).toBe(true);
    expect(new Set(results.map((r) => r.account?.id)).size).toBe(1);
    expect(await countAccounts(name)).toBe(1);
  });

  it('a person who is an unconverted Lead: "update the Lead" updates it; "create the Contact" makes a Contact under the Account and leaves the Lead', async () => {
    const email = `lena-${uid()}@lead-exists-${run}.example`;
    const leadId = await sfCreate('Lead', { LastName: 'Prospect', Company: `Lead Exists ${run}`, Email: email });
    const personId = await person({ firstName: 'Lena', email, jobTitle: 'CFO', companyName: `Lead Exists ${run}` });

    await settings({ whenLeadExists: 'update_lead' }).expect(200);
    const updated = await push(personId);
    expect(updated).toMatchObject({ outcome: 'updated', crmObject: 'lead', crmId: leadId });
    expect(record('Lead', leadId)['Title']).toBe('CFO');

    await settings({ whenLeadExists: 'create_contact' }).expect(200);
    await request(t.server).patch(`/api/people/${personId}`).set('Cookie', a.adminCookie).send({ jobTitle: 'CEO' }).expect(200);
    const created = await push(personId);
    expect(created).toMatchObject({ outcome: 'created', crmObject: 'contact', account: { matchedBy: 'created' } });
    expect(record('Contact', created.crmId!)).toMatchObject({ Email: email, Title: 'CEO', AccountId: created.account!.id });
    expect(record('Lead', leadId)).toMatchObject({ Title: 'CFO', IsConverted: false });
    // Pushed again, the person is the Contact.
    expect(await push(personId)).toMatchObject({ crmObject: 'contact', crmId: created.crmId });
    await settings({ whenLeadExists: 'update_lead' }).expect(200);
  });

  it('owner mapping and a status mapping on a Contact field apply to the Contact; a bulk export honours the choice', async () => {
    const owner = sandbox.salesforce.control.users().find((u) => u.active)!;
    await request(t.server).put('/api/connections/salesforce/owner-mapping').set('Cookie', a.adminCookie).send({ overrides: [{ crmOwnerId: owner.id, memberId: a.member.id }], defaultOwnerId: null }).expect(200);
    // The org tracks prospect status on Contacts with a custom picklist; discovery picks it up.
    sandbox.salesforce.control.addField('Contact', { name: 'Prospect_Status__c', type: 'picklist', label: 'Prospect status', picklist: ['New', 'Working', 'Replied'] });
    await request(t.server).post('/api/connections/salesforce/discover').set('Cookie', a.adminCookie).expect((r) => expect(r.status).toBeLessThan(300));
    const mapping = (await request(t.server).get('/api/connections/salesforce/status-mapping').set('Cookie', a.memberCookie).expect(200)).body as { candidateFields: { name: string }[] };
    expect(mapping.candidateFields.map((f) => f.name)).toContain('Prospect_Status__c');
    await request(t.server).put('/api/connections/salesforce/status-mapping').set('Cookie', a.adminCookie)
      .send({ enabled: true, crmField: 'Prospect_Status__c', source: 'engagementState', table: { not_contacted: 'New', contacted: 'Working', replied: 'Replied', replied_positive: 'Replied', replied_negative: 'Replied' } }).expect(200);

    const companyId = await company({ name: `Vandelay ${uid()}`, domain: `vandelay-${run}.example` });
    const ids = await Promise.all([0, 1, 2].map((i) => person({ firstName: `V${i}`, email: `v${i}-${uid()}@vandelay-${run}.example`, companyId, assignedUserId: a.member.id, engagementState: 'contacted' })));
    const started = (await request(t.server).post('/api/export/salesforce').set('Cookie', a.memberCookie).send({ personIds: ids }).expect(202)).body as ExportRunDto;
    const done = await waitFor(async () => {
      const r = (await request(t.server).get(`/api/export/runs/${started.id}`).set('Cookie', a.memberCookie).expect(200)).body as ExportRunDto;
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 60_000);
    expect(done).toMatchObject({ status: 'done' });
    const links = await t.dataSource.getRepository(CrmLink).findBy({ workspaceId: a.id, connectionId, object: 'contact' });
    const contacts = ids.map((id) => links.find((l) => l.personId === id)!.crmId).map((cid) => record('Contact', cid));
    expect(contacts).toHaveLength(3);
    for (const c of contacts) expect(c).toMatchObject({ OwnerId: owner.id, Prospect_Status__c: 'Working' });
    expect(new Set(contacts.map((c) => c['AccountId'])).size).toBe(1);
  });
});
