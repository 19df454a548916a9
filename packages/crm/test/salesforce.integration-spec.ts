/**
 * The Salesforce adapter against the CRM sandbox, through jsforce 3 (REST v62.0).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Sandbox, startSandbox } from '@conduit/crm-sandbox';
import {
  type CrmActivityInput,
  type CrmCredentials,
  CrmError,
  type CrmWriteResult,
  SalesforceAdapter,
  type SalesforceOAuthConfig,
  exchangeSalesforceCode,
  refreshSalesforceToken,
  revokeSalesforceToken,
  salesforceAuthorizeUrl,
  salesforceOAuthFlow,
  salesforceRecordUrl,
  salesforceSandboxEndpoints,
} from '../src/index.js';

let sandbox: Sandbox;
let oauth: SalesforceOAuthConfig;
const REDIRECT = 'http://127.0.0.1:3999/api/connections/salesforce/callback';
const run = Date.now().toString(36);

beforeAll(async () => {
  sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
  oauth = {
    endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url),
    clientId: 'conduit-sandbox-salesforce',
    clientSecret: 'sandbox-salesforce-secret',
    redirectUri: REDIRECT,
  };
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(() => {
  sandbox.salesforce.control.clearFaults();
});

function adapterWith(creds: CrmCredentials, refresh: () => Promise<CrmCredentials> = () => Promise.reject(new Error('unexpected refresh'))): SalesforceAdapter {
  return new SalesforceAdapter(creds, refresh, { endpoints: oauth.endpoints, timeoutMs: 10_000 });
}
function adapter(): SalesforceAdapter {
  return adapterWith({ accessToken: sandbox.salesforce.control.mintToken().accessToken, instanceUrl: sandbox.salesforce.url });
}
function okIds(results: CrmWriteResult[]): string[] {
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.id;
  });
}
function decodeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

async function approveConsent(state: string): Promise<URL> {
  const page = await fetch(salesforceAuthorizeUrl(oauth, state));
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1] ?? '', decodeHtml(m[2] ?? ''));
  form.set('decision', 'approve');
  const res = await fetch(new URL(action ?? '', sandbox.salesforce.url), { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('OAuth', () => {
  it('authorize → approve → code exchange (instance URL, org and user from identity) → refresh → revoke', async () => {
    const back = await approveConsent(`st-${run}`);
    expect(back.searchParams.get('state')).toBe(`st-${run}`);
    const account = await exchangeSalesforceCode(oauth, back.searchParams.get('code') ?? '');
    expect(account.instanceUrl).toBe(sandbox.salesforce.url);
    expect(account.organizationId).toBe(sandbox.salesforce.control.orgId);
    expect(account.userId).toMatch(/^005/);
    expect(account.refreshToken).toBeTruthy();
    await expect(adapterWith({ accessToken: account.accessToken, instanceUrl: account.instanceUrl }).listOwners()).resolves.not.toHaveLength(0);

    const refreshed = await refreshSalesforceToken(oauth, account.refreshToken ?? '');
    expect(refreshed.accessToken).not.toBe(account.accessToken);
    await revokeSalesforceToken(oauth, account.refreshToken ?? '');
    await expect(refreshSalesforceToken(oauth, account.refreshToken ?? '')).rejects.toMatchObject({ kind: 'auth_revoked' });
  });
});

describe('the org by name', () => {
  it('connect reads the org\'s Name (SELECT Name FROM Organization) and names the account by it and the username', async () => {
    const back = await approveConsent(`org-${run}`);
    const account = await salesforceOAuthFlow(oauth).exchange(back.searchParams.get('code') ?? '');
    expect(account).toMatchObject({
      accountId: sandbox.salesforce.control.orgId,
      organizationName: 'Northwind Demo Org',
      username: 'alex.morgan@northwind-demo.com',
      accountName: 'Northwind Demo Org (alex.morgan@northwind-demo.com)',
    });
  });

  it('an org that refuses the Organization query (its daily API requests spent) still connects, named by its id until discovery reads the name', async () => {
    const sf = sandbox.salesforce.control;
    const back = await approveConsent(`org-limit-${run}`);
    // The token and identity calls are not API requests; the query is, and answers 403 REQUEST_LIMIT_EXCEEDED.
    const { dailyApiLimit } = sf.config();
    sf.configure({ dailyApiLimit: Math.max(1, sf.apiUsage().used) });
    try {
      const account = await salesforceOAuthFlow(oauth).exchange(back.searchParams.get('code') ?? '');
      expect(account).toMatchObject({ organizationName: null, accountName: `${sf.orgId} (alex.morgan@northwind-demo.com)` });
      expect(account.tokens.accessToken).toBeTruthy();
      expect(sf.requests().at(-1)).toMatchObject({ path: '/services/data/v62.0/query', status: 403 });
    } finally {
      sf.configure({ dailyApiLimit });
    }
  });

  it('the adapter reads the org\'s Name with one query', async () => {
    const a = adapter();
    sandbox.salesforce.control.clearRequests();
    await expect(a.readOrganizationName()).resolves.toBe('Northwind Demo Org');
    expect(sandbox.salesforce.control.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /services/data/v62.0/query']);
  });
});

describe('Opportunity stages', () => {
  it('lists the active stages in order with which close the deal, one query', async () => {
    const a = adapter();
    sandbox.salesforce.control.clearRequests();
    const stages = await a.listOpportunityStages();
    expect(sandbox.salesforce.control.requests()).toHaveLength(1);
    expect(stages[0]).toEqual({ value: 'Prospecting', label: 'Prospecting', closed: false, won: false });
    expect(stages.filter((s) => s.closed)).toEqual([
      { value: 'Closed Won', label: 'Closed Won', closed: true, won: true },
      { value: 'Closed Lost', label: 'Closed Lost', closed: true, won: false },
    ]);
    expect(stages).toHaveLength(10);
  });
});

describe('fields', () => {
  it('describes Lead with required, restricted picklist and custom fields; sees a field added later', async () => {
    const a = adapter();
    const fields = await a.describeFields('lead');
    const by = new Map(fields.map((f) => [f.name, f]));
    expect(by.get('LastName')).toMatchObject({ required: true, readOnly: false });
    expect(by.get('Company')).toMatchObject({ required: true });
    expect(by.get('Status')).toMatchObject({ type: 'picklist' });
    expect(by.get('Status')?.options?.length).toBeGreaterThan(1);
    expect(by.get('IsConverted')).toMatchObject({ readOnly: true });
    expect(fields.some((f) => f.custom)).toBe(true);

    sandbox.salesforce.control.addField('Lead', { name: `Reasoning_${run}__c`, type: 'textarea', label: 'Reasoning', custom: true, length: 32768 });
    const again = await a.describeFields('lead');
    expect(again.find((f) => f.name === `Reasoning_${run}__c`)).toMatchObject({ custom: true, type: 'textarea' });
    expect((await a.describeFields('company')).map((f) => f.name)).toContain('Website');
  });
});

describe('reading', () => {
  it('backfills every Lead in query pages (nextRecordsUrl), then picks up a change incrementally', async () => {
    const a = adapter();
    const seen = new Set<string>();
    const open: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await a.listChangedSince('lead', cursor, { pageSize: 200, properties: ['Email', 'LastName', 'IsConverted'] });
      for (const r of page.records) {
        if (r.archived) continue;
        seen.add(r.id);
        if (r.properties['IsConverted'] === false) open.push(r.id);
      }
      cursor = page.nextCursor;
      pages += 1;
      if (!page.hasMore) break;
      expect(page.records).toHaveLength(200);
    }
    const total = sandbox.salesforce.control.count('Lead');
    expect(seen.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 200));

    const [first] = open;
    okIds(await a.updateMany('lead', [{ id: first ?? '', properties: { Title: `Changed ${run}` } }]));
    const inc = await a.listChangedSince('lead', cursor, { properties: ['Title'] });
    expect(inc.records.find((r) => r.id === first)?.properties['Title']).toBe(`Changed ${run}`);
    expect(inc.hasMore).toBe(false);

    // A deleted Lead comes back archived (queryAll), so the engine can unlink it.
    await a.conn.sobject('Lead').destroy(first ?? '');
    const afterDelete = await a.listChangedSince('lead', inc.nextCursor, { properties: ['Title'] });
    expect(afterDelete.records.find((r) => r.id === first)).toMatchObject({ archived: true });
    const bin = await a.listArchived('lead');
    expect(bin.records.find((r) => r.id === first)).toMatchObject({ archived: true });
  });

  it('finds by emails across unconverted Leads, Contacts and converted Leads (→ their Contact)', async () => {
    const a = adapter();
    const page = await a.listChangedSince('lead', null, { properties: ['Email', 'IsConverted', 'ConvertedContactId'] });
    const converted = page.records.find((r) => r.properties['IsConverted'] === true && typeof r.properties['Email'] === 'string');
    const open = page.records.find((r) => r.properties['IsConverted'] === false && typeof r.properties['Email'] === 'string');
    expect(converted).toBeDefined();
    expect(open).toBeDefined();
    const [contactId] = okIds(await a.createMany('contact', [{ properties: { LastName: 'Plain', Email: `plain.${run}@example.com` } }]));

    const matches = await a.findByEmails([String(converted?.properties['Email']).toUpperCase(), ` ${String(open?.properties['Email'])}`, `plain.${run}@example.com`, `nobody.${run}@example.com`]);
    const viaConversion = matches.find((m) => m.convertedFromLeadId === converted?.id);
    expect(viaConversion?.record).toMatchObject({ object: 'contact', id: converted?.properties['ConvertedContactId'] });
    expect(matches.find((m) => m.record.id === open?.id)?.record.object).toBe('lead');
    expect(matches.find((m) => m.record.id === contactId)?.email).toBe(`plain.${run}@example.com`);
    expect(matches.some((m) => m.email === `nobody.${run}@example.com`)).toBe(false);
  });

  it('lists active users as owners, campaigns as lists, and campaign members', async () => {
    const a = adapter();
    const owners = await a.listOwners();
    expect(owners.length).toBe(sandbox.salesforce.control.users().length);
    expect(owners.filter((o) => o.active).length).toBeGreaterThan(0);

    const { lists } = await a.listLists();
    expect(lists.length).toBeGreaterThan(0);
    expect(lists[0]).toMatchObject({ kind: 'static' });
    const withMembers = lists.find((l) => (l.size ?? 0) > 0);
    const members = await a.listMembers(withMembers?.id ?? '');
    expect(members.members.length).toBe(withMembers?.size);
    expect(['lead', 'contact']).toContain(members.members[0]?.object);
  });
});

describe('writing', () => {
  it('sObject Collections create with partial failure: per-record Salesforce errors, the rest created', async () => {
    const a = adapter();
    const res = await a.createMany('lead', [
      { properties: { LastName: 'Good', Company: 'Acme', Email: `good.${run}@example.com` } },
      { properties: { LastName: 'BadStatus', Company: 'Acme', Status: 'Maybe Later', Email: `bad1.${run}@example.com` } },
      { properties: { LastName: 'NoCompany', Email: `bad2.${run}@example.com` } },
      { properties: { LastName: 'Converted', Company: 'Acme', IsConverted: true, Email: `bad3.${run}@example.com` } },
    ]);
    expect(res.map((r) => r.ok)).toEqual([true, false, false, false]);
    const kinds = res.map((r) => (r.ok ? null : r.error.details));
    expect(kinds[1]).toMatchObject({ kind: 'validation', fields: [{ field: 'Status', code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }] });
    expect(kinds[2]).toMatchObject({ kind: 'validation', fields: [{ field: 'Company', code: 'REQUIRED_FIELD_MISSING' }] });
    expect(kinds[3]).toMatchObject({ kind: 'validation', fields: [{ field: 'IsConverted', code: 'INVALID_FIELD_FOR_INSERT_UPDATE' }] });
    const bad = res[1];
    if (bad && !bad.ok) expect(bad.error.message).toMatch(/restricted picklist/i);
    const good = res[0];
    if (good?.ok) expect(sandbox.salesforce.control.getRecord('Lead', good.id)?.record['Email']).toBe(`good.${run}@example.com`);
  });

  it('large batches go through Composite: 450 creates, updates and external-id upserts in one API call each, 700 quoted emails looked up in two', async () => {
    const a = adapter();
    const control = sandbox.salesforce.control;
    const calls = () => control.apiUsage().used;
    const n = 450;
    let before = calls();
    const created = await a.createMany(
      'lead',
      Array.from({ length: n }, (_, i): { properties: Record<string, string> } => ({ properties: i === 333 ? { LastName: `NoCompany ${i}` } : { LastName: `Bulk ${i}`, Company: 'Acme', Email: `o'bulk.${i}.${run}@example.com` } })),
    );
    expect(calls() - before).toBe(1);
    expect(created.filter((r) => r.ok)).toHaveLength(n - 1);
    const bad = created[333];
    expect(bad && !bad.ok ? bad.error.details : null).toMatchObject({ kind: 'validation', fields: [{ field: 'Company', code: 'REQUIRED_FIELD_MISSING' }] });
    expect(created.map((r) => r.index)).toEqual(Array.from({ length: n }, (_, i) => i));
    const ids = created.filter((r) => r.ok).map((r) => (r.ok ? r.id : ''));

    before = calls();
    const updated = await a.updateMany('lead', ids.map((id) => ({ id, properties: { Title: 'Updated' } })));
    expect(calls() - before).toBe(1);
    expect(updated.every((r) => r.ok)).toBe(true);
    expect(control.getRecord('Lead', ids[400]!)?.record['Title']).toBe('Updated');

    before = calls();
    const upserted = await a.upsertByExternalId('lead', 'HubSpot_Contact_ID__c', Array.from({ length: 250 }, (_, i) => ({ value: `hs-${run}-${i}`, properties: { LastName: `Ext ${i}`, Company: 'Acme' } })));
    expect(calls() - before).toBe(1);
    expect(upserted.every((r) => r.ok && r.created === true)).toBe(true);

    // 700 emails with quotes: several URI-bounded Lead + Contact query pairs, ≤ 5 queries per composite call.
    const emails = Array.from({ length: 700 }, (_, i) => (i < n && i !== 333 ? `o'bulk.${i}.${run}@example.com` : `o'nobody.${i}.${run}@example.com`));
    before = calls();
    const matches = await a.findByEmails(emails, { properties: ['Email'] });
    // Plain GET queries would take 2 per group (≥ 6 here); Composite carries two groups per call.
    expect(calls() - before).toBeLessThanOrEqual(2);
    expect(new Set(matches.filter((m) => m.record.object === 'lead').map((m) => m.email)).size).toBe(n - 1);
    expect(matches.find((m) => m.email === `o'bulk.7.${run}@example.com`)?.record.id).toBe(ids[7]);
  });

  it('duplicate rule → duplicate with the matched record id; upsert by email updates it instead', async () => {
    const a = adapter();
    sandbox.salesforce.control.setDuplicateRule('block');
    const [existing] = okIds(await a.createMany('lead', [{ properties: { LastName: 'Dup', Company: 'Acme', Email: `dup.${run}@example.com` } }]));
    const res = await a.createMany('lead', [{ properties: { LastName: 'Dup', Company: 'Acme', Email: `dup.${run}@example.com` } }]);
    expect(res[0]?.ok).toBe(false);
    const dup = res[0];
    if (dup && !dup.ok) expect(dup.error.details).toEqual({ kind: 'duplicate', existingId: existing });

    const up = await a.upsertManyByEmail('lead', [
      { email: `DUP.${run}@example.com`, properties: { Title: 'VP Sales' } },
      { email: `fresh.${run}@example.com`, properties: { LastName: 'Fresh', Company: 'Acme' } },
    ]);
    expect(up[0]).toMatchObject({ ok: true, id: existing, created: false });
    expect(up[1]).toMatchObject({ ok: true, created: true });
    expect(sandbox.salesforce.control.getRecord('Lead', existing ?? '')?.record['Title']).toBe('VP Sales');
  });

  it('upserts by an external-id field (created, then updated)', async () => {
    const a = adapter();
    const field = `Conduit_Id_${run}__c`;
    sandbox.salesforce.control.addField('Lead', { name: field, type: 'string', label: 'Conduit Id', custom: true, externalId: true, unique: true, length: 64 });
    const first = await a.upsertByExternalId('lead', field, [{ value: `p-${run}`, properties: { LastName: 'Ext', Company: 'Acme' } }]);
    expect(first[0]).toMatchObject({ ok: true, created: true });
    const second = await a.upsertByExternalId('lead', field, [{ value: `p-${run}`, properties: { Title: 'CEO' } }]);
    expect(second[0]).toMatchObject({ ok: true, created: false, id: first[0]?.ok ? first[0].id : 'x' });
  });

  it('associates a contact to an account (AccountId) and refuses a lead link per record', async () => {
    const a = adapter();
    const [accountId] = okIds(await a.createMany('company', [{ properties: { Name: `Acme ${run}`, Website: `https://www.acme-${run}.example/` } }]));
    const found = await a.findCompaniesByDomains([`acme-${run}.example`]);
    expect(found.map((m) => m.record.id)).toEqual([accountId]);
    const [contactId] = okIds(await a.createMany('contact', [{ properties: { LastName: 'Emp', Email: `emp.${run}@acme.example` } }]));
    const res = await a.associate([
      { from: { object: 'contact', id: contactId ?? '' }, to: { object: 'company', id: accountId ?? '' } },
      { from: { object: 'lead', id: '00Q000000000001AAA' }, to: { object: 'company', id: accountId ?? '' } },
    ]);
    expect(res[0]).toEqual({ index: 0, ok: true });
    expect(res[1]).toMatchObject({ ok: false });
    expect(sandbox.salesforce.control.getRecord('Contact', contactId ?? '')?.record['AccountId']).toBe(accountId);
    expect(await a.readAssociations('contact', 'company', [contactId ?? ''])).toEqual({ [contactId ?? '']: [accountId] });
    expect(await a.readAssociations('company', 'contact', [accountId ?? ''])).toEqual({ [accountId ?? '']: [contactId] });
    expect(await a.readAssociations('lead', 'company', ['00Q000000000001AAA'])).toEqual({});
  });

  it('logs activities as Tasks and an Event on the person timeline', async () => {
    const a = adapter();
    const [leadId] = okIds(await a.createMany('lead', [{ properties: { LastName: 'Timeline', Company: 'Acme', Email: `tl.${run}@example.com` } }]));
    const owner = (await a.listOwners()).find((o) => o.active);
    const base = { occurredAt: new Date().toISOString(), person: { object: 'lead' as const, id: leadId ?? '' }, ownerId: owner?.id ?? '', label: '[Conduit]' };
    const activities: CrmActivityInput[] = [
      { ...base, type: 'email', direction: 'outbound', subject: 'Intro', bodyText: 'Hello' },
      { ...base, type: 'linkedin_message', direction: 'inbound', body: 'Thanks!' },
      { ...base, type: 'linkedin_connection_request', state: 'sent' },
      { ...base, type: 'call', direction: 'outbound', durationMs: 61_000, disposition: 'Connected', recordingUrl: 'https://rec.example/2.mp3' },
      { ...base, type: 'meeting', title: 'Demo', startAt: new Date(Date.now() + 86_400_000).toISOString(), endAt: new Date(Date.now() + 88_200_000).toISOString() },
      { ...base, type: 'note', body: 'Budget confirmed' },
      { ...base, type: 'task', subject: 'Send pricing', status: 'not_started', priority: 'high', dueAt: new Date(Date.now() + 172_800_000).toISOString() },
    ];
    const res = await a.createActivities(activities);
    expect(res.every((r) => r.ok)).toBe(true);
    expect(res.map((r) => (r.ok ? r.crmObject : null))).toEqual(['Task', 'Task', 'Task', 'Task', 'Event', 'Task', 'Task']);
    const view = sandbox.salesforce.control.getRecord('Lead', leadId ?? '');
    const ids = new Set(view?.timeline.map((t) => t.id));
    for (const r of res) if (r.ok) expect(ids.has(r.id)).toBe(true);
    const call = view?.timeline.find((t) => t.subtype === 'Call');
    expect(call?.record).toMatchObject({ CallDurationInSeconds: 61, CallType: 'Outbound', OwnerId: owner?.id });
    expect(String(call?.record['Description'])).toContain('https://rec.example/2.mp3');
    expect(view?.timeline.find((t) => t.type === 'Event')?.subject).toBe('[Conduit] Demo');
    const link = salesforceRecordUrl(oauth.endpoints, sandbox.salesforce.url, 'lead', leadId ?? '');
    expect((await fetch(link)).status).toBe(200);
  });
});

describe('failures', () => {
  it('the daily API limit → rate_limited api_daily; Sforce-Limit-Info feeds rateLimitState()', async () => {
    const a = adapter();
    await a.listOwners();
    const state = a.rateLimitState().daily;
    expect(state?.max).toBeGreaterThan(0);
    const before = sandbox.salesforce.control.config().dailyApiLimit;
    sandbox.salesforce.control.configure({ dailyApiLimit: sandbox.salesforce.control.apiUsage().used });
    try {
      await expect(a.listOwners()).rejects.toMatchObject({ kind: 'rate_limited', details: { budget: 'api_daily' } });
    } finally {
      sandbox.salesforce.control.configure({ dailyApiLimit: before });
    }
  });

  it('expired session → the refresh callback is called once and the call succeeds', async () => {
    const minted = sandbox.salesforce.control.mintToken();
    let refreshes = 0;
    const a = adapterWith({ accessToken: minted.accessToken, instanceUrl: sandbox.salesforce.url }, async () => {
      refreshes += 1;
      const t = await refreshSalesforceToken(oauth, minted.refreshToken);
      return { accessToken: t.accessToken, instanceUrl: t.instanceUrl };
    });
    expect(sandbox.salesforce.control.expireTokens(minted.accessToken)).toBeGreaterThan(0);
    await expect(a.listOwners()).resolves.not.toHaveLength(0);
    expect(refreshes).toBe(1);
  });

  it('5xx → transient, with no hidden SDK retry', async () => {
    const a = adapter();
    await a.describeFields('lead');
    sandbox.salesforce.control.clearRequests();
    sandbox.salesforce.control.setFaults([{ path: '/services/data', status: 503, times: 1 }]);
    const err = await a.listOwners().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).details).toEqual({ kind: 'transient', cause: 'server_error' });
    expect(sandbox.salesforce.control.requests().length).toBe(1);
  });

  it('a 429 fault (concurrent limit) → rate_limited', async () => {
    const a = adapter();
    sandbox.salesforce.control.setFaults([{ path: '/services/data', status: 429, times: 1 }]);
    await expect(a.listOwners()).rejects.toMatchObject({ kind: 'rate_limited' });
  });

  it('a dropped connection → transient/connection', async () => {
    const a = adapter();
    sandbox.salesforce.control.setFaults([{ path: '/services/data', drop: true, times: 1 }]);
    await expect(a.listOwners()).rejects.toMatchObject({ details: { kind: 'transient' } });
  });
});
