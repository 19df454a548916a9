import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from 'jsforce';
import { failure, startSalesforce, type SalesforceHarness } from './salesforce-harness.js';

/** Bulk result rows are plain CSV records. */
const row = (r: unknown): Record<string, string> => r as Record<string, string>;

let sf: SalesforceHarness;
let conn: Connection;

beforeAll(async () => {
  sf = await startSalesforce({ seed: 3 });
  conn = sf.connect();
  conn.bulk2.pollInterval = 50;
  conn.bulk2.pollTimeout = 20_000;
});
afterAll(async () => {
  await sf.close();
});

describe('Salesforce sandbox — query paging', () => {
  it('pages 5,000+ records through nextRecordsUrl (queryMore and autoFetch)', async () => {
    const total = sf.control.seedLeads(6000);
    expect(total).toBe(6250);
    const first = await conn.query<{ Id: string }>('SELECT Id, Email FROM Lead');
    expect(first.totalSize).toBe(6250);
    expect(first.done).toBe(false);
    expect(first.records.length).toBe(2000);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]+-2000$/);
    const ids = new Set(first.records.map((r) => r.Id));
    let next = first.nextRecordsUrl;
    while (next !== undefined) {
      const page = await conn.queryMore<{ Id: string }>(next);
      for (const r of page.records) ids.add(r.Id);
      next = page.nextRecordsUrl;
    }
    expect(ids.size).toBe(6250);
    const auto = await conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY CreatedDate', { autoFetch: true, maxFetch: 10_000 });
    expect(auto.records.length).toBe(6250);
    expect(new Set(auto.records.map((r) => r.Id)).size).toBe(6250);
  });

  it('honours Sforce-Query-Options batchSize', async () => {
    const res = await conn.request<{ records: unknown[]; nextRecordsUrl: string }>({
      method: 'GET', url: '/query?q=' + encodeURIComponent('SELECT Id FROM Lead'), headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    expect(res.records.length).toBe(500);
    expect(res.nextRecordsUrl).toMatch(/-500$/);
    const bad = await failure(conn.queryMore('01gnonsense-2000'));
    expect(bad.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('seeds and scans 100k leads', async () => {
    sf.control.seedLeads(94_000);
    expect(sf.control.count('Lead')).toBe(100_250);
    const res = await conn.query("SELECT COUNT() FROM Lead WHERE Email LIKE '%@hooli.cloud' AND Status != 'Closed - Converted'");
    expect(res.totalSize).toBeGreaterThan(0);
  });
});

describe('Salesforce sandbox — Bulk API 2.0', () => {
  it('ingests a CSV with some failed rows (failedResults carry the reason)', async () => {
    const input = [
      { FirstName: 'Bulk', LastName: 'One', Company: 'B1', Email: 'bulk.one@example.net', Conduit_Score__c: '12.5' },
      { FirstName: 'Bulk', LastName: 'Two', Company: '', Email: 'bulk.two@example.net', Conduit_Score__c: '' },
      { FirstName: 'Bulk', LastName: 'Three', Company: 'B3', Email: 'bulk.three@example.net', Conduit_Score__c: 'abc' },
      { FirstName: 'Bulk', LastName: 'Four', Company: 'B4', Email: 'bulk.four@example.net', Conduit_Score__c: '' },
    ];
    const res = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'insert', input, pollInterval: 50, pollTimeout: 20_000 });
    expect(res.successfulResults.length).toBe(2);
    expect(res.failedResults.length).toBe(2);
    const ok = row(res.successfulResults[0]);
    expect(ok['sf__Id']).toMatch(/^00Q/);
    expect(ok['sf__Created']).toBe('true');
    expect(ok['LastName']).toBe('One');
    const reasons = res.failedResults.map((r) => String(row(r)['sf__Error']));
    expect(reasons[0]).toBe('REQUIRED_FIELD_MISSING:Required fields are missing: [Company]:Company --');
    expect(reasons[1]).toMatch(/^INVALID_TYPE_ON_FIELD_IN_RECORD:Conduit Score: value not of required type: abc:Conduit_Score__c --$/);
    const stored = (await conn.sobject('Lead').retrieve(ok['sf__Id'] ?? '')) as Record<string, unknown>;
    expect(stored['Conduit_Score__c']).toBe(12.5);
  });

  it('upserts by external id and updates/deletes by Id', async () => {
    const csv = 'HubSpot_Contact_ID__c,LastName,Company\nbulk-hs-1,Alpha,A\nbulk-hs-2,Beta,B\n';
    const first = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'upsert', externalIdFieldName: 'HubSpot_Contact_ID__c', input: csv, pollInterval: 50, pollTimeout: 20_000 });
    expect(first.successfulResults.map((r) => row(r)['sf__Created'])).toEqual(['true', 'true']);
    const second = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'upsert', externalIdFieldName: 'HubSpot_Contact_ID__c', input: 'HubSpot_Contact_ID__c,Title\nbulk-hs-1,CEO\n', pollInterval: 50, pollTimeout: 20_000 });
    expect(row(second.successfulResults[0])['sf__Created']).toBe('false');
    const id = String(row(first.successfulResults[0])['sf__Id']);
    const upd = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'update', input: [{ Id: id, Status: 'Working - Contacted' }, { Id: id, Status: 'Bogus' }], pollInterval: 50, pollTimeout: 20_000 });
    expect(upd.successfulResults.length).toBe(1);
    expect(String(row(upd.failedResults[0])['sf__Error'])).toMatch(/^INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST/);
    const del = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'delete', input: [{ Id: id }], pollInterval: 50, pollTimeout: 20_000 });
    expect(del.successfulResults.length).toBe(1);
    expect((await failure(conn.sobject('Lead').retrieve(id))).errorCode).toBe('NOT_FOUND');
  });

  it('fails the job on an unknown column, like Salesforce', async () => {
    const err = await failure(conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'insert', input: 'LastName,Company,Nope__c\nA,B,C\n', pollInterval: 50, pollTimeout: 20_000 }));
    expect(err.message).toContain('Field name not found : Nope__c');
  });

  it('runs a query job over many records with jsforce', async () => {
    const soql = "SELECT Id, Email, Owner.Email FROM Lead WHERE Company IN ('Hooli Cloud', 'Pied Piper')";
    const records = await (await conn.bulk2.query(soql, { pollInterval: 50, pollTimeout: 20_000 })).toArray();
    const expected = await conn.query("SELECT COUNT() FROM Lead WHERE Company IN ('Hooli Cloud', 'Pied Piper')");
    expect(records.length).toBe(expected.totalSize);
    expect(records.length).toBeGreaterThan(4000);
    expect(String(row(records[0])['Owner.Email'])).toMatch(/@northwind-demo\.com$/);
  });

  it('pages query results with Sforce-Locator / Sforce-NumberOfRecords, ending with Sforce-Locator: null', async () => {
    const job = await conn.request<{ id: string; state: string }>({
      method: 'POST', url: '/jobs/query', body: JSON.stringify({ operation: 'query', query: "SELECT Id, LastName FROM Lead WHERE Company = 'Hooli Cloud'" }), headers: { 'Content-Type': 'application/json' },
    });
    expect(job.state).toBe('UploadComplete');
    let info = await conn.request<{ state: string; numberRecordsProcessed: number }>(`/jobs/query/${job.id}`);
    for (let i = 0; i < 50 && info.state !== 'JobComplete'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      info = await conn.request<{ state: string; numberRecordsProcessed: number }>(`/jobs/query/${job.id}`);
    }
    expect(info.state).toBe('JobComplete');
    const auth = { Authorization: `Bearer ${conn.accessToken ?? ''}` };
    const ids = new Set<string>();
    let locator: string | null = '';
    let pages = 0;
    while (locator !== 'null') {
      const qs: string = locator === '' ? '?maxRecords=1000' : `?maxRecords=1000&locator=${locator}`;
      const res = await fetch(`${sf.url}/services/data/v62.0/jobs/query/${job.id}/results${qs}`, { headers: auth });
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await res.text()).trim().split('\n');
      expect(lines[0]).toBe('"Id","LastName"');
      expect(Number(res.headers.get('sforce-numberofrecords'))).toBe(lines.length - 1);
      for (const line of lines.slice(1)) ids.add(line.split(',')[0] ?? '');
      locator = res.headers.get('sforce-locator');
      pages += 1;
    }
    expect(ids.size).toBe(info.numberRecordsProcessed);
    expect(pages).toBe(Math.ceil(info.numberRecordsProcessed / 1000));
  });
});

