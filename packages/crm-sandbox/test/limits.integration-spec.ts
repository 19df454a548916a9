import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Client } from '@hubspot/api-client';
import { failure, startSalesforce, type SalesforceHarness } from './salesforce-harness.js';
import { sdkError, startHubspot, type HubspotHarness } from './hubspot-harness.js';

/** Limits as the CRMs document them, per account type, and the limits' clock that covers a day in a second. */
const control = async <T>(base: string, method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${base}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  expect(res.ok).toBe(true);
  return (await res.json()) as T;
};

describe('HubSpot limits', () => {
  let hs: HubspotHarness;
  beforeAll(async () => {
    hs = await startHubspot({ rateLimit: { enabled: true } });
  });
  afterAll(async () => {
    await hs.close();
  });
  beforeEach(() => {
    // A new rate-limit config starts its counters afresh; the clock goes back to real time.
    hs.control.configure({ rateLimit: { enabled: true, accountType: 'public-app' } });
    hs.control.clock.reset();
  });

  it('a public OAuth app (the default): 110 requests / 10 s, no daily limit and no daily headers', async () => {
    const res = await hs.raw('/crm/v3/objects/contacts?limit=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('109');
    expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(res.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
    expect(res.headers.get('x-hubspot-ratelimit-daily-remaining')).toBeNull();
    // Search answers carry no rate-limit headers at all.
    const search = await hs.raw('/crm/v3/objects/contacts/search', { method: 'POST', body: JSON.stringify({ limit: 1 }) });
    expect(search.status).toBe(200);
    expect([...search.headers.keys()].filter((k) => k.startsWith('x-hubspot-ratelimit'))).toEqual([]);
    expect(await control(hs.url, 'GET', '/__sandbox/usage')).toMatchObject({ daily: null, dailyRemaining: null, perTenSeconds: 110 });
  });

  it.each([
    ['private-starter', '100', '250000'],
    ['private-professional', '190', '625000'],
    ['private-enterprise', '190', '1000000'],
  ])('a %s app: %s / 10 s and %s a day, in the headers', async (accountType, max, daily) => {
    await control(hs.url, 'PUT', '/__sandbox/config', { rateLimit: { accountType } });
    const res = await hs.raw('/crm/v3/owners');
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe(max);
    expect(res.headers.get('x-hubspot-ratelimit-daily')).toBe(daily);
    expect(res.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe(String(Number(daily) - 1));
  });

  it('DAILY 429 once the day is spent (no retry will help), whole again after the clock passes midnight UTC', async () => {
    hs.control.configure({ rateLimit: { accountType: 'private-starter', daily: 3 } });
    const client = hs.client();
    for (let i = 0; i < 3; i++) expect((await hs.raw('/crm/v3/owners')).status).toBe(200);
    const raw = await hs.raw('/crm/v3/owners');
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBeNull();
    expect(raw.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    const body = await raw.json() as Record<string, unknown>;
    expect(body).toEqual({
      status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), groupName: expect.any(String),
    });
    // Through the SDK: an ApiException 429 with the DAILY body (the SDK never retries DAILY).
    const sdk = await sdkError(client.crm.contacts.basicApi.getPage(1));
    expect(sdk.code).toBe(429);
    expect(sdk.body).toMatchObject({ policyName: 'DAILY', errorType: 'RATE_LIMIT' });

    const clock = await control<{ now: string; nextDailyReset: string }>(hs.url, 'GET', '/__sandbox/clock');
    const advanced = await control<{ now: string; offsetMs: number }>(hs.url, 'POST', '/__sandbox/clock/advance', { to: 'next-daily-reset' });
    expect(Date.parse(advanced.now)).toBeGreaterThanOrEqual(Date.parse(clock.nextDailyReset));
    expect(new Date(advanced.now).toISOString().slice(11, 19)).toBe('00:00:00');
    const next = await hs.raw('/crm/v3/owners');
    expect(next.status).toBe(200);
    expect(next.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('2');
    expect(await control(hs.url, 'GET', '/__sandbox/usage')).toMatchObject({ daily: 3, usedToday: 1, dailyRemaining: 2 });
  });

  it('calls another integration spends count against the daily budget (and not against this app’s window)', async () => {
    hs.control.configure({ rateLimit: { accountType: 'private-starter', daily: 1000, perTenSeconds: 5 } });
    expect(await control(hs.url, 'POST', '/__sandbox/usage/spend', { calls: 998 })).toMatchObject({ usedToday: 998, dailyRemaining: 2, windowRemaining: 5 });
    const first = await hs.raw('/crm/v3/owners');
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
    expect(first.headers.get('x-hubspot-ratelimit-remaining')).toBe('4');
    expect((await hs.raw('/crm/v3/owners')).status).toBe(200);
    const spent = await hs.raw('/crm/v3/owners');
    expect(spent.status).toBe(429);
    expect(await spent.json()).toMatchObject({ policyName: 'DAILY' });
    hs.control.advanceToNextDailyReset();
    expect((await hs.raw('/crm/v3/owners')).status).toBe(200);
    const bad = await fetch(`${hs.url}/__sandbox/usage/spend`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ calls: -1 }) });
    expect(bad.status).toBe(400);
  });

  it('search: 5 requests / s per token (SECONDLY), other calls unaffected', async () => {
    const search = (): Promise<Response> => hs.raw('/crm/v3/objects/contacts/search', { method: 'POST', body: JSON.stringify({ limit: 1 }) });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await search()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await hs.raw('/crm/v3/owners')).status).toBe(200);
    // The SDK sees the SECONDLY 429 as an ApiException.
    const client = new Client({ accessToken: hs.control.mintToken().accessToken, basePath: hs.url });
    const limited = await sdkError(client.crm.contacts.searchApi.doSearch({ limit: 1, filterGroups: [] }));
    expect(limited.code).toBe(429);
  });
});

