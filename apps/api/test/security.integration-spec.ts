import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { createWorkspaceCommand } from '../src/cli/create-workspace-command.js';
import { Secret } from '../src/config/secret.js';
import { authorizeAndConsent, followCallback } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, PASSWORD, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Findings of the security probe (issue #20), one block each; each test failed before its fix. */
const OPERATOR_TOKEN = 'operator-token-for-the-security-spec-0123456789';

let sandbox: Sandbox;
let t: TestApp;
let a: TestWorkspace;
let b: TestWorkspace;

beforeAll(async () => {
  sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
  sandbox.hubspot.control.configure({ rateLimit: { enabled: false } });
  t = await startTestApp({ ...crmSandboxConfig(sandbox), operatorToken: new Secret(OPERATOR_TOKEN) });
  a = await createWorkspace(t.server, t.dataSource, 'Alpha');
  b = await createWorkspace(t.server, t.dataSource, 'Beta');
});

afterAll(async () => {
  await t?.close();
  await sandbox?.stop();
});

describe('1. the queue dashboard belongs to the instance operators', () => {
  it("refuses every workspace admin (403): the queues and their jobs are shared by all workspaces", async () => {
    for (const ws of [a, b]) {
      await request(t.server).get('/api/admin/queues').set('Cookie', ws.adminCookie).expect(403);
      await request(t.server).get('/api/admin/queues/api/queues').set('Cookie', ws.adminCookie).expect(403);
      await request(t.server).put('/api/admin/queues/api/queues/maintenance/pause').set('Cookie', ws.adminCookie).expect(403);
    }
    await request(t.server).get('/api/admin/queues/api/queues').set('Cookie', a.memberCookie).expect(403);
  });

  it('opens to the operator token (Bearer, or Basic for a browser) and challenges anyone else', async () => {
    const none = await request(t.server).get('/api/admin/queues/api/queues').expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    await request(t.server).get('/api/admin/queues/api/queues').set('Authorization', 'Bearer wrong-token-wrong-token-wrong-token-00').expect(401);
    await request(t.server).get('/api/admin/queues/api/queues').auth('anyone', 'wrong').expect(401);
    const bearer = await request(t.server).get('/api/admin/queues/api/queues').set('Authorization', `Bearer ${OPERATOR_TOKEN}`).expect(200);
    expect(JSON.stringify(bearer.body)).toContain('maintenance');
    const page = await request(t.server).get('/api/admin/queues').auth('operator', OPERATOR_TOKEN).expect(200);
    expect(page.text).toMatch(/<html/i);
  });
});

describe('8. webhook signatures are credentials in the logs', () => {
  it('redacts x-hubspot-signature-v3 and x-hubspot-signature from the request log', async () => {
    const v3 = 'c2lnbmF0dXJlLXYzLXRoYXQtbXVzdC1ub3QtYmUtbG9nZ2Vk';
    const v1 = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';
    await request(t.server)
      .post('/api/webhooks/hubspot')
      .set('x-hubspot-signature-v3', v3)
      .set('x-hubspot-signature', v1)
      .set('x-hubspot-request-timestamp', String(Date.now()))
      .send([{ subscriptionType: 'contact.creation', objectId: 1, portalId: 1 }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.logs.text).toContain('/api/webhooks/hubspot');
    expect(t.logs.text).not.toContain(v3);
    expect(t.logs.text).not.toContain(v1);
  });
});

describe('7. OAuth state is checked against the session before it is used up', () => {
  it("a callback from another session or none does not spoil the admin's connect attempt", async () => {
    const attempt = await authorizeAndConsent(t.server, b.adminCookie, 'hubspot');
    expect((await followCallback(t.server, null, attempt.callback)).searchParams.get('error')).toBe('session_mismatch');
    expect((await followCallback(t.server, a.adminCookie, attempt.callback)).searchParams.get('error')).toBe('session_mismatch');
    expect((await followCallback(t.server, b.memberCookie, attempt.callback)).searchParams.get('error')).toBe('session_mismatch');
    // The admin who started it still completes it, once.
    expect((await followCallback(t.server, b.adminCookie, attempt.callback)).searchParams.get('connected')).toBe('hubspot');
    expect((await followCallback(t.server, b.adminCookie, attempt.callback)).searchParams.get('error')).toBe('state_replayed');
  });
});

type ErrorBody = { statusCode: number; errors?: { field: string; messages: string[] }[] };
const fieldsOf = (body: unknown): string[] => ((body as ErrorBody).errors ?? []).map((e) => e.field);
const count = async (table: string, workspaceId: string): Promise<number> =>
  Number((await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table} WHERE workspace_id = $1`, [workspaceId]))[0]!.n);

describe('2. characters Postgres cannot store (NUL, unpaired surrogates) are a 400 naming the field', () => {
  const NUL = 'a\u0000b';
  const SURROGATE = 'x\ud800y';

  it('in any string of a JSON body, custom attribute keys and values included', async () => {
    const cases: [string, string, object, string][] = [
      ['post', '/api/people', { firstName: NUL }, 'firstName'],
      ['post', '/api/people', { lastName: SURROGATE }, 'lastName'],
      ['post', '/api/people', { email: 'ok@nul.test', customAttributes: { plan: NUL } }, 'customAttributes.plan'],
      ['post', '/api/people', { email: 'ok@nul.test', customAttributes: { [`k${'\u0000'}`]: 'v' } }, 'customAttributes'],
      ['post', '/api/companies', { name: NUL }, 'name'],
      ['post', '/api/team', { name: NUL, email: 'nul@alpha.test', role: 'member', password: 'long-enough-1' }, 'name'],
      ['post', '/api/api-keys', { name: SURROGATE }, 'name'],
      ['post', '/api/campaigns', { name: NUL }, 'name'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await request(t.server)[method as 'post'](path).set('Cookie', a.adminCookie).send(body);
      expect({ path, field, status: res.status }).toEqual({ path, field, status: 400 });
      expect(fieldsOf(res.body)).toContain(field);
    }
    expect(await count('person', a.id)).toBe(0);
    expect(await count('company', a.id)).toBe(0);
  });

  it('in query strings', async () => {
    for (const [path, field] of [
      ['/api/people?search=%00', 'search'],
      ['/api/people?leadStatus=a%00', 'leadStatus'],
      ['/api/companies?industry=%00x', 'industry'],
      ['/api/companies?search=x%00', 'search'],
    ] as const) {
      const res = await request(t.server).get(path).set('Cookie', a.memberCookie);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(fieldsOf(res.body)).toEqual([field]);
    }
  });

  it('per row in POST /people/bulk and in CSV imports, the good rows stored', async () => {
    const bulk = await request(t.server)
      .post('/api/people/bulk')
      .set('Cookie', a.memberCookie)
      .send({ people: [{ email: 'good1@bulk.test' }, { email: 'bad@bulk.test', jobTitle: NUL }, { email: 'good2@bulk.test', customAttributes: { [SURROGATE]: 1 } }, { email: 'good3@bulk.test' }] })
      .expect(200);
    expect(bulk.body).toEqual({ created: 2, failed: 2, errors: [expect.objectContaining({ index: 1 }), expect.objectContaining({ index: 2 })] });
    const rowFields = (bulk.body as { errors: { errors: { field: string }[] }[] }).errors.map((e) => e.errors.map((f) => f.field));
    expect(rowFields).toEqual([['jobTitle'], ['customAttributes']]);

    const csv = `email,first name,plan\ngood1@csv.test,Ada,pro\nbad@csv.test,Gr\u0000ace,pro\ngood2@csv.test,Alan,f\u0000ree\ngood3@csv.test,Joan,team\n`;
    const imported = await request(t.server).post('/api/people/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(imported.body).toMatchObject({ created: 2, failed: 2 });
    const companies = await request(t.server)
      .post('/api/companies/import-csv')
      .set('Cookie', a.memberCookie)
      .set('Content-Type', 'text/csv')
      .send(`name,domain\nGood Co,good.test\nBad\u0000 Co,bad.test\n`)
      .expect(200);
    expect(companies.body).toMatchObject({ created: 1, failed: 1, errors: [{ index: 1, errors: [{ field: 'name' }] }] });
    const emails = (await t.dataSource.query<{ email: string }[]>(`SELECT email FROM person WHERE workspace_id = $1 ORDER BY email`, [a.id])).map((r) => r.email);
    expect(emails).toEqual(['good1@bulk.test', 'good1@csv.test', 'good3@bulk.test', 'good3@csv.test']);
    await t.dataSource.query(`DELETE FROM person WHERE workspace_id = $1`, [a.id]);
    await t.dataSource.query(`DELETE FROM company WHERE workspace_id = $1`, [a.id]);
  });
});

describe('3. optional means "may be absent", not "may be null", unless null is documented', () => {
  it('refuses null for settings fields (400 naming the field) and leaves the settings as they were', async () => {
    const conn = (await request(t.server).get('/api/connections').set('Cookie', b.adminCookie).expect(200)).body as { crm: string; id?: string; connectionId?: string }[];
    expect(conn.find((c) => c.crm === 'hubspot')).toBeDefined();
    const connectionId = (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = 'hubspot'`, [b.id]))[0]!.id;
    const before = (await request(t.server).get(`/api/sync/connections/${connectionId}/settings`).set('Cookie', b.adminCookie).expect(200)).body as Record<string, unknown>;
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', b.adminCookie).send({ importEnabled: false }).expect(200);

    const cases: [string, string, object, string][] = [
      ['put', '/api/dnc/settings', { openDeals: null }, 'openDeals'],
      ['put', '/api/dnc/settings', { domains: null }, 'domains'],
      ['put', '/api/connections/hubspot/export-settings', { autoExport: null }, 'autoExport'],
      ['put', '/api/connections/hubspot/activity-settings', { label: null }, 'label'],
      ['put', `/api/sync/connections/${connectionId}/settings`, { importEnabled: null }, 'importEnabled'],
      ['put', `/api/sync/connections/${connectionId}/settings`, { intervalMinutes: null }, 'intervalMinutes'],
      ['patch', `/api/team/${b.member.id}`, { name: null }, 'name'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await request(t.server)[method as 'put'](path).set('Cookie', b.adminCookie).send(body);
      expect({ path, field, status: res.status }).toEqual({ path, field, status: 400 });
      expect(fieldsOf(res.body)).toEqual([field]);
    }
    const after = (await request(t.server).get(`/api/sync/connections/${connectionId}/settings`).set('Cookie', b.adminCookie).expect(200)).body as Record<string, unknown>;
    expect(after).toEqual({ ...before, importEnabled: false });
  });

  it('still lets a documented null clear a value (PATCH /people/:id)', async () => {
    const created = (await request(t.server).post('/api/people').set('Cookie', b.memberCookie).send({ email: 'nullable@beta.test', jobTitle: 'CTO' }).expect(201)).body as { id: string };
    const patched = await request(t.server).patch(`/api/people/${created.id}`).set('Cookie', b.memberCookie).send({ jobTitle: null }).expect(200);
    expect((patched.body as { jobTitle: unknown }).jobTitle).toBeNull();
    const refused = await request(t.server).patch(`/api/people/${created.id}`).set('Cookie', b.memberCookie).send({ engagementState: null }).expect(400);
    expect(fieldsOf(refused.body)).toEqual(['engagementState']);
  });
});

