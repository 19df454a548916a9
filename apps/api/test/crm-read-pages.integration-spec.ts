import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CrmCallScheduler, CrmPage } from '@conduit/crm';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import { CrmClients, type CrmClient } from '../src/crm-runtime/crm-clients.service.js';
import { withCrmRetry } from '../src/crm-runtime/crm-retry.js';
import { connectedWorkspace, crmSandboxConfig } from './support/crm-test-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Most requests the sandbox was answering at one moment (arrival = answered − time taken). */
function peakConcurrency(entries: readonly { at: number; ms: number }[]): number {
  const events = entries.flatMap((e) => [
    { t: e.at - e.ms, d: 1 },
    { t: e.at, d: -1 },
  ]);
  events.sort((x, y) => x.t - y.t || x.d - y.d);
  let now = 0;
  let peak = 0;
  for (const e of events) peak = Math.max(peak, (now += e.d));
  return peak;
}

async function collect(pages: AsyncIterable<CrmPage>, stopAfter = Infinity): Promise<CrmPage[]> {
  const out: CrmPage[] = [];
  for await (const page of pages) {
    out.push(page);
    if (out.length >= stopAfter) break;
  }
  return out;
}

const idsOf = (pages: readonly CrmPage[]) => pages.flatMap((p) => p.records.map((r) => r.id));

/**
 * readPages with the real SDKs over HTTP: several calls in flight under the connection's limiter, every record handed
 * out once, and a read resumed from a page's cursor handing out exactly the rest.
 */
