import type { ConnectionMappingDto, MappingRowDto, Page, PersonDto, SourceOfTruthDto, SyncRunDto } from '@conduit/contracts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { connectCrm } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

/**
 * Issue 21: both sandbox CRMs connected to one workspace (Salesforce first, so it is the default source), real SDKs
 * over HTTP, real worker. Source of truth per field (a field mastered by Salesforce, "most recent change wins" by the
 * CRMs' own modification times) and canonical values (value maps translating both CRMs' lead statuses).
 */
describe('two CRMs, one truth', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let hubspotId: string;
  let salesforceId: string;
  let sfToken: string;

  const api = () => request(t.server);
  const runOf = (id: string) => api().get(`/api/sync/runs/${id}`).set('Cookie', a.adminCookie).expect(200);
  /** Waits until the workspace has no open sync run (remaps started by a settings change included). */
  const idle = () =>
    waitFor(async () => {
      const [row] = await t.dataSource.query<{ open: number }[]>(`SELECT count(*)::int AS open FROM sync_run WHERE workspace_id = $1 AND status IN ('pending', 'running')`, [a.id]);
      return row?.open === 0;
    }, 120_000);
  const sync = async (connectionId: string, objects: string[]) => {
    await idle();
    const res = await api().post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({ objects }).expect(202);
    const run = await waitFor(async () => {
      const r = (await runOf((res.body as SyncRunDto).id)).body as SyncRunDto;
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 120_000);
    expect(run.status).toBe('done');
  };
  const syncHubspot = () => sync(hubspotId, ['contact']);
  const syncSalesforce = () => sync(salesforceId, ['lead']);
  const person = async (email: string) => {
    const [p] = await t.dataSource.query<{ id: string; lead_status: string | null; job_title: string | null; city: string | null }[]>(
      `SELECT id, lead_status, job_title, city FROM person WHERE workspace_id = $1 AND lower(email) = $2`,
      [a.id, email],
    );
    return p!;
  };
  /** Provenance entries of one field of a person (one per change). */
  const entries = async (personId: string, field: string) =>
    t.dataSource.query<{ rule: string; value: unknown; connection_id: string; crm_modified_at: Date | null }[]>(
      `SELECT rule, value, connection_id, crm_modified_at FROM field_provenance WHERE workspace_id = $1 AND entity_id = $2 AND field = $3 ORDER BY seq`,
      [a.id, personId, field],
    );
  const setRules = async (rules: { conduitField: string; source: string; others: string }[]) => {
    const res = await api().put('/api/mapping/source-of-truth/contacts').set('Cookie', a.adminCookie).send({ rules }).expect(200);
    await idle();
    return res.body as SourceOfTruthDto;
  };

  const hubspotContact = (props: Record<string, string>) => sandbox.hubspot.control.createRecord('contacts', props).id;
  const hubspotUpdate = (id: string, props: Record<string, string>) => sandbox.hubspot.control.updateRecord('contacts', id, props);
  const sfRequest = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${sandbox.salesforce.url}/services/data/v62.0/sobjects/${path}`, {
      method,
      headers: { Authorization: `Bearer ${sfToken}`, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status).toBeLessThan(300);
    return res.status === 204 ? null : ((await res.json()) as { id: string });
  };
  const salesforceLead = async (fields: Record<string, string>) => (await sfRequest('POST', 'Lead', { Company: 'Truth Co', ...fields }))!.id;
  const salesforceUpdate = (id: string, fields: Record<string, string>) => sfRequest('PATCH', `Lead/${id}`, fields);
  /** Modification times are the CRMs' own (real time, ms): a gap makes "later" unambiguous. */
  const tick = () => new Promise((r) => setTimeout(r, 25));

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    a = await createWorkspace(t.server, t.dataSource, 'Truth');
    await connectCrm(t.server, a.adminCookie, 'salesforce');
    await connectCrm(t.server, a.adminCookie, 'hubspot');
    const connections = t.dataSource.getRepository(CrmConnection);
    hubspotId = (await connections.findOneByOrFail({ workspaceId: a.id, crm: 'hubspot' })).id;
    salesforceId = (await connections.findOneByOrFail({ workspaceId: a.id, crm: 'salesforce' })).id;
    sfToken = sandbox.salesforce.control.mintToken().accessToken;
    // The first backfills of everything the sandboxes hold, so later syncs re-read known records.
    await syncSalesforce();
    await syncHubspot();
  }, 240_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('answers the rules per field, defaulting to the first connected CRM; refuses unknown fields and CRMs by name', async () => {
    const got = (await api().get('/api/mapping/source-of-truth/contacts').set('Cookie', a.memberCookie).expect(200)).body as SourceOfTruthDto;
    expect(got.connected).toEqual(['salesforce', 'hubspot']);
    expect(got.active).toBe(true);
    const status = got.fields.find((f) => f.conduitField === 'leadStatus');
    expect(status).toMatchObject({ label: 'Lead status', source: 'salesforce', others: 'fill_blanks', isDefault: true });
    expect(status?.mappedBy.sort()).toEqual(['hubspot', 'salesforce']);
    await api().put('/api/mapping/source-of-truth/contacts').set('Cookie', a.memberCookie).send({ rules: [] }).expect(403);
    const bad = await api()
      .put('/api/mapping/source-of-truth/contacts')
      .set('Cookie', a.adminCookie)
      .send({ rules: [{ conduitField: 'shoeSize', source: 'hubspot', others: 'never' }, { conduitField: 'city', source: 'pipedrive', others: 'never' }] })
      .expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['rules.1.source']);
    const unknown = await api().put('/api/mapping/source-of-truth/contacts').set('Cookie', a.adminCookie).send({ rules: [{ conduitField: 'shoeSize', source: 'hubspot', others: 'never' }] }).expect(400);
    expect((unknown.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['rules.0.conduitField']);
  });

  it('a field mastered by Salesforce: repeated syncs of both CRMs leave its value and provenance stable; HubSpot fills it only when blank', async () => {
    await setRules([
      { conduitField: 'leadStatus', source: 'salesforce', others: 'fill_blanks' },
      { conduitField: 'jobTitle', source: 'salesforce', others: 'fill_blanks' },
    ]);
    // Ada: HubSpot says Bad timing, Salesforce says Not contacted (its source). Grace: Salesforce has no title.
    hubspotContact({ email: 'ada@truth.example', firstname: 'Ada', lastname: 'Lovelace', hs_lead_status: 'BAD_TIMING', jobtitle: 'VP Sales' });
    await salesforceLead({ Email: 'ada@truth.example', FirstName: 'Ada', LastName: 'Lovelace', Status: 'Open - Not Contacted', Title: 'CTO' });
    const graceHs = hubspotContact({ email: 'grace@truth.example', firstname: 'Grace', lastname: 'Hopper', jobtitle: 'Admiral' });
    const graceSf = await salesforceLead({ Email: 'grace@truth.example', FirstName: 'Grace', LastName: 'Hopper' });

    await syncHubspot();
    let ada = await person('ada@truth.example');
    // Blank before: HubSpot fills it (canonical value, not the code).
    expect(ada.lead_status).toBe('Bad timing');
    await syncSalesforce();
    ada = await person('ada@truth.example');
    expect(ada).toMatchObject({ lead_status: 'Not contacted', job_title: 'CTO' });
    for (let i = 0; i < 3; i++) {
      await syncHubspot();
      await syncSalesforce();
    }
    ada = await person('ada@truth.example');
    expect(ada).toMatchObject({ lead_status: 'Not contacted', job_title: 'CTO' });
    const statusEntries = await entries(ada.id, 'leadStatus');
    // Two entries in all: HubSpot's fill, then Salesforce's value. No flip after that.
    expect(statusEntries.map((e) => [e.rule, e.value])).toEqual([
      ['fill_blank', 'Bad timing'],
      ['source_of_truth', 'Not contacted'],
    ]);
    expect(statusEntries[1]?.connection_id).toBe(salesforceId);
    expect(statusEntries.every((e) => e.crm_modified_at instanceof Date)).toBe(true);

    // Grace's title is blank in Salesforce: HubSpot's fills it, and a later HubSpot change does not replace it.
    let grace = await person('grace@truth.example');
    expect(grace.job_title).toBe('Admiral');
    hubspotUpdate(graceHs, { jobtitle: 'Rear Admiral' });
    await syncHubspot();
    grace = await person('grace@truth.example');
    expect(grace.job_title).toBe('Admiral');
    // The source sets it: Salesforce's value wins.
    await salesforceUpdate(graceSf, { Title: 'Commodore' });
    await syncSalesforce();
    await syncHubspot();
    grace = await person('grace@truth.example');
    expect(grace.job_title).toBe('Commodore');
    expect((await entries(grace.id, 'jobTitle')).map((e) => [e.rule, e.value])).toEqual([
      ['fill_blank', 'Admiral'],
      ['source_of_truth', 'Commodore'],
    ]);
  }, 600_000);

  it('"most recent change wins" follows the CRMs\' modification times, not the order of the syncs', async () => {
    await setRules([{ conduitField: 'city', source: 'latest', others: 'fill_blanks' }]);
    const hs = hubspotContact({ email: 'katherine@truth.example', firstname: 'Katherine', lastname: 'Johnson', city: 'Berlin' });
    await tick();
    const sf = await salesforceLead({ Email: 'katherine@truth.example', FirstName: 'Katherine', LastName: 'Johnson', City: 'Paris' });
    await syncHubspot();
    await syncSalesforce();
    const k = await person('katherine@truth.example');
    // Salesforce's record changed after HubSpot's.
    expect(k.city).toBe('Paris');
    await syncHubspot();
    await syncSalesforce();
    expect((await person('katherine@truth.example')).city).toBe('Paris');
    expect((await entries(k.id, 'city')).map((e) => [e.rule, e.value])).toEqual([
      ['fill_blank', 'Berlin'],
      ['latest_change', 'Paris'],
    ]);

    // HubSpot changes the city later: it wins; Salesforce, still holding Paris (unchanged since), does not take it back.
    await tick();
    hubspotUpdate(hs, { city: 'Munich' });
    await syncHubspot();
    expect((await person('katherine@truth.example')).city).toBe('Munich');
    await salesforceUpdate(sf, { Title: 'Mathematician' });
    await syncSalesforce();
    expect((await person('katherine@truth.example')).city).toBe('Munich');

    // Salesforce changes it, then HubSpot later; synced HubSpot first, Salesforce's older change does not win.
    await tick();
    await salesforceUpdate(sf, { City: 'Rome' });
    await tick();
    hubspotUpdate(hs, { city: 'Hamburg' });
    await syncHubspot();
    await syncSalesforce();
    expect((await person('katherine@truth.example')).city).toBe('Hamburg');
    expect((await entries(k.id, 'city')).map((e) => e.value)).toEqual(['Berlin', 'Paris', 'Munich', 'Hamburg']);
  }, 600_000);

  it('value maps translate both CRMs\' lead statuses into one vocabulary; the filter finds them all; unmapped values are counted', async () => {
    // Each CRM is the source of its own people here: Conduit fills blanks from whichever CRM has the person.
    await setRules([{ conduitField: 'leadStatus', source: 'latest', others: 'fill_blanks' }]);
    const mapping = (await api().get('/api/connections/salesforce/mappings/contacts').set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
    const statusRow = mapping.rows.find((r) => r.conduitField === 'leadStatus')!;
    expect(statusRow.valueMap).toEqual({
      'Open - Not Contacted': 'Not contacted',
      'Working - Contacted': 'Working',
      'Closed - Converted': 'Converted',
      'Closed - Not Converted': 'Not converted',
    });
    expect(mapping.conduitFields.find((f) => f.name === 'leadStatus')?.vocabulary).toContain('Bad timing');
    const hsMapping = (await api().get('/api/connections/hubspot/mappings/contacts').set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
    expect(hsMapping.rows.find((r) => r.conduitField === 'leadStatus')?.valueMap).toMatchObject({ BAD_TIMING: 'Bad timing', IN_PROGRESS: 'In progress' });

    // The admin edits Salesforce's map: "Closed - Not Converted" means Bad timing here; "Working - Contacted" left unmapped.
    const rows: MappingRowDto[] = mapping.rows.map((r) =>
      r.conduitField === 'leadStatus' ? { ...r, valueMap: { ...r.valueMap, 'Closed - Not Converted': 'Bad timing', 'Working - Contacted': '' } } : r,
    );
    const refused = await api()
      .put('/api/connections/salesforce/mappings/contacts')
      .set('Cookie', a.adminCookie)
      .send({ rows: rows.map((r) => (r.conduitField === 'leadStatus' ? { ...r, valueMap: { 'Closed - Not Converted': 'Later' } } : r)) })
      .expect(400);
    const index = rows.findIndex((r) => r.conduitField === 'leadStatus');
    expect((refused.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([`rows.${index}.valueMap`]);
    await api().put('/api/connections/salesforce/mappings/contacts').set('Cookie', a.adminCookie).send({ rows }).expect(200);
    await idle();

    hubspotContact({ email: 'hedy@truth.example', firstname: 'Hedy', lastname: 'Lamarr', hs_lead_status: 'BAD_TIMING' });
    await salesforceLead({ Email: 'radia@truth.example', FirstName: 'Radia', LastName: 'Perlman', Status: 'Closed - Not Converted' });
    await salesforceLead({ Email: 'barbara@truth.example', FirstName: 'Barbara', LastName: 'Liskov', Status: 'Working - Contacted' });
    await syncHubspot();
    await syncSalesforce();

    const found = (await api().get('/api/people').query({ leadStatus: 'Bad timing', search: 'truth.example', pageSize: 100 }).set('Cookie', a.memberCookie).expect(200)).body as Page<PersonDto>;
    expect(found.items.map((p) => p.email).sort()).toEqual(['hedy@truth.example', 'radia@truth.example']);
    // No codes stored: every lead status of the workspace is a vocabulary value, or left as it was when unmapped.
    expect((await person('barbara@truth.example')).lead_status).toBeNull();
    const after = (await api().get('/api/connections/salesforce/mappings/contacts').set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
    const unmapped = after.unmapped.find((u) => u.crmValue === 'Working - Contacted');
    expect(unmapped).toMatchObject({ conduitField: 'leadStatus', crmField: 'Status', crmLabel: 'Working - Contacted' });
    expect(unmapped!.records).toBeGreaterThanOrEqual(1);
    const codes = await t.dataSource.query<unknown[]>(`SELECT DISTINCT lead_status FROM person p WHERE workspace_id = $1 AND lead_status ~ '^[A-Z_]+$' AND EXISTS (SELECT 1 FROM crm_link l WHERE l.person_id = p.id)`, [a.id]);
    expect(codes).toEqual([]);

    // Mapping it again re-applies: Barbara gets "Working", and the count goes.
    await api()
      .put('/api/connections/salesforce/mappings/contacts')
      .set('Cookie', a.adminCookie)
      .send({ rows: rows.map((r) => (r.conduitField === 'leadStatus' ? { ...r, valueMap: { ...r.valueMap, 'Working - Contacted': 'Working' } } : r)) })
      .expect(200);
    await idle();
    expect((await person('barbara@truth.example')).lead_status).toBe('Working');
    const cleared = (await api().get('/api/connections/salesforce/mappings/contacts').set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
    expect(cleared.unmapped.find((u) => u.crmValue === 'Working - Contacted')).toBeUndefined();
  }, 600_000);

  it('a value Conduit wrote to a CRM and reads back is not a change (no echo between the CRMs)', async () => {
    await setRules([{ conduitField: 'leadStatus', source: 'latest', others: 'fill_blanks' }]);
    hubspotContact({ email: 'echo@truth.example', firstname: 'Echo', lastname: 'Test', hs_lead_status: 'CONNECTED' });
    await syncHubspot();
    const p = await person('echo@truth.example');
    expect(p.lead_status).toBe('Connected');
    // Pushed to Salesforce: the new Lead's Status comes from the status mapping ("Open - Not Contacted"), written
    // after HubSpot's change, so by modification time alone it would replace "Connected".
    const push = await api().post(`/api/people/${p.id}/push/salesforce`).set('Cookie', a.adminCookie);
    expect(push.status).toBeLessThan(300);
    // What the push wrote is remembered (a fingerprint per field of the Lead).
    await waitFor(async () => {
      const [written] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM crm_written_value w JOIN crm_link l ON l.connection_id = w.connection_id AND l.crm_id = w.crm_id WHERE w.connection_id = $1 AND w.crm_field = 'Status' AND l.person_id = $2`,
        [salesforceId, p.id],
      );
      return (written?.n ?? 0) > 0;
    }, 60_000);
    await syncSalesforce();
    await syncHubspot();
    await syncSalesforce();
    expect((await person('echo@truth.example')).lead_status).toBe('Connected');
    expect((await entries(p.id, 'leadStatus')).map((e) => e.value)).toEqual(['Connected']);
  }, 300_000);
});
