import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { seedDemo } from '../src/seed/seed.js';
import { DEMO_PASSWORD } from '../src/seed/demo-data.js';
import { createWorkspace, login, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let a: TestWorkspace;

beforeAll(async () => {
  t = await startTestApp();
  a = await createWorkspace(t.server, t.dataSource, 'Alpha');
});

afterAll(async () => {
  await t?.close();
});

describe('platform', () => {
  it('reports postgres and redis up without authentication', async () => {
    const res = await request(t.server).get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
  });

  it('serves the OpenAPI document and the Swagger UI', async () => {
    const res = await request(t.server).get('/api/docs-json').expect(200);
    const doc = res.body as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/login', '/api/people', '/api/people/{id}', '/api/people/bulk', '/api/people/import-csv', '/api/companies', '/api/team', '/api/api-keys', '/api/health', '/api/jobs/{id}']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'cookie']);
    // API-key auth described (#21): the scheme says what a key is and where one comes from; every route takes a key or
    // the session; public routes need nothing, session-only ones the cookie.
    expect(doc.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'cdk_…', description: expect.stringMatching(/API key.*POST \/api\/api-keys/) });
    const full = res.body as { security: unknown; paths: Record<string, Record<string, { security?: unknown; 'x-conduit-auth'?: unknown }>> };
    expect(full.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(full.paths['/api/auth/login']!['post']!.security).toEqual([]);
    expect(full.paths['/api/health']!['get']!.security).toEqual([]);
    expect(full.paths['/api/auth/me']!['get']!.security).toEqual([{ cookie: [] }]);
    expect(full.paths['/api/people']!['get']!.security).toBeUndefined();
    expect(JSON.stringify(full)).not.toContain('x-conduit-auth');
    const ui = await request(t.server).get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('allows the admin origin with credentials (CORS)', async () => {
    const res = await request(t.server).options('/api/people').set('Origin', t.config.adminOrigin).set('Access-Control-Request-Method', 'GET').expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(t.config.adminOrigin);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const other = await request(t.server).options('/api/people').set('Origin', 'https://evil.test').set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).not.toBe('https://evil.test');
  });

  it('mounts Bull Board for the instance operators only (none configured here: closed to everyone)', async () => {
    await request(t.server).get('/api/admin/queues').expect(401);
    await request(t.server).get('/api/admin/queues').set('Cookie', a.memberCookie).expect(403);
    await request(t.server).get('/api/admin/queues').set('Cookie', a.adminCookie).expect(403);
    await request(t.server).get('/api/admin/queues/api/queues').set('Authorization', 'Bearer anything-anything-anything-anything').expect(401);
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await request(t.server).get('/api/nope').set('Cookie', a.memberCookie).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('has migrations in sync with the entities (no pending schema change)', async () => {
    const log = await t.dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('seeds the demo workspace idempotently, and its admin can log in', async () => {
    const first = await seedDemo(t.dataSource);
    expect(first.created).toEqual({ workspaces: 1, users: 2, companies: 15, people: 60 });
    const second = await seedDemo(t.dataSource);
    expect(second).toEqual({ workspaceId: first.workspaceId, created: { workspaces: 0, users: 0, companies: 0, people: 0 } });
    const cookie = await login(t.server, 'admin@conduit.local', DEMO_PASSWORD);
    const people = await request(t.server).get('/api/people?pageSize=100').set('Cookie', cookie).expect(200);
    const body = people.body as { total: number; items: { engagementState: string; companyId: string | null; city: string | null }[] };
    expect(body.total).toBe(60);
    expect(new Set(body.items.map((p) => p.engagementState)).size).toBe(5);
    expect(body.items.every((p) => p.companyId !== null)).toBe(true);
    expect(new Set(body.items.map((p) => p.city)).size).toBeGreaterThan(8);
    await login(t.server, 'member@conduit.local', DEMO_PASSWORD);
  });
});
