import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { Secret } from '../src/config/secret.js';
import { authorizeAndConsent, followCallback } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
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
