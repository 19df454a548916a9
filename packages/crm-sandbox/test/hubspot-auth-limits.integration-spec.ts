import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { Client, Signature } from '@hubspot/api-client';
import { HUBSPOT_DEMO_APP } from '../src/hubspot/context.js';
import { REDIRECT_URI, startHubspot, sdkError, type HubspotHarness } from './hubspot-harness.js';

const { clientId, clientSecret } = HUBSPOT_DEMO_APP;

/** Fetch the authorize page, then submit its form the way a browser would. */
async function authorize(hs: HubspotHarness, decision: 'approve' | 'deny', state: string): Promise<URL> {
  const page = await fetch(`${hs.url}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&scope=${encodeURIComponent('crm.objects.contacts.read crm.objects.contacts.write')}&state=${state}`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  const html = await page.text();
  expect(html).toContain(HUBSPOT_DEMO_APP.name);
  expect(html).toContain('crm.objects.contacts.write');
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1] ?? '', (m[2] ?? '').replaceAll('&amp;', '&'));
  expect(html).toMatch(/name="decision" value="approve">Approve</);
  expect(html).toMatch(/name="decision" value="deny">Deny</);
  form.set('decision', decision);
  const res = await fetch(new URL(action ?? '', hs.url), { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('HubSpot sandbox: OAuth, tokens, rate limits, faults and webhooks', () => {
  let hs: HubspotHarness;

  beforeAll(async () => {
    hs = await startHubspot();
  });
  afterAll(async () => {
    await hs.close();
  });
  beforeEach(() => {
    hs.control.clearFaults();
    hs.control.configure({ rateLimit: { enabled: false } });
  });

  describe('OAuth', () => {
    it('approve → code → token exchange → CRM call → refresh → access-token info → revoke', async () => {
      const redirect = await authorize(hs, 'approve', 'xyz-123');
      expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
      expect(redirect.searchParams.get('state')).toBe('xyz-123');
      const code = redirect.searchParams.get('code') ?? '';
      expect(code).not.toBe('');

      const anonymous = new Client({ basePath: hs.url });
      const tokens = await anonymous.oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, clientId, clientSecret);
      expect(tokens.expiresIn).toBe(1800);
      expect(tokens.tokenType).toBe('bearer');

      const client = new Client({ accessToken: tokens.accessToken, basePath: hs.url });
      expect((await client.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);

      const reused = await sdkError(anonymous.oauth.tokensApi.create('authorization_code', code, REDIRECT_URI, clientId, clientSecret));
      expect(reused.code).toBe(400);

      const refreshed = await anonymous.oauth.tokensApi.create('refresh_token', undefined, undefined, clientId, clientSecret, tokens.refreshToken);
      expect(refreshed.accessToken).not.toBe(tokens.accessToken);
      const info = await anonymous.oauth.accessTokensApi.get(refreshed.accessToken);
      expect(info.hubId).toBe(hs.control.portalId);
      expect(info.scopes).toEqual(['crm.objects.contacts.read', 'crm.objects.contacts.write']);
      expect(info.expiresIn).toBeGreaterThan(1700);

      await anonymous.oauth.refreshTokensApi.archive(tokens.refreshToken);
      const revoked = await fetch(`${hs.url}/oauth/v1/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: tokens.refreshToken }) });
      expect(revoked.status).toBe(400);
      expect(await revoked.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
      // Access tokens from a revoked refresh token stop working.
      expect((await sdkError(client.crm.contacts.basicApi.getPage(1))).code).toBe(401);
    });

    it('deny → error=access_denied with the state', async () => {
      const redirect = await authorize(hs, 'deny', 'st-9');
      expect(redirect.searchParams.get('error')).toBe('access_denied');
      expect(redirect.searchParams.get('state')).toBe('st-9');
      expect(redirect.searchParams.get('code')).toBeNull();
    });

    it('answers bad codes, secrets, client ids and redirect URIs with HubSpot error bodies', async () => {
      const post = async (fields: Record<string, string>): Promise<{ status: number; body: { status?: string; message?: string; correlationId?: string } }> => {
        const res = await fetch(`${hs.url}/oauth/v1/token`, { method: 'POST', body: new URLSearchParams(fields) });
        return { status: res.status, body: await res.json() as { status?: string } };
      };
      const base = { grant_type: 'authorization_code', client_id: clientId, client_secret: clientSecret, redirect_uri: REDIRECT_URI };
      const badCode = await post({ ...base, code: 'nope' });
      expect(badCode).toMatchObject({ status: 400, body: { status: 'BAD_AUTH_CODE' } });
      expect(badCode.body.correlationId).toBeDefined();
      expect((await post({ ...base, code: 'x', client_id: 'someone-else' })).body.status).toBe('BAD_CLIENT_ID');
      expect((await post({ ...base, code: 'x', client_secret: 'wrong' })).body.status).toBe('BAD_CLIENT_SECRET');
      const code = (await authorize(hs, 'approve', 's')).searchParams.get('code') ?? '';
      expect((await post({ ...base, code, redirect_uri: 'http://localhost:1/other' })).body.status).toBe('BAD_REDIRECT_URI');
      const page = await fetch(`${hs.url}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&scope=x`);
      expect(page.status).toBe(400);
    });

    it('401 EXPIRED_AUTHENTICATION after control.expireTokens and INVALID_AUTHENTICATION for unknown tokens', async () => {
      const token = hs.control.mintToken();
      const client = new Client({ accessToken: token.accessToken, basePath: hs.url });
      await client.crm.contacts.basicApi.getPage(1);
      expect(hs.control.expireTokens(token.accessToken)).toBe(1);
      const expired = await sdkError(client.crm.contacts.basicApi.getPage(1));
      expect(expired.code).toBe(401);
      expect(expired.body?.category).toBe('EXPIRED_AUTHENTICATION');
      const unknown = await sdkError(new Client({ accessToken: 'made-up', basePath: hs.url }).crm.contacts.basicApi.getPage(1));
      expect(unknown.body?.category).toBe('INVALID_AUTHENTICATION');
      const short = hs.control.mintToken({ expiresInSec: 1 });
      await new Promise((r) => setTimeout(r, 1100));
      const lapsed = await sdkError(new Client({ accessToken: short.accessToken, basePath: hs.url }).crm.contacts.basicApi.getPage(1));
      expect(lapsed.body?.category).toBe('EXPIRED_AUTHENTICATION');
    });
  });

  describe('rate limits', () => {
    it('sends X-HubSpot-RateLimit headers and 429 TEN_SECONDLY_ROLLING when the window is exhausted', async () => {
      hs.control.configure({ rateLimit: { enabled: true, perTenSeconds: 5, windowMs: 10_000 } });
      const client = hs.client();
      const remaining: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await hs.raw('/crm/v3/objects/contacts?limit=1');
        expect(res.status).toBe(200);
        expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('5');
        expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
        remaining.push(res.headers.get('x-hubspot-ratelimit-remaining') ?? '');
      }
      expect(remaining).toEqual(['4', '3', '2', '1']);
      await client.crm.contacts.basicApi.getPage(1);
      const limited = await sdkError(client.crm.contacts.basicApi.getPage(1));
      expect(limited.code).toBe(429);
      expect(limited.headers['x-hubspot-ratelimit-remaining']).toBe('0');
      const raw = await hs.raw('/crm/v3/objects/contacts?limit=1');
      expect(raw.status).toBe(429);
      expect(await raw.json()).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
      // Control routes are never limited.
      expect((await fetch(`${hs.url}/__sandbox/health`)).status).toBe(200);
    });

    it('limits search separately per second (SECONDLY) and the day (DAILY)', async () => {
      hs.control.configure({ rateLimit: { enabled: true, perTenSeconds: 100, searchPerSecond: 2 } });
      const search = (): Promise<Response> => hs.raw('/crm/v3/objects/contacts/search', { method: 'POST', body: JSON.stringify({ limit: 1 }) });
      expect((await search()).status).toBe(200);
      expect((await search()).status).toBe(200);
      const third = await search();
      expect(third.status).toBe(429);
      expect(await third.json()).toMatchObject({ policyName: 'SECONDLY' });
      expect((await hs.raw('/crm/v3/objects/contacts?limit=1')).status).toBe(200);

      hs.control.configure({ rateLimit: { enabled: true, daily: 2, searchPerSecond: 5 } });
      expect((await hs.raw('/crm/v3/objects/contacts?limit=1')).status).toBe(200);
      const last = await hs.raw('/crm/v3/objects/contacts?limit=1');
      expect(last.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
      const daily = await hs.raw('/crm/v3/objects/contacts?limit=1');
      expect(daily.status).toBe(429);
      expect(await daily.json()).toMatchObject({ policyName: 'DAILY', errorType: 'RATE_LIMIT' });
      hs.control.configure({ rateLimit: { daily: 250_000 } });
    });
  });

  describe('fault injection', () => {
    it('share 1.0 of 503 reaches the SDK as a 503', async () => {
      hs.control.setFaults([{ path: '/crm/v3/objects/contacts', status: 503 }]);
      const err = await sdkError(hs.client().crm.contacts.basicApi.getPage(1));
      expect(err.code).toBe(503);
      expect((await hs.raw('/crm/v3/objects/companies?limit=1')).status).toBe(200);
    });

    it('applies `times` to the next N matching requests only, and the SDK retry recovers', async () => {
      hs.control.setFaults([{ method: 'GET', path: '/^\\/crm\\/v3\\/objects\\/contacts$/', status: 500, times: 2 }]);
      expect((await hs.raw('/crm/v3/objects/contacts?limit=1')).status).toBe(500);
      expect((await hs.raw('/crm/v3/objects/contacts/search', { method: 'POST', body: '{}' })).status).toBe(200);
      const retrying = new Client({ accessToken: hs.control.mintToken().accessToken, basePath: hs.url, numberOfApiCallRetries: 2 });
      expect((await retrying.crm.contacts.basicApi.getPage(1)).results).toHaveLength(1);
      expect((await hs.raw('/crm/v3/objects/contacts?limit=1')).status).toBe(200);
    });

    it('adds latency, hangs and drops connections', async () => {
      hs.control.setFaults([{ path: '/crm/v3/owners', latencyMs: 300 }]);
      const started = Date.now();
      expect((await hs.raw('/crm/v3/owners')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      hs.control.setFaults([{ path: '/crm/v3/owners', hang: true }]);
      await expect(hs.raw('/crm/v3/owners', { signal: AbortSignal.timeout(300) })).rejects.toThrow();
      hs.control.setFaults([{ path: '/crm/v3/owners', drop: true }]);
      await expect(hs.raw('/crm/v3/owners')).rejects.toThrow();
      hs.control.clearFaults();
      expect((await hs.raw('/crm/v3/owners')).status).toBe(200);
    });

    it('is deterministic for a seed', async () => {
      const pattern = async (): Promise<number[]> => {
        hs.control.setFaults([{ path: '/crm/v3/objects/companies', status: 502, share: 0.5 }], 42);
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await hs.raw('/crm/v3/objects/companies?limit=1')).status);
        return out;
      };
      const first = await pattern();
      expect(first).toContain(502);
      expect(first).toContain(200);
      expect(await pattern()).toEqual(first);
    });
  });

  describe('webhooks', () => {
    let receiver: Server;
    let receiverUrl: string;
    const received: { headers: IncomingMessage['headers']; body: string; url: string }[] = [];
    let failFirst = 0;

    beforeAll(async () => {
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
        req.on('end', () => {
          received.push({ headers: req.headers, body, url: req.url ?? '' });
          if (failFirst > 0) {
            failFirst -= 1;
            res.statusCode = 500;
          }
          res.end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/hubspot`;
    });
    afterAll(async () => {
      hs.control.setWebhookTarget(null);
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    it('POSTs creation, propertyChange and deletion events signed with v3 (Signature.isValid accepts them)', async () => {
      hs.control.setWebhookTarget(receiverUrl);
      const client = hs.client();
      const c = await client.crm.contacts.basicApi.create({ properties: { email: 'hook@example.org' }, associations: [] });
      await client.crm.contacts.basicApi.update(c.id, { properties: { firstname: 'Hook' } });
      await client.crm.contacts.basicApi.archive(c.id);
      await hs.control.flushWebhooks();
      const events = received.flatMap((r) => JSON.parse(r.body) as { subscriptionType: string; objectId: number; propertyName?: string; propertyValue?: string; portalId: number; attemptNumber: number; changeSource: string }[]);
      expect(events.map((e) => e.subscriptionType)).toEqual(['contact.creation', 'contact.propertyChange', 'contact.deletion']);
      expect(events.every((e) => e.objectId === Number(c.id) && e.portalId === hs.control.portalId)).toBe(true);
      expect(events[1]).toMatchObject({ propertyName: 'firstname', propertyValue: 'Hook', changeSource: 'INTEGRATION' });
      for (const r of received) {
        const valid = Signature.isValid({
          signatureVersion: 'v3', method: 'POST', clientSecret, requestBody: r.body, url: receiverUrl,
          signature: String(r.headers['x-hubspot-signature-v3']), timestamp: Number(r.headers['x-hubspot-request-timestamp']),
        });
        expect(valid).toBe(true);
        expect(Signature.isValid({ signatureVersion: 'v3', method: 'POST', clientSecret: 'wrong', requestBody: r.body, url: receiverUrl, signature: String(r.headers['x-hubspot-signature-v3']), timestamp: Number(r.headers['x-hubspot-request-timestamp']) })).toBe(false);
      }
    });

    it('retries failed deliveries with backoff and a growing attemptNumber', async () => {
      received.length = 0;
      failFirst = 2;
      hs.control.configure({ webhooks: { retryBaseMs: 20, maxAttempts: 4 } });
      hs.control.createRecord('contacts', { email: 'retry-hook@example.org' });
      await hs.control.flushWebhooks();
      expect(received).toHaveLength(3);
      const attempts = received.map((r) => (JSON.parse(r.body) as { attemptNumber: number; changeSource: string }[])[0]);
      expect(attempts.map((a) => a?.attemptNumber)).toEqual([0, 1, 2]);
      expect(attempts[0]?.changeSource).toBe('CRM_UI');
      expect(hs.control.webhookDeliveries().slice(-3).map((d) => d.status)).toEqual([500, 500, 200]);
    });

    it('gives up after maxAttempts', async () => {
      received.length = 0;
      failFirst = 10;
      hs.control.configure({ webhooks: { retryBaseMs: 5, maxAttempts: 3 } });
      hs.control.createRecord('contacts', { email: 'give-up@example.org' });
      await hs.control.flushWebhooks();
      expect(received).toHaveLength(3);
      failFirst = 0;
    });
  });
});
