import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectionDto, ConnectionMappingDto, MappingRowDto, ProvenanceDto, SyncRunDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { Person } from '../src/people/person.entity.js';
import { SyncService } from '../src/sync/sync.service.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

/**
 * Issue 5, the rest of a full backfill (deals, owners, lists; Salesforce Opportunities, Users, Campaigns), run totals,
 * mapping dry runs, the automatic re-evaluation after a mapping is saved, and provenance of edits made in Conduit.
 */
describe('full backfill, totals, mapping preview and remap, Conduit edit provenance (real SDKs against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let hubspotId: string;
  let salesforceId: string;

  type RunDetail = SyncRunDto & { failures: { crmId: string; reason: string }[] };
  const runOf = async (id: string) => (await request(t.server).get(`/api/sync/runs/${id}`).set('Cookie', a.adminCookie).expect(200)).body as RunDetail;
  const finished = (id: string) =>
    waitFor(async () => {
      const run = await runOf(id);
      return (run.status === 'done' || run.status === 'failed') && run;
    }, 120_000);
  const count = async (sql: string, params: unknown[]) => ((await t.dataSource.query<{ n: number }[]>(sql, params))[0]?.n ?? -1);
  const store = () => sandbox.hubspot.control.store();
  const live = (type: 'contacts' | 'companies' | 'deals') => [...(store().records.get(type)?.values() ?? [])].filter((r) => !r.archived);

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 3 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'Alpha');
    b = await createWorkspace(t.server, t.dataSource, 'Beta');
    await connectCrm(t.server, a.adminCookie, 'hubspot');
    await connectCrm(t.server, a.adminCookie, 'salesforce');
    hubspotId = (await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: a.id, crm: 'hubspot' })).id;
    salesforceId = (await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: a.id, crm: 'salesforce' })).id;
    // No scheduled Salesforce imports into the workspace while the HubSpot steps run (its backfill is started by hand).
    await request(t.server).put(`/api/sync/connections/${salesforceId}/settings`).set('Cookie', a.adminCookie).send({ importEnabled: false }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('GET /api/connections carries the connection id (null while not connected)', async () => {
    const mine = (await request(t.server).get('/api/connections').set('Cookie', a.memberCookie).expect(200)).body as ConnectionDto[];
    expect(mine.find((c) => c.crm === 'hubspot')?.id).toBe(hubspotId);
    expect(mine.find((c) => c.crm === 'salesforce')?.id).toBe(salesforceId);
    const other = (await request(t.server).get('/api/connections').set('Cookie', b.memberCookie).expect(200)).body as ConnectionDto[];
    expect(other.map((c) => c.id)).toEqual([null, null]);
  });

  it('settings offer deals, owners and lists (selected by default); unknown objects answer 400 naming the field', async () => {
    const hs = await request(t.server).get(`/api/sync/connections/${hubspotId}/settings`).set('Cookie', a.adminCookie).expect(200);
    expect(hs.body.objects).toEqual(['company', 'contact', 'deal', 'owner', 'list']);
    const sf = await request(t.server).get(`/api/sync/connections/${salesforceId}/settings`).set('Cookie', a.adminCookie).expect(200);
    expect(sf.body.objects).toEqual(['company', 'lead', 'contact', 'deal', 'owner', 'list']);
    const lead = await request(t.server).put(`/api/sync/connections/${hubspotId}/settings`).set('Cookie', a.adminCookie).send({ objects: ['contact', 'lead'] }).expect(400);
    expect(JSON.stringify(lead.body)).toContain('objects');
    const bogus = await request(t.server).put(`/api/sync/connections/${hubspotId}/settings`).set('Cookie', a.adminCookie).send({ objects: ['ticket'] }).expect(400);
    expect(JSON.stringify(bogus.body)).toContain('objects');
  });

  it('HubSpot full backfill imports deals with stage/amount/close date and their contacts and company, owners and list metadata; total = done', async () => {
    const res = await request(t.server).post(`/api/sync/connections/${hubspotId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    expect(run).toMatchObject({ kind: 'backfill', status: 'done', objects: ['company', 'contact', 'deal', 'owner', 'list'] });
    const deals = live('deals');
    expect(deals.length).toBeGreaterThan(0);
    const owners = await count(`SELECT count(*)::int AS n FROM crm_owner WHERE workspace_id = $1 AND connection_id = $2 AND removed_in_crm_at IS NULL`, [a.id, hubspotId]);
    const lists = await count(`SELECT count(*)::int AS n FROM crm_list WHERE workspace_id = $1 AND connection_id = $2 AND deleted_in_crm_at IS NULL`, [a.id, hubspotId]);
    expect(owners).toBeGreaterThan(0);
    expect(lists).toBeGreaterThan(0);
    expect(run.related).toEqual({ deal: deals.length, owner: owners, list: lists });
    const records = live('contacts').length + live('companies').length;
    expect(run.progress.total).toBe(records + deals.length + owners + lists);
    expect(run.progress.done).toBe(run.progress.total);

    expect(await count(`SELECT count(*)::int AS n FROM deal WHERE workspace_id = $1 AND connection_id = $2`, [a.id, hubspotId])).toBe(deals.length);
    const sample = deals.find((d) => d.properties['amount'] && d.properties['closedate'])!;
    const [row] = await t.dataSource.query<{ stage: string; amount: string; close_date: string; company_crm_id: string | null; id: string }[]>(
      `SELECT id, stage, amount::text, to_char(close_date, 'YYYY-MM-DD') AS close_date, company_crm_id FROM deal WHERE connection_id = $1 AND crm_id = $2`,
      [hubspotId, sample.id],
    );
    expect(row?.stage).toBe(sample.properties['dealstage']);
    expect(Number(row?.amount)).toBe(Number(sample.properties['amount']));
    expect(row?.close_date).toBe(String(sample.properties['closedate']).slice(0, 10));
    expect(row?.company_crm_id).toBe(store().associated('deals', sample.id, 'companies')[0]?.toId ?? null);
    const withContact = deals.find((d) => store().associated('deals', d.id, 'contacts').length > 0)!;
    const contactIds = store().associated('deals', withContact.id, 'contacts').map((x) => x.toId);
    const stored = await t.dataSource.query<{ crm_id: string }[]>(`SELECT dc.crm_id FROM deal_contact dc JOIN deal d ON d.id = dc.deal_id WHERE d.connection_id = $1 AND d.crm_id = $2`, [hubspotId, withContact.id]);
    expect(stored.map((s) => s.crm_id).sort()).toEqual([...contactIds].sort());

    const owner = [...store().owners.values()][0]!;
    const [ownerRow] = await t.dataSource.query<{ email: string; first_name: string }[]>(`SELECT email, first_name FROM crm_owner WHERE connection_id = $1 AND crm_id = $2`, [hubspotId, owner.id]);
    expect(ownerRow).toMatchObject({ email: owner.email, first_name: owner.firstName });
  });

  it('a dry run keeps to people and companies and says how many records it will read', async () => {
    const res = await request(t.server).post(`/api/sync/connections/${hubspotId}/backfill`).set('Cookie', a.adminCookie).send({ dryRun: true }).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    expect(run.objects).toEqual(['company', 'contact']);
    expect(run.progress.total).toBe(live('contacts').length + live('companies').length);
    expect(run.counts.unchanged).toBe(run.progress.total);
  });

  const contactsMapping = async () => (await request(t.server).get('/api/connections/hubspot/mappings/contacts').set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
  /** Job title from the CRM's `state` (not mapped otherwise) instead of `jobtitle`: an easy change to see on imported people. */
  const proposed = (rows: MappingRowDto[]) => rows.map((r) => (r.conduitField === 'jobTitle' ? { ...r, crmField: 'state', importPriority: 'crm' as const } : r));

  let previewUpdated = -1;

  it('mapping dry run: counts and sample diffs (old → new, rule) for proposed rows; nothing saved or written; bad rows → 400 naming the row', async () => {
    const current = await contactsMapping();
    expect(current.rows.some((r) => r.conduitField === 'jobTitle' && r.crmField === 'jobtitle')).toBe(true);
    const bad = await request(t.server)
      .post(`/api/sync/connections/${hubspotId}/mapping-preview`)
      .set('Cookie', a.adminCookie)
      .send({ object: 'contacts', rows: [{ conduitField: 'jobTitle', crmField: 'no_such_property', importPriority: 'crm', exportBehaviour: 'overwrite' }] })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('rows.0.crmField');
    await request(t.server).post(`/api/sync/connections/${hubspotId}/mapping-preview`).set('Cookie', a.memberCookie).send({ object: 'contacts', rows: current.rows }).expect(403);
    await request(t.server).post(`/api/sync/connections/${hubspotId}/mapping-preview`).set('Cookie', b.adminCookie).send({ object: 'contacts', rows: current.rows }).expect(404);

    const res = await request(t.server).post(`/api/sync/connections/${hubspotId}/mapping-preview`).set('Cookie', a.adminCookie).send({ object: 'contacts', rows: proposed(current.rows) }).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    expect(run).toMatchObject({ kind: 'dry_run', status: 'done', mappingPreview: true, objects: ['contact'] });
    const changing = live('contacts').filter((c) => c.properties['state'] && c.properties['state'] !== c.properties['jobtitle']);
    expect(run.counts.updated).toBeGreaterThan(0);
    expect(run.counts.updated).toBeLessThanOrEqual(changing.length);
    expect(run.counts.created).toBe(0);
    previewUpdated = run.counts.updated;
    const diff = run.sample?.find((d) => d.field === 'jobTitle');
    expect(diff).toBeDefined();
    const source = live('contacts').find((c) => c.id === diff!.crmId)!;
    expect(diff).toMatchObject({ action: 'update', from: source.properties['jobtitle'] ?? null, to: source.properties['state'] });
    // Both CRMs are connected here, so the field's source of truth (#21) is the rule that lets the CRM's value in.
    expect(diff!.rule).toMatch(/crm|source_of_truth/);
    // Nothing saved, nothing written.
    expect((await contactsMapping()).rows).toEqual(current.rows);
    const person = await t.dataSource.getRepository(Person).createQueryBuilder('p').where('p.workspace_id = :ws AND lower(p.email) = lower(:e)', { ws: a.id, e: source.properties['email'] }).getOneOrFail();
    expect(person.jobTitle).toBe(source.properties['jobtitle'] ?? null);
  });

  it('saving a mapping re-evaluates the records already imported in the background (remap run); saving the same rows again does not', async () => {
    const current = await contactsMapping();
    await request(t.server).put('/api/connections/hubspot/mappings/contacts').set('Cookie', a.adminCookie).send({ rows: proposed(current.rows) }).expect(200);
    const remap = await waitFor(async () => {
      const runs = (await request(t.server).get(`/api/sync/runs?connectionId=${hubspotId}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto[];
      return runs.find((r) => r.kind === 'remap');
    }, 30_000);
    expect(remap.objects).toEqual(['contact']);
    const done = await finished(remap.id);
    expect(done.status).toBe('done');
    // What the preview announced is what the re-evaluation did.
    expect(done.counts.updated).toBe(previewUpdated);
    const c = (await t.dataSource.query<{ crm_id: string }[]>(`SELECT crm_id FROM crm_link WHERE connection_id = $1 AND object = 'contact' ORDER BY crm_id`, [hubspotId]))
      .map((l) => live('contacts').find((x) => x.id === l.crm_id))
      .find((x) => x?.properties['state'] && x.properties['state'] !== x.properties['jobtitle'])!;
    const person = await t.dataSource.getRepository(Person).createQueryBuilder('p').where('p.workspace_id = :ws AND lower(p.email) = lower(:e)', { ws: a.id, e: c.properties['email'] }).getOneOrFail();
    expect(person.jobTitle).toBe(c.properties['state']);
    const prov = (await request(t.server).get(`/api/people/${person.id}/provenance`).set('Cookie', a.memberCookie).expect(200)).body as ProvenanceDto;
    expect(prov.current.find((p) => p.field === 'jobTitle')).toMatchObject({ source: 'crm', crmField: 'state', value: c.properties['state'] });

    await request(t.server).put('/api/connections/hubspot/mappings/contacts').set('Cookie', a.adminCookie).send({ rows: proposed(current.rows) }).expect(200);
    const runs = (await request(t.server).get(`/api/sync/runs?connectionId=${hubspotId}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto[];
    expect(runs.filter((r) => r.kind === 'remap')).toHaveLength(1);
  });

  it('a custom row (Conduit custom attribute ← CRM field) is offered, saved, and re-applied to imported people', async () => {
    const current = await contactsMapping();
    const rows = [...current.rows, { conduitField: 'custom.region', crmField: 'state', importPriority: 'crm' as const, exportBehaviour: 'do_not_export' as const }];
    const saved = (await request(t.server).put('/api/connections/hubspot/mappings/contacts').set('Cookie', a.adminCookie).send({ rows }).expect(200)).body as ConnectionMappingDto;
    expect(saved.conduitFields.map((f) => f.name)).toContain('custom.region');
    const remap = await waitFor(async () => {
      const runs = (await request(t.server).get(`/api/sync/runs?connectionId=${hubspotId}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto[];
      return runs.filter((r) => r.kind === 'remap').length === 2 && runs.find((r) => r.kind === 'remap');
    }, 30_000);
    expect((await finished(remap.id)).status).toBe('done');
    const contact = live('contacts').find((c) => c.properties['state'] && c.properties['email'])!;
    const person = await t.dataSource.getRepository(Person).createQueryBuilder('p').where('p.workspace_id = :ws AND lower(p.email) = lower(:e)', { ws: a.id, e: contact.properties['email'] }).getOneOrFail();
    expect(person.customAttributes['region']).toBe(contact.properties['state']);
  });

  it('edits made in Conduit record provenance: source conduit with the previous value (people and companies)', async () => {
    const person = (await t.dataSource.query<{ id: string; job_title: string | null }[]>(`SELECT id, job_title FROM person WHERE workspace_id = $1 AND job_title IS NOT NULL ORDER BY id LIMIT 1`, [a.id]))[0]!;
    await request(t.server).patch(`/api/people/${person.id}`).set('Cookie', a.memberCookie).send({ jobTitle: 'Chief Edits Officer' }).expect(200);
    const prov = (await request(t.server).get(`/api/people/${person.id}/provenance`).set('Cookie', a.memberCookie).expect(200)).body as ProvenanceDto;
    expect(prov.current.find((p) => p.field === 'jobTitle')).toMatchObject({ source: 'conduit', connectionId: null, previousValue: person.job_title, value: 'Chief Edits Officer', rule: 'conduit_edit' });
    // Only the changed field.
    expect(prov.history.filter((p) => p.source === 'conduit').map((p) => p.field)).toEqual(['jobTitle']);

    const company = (await t.dataSource.query<{ id: string; industry: string | null }[]>(`SELECT id, industry FROM company WHERE workspace_id = $1 ORDER BY id LIMIT 1`, [a.id]))[0]!;
    await request(t.server).patch(`/api/companies/${company.id}`).set('Cookie', a.memberCookie).send({ industry: 'Robotics' }).expect(200);
    const cprov = (await request(t.server).get(`/api/companies/${company.id}/provenance`).set('Cookie', a.memberCookie).expect(200)).body as ProvenanceDto;
    expect(cprov.current.find((p) => p.field === 'industry')).toMatchObject({ source: 'conduit', previousValue: company.industry, value: 'Robotics' });
  });

  it('first connect: the schedule starts a full backfill (deals, owners, lists included) before any incremental run', async () => {
    await connectCrm(t.server, b.adminCookie, 'hubspot');
    const fresh = (await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: b.id, crm: 'hubspot' })).id;
    await t.app.get(SyncService).scheduleDue();
    const runs = () => t.dataSource.query<{ id: string; kind: string }[]>(`SELECT id, kind FROM sync_run WHERE connection_id = $1 ORDER BY created_at`, [fresh]);
    const [first] = await runs();
    expect(first?.kind).toBe('backfill');
    // A second tick while it runs starts nothing more.
    await t.app.get(SyncService).scheduleDue();
    expect(await runs()).toHaveLength(1);
    const done = await waitFor(async () => {
      const r = (await request(t.server).get(`/api/sync/runs/${first!.id}`).set('Cookie', b.adminCookie).expect(200)).body as SyncRunDto;
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 120_000);
    expect(done).toMatchObject({ status: 'done', objects: ['company', 'contact', 'deal', 'owner', 'list'] });
    expect(done.related.deal).toBe(live('deals').length);
    expect(done.counts.created).toBe(live('contacts').length + live('companies').length);
  });

  it('Salesforce full backfill imports Opportunities (contact roles and account), Users and Campaigns; total = done', async () => {
    const res = await request(t.server).post(`/api/sync/connections/${salesforceId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    expect(run.status).toBe('done');
    const sf = sandbox.salesforce.control;
    // Lists: the Campaigns and the Lead and Contact list views (#19), all of which the seed shares with the connected user.
    expect(run.related).toEqual({ deal: sf.count('Opportunity'), owner: sf.count('User'), list: sf.count('Campaign') + sf.listViews().length });
    expect(run.progress.done).toBe(run.progress.total);
    expect(await count(`SELECT count(*)::int AS n FROM deal WHERE connection_id = $1 AND company_crm_id IS NOT NULL`, [salesforceId])).toBeGreaterThan(0);
    expect(await count(`SELECT count(*)::int AS n FROM deal_contact dc JOIN deal d ON d.id = dc.deal_id WHERE d.connection_id = $1`, [salesforceId])).toBe(sf.count('OpportunityContactRole'));
    expect(await count(`SELECT count(*)::int AS n FROM crm_owner WHERE connection_id = $1`, [salesforceId])).toBe(sf.count('User'));
    expect(await count(`SELECT count(*)::int AS n FROM crm_list WHERE connection_id = $1`, [salesforceId])).toBe(sf.count('Campaign') + sf.listViews().length);
  });
});
