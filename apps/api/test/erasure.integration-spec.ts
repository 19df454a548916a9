import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { ErasureAuditDto, ErasureResultDto, SyncRunDto } from '@conduit/contracts';
import request from 'supertest';
import { ERASED_REASON } from '../src/sync/import.service.js';
import { SuppressionService } from '../src/suppression/suppression.service.js';
import { connectCrm } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

const run = promisify(execFile);

/**
 * Erasure (#18) through the real SDKs: after erasing a person (HubSpot contact + Salesforce Lead, with activities,
 * a consent event, custom attributes and provenance) a pg_dump of the database has no trace of the address but its
 * salted hash; re-importing the same contact (backfill, incremental, webhook-style re-read) or adding the address
 * again (API, CSV) is refused; with the option set the contact is gone from the sandbox HubSpot. Bulk erasure by CSV.
 */
describe('erasure', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let apiKey: string;
  const connections: Record<'hubspot' | 'salesforce', string> = { hubspot: '', salesforce: '' };
  const tag = Date.now().toString(36);
  // Mixed case on purpose: erasure matches addresses case-insensitively.
  const erased = { email: `Erin.Erasable.${tag}@Erasure-Spec.example`, last: `Erasable${tag}` };
  const kept = { email: `kim.kept.${tag}@erasure-spec.example`, last: `Kept${tag}` };
  const csvKnown = `carl.csv.${tag}@erasure-spec.example`;
  const csvHubspotOnly = `hana.hubspotonly.${tag}@erasure-spec.example`;
  const hs: Record<string, string> = {};
  let sfLead = '';

  const admin = () => request(t.server);
  const personByEmail = async (email: string) => (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM person WHERE workspace_id = $1 AND lower(email) = lower($2)`, [a.id, email]))[0]?.id;
  const backfill = async (crm: 'hubspot' | 'salesforce') => {
    const res = await admin().post(`/api/sync/connections/${connections[crm]}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
    return waitFor(async () => {
      const r = (await admin().get(`/api/sync/runs/${(res.body as SyncRunDto).id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto;
      return r.status === 'done' ? r : r.status === 'failed' ? Promise.reject(new Error(r.error ?? 'run failed')) : null;
    }, 120_000);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 3, hubspot: { demoContacts: 0 } });
    hs['erased'] = sandbox.hubspot.control.createRecord('contacts', { email: erased.email, firstname: 'Erin', lastname: erased.last, jobtitle: 'Head of Erasure' }).id;
    hs['kept'] = sandbox.hubspot.control.createRecord('contacts', { email: kept.email, firstname: 'Kim', lastname: kept.last }).id;
    hs['csvKnown'] = sandbox.hubspot.control.createRecord('contacts', { email: csvKnown, firstname: 'Carl', lastname: 'Csv' }).id;
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'Erasure');
    apiKey = ((await admin().post('/api/api-keys').set('Cookie', a.adminCookie).send({ name: 'engine' }).expect(201)).body as { key: string }).key;
    for (const crm of ['hubspot', 'salesforce'] as const) {
      await connectCrm(t.server, a.adminCookie, crm);
      connections[crm] = (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = $2`, [a.id, crm]))[0]!.id;
    }
    const { SalesforceAdapter, salesforceSandboxEndpoints } = await import('@conduit/crm');
    const sf = new SalesforceAdapter({ accessToken: sandbox.salesforce.control.mintToken().accessToken, instanceUrl: sandbox.salesforce.url }, () => Promise.reject(new Error('no refresh')), {
      endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url),
    });
    const [lead] = await sf.createMany('lead', [{ properties: { FirstName: 'Erin', LastName: erased.last, Company: 'Erasure Inc', Email: erased.email } }]);
    if (!lead?.ok) throw new Error('lead not created');
    sfLead = lead.id;
    await admin().put(`/api/sync/connections/${connections.hubspot}/settings`).set('Cookie', a.adminCookie).send({ objects: ['contact'] }).expect(200);
    await admin().put(`/api/sync/connections/${connections.salesforce}/settings`).set('Cookie', a.adminCookie).send({ objects: ['lead'] }).expect(200);
    await backfill('hubspot');
    await backfill('salesforce');

    // Give the erasable person everything that describes them: an edit (provenance), custom attributes, activities
    // with bodies, a consent event (with the address in its reason), and a CRM refusal quoting the address.
    const id = (await personByEmail(erased.email))!;
    await admin().patch(`/api/people/${id}`).set('Cookie', a.adminCookie).send({ city: 'Eraseville', customAttributes: { favouriteColour: `teal-${tag}` } }).expect(200);
    await admin()
      .post('/api/activities')
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ idempotencyKey: `mail-${tag}`, type: 'email_sent', personId: id, occurredAt: new Date().toISOString(), subject: `Hello Erin ${tag}`, bodyText: `Dear Erin, write to ${erased.email}` })
      .expect(201);
    await admin().post('/api/consent/events').set('Authorization', `Bearer ${apiKey}`).send({ idempotencyKey: `unsub-${tag}`, type: 'unsubscribe', email: erased.email, reason: `${erased.email} clicked unsubscribe` }).expect(201);
    await t.dataSource.query(`INSERT INTO sync_failure (workspace_id, run_id, crm_id, reason) SELECT workspace_id, id, 'x', $2 FROM sync_run WHERE workspace_id = $1 LIMIT 1`, [a.id, `Invalid email: ${erased.email.toUpperCase()}`]);
    // Deliveries and notes settle before the erasure (so nothing of them is still in flight).
    await waitFor(async () => {
      const open = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox_job WHERE workspace_id = $1 AND status IN ('pending', 'running')`, [a.id]);
      return open[0]!.n === 0;
    }, 120_000);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('refuses bad input naming the field, members, and unknown people; erases nothing meanwhile', async () => {
    const id = (await personByEmail(erased.email))!;
    const badFlag = await admin().post(`/api/people/${id}/erasure`).set('Cookie', a.adminCookie).send({ deleteInHubspot: 'yes' }).expect(400);
    expect(JSON.stringify(badFlag.body)).toContain('deleteInHubspot');
    const badEmails = await admin().post('/api/erasure').set('Cookie', a.adminCookie).send({ emails: ['not-an-address'] }).expect(400);
    expect(JSON.stringify(badEmails.body)).toContain('emails');
    expect(JSON.stringify((await admin().post('/api/erasure').set('Cookie', a.adminCookie).send({ emails: [] }).expect(400)).body)).toContain('emails');
    const noColumn = await admin().post('/api/erasure/import-csv').set('Cookie', a.adminCookie).set('Content-Type', 'text/csv').send('name\nErin\n').expect(400);
    expect(JSON.stringify(noColumn.body)).toContain('file');
    const badRow = await admin().post('/api/erasure/import-csv').set('Cookie', a.adminCookie).set('Content-Type', 'text/csv').send(`email\n${kept.email}\nnope\n`).expect(400);
    expect((badRow.body as { errors: { field: string; messages: string[] }[] }).errors[0]).toMatchObject({ field: 'file', messages: [expect.stringContaining('row 2')] });
    const badQuery = await admin().post('/api/erasure/import-csv?deleteInHubspot=maybe').set('Cookie', a.adminCookie).set('Content-Type', 'text/csv').send(`email\n${kept.email}\n`).expect(400);
    expect(JSON.stringify(badQuery.body)).toContain('deleteInHubspot');
    await admin().post(`/api/people/${id}/erasure`).set('Cookie', a.memberCookie).send({}).expect(403);
    await admin().post(`/api/people/${id}/erasure`).set('Authorization', `Bearer ${apiKey}`).send({}).expect(403);
    await admin().post('/api/people/00000000-0000-4000-8000-000000000000/erasure').set('Cookie', a.adminCookie).send({}).expect(404);
    expect(await personByEmail(kept.email)).toBeDefined();
    expect(await personByEmail(erased.email)).toBe(id);
    expect((await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM erased_identity WHERE workspace_id = $1`, [a.id]))[0]!.n).toBe(0);
  });

  it('erases a person: no trace of the address in a pg_dump but its salted hash; HubSpot deletes the contact; re-import is blocked', async () => {
    const id = (await personByEmail(erased.email))!;
    const result = (await admin().post(`/api/people/${id}/erasure`).set('Cookie', a.adminCookie).send({ deleteInHubspot: true }).expect(200)).body as ErasureResultDto;
    expect(result).toEqual({ erased: 1, suppressedOnly: 0, hubspotDeletes: 1 });
    await admin().get(`/api/people/${id}`).set('Cookie', a.adminCookie).expect(404);
    expect(await personByEmail(kept.email)).toBeDefined();

    // HubSpot: deleted for good through the GDPR endpoint (the audit says done). Salesforce: the Lead stays.
    const audit = await waitFor(async () => {
      const rows = (await admin().get('/api/erasure/audit').set('Cookie', a.adminCookie).expect(200)).body as ErasureAuditDto[];
      return rows[0]?.hubspotStatus === 'done' ? rows : null;
    }, 60_000);
    expect(audit[0]).toMatchObject({ actorUserId: a.admin.id, actorName: a.admin.name, source: 'person', peopleErased: 1, emailsSuppressed: 1, hubspotRequested: 1, hubspotDeleted: 1 });
    expect(JSON.stringify(audit).toLowerCase()).not.toContain(erased.email.toLowerCase());
    expect(sandbox.hubspot.control.store().get('contacts', hs['erased']!)).toBeUndefined();
    expect(sandbox.hubspot.control.requests().filter((r) => r.path === '/crm/v3/objects/contacts/gdpr-delete' && r.status === 204).length).toBe(1);
    expect(sandbox.salesforce.control.getRecord('Lead', sfLead)).toBeDefined();

    // Re-import: the same address comes back as a new HubSpot contact, and the Salesforce Lead is read again.
    const again = sandbox.hubspot.control.createRecord('contacts', { email: erased.email.toLowerCase(), firstname: 'Erin', lastname: erased.last }).id;
    const hubspotRun = await backfill('hubspot');
    const salesforceRun = await backfill('salesforce');
    expect(await personByEmail(erased.email)).toBeUndefined();
    expect(hubspotRun.counts.failed).toBeGreaterThanOrEqual(1);
    expect(salesforceRun.counts.failed).toBeGreaterThanOrEqual(1);
    const failures = await t.dataSource.query<{ crm_id: string; reason: string }[]>(`SELECT crm_id, reason FROM sync_failure WHERE workspace_id = $1 AND reason = $2`, [a.id, ERASED_REASON]);
    expect(failures.map((f) => f.crm_id).sort()).toEqual(expect.arrayContaining([again, sfLead]));
    // Added by hand or by CSV: refused, naming the field / the row.
    const add = await admin().post('/api/people').set('Cookie', a.memberCookie).send({ email: erased.email, firstName: 'Erin' }).expect(400);
    expect((add.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['email']);
    const csv = (await admin().post('/api/people/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send(`email,first name\n${erased.email.toUpperCase()},Erin\nnew.${tag}@erasure-spec.example,New\n`).expect(200)).body as { created: number; errors: { index: number; errors: { field: string }[] }[] };
    expect(csv.created).toBe(1);
    expect(csv.errors).toEqual([{ index: 0, errors: [{ field: 'email', messages: [expect.stringContaining('erased')] }] }]);
    expect(await personByEmail(erased.email)).toBeUndefined();

    // The dump: not the address (any case), not the person's name, custom attribute or activity body — the salted hash only.
    const { stdout: dump } = await run('pg_dump', ['--data-only', t.config.databaseUrl], { maxBuffer: 256 * 1024 * 1024 });
    expect(dump.length).toBeGreaterThan(10_000);
    expect(dump).toContain(kept.email); // the dump does hold people's addresses: the check below can fail
    expect(dump.toLowerCase()).not.toContain(erased.email.toLowerCase());
    expect(dump.toLowerCase()).not.toContain(erased.email.toLowerCase().split('@')[0]!);
    expect(dump).not.toContain(erased.last);
    expect(dump).not.toContain(`teal-${tag}`);
    expect(dump).not.toContain(`Hello Erin ${tag}`);
    const suppression = t.app.get(SuppressionService);
    const salt = (await suppression.salt(a.id, false))!;
    const hash = suppression.emailHash(salt, erased.email);
    expect(dump).toContain(hash);
    // The salt itself is stored encrypted (a dump alone cannot test guessed addresses against the hashes).
    expect(dump).not.toContain(salt.toString('base64'));
    expect(dump).not.toContain(salt.toString('hex'));
  }, 240_000);

  it('erases a CSV of addresses: known people erased, unknown addresses suppressed, HubSpot contacts deleted', async () => {
    hs['csvHubspotOnly'] = sandbox.hubspot.control.createRecord('contacts', { email: csvHubspotOnly, firstname: 'Hana', lastname: 'Only' }).id;
    const res = await admin()
      .post('/api/erasure/import-csv?deleteInHubspot=true')
      .set('Cookie', a.adminCookie)
      .attach('file', Buffer.from(`Name,E-mail Address\nCarl,${csvKnown}\nHana,${csvHubspotOnly}\n`), 'erase.csv')
      .expect(200);
    expect(res.body).toEqual({ erased: 1, suppressedOnly: 1, hubspotDeletes: 2 });
    expect(await personByEmail(csvKnown)).toBeUndefined();
    await waitFor(async () => {
      const rows = (await admin().get('/api/erasure/audit').set('Cookie', a.adminCookie).expect(200)).body as ErasureAuditDto[];
      return rows[0]?.source === 'csv' && rows[0].hubspotStatus === 'done' ? rows : null;
    }, 60_000);
    expect(sandbox.hubspot.control.store().get('contacts', hs['csvKnown']!)).toBeUndefined();
    expect(sandbox.hubspot.control.store().get('contacts', hs['csvHubspotOnly'])).toBeUndefined();
    // An address never seen by Conduit is suppressed too: it cannot be added.
    await admin().post('/api/people').set('Cookie', a.memberCookie).send({ email: csvHubspotOnly }).expect(400);
    // Without HubSpot connected, asking for its deletion is refused by name.
    await admin().delete('/api/connections/hubspot').set('Cookie', a.adminCookie).expect((r) => expect([200, 204]).toContain(r.status));
    const refused = await admin().post('/api/erasure').set('Cookie', a.adminCookie).send({ emails: [kept.email], deleteInHubspot: true }).expect(400);
    expect(JSON.stringify(refused.body)).toContain('deleteInHubspot');
    expect(await personByEmail(kept.email)).toBeDefined();
  }, 120_000);
});