describe('readPages against the sandbox (real SDKs, calls in flight)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let hubspot: CrmClient;
  let salesforce: CrmClient;
  const schedule = (client: CrmClient): CrmCallScheduler => (call) => withCrmRetry(() => client.inFlight.run(call));

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 3 });
    sandbox.hubspot.control.seedContacts(4_700);
    sandbox.salesforce.control.seedLeads(4_000);
    t = await startTestApp(crmSandboxConfig(sandbox));
    const hs = await connectedWorkspace(t, 'Read pages HS', 'hubspot');
    const sf = await connectedWorkspace(t, 'Read pages SF', 'salesforce');
    hubspot = await t.app.get(CrmClients).open(hs.workspace.id, hs.connectionId);
    salesforce = await t.app.get(CrmClients).open(sf.workspace.id, sf.connectionId);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('HubSpot: list pages from the bottom and search ranges from the top, every contact once, with companies; resumable', async () => {
    const live = [...(sandbox.hubspot.control.store().records.get('contacts')?.values() ?? [])].filter((c) => !c.archived);
    expect(live.length).toBe(5_000);
    // Each answer takes 50 ms more, so calls overlap measurably.
    sandbox.hubspot.control.setFaults([{ path: '/crm/v', latencyMs: 50 }]);
    sandbox.hubspot.control.clearRequests();
    const options = { schedule: schedule(hubspot), properties: ['email', 'firstname'], associations: ['company' as const] };
    const pages = await collect(hubspot.adapter.readPages('contact', null, options));
    const ids = idsOf(pages);
    expect(ids).toHaveLength(live.length);
    expect(new Set(ids)).toEqual(new Set(live.map((c) => c.id)));
    expect(pages.at(-1)!.hasMore).toBe(false);

    const log = sandbox.hubspot.control.requests();
    const searches = log.filter((r) => r.path === '/crm/v3/objects/contacts/search');
    const lists = log.filter((r) => r.method === 'GET' && r.path === '/crm/v3/objects/contacts');
    expect(searches.length).toBeGreaterThan(5);
    expect(lists.length).toBeGreaterThan(3);
    // Fewer calls than list paging alone (50 pages), search pages holding 200.
    expect(searches.length + lists.length).toBeLessThan(50);
    expect(peakConcurrency(log.filter((r) => r.path.startsWith('/crm/v')))).toBeGreaterThan(1);
    // Search pages' contacts got their company associations like list pages' (a v4 batch read per ~1,000).
    const records = pages.flatMap((p) => p.records);
    let withCompanies = 0;
    for (const r of records.filter((_, i) => i % 50 === 0)) {
      const companies = sandbox.hubspot.control.getRecord('contacts', r.id)?.associations?.['companies']?.results.map((c) => c.id) ?? [];
      expect([...new Set(r.associations?.company ?? [])].sort()).toEqual([...new Set(companies)].sort());
      if (companies.length) withCompanies++;
    }
    expect(withCompanies).toBeGreaterThan(0);

    // Resumed from the cursor of a page in the middle: exactly the contacts not handed out before it.
    const k = Math.floor(pages.length / 2);
    const before = idsOf(pages.slice(0, k));
    const rest = idsOf(await collect(hubspot.adapter.readPages('contact', pages[k - 1]!.nextCursor, options)));
    expect([...before, ...rest].sort()).toEqual(live.map((c) => c.id).sort());
    sandbox.hubspot.control.clearFaults();
  }, 90_000);

  it('Salesforce: later query pages fetched ahead by locator offset, in order, the same pages as one at a time', async () => {
    sandbox.salesforce.control.setFaults([{ path: '/services/data/', latencyMs: 100 }]);
    const options = { schedule: schedule(salesforce), pageSize: 200, properties: ['Id', 'Email', 'SystemModstamp'] };
    // A read stopped after 7 pages (a worker killed mid-query), resumed from the 7th page's cursor (a locator offset).
    const k = 7;
    const partial = await collect(salesforce.adapter.readPages('lead', null, options), k);
    const rest = await collect(salesforce.adapter.readPages('lead', partial[k - 1]!.nextCursor, options));
    // A whole read, its requests logged.
    sandbox.salesforce.control.clearRequests();
    const pages = await collect(salesforce.adapter.readPages('lead', null, options));
    const reads = sandbox.salesforce.control.requests().filter((r) => r.path.includes('/query'));
    const sequential: CrmPage[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await salesforce.adapter.listChangedSince('lead', cursor, options);
      sequential.push(page);
      if (!page.hasMore) break;
      cursor = page.nextCursor;
    }
    expect(pages.length).toBeGreaterThan(15);
    expect(idsOf(pages)).toEqual(idsOf(sequential));
    expect(new Set(idsOf(pages)).size).toBe(idsOf(pages).length);
    expect(pages.map((p) => p.hasMore)).toEqual(sequential.map((p) => p.hasMore));
    // The incremental cursor at the end is the same either way.
    expect(pages.at(-1)!.nextCursor).toBe(sequential.at(-1)!.nextCursor);
    // One request per page, several in flight.
    expect(reads).toHaveLength(pages.length);
    expect(peakConcurrency(reads)).toBeGreaterThan(2);
    expect([...idsOf(partial), ...idsOf(rest)]).toEqual(idsOf(pages));
    sandbox.salesforce.control.clearFaults();
  }, 90_000);

  // The in-flight limiter must not starve the hedge: the faults below raise every answer from ≈ 15 ms to 115 ms, which it
  // once read as overload round after round (down to one call in flight, the hedge queued behind the page it was to
  // overtake). Now it halves once, sees halving did not help, and takes 115 ms as the new baseline.
  it('Salesforce: a query page far slower than the others is asked for again, the first answer wins, nothing is doubled', async () => {
    const options = { schedule: schedule(salesforce), pageSize: 200, properties: ['Id', 'Email', 'SystemModstamp'] };
    const expected = idsOf(await collect(salesforce.adapter.readPages('lead', null, options)));
    // Every answer takes 100 ms; the first request for the page at offset 3,600 takes 12 s.
    const slowPage = /\/query\/01g[A-Za-z0-9]+-3600$/;
    sandbox.salesforce.control.setFaults([
      { path: `/${slowPage.source}/`, latencyMs: 12_000, times: 1 },
      { path: '/services/data/', latencyMs: 100 },
    ]);
    sandbox.salesforce.control.clearRequests();
    const t0 = Date.now();
    const pages = await collect(salesforce.adapter.readPages('lead', null, options));
    const took = Date.now() - t0;
    expect(idsOf(pages)).toEqual(expected);
    // The hedge went out ≈ 2 s after the slow request started (2.5 × a 100-ms median, at least 2 s), not 12 s later.
    expect(took).toBeLessThan(8_000);
    // The slow request is logged when it finally answers: then that page shows two requests, every other page one.
    const queries = () => sandbox.salesforce.control.requests().filter((r) => r.path.includes('/query'));
    for (let waited = 0; queries().filter((r) => slowPage.test(r.path)).length < 2 && waited < 15_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
    expect(queries().filter((r) => slowPage.test(r.path))).toHaveLength(2);
    expect(queries()).toHaveLength(pages.length + 1);
    sandbox.salesforce.control.clearFaults();
  }, 90_000);

  it("Salesforce: a list view's members, every one through its query (not the results resource's 2,000), later pages fetched ahead", async () => {
    sandbox.salesforce.control.seedLeads(9_000, { LeadSource: 'Read ahead' });
    const view = sandbox.salesforce.control.createListView({ sobjectType: 'Lead', label: 'Read ahead', where: "LeadSource = 'Read ahead'" });
    const listId = `Lead/${view.id}`;
    sandbox.salesforce.control.setFaults([{ path: '/services/data/', latencyMs: 100 }]);
    sandbox.salesforce.control.clearRequests();
    const readAll = salesforce.adapter.readListMembers!.bind(salesforce.adapter);
    const pages = [];
    for await (const page of readAll(listId, { schedule: schedule(salesforce) })) pages.push(page);
    const reads = sandbox.salesforce.control.requests().filter((r) => r.path.includes('/query'));
    const sequential = [];
    for (let after: string | null = null; ; ) {
      const page = await salesforce.adapter.listMembers(listId, after);
      sequential.push(...page.members);
      if (!page.nextAfter) break;
      after = page.nextAfter;
    }
    sandbox.salesforce.control.clearFaults();
    const ids = pages.flatMap((p) => p.members.map((m) => m.recordId));
    expect(ids).toHaveLength(9_000);
    expect(new Set(ids).size).toBe(9_000);
    expect(ids).toEqual(sequential.map((m) => m.recordId));
    expect(pages.every((p) => p.members.every((m) => m.object === 'lead'))).toBe(true);
    expect(pages[0]!.total).toBe(9_000);
    // One request per 2,000-row page after the describe (a page hedged on a loaded machine may be asked twice), several in flight.
    expect(reads.length).toBeGreaterThanOrEqual(5);
    // At least two at once: the connection's in-flight limit is shared with the reads above (a hedge halves it).
    expect(peakConcurrency(reads)).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
