import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from 'jsforce';
import { failure, startSalesforce, type SalesforceHarness } from './salesforce-harness.js';

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string | null;
}
interface CompositeResponse {
  compositeResponse: SubResult[];
}
interface Sub {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

let sf: SalesforceHarness;
let conn: Connection;
const V = '/services/data/v62.0';

beforeAll(async () => {
  sf = await startSalesforce();
  conn = sf.connect();
});
afterAll(async () => {
  await sf.close();
});

const composite = (compositeRequest: Sub[], allOrNone = false) => conn.requestPost<CompositeResponse>('/composite', { allOrNone, compositeRequest });
const q = (soql: string) => `${V}/query?q=${encodeURIComponent(soql)}`;

describe('Salesforce sandbox — composite', () => {
  it('runs queries and collections in order as one API call (one log entry, one unit of DailyApiRequests)', async () => {
    const run = Date.now();
    const usage = sf.control.apiUsage().used;
    const before = sf.control.stats().total;
    const res = await composite([
      { method: 'GET', url: q(`SELECT Id, Email FROM Lead WHERE Email IN ('composite.${run}@example.com')`), referenceId: 'leadsBefore' },
      {
        method: 'POST',
        url: `${V}/composite/sobjects`,
        referenceId: 'create',
        body: { allOrNone: false, records: [{ attributes: { type: 'Lead' }, LastName: 'Composite', Company: 'Acme', Email: `composite.${run}@example.com` }, { attributes: { type: 'Lead' }, LastName: 'NoCompany' }] },
      },
      { method: 'GET', url: q(`SELECT Id, Email FROM Lead WHERE Email IN ('composite.${run}@example.com')`), referenceId: 'leadsAfter' },
      { method: 'GET', url: q('SELECT Id, Nope__c FROM Lead'), referenceId: 'badQuery' },
    ]);
    expect(sf.control.apiUsage().used - usage).toBe(1);
    expect(sf.control.stats().total - before).toBe(1);
    expect(sf.control.stats().byRoute['POST /services/data/:version/composite']).toBeGreaterThanOrEqual(1);

    const [leadsBefore, create, leadsAfter, badQuery] = res.compositeResponse;
    expect(leadsBefore).toMatchObject({ httpStatusCode: 200, referenceId: 'leadsBefore', body: { totalSize: 0 } });
    expect(create?.httpStatusCode).toBe(200);
    const saved = create?.body as { id: string | null; success: boolean; errors: { statusCode: string }[] }[];
    expect(saved[0]).toMatchObject({ success: true });
    expect(saved[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING' }] });
    expect(leadsAfter?.body).toMatchObject({ totalSize: 1, records: [{ Id: saved[0]?.id }] });
    // A failing subrequest answers with Salesforce's error array and does not stop independent ones.
    expect(badQuery).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
  });

  it('resolves @{ref.path} from earlier results; a reference to a failed subrequest halts only its dependants', async () => {
    const res = await composite([
      { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'acct', body: { Name: `Composite Account ${Date.now()}` } },
      { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'contact', body: { LastName: 'Ref', AccountId: '@{acct.id}' } },
      { method: 'GET', url: `${V}/sobjects/Account/@{acct.id}?fields=Name`, referenceId: 'readBack' },
      { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'bad', body: { Website: 'x.example' } },
      { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'orphan', body: { LastName: 'Orphan', AccountId: '@{bad.id}' } },
    ]);
    const [acct, contact, readBack, bad, orphan] = res.compositeResponse;
    expect(acct?.httpStatusCode).toBe(201);
    const accountId = (acct?.body as { id: string }).id;
    expect(contact?.httpStatusCode).toBe(201);
    const contactRow = await conn.sobject('Contact').retrieve((contact?.body as { id: string }).id);
    expect(contactRow['AccountId']).toBe(accountId);
    expect(readBack).toMatchObject({ httpStatusCode: 200, body: { attributes: { url: `${V}/sobjects/Account/${accountId}` } } });
    expect(bad).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'REQUIRED_FIELD_MISSING' }] });
    expect(orphan).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
  });

  it('refuses more than 25 subrequests or more than 5 query/collection subrequests (LIMIT_EXCEEDED), and counts nothing run', async () => {
    const usage = sf.control.apiUsage().used;
    const limits = (n: number) => Array.from({ length: n }, (_, i) => ({ method: 'GET', url: `${V}/limits`, referenceId: `l${i}` }));
    const tooMany = await failure(composite(limits(26)));
    expect(JSON.stringify((tooMany as { data?: unknown }).data ?? tooMany.message)).toContain('LIMIT_EXCEEDED');
    const queries = Array.from({ length: 6 }, (_, i) => ({ method: 'GET', url: q('SELECT Id FROM User LIMIT 1'), referenceId: `q${i}` }));
    const tooManyQueries = await failure(composite(queries));
    expect(JSON.stringify((tooManyQueries as { data?: unknown }).data ?? tooManyQueries.message)).toContain('LIMIT_EXCEEDED');
    // 25 plain subrequests with 5 queries are fine.
    const ok = await composite([...limits(20), ...queries.slice(0, 5)]);
    expect(ok.compositeResponse).toHaveLength(25);
    expect(ok.compositeResponse.every((r) => r.httpStatusCode === 200)).toBe(true);
    // The two refused requests still count as calls (Salesforce counts requests it answers), the accepted one once.
    expect(sf.control.apiUsage().used - usage).toBe(3);
  });

  it('validates the body: Authorization in a subrequest, duplicate or malformed referenceId, url outside the REST API', async () => {
    for (const sub of [
      { method: 'GET', url: `${V}/limits`, referenceId: 'a', httpHeaders: { Authorization: 'Bearer x' } },
      { method: 'GET', url: `${V}/limits`, referenceId: 'bad-id' },
      { method: 'GET', url: '/id/x/y', referenceId: 'a' },
    ]) {
      const e = await failure(composite([sub]));
      expect(e.errorCode).toBe('INVALID_INPUT');
    }
    const dup = await failure(composite([{ method: 'GET', url: `${V}/limits`, referenceId: 'a' }, { method: 'GET', url: `${V}/limits`, referenceId: 'a' }]));
    expect(dup.errorCode).toBe('INVALID_INPUT');
  });

  it('passes subrequest headers on (Sforce-Duplicate-Rule-Header allowSave) and keeps the session: an expired token fails the whole call', async () => {
    const email = `dup.${Date.now()}@example.com`;
    await conn.sobject('Lead').create({ LastName: 'First', Company: 'Acme', Email: email });
    const res = await composite([
      { method: 'POST', url: `${V}/sobjects/Lead`, referenceId: 'blocked', body: { LastName: 'Second', Company: 'Acme', Email: email } },
      { method: 'POST', url: `${V}/sobjects/Lead`, referenceId: 'allowed', body: { LastName: 'Third', Company: 'Acme', Email: email }, httpHeaders: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' } },
    ]);
    expect(res.compositeResponse[0]).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'DUPLICATES_DETECTED' }] });
    expect(res.compositeResponse[1]?.httpStatusCode).toBe(201);

    const token = sf.control.mintToken();
    sf.control.expireTokens(token.accessToken);
    const r = await fetch(`${sf.url}${V}/composite`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ compositeRequest: [{ method: 'GET', url: `${V}/limits`, referenceId: 'l' }] }),
    });
    expect(r.status).toBe(401);
  });
});
