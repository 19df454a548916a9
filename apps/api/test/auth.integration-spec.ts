import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Session } from '../src/auth/session.entity.js';
import { User } from '../src/users/user.entity.js';
import { createWorkspace, login, PASSWORD, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Method = 'get' | 'post' | 'patch' | 'delete';
const PUBLIC_ROUTES = new Set(['post /api/auth/login', 'get /api/health']);
const ADMIN_ROUTES: [Method, string][] = [
  ['post', '/api/team'],
  ['patch', '/api/team/:id'],
  ['delete', '/api/team/:id'],
  ['post', '/api/api-keys'],
  ['get', '/api/api-keys'],
  ['delete', '/api/api-keys/:id'],
  ['post', '/api/jobs/recount-workspace'],
];

let t: TestApp;
let a: TestWorkspace;
let b: TestWorkspace;

beforeAll(async () => {
  t = await startTestApp();
  a = await createWorkspace(t.server, t.dataSource, 'Alpha');
  b = await createWorkspace(t.server, t.dataSource, 'Beta');
});

afterAll(async () => {
  await t?.close();
});

/** Every operation of the OpenAPI document: new routes are covered by the 401 test without editing it. */
async function documentedRoutes(): Promise<[Method, string][]> {
  const res = await request(t.server).get('/api/docs-json').expect(200);
  const paths = (res.body as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m as Method, path.replace(/\{(\w+)\}/g, ':$1')] as [Method, string]));
}

const fill = (path: string) => path.replace(':id', randomUUID());

describe('authentication', () => {
  it('answers 401 on every protected route without credentials, or with a bad cookie or key', async () => {
    const routes = (await documentedRoutes()).filter(([m, p]) => !PUBLIC_ROUTES.has(`${m} ${p}`));
    expect(routes.length).toBeGreaterThanOrEqual(24);
    for (const [method, path] of routes) {
      const url = fill(path);
      const none = await request(t.server)[method](url).send({});
      expect({ route: `${method} ${path}`, status: none.status }).toEqual({ route: `${method} ${path}`, status: 401 });
      expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect((await request(t.server)[method](url).set('Cookie', 'conduit_session=forged').send({})).status).toBe(401);
      expect((await request(t.server)[method](url).set('Authorization', 'Bearer cdk_forged_key').send({})).status).toBe(401);
    }
    expect((await request(t.server).get('/api/admin/queues')).status).toBe(401);
  });

  it('logs in with an httpOnly SameSite=Lax cookie, answers /me, and logs out', async () => {
    const res = await request(t.server).post('/api/auth/login').send({ email: a.admin.email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(res.body).toEqual({
      user: { id: a.admin.id, name: a.admin.name, email: a.admin.email, role: 'admin', createdAt: expect.any(String) },
      workspace: { id: a.id, name: 'Alpha' },
    });
    const cookieHeader = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('conduit_session='))!;
    expect(cookieHeader).toMatch(/HttpOnly/i);
    expect(cookieHeader).toMatch(/SameSite=Lax/i);
    const cookie = cookieHeader.split(';')[0]!;
    const token = cookie.split('=')[1]!;
    // Only the hash is stored.
    const stored = await t.dataSource.getRepository(Session).find({ where: { userId: a.admin.id } });
    expect(stored.some((s) => s.tokenHash === token)).toBe(false);
    expect(stored.every((s) => /^[0-9a-f]{64}$/.test(s.tokenHash))).toBe(true);

    const me = await request(t.server).get('/api/auth/me').set('Cookie', cookie).expect(200);
    expect(me.body).toEqual(res.body);
    await request(t.server).post('/api/auth/logout').set('Cookie', cookie).expect(204);
    await request(t.server).get('/api/auth/me').set('Cookie', cookie).expect(401);
  });

  it('refuses wrong passwords and unknown emails alike', async () => {
    const wrong = await request(t.server).post('/api/auth/login').send({ email: a.admin.email, password: 'nope-nope' }).expect(401);
    const unknown = await request(t.server).post('/api/auth/login').send({ email: 'ghost@nowhere.test', password: 'nope-nope' }).expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('answers 429 after 10 failed sign-ins for one email, even with the right password, and not for others', async () => {
    const target = await createWorkspace(t.server, t.dataSource, 'Gamma');
    // From one network of its own (the per-network limit is tested in security.integration-spec.ts).
    const from = '198.18.0.10';
    for (let i = 0; i < 10; i++) {
      await request(t.server).post('/api/auth/login').set('X-Forwarded-For', from).send({ email: target.member.email, password: `guess-${i}` }).expect(401);
    }
    const blocked = await request(t.server).post('/api/auth/login').set('X-Forwarded-For', from).send({ email: target.member.email.toUpperCase(), password: PASSWORD }).expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    await login(t.server, target.admin.email);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const attempt = (password: string) => request(t.server).post('/api/auth/login').set('X-Forwarded-For', '198.18.0.11').send({ email: b.admin.email, password });
    for (let i = 0; i < 9; i++) await attempt('wrong-pass').expect(401);
    await attempt(PASSWORD).expect(200);
    for (let i = 0; i < 9; i++) await attempt('wrong-pass').expect(401);
    await attempt(PASSWORD).expect(200);
  });

  it('validates the login body', async () => {
    const res = await request(t.server).post('/api/auth/login').send({ email: 'not-an-email', extra: 1 }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'Validation failed' });
    const fields = (res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['email', 'extra', 'password']);
  });
});

describe('roles', () => {
  it('forbids members every admin-only route (403)', async () => {
    for (const [method, path] of ADMIN_ROUTES) {
      const res = await request(t.server)[method](fill(path)).set('Cookie', a.memberCookie).send({});
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status: 403 });
    }
    await request(t.server).get('/api/admin/queues').set('Cookie', a.memberCookie).expect(403);
  });

  it('lets members read the team and their workspace data', async () => {
    const res = await request(t.server).get('/api/team').set('Cookie', a.memberCookie).expect(200);
    expect((res.body as { id: string }[]).map((u) => u.id).sort()).toEqual([a.admin.id, a.member.id].sort());
    await request(t.server).get('/api/people').set('Cookie', a.memberCookie).expect(200);
  });
});

