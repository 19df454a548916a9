import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExportRunDto, PushResultDto } from '@conduit/contracts';
import { createCrmAdapter, salesforceSandboxEndpoints, type CrmAdapter, type CrmRecord } from '@conduit/crm';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { Person } from '../src/people/person.entity.js';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

describe('Export to Salesforce (real jsforce against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let connectionId: string;
  /** The test's own view of the org, through the same adapter contract (acting as a salesperson). */
  let crm: CrmAdapter;
  let seq = 0;

  const uniqueEmail = (domain = 'sf-export.example') => `lead${Date.now().toString(36)}${seq++}@${domain}`;
  const createPerson = async (body: Record<string, unknown>): Promise<Person> => {
    const res = await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send(body).expect(201);
    return t.dataSource.getRepository(Person).findOneByOrFail({ id: (res.body as { id: string }).id });
  };
  const push = async (personId: string) => (await request(t.server).post(`/api/people/${personId}/push/salesforce`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
  const byEmail = async (email: string) => crm.findByEmails([email], { properties: ['Email'] });
  const read = async (object: 'lead' | 'contact', id: string, properties: string[]): Promise<CrmRecord> => (await crm.readByIds(object, [id], { properties }))[0]!;
  const runDone = (id: string) =>
    waitFor(async () => {
      const run = (await request(t.server).get(`/api/export/runs/${id}`).set('Cookie', a.memberCookie).expect(200)).body as ExportRunDto;
      return (run.status === 'done' || run.status === 'failed') && run;
    }, 60_000);

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 5 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'SfExport');
    await connectCrm(t.server, a.adminCookie, 'salesforce');
    connectionId = (await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: a.id, crm: 'salesforce' })).id;
    const token = sandbox.salesforce.control.mintToken();
    crm = createCrmAdapter('salesforce', { accessToken: token.accessToken, instanceUrl: sandbox.salesforce.url }, {
      refresh: () => Promise.reject(new Error('test adapter does not refresh')),
      salesforce: { endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url) },
    });
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('contact source LeadSource is validated against its picklist; a new person becomes a Lead with Company, or the placeholder', async () => {
    await request(t.server).put('/api/connections/salesforce/export-settings').set('Cookie', a.adminCookie).send({ contactSource: { crmField: 'LeadSource', value: 'Conduit' } }).expect(400);
    await request(t.server).put('/api/connections/salesforce/export-settings').set('Cookie', a.adminCookie).send({ contactSource: { crmField: 'LeadSource', value: 'Outbound' } }).expect(200);
    const withCompany = await createPerson({ firstName: 'Grace', lastName: 'Lead', email: uniqueEmail(), companyName: 'Hopper Systems' });
    const without = await createPerson({ name: 'Solo', email: uniqueEmail() });
    const r1 = await push(withCompany.id);
    const r2 = await push(without.id);
    expect(r1).toMatchObject({ outcome: 'created', crmObject: 'lead' });
    expect(r1.crmId).toMatch(/^00Q/);
    const l1 = await read('lead', r1.crmId!, ['Company', 'LastName', 'LeadSource', 'Status']);
    expect(l1.properties).toMatchObject({ Company: 'Hopper Systems', LastName: 'Lead', LeadSource: 'Outbound', Status: 'Open - Not Contacted' });
    const l2 = await read('lead', r2.crmId!, ['Company', 'LastName']);
    expect(l2.properties).toMatchObject({ Company: '[not provided]', LastName: 'Solo' });
    expect(r1.recordUrl).toContain(r1.crmId!);
    expect(await t.dataSource.getRepository(CrmLink).findOneBy({ personId: withCompany.id })).toMatchObject({ connectionId, object: 'lead', crmId: r1.crmId });
  });

  it('an existing Lead found by email is updated, not duplicated (fill if empty keeps its values)', async () => {
    const email = uniqueEmail();
    const [created] = await crm.createMany('lead', [{ properties: { Email: email, LastName: 'RepWritten', Company: 'Rep Co', Title: null } }]);
    const leadId = created!.ok ? created!.id : '';
    const person = await createPerson({ firstName: 'Conduit', lastName: 'Name', email, jobTitle: 'VP Revenue', companyName: 'Conduit Co' });
    const r = await push(person.id);
    expect(r).toMatchObject({ outcome: 'updated', crmId: leadId });
    expect((await byEmail(email)).map((m) => m.record.id)).toEqual([leadId]);
    const lead = await read('lead', leadId, ['LastName', 'Company', 'Title', 'FirstName']);
    expect(lead.properties).toMatchObject({ LastName: 'RepWritten', Company: 'Rep Co', Title: 'VP Revenue', FirstName: 'Conduit' });
  });

  it('a converted Lead updates the Contact it became', async () => {
    const page = await crm.listChangedSince('lead', null, { pageSize: 2000, properties: ['Email', 'IsConverted', 'ConvertedContactId'] });
    const converted = page.records.find((r) => r.properties['IsConverted'] === true && typeof r.properties['Email'] === 'string' && r.properties['ConvertedContactId']);
    expect(converted).toBeDefined();
    const email = converted!.properties['Email'] as string;
    const contactId = converted!.properties['ConvertedContactId'] as string;
    const person = await createPerson({ firstName: 'Converted', lastName: 'Person', email, jobTitle: 'Chief Converter', engagementState: 'replied' });
    const r = await push(person.id);
    expect(r).toMatchObject({ outcome: expect.stringMatching(/updated|unchanged/), crmObject: 'contact', crmId: contactId });
    expect(await t.dataSource.getRepository(CrmLink).findOneBy({ personId: person.id })).toMatchObject({ object: 'contact', crmId: contactId });
    const after = await byEmail(email);
    expect(after.filter((m) => m.record.object === 'lead')).toHaveLength(0);
  });

  it('a duplicate rule answer links the person to the matched Lead and updates it', async () => {
    const email = uniqueEmail();
    const person = await createPerson({ firstName: 'Dupe', lastName: 'Racer', email, jobTitle: 'Racer', companyName: 'Race Inc' });
    // The salesperson creates the same Lead while our create is on its way (after our lookup found nothing).
    sandbox.salesforce.control.clearRequests();
    sandbox.salesforce.control.setFaults([{ method: 'POST', path: '/^\\/services\\/data\\/v[0-9.]+\\/composite\\/sobjects$/', latencyMs: 1500, times: 1 }]);
    const pending = push(person.id);
    // The lookup (Lead + Contact queries in one composite call) has answered once the create is on its way.
    await waitFor(async () => sandbox.salesforce.control.requests().some((r) => r.path.endsWith('/composite')));
    await new Promise((r) => setTimeout(r, 300));
    const [rep] = await crm.createMany('lead', [{ properties: { Email: email, LastName: 'RepFirst', Company: 'Rep Inc' } }]);
    const result = await pending;
    sandbox.salesforce.control.clearFaults();
    expect(rep!.ok).toBe(true);
    const repId = rep!.ok ? rep!.id : '';
    expect(result).toMatchObject({ crmObject: 'lead', crmId: repId });
    expect((await byEmail(email)).map((m) => m.record.id)).toEqual([repId]);
    const lead = await read('lead', repId, ['LastName', 'Title']);
    expect(lead.properties).toMatchObject({ LastName: 'RepFirst', Title: 'Racer' });
    expect(await t.dataSource.getRepository(CrmLink).findOneBy({ personId: person.id })).toMatchObject({ crmId: repId });
  });

  it('restricted picklist value → preflight sends it to Needs attention with the reason (Salesforce never sees it); the rest of the batch is exported', async () => {
    // Discovery keeps `restricted` (and length/required/read-only) in the stored field list.
    type StoredField = { name: string; restricted?: boolean; length?: number; required?: boolean; readOnly: boolean };
    const snapshot = await t.dataSource.query<{ fields: StoredField[] }[]>(`SELECT fields FROM crm_field_snapshot WHERE connection_id = $1 AND object = 'lead'`, [connectionId]);
    const leadFields = new Map(snapshot[0]!.fields.map((f) => [f.name, f]));
    expect(leadFields.get('Industry')).toMatchObject({ restricted: true });
    expect(leadFields.get('LeadSource')?.restricted).toBe(false);
    expect(leadFields.get('Company')).toMatchObject({ required: true, length: 255 });
    expect(leadFields.get('IsConverted')).toMatchObject({ readOnly: true });

    await t.dataSource.query(
      `INSERT INTO crm_field_mapping (connection_id, object, position, conduit_field, crm_field, import_priority, export_behaviour, conduit_type, crm_type)
       VALUES ($1, 'contact', 998, 'custom.industry', 'Industry', 'conduit', 'overwrite', 'string', 'picklist')`,
      [connectionId],
    );
    const people = [
      await createPerson({ firstName: 'Ok', lastName: 'One', email: uniqueEmail(), engagementState: 'contacted', customAttributes: { industry: 'Banking' } }),
      await createPerson({ firstName: 'Bad', lastName: 'Industry', email: uniqueEmail(), engagementState: 'contacted', customAttributes: { industry: 'Space Mining' } }),
      await createPerson({ firstName: 'Ok', lastName: 'Two', email: uniqueEmail(), engagementState: 'contacted' }),
    ];
    sandbox.salesforce.control.clearRequests();
    const res = await request(t.server).post('/api/export/salesforce').set('Cookie', a.memberCookie).send({ personIds: people.map((p) => p.id) }).expect(202);
    const run = await runDone((res.body as ExportRunDto).id);
    expect(run).toMatchObject({ status: 'done', created: 2, needsAttention: 1 });
    expect(await byEmail(people[0]!.email!)).toHaveLength(1);
    expect(await byEmail(people[1]!.email!)).toHaveLength(0);
    expect(await byEmail(people[2]!.email!)).toHaveLength(1);
    // Refused before sending: no Salesforce write answered with a restricted-picklist error.
    expect(sandbox.salesforce.control.requests().filter((r) => r.status >= 400)).toEqual([]);
    const list = (await request(t.server).get('/api/export/needs-attention?crm=salesforce').set('Cookie', a.memberCookie).expect(200)).body as { personId: string; code: string; reason: string; source: string; fields: string[] }[];
    const item = list.find((i) => i.personId === people[1]!.id);
    expect(item).toMatchObject({ source: 'preflight', code: 'invalid_option', fields: ['Industry'] });
    expect(item!.reason).toContain('Space Mining');
    expect(item!.reason).toContain('Banking'); // the allowed values are named

    // Fixed in Conduit and retried: exported, and the item leaves the list.
    await request(t.server).patch(`/api/people/${people[1]!.id}`).set('Cookie', a.adminCookie).send({ customAttributes: { industry: 'Technology' } }).expect(200);
    const itemId = (await t.dataSource.query(`SELECT id FROM export_needs_attention WHERE person_id = $1`, [people[1]!.id]))[0].id as string;
    const retried = (await request(t.server).post(`/api/export/needs-attention/${itemId}/retry`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
    expect(retried).toMatchObject({ outcome: 'created', crmObject: 'lead' });
    expect((await read('lead', retried.crmId!, ['Industry'])).properties['Industry']).toBe('Technology');
    const after = (await request(t.server).get('/api/export/needs-attention?crm=salesforce').set('Cookie', a.memberCookie).expect(200)).body as { personId: string }[];
    expect(after.some((i) => i.personId === people[1]!.id)).toBe(false);
    await t.dataSource.query(`DELETE FROM crm_field_mapping WHERE connection_id = $1 AND position = 998`, [connectionId]);
  });

  it("a picklist restricted after discovery (stale field list) → Needs attention with Salesforce's own message; the rest of the batch is exported", async () => {
    await t.dataSource.query(
      `INSERT INTO crm_field_mapping (connection_id, object, position, conduit_field, crm_field, import_priority, export_behaviour, conduit_type, crm_type)
       VALUES ($1, 'contact', 998, 'custom.industry', 'Industry', 'conduit', 'overwrite', 'string', 'picklist')`,
      [connectionId],
    );
    // As if discovered before the admin restricted the picklist: preflight lets the value through, Salesforce refuses it.
    await t.dataSource.query(
      `UPDATE crm_field_snapshot SET fields = (SELECT jsonb_agg(CASE WHEN f->>'name' = 'Industry' THEN f - 'restricted' - 'options' ELSE f END) FROM jsonb_array_elements(fields::jsonb) f)
       WHERE connection_id = $1 AND object = 'lead'`,
      [connectionId],
    );
    try {
      const people = [
        await createPerson({ firstName: 'Ok', lastName: 'Three', email: uniqueEmail(), engagementState: 'contacted', customAttributes: { industry: 'Banking' } }),
        await createPerson({ firstName: 'Bad', lastName: 'Again', email: uniqueEmail(), engagementState: 'contacted', customAttributes: { industry: 'Space Mining' } }),
      ];
      const res = await request(t.server).post('/api/export/salesforce').set('Cookie', a.memberCookie).send({ personIds: people.map((p) => p.id) }).expect(202);
      const run = await runDone((res.body as ExportRunDto).id);
      expect(run).toMatchObject({ status: 'done', created: 1, needsAttention: 1 });
      const list = (await request(t.server).get('/api/export/needs-attention?crm=salesforce').set('Cookie', a.memberCookie).expect(200)).body as { personId: string; code: string; reason: string; source: string }[];
      const item = list.find((i) => i.personId === people[1]!.id);
      expect(item).toMatchObject({ source: 'crm', code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
      expect(item!.reason).toMatch(/bad value for restricted picklist field/i);
    } finally {
      await t.dataSource.query(`DELETE FROM crm_field_mapping WHERE connection_id = $1 AND position = 998`, [connectionId]);
      await request(t.server).post('/api/connections/salesforce/discover').set('Cookie', a.adminCookie).expect(200);
    }
  });

  it("Lead Company comes from the person's company; a Contact without an Account is linked to the Account matched by domain", async () => {
    const company = (await request(t.server).post('/api/companies').set('Cookie', a.adminCookie).send({ name: 'Linked Lead Co', domain: `llc-${Date.now().toString(36)}.example` }).expect(201)).body as { id: string; domain: string };
    const leadPerson = await createPerson({ firstName: 'Lead', lastName: 'Company', email: uniqueEmail('gmail.com'), companyId: company.id });
    await t.dataSource.getRepository(Person).update({ id: leadPerson.id }, { companyName: null });
    const lead = await push(leadPerson.id);
    expect(lead).toMatchObject({ outcome: 'created', crmObject: 'lead' });
    expect((await read('lead', lead.crmId!, ['Company'])).properties['Company']).toBe('Linked Lead Co');

    const domain = `acct-${Date.now().toString(36)}.example`;
    const [account] = await crm.createMany('company', [{ properties: { Name: 'Domain Account', Website: `https://www.${domain}/about` } }]);
    const accountId = account!.ok ? account!.id : '';
    const email = `buyer@${domain}`;
    const [contact] = await crm.createMany('contact', [{ properties: { LastName: 'Buyer', Email: email } }]);
    const contactId = contact!.ok ? contact!.id : '';
    const person = await createPerson({ firstName: 'Has', lastName: 'Account', email });
    const r = await push(person.id);
    expect(r).toMatchObject({ outcome: 'updated', crmObject: 'contact', crmId: contactId });
    expect((await read('contact', contactId, ['AccountId'])).properties['AccountId']).toBe(accountId);
    // A Contact that already has an Account keeps it (a rep's choice): a second push sends no AccountId.
    const [other] = await crm.createMany('company', [{ properties: { Name: 'Rep Account' } }]);
    const otherId = other!.ok ? other!.id : '';
    await crm.updateMany('contact', [{ id: contactId, properties: { AccountId: otherId } }]);
    await push(person.id);
    expect((await read('contact', contactId, ['AccountId'])).properties['AccountId']).toBe(otherId);
  });

  it('external-id upsert: two concurrent exports of one person make one Lead', async () => {
    await request(t.server).put('/api/connections/salesforce/export-settings').set('Cookie', a.adminCookie).send({ externalIdField: 'Nope__c' }).expect(400);
    await request(t.server).put('/api/connections/salesforce/export-settings').set('Cookie', a.adminCookie).send({ externalIdField: 'HubSpot_Contact_ID__c' }).expect(200);
    const person = await createPerson({ firstName: 'Twin', lastName: 'Push', email: uniqueEmail() });
    const [r1, r2] = await Promise.all([push(person.id), push(person.id)]);
    expect(r1.crmId).toBe(r2.crmId);
    expect(await byEmail(person.email!)).toHaveLength(1);
    const lead = await read('lead', r1.crmId!, ['HubSpot_Contact_ID__c']);
    expect(lead.properties['HubSpot_Contact_ID__c']).toBe(person.id);
    await request(t.server).put('/api/connections/salesforce/export-settings').set('Cookie', a.adminCookie).send({ externalIdField: null }).expect(200);
  });

  it('5xx faults mid-batch: creates are retried after a fresh lookup, with no duplicates', async () => {
    const people: Person[] = [];
    for (let i = 0; i < 60; i++) people.push(await createPerson({ firstName: 'Flaky', lastName: `N${i}`, email: uniqueEmail(), engagementState: 'replied' }));
    sandbox.salesforce.control.setFaults([
      { method: 'POST', path: '/^\\/services\\/data\\/v[0-9.]+\\/composite\\/sobjects$/', status: 503, times: 2 },
      { method: 'POST', path: '/^\\/services\\/data\\/v[0-9.]+\\/composite$/', status: 500, times: 1 },
    ]);
    try {
      const res = await request(t.server).post('/api/export/salesforce').set('Cookie', a.memberCookie).send({ personIds: people.map((p) => p.id) }).expect(202);
      const run = await runDone((res.body as ExportRunDto).id);
      expect(run).toMatchObject({ status: 'done', created: 60, needsAttention: 0 });
    } finally {
      sandbox.salesforce.control.clearFaults();
    }
    const found = await crm.findByEmails(people.map((p) => p.email!), { properties: ['Email'] });
    expect(found).toHaveLength(60);
  });
});
