import type { ApiUsageDto, PersonSyncDto, SyncNowDto, SyncRunDetailDto, SyncRunDto } from '@conduit/contracts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hubspotSignatureV3 } from '@conduit/crm';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { Person } from '../src/people/person.entity.js';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { SyncService } from '../src/sync/sync.service.js';
import { SyncRunRepository } from '../src/sync/sync-run.repository.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionPort } from '../src/sync/sync-connection.port.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

describe('HubSpot import sync (real SDK against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let connectionId: string;
  let baseUrl: string;

  const runOf = async (id: string, ws = a) => (await request(t.server).get(`/api/sync/runs/${id}`).set('Cookie', ws.adminCookie).expect(200)).body as SyncRunDto & { failures: unknown[] };
  const finished = (id: string) => waitFor(async () => {
    const run = await runOf(id);
    return (run.status === 'done' || run.status === 'failed') && run;
  }, 60_000);
  const links = (object: string) => t.dataSource.getRepository(CrmLink).countBy({ workspaceId: a.id, connectionId, object: object as CrmLink['object'] });
  const personByEmail = (email: string) =>
    t.dataSource.getRepository(Person).createQueryBuilder('p').where('p.workspace_id = :ws AND lower(p.email) = lower(:email)', { ws: a.id, email }).getOne();

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    a = await createWorkspace(t.server, t.dataSource, 'Alpha');
    b = await createWorkspace(t.server, t.dataSource, 'Beta');
    await connectCrm(t.server, a.adminCookie, 'hubspot');
    connectionId = (await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: a.id, crm: 'hubspot' })).id;
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  const store = () => sandbox.hubspot.control.store();
  const sandboxContacts = () => [...(store().records.get('contacts')?.values() ?? [])].filter((c) => !c.archived);
  const sandboxCompanies = () => [...(store().records.get('companies')?.values() ?? [])].filter((c) => !c.archived);
  const companyOf = (contactId: string) => store().associated('contacts', contactId, 'companies')[0]?.toId;

  it('settings: defaults, update (admin only), other workspaces get 404', async () => {
    const res = await request(t.server).get(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.memberCookie).expect(200);
    expect(res.body).toEqual({ importEnabled: true, objects: ['company', 'contact', 'deal', 'owner', 'list'], intervalMinutes: 5 });
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.memberCookie).send({ intervalMinutes: 10 }).expect(403);
    const put = await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).send({ intervalMinutes: 10, objects: ['contact', 'company'] }).expect(200);
    expect(put.body).toEqual({ importEnabled: true, objects: ['company', 'contact'], intervalMinutes: 10 });
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).send({ intervalMinutes: 0 }).expect(400);
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).send({ objects: ['lead'] }).expect(400);
    await request(t.server).get(`/api/sync/connections/${connectionId}/settings`).set('Cookie', b.adminCookie).expect(404);
  });

  it('dry run previews counts and diffs and writes nothing', async () => {
    const res = await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({ dryRun: true }).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    expect(run).toMatchObject({ kind: 'dry_run', status: 'done' });
    expect(run.counts.created).toBe(sandboxContacts().length + sandboxCompanies().length);
    expect(run.sample?.length).toBe(20);
    expect(await t.dataSource.getRepository(Person).countBy({ workspaceId: a.id })).toBe(0);
    expect(await links('contact')).toBe(0);
  });

  it('backfill imports contacts and companies with links, company links and provenance; CRM wins vs Conduit wins', async () => {
    const [ada, bob] = sandboxContacts().filter((c) => c.properties['email'] && c.properties['jobtitle'] && c.properties['city']);
    // Conduit already knows two of the CRM's people (email in another case): they must be matched, not duplicated.
    await request(t.server).post('/api/people').set('Cookie', a.memberCookie).send({ email: ada!.properties['email']!.toUpperCase(), jobTitle: 'Conduit title', city: 'Conduitville' }).expect(201);
    await request(t.server).post('/api/people').set('Cookie', a.memberCookie).send({ email: bob!.properties['email'], city: null }).expect(201);
    // City: Conduit wins for this connection.
    await t.dataSource.query(`UPDATE crm_field_mapping SET import_priority = 'conduit' WHERE connection_id = $1 AND conduit_field = 'city'`, [connectionId]);

    const res = await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    const contacts = sandboxContacts();
    const companies = sandboxCompanies();
    expect(run).toMatchObject({ kind: 'backfill', status: 'done', failures: [] });
    expect(run.counts.created + run.counts.updated).toBe(contacts.length + companies.length);
    expect(run.counts.updated).toBe(2);
    // List paging: 100 contacts per call, companies too, plus describe calls; never one call per record.
    expect(run.apiCalls).toBeLessThan(20);
    expect(run.progress.done).toBe(contacts.length + companies.length);

    expect(await t.dataSource.getRepository(Person).countBy({ workspaceId: a.id })).toBe(contacts.length);
    expect(await links('contact')).toBe(contacts.length);
    expect(await links('company')).toBe(companies.length);

    const adaRow = (await personByEmail(ada!.properties['email']!.toLowerCase()))!;
    expect(adaRow.jobTitle).toBe(ada!.properties['jobtitle']); // CRM wins
    expect(adaRow.city).toBe('Conduitville'); // Conduit wins
    const bobRow = (await personByEmail(bob!.properties['email']!.toLowerCase()))!;
    expect(bobRow.city).toBe(bob!.properties['city']); // Conduit wins, but blank → filled

    // Contacts associated with a company in the CRM point at the imported company.
    const associated = contacts.filter((c) => companyOf(c.id));
    expect(associated.length).toBeGreaterThan(0);
    const sample = associated[0]!;
    const person = (await personByEmail(sample.properties['email']!.toLowerCase()))!;
    const [companyLink] = await t.dataSource.query<{ company_id: string }[]>(`SELECT company_id FROM crm_link WHERE connection_id = $1 AND object = 'company' AND crm_id = $2`, [
      connectionId,
      companyOf(sample.id),
    ]);
    expect(person.companyId).toBe(companyLink!.company_id);

    const prov = await request(t.server).get(`/api/people/${adaRow.id}/provenance`).set('Cookie', a.memberCookie).expect(200);
    const current = (prov.body as { current: { field: string; rule: string; source: string; previousValue: unknown; value: unknown; connectionId: string }[] }).current;
    expect(current.find((p) => p.field === 'jobTitle')).toMatchObject({ source: 'crm', rule: 'crm_wins', previousValue: 'Conduit title', value: ada!.properties['jobtitle'], connectionId });
    // In words (#21): the CRM, the record's object and its page in HubSpot, the property's own label from discovery.
    expect(current.find((p) => p.field === 'jobTitle')).toMatchObject({
      crm: 'hubspot',
      crmObject: 'contact',
      crmFieldLabel: 'Job Title',
      crmRecordUrl: expect.stringMatching(new RegExp(`/${ada!.id}$`)),
    });
    expect(current.find((p) => p.field === 'city')).toMatchObject({ crm: null, crmRecordUrl: null, crmFieldLabel: null });
    // Conduit won: the city keeps the provenance of its creation in Conduit (no import entry).
    expect(current.find((p) => p.field === 'city')).toMatchObject({ source: 'conduit', rule: 'conduit_create', value: 'Conduitville', connectionId: null });
    await request(t.server).get(`/api/people/${adaRow.id}/provenance`).set('Cookie', b.memberCookie).expect(404);

    const history = (await request(t.server).get('/api/sync/runs').set('Cookie', a.memberCookie).expect(200)).body as SyncRunDto[];
    expect(history.map((r) => r.kind)).toEqual(['backfill', 'dry_run']);
    expect((await request(t.server).get('/api/sync/runs').set('Cookie', b.memberCookie).expect(200)).body).toEqual([]);
    await request(t.server).get(`/api/sync/runs/${run.id}`).set('Cookie', b.memberCookie).expect(404);
  });

  it('a second backfill changes nothing and duplicates nothing', async () => {
    const res = await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    expect(run.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(await t.dataSource.getRepository(Person).countBy({ workspaceId: a.id })).toBe(sandboxContacts().length);
  });

  it('incremental sync picks up a change made in the CRM', async () => {
    const target = sandboxContacts()[5]!;
    sandbox.hubspot.control.updateRecord('contacts', target.id, { jobtitle: 'Chief Incremental Officer' });
    const sync = t.app.get(SyncService);
    const info = (await t.app.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).get(a.id, connectionId))!;
    const started = (await sync.startIncremental(info))!;
    expect(started).not.toBeNull();
    const run = await finished(started.id);
    expect(run.status).toBe('done');
    expect(run.counts.updated).toBeGreaterThanOrEqual(1);
    expect((await personByEmail(target.properties['email']!.toLowerCase()))!.jobTitle).toBe('Chief Incremental Officer');
  });

  it('"Sync now" starts an incremental run; while an import run is open it answers that run instead of a second one', async () => {
    const target = sandboxContacts()[6]!;
    sandbox.hubspot.control.updateRecord('contacts', target.id, { jobtitle: 'Synced Right Now' });
    await request(t.server).post(`/api/sync/connections/${connectionId}/sync-now`).set('Cookie', a.memberCookie).expect(403);
    await request(t.server).post(`/api/sync/connections/${connectionId}/sync-now`).set('Cookie', b.adminCookie).expect(404);
    const res = await request(t.server).post(`/api/sync/connections/${connectionId}/sync-now`).set('Cookie', a.adminCookie).expect(202);
    const body = res.body as SyncNowDto;
    expect(body).toMatchObject({ started: true, message: 'HubSpot sync started', run: { kind: 'incremental', connectionId } });
    const run = await finished(body.run.id);
    expect(run.status).toBe('done');
    expect((await personByEmail(target.properties['email']!.toLowerCase()))!.jobTitle).toBe('Synced Right Now');

    // An import run still open (here one left pending, as a busy queue would): answered, nothing new created.
    const runs = t.app.get(SyncRunRepository);
    const open = await runs.create(t.dataSource.manager, { workspaceId: a.id, connectionId, crm: 'hubspot', kind: 'incremental', objects: ['company', 'contact'] });
    const countRuns = () => t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM sync_run WHERE connection_id = $1`, [connectionId]);
    const before = await countRuns();
    const again = await request(t.server).post(`/api/sync/connections/${connectionId}/sync-now`).set('Cookie', a.adminCookie).expect(200);
    expect(again.body).toMatchObject({ started: false, message: 'A HubSpot sync is already running', run: { id: open.id, status: 'pending' } });
    expect(await countRuns()).toEqual(before);
    await runs.fail(a.id, open.id, 'closed by the test');

    // Import turned off: a plain 409, no run.
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).send({ importEnabled: false }).expect(200);
    const off = await request(t.server).post(`/api/sync/connections/${connectionId}/sync-now`).set('Cookie', a.adminCookie).expect(409);
    expect(off.body.message).toBe('Import from HubSpot is turned off: turn it on in the Import tab to sync');
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).send({ importEnabled: true }).expect(200);
  });

  it('"Sync now" on a person re-reads its HubSpot contact with import priority and says what changed, then "already up to date"', async () => {
    // Ada's city is Conduit-wins (set up by the backfill test), her job title CRM-wins.
    const ada = sandboxContacts().find((c) => c.properties['email'] && c.properties['jobtitle'] && c.properties['city'])!;
    const row = (await personByEmail(ada.properties['email']!.toLowerCase()))!;
    expect(row.city).toBe('Conduitville');
    sandbox.hubspot.control.updateRecord('contacts', ada.id, { jobtitle: 'Head of Re-reads', city: 'Crmtown' });
    await request(t.server).post(`/api/people/${row.id}/sync-now`).set('Cookie', b.memberCookie).expect(404);
    const first = (await request(t.server).post(`/api/people/${row.id}/sync-now`).set('Cookie', a.memberCookie).expect(200)).body as PersonSyncDto;
    expect(first).toMatchObject({
      personId: row.id,
      upToDate: false,
      message: '1 field updated from HubSpot',
      records: [{ crm: 'hubspot', crmObject: 'Contact', crmId: ada.id, outcome: 'updated', reason: null }],
      changes: [{ field: 'jobTitle', before: row.jobTitle, after: 'Head of Re-reads' }],
    });
    expect((await personByEmail(ada.properties['email']!.toLowerCase()))!).toMatchObject({ jobTitle: 'Head of Re-reads', city: 'Conduitville' });
    // In Sync history it is a person re-read naming the person (#21), not a "Webhook" run.
    const reread = await runOf(first.records[0]!.runId!);
    const adaName = [row.firstName, row.lastName].filter(Boolean).join(' ') || row.email;
    expect(reread).toMatchObject({ kind: 'person_sync', status: 'done', person: { id: row.id, name: adaName } });
    const history = (await request(t.server).get('/api/sync/runs').set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto[];
    expect(history.find((r) => r.id === reread.id)).toMatchObject({ kind: 'person_sync', person: { id: row.id, name: adaName } });
    // The API budget's runs name the person too, with the person's page and the contact in HubSpot (#21).
    const usage = (await request(t.server).get(`/api/connections/${connectionId}/api-usage`).set('Cookie', a.memberCookie).expect(200)).body as ApiUsageDto;
    expect(usage.runs.find((r) => r.id === reread.id)).toMatchObject({
      label: 'Person re-read (Sync now)',
      record: { crm: 'hubspot', crmObject: 'contact', crmId: ada.id, name: adaName, personId: row.id, crmRecordUrl: expect.stringContaining(ada.id) },
    });
    expect(usage.runs.filter((r) => r.id !== reread.id).every((r) => r.record === null)).toBe(true);
    const again = (await request(t.server).post(`/api/people/${row.id}/sync-now`).set('Cookie', a.memberCookie).expect(200)).body as PersonSyncDto;
    expect(again).toMatchObject({ upToDate: true, message: 'Already up to date', changes: [], records: [{ outcome: 'unchanged' }] });

    // Deleted in the CRM: said so, nothing else changes.
    sandbox.hubspot.control.archiveRecord('contacts', ada.id);
    const gone = (await request(t.server).post(`/api/people/${row.id}/sync-now`).set('Cookie', a.memberCookie).expect(200)).body as PersonSyncDto;
    expect(gone.records).toEqual([expect.objectContaining({ outcome: 'not_found', reason: 'The Contact no longer exists in HubSpot' })]);
    expect(gone.upToDate).toBe(false);

    // A person linked to no CRM record: a plain answer.
    const lone = (await request(t.server).post('/api/people').set('Cookie', a.memberCookie).send({ email: 'lone.person@nowhere.example' }).expect(201)).body as { id: string };
    const none = (await request(t.server).post(`/api/people/${lone.id}/sync-now`).set('Cookie', a.memberCookie).expect(200)).body as PersonSyncDto;
    expect(none).toEqual({ personId: lone.id, records: [], changes: [], upToDate: true, message: 'Not linked to any CRM record: nothing to re-read' });
  });

  it('imports values with backslashes, tabs, newlines, quotes and non-Latin text intact, into the row and its provenance', async () => {
    // New records go in with COPY (text format) and their provenance as JSON: every escape layer is crossed.
    const tricky = {
      email: "zoe.o'brien+tabs@escapes.example",
      firstname: 'Zoë "Q" \\N',
      lastname: 'Tab\there',
      jobtitle: 'Line one\nline two\r\nthree \\ four',
      city: 'Łódź — 東京',
      company: 'C:\\Users\\acme',
    };
    sandbox.hubspot.control.createRecord('contacts', tricky);
    const sync = t.app.get(SyncService);
    const info = (await t.app.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).get(a.id, connectionId))!;
    const run = await finished((await sync.startIncremental(info))!.id);
    expect(run).toMatchObject({ status: 'done', failures: [] });
    const row = (await personByEmail(tricky.email))!;
    expect(row).not.toBeNull();
    expect(row).toMatchObject({ firstName: tricky.firstname, lastName: tricky.lastname, jobTitle: tricky.jobtitle, city: tricky.city, companyName: tricky.company });
    const prov = await request(t.server).get(`/api/people/${row.id}/provenance`).set('Cookie', a.memberCookie).expect(200);
    const current = (prov.body as { current: { field: string; value: unknown }[] }).current;
    const valueOf = (field: string) => current.find((p) => p.field === field)?.value;
    expect([valueOf('firstName'), valueOf('lastName'), valueOf('jobTitle'), valueOf('city'), valueOf('companyName')]).toEqual([
      tricky.firstname,
      tricky.lastname,
      tricky.jobtitle,
      tricky.city,
      tricky.company,
    ]);
  });

  it('a run names each record it could not import (#21): the Conduit person linked to it, else the name it was read with, and its HubSpot page; scoped to the workspace', async () => {
    const sync = t.app.get(SyncService);
    const info = (await t.app.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).get(a.id, connectionId))!;
    type Failure = SyncRunDetailDto['failures'][number];
    const failureOf = async (runId: string, crmId: string) => ((await runOf(runId)).failures as Failure[]).find((f) => f.crmId === crmId);
    // A value HubSpot holds but Conduit refuses (a score mapped as a number, written with a thousands separator):
    // the record fails that field, the rest of it is imported.
    sandbox.hubspot.control.addProperty('contacts', { name: 'nq_score', label: 'Score', type: 'string', fieldType: 'text', groupName: 'contactinformation' });
    await t.dataSource.query(
      `INSERT INTO crm_field_mapping (connection_id, object, position, conduit_field, crm_field, import_priority, export_behaviour, conduit_type, crm_type)
       SELECT $1, 'contact', max(position) + 1, 'custom.score', 'nq_score', 'crm', 'do_not_export', 'number', 'number' FROM crm_field_mapping WHERE connection_id = $1 AND object = 'contact'`,
      [connectionId],
    );
    const nora = sandbox.hubspot.control.createRecord('contacts', { firstname: 'Nora', lastname: 'Quill', email: `nora.quill.${Date.now()}@quill.example`, nq_score: '1,000' });

    // A dry run creates nobody: the record is named by what it was read with, and still links to HubSpot.
    const dry = await finished(((await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({ dryRun: true }).expect(202)).body as SyncRunDto).id);
    const previewed = await failureOf(dry.id, nora.id);
    expect(previewed).toMatchObject({ reason: 'score (custom attribute), from HubSpot field nq_score: "1,000" is not a number', record: { crm: 'hubspot', crmObject: 'contact', crmId: nora.id, name: 'Nora Quill', personId: null, companyId: null } });
    expect(previewed!.record.crmRecordUrl).toContain(nora.id);

    // Imported: the failure names the Conduit person it became (renamed since), linked to their page.
    const run = await finished((await sync.startIncremental(info))!.id);
    const person = await t.dataSource.getRepository(Person).findOneByOrFail({ workspaceId: a.id, firstName: 'Nora', lastName: 'Quill' });
    await t.dataSource.query(`UPDATE person SET first_name = 'Eleanor' WHERE id = $1`, [person.id]);
    const failed = await failureOf(run.id, nora.id);
    expect(failed).toMatchObject({ record: { crm: 'hubspot', crmObject: 'contact', crmId: nora.id, name: 'Eleanor Quill', personId: person.id } });
    expect(failed!.record.crmRecordUrl).toBe(previewed!.record.crmRecordUrl);

    // Another workspace sees neither the run nor the names.
    await request(t.server).get(`/api/sync/runs/${run.id}`).set('Cookie', b.adminCookie).expect(404);
    await t.dataSource.query(`DELETE FROM crm_field_mapping WHERE connection_id = $1 AND conduit_field = 'custom.score'`, [connectionId]);
  });

  describe('webhooks', () => {
    const url = () => `${baseUrl}/api/webhooks/hubspot`;
    const secret = () => sandbox.hubspot.control.app.clientSecret;
    const webhookRuns = async () => (await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM sync_run WHERE workspace_id = $1 AND kind = 'webhook'`, [a.id]))[0]!.n;
    function post(body: string, headers: Record<string, string>): Promise<Response> {
      return fetch(url(), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    }
    const signed = (body: string, ts = Date.now()) => ({ 'x-hubspot-signature-v3': hubspotSignatureV3(secret(), 'POST', url(), body, ts), 'x-hubspot-request-timestamp': String(ts) });

    it('rejects bad signatures and stale timestamps with 401 and changes nothing', async () => {
      const before = await webhookRuns();
      const body = JSON.stringify([{ eventId: 1, subscriptionType: 'contact.creation', portalId: sandbox.hubspot.control.portalId, objectId: 1, occurredAt: Date.now() }]);
      expect((await post(body, { ...signed(body), 'x-hubspot-signature-v3': 'AAAA' })).status).toBe(401);
      expect((await post(body, signed(body, Date.now() - 6 * 60_000))).status).toBe(401);
      expect((await post(body, {})).status).toBe(401);
      expect((await post(body.replace('"eventId":1', '"eventId":2'), signed(body))).status).toBe(401);
      expect(await webhookRuns()).toBe(before);
    });

    it('imports a created contact and unlinks a deleted one, from the sandbox’s own signed deliveries', async () => {
      sandbox.hubspot.control.setWebhookTarget(url());
      const created = sandbox.hubspot.control.createRecord('contacts', { email: 'webhook.new@example.org', firstname: 'Web', lastname: 'Hook' });
      const doomed = sandboxContacts()[7]!;
      sandbox.hubspot.control.archiveRecord('contacts', doomed.id);
      await sandbox.hubspot.control.flushWebhooks();
      expect(sandbox.hubspot.control.webhookDeliveries().every((d) => d.status === 204)).toBe(true);

      await waitFor(async () => (await personByEmail('webhook.new@example.org')) !== null);
      const link = await waitFor(async () => {
        const l = await t.dataSource.getRepository(CrmLink).findOneBy({ connectionId, object: 'contact', crmId: doomed.id });
        return l?.archivedAt ? l : null;
      });
      expect(link.archivedAt).toBeInstanceOf(Date);
      expect(await t.dataSource.getRepository(CrmLink).findOneBy({ connectionId, object: 'contact', crmId: created.id })).toMatchObject({ archivedAt: null });
      sandbox.hubspot.control.setWebhookTarget(null);
    });

    it('imports a delivery sent twice at once only once', async () => {
      const created = sandbox.hubspot.control.createRecord('contacts', { email: 'twice@example.org', firstname: 'Twice' });
      const before = await webhookRuns();
      const body = JSON.stringify([{ eventId: 987654, subscriptionType: 'contact.creation', portalId: sandbox.hubspot.control.portalId, objectId: Number(created.id), occurredAt: Date.now(), attemptNumber: 0 }]);
      const headers = signed(body);
      const answers = await Promise.all([post(body, headers), post(body, headers)]);
      expect(answers.map((r) => r.status)).toEqual([204, 204]);
      expect(await webhookRuns()).toBe(before + 1);
      await waitFor(async () => (await personByEmail('twice@example.org')) !== null);
      expect(await t.dataSource.getRepository(CrmLink).countBy({ connectionId, object: 'contact', crmId: created.id })).toBe(1);
    });
  });

  it('a mapping change is applied to records already imported by a remap run', async () => {
    await t.dataSource.query(`UPDATE crm_field_mapping SET crm_field = 'lastname' WHERE connection_id = $1 AND conduit_field = 'jobTitle'`, [connectionId]);
    const res = await request(t.server).post(`/api/sync/connections/${connectionId}/remap`).set('Cookie', a.adminCookie).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    expect(run).toMatchObject({ kind: 'remap', status: 'done' });
    expect(run.counts.updated).toBeGreaterThan(0);
    const someone = sandboxContacts().find((c) => c.properties['email'] && c.properties['lastname'])!;
    expect((await personByEmail(someone.properties['email']!))!.jobTitle).toBe(someone.properties['lastname']);
  });

  it('disconnecting the CRM removes its links, cursors and runs (people and companies stay)', async () => {
    const people = await t.dataSource.getRepository(Person).countBy({ workspaceId: a.id });
    await request(t.server).delete('/api/connections/hubspot').set('Cookie', a.adminCookie).expect(204);
    expect(await t.dataSource.getRepository(CrmLink).countBy({ connectionId })).toBe(0);
    const counts = await t.dataSource.query<{ runs: number; cursors: number }[]>(
      `SELECT (SELECT count(*)::int FROM sync_run WHERE connection_id = $1) AS runs, (SELECT count(*)::int FROM sync_cursor WHERE connection_id = $1) AS cursors`,
      [connectionId],
    );
    expect(counts).toEqual([{ runs: 0, cursors: 0 }]);
    expect(await t.dataSource.getRepository(Person).countBy({ workspaceId: a.id })).toBe(people);
  });
});
