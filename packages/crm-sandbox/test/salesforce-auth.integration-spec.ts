import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsforce from 'jsforce';
import { failure, REDIRECT_URI, startSalesforce, type SalesforceHarness } from './salesforce-harness.js';

let sf: SalesforceHarness;

beforeAll(async () => {
  sf = await startSalesforce({ seed: 11 });
});
afterAll(async () => {
  await sf.close();
});

function oauth2(): InstanceType<typeof jsforce.OAuth2> {
  return new jsforce.OAuth2({ clientId: sf.control.clientId, clientSecret: sf.control.clientSecret, redirectUri: REDIRECT_URI, loginUrl: sf.url });
}

/** Drive the authorize page like a browser: GET the page, then POST the form with a decision. */
async function authorize(decision: 'approve' | 'deny', state: string): Promise<URL> {
  const authUrl = oauth2().getAuthorizationUrl({ scope: 'api refresh_token id', state });
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Allow Access?');
  expect(html).toContain('Access and manage your data (api)');
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1] ?? '', (m[2] ?? '').replace(/&amp;/g, '&'));
  const userId = /<option value="([^"]+)">/.exec(html)?.[1] ?? '';
  form.set('user_id', userId);
  form.set('decision', decision);
  const res = await fetch(`${sf.url}/services/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('Salesforce sandbox — OAuth web-server flow', () => {
  it('approves, exchanges the code with jsforce and reads the identity', async () => {
    const redirect = await authorize('approve', 'st-123');
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get('state')).toBe('st-123');
    const code = redirect.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    const conn = new jsforce.Connection({ oauth2: oauth2(), version: '62.0' });
    const userInfo = await conn.authorize(code);
    expect(userInfo.organizationId).toBe(sf.control.orgId);
    expect(conn.instanceUrl).toBe(sf.url);
    expect(conn.refreshToken).toBeTruthy();
    const identity = await conn.identity();
    expect(identity).toMatchObject({ organization_id: sf.control.orgId, user_id: userInfo.id });
    expect(identity.username).toMatch(/@northwind-demo\.com$/);
    const res = await conn.query('SELECT COUNT() FROM Lead');
    expect(res.totalSize).toBe(250);
    // A code is single-use.
    const again = await failure(oauth2().requestToken(code));
    expect(again.name).toBe('invalid_grant');
  });

  it('returns the raw token response with the fields jsforce needs', async () => {
    const redirect = await authorize('approve', 's2');
    const token = (await oauth2().requestToken(redirect.searchParams.get('code') ?? '')) as unknown as Record<string, string>;
    for (const key of ['access_token', 'refresh_token', 'instance_url', 'id', 'issued_at', 'signature', 'token_type', 'scope']) expect(token[key]).toBeTruthy();
    expect(token['id']).toMatch(new RegExp(`/id/${sf.control.orgId}/005`));
    const refreshed = (await oauth2().refreshToken(token['refresh_token'] ?? '')) as unknown as Record<string, string>;
    expect(refreshed['access_token']).not.toBe(token['access_token']);
    expect(refreshed['refresh_token']).toBeUndefined();
    const userinfo = await fetch(`${sf.url}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${refreshed['access_token'] ?? ''}` } });
    expect(((await userinfo.json()) as { organization_id: string }).organization_id).toBe(sf.control.orgId);
  });

  it('accepts client credentials as HTTP Basic on the token endpoint', async () => {
    const redirect = await authorize('approve', 's3');
    const basic = Buffer.from(`${sf.control.clientId}:${sf.control.clientSecret}`).toString('base64');
    const res = await fetch(`${sf.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: redirect.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { instance_url: string }).instance_url).toBe(sf.url);
  });

  it('denies with error=access_denied and the state', async () => {
    const redirect = await authorize('deny', 'st-deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('st-deny');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('rejects bad codes, secrets, refresh tokens and redirect URIs', async () => {
    expect((await failure(oauth2().requestToken('bogus'))).name).toBe('invalid_grant');
    const wrongSecret = new jsforce.OAuth2({ clientId: sf.control.clientId, clientSecret: 'nope', redirectUri: REDIRECT_URI, loginUrl: sf.url });
    expect((await failure(wrongSecret.requestToken('bogus'))).name).toBe('invalid_client');
    expect((await failure(oauth2().refreshToken('bogus'))).name).toBe('invalid_grant');
    const page = await fetch(`${sf.url}/services/oauth2/authorize?response_type=code&client_id=${sf.control.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`);
    expect(page.status).toBe(400);
  });

  it('revokes refresh tokens so jsforce can no longer refresh', async () => {
    const conn = sf.connect();
    await oauth2().revokeToken(conn.refreshToken ?? '');
    expect((await failure(oauth2().revokeToken('never-issued'))).name).toBe('unsupported_token_type');
    sf.control.expireTokens();
    const err = await failure(conn.query('SELECT Id FROM Lead LIMIT 1'));
    expect(err.message).toBe('Unable to refresh session due to: expired access/refresh token');
  });
});

describe('Salesforce sandbox — sessions', () => {
  it('answers 401 INVALID_SESSION_ID; jsforce refreshes (refresh event) and the retry succeeds', async () => {
    const conn = sf.connect();
    const refreshed: string[] = [];
    conn.on('refresh', (token: string) => refreshed.push(token));
    const first = conn.accessToken;
    sf.control.expireTokens(first ?? undefined);
    const res = await conn.query('SELECT Id FROM Lead LIMIT 1');
    expect(res.records.length).toBe(1);
    expect(refreshed.length).toBe(1);
    expect(conn.accessToken).toBe(refreshed[0]);
    expect(conn.accessToken).not.toBe(first);
    const stats = sf.control.requests().filter((r) => r.status === 401);
    expect(stats.length).toBeGreaterThan(0);
  });

  it('expires sessions after the configured lifetime', async () => {
    const conn = sf.connect({ expiresInSec: 1 });
    const raw = await fetch(`${sf.url}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${conn.accessToken ?? ''}` } });
    expect(raw.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await fetch(`${sf.url}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${conn.accessToken ?? ''}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('mints tokens over the HTTP control API', async () => {
    const res = await fetch(`${sf.url}/__sandbox/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({}) });
    expect(res.status).toBe(201);
    const token = (await res.json()) as { accessToken: string; identityPath: string };
    expect(token.identityPath).toMatch(/^\/id\/00D/);
    const ok = await fetch(`${sf.url}/services/data/v62.0/sobjects`, { headers: { Authorization: `Bearer ${token.accessToken}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
  });
});