describe('4. numeric query parameters are bounded', () => {
  it('answers 400 naming the parameter for huge and negative pages', async () => {
    const campaign = (await request(t.server).post('/api/campaigns').set('Cookie', a.memberCookie).send({ name: 'Bounds' }).expect(201)).body as { id: string };
    for (const path of [
      '/api/people?page=99999999999999999999',
      '/api/companies?page=99999999999999999999',
      '/api/activities?page=99999999999999999999',
      `/api/campaigns/${campaign.id}/recipients?page=99999999999999999999`,
      `/api/campaigns/${campaign.id}/recipients/excluded?page=99999999999999999999`,
      '/api/people?pageSize=1e400',
      '/api/sync/runs?limit=99999999999999999999',
    ]) {
      const res = await request(t.server).get(path).set('Cookie', a.memberCookie);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(fieldsOf(res.body)).toHaveLength(1);
    }
  });

  it('documents a maximum for every numeric query parameter of the OpenAPI document', async () => {
    const doc = (await request(t.server).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema?: { type?: string; maximum?: number } }[] }>>;
    };
    const unbounded: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const p of op.parameters ?? []) {
          if (p.in === 'query' && (p.schema?.type === 'integer' || p.schema?.type === 'number') && p.schema.maximum === undefined) unbounded.push(`${method} ${path} ${p.name}`);
        }
      }
    }
    expect(unbounded).toEqual([]);
  });
});

