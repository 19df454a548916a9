import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ReplayServer, fixture } from '../../test/support/replay-server.js';
import { CrmError } from '../errors.js';
import { HubspotAdapter } from './hubspot.adapter.js';
import { mapHubspotError, mapHubspotResponse } from './hubspot.errors.js';
import { hubspotSandboxEndpoints } from './hubspot.metadata.js';
import { refreshHubspotToken } from './hubspot.oauth.js';

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
let recorded: Record<string, Recorded>;
const server = new ReplayServer();

beforeAll(async () => {
  recorded = await fixture(new URL('./__fixtures__/errors.json', import.meta.url));
  await server.start();
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

const mapRecorded = (name: string): CrmError => {
  const r = recorded[name];
  if (!r) throw new Error(`no fixture ${name}`);
  return mapHubspotResponse(r.status, typeof r.body === 'string' ? { message: r.body } : (r.body as never), r.headers);
};

describe('mapHubspotResponse on recorded error bodies', () => {
  it('409 CONFLICT → duplicate with the existing id', () => {
    expect(mapRecorded('conflict').details).toEqual({ kind: 'duplicate', existingId: '9501' });
  });
  it('400 VALIDATION_ERROR → validation, per field, with HubSpot codes and messages', () => {
    const e = mapRecorded('validation');
    expect(e.kind).toBe('validation');
    if (e.details.kind !== 'validation') throw new Error('unreachable');
    expect(e.details.fields.map((f) => [f.field, f.code])).toEqual([
      ['hs_lead_status', 'INVALID_OPTION'],
      ['favourite_colour', 'PROPERTY_DOESNT_EXIST'],
    ]);
    expect(e.details.fields[0]?.message).toMatch(/NOT_A_STATUS was not one of the allowed options/);
  });
  it('400 with errors[] only → validation from errors[].context.propertyName', () => {
    const e = mapRecorded('invalidEmail');
    expect(e.details).toEqual({ kind: 'validation', fields: [{ field: 'email', code: 'INVALID_EMAIL', message: 'Email address not-an-email is invalid' }] });
  });
  it('401 EXPIRED_AUTHENTICATION and INVALID_AUTHENTICATION → auth_expired', () => {
    expect(mapRecorded('expired').kind).toBe('auth_expired');
    expect(mapRecorded('invalidAuth').kind).toBe('auth_expired');
  });
  it('403 MISSING_SCOPES → permission_denied', () => {
    expect(mapRecorded('missingScopes')).toMatchObject({ kind: 'permission_denied', crmCode: 'MISSING_SCOPES' });
  });
  it('404 → not_found', () => {
    expect(mapRecorded('notFound').kind).toBe('not_found');
  });
  it('429 TEN_SECONDLY_ROLLING → rate_limited ten_secondly, Retry-After honoured', () => {
    expect(mapRecorded('tenSecondly').details).toEqual({ kind: 'rate_limited', budget: 'ten_secondly', retryAfterMs: 2000 });
  });
  it('429 DAILY → rate_limited daily, waiting until the day resets', () => {
    const e = mapRecorded('daily');
    expect(e.details).toMatchObject({ kind: 'rate_limited', budget: 'daily' });
    if (e.details.kind === 'rate_limited') expect(e.details.retryAfterMs).toBeGreaterThan(0);
  });
  it('429 SECONDLY (search) → rate_limited secondly', () => {
    expect(mapRecorded('secondly').details).toEqual({ kind: 'rate_limited', budget: 'secondly', retryAfterMs: 1000 });
  });
  it('budget is read from the message when policyName was lost', () => {
    expect(mapHubspotResponse(429, { message: 'You have reached your daily limit.', category: 'RATE_LIMITS' }).details).toMatchObject({ budget: 'daily' });
  });
  it('5xx → transient', () => {
    expect(mapRecorded('internal').details).toEqual({ kind: 'transient', cause: 'server_error' });
    expect(mapRecorded('serverError').details).toEqual({ kind: 'transient', cause: 'server_error' });
  });
  it('network failures → transient; unknown errors → null (rethrown as bugs)', () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    expect(mapHubspotError(reset)?.details).toEqual({ kind: 'transient', cause: 'connection' });
    expect(mapHubspotError(new TypeError('x is not a function'))).toBeNull();
  });
});

describe('HubSpot errors through the real SDK (recorded bodies replayed over HTTP)', () => {
  const adapter = (): HubspotAdapter =>
    new HubspotAdapter({ accessToken: 'tok' }, () => Promise.reject(new Error('no refresh')), { endpoints: hubspotSandboxEndpoints(server.url) });
  const reply = (name: string): void => {
    const r = recorded[name];
    if (!r) throw new Error(name);
    server.reply({ status: r.status, headers: r.headers, body: r.body, ...(r.headers['content-type'] ? { contentType: r.headers['content-type'] } : {}) });
  };

  it.each([
    ['tenSecondly', { kind: 'rate_limited', budget: 'ten_secondly', retryAfterMs: 2000 }],
    ['daily', { kind: 'rate_limited', budget: 'daily' }],
    ['conflict', { kind: 'duplicate', existingId: '9501' }],
    ['notFound', { kind: 'not_found' }],
    ['missingScopes', { kind: 'permission_denied' }],
    ['serverError', { kind: 'transient', cause: 'server_error' }],
    ['internal', { kind: 'transient', cause: 'server_error' }],
  ])('%s', async (name, details) => {
    reply(name);
    const err = await adapter()
      .listOwners()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).details).toMatchObject(details);
    expect((err as CrmError).crm).toBe('hubspot');
  });

  it('validation keeps per-field errors (policy/field details survive the SDK model)', async () => {
    reply('validation');
    const res = await adapter().createMany('contact', [{ properties: { hs_lead_status: 'NOT_A_STATUS' } }]);
    expect(res[0]).toMatchObject({ ok: false });
    const r = res[0];
    if (r && !r.ok) expect(r.error.details).toMatchObject({ kind: 'validation', fields: [{ field: 'hs_lead_status', code: 'INVALID_OPTION' }, { field: 'favourite_colour' }] });
  });

  it('v4 association batch create answered 200 (live API, Aug 2025) instead of the 201 the SDK expects: still a success; numeric ids read as text', async () => {
    const pair = (from: number, to: number): unknown => ({ fromObjectTypeId: '0-1', fromObjectId: from, toObjectTypeId: '0-2', toObjectId: to, labels: [] });
    server.reply({ status: 200, body: { status: 'COMPLETE', results: [pair(101, 201), pair(102, 202)], startedAt: '2025-08-21T18:15:14.990Z', completedAt: '2025-08-21T18:15:15.142Z', links: {}, errors: [] } });
    const res = await adapter().associate([
      { from: { object: 'contact', id: '101' }, to: { object: 'company', id: '201' } },
      { from: { object: 'contact', id: '102' }, to: { object: 'company', id: '202' } },
    ]);
    expect(res).toEqual([{ index: 0, ok: true }, { index: 1, ok: true }]);
    expect(server.requests).toHaveLength(1);
    // The described 201 with string ids reads the same.
    server.reply({ status: 201, body: { status: 'COMPLETE', results: [{ fromObjectTypeId: '0-1', fromObjectId: '103', toObjectTypeId: '0-2', toObjectId: '203', labels: [] }], startedAt: '2025-08-21T18:15:14.990Z', completedAt: '2025-08-21T18:15:15.142Z' } });
    expect(await adapter().associate([{ from: { object: 'contact', id: '103' }, to: { object: 'company', id: '203' } }])).toEqual([{ index: 0, ok: true }]);
  });

  it('a batch refused as a whole (400, as real HubSpot does) is split until the bad record stands alone', async () => {
    const created = (id: string, trace: string): unknown => ({
      status: 'COMPLETE',
      results: [{ id, properties: {}, createdAt: '2024-05-01T10:00:00.000Z', updatedAt: '2024-05-01T10:00:00.000Z', archived: false, objectWriteTraceId: trace }],
      startedAt: '2024-05-01T10:00:00.000Z',
      completedAt: '2024-05-01T10:00:00.000Z',
    });
    const v = recorded['validation'];
    const refuse = { status: 400, body: v?.body };
    // [0,1,2] refused → [0,1] refused → [0] created → [1] refused → [2] created
    server.reply(refuse, refuse, { status: 201, body: created('11', '0') }, refuse, { status: 201, body: created('13', '2') });
    const res = await adapter().createMany('contact', [{ properties: { email: 'a@x.example' } }, { properties: { hs_lead_status: 'NOT_A_STATUS' } }, { properties: { email: 'c@x.example' } }]);
    expect(res.map((r) => (r.ok ? r.id : r.error.kind))).toEqual(['11', 'validation', '13']);
    expect(server.requests.map((r) => (JSON.parse(r.body) as { inputs: unknown[] }).inputs.length)).toEqual([3, 2, 1, 1, 1]);
  });

  it('OAuth refresh with a refresh token HubSpot no longer knows → auth_revoked', async () => {
    server.reply({ status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token', correlationId: 'c1', requestId: 'r1' } });
    const cfg = { endpoints: hubspotSandboxEndpoints(server.url), clientId: 'c', clientSecret: 's', redirectUri: 'http://localhost/cb' };
    await expect(refreshHubspotToken(cfg, 'gone')).rejects.toMatchObject({ kind: 'auth_revoked', status: 400 });
    expect(server.requests[0]?.body).toContain('grant_type=refresh_token');
  });

  it('an unreachable HubSpot → transient/connection', async () => {
    const closed = new ReplayServer();
    await closed.start();
    await closed.stop();
    const a = new HubspotAdapter({ accessToken: 't' }, () => Promise.reject(new Error('no')), { endpoints: hubspotSandboxEndpoints(closed.url) });
    await expect(a.listOwners()).rejects.toMatchObject({ details: { kind: 'transient', cause: 'connection' } });
  });

  it('records X-HubSpot-RateLimit-* headers in rateLimitState()', async () => {
    const a = adapter();
    server.reply({
      status: 200,
      headers: { 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': '97', 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-daily': '250000', 'x-hubspot-ratelimit-daily-remaining': '249000' },
      body: { results: [] },
    });
    server.reply({ status: 200, body: { results: [] } });
    await a.listOwners();
    expect(a.rateLimitState()).toMatchObject({ window: { max: 100, remaining: 97, intervalMs: 10000 }, daily: { max: 250000, remaining: 249000 } });
  });

  it('hands every answer that carried rate-limit headers to onRateLimits (daily pair only when sent), nothing for answers without', async () => {
    const seen: unknown[] = [];
    const a = new HubspotAdapter({ accessToken: 't' }, () => Promise.reject(new Error('no')), {
      endpoints: hubspotSandboxEndpoints(server.url),
      onRateLimits: (u) => void seen.push(u),
    });
    server.reply({ status: 200, headers: { 'x-hubspot-ratelimit-max': '110', 'x-hubspot-ratelimit-remaining': '109', 'x-hubspot-ratelimit-daily': '1000', 'x-hubspot-ratelimit-daily-remaining': '640' }, body: { results: [] } });
    server.reply({ status: 200, body: { results: [] } }); // listOwners reads active and archived owners
    await a.listOwners();
    server.reply({ status: 200, headers: { 'x-hubspot-ratelimit-max': '110', 'x-hubspot-ratelimit-remaining': '108' }, body: { results: [] } });
    server.reply({ status: 200, body: { results: [] } });
    await a.listOwners();
    server.reply({ status: 200, body: { results: [] } });
    server.reply({ status: 200, body: { results: [] } });
    await a.listOwners();
    expect(seen).toEqual([
      { window: { max: 110, remaining: 109, intervalMs: 10000 }, daily: { max: 1000, remaining: 640 }, observedAt: expect.any(String) },
      { window: { max: 110, remaining: 108, intervalMs: 10000 }, observedAt: expect.any(String) },
    ]);
    // A listener that throws does not fail the call.
    const b = new HubspotAdapter({ accessToken: 't' }, () => Promise.reject(new Error('no')), {
      endpoints: hubspotSandboxEndpoints(server.url),
      onRateLimits: () => {
        throw new Error('listener bug');
      },
    });
    server.reply({ status: 200, headers: { 'x-hubspot-ratelimit-daily': '1000', 'x-hubspot-ratelimit-daily-remaining': '1' }, body: { results: [] } });
    server.reply({ status: 200, body: { results: [] } });
    await expect(b.listOwners()).resolves.toEqual([]);
  });

  it('refreshes once on 401 EXPIRED_AUTHENTICATION and retries with the new token', async () => {
    let calls = 0;
    const a = new HubspotAdapter(
      { accessToken: 'old' },
      async () => {
        calls += 1;
        return { accessToken: 'fresh' };
      },
      { endpoints: hubspotSandboxEndpoints(server.url) },
    );
    reply('expired');
    server.reply({ status: 200, body: { results: [] } }, { status: 200, body: { results: [] } });
    await expect(a.listOwners()).resolves.toEqual([]);
    expect(calls).toBe(1);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer fresh', 'Bearer fresh']);
  });
});