describe('Salesforce sandbox — faults, request log and control API', () => {
  it('injects a share of 503s deterministically and jsforce retries GETs through them', async () => {
    sf.control.clearRequests();
    sf.control.setFaults([{ path: '/services/data/v62.0/sobjects/Lead/describe', status: 503, times: 2 }], 5);
    const d = await conn.sobject('Lead').describe();
    expect(d.name).toBe('Lead');
    const log = sf.control.requests().filter((r) => r.path.endsWith('/describe'));
    expect(log.map((r) => r.status)).toEqual([503, 503, 200]);
    sf.control.setFaults([{ method: 'POST', path: '/services/data/v62.0/sobjects/Lead', status: 503, share: 1 }]);
    const err = await failure(conn.sobject('Lead').create({ LastName: 'F', Company: 'F' }));
    expect(err.errorCode).toBe('SERVER_UNAVAILABLE');
    sf.control.clearFaults();
  });

  it('applies share deterministically for a seed', async () => {
    const run = async (): Promise<number[]> => {
      sf.control.setFaults([{ path: '/services/data/v62.0/limits', status: 500, share: 0.5 }], 99);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await fetch(`${sf.url}/services/data/v62.0/limits`, { headers: { Authorization: `Bearer ${conn.accessToken ?? ''}` } })).status);
      sf.control.clearFaults();
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(0);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(0);
  });

  it('adds latency', async () => {
    sf.control.setFaults([{ path: '/services/data/v62.0/limits', latencyMs: 300 }]);
    const t0 = Date.now();
    await conn.limits();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    sf.control.clearFaults();
  });

  it('counts calls per route', async () => {
    sf.control.clearRequests();
    await conn.query('SELECT Id FROM Lead LIMIT 1');
    await conn.query('SELECT Id FROM Lead LIMIT 2');
    const stats = sf.control.stats();
    expect(stats.byRoute['GET /services/data/:version/query']).toBe(2);
  });

  it('returns a record with its timeline, and drifts fields at runtime', async () => {
    const [task] = (await conn.query<{ WhoId: string }>("SELECT WhoId FROM Task WHERE WhoId != null AND TaskSubtype = 'Call' LIMIT 1")).records;
    const whoId = task?.WhoId ?? '';
    const type = whoId.startsWith('00Q') ? 'Lead' : 'Contact';
    const view = sf.control.getRecord(type, whoId);
    expect(view?.timeline.length).toBeGreaterThan(0);
    expect(view?.timeline.some((t) => t.subtype === 'Call')).toBe(true);
    const http = await fetch(`${sf.url}/__sandbox/records/${type}/${whoId}`);
    expect(http.status).toBe(200);
    const html = await fetch(`${sf.url}/__sandbox/ui/${type}/${whoId}`);
    expect(await html.text()).toContain('Activity timeline');

    sf.control.addField('Lead', { name: 'Buying_Stage__c', type: 'picklist', picklist: ['Aware', 'Evaluating', 'Decided'], restrictedPicklist: true });
    const described = await conn.request<{ fields: { name: string }[] }>('/sobjects/Lead/describe');
    expect(described.fields.map((f) => f.name)).toContain('Buying_Stage__c');
    const created = (await conn.sobject('Lead').create({ LastName: 'Drift', Company: 'D', Buying_Stage__c: 'Aware' })) as { id: string };
    expect(((await conn.sobject('Lead').retrieve(created.id)) as Record<string, unknown>)['Buying_Stage__c']).toBe('Aware');
    expect(sf.control.removeField('Lead', 'Buying_Stage__c')).toBe(true);
    expect((await failure(conn.query('SELECT Buying_Stage__c FROM Lead'))).errorCode).toBe('INVALID_FIELD');
  });

  it('resets to the seeded org', async () => {
    sf.control.reset();
    const fresh = sf.connect();
    expect((await fresh.query('SELECT COUNT() FROM Lead')).totalSize).toBe(250);
    expect((await fresh.query('SELECT COUNT() FROM User WHERE IsActive = true')).totalSize).toBeGreaterThanOrEqual(5);
    const accounts = await fresh.query<{ Website: string }>("SELECT Id, Website, Type FROM Account WHERE Type = 'Customer'");
    expect(accounts.totalSize).toBeGreaterThan(0);
    expect(accounts.records[0]?.Website).toMatch(/^https:\/\/www\./);
    const stages = await fresh.query<{ StageName: string }>('SELECT StageName FROM Opportunity');
    expect(new Set(stages.records.map((r) => r.StageName)).size).toBe(10);
    expect((await fresh.query('SELECT COUNT() FROM CampaignMember')).totalSize).toBeGreaterThan(50);
    expect((await fresh.query('SELECT COUNT() FROM OpportunityContactRole')).totalSize).toBeGreaterThan(50);
  });
});