describe('5. login throttling: atomic, per network, and no lockout of the owner', () => {
  const attempt = (email: string, password: string, ip: string) => request(t.server).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('50 parallel wrong passwords get exactly 10 real checks (401s); the other 40 answer 429 unchecked', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => attempt(a.member.email, 'wrong-password', '198.51.100.1')));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect(results.find((r) => r.status === 429)!.headers['retry-after']).toMatch(/^\d+$/);
    // Locked for this network, even with the right password …
    expect((await attempt(a.member.email, PASSWORD, '198.51.100.1')).status).toBe(429);
    // … while the owner, from their own network, signs in.
    expect((await attempt(a.member.email, PASSWORD, '203.0.113.7')).status).toBe(200);
  });

  it('limits one network trying many emails (30 checks), not the others', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 36; i++) statuses.push((await attempt(`nobody-${i}@spray.test`, 'Winter2026!', '192.0.2.50')).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
    // An IPv6 host cannot escape by rotating addresses inside its /64.
    const v6: number[] = [];
    for (let i = 0; i < 32; i++) v6.push((await attempt(`nobody-${i}@spray6.test`, 'x', `2001:db8:1:2::${(i + 1).toString(16)}`)).status);
    expect(v6.filter((s) => s === 401)).toHaveLength(30);
    expect((await attempt(b.admin.email, PASSWORD, '192.0.2.51')).status).toBe(200);
  });

  it('spaces out checks of an account attacked from many networks, without locking its owner out', async () => {
    const target = b.member.email;
    for (let net = 0; net < 5; net++) {
      await Promise.all(Array.from({ length: 10 }, () => attempt(target, 'guess', `10.20.${net}.1`)));
    }
    // Past 50 failures, two simultaneous attempts: one is checked, the other told to retry in a moment.
    const [x, y] = await Promise.all([attempt(target, 'guess', '10.30.0.1'), attempt(target, 'guess', '10.30.0.2')]);
    expect([x.status, y.status].sort()).toEqual([401, 429]);
    const refused = x.status === 429 ? x : y;
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await attempt(target, PASSWORD, '10.40.0.1')).status).toBe(200);
  });
});