describe('team', () => {
  it('creates, updates and removes members (admin), never returning the password', async () => {
    const created = await request(t.server)
      .post('/api/team')
      .set('Cookie', a.adminCookie)
      .send({ name: 'New Rep', email: 'new.rep@alpha.test', role: 'member', password: 'new-rep-password' })
      .expect(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'New Rep', email: 'new.rep@alpha.test', role: 'member', createdAt: expect.any(String) });
    const id = (created.body as { id: string }).id;
    const repCookie = await login(t.server, 'new.rep@alpha.test', 'new-rep-password');

    const updated = await request(t.server).patch(`/api/team/${id}`).set('Cookie', a.adminCookie).send({ role: 'admin', name: 'Lead Rep' }).expect(200);
    expect(updated.body).toMatchObject({ id, name: 'Lead Rep', role: 'admin' });
    // A password change signs the user out.
    await request(t.server).patch(`/api/team/${id}`).set('Cookie', a.adminCookie).send({ password: 'another-password' }).expect(200);
    await request(t.server).get('/api/auth/me').set('Cookie', repCookie).expect(401);

    await request(t.server).delete(`/api/team/${id}`).set('Cookie', a.adminCookie).expect(204);
    expect(await t.dataSource.getRepository(User).existsBy({ id })).toBe(false);
    for (const body of [created.body, updated.body]) expect(JSON.stringify(body)).not.toMatch(/password/i);
  });

  it('refuses duplicate emails (409), bad bodies (400) and removing the last admin or oneself', async () => {
    // Unique within the workspace (an email of another workspace is not refused: see security.integration-spec.ts, finding 6).
    const dup = await request(t.server).post('/api/team').set('Cookie', a.adminCookie).send({ name: 'X', email: a.member.email.toUpperCase(), role: 'member', password: 'long-enough' }).expect(409);
    expect(dup.body).toMatchObject({ statusCode: 409, errors: [{ field: 'email', messages: expect.any(Array) }] });

    const before = await t.dataSource.getRepository(User).count();
    const bad = await request(t.server).post('/api/team').set('Cookie', a.adminCookie).send({ name: '', email: 'x', role: 'owner', password: 'short' }).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['email', 'name', 'password', 'role']);
    const badPatch = await request(t.server).patch(`/api/team/${a.member.id}`).set('Cookie', a.adminCookie).send({ role: null, unknown: 1 }).expect(400);
    expect((badPatch.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['role', 'unknown']);
    expect(await t.dataSource.getRepository(User).count()).toBe(before);

    await request(t.server).delete(`/api/team/${a.admin.id}`).set('Cookie', a.adminCookie).expect(409);
    await request(t.server).patch(`/api/team/${a.admin.id}`).set('Cookie', a.adminCookie).send({ role: 'member' }).expect(409);
    await request(t.server).patch('/api/team/not-a-uuid').set('Cookie', a.adminCookie).send({ name: 'x' }).expect(404);
  });

  it("cannot see, update or delete another workspace's users (404)", async () => {
    const list = await request(t.server).get('/api/team').set('Cookie', a.adminCookie).expect(200);
    expect((list.body as { id: string }[]).map((u) => u.id)).not.toContain(b.member.id);
    await request(t.server).patch(`/api/team/${b.member.id}`).set('Cookie', a.adminCookie).send({ name: 'Hijacked' }).expect(404);
    await request(t.server).delete(`/api/team/${b.member.id}`).set('Cookie', a.adminCookie).expect(404);
    const still = await t.dataSource.getRepository(User).findOneByOrFail({ id: b.member.id });
    expect(still.name).toBe(b.member.name);
  });
});

