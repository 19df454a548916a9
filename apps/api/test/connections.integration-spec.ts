import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectionDto, ConnectionMappingDto, MappingRowDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { loadConfig } from '../src/config/app-config.js';
import { ConnectionCredentialsService } from '../src/connections/connection-credentials.service.js';
import { CrmConnection } from '../src/connections/connection.entity.js';
import { CrmFieldMapping } from '../src/connections/field-mapping.entity.js';
import { CrmFieldSnapshot } from '../src/connections/field-snapshot.entity.js';
import { CrmConnectionOrgName1796615060218 } from '../src/database/migrations/1796615060218-crm-connection-org-name.js';
import { authorizeAndConsent, connectCrm, followCallback } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const execFileAsync = promisify(execFile);

describe('CRM connections: OAuth, tokens at rest, mapping, disconnect', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;
  const seenTokens: string[] = [];
  const seenCodes: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    sandbox.hubspot.control.configure({ rateLimit: { enabled: false } });
    const base = loadConfig();
    t = await startTestApp({
      crm: {
        ...base.crm,
        hubspot: { ...base.crm.hubspot, baseUrl: sandbox.hubspot.url },
        salesforce: { ...base.crm.salesforce, loginUrl: sandbox.salesforce.url },
        oauthRedirectBase: 'http://127.0.0.1:5173',
      },
    });
    a = await createWorkspace(t.server, t.dataSource, 'Alpha');
    b = await createWorkspace(t.server, t.dataSource, 'Beta');
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  const connection = (ws: TestWorkspace, crm: 'hubspot' | 'salesforce') => t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: ws.id, crm });
  const creds = () => t.app.get(ConnectionCredentialsService);
  async function rememberTokens(ws: TestWorkspace, crm: 'hubspot' | 'salesforce'): Promise<{ access: string; refresh: string }> {
    const row = await connection(ws, crm);
    const access = creds().revealAccessToken(row)!;
    const refresh = creds().revealRefreshToken(row)!;
    seenTokens.push(access, refresh);
    return { access, refresh };
  }
  async function list(ws: TestWorkspace, cookie = ws.adminCookie): Promise<ConnectionDto[]> {
    return (await request(t.server).get('/api/connections').set('Cookie', cookie).expect(200)).body as ConnectionDto[];
  }
  const card = async (ws: TestWorkspace, crm: 'hubspot' | 'salesforce') => (await list(ws)).find((c) => c.crm === crm)!;

  describe('connect', () => {
    it('connects HubSpot through the consent page, stores the portal and discovers contact and company properties', async () => {
      const back = await connectCrm(t.server, a.adminCookie, 'hubspot');
      expect(back.pathname).toBe('/settings/integrations');
      expect(back.searchParams.get('connected')).toBe('hubspot');
      expect(back.searchParams.get('error')).toBeNull();

      const c = await card(a, 'hubspot');
      expect(c).toMatchObject({ state: 'connected', accountId: '20000001', tokenHealth: 'ok', connectedBy: { id: a.admin.id, name: a.admin.name } });
      expect(c.scopes).toContain('crm.objects.contacts.write');
      expect(c.discovery.map((d) => d.object).sort()).toEqual(['companies', 'contacts']);
      const contacts = c.discovery.find((d) => d.object === 'contacts')!;
      expect(contacts.fieldCount).toBeGreaterThan(90);
      expect(contacts.customFieldCount).toBeGreaterThan(0);
      await rememberTokens(a, 'hubspot');
    });

    it('connects Salesforce, recording the org and instance URL, and describes Lead, Contact and Account', async () => {
      const back = await connectCrm(t.server, a.adminCookie, 'salesforce');
      expect(back.searchParams.get('connected')).toBe('salesforce');
      const c = await card(a, 'salesforce');
      expect(c).toMatchObject({ state: 'connected', accountId: '00D8d0000000001EAA', accountName: 'Northwind Demo Org (alex.morgan@northwind-demo.com)', instanceUrl: sandbox.salesforce.url });
      expect(await connection(a, 'salesforce')).toMatchObject({ organizationName: 'Northwind Demo Org', crmUsername: 'alex.morgan@northwind-demo.com' });
      expect(c.discovery.map((d) => d.object).sort()).toEqual(['Account', 'Contact', 'Lead']);
      const lead = await t.dataSource.getRepository(CrmFieldSnapshot).findOneByOrFail({ connectionId: (await connection(a, 'salesforce')).id, object: 'lead' });
      const notes = lead.fields.find((f) => f.name === 'Conduit_Notes__c');
      expect(notes).toMatchObject({ custom: true, readOnly: false, length: 32768 });
      expect(lead.fields.find((f) => f.name === 'IsConverted')?.readOnly).toBe(true);
      expect(lead.fields.find((f) => f.name === 'Status')?.options?.length).toBeGreaterThan(2);
      await rememberTokens(a, 'salesforce');
    });

    it('a Salesforce connection from before the org name keeps its label until field discovery reads the name', async () => {
      const repo = t.dataSource.getRepository(CrmConnection);
      const { id } = await connection(a, 'salesforce');
      // As it was stored before: named by the org id, without the columns; the migration takes the username from the label.
      await repo.update({ id }, { accountName: '00D8d0000000001EAA (alex.morgan@northwind-demo.com)' });
      const runner = t.dataSource.createQueryRunner();
      try {
        const migration = new CrmConnectionOrgName1796615060218();
        await migration.down(runner);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      expect(await repo.findOneByOrFail({ id })).toMatchObject({ organizationName: null, crmUsername: 'alex.morgan@northwind-demo.com' });
      expect((await card(a, 'salesforce')).accountName).toBe('00D8d0000000001EAA (alex.morgan@northwind-demo.com)');

      sandbox.salesforce.control.clearRequests();
      const res = await request(t.server).post('/api/connections/salesforce/discover').set('Cookie', a.adminCookie).expect(200);
      expect((res.body as ConnectionDto).accountName).toBe('Northwind Demo Org (alex.morgan@northwind-demo.com)');
      expect(await repo.findOneByOrFail({ id })).toMatchObject({ organizationName: 'Northwind Demo Org', accountName: 'Northwind Demo Org (alex.morgan@northwind-demo.com)' });
      // One query for the name, with the three describes.
      expect(sandbox.salesforce.control.requests().filter((r) => r.path.endsWith('/query'))).toHaveLength(1);
    });

    it('sends a denied consent back to the card as access_denied and stores nothing', async () => {
      const back = await connectCrm(t.server, b.adminCookie, 'hubspot', 'deny');
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('crm')).toBe('hubspot');
      expect((await card(b, 'hubspot')).state).toBe('not_connected');
    });

    it('rejects a tampered state, a replayed state, an expired state and a callback from another session', async () => {
      const tampered = await authorizeAndConsent(t.server, b.adminCookie, 'hubspot');
      const bad = new URL(tampered.callback);
      bad.searchParams.set('state', `${bad.searchParams.get('state')!.slice(0, -2)}xx`);
      expect((await followCallback(t.server, b.adminCookie, bad)).searchParams.get('error')).toBe('invalid_state');
      const missing = new URL(tampered.callback);
      missing.searchParams.delete('state');
      expect((await followCallback(t.server, b.adminCookie, missing)).searchParams.get('error')).toBe('invalid_state');

      seenCodes.push(tampered.callback.searchParams.get('code')!, tampered.callback.searchParams.get('state')!);
      // The genuine callback works once …
      expect((await followCallback(t.server, b.adminCookie, tampered.callback)).searchParams.get('connected')).toBe('hubspot');
      // … and never again.
      expect((await followCallback(t.server, b.adminCookie, tampered.callback)).searchParams.get('error')).toBe('state_replayed');

      const late = await authorizeAndConsent(t.server, b.adminCookie, 'salesforce');
      await t.dataSource.query(`UPDATE crm_oauth_state SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
      expect((await followCallback(t.server, b.adminCookie, late.callback)).searchParams.get('error')).toBe('state_expired');

      // A state started by one admin session cannot be completed without it (or from another workspace's session).
      const stolen = await authorizeAndConsent(t.server, b.adminCookie, 'salesforce');
      expect((await followCallback(t.server, null, stolen.callback)).searchParams.get('error')).toBe('session_mismatch');
      const stolen2 = await authorizeAndConsent(t.server, b.adminCookie, 'salesforce');
      expect((await followCallback(t.server, a.adminCookie, stolen2.callback)).searchParams.get('error')).toBe('session_mismatch');
      expect((await card(b, 'salesforce')).state).toBe('not_connected');

      // Only hashes of states are stored.
      const states = await t.dataSource.query<Array<{ state_hash: string }>>(`SELECT state_hash FROM crm_oauth_state`);
      expect(states.map((s) => s.state_hash)).not.toContain(tampered.callback.searchParams.get('state'));
      await rememberTokens(b, 'hubspot');
    });

    it('builds the authorize URL from configuration with a redirect through the admin origin', async () => {
      const res = await request(t.server).post('/api/connections/salesforce/authorize').set('Cookie', a.adminCookie).expect(200);
      const url = new URL((res.body as { url: string }).url);
      expect(url.origin).toBe(sandbox.salesforce.url);
      expect(url.pathname).toBe('/services/oauth2/authorize');
      expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:5173/api/connections/salesforce/callback');
      expect(url.searchParams.get('state')).toMatch(/^[\w-]{40,}$/);
    });
  });

  describe('access control', () => {
    it('lets members view status but not connect, configure or disconnect', async () => {
      expect((await list(a, a.memberCookie)).find((c) => c.crm === 'hubspot')?.state).toBe('connected');
      await request(t.server).post('/api/connections/hubspot/authorize').set('Cookie', a.memberCookie).expect(403);
      await request(t.server).delete('/api/connections/hubspot').set('Cookie', a.memberCookie).expect(403);
      await request(t.server).post('/api/connections/hubspot/discover').set('Cookie', a.memberCookie).expect(403);
      await request(t.server).put('/api/connections/hubspot/mappings/contacts').set('Cookie', a.memberCookie).send({ rows: [] }).expect(403);
      await request(t.server).post('/api/connections/hubspot/mappings/contacts/reset').set('Cookie', a.memberCookie).expect(403);
      await request(t.server).get('/api/connections/hubspot/mappings/contacts').set('Cookie', a.memberCookie).expect(200);
      await request(t.server).get('/api/connections').expect(401);
      await request(t.server).post('/api/connections/pipedrive/authorize').set('Cookie', a.adminCookie).expect(404);
    });

    it("keeps each workspace's connection to itself", async () => {
      expect((await card(b, 'salesforce')).state).toBe('not_connected');
      await request(t.server).get('/api/connections/salesforce/mappings/contacts').set('Cookie', b.adminCookie).expect(404);
      await request(t.server).delete('/api/connections/salesforce').set('Cookie', b.adminCookie).expect(404);
      expect((await card(a, 'salesforce')).state).toBe('connected');
      expect((await card(b, 'hubspot')).accountId).toBe('20000001');
      expect((await connection(a, 'hubspot')).id).not.toBe((await connection(b, 'hubspot')).id);
    });
  });

  describe('field mapping', () => {
    const url = '/api/connections/hubspot/mappings/contacts';
    const get = async () => (await request(t.server).get(url).set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
    const withRow = (rows: MappingRowDto[], conduitField: string, crmField: string) => rows.map((r) => (r.conduitField === conduitField ? { ...r, crmField } : r));

    it('starts from the defaults, listing the Person fields and the writable HubSpot properties', async () => {
      const m = await get();
      expect(m.isDefault).toBe(true);
      expect(m.crmObject).toBe('contacts');
      expect(m.rows.find((r) => r.conduitField === 'qualificationReasoning')).toMatchObject({ crmField: 'conduit_qualification_reasoning', importPriority: 'conduit', exportBehaviour: 'overwrite' });
      expect(m.conduitFields.map((f) => f.name)).toEqual(expect.arrayContaining(['firstName', 'email', 'jobTitle', 'qualificationReasoning']));
      expect(m.fields.filter((f) => !f.readOnly).length).toBeGreaterThan(50);
      expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    });

    it('saves a mapping to a custom field and keeps it', async () => {
      const m = await get();
      const res = await request(t.server).put(url).set('Cookie', a.adminCookie).send({ rows: withRow(m.rows, 'qualificationReasoning', 'conduit_personalized_opener') });
      expect(res.body).toMatchObject({ crm: 'hubspot' });
      expect((res.body as ConnectionMappingDto).isDefault).toBe(false);
      expect((await get()).rows.find((r) => r.conduitField === 'qualificationReasoning')?.crmField).toBe('conduit_personalized_opener');
    });

    it('refuses unknown and read-only fields, naming the row and why', async () => {
      const m = await get();
      const unknown = await request(t.server).put(url).set('Cookie', a.adminCookie).send({ rows: withRow(m.rows, 'jobTitle', 'no_such_property') }).expect(400);
      expect(unknown.body.message).toMatch(/Row \d+ \(jobTitle → no_such_property\)/);
      expect(unknown.body.errors[0].field).toMatch(/^rows\.\d+\.crmField$/);
      const readOnly = await request(t.server).put(url).set('Cookie', a.adminCookie).send({ rows: withRow(m.rows, 'city', 'hs_object_id') }).expect(400);
      expect(readOnly.body.message).toMatch(/city → hs_object_id.*read-only/);
      // Nothing was saved.
      expect((await get()).rows.find((r) => r.conduitField === 'city')?.crmField).toBe('city');
    });

    it('saves a type mismatch with a warning', async () => {
      const m = await get();
      const res = await request(t.server).put(url).set('Cookie', a.adminCookie).send({ rows: withRow(m.rows, 'jobTitle', 'conduit_score') }).expect(200);
      const saved = res.body as ConnectionMappingDto;
      expect(saved.rows.find((r) => r.conduitField === 'jobTitle')?.crmField).toBe('conduit_score');
      expect(saved.issues).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'type_mismatch' }));
    });

    it('resets to the defaults', async () => {
      const res = await request(t.server).post(`${url}/reset`).set('Cookie', a.adminCookie).expect(200);
      expect((res.body as ConnectionMappingDto).isDefault).toBe(true);
      expect((await get()).rows.find((r) => r.conduitField === 'jobTitle')?.crmField).toBe('jobtitle');
    });

    it('validates bodies', async () => {
      await request(t.server).put(url).set('Cookie', a.adminCookie).send({ rows: [{ conduitField: 'email', crmField: 'email', importPriority: 'sometimes', exportBehaviour: 'overwrite' }] }).expect(400);
      await request(t.server).get('/api/connections/hubspot/mappings/deals').set('Cookie', a.adminCookie).expect(404);
    });
  });

  describe('drift', () => {
    it('records HubSpot properties added and removed since the last discovery, and flags a mapped field that disappeared', async () => {
      const url = '/api/connections/hubspot/mappings/contacts';
      const m = (await request(t.server).get(url).set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
      await request(t.server)
        .put(url)
        .set('Cookie', a.adminCookie)
        .send({ rows: m.rows.map((r) => (r.conduitField === 'qualificationReasoning' ? { ...r, crmField: 'conduit_intent_signals' } : r)) })
        .expect(200);
      sandbox.hubspot.control.addProperty('contacts', { name: 'drift_added_field', label: 'Drift added', type: 'string', fieldType: 'text' });
      sandbox.hubspot.control.removeProperty('contacts', 'conduit_intent_signals');

      const res = await request(t.server).post('/api/connections/hubspot/discover').set('Cookie', a.adminCookie).expect(200);
      const contacts = (res.body as ConnectionDto).discovery.find((d) => d.object === 'contacts')!;
      expect(contacts.drift).toMatchObject({ added: ['drift_added_field'], removed: ['conduit_intent_signals'] });
      expect(contacts.driftDetectedAt).not.toBeNull();

      const after = (await request(t.server).get(url).set('Cookie', a.adminCookie).expect(200)).body as ConnectionMappingDto;
      expect(after.missingFields).toEqual(['conduit_intent_signals']);
      expect(after.issues.some((i) => i.code === 'unknown_crm_field' && i.field === 'conduit_intent_signals')).toBe(true);
      expect(after.drift?.removed).toEqual(['conduit_intent_signals']);
      await request(t.server).post(`${url}/reset`).set('Cookie', a.adminCookie).expect(200);
    });

    it('records Salesforce fields added and removed on Lead', async () => {
      sandbox.salesforce.control.addField('Lead', { name: 'Drift_Test__c', type: 'string', length: 80 });
      sandbox.salesforce.control.removeField('Lead', 'Conduit_Score__c');
      const res = await request(t.server).post('/api/connections/salesforce/discover').set('Cookie', a.adminCookie).expect(200);
      const lead = (res.body as ConnectionDto).discovery.find((d) => d.object === 'Lead')!;
      expect(lead.drift).toMatchObject({ added: ['Drift_Test__c'], removed: ['Conduit_Score__c'] });
      expect((res.body as ConnectionDto).discovery.find((d) => d.object === 'Account')?.drift).toBeNull();
    });
  });

  describe('secrets', () => {
    it('never stores a token in plaintext (pg_dump of the whole database, and every text/jsonb column)', async () => {
      expect(seenTokens.length).toBeGreaterThanOrEqual(6);
      const { stdout } = await execFileAsync('pg_dump', ['--data-only', '--no-owner', t.config.databaseUrl], { maxBuffer: 64 * 1024 * 1024 });
      expect(stdout).toContain('crm_connection');
      for (const token of seenTokens) expect(stdout).not.toContain(token);

      const columns = await t.dataSource.query<Array<{ table_name: string; column_name: string }>>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'ARRAY', 'character varying')`,
      );
      for (const { table_name, column_name } of columns) {
        for (const token of seenTokens) {
          const [{ n }] = await t.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text LIKE '%' || $1 || '%'`, [token]);
          expect(`${table_name}.${column_name}: ${n}`).toBe(`${table_name}.${column_name}: 0`);
        }
      }
    });

    it('never returns or logs a token', async () => {
      const bodies = [
        JSON.stringify(await list(a)),
        JSON.stringify(await list(b)),
        JSON.stringify((await request(t.server).get('/api/connections/hubspot/mappings/contacts').set('Cookie', a.adminCookie)).body),
        JSON.stringify((await request(t.server).post('/api/connections/salesforce/discover').set('Cookie', a.adminCookie)).body),
      ];
      for (const token of seenTokens) {
        for (const body of bodies) expect(body).not.toContain(token);
        expect(t.logs.text).not.toContain(token);
      }
      expect(bodies[0]).not.toMatch(/token_?enc|accessToken|refreshToken/i);
      // The callback's authorization code and state are redacted from the request log.
      for (const code of seenCodes) expect(t.logs.text).not.toContain(code);
      expect(seenCodes.length).toBeGreaterThan(0);
      expect(t.logs.text).toContain('code=[redacted]');
    });
  });

  describe('disconnect', () => {
    it('revokes at HubSpot, deletes tokens, mapping and cached fields, and reconnecting discovers again', async () => {
      const before = await connection(b, 'hubspot');
      const refresh = creds().revealRefreshToken(before)!;
      const revokes = () => sandbox.hubspot.control.requests().filter((r) => r.method === 'DELETE' && r.path.startsWith('/oauth/v1/refresh-tokens/')).length;
      const revokedBefore = revokes();
      await request(t.server).delete('/api/connections/hubspot').set('Cookie', b.adminCookie).expect(204);
      expect(revokes()).toBe(revokedBefore + 1);
      expect((await card(b, 'hubspot')).state).toBe('not_connected');
      expect(await t.dataSource.getRepository(CrmFieldMapping).countBy({ connectionId: before.id })).toBe(0);
      expect(await t.dataSource.getRepository(CrmFieldSnapshot).countBy({ connectionId: before.id })).toBe(0);
      // The revoked refresh token no longer works at HubSpot.
      const tokenRes = await fetch(`${sandbox.hubspot.url}/oauth/v1/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, client_id: 'conduit-sandbox-hubspot', client_secret: 'sandbox-hubspot-secret', redirect_uri: 'http://127.0.0.1:5173/api/connections/hubspot/callback' }),
      });
      expect(tokenRes.status).toBe(400);
      // Workspace A is untouched.
      expect((await card(a, 'hubspot')).state).toBe('connected');

      expect((await connectCrm(t.server, b.adminCookie, 'hubspot')).searchParams.get('connected')).toBe('hubspot');
      const again = await card(b, 'hubspot');
      expect(again.discovery).toHaveLength(2);
      expect(again.lastDiscoveryAt).not.toBeNull();
      expect((await request(t.server).get('/api/connections/hubspot/mappings/contacts').set('Cookie', b.adminCookie).expect(200)).body.isDefault).toBe(true);
    });

    it('revokes at Salesforce too', async () => {
      const revokes = () => sandbox.salesforce.control.requests().filter((r) => r.path.startsWith('/services/oauth2/revoke')).length;
      const before = revokes();
      expect((await connectCrm(t.server, b.adminCookie, 'salesforce')).searchParams.get('connected')).toBe('salesforce');
      await request(t.server).delete('/api/connections/salesforce').set('Cookie', b.adminCookie).expect(204);
      expect(revokes()).toBe(before + 1);
      expect((await card(b, 'salesforce')).state).toBe('not_connected');
      await request(t.server).delete('/api/connections/salesforce').set('Cookie', b.adminCookie).expect(404);
    });
  });

  describe('HubSpot property for qualification reasoning', () => {
    it('creates conduit_qualification_reasoning on connect when the portal lacks it, so the default mapping is valid', async () => {
      const c = await createWorkspace(t.server, t.dataSource, 'Gamma');
      sandbox.hubspot.control.removeProperty('contacts', 'conduit_qualification_reasoning');
      const creates = () => sandbox.hubspot.control.requests().filter((r) => r.method === 'POST' && r.path === '/crm/v3/properties/contacts').length;
      const before = creates();
      expect((await connectCrm(t.server, c.adminCookie, 'hubspot')).searchParams.get('connected')).toBe('hubspot');
      expect(creates()).toBe(before + 1);
      const snapshot = await t.dataSource.getRepository(CrmFieldSnapshot).findOneByOrFail({ connectionId: (await connection(c, 'hubspot')).id, object: 'contact' });
      expect(snapshot.fields.find((f) => f.name === 'conduit_qualification_reasoning')).toMatchObject({ custom: true, readOnly: false });
      const m = (await request(t.server).get('/api/connections/hubspot/mappings/contacts').set('Cookie', c.adminCookie).expect(200)).body as ConnectionMappingDto;
      expect(m.rows.find((r) => r.conduitField === 'qualificationReasoning')?.crmField).toBe('conduit_qualification_reasoning');
      expect(m.missingFields).toEqual([]);
      expect(m.issues.filter((i) => i.severity === 'error')).toEqual([]);
    });
  });
});
