import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CompanyDto, ConnectionMappingDto, MappingRowDto, Page, ProvenanceDto, PushResultDto, SyncRunDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { crmSandboxConfig } from './support/crm-test-app.js';

/**
 * Issue 5: company custom attributes on the Companies tab — a HubSpot custom company property mapped to a Conduit
 * company custom attribute is imported into it (with provenance) and exported to HubSpot companies per the row's
 * export behaviour (real SDK against the sandbox).
 */
describe('company custom attributes ↔ HubSpot custom company properties', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let connectionId: string;
  const run = Date.now().toString(36);

  const store = () => sandbox.hubspot.control.store();
  const hsCompany = (id: string) => store().records.get('companies')!.get(id)!;
  const companyOf = (contactId: string) => store().associated('contacts', contactId, 'companies').map((x) => x.toId);
  const runOf = async (id: string) => (await request(t.server).get(`/api/sync/runs/${id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto & { failures: unknown[] };
  const finished = (id: string) =>
    waitFor(async () => {
      const r = await runOf(id);
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 120_000);
  const mapping = async () => (await request(t.server).get('/api/connections/hubspot/mappings/companies').set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
  const companyByDomain = async (domain: string) =>
    ((await request(t.server).get(`/api/companies?search=${encodeURIComponent(domain)}`).set('Cookie', a.memberCookie).expect(200)).body as Page<CompanyDto>).items.find((c) => c.domain === domain);
  const createCompany = async (body: Record<string, unknown>) => (await request(t.server).post('/api/companies').set('Cookie', a.adminCookie).send(body).expect(201)).body as CompanyDto;
  const pushPersonOf = async (companyId: string, email: string) => {
    const person = (await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send({ firstName: 'Tier', lastName: 'Tester', email, companyId }).expect(201)).body as { id: string };
    return (await request(t.server).post(`/api/people/${person.id}/push/hubspot`).set('Cookie', a.memberCookie).expect(200)).body as PushResultDto;
  };
  const setTierBehaviour = (exportBehaviour: string) =>
    // Directly, not through PUT: a saved mapping change starts a background remap, which these export steps do not need.
    t.dataSource.query(`UPDATE crm_field_mapping SET export_behaviour = $2 WHERE connection_id = $1 AND object = 'company' AND conduit_field = 'custom.tier'`, [connectionId, exportBehaviour]);

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'TierAlpha');
    b = await createWorkspace(t.server, t.dataSource, 'TierBeta');
    sandbox.hubspot.control.addProperty('companies', { name: 'conduit_tier', label: 'Tier', type: 'string', fieldType: 'text', groupName: 'companyinformation' });
    await connectCrm(t.server, a.adminCookie, 'hubspot');
    connectionId = (await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: a.id, crm: 'hubspot' })).id;
    // People and companies only (deals, owners and lists are not what this spec is about), and no scheduled runs:
    // every backfill here is started by hand, after the records it reads are in the sandbox.
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).send({ objects: ['company', 'contact'], importEnabled: false }).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('the Companies tab accepts a custom.<key> row on a HubSpot custom property and offers existing company attributes; a bad key is a 400 naming the row', async () => {
    await request(t.server).post('/api/connections/hubspot/discover').set('Cookie', a.adminCookie).expect(200);
    await createCompany({ name: 'Seed Attr Co', customAttributes: { segment: 'smb' } });
    const before = await mapping();
    expect(before.conduitFields.map((f) => f.name)).toContain('custom.segment');
    expect(before.fields.find((f) => f.name === 'conduit_tier')).toMatchObject({ custom: true });

    const bad = await request(t.server)
      .put('/api/connections/hubspot/mappings/companies')
      .set('Cookie', a.adminCookie)
      .send({ rows: [...before.rows, { conduitField: 'custom.no spaces', crmField: 'conduit_tier', importPriority: 'crm', exportBehaviour: 'fill_if_empty' }] })
      .expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([`rows.${before.rows.length}.conduitField`]);

    const rows: MappingRowDto[] = [...before.rows, { conduitField: 'custom.tier', crmField: 'conduit_tier', importPriority: 'crm', exportBehaviour: 'fill_if_empty' }];
    const saved = (await request(t.server).put('/api/connections/hubspot/mappings/companies').set('Cookie', a.adminCookie).send({ rows }).expect(200)).body as ConnectionMappingDto;
    expect(saved.rows.at(-1)).toEqual(rows.at(-1));
    expect(saved.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(saved.conduitFields.map((f) => f.name)).toEqual(expect.arrayContaining(['custom.segment', 'custom.tier']));
    // The other workspace has no HubSpot connection.
    await request(t.server).get('/api/connections/hubspot/mappings/companies').set('Cookie', b.adminCookie).expect(404);
  });

  it('backfill imports the custom property into the company custom attribute, with provenance; CRM wins replaces a Conduit value', async () => {
    const gold = sandbox.hubspot.control.createRecord('companies', { name: 'Gold Tier Co', domain: `gold-${run}.example`, conduit_tier: 'gold' });
    sandbox.hubspot.control.createRecord('companies', { name: 'No Tier Co', domain: `notier-${run}.example` });
    // Known in Conduit already (matched by domain), with its own tier and another attribute that must be kept.
    const known = await createCompany({ name: 'Known Tier Co', domain: `known-${run}.example`, customAttributes: { tier: 'conduit-tier', seats: 5 } });
    sandbox.hubspot.control.createRecord('companies', { name: 'Known Tier Co', domain: `known-${run}.example`, conduit_tier: 'crm-tier' });

    const res = await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
    const done = await finished((res.body as SyncRunDto).id);
    expect(done.status).toBe('done');

    const imported = await companyByDomain(`gold-${run}.example`);
    expect(imported?.customAttributes).toEqual({ tier: 'gold' });
    expect((await companyByDomain(`notier-${run}.example`))?.customAttributes).toEqual({});
    const updated = (await request(t.server).get(`/api/companies/${known.id}`).set('Cookie', a.memberCookie).expect(200)).body as CompanyDto;
    expect(updated.customAttributes).toEqual({ tier: 'crm-tier', seats: 5 });

    const prov = (await request(t.server).get(`/api/companies/${imported!.id}/provenance`).set('Cookie', a.memberCookie).expect(200)).body as ProvenanceDto;
    expect(prov.current.find((p) => p.field === 'custom.tier')).toMatchObject({ source: 'crm', connectionId, crmRecordId: gold.id, crmField: 'conduit_tier', rule: 'crm_wins', value: 'gold' });
    const knownProv = (await request(t.server).get(`/api/companies/${known.id}/provenance`).set('Cookie', a.memberCookie).expect(200)).body as ProvenanceDto;
    expect(knownProv.current.find((p) => p.field === 'custom.tier')).toMatchObject({ source: 'crm', previousValue: 'conduit-tier', value: 'crm-tier' });
    expect(knownProv.current.find((p) => p.field === 'custom.seats')).toMatchObject({ source: 'conduit', rule: 'conduit_create', value: 5 });

    // A second run finds the same value: no new provenance for it.
    const again = await finished(((await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202)).body as SyncRunDto).id);
    expect(again.status).toBe('done');
    const history = ((await request(t.server).get(`/api/companies/${imported!.id}/provenance`).set('Cookie', a.memberCookie).expect(200)).body as ProvenanceDto).history;
    expect(history.filter((p) => p.field === 'custom.tier')).toHaveLength(1);
    expect(((await request(t.server).get(`/api/companies/${imported!.id}`).set('Cookie', a.memberCookie).expect(200)).body as CompanyDto).customAttributes).toEqual({ tier: 'gold' });
  });

  it('Conduit wins keeps a Conduit value and fills an empty one', async () => {
    await t.dataSource.query(`UPDATE crm_field_mapping SET import_priority = 'conduit' WHERE connection_id = $1 AND object = 'company' AND conduit_field = 'custom.tier'`, [connectionId]);
    try {
      const mine = await createCompany({ name: 'Mine Tier Co', domain: `mine-${run}.example`, customAttributes: { tier: 'mine' } });
      const blank = await createCompany({ name: 'Blank Tier Co', domain: `blank-${run}.example`, customAttributes: { tier: ' ' } });
      sandbox.hubspot.control.createRecord('companies', { name: 'Mine Tier Co', domain: `mine-${run}.example`, conduit_tier: 'theirs' });
      sandbox.hubspot.control.createRecord('companies', { name: 'Blank Tier Co', domain: `blank-${run}.example`, conduit_tier: 'filled' });
      const r = await finished(((await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202)).body as SyncRunDto).id);
      expect(r.status).toBe('done');
      expect(((await request(t.server).get(`/api/companies/${mine.id}`).set('Cookie', a.memberCookie).expect(200)).body as CompanyDto).customAttributes).toEqual({ tier: 'mine' });
      expect(((await request(t.server).get(`/api/companies/${blank.id}`).set('Cookie', a.memberCookie).expect(200)).body as CompanyDto).customAttributes).toEqual({ tier: 'filled' });
    } finally {
      await t.dataSource.query(`UPDATE crm_field_mapping SET import_priority = 'crm' WHERE connection_id = $1 AND object = 'company' AND conduit_field = 'custom.tier'`, [connectionId]);
    }
  });

  it('export writes the attribute to HubSpot companies per the export behaviour: created, fill if empty, overwrite, do not export', async () => {
    try {
      // Fill if empty: a created company gets it; a company found by domain keeps its value, or gets it when empty.
      const created = await createCompany({ name: 'Silver Export Co', domain: `silver-${run}.example`, customAttributes: { tier: 'silver' } });
      const r1 = await pushPersonOf(created.id, `tier@silver-${run}.example`);
      const [newId] = companyOf(r1.crmId!);
      expect(hsCompany(newId!).properties).toMatchObject({ domain: `silver-${run}.example`, conduit_tier: 'silver' });

      const bronze = sandbox.hubspot.control.createRecord('companies', { name: 'Bronze HS Co', domain: `bronze-${run}.example`, conduit_tier: 'bronze' });
      const keeps = await createCompany({ name: 'Bronze Conduit Co', domain: `bronze-${run}.example`, customAttributes: { tier: 'platinum' } });
      const r2 = await pushPersonOf(keeps.id, `tier@bronze-${run}.example`);
      expect(companyOf(r2.crmId!)).toEqual([bronze.id]);
      expect(hsCompany(bronze.id).properties['conduit_tier']).toBe('bronze');

      const empty = sandbox.hubspot.control.createRecord('companies', { name: 'Empty HS Co', domain: `empty-${run}.example` });
      const fills = await createCompany({ name: 'Empty Conduit Co', domain: `empty-${run}.example`, customAttributes: { tier: 'gold' } });
      const r3 = await pushPersonOf(fills.id, `tier@empty-${run}.example`);
      expect(companyOf(r3.crmId!)).toEqual([empty.id]);
      expect(hsCompany(empty.id).properties['conduit_tier']).toBe('gold');

      // Overwrite: the Conduit value replaces HubSpot's.
      await setTierBehaviour('overwrite');
      const iron = sandbox.hubspot.control.createRecord('companies', { name: 'Iron HS Co', domain: `iron-${run}.example`, conduit_tier: 'iron' });
      const over = await createCompany({ name: 'Iron Conduit Co', domain: `iron-${run}.example`, customAttributes: { tier: 'diamond' } });
      const r4 = await pushPersonOf(over.id, `tier@iron-${run}.example`);
      expect(companyOf(r4.crmId!)).toEqual([iron.id]);
      expect(hsCompany(iron.id).properties['conduit_tier']).toBe('diamond');

      // Do not export: never sent, not even on create.
      await setTierBehaviour('do_not_export');
      const hidden = await createCompany({ name: 'Hidden Tier Co', domain: `hidden-${run}.example`, customAttributes: { tier: 'secret' } });
      const r5 = await pushPersonOf(hidden.id, `tier@hidden-${run}.example`);
      const [hiddenId] = companyOf(r5.crmId!);
      expect(hsCompany(hiddenId!).properties).toMatchObject({ domain: `hidden-${run}.example` });
      expect(hsCompany(hiddenId!).properties['conduit_tier'] ?? null).toBeNull();
    } finally {
      await setTierBehaviour('fill_if_empty');
    }
  });
  it('a company linked earlier (by an earlier export) is read in one batch and written per the export behaviour when a new person of it is exported', async () => {
    try {
      const co = await createCompany({ name: 'Linked Tier Co', domain: `linked-${run}.example`, customAttributes: { tier: 'copper' } });
      const first = await pushPersonOf(co.id, `first@linked-${run}.example`);
      const [hsId] = companyOf(first.crmId!);
      expect(hsCompany(hsId!).properties['conduit_tier']).toBe('copper');

      // A rep changes the tier in HubSpot, and Conduit's value changes too; the company is linked now.
      sandbox.hubspot.control.updateRecord('companies', hsId!, { conduit_tier: 'rep-set' });
      await request(t.server).patch(`/api/companies/${co.id}`).set('Cookie', a.adminCookie).send({ customAttributes: { tier: 'zinc' } }).expect(200);
      const reads = () => sandbox.hubspot.control.requests(0).filter((q) => q.path === '/crm/v3/objects/companies/batch/read').length;

      // Fill if empty: the rep's value stays (the linked company is read, not searched by domain again).
      const readsBefore = reads();
      const second = await pushPersonOf(co.id, `second@linked-${run}.example`);
      expect(companyOf(second.crmId!)).toEqual([hsId]);
      expect(reads() - readsBefore).toBe(1);
      expect(hsCompany(hsId!).properties['conduit_tier']).toBe('rep-set');

      // Overwrite: Conduit's current value replaces it.
      await setTierBehaviour('overwrite');
      await pushPersonOf(co.id, `third@linked-${run}.example`);
      expect(hsCompany(hsId!).properties['conduit_tier']).toBe('zinc');
    } finally {
      await setTierBehaviour('fill_if_empty');
    }
  });
});
