import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ReplayServer, fixture } from '../../test/support/replay-server.js';
import { CrmError } from '../errors.js';
import { SalesforceAdapter, decodeSalesforceCursor, encodeSalesforceCursor, packValues, soqlString, uriLength } from './salesforce.adapter.js';
import { type SalesforceErrorItem, mapSalesforceErrors, mapSalesforceOAuthError } from './salesforce.errors.js';
import { salesforceSandboxEndpoints } from './salesforce.metadata.js';

interface Recorded {
  status: number;
  body: unknown;
  contentType?: string;
}
let recorded: Record<string, Recorded>;
const server = new ReplayServer();

beforeAll(async () => {
  recorded = await fixture(new URL('./__fixtures__/errors.json', import.meta.url));
  await server.start();
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

function adapter(refresh: () => Promise<{ accessToken: string; instanceUrl?: string }> = () => Promise.reject(new Error('no refresh'))): SalesforceAdapter {
  return new SalesforceAdapter({ accessToken: 'tok', instanceUrl: server.url }, refresh, { endpoints: salesforceSandboxEndpoints(server.url) });
}
const reply = (name: string): void => {
  const r = recorded[name];
  if (!r) throw new Error(name);
  server.reply({ status: r.status, body: r.body, ...(r.contentType ? { contentType: r.contentType } : {}) });
};
/** A GET (jsforce would retry those five times on 5xx/429 if the adapter had not turned that off). */
const listOwners = (a: SalesforceAdapter): Promise<unknown> => a.listOwners().catch((e: unknown) => e);

describe('Salesforce errors through jsforce (recorded bodies replayed over HTTP)', () => {
  it.each([
    ['requestLimit', { kind: 'rate_limited', budget: 'api_daily' }],
    ['concurrentLimit', { kind: 'rate_limited', budget: 'secondly', retryAfterMs: 1000 }],
    ['insufficientAccess', { kind: 'permission_denied' }],
    ['notFound', { kind: 'not_found' }],
    ['malformedId', { kind: 'validation', fields: [{ field: 'Id', code: 'MALFORMED_ID' }] }],
    ['serverUnavailable', { kind: 'transient', cause: 'server_error' }],
    ['badGateway', { kind: 'transient', cause: 'server_error' }],
    ['tooMany', { kind: 'rate_limited' }],
    ['duplicateRest', { kind: 'duplicate', existingId: '00Q5g00000DupAAA' }],
  ])('%s', async (name, details) => {
    reply(name);
    const err = await listOwners(adapter());
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).details).toMatchObject(details);
    expect(server.requests).toHaveLength(1); // no SDK-level retry
  });

  it('keeps the HTTP status jsforce drops', async () => {
    reply('serverUnavailable');
    expect(await listOwners(adapter())).toMatchObject({ status: 503, crmCode: 'SERVER_UNAVAILABLE' });
  });

  it('INVALID_SESSION_ID → refresh callback once, new token and instance URL used for the retry', async () => {
    let calls = 0;
    const a = adapter(async () => {
      calls += 1;
      return { accessToken: 'fresh', instanceUrl: server.url };
    });
    reply('invalidSession');
    server.reply({ status: 200, body: { totalSize: 0, done: true, records: [] } });
    await expect(a.listOwners()).resolves.toEqual([]);
    expect(calls).toBe(1);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok', 'Bearer fresh']);
  });

  it('reads Sforce-Limit-Info into rateLimitState()', async () => {
    const a = adapter();
    server.reply({ status: 200, headers: { 'Sforce-Limit-Info': 'api-usage=18/15000' }, body: { totalSize: 0, done: true, records: [] } });
    await a.listOwners();
    expect(a.rateLimitState().daily).toEqual({ max: 15000, remaining: 14982 });
  });

  it('hands Sforce-Limit-Info to onRateLimits on every answer; readDailyApiUsage reads GET /limits (TotalRequests vs concurrent limit told apart)', async () => {
    const seen: unknown[] = [];
    const a = new SalesforceAdapter({ accessToken: 'tok', instanceUrl: server.url }, () => Promise.reject(new Error('no refresh')), {
      endpoints: salesforceSandboxEndpoints(server.url),
      onRateLimits: (u) => void seen.push(u),
    });
    server.reply({ status: 200, headers: { 'Sforce-Limit-Info': 'api-usage=120/200' }, body: { totalSize: 0, done: true, records: [] } });
    await a.listOwners();
    server.reply({ status: 200, body: { DailyApiRequests: { Max: 200, Remaining: 79 } } });
    await expect(a.readDailyApiUsage()).resolves.toEqual({ used: 121, max: 200 });
    expect(server.requests.at(-1)?.url).toMatch(/\/services\/data\/v[\d.]+\/limits$/);
    expect(seen).toEqual([
      { daily: { max: 200, remaining: 80 }, observedAt: expect.any(String) },
      { daily: { max: 200, remaining: 79 }, observedAt: expect.any(String) },
    ]);
    server.reply({ status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
    await expect(a.listOwners()).rejects.toMatchObject({ details: { kind: 'rate_limited', budget: 'api_daily' } });
    server.reply({ status: 403, body: [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
    await expect(a.listOwners()).rejects.toMatchObject({ details: { kind: 'rate_limited', budget: 'secondly' } });
  });
});

describe('mapSalesforceErrors on recorded collection results (statusCode, not errorCode)', () => {
  it('maps each failed record: restricted picklist, duplicate with the matched id, too long', async () => {
    const results = await fixture<Array<{ success: boolean; errors: SalesforceErrorItem[] }>>(new URL('./__fixtures__/collection-create.json', import.meta.url));
    const [, picklist, dup, long] = results.map((r) => (r.success ? null : mapSalesforceErrors(r.errors)));
    expect(picklist?.details).toEqual({
      kind: 'validation',
      fields: [{ field: 'Status', code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Lead Status: bad value for restricted picklist field: Maybe' }],
    });
    expect(dup?.details).toEqual({ kind: 'duplicate', existingId: '00Q5g00000DupAAA' });
    expect(long?.details).toMatchObject({ kind: 'validation', fields: [{ field: 'Title', code: 'STRING_TOO_LONG' }] });
  });

  it('REQUIRED_FIELD_MISSING names the fields from the message when `fields` is empty', () => {
    expect(mapSalesforceErrors([{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company, LastName]' }]).details).toEqual({
      kind: 'validation',
      fields: [
        { field: 'Company', code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company, LastName]' },
        { field: 'LastName', code: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Company, LastName]' },
      ],
    });
  });

  it('INVALID_FIELD_FOR_INSERT_UPDATE (read-only IsConverted) is a validation error on that field', () => {
    const r = recorded['invalidField'];
    expect(mapSalesforceErrors(r?.body as SalesforceErrorItem[]).details).toMatchObject({ kind: 'validation', fields: [{ field: 'IsConverted' }] });
  });

  it('INVALID_SESSION_ID → auth_expired; an unreachable org → transient/connection', async () => {
    const r = recorded['invalidSession'];
    expect(mapSalesforceErrors(r?.body as SalesforceErrorItem[]).details).toEqual({ kind: 'auth_expired' });
    const closed = new ReplayServer();
    await closed.start();
    await closed.stop();
    const a = new SalesforceAdapter({ accessToken: 't', instanceUrl: closed.url }, () => Promise.reject(new Error('no')), { endpoints: salesforceSandboxEndpoints(closed.url) });
    await expect(a.listOwners()).rejects.toMatchObject({ details: { kind: 'transient', cause: 'connection' } });
  });

  it('OAuth: invalid_grant → auth_revoked', () => {
    const e = Object.assign(new Error('expired access/refresh token'), { name: 'invalid_grant' });
    expect(mapSalesforceOAuthError(e).kind).toBe('auth_revoked');
    expect(mapSalesforceOAuthError(Object.assign(new Error('boom'), { name: 'ERROR_HTTP_503' })).kind).toBe('transient');
  });
});

describe('Salesforce helpers', () => {
  it('splits IN lookups so every URL-encoded SOQL stays under the URI limit, keeping every value once', () => {
    const emails = Array.from({ length: 2500 }, (_, i) => `person.number.${i}@some-company-${i % 40}.example`);
    const render = (list: string): string => `SELECT Id, Email, FirstName, LastName FROM Lead WHERE Email IN (${list})`;
    const groups = packValues(emails, soqlString, ', ', render);
    expect(groups.length).toBeGreaterThan(2);
    expect(groups.flat()).toEqual(emails);
    for (const g of groups) expect(encodeURIComponent(render(g.map(soqlString).join(', '))).length).toBeLessThanOrEqual(15_000);
    expect(packValues(['a', 'b'], soqlString, ', ', render)).toEqual([['a', 'b']]);
    expect(packValues([], soqlString, ', ', render)).toEqual([]);
  });

  it('sizes IN lookups by the URL as sent: quotes become %27, so lists of quoted emails stay under 16,384 characters', () => {
    // Names with apostrophes (o'neil, d'arcy) add escaped quotes on top of the two that delimit every literal.
    const emails = Array.from({ length: 2000 }, (_, i) => `o'ne'il.d'arcy.${i}@c${i % 40}.example`);
    const render = (list: string): string => `SELECT Id, Email, IsConverted, ConvertedContactId, SystemModstamp FROM Lead WHERE Email IN (${list})`;
    const groups = packValues(emails, soqlString, ', ', render);
    expect(groups.flat()).toEqual(emails);
    for (const g of groups) {
      // What jsforce requests (encodeURIComponent) after the HTTP client's URL parser has normalised it.
      const sent = new URL(`http://127.0.0.1:4020/services/data/v62.0/query?q=${encodeURIComponent(render(g.map(soqlString).join(', ')))}`);
      expect(sent.pathname.length + sent.search.length).toBeLessThanOrEqual(16_384);
      expect(uriLength(render(g.map(soqlString).join(', ')))).toBe(sent.search.length - 3);
    }
  });

  it('escapes SOQL strings', () => {
    expect(soqlString("o'hara@x.example")).toBe("'o\\'hara@x.example'");
    expect(soqlString('a\\b')).toBe("'a\\\\b'");
  });
  it('round-trips the sync cursor', () => {
    const c = { v: 1 as const, since: '2024-05-01T10:00:00.000Z', next: '/services/data/v62.0/query/01g-2000' };
    expect(decodeSalesforceCursor(encodeSalesforceCursor(c))).toEqual(c);
    expect(() => decodeSalesforceCursor('xx')).toThrow(RangeError);
  });
});