describe('Salesforce limits', () => {
  let sf: SalesforceHarness;
  beforeAll(async () => {
    sf = await startSalesforce({ seed: 4 });
  });
  afterAll(async () => {
    await sf.close();
  });
  beforeEach(() => {
    sf.control.reset();
    sf.control.configure({ edition: 'enterprise', licenses: 0 });
  });

  it('the daily allocation follows the edition and licences (Salesforce’s API request allocations)', async () => {
    expect(sf.control.config()).toMatchObject({ edition: 'enterprise', licenses: 0, dailyApiLimit: 100_000, concurrentLongRequests: 25, longRequestMs: 20_000 });
    expect(sf.control.configure({ licenses: 50 }).dailyApiLimit).toBe(150_000);
    expect(sf.control.configure({ edition: 'unlimited' }).dailyApiLimit).toBe(350_000);
    expect(sf.control.configure({ edition: 'developer' }).dailyApiLimit).toBe(15_000);
    expect(sf.control.configure({ edition: 'enterprise', dailyApiLimit: 7 }).dailyApiLimit).toBe(7);
    const conn = sf.connect();
    await conn.query('SELECT Id FROM Account LIMIT 1');
    const limits = await conn.request<{ DailyApiRequests: { Max: number; Remaining: number } }>('/services/data/v62.0/limits');
    expect(limits.DailyApiRequests).toEqual({ Max: 7, Remaining: 5 });
  });

  it('403 REQUEST_LIMIT_EXCEEDED at the cap with Sforce-Limit-Info, whole again 24 hours on (the clock control)', async () => {
    sf.control.configure({ edition: 'developer' });
    const spent = await control<{ used: number; max: number }>(sf.url, 'POST', '/__sandbox/usage/spend', { calls: 14_999 });
    expect(spent).toEqual({ used: 14_999, max: 15_000 });
    const token = sf.control.mintToken().accessToken;
    const get = (): Promise<Response> => fetch(`${sf.url}/services/data/v62.0/sobjects/Lead/describe`, { headers: { authorization: `Bearer ${token}` } });
    const last = await get();
    expect(last.status).toBe(200);
    expect(last.headers.get('sforce-limit-info')).toBe('api-usage=15000/15000');
    const over = await get();
    expect(over.status).toBe(403);
    expect(await over.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(over.headers.get('sforce-limit-info')).toBe('api-usage=15000/15000');
    // jsforce surfaces it as REQUEST_LIMIT_EXCEEDED.
    const err = await failure(sf.connect().query('SELECT Id FROM Lead LIMIT 1'));
    expect(err.errorCode ?? err.name).toBe('REQUEST_LIMIT_EXCEEDED');

    const advanced = await control<{ offsetMs: number }>(sf.url, 'POST', '/__sandbox/clock/advance', { to: 'next-daily-reset' });
    expect(advanced.offsetMs).toBeGreaterThan(86_400_000);
    const after = await get();
    expect(after.status).toBe(200);
    expect(after.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
  });

  it('the allocation is a rolling 24 hours: calls expire a day after they were made', async () => {
    sf.control.configure({ dailyApiLimit: 10 });
    sf.control.spendApiCalls(6);
    sf.control.clock.advance(12 * 3600_000);
    sf.control.spendApiCalls(4);
    expect(sf.control.apiUsage()).toEqual({ used: 10, max: 10 });
    sf.control.clock.advance(12 * 3600_000 + 60_000);
    expect(sf.control.apiUsage()).toEqual({ used: 4, max: 10 });
    sf.control.advanceToNextDailyReset();
    expect(sf.control.apiUsage()).toEqual({ used: 0, max: 10 });
  });

  it('refuses new requests while the org has too many long-running ones (ConcurrentPerOrgLongTxn)', async () => {
    sf.control.configure({ concurrentLongRequests: 2, longRequestMs: 150 });
    // The two held requests have 1.5 s; the third comes 700 ms in, when both have run longer than 150 ms even if
    // they reached the server late on a busy machine.
    sf.control.setFaults([{ path: '/services/data/v62.0/sobjects/Account/describe', latencyMs: 1500, times: 2 }]);
    const token = sf.control.mintToken().accessToken;
    const call = (path: string): Promise<Response> => fetch(`${sf.url}/services/data/v62.0${path}`, { headers: { authorization: `Bearer ${token}` } });
    const long = [call('/sobjects/Account/describe'), call('/sobjects/Account/describe')].map((p) => p.then(async (r) => ({ status: r.status, body: await r.text() })));
    await new Promise((r) => setTimeout(r, 700));
    const refused = await call('/sobjects/Lead/describe');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual([{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect((await Promise.all(long)).map((r) => r.status)).toEqual([200, 200]);
    sf.control.clearFaults();
    expect((await call('/sobjects/Lead/describe')).status).toBe(200);
  });
});