describe('API keys', () => {
  it('returns the key once, stores only its hash, authenticates as the workspace, and stops on revoke', async () => {
    const created = await request(t.server).post('/api/api-keys').set('Cookie', a.adminCookie).send({ name: 'Zapier' }).expect(201);
    const { key, id, prefix } = created.body as { key: string; id: string; prefix: string };
    expect(key.startsWith(`${prefix}_`)).toBe(true);

    const list = await request(t.server).get('/api/api-keys').set('Cookie', a.adminCookie).expect(200);
    expect(list.body).toEqual([{ id, name: 'Zapier', prefix, createdAt: expect.any(String), lastUsedAt: null, revokedAt: null }]);
    expect(JSON.stringify(list.body)).not.toContain(key);
    const [row] = await t.dataSource.query<{ key_hash: string }[]>('SELECT key_hash FROM api_key WHERE id = $1', [id]);
    expect(row?.key_hash).not.toBe(key);

    const people = await request(t.server).get('/api/people').set('Authorization', `Bearer ${key}`).expect(200);
    expect(people.body).toMatchObject({ total: 0, items: [] });
    // Machine callers are member-like and have no user session.
    await request(t.server).post('/api/api-keys').set('Authorization', `Bearer ${key}`).send({ name: 'escalate' }).expect(403);
    await request(t.server).get('/api/auth/me').set('Authorization', `Bearer ${key}`).expect(403);
    const used = await request(t.server).get('/api/api-keys').set('Cookie', a.adminCookie).expect(200);
    expect((used.body as { lastUsedAt: string | null }[])[0]?.lastUsedAt).not.toBeNull();

    await request(t.server).delete(`/api/api-keys/${id}`).set('Cookie', a.adminCookie).expect(204);
    await request(t.server).get('/api/people').set('Authorization', `Bearer ${key}`).expect(401);
    const revoked = await request(t.server).get('/api/api-keys').set('Cookie', a.adminCookie).expect(200);
    expect((revoked.body as { revokedAt: string | null }[])[0]?.revokedAt).not.toBeNull();
  });

  it('validates the create body', async () => {
    const res = await request(t.server).post('/api/api-keys').set('Cookie', a.adminCookie).send({ name: '', scope: 'all' }).expect(400);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['name', 'scope']);
  });

  it("cannot list or revoke another workspace's keys (404)", async () => {
    const other = await request(t.server).post('/api/api-keys').set('Cookie', b.adminCookie).send({ name: 'Beta key' }).expect(201);
    const { id, key } = other.body as { id: string; key: string };
    const list = await request(t.server).get('/api/api-keys').set('Cookie', a.adminCookie).expect(200);
    expect((list.body as { id: string }[]).map((k) => k.id)).not.toContain(id);
    await request(t.server).delete(`/api/api-keys/${id}`).set('Cookie', a.adminCookie).expect(404);
    await request(t.server).get('/api/team').set('Authorization', `Bearer ${key}`).expect(200);
  });
});

describe('secrets in logs', () => {
  it('never writes passwords, session tokens or API keys to the log', async () => {
    const secretPassword = 'log-canary-password-42';
    await request(t.server).post('/api/team').set('Cookie', a.adminCookie).send({ name: 'Canary', email: 'canary@alpha.test', role: 'member', password: secretPassword }).expect(201);
    const cookie = await login(t.server, 'canary@alpha.test', secretPassword);
    await request(t.server).post('/api/auth/login').send({ email: 'canary@alpha.test', password: `${secretPassword}-wrong` }).expect(401);
    const key = ((await request(t.server).post('/api/api-keys').set('Cookie', a.adminCookie).send({ name: 'canary' }).expect(201)).body as { key: string }).key;
    await request(t.server).get('/api/people').set('Authorization', `Bearer ${key}`).expect(200);
    await request(t.server).get('/api/auth/me').set('Cookie', cookie).expect(200);

    const logs = t.logs.text;
    expect(logs).toContain('request completed'); // the capture works
    expect(logs).not.toContain(secretPassword);
    expect(logs).not.toContain(cookie.split('=')[1]!);
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(a.adminCookie.split('=')[1]!);
  });
});
