import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ContactSourceFieldsDto, ExportRunDto, OwnerMappingDto, PushResultDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { Company } from '../src/companies/company.entity.js';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { ExportResumes } from '../src/export/export-resume.js';
import { ExportRun } from '../src/export/export-run.entity.js';
import { Person } from '../src/people/person.entity.js';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { User } from '../src/users/user.entity.js';
import { hashPassword } from '../src/auth/password.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

describe('Export to HubSpot (real SDK against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let connectionId: string;
  let seq = 0;

  const store = () => sandbox.hubspot.control.store();
  const contacts = () => [...(store().records.get('contacts')?.values() ?? [])].filter((c) => !c.archived);
  const companies = () => [...(store().records.get('companies')?.values() ?? [])].filter((c) => !c.archived);
  const contactByEmail = (email: string) => contacts().filter((c) => c.properties['email']?.toLowerCase() === email.toLowerCase());
  const companyOf = (contactId: string) => store().associated('contacts', contactId, 'companies').map((x) => x.toId);
  const uniqueEmail = (domain = 'export-tests.example') => `person${Date.now().toString(36)}${seq++}@${domain}`;

  const createPerson = async (body: Record<string, unknown>, ws = a): Promise<Person> => {
    const res = await request(t.server).post('/api/people').set('Cookie', ws.adminCookie).send(body).expect(201);
    return t.dataSource.getRepository(Person).findOneByOrFail({ id: (res.body as { id: string }).id });
  };
  const push = async (personId: string, ws = a) => (await request(t.server).post(`/api/people/${personId}/push/hubspot`).set('Cookie', ws.memberCookie).expect(200)).body as PushResultDto;
  const setRow = (conduitField: string, exportBehaviour: string) =>
    t.dataSource.query(`UPDATE crm_field_mapping SET export_behaviour = $3 WHERE connection_id = $1 AND object = 'contact' AND conduit_field = $2`, [connectionId, conduitField, exportBehaviour]);
  const runDone = (id: string) =>
    waitFor(async () => {
      const run = (await request(t.server).get(`/api/export/runs/${id}`).set('Cookie', a.memberCookie).expect(200)).body as ExportRunDto;
      return (run.status === 'done' || run.status === 'failed') && run;
    }, 60_000);

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 3 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'ExportAlpha');
    b = await createWorkspace(t.server, t.dataSource, 'ExportBeta');
    await connectCrm(t.server, a.adminCookie, 'hubspot');
    connectionId = (await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: a.id, crm: 'hubspot' })).id;
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('export settings: defaults, validated contact source, admin only, other workspaces 404', async () => {
    const res = await request(t.server).get('/api/connections/hubspot/export-settings').set('Cookie', a.memberCookie).expect(200);
    expect(res.body).toEqual({ crm: 'hubspot', policy: 'all_contacted', autoExport: true, contactSource: null, externalIdField: null });
    await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.memberCookie).send({ policy: 'replied' }).expect(403);
    const bad = await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ contactSource: { crmField: 'hs_lead_status', value: 'Conduit' } }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('not an option of hs_lead_status');
    const missing = await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ contactSource: { crmField: 'no_such_property', value: 'x' } }).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'contactSource.crmField', messages: ['no_such_property is not a field of the CRM person object'] }]);
    await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ policy: 'sometimes' }).expect(400);
    // A custom "lead source" enumeration: the value must be one of its options.
    sandbox.hubspot.control.addProperty('contacts', {
      name: 'conduit_lead_source',
      label: 'Lead source (Conduit)',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'contactinformation',
      options: [{ label: 'Conduit', value: 'conduit', displayOrder: 0, hidden: false }, { label: 'Website', value: 'website', displayOrder: 1, hidden: false }],
    });
    await request(t.server).post('/api/connections/hubspot/discover').set('Cookie', a.adminCookie).expect(200);
    // The picker's fields: writable contact properties with labels, the new custom one with its options.
    const picker = (await request(t.server).get('/api/connections/hubspot/export-settings/contact-source-fields').set('Cookie', a.memberCookie).expect(200)).body as ContactSourceFieldsDto;
    expect(picker).toMatchObject({ crm: 'hubspot', objectName: 'Contact' });
    expect(picker.discoveredAt).not.toBeNull();
    expect(picker.fields.find((f) => f.name === 'conduit_lead_source')).toMatchObject({ label: 'Lead source (Conduit)', custom: true, options: [{ value: 'conduit', label: 'Conduit' }, { value: 'website', label: 'Website' }] });
    expect(picker.fields.find((f) => f.name === 'hs_lead_status')).toMatchObject({ label: expect.any(String), readOnly: false });
    expect(picker.fields.every((f) => !f.readOnly)).toBe(true);
    await request(t.server).get('/api/connections/hubspot/export-settings/contact-source-fields').set('Cookie', b.adminCookie).expect(404);
    const badValue = await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ contactSource: { crmField: 'conduit_lead_source', value: 'Partner' } }).expect(400);
    expect(badValue.body.errors).toEqual([{ field: 'contactSource.value', messages: [expect.stringContaining('"Partner" is not an option of conduit_lead_source')] }]);
    const ok = await request(t.server)
      .put('/api/connections/hubspot/export-settings')
      .set('Cookie', a.adminCookie)
      .send({ contactSource: { crmField: 'conduit_lead_source', value: 'conduit' } })
      .expect(200);
    expect(ok.body).toMatchObject({ contactSource: { crmField: 'conduit_lead_source', value: 'conduit' } });
    await request(t.server).get('/api/connections/hubspot/export-settings').set('Cookie', b.adminCookie).expect(404);
  });

  it('manual push always exports (even not contacted): contact created with stamp, status, company created by domain and associated, linked', async () => {
    const email = uniqueEmail('newco-export.example');
    const person = await createPerson({ firstName: 'Ada', lastName: 'Push', email, jobTitle: 'CTO', companyName: 'NewCo Export' });
    expect(person.engagementState).toBe('not_contacted');
    const companiesBefore = companies().length;
    const result = await push(person.id);
    expect(result).toMatchObject({ outcome: 'created', crm: 'hubspot', crmObject: 'contact' });
    const [contact, more] = contactByEmail(email);
    expect(more).toBeUndefined();
    expect(contact!.id).toBe(result.crmId);
    expect(contact!.properties).toMatchObject({ firstname: 'Ada', lastname: 'Push', jobtitle: 'CTO', conduit_lead_source: 'conduit', hs_lead_status: 'NEW' });
    expect(companies().length).toBe(companiesBefore + 1);
    const company = companies().find((c) => c.properties['domain'] === 'newco-export.example');
    expect(company).toBeDefined();
    expect(companyOf(contact!.id)).toEqual([company!.id]);
    expect(result.recordUrl).toContain(contact!.id);
    const link = await t.dataSource.getRepository(CrmLink).findOneByOrFail({ workspaceId: a.id, personId: person.id });
    expect(link).toMatchObject({ connectionId, object: 'contact', crmId: contact!.id });
    const links = await request(t.server).get(`/api/people/${person.id}/crm-links`).set('Cookie', a.memberCookie).expect(200);
    expect(links.body).toEqual([expect.objectContaining({ crm: 'hubspot', crmId: contact!.id })]);
    // The Prospects table asks for a page of people at once (CRM badges).
    const other = await createPerson({ firstName: 'Not', lastName: 'Pushed', email: uniqueEmail() });
    const page = await request(t.server).get('/api/export/crm-links').query({ personIds: `${person.id},${other.id}` }).set('Cookie', a.memberCookie).expect(200);
    expect(page.body).toEqual([{ personId: person.id, crm: 'hubspot', object: 'contact', crmId: contact!.id, recordUrl: result.recordUrl, lastSyncedAt: expect.any(String) }]);
    const bad = await request(t.server).get('/api/export/crm-links').query({ personIds: `${person.id},nope` }).set('Cookie', a.memberCookie).expect(400);
    expect(JSON.stringify(bad.body)).toContain('personIds');
    await request(t.server).get('/api/export/crm-links').query({ personIds: person.id }).set('Cookie', b.memberCookie).expect(200).expect([]);
  });

  it('exporting twice creates nothing new and sends nothing when unchanged', async () => {
    const email = uniqueEmail();
    const person = await createPerson({ firstName: 'Twice', lastName: 'Exported', email });
    await push(person.id);
    const count = contacts().length;
    sandbox.hubspot.control.clearRequests();
    const again = await push(person.id);
    expect(again.outcome).toBe('unchanged');
    expect(contacts().length).toBe(count);
    const writes = sandbox.hubspot.control.requests().filter((r) => r.method !== 'GET' && !r.path.endsWith('/batch/read'));
    expect(writes).toEqual([]);
  });

  it('existing contact by email is updated, not duplicated; fill-if-empty keeps a filled CRM value; overwrite replaces; do-not-export never sends', async () => {
    const email = uniqueEmail();
    const existing = sandbox.hubspot.control.createRecord('contacts', { email, firstname: 'CrmFirst', lastname: 'CrmLast', city: 'CrmCity' });
    const person = await createPerson({ firstName: 'ConduitFirst', lastName: 'ConduitLast', email, jobTitle: 'Head of Sales', city: 'Berlin', phone: '+49 30 1234567' });
    await setRow('lastName', 'overwrite');
    await setRow('phone', 'do_not_export');
    const count = contacts().length;
    const result = await push(person.id);
    expect(result).toMatchObject({ outcome: 'updated', crmId: existing.id });
    expect(contacts().length).toBe(count);
    const after = store().records.get('contacts')!.get(existing.id)!;
    expect(after.properties['firstname']).toBe('CrmFirst'); // fill if empty: CRM value kept
    expect(after.properties['city']).toBe('CrmCity');
    expect(after.properties['jobtitle']).toBe('Head of Sales'); // blank in the CRM: filled
    expect(after.properties['lastname']).toBe('ConduitLast'); // overwrite
    expect(after.properties['phone'] ?? null).toBeNull(); // do not export
    expect(after.properties['conduit_lead_source'] ?? null).toBeNull(); // contact source only on create
    await setRow('lastName', 'fill_if_empty');
    await setRow('phone', 'fill_if_empty');
  });

  it('company found by domain is associated, not created again', async () => {
    const seeded = companies().find((c) => c.properties['domain'] && !/gmail|yahoo|hotmail/.test(c.properties['domain']));
    expect(seeded).toBeDefined();
    const email = uniqueEmail(seeded!.properties['domain']);
    const person = await createPerson({ firstName: 'Domain', lastName: 'Match', email });
    const count = companies().length;
    const result = await push(person.id);
    expect(companies().length).toBe(count);
    expect(companyOf(result.crmId!)).toEqual([seeded!.id]);
  });

  it('company mapping rows apply on export: a created company gets them; a company found by domain keeps filled values (fill if empty) and takes overwrite rows', async () => {
    const setCompanyRow = (conduitField: string, exportBehaviour: string) =>
      t.dataSource.query(`UPDATE crm_field_mapping SET export_behaviour = $3 WHERE connection_id = $1 AND object = 'company' AND conduit_field = $2`, [connectionId, conduitField, exportBehaviour]);
    // The Companies tab with its default rows, then two behaviours changed by the admin.
    await request(t.server).post('/api/connections/hubspot/mappings/companies/reset').set('Cookie', a.adminCookie).expect(200);
    await setCompanyRow('city', 'overwrite');
    await setCompanyRow('country', 'do_not_export');
    try {
      const run = Date.now().toString(36);
      // New in HubSpot: created with the mapped values (not just name + domain).
      const created = (await request(t.server)
        .post('/api/companies')
        .set('Cookie', a.adminCookie)
        .send({ name: 'Mapped Rows Co', domain: `mapped-${run}.example`, industry: 'COMPUTER_SOFTWARE', employeeCount: 250, city: 'Lisbon', country: 'Portugal' })
        .expect(201)).body as { id: string };
      const p1 = await createPerson({ firstName: 'Rows', lastName: 'New', email: `rows@mapped-${run}.example`, companyId: created.id });
      const r1 = await push(p1.id);
      const [newCompany] = companyOf(r1.crmId!).map((id) => store().records.get('companies')!.get(id)!);
      expect(newCompany!.properties).toMatchObject({ name: 'Mapped Rows Co', domain: `mapped-${run}.example`, industry: 'COMPUTER_SOFTWARE', numberofemployees: '250', city: 'Lisbon' });
      expect(newCompany!.properties['country'] ?? null).toBeNull(); // do not export

      // Already in HubSpot (found by domain): filled values kept, blanks filled, overwrite rows replace.
      const existing = sandbox.hubspot.control.createRecord('companies', { name: 'Rep Named Co', domain: `found-${run}.example`, city: 'Porto', industry: 'INTERNET' });
      const found = (await request(t.server)
        .post('/api/companies')
        .set('Cookie', a.adminCookie)
        .send({ name: 'Conduit Named Co', domain: `found-${run}.example`, industry: 'COMPUTER_SOFTWARE', employeeCount: 40, city: 'Faro', country: 'Portugal' })
        .expect(201)).body as { id: string };
      const p2 = await createPerson({ firstName: 'Rows', lastName: 'Found', email: `rows@found-${run}.example`, companyId: found.id });
      const count = companies().length;
      const r2 = await push(p2.id);
      expect(companies().length).toBe(count);
      expect(companyOf(r2.crmId!)).toEqual([existing.id]);
      const after = store().records.get('companies')!.get(existing.id)!;
      expect(after.properties).toMatchObject({ name: 'Rep Named Co', industry: 'INTERNET', numberofemployees: '40', city: 'Faro' });
      expect(after.properties['country'] ?? null).toBeNull();
    } finally {
      await setCompanyRow('city', 'fill_if_empty');
      await setCompanyRow('country', 'fill_if_empty');
    }
  });

  it('free-mail addresses never create a company', async () => {
    const person = await createPerson({ firstName: 'Free', lastName: 'Mail', email: uniqueEmail('gmail.com') });
    const count = companies().length;
    const result = await push(person.id);
    expect(result.outcome).toBe('created');
    expect(companies().length).toBe(count);
    expect(companyOf(result.crmId!)).toEqual([]);
  });

  it('owner mapping: auto-matched by email, overrides validated, fallback owner used', async () => {
    const owners = store().owners;
    const [sarah, tom] = [...owners.values()];
    const member = await t.dataSource.getRepository(User).save({ workspaceId: a.id, name: 'Sarah', email: sarah!.email, role: 'member', passwordHash: await hashPassword('integration-pass-123') });
    const view = (await request(t.server).get('/api/connections/hubspot/owner-mapping').set('Cookie', a.memberCookie).expect(200)).body as OwnerMappingDto;
    expect(view.owners.find((o) => o.id === sarah!.id)).toMatchObject({ memberId: member.id, via: 'email' });
    expect(view.unmappedOwnerIds).toContain(tom!.id);
    expect(view.unmappedMemberIds).toContain(a.admin.id);
    await request(t.server).put('/api/connections/hubspot/owner-mapping').set('Cookie', a.adminCookie).send({ overrides: [{ crmOwnerId: 'nope', memberId: a.admin.id }], defaultOwnerId: null }).expect(400);
    const saved = (await request(t.server).put('/api/connections/hubspot/owner-mapping').set('Cookie', a.adminCookie).send({ overrides: [], defaultOwnerId: tom!.id }).expect(200)).body as OwnerMappingDto;
    expect(saved.defaultOwnerId).toBe(tom!.id);

    const mine = await createPerson({ firstName: 'Owned', lastName: 'BySarah', email: uniqueEmail(), assignedUserId: member.id });
    const nobody = await createPerson({ firstName: 'Owned', lastName: 'ByFallback', email: uniqueEmail(), assignedUserId: a.admin.id });
    const r1 = await push(mine.id);
    const r2 = await push(nobody.id);
    expect(store().records.get('contacts')!.get(r1.crmId!)!.properties['hubspot_owner_id']).toBe(sarah!.id);
    expect(store().records.get('contacts')!.get(r2.crmId!)!.properties['hubspot_owner_id']).toBe(tom!.id);
  });

  it('status mapping: property and table validated against the options, applied on export', async () => {
    const view = await request(t.server).get('/api/connections/hubspot/status-mapping').set('Cookie', a.memberCookie).expect(200);
    expect(view.body).toMatchObject({ crmField: 'hs_lead_status', enabled: true });
    expect((view.body as { candidateFields: { name: string }[] }).candidateFields.map((f) => f.name)).toContain('lifecyclestage');
    await request(t.server)
      .put('/api/connections/hubspot/status-mapping')
      .set('Cookie', a.adminCookie)
      .send({ enabled: true, crmField: 'hs_lead_status', source: 'engagementState', table: { replied: 'NOT_A_STATUS' } })
      .expect(400);
    await request(t.server)
      .put('/api/connections/hubspot/status-mapping')
      .set('Cookie', a.adminCookie)
      .send({ enabled: true, crmField: 'hs_lead_status', source: 'engagementState', table: { not_contacted: 'NEW', contacted: 'OPEN', replied: 'CONNECTED', replied_positive: 'IN_PROGRESS', replied_negative: 'UNQUALIFIED' } })
      .expect(200);
    const person = await createPerson({ firstName: 'Status', lastName: 'Mapped', email: uniqueEmail(), engagementState: 'contacted' });
    const r = await push(person.id);
    expect(store().records.get('contacts')!.get(r.crmId!)!.properties['hs_lead_status']).toBe('OPEN');
    await request(t.server).patch(`/api/people/${person.id}`).set('Cookie', a.adminCookie).send({ engagementState: 'replied' }).expect(200);
    await waitFor(async () => store().records.get('contacts')!.get(r.crmId!)!.properties['hs_lead_status'] === 'CONNECTED');
  });

  it('lifecycle stage as the status property only moves forward', async () => {
    await request(t.server)
      .put('/api/connections/hubspot/status-mapping')
      .set('Cookie', a.adminCookie)
      .send({ enabled: true, crmField: 'lifecyclestage', source: 'engagementState', table: { not_contacted: 'subscriber', contacted: 'lead', replied: 'marketingqualifiedlead', replied_positive: 'salesqualifiedlead', replied_negative: 'other' } })
      .expect(200);
    const ahead = await createPerson({ firstName: 'Stage', lastName: 'Ahead', email: uniqueEmail(), engagementState: 'contacted' });
    const crmAhead = sandbox.hubspot.control.createRecord('contacts', { email: ahead.email!, lastname: 'Ahead', lifecyclestage: 'customer' });
    const behind = await createPerson({ firstName: 'Stage', lastName: 'Behind', email: uniqueEmail(), engagementState: 'replied_positive' });
    const crmBehind = sandbox.hubspot.control.createRecord('contacts', { email: behind.email!, lastname: 'Behind', lifecyclestage: 'lead' });
    await push(ahead.id);
    await push(behind.id);
    expect(store().records.get('contacts')!.get(crmAhead.id)!.properties['lifecyclestage']).toBe('customer');
    expect(store().records.get('contacts')!.get(crmBehind.id)!.properties['lifecyclestage']).toBe('salesqualifiedlead');
    await request(t.server)
      .put('/api/connections/hubspot/status-mapping')
      .set('Cookie', a.adminCookie)
      .send({ enabled: true, crmField: 'hs_lead_status', source: 'engagementState', table: { not_contacted: 'NEW', contacted: 'OPEN', replied: 'CONNECTED', replied_positive: 'IN_PROGRESS', replied_negative: 'UNQUALIFIED' } })
      .expect(200);
  });

  it('bulk export follows the policy and reports skipped people; automatic export triggers at the policy level only', async () => {
    await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ policy: 'replied' }).expect(200);
    const states = ['not_contacted', 'contacted', 'replied', 'replied_positive'] as const;
    const people = await Promise.all(states.map((engagementState) => createPerson({ firstName: 'Bulk', lastName: engagementState, email: uniqueEmail(), engagementState })));
    const res = await request(t.server)
      .post('/api/export/hubspot')
      .set('Cookie', a.memberCookie)
      .send({ personIds: [...people.map((p) => p.id), '00000000-0000-4000-8000-000000000000'] })
      .expect(202);
    const run = await runDone((res.body as ExportRunDto).id);
    expect(run).toMatchObject({ status: 'done', total: 2, processed: 2, created: 2, skipped: 3, skippedReasons: { below_policy: 2, not_found: 1 } });
    expect(contactByEmail(people[0]!.email!)).toHaveLength(0);
    expect(contactByEmail(people[1]!.email!)).toHaveLength(0);
    expect(contactByEmail(people[2]!.email!)).toHaveLength(1);
    expect(contactByEmail(people[3]!.email!)).toHaveLength(1);

    await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ policy: 'replied_positive' }).expect(200);
    const below = await createPerson({ firstName: 'Auto', lastName: 'Below', email: uniqueEmail() });
    const reaches = await createPerson({ firstName: 'Auto', lastName: 'Reaches', email: uniqueEmail() });
    await request(t.server).patch(`/api/people/${below.id}`).set('Cookie', a.memberCookie).send({ engagementState: 'replied' }).expect(200);
    await request(t.server).patch(`/api/people/${reaches.id}`).set('Cookie', a.memberCookie).send({ engagementState: 'replied_positive' }).expect(200);
    await waitFor(async () => contactByEmail(reaches.email!).length === 1);
    const autoRuns = await t.dataSource.query(`SELECT person_ids FROM export_run WHERE workspace_id = $1 AND trigger = 'auto'`, [a.id]);
    expect((autoRuns as { person_ids: string[] }[]).flatMap((r) => r.person_ids)).not.toContain(below.id);
    expect(contactByEmail(below.email!)).toHaveLength(0);
    // A person already in HubSpot follows status changes even below the policy level.
    const linked = await createPerson({ firstName: 'Auto', lastName: 'Linked', email: uniqueEmail() });
    const pushed = await push(linked.id);
    expect(store().records.get('contacts')!.get(pushed.crmId!)!.properties['hs_lead_status']).toBe('NEW');
    await request(t.server).patch(`/api/people/${linked.id}`).set('Cookie', a.memberCookie).send({ engagementState: 'contacted' }).expect(200);
    await waitFor(async () => store().records.get('contacts')!.get(pushed.crmId!)!.properties['hs_lead_status'] === 'OPEN');
    await request(t.server).put('/api/connections/hubspot/export-settings').set('Cookie', a.adminCookie).send({ policy: 'all_contacted' }).expect(200);
  });

  it('two concurrent exports of the same person make one contact', async () => {
    const person = await createPerson({ firstName: 'Race', lastName: 'Twice', email: uniqueEmail('race-export.example'), companyName: 'Race Co' });
    const [r1, r2] = await Promise.all([push(person.id), push(person.id)]);
    expect(contactByEmail(person.email!)).toHaveLength(1);
    expect(r1.crmId).toBe(r2.crmId);
    expect(companies().filter((c) => c.properties['domain'] === 'race-export.example')).toHaveLength(1);
    expect(await t.dataSource.getRepository(CrmLink).countBy({ personId: person.id })).toBe(1);
  });

  /** Answers of the sandbox's fault injection so far: 429s, and 429s and 5xx together. */
  function faultAnswers(): { throttled: number; all: number } {
    const byStatus: Record<string, number> = sandbox.hubspot.control.stats().byStatus;
    const n = (status: number) => byStatus[status] ?? 0;
    return { throttled: n(429), all: n(429) + n(500) + n(502) + n(503) };
  }

  it('429 and 5xx faults mid-batch: the bulk export completes without duplicates', async () => {
    // People share Conduit companies (several people → one CRM company, linked once).
    const companyIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await request(t.server).post('/api/companies').set('Cookie', a.adminCookie).send({ name: `Fault Co ${i}`, domain: `fault${i}-export.example` }).expect(201);
      companyIds.push((res.body as { id: string }).id);
    }
    const people: Person[] = [];
    for (let i = 0; i < 150; i++) {
      people.push(await createPerson({ firstName: 'Fault', lastName: `N${i}`, email: uniqueEmail(`fault${i % 7}-export.example`), engagementState: 'contacted', companyId: companyIds[i % 7] }));
    }
    sandbox.hubspot.control.setFaults(
      [
        { method: 'POST', path: '/crm/v3/objects/contacts/batch/upsert', status: 429, times: 1 },
        { method: 'POST', path: '/crm/v3/objects/contacts/batch/upsert', status: 503, share: 0.4, times: 2 },
        { method: 'POST', path: '/crm/v3/objects/contacts/batch/read', status: 502, times: 1 },
        { method: 'POST', path: '/crm/v3/objects/companies/batch/create', status: 500, times: 1 },
      ],
      7,
    );
    const faultsBefore = faultAnswers();
    try {
      const res = await request(t.server).post('/api/export/hubspot').set('Cookie', a.memberCookie).send({ personIds: people.map((p) => p.id) }).expect(202);
      const run = await runDone((res.body as ExportRunDto).id);
      expect(run).toMatchObject({ status: 'done', created: 150, needsAttention: 0 });
      expect(sandbox.hubspot.control.stats().byStatus).toEqual(expect.objectContaining({ 429: expect.any(Number) }));
      // The run says how much they slowed it (#21): the one 429, every call answered 429/5xx made again, and the wait.
      const faults = faultAnswers();
      expect(run.slowdown).toMatchObject({ throttledCalls: faults.throttled - faultsBefore.throttled, retriedCalls: faults.all - faultsBefore.all });
      expect(run.slowdown.throttledCalls).toBe(1);
      expect(run.slowdown.retryWaitMs).toBeGreaterThan(0);
    } finally {
      sandbox.hubspot.control.clearFaults();
    }
    for (const p of people) expect(contactByEmail(p.email!)).toHaveLength(1);
    for (let i = 0; i < 7; i++) expect(companies().filter((c) => c.properties['domain'] === `fault${i}-export.example`)).toHaveLength(1);
    const companyLinks = await t.dataSource.getRepository(CrmLink).findBy({ workspaceId: a.id, object: 'company' });
    expect(companyLinks.filter((l) => companyIds.includes(l.companyId!))).toHaveLength(7);
  });

  it('a bulk export of several chunks in flight at once creates each shared company once and every contact once', async () => {
    const run = Date.now().toString(36);
    const companyRows = await t.dataSource.getRepository(Company).save(
      Array.from({ length: 25 }, (_, i) => ({ workspaceId: a.id, name: `Chunked Co ${i}`, domain: `chunk${i}-${run}.example` })),
    );
    // 1,300 people → three chunks exporting concurrently; every chunk has people of every company.
    const saved = await t.dataSource.getRepository(Person).save(
      Array.from({ length: 1300 }, (_, j) => ({ workspaceId: a.id, firstName: 'Chunk', lastName: `P${j}`, email: `p${j}@chunk${j % 25}-${run}.example`, companyId: companyRows[j % 25]!.id, engagementState: 'contacted' as const })),
      { chunk: 500 },
    );
    // Slow company searches keep the chunks' company steps overlapping, and HubSpot's search index lags behind writes:
    // without coordination each chunk would find no company and create its own.
    sandbox.hubspot.control.configure({ searchLagMs: 10_000 });
    sandbox.hubspot.control.setFaults([{ method: 'POST', path: '/crm/v3/objects/companies/search', latencyMs: 1500 }]);
    const res = await request(t.server).post('/api/export/hubspot').set('Cookie', a.memberCookie).send({ personIds: saved.map((p) => p.id) }).expect(202);
    const done = await runDone((res.body as ExportRunDto).id).finally(() => {
      sandbox.hubspot.control.clearFaults();
      sandbox.hubspot.control.configure({ searchLagMs: 0 });
    });
    expect(done).toMatchObject({ status: 'done', total: 1300, processed: 1300, created: 1300, needsAttention: 0 });
    for (let i = 0; i < 25; i++) expect(companies().filter((c) => c.properties['domain'] === `chunk${i}-${run}.example`)).toHaveLength(1);
    const emails = new Set(saved.map((p) => p.email.toLowerCase()));
    expect(contacts().filter((c) => emails.has((c.properties['email'] ?? '').toLowerCase()))).toHaveLength(1300);
    const sample = contactByEmail(saved[777]!.email)[0]!;
    expect(companyOf(sample.id)).toEqual([companies().find((c) => c.properties['domain'] === `chunk${777 % 25}-${run}.example`)!.id]);
  }, 120_000);

  it('a paused run resumes from its checkpoint and skips the chunks it finished past it: nobody is exported or counted twice', async () => {
    const tag = `skip${Date.now().toString(36)}`;
    const saved = await t.dataSource.getRepository(Person).save(
      Array.from({ length: 1_300 }, (_, j) => ({ workspaceId: a.id, firstName: 'Skip', lastName: `P${j}`, email: `p${j}@${tag}.example`, engagementState: 'contacted' as const })),
      { chunk: 500 },
    );
    // As a pause leaves it with chunks in flight: the first chunk was cut short, the second (people 500–999) finished
    // and was counted, the third never started.
    const run = await t.dataSource.getRepository(ExportRun).save({
      workspaceId: a.id, connectionId, crm: 'hubspot' as const, trigger: 'bulk' as const, personIds: saved.map((p) => p.id),
      processed: 0, doneChunks: [500], created: 500, apiCalls: 10,
      status: 'paused' as const, pausedAt: new Date(), pausedReason: 'Paused: daily API allocation reached', pauseCause: 'daily_allocation' as const, resumesAt: new Date(Date.now() - 1_000),
    });
    const paused = (await request(t.server).get(`/api/export/runs/${run.id}`).set('Cookie', a.memberCookie).expect(200)).body as ExportRunDto;
    expect(paused).toMatchObject({ status: 'paused', total: 1_300, processed: 500 });

    expect(await t.app.get(ExportResumes).resumeDue()).toBe(1);
    const done = await runDone(run.id);
    expect(done).toMatchObject({ status: 'done', total: 1_300, processed: 1_300, created: 1_300, needsAttention: 0 });
    const exported = new Set(contacts().filter((c) => (c.properties['email'] ?? '').endsWith(`@${tag}.example`)).map((c) => c.properties['email']));
    expect(exported.size).toBe(800);
    for (const [j, p] of saved.entries()) expect(exported.has(p.email)).toBe(j < 500 || j >= 1_000);
    const stored = await t.dataSource.getRepository(ExportRun).findOneByOrFail({ id: run.id });
    expect(stored).toMatchObject({ processed: 1_300, doneChunks: [] });
  }, 120_000);

  it('a refused value goes to Needs attention with the reason; the rest of the batch is exported; retry after the fix', async () => {
    await request(t.server)
      .put('/api/connections/hubspot/export-settings')
      .set('Cookie', a.adminCookie)
      .send({ contactSource: null })
      .expect(200);
    const good = await createPerson({ firstName: 'Good', lastName: 'Row', email: uniqueEmail(), engagementState: 'contacted' });
    const bad = await createPerson({ firstName: 'Bad', lastName: 'Row', email: uniqueEmail(), engagementState: 'contacted', customAttributes: { score: 'high' } });
    await t.dataSource.query(
      `INSERT INTO crm_field_mapping (connection_id, object, position, conduit_field, crm_field, import_priority, export_behaviour, conduit_type, crm_type)
       VALUES ($1, 'contact', 999, 'custom.score', 'conduit_score', 'conduit', 'overwrite', 'string', 'number')`,
      [connectionId],
    );
    const res = await request(t.server).post('/api/export/hubspot').set('Cookie', a.memberCookie).send({ personIds: [good.id, bad.id] }).expect(202);
    const run = await runDone((res.body as ExportRunDto).id);
    expect(run).toMatchObject({ created: 1, needsAttention: 1 });
    expect(contactByEmail(good.email!)).toHaveLength(1);
    expect(contactByEmail(bad.email!)).toHaveLength(0);
    const list = (await request(t.server).get('/api/export/needs-attention?crm=hubspot').set('Cookie', a.memberCookie).expect(200)).body as { id: string; personId: string; reason: string; source: string }[];
    const item = list.find((i) => i.personId === bad.id);
    expect(item).toMatchObject({ source: 'preflight' });
    expect(item!.reason).toMatch(/number/i);
    await request(t.server).get('/api/export/needs-attention').set('Cookie', b.memberCookie).expect(200).expect([]);
    await request(t.server).patch(`/api/people/${bad.id}`).set('Cookie', a.memberCookie).send({ customAttributes: { score: '42' } }).expect(200);
    const retried = (await request(t.server).post(`/api/export/needs-attention/${item!.id}/retry`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
    expect(retried.outcome).toBe('created');
    expect(contactByEmail(bad.email!)[0]!.properties['conduit_score']).toBe('42');
    const after = (await request(t.server).get('/api/export/needs-attention?crm=hubspot').set('Cookie', a.memberCookie).expect(200)).body as { personId: string }[];
    expect(after.find((i) => i.personId === bad.id)).toBeUndefined();
    await t.dataSource.query(`DELETE FROM crm_field_mapping WHERE connection_id = $1 AND position = 999`, [connectionId]);
  });
});