describe('9. operators create a workspace with its first admin (API and CLI)', () => {
  const operator = () => ({ Authorization: `Bearer ${OPERATOR_TOKEN}` });
  const workspaces = async () => Number((await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM workspace`))[0]!.n);

  it('creates the workspace and an admin who can sign in with the generated password, shown once', async () => {
    const res = await request(t.server).post('/api/operator/workspaces').set(operator()).send({ name: 'Globex', adminName: 'Hank Scorpio', adminEmail: 'hank@globex.test' }).expect(201);
    const body = res.body as { workspace: { id: string; name: string }; admin: { email: string; role: string }; initialPassword: string };
    expect(body).toMatchObject({ workspace: { name: 'Globex' }, admin: { email: 'hank@globex.test', role: 'admin' } });
    expect(body.initialPassword).toMatch(/^[\w-]{24}$/);
    expect(t.logs.text).not.toContain(body.initialPassword);
    const login = await request(t.server).post('/api/auth/login').send({ email: 'hank@globex.test', password: body.initialPassword }).expect(200);
    expect((login.body as { workspace: { id: string } }).workspace.id).toBe(body.workspace.id);

    const own = await request(t.server).post('/api/operator/workspaces').set(operator()).send({ name: 'Initech', adminName: 'Bill', adminEmail: 'bill@initech.test', adminPassword: 'chosen-by-the-platform' }).expect(201);
    expect(own.body).not.toHaveProperty('initialPassword');
    await request(t.server).post('/api/auth/login').send({ email: 'bill@initech.test', password: 'chosen-by-the-platform' }).expect(200);
  });

  it('validates the body, answers 409 naming adminEmail for a taken email, and creates nothing then', async () => {
    const before = await workspaces();
    const empty = await request(t.server).post('/api/operator/workspaces').set(operator()).send({}).expect(400);
    expect(fieldsOf(empty.body).sort()).toEqual(['adminEmail', 'adminName', 'name']);
    const weak = await request(t.server).post('/api/operator/workspaces').set(operator()).send({ name: 'W', adminName: 'W', adminEmail: 'w@w.test', adminPassword: 'short' }).expect(400);
    expect(fieldsOf(weak.body)).toEqual(['adminPassword']);
    const taken = await request(t.server).post('/api/operator/workspaces').set(operator()).send({ name: 'Dup', adminName: 'Dup', adminEmail: a.member.email.toUpperCase() }).expect(409);
    expect(fieldsOf(taken.body)).toEqual(['adminEmail']);
    expect(await workspaces()).toBe(before);
  });

  it('is closed to workspace admins, API keys and wrong tokens', async () => {
    const body = { name: 'Nope', adminName: 'Nope', adminEmail: 'nope@nope.test' };
    await request(t.server).post('/api/operator/workspaces').send(body).expect(401);
    await request(t.server).post('/api/operator/workspaces').set('Cookie', a.adminCookie).send(body).expect(401);
    await request(t.server).post('/api/operator/workspaces').set('Authorization', 'Bearer not-the-operator-token-not-the-operator-token').send(body).expect(401);
    const key = (await request(t.server).post('/api/api-keys').set('Cookie', a.adminCookie).send({ name: 'probe' }).expect(201)).body as { key: string };
    await request(t.server).post('/api/operator/workspaces').set('Authorization', `Bearer ${key.key}`).send(body).expect(401);
    expect(await t.dataSource.query(`SELECT 1 FROM app_user WHERE email = 'nope@nope.test'`)).toEqual([]);
  });

  it('the CLI does the same, with exit statuses for bad arguments (2) and a taken email (3)', async () => {
    const run = async (argv: string[], stdin = '') => {
      const io = { out: '', err: '' };
      const status = await createWorkspaceCommand(argv, t.config, { readStdin: async () => stdin, out: (s) => void (io.out += s), err: (s) => void (io.err += s) });
      return { status, ...io };
    };
    const ok = await run(['--name', 'Umbrella', '--admin-name', 'Alice', '--admin-email', 'alice@umbrella.test']);
    expect(ok.status).toBe(0);
    const created = JSON.parse(ok.out) as { workspace: { id: string }; initialPassword: string };
    await request(t.server).post('/api/auth/login').send({ email: 'alice@umbrella.test', password: created.initialPassword }).expect(200);

    const piped = await run(['--name', 'Piped', '--admin-name', 'P', '--admin-email', 'p@piped.test', '--admin-password-stdin'], 'from-stdin-password\n');
    expect(piped.status).toBe(0);
    expect(piped.out).not.toContain('initialPassword');
    await request(t.server).post('/api/auth/login').send({ email: 'p@piped.test', password: 'from-stdin-password' }).expect(200);

    const taken = await run(['--name', 'Again', '--admin-name', 'A', '--admin-email', 'ALICE@umbrella.test']);
    expect(taken).toMatchObject({ status: 3, out: '' });
    expect(taken.err).toContain('--admin-email');
    const missing = await run(['--name', 'X']);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/--admin-name[\s\S]*--admin-email|--admin-email[\s\S]*--admin-name/);
    expect((await run(['--bogus'])).status).toBe(2);
  });
});

describe('6. adding a team member never reveals another workspace\'s users', () => {
  it('an email of another workspace is added like any new email; the same email in the own workspace is a 409', async () => {
    const fresh = await request(t.server).post('/api/team').set('Cookie', b.adminCookie).send({ name: 'Fresh', email: 'fresh-person@beta.test', role: 'member', password: 'password-of-beta-1' });
    const other = await request(t.server).post('/api/team').set('Cookie', b.adminCookie).send({ name: 'Same email', email: a.admin.email.toUpperCase(), role: 'member', password: 'password-of-beta-2' });
    expect(other.status).toBe(fresh.status);
    expect(other.status).toBe(201);
    expect(Object.keys(other.body as object).sort()).toEqual(Object.keys(fresh.body as object).sort());
    const again = await request(t.server).post('/api/team').set('Cookie', b.adminCookie).send({ name: 'Twice', email: a.admin.email, role: 'member', password: 'password-of-beta-3' }).expect(409);
    expect(fieldsOf(again.body)).toEqual(['email']);

    // Each account signs in to its own workspace with its own password.
    const inA = await request(t.server).post('/api/auth/login').send({ email: a.admin.email, password: PASSWORD }).expect(200);
    expect((inA.body as { workspace: { id: string } }).workspace.id).toBe(a.id);
    const inB = await request(t.server).post('/api/auth/login').send({ email: a.admin.email, password: 'password-of-beta-2' }).expect(200);
    expect((inB.body as { workspace: { id: string } }).workspace.id).toBe(b.id);
    // Renaming a member to an email of another workspace is not refused either.
    await request(t.server).patch(`/api/team/${(fresh.body as { id: string }).id}`).set('Cookie', b.adminCookie).send({ email: a.member.email }).expect(200);
  });
});
