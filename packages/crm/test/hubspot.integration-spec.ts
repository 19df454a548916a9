/**
 * The HubSpot adapter against the CRM sandbox, through @hubspot/api-client.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Sandbox, startSandbox } from '@conduit/crm-sandbox';
import {
  type CrmActivityInput,
  type CrmCredentials,
  CrmError,
  type CrmRequestInfo,
  type CrmWriteResult,
  HubspotAdapter,
  type HubspotOAuthConfig,
  exchangeHubspotCode,
  hubspotAuthorizeUrl,
  hubspotRecordUrl,
  hubspotSandboxEndpoints,
  refreshHubspotToken,
  revokeHubspotToken,
  verifyHubspotWebhook,
} from '../src/index.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let sandbox: Sandbox;
let oauth: HubspotOAuthConfig;
const REDIRECT = 'http://127.0.0.1:3999/api/connections/hubspot/callback';
const run = Date.now().toString(36);

beforeAll(async () => {
  sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
  oauth = {
    endpoints: hubspotSandboxEndpoints(sandbox.hubspot.url),
    clientId: 'conduit-sandbox-hubspot',
    clientSecret: 'sandbox-hubspot-secret',
    redirectUri: REDIRECT,
  };
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(() => {
  sandbox.hubspot.control.clearFaults();
});

/**
 * The engine's budget hook in miniature: HubSpot search has its own limit (the sandbox enforces
 * 5/s like HubSpot), so search calls are spaced 250 ms apart. Other calls go straight through.
 */
let lastSearchAt = 0;
async function budget(_cost: number, info: CrmRequestInfo): Promise<void> {
  if (info.budget !== 'search') return;
  const wait = lastSearchAt + 250 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  lastSearchAt = Date.now();
}

function adapterWith(creds: CrmCredentials, refresh: () => Promise<CrmCredentials> = () => Promise.reject(new Error('unexpected refresh'))): HubspotAdapter {
  return new HubspotAdapter(creds, refresh, { endpoints: oauth.endpoints, timeoutMs: 10_000, beforeRequest: budget });
}
function adapter(): HubspotAdapter {
  return adapterWith({ accessToken: sandbox.hubspot.control.mintToken().accessToken });
}
function okIds(results: CrmWriteResult[]): string[] {
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.id;
  });
}

/** Drives the sandbox consent page like a browser would: GET the page, POST Approve, read the redirect. */
async function approveConsent(state: string): Promise<URL> {
  const authorize = hubspotAuthorizeUrl(oauth, state);
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1] ?? '', decodeHtml(m[2] ?? ''));
  form.set('decision', 'approve');
  const res = await fetch(new URL(action ?? '', sandbox.hubspot.url), { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

function decodeHtml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

describe('OAuth', () => {
  it('authorize → approve → code exchange (portal, user, scopes) → refresh → revoke', async () => {
    const back = await approveConsent(`state-${run}`);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe(`state-${run}`);
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();

    const account = await exchangeHubspotCode(oauth, code ?? '');
    expect(account.portalId).toBe(String(sandbox.hubspot.control.portalId));
    expect(account.user).toMatch(/@/);
    expect(account.scopes).toContain('crm.objects.contacts.write');
    expect(Date.parse(account.expiresAt)).toBeGreaterThan(Date.now());
    await expect(adapterWith({ accessToken: account.accessToken }).listOwners()).resolves.not.toHaveLength(0);

    // A code is single use.
    await expect(exchangeHubspotCode(oauth, code ?? '')).rejects.toMatchObject({ kind: 'auth_revoked' });

    const refreshed = await refreshHubspotToken(oauth, account.refreshToken);
    expect(refreshed.accessToken).not.toBe(account.accessToken);
    await expect(adapterWith({ accessToken: refreshed.accessToken }).listOwners()).resolves.not.toHaveLength(0);

    await revokeHubspotToken(oauth, refreshed.refreshToken);
    await expect(refreshHubspotToken(oauth, refreshed.refreshToken)).rejects.toMatchObject({ kind: 'auth_revoked' });
  });
});

describe('fields', () => {
  it('describes contact properties including custom ones, and sees a property added later', async () => {
    const a = adapter();
    const fields = await a.describeFields('contact');
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(fields.length).toBeGreaterThan(20);
    expect(byName.get('email')).toMatchObject({ type: 'string', custom: false, readOnly: false });
    expect(byName.get('hs_lead_status')).toMatchObject({ type: 'enumeration', restricted: true });
    expect(byName.get('hs_lead_status')?.options?.length).toBeGreaterThan(2);
    expect([...byName.values()].some((f) => f.custom)).toBe(true);

    sandbox.hubspot.control.addProperty('contacts', { name: `conduit_reasoning_${run}`, label: 'Qualification reasoning', type: 'string', fieldType: 'textarea' });
    const again = await a.describeFields('contact');
    expect(again.find((f) => f.name === `conduit_reasoning_${run}`)).toMatchObject({ custom: true, type: 'string', crmType: 'textarea' });
    const companies = await a.describeFields('company');
    expect(companies.map((f) => f.name)).toContain('domain');
  });
});

describe('reading', () => {
  it('backfills every contact page by page, then picks up a change incrementally', async () => {
    const a = adapter();
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await a.listChangedSince('contact', cursor, { pageSize: 100, properties: ['email', 'firstname', 'lastmodifieddate'] });
      for (const r of page.records) seen.add(r.id);
      cursor = page.nextCursor;
      pages += 1;
      if (!page.hasMore) break;
      expect(page.records.length).toBe(100);
    }
    const total = sandbox.hubspot.control.store().count('contacts');
    expect(seen.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 100));

    const [first] = [...seen];
    sandbox.hubspot.control.updateRecord('contacts', first ?? '', { jobtitle: `Changed ${run}` });
    const inc = await a.listChangedSince('contact', cursor, { properties: ['jobtitle'] });
    expect(inc.records.map((r) => r.id)).toContain(first);
    expect(inc.records.find((r) => r.id === first)?.properties['jobtitle']).toBe(`Changed ${run}`);
    expect(inc.hasMore).toBe(false);

    // Many changes, small pages, and a record changing again mid-way: nothing is skipped.
    const changed = [...seen].slice(10, 45);
    for (const id of changed) sandbox.hubspot.control.updateRecord('contacts', id, { jobtitle: `Bulk ${run}` });
    const got = new Set<string>();
    let c2 = inc.nextCursor;
    for (let i = 0; i < 20; i++) {
      const page = await a.listChangedSince('contact', c2, { pageSize: 10, properties: ['jobtitle'] });
      for (const r of page.records) got.add(r.id);
      if (i === 0) sandbox.hubspot.control.updateRecord('contacts', changed[0] ?? '', { jobtitle: `Again ${run}` });
      c2 = page.nextCursor;
      if (!page.hasMore) break;
    }
    for (const id of changed) expect(got.has(id)).toBe(true);
  });

  it('lists archived records (what search cannot see)', async () => {
    const a = adapter();
    const [id] = okIds(await a.createMany('contact', [{ properties: { email: `gone.${run}@example.com` } }]));
    expect(sandbox.hubspot.control.archiveRecord('contacts', id ?? '')).toBe(true);
    const archived = [];
    let after: string | null = null;
    do {
      const page = await a.listArchived('contact', after);
      archived.push(...page.records);
      after = page.nextAfter;
    } while (after);
    expect(archived.find((r) => r.id === id)).toMatchObject({ archived: true, object: 'contact' });
  });

  it('reads by ids (unknown ids left out) and finds contacts by email, case-insensitively', async () => {
    const a = adapter();
    const ids = okIds(
      await a.createMany('contact', [
        { properties: { email: `Find.Me.${run}@example.com`, firstname: 'Find' } },
        { properties: { email: `find.too.${run}@example.com`, firstname: 'Too' } },
      ]),
    );
    const read = await a.readByIds('contact', [...ids, '999999999'], { properties: ['email', 'firstname'] });
    expect(read.map((r) => r.id).sort()).toEqual([...ids].sort());

    const matches = await a.findByEmails([` FIND.ME.${run}@example.com`, `find.too.${run}@EXAMPLE.com`, `nobody.${run}@example.com`]);
    expect(matches.map((m) => [m.email, m.record.id]).sort()).toEqual(
      [
        [`find.me.${run}@example.com`, ids[0]],
        [`find.too.${run}@example.com`, ids[1]],
      ].sort(),
    );
  });

  it('lists owners, lists and list members', async () => {
    const a = adapter();
    const owners = await a.listOwners();
    expect(owners.length).toBeGreaterThan(0);
    expect(owners.every((o) => o.id && o.email)).toBe(true);

    const all = [];
    let after: string | null = null;
    do {
      const page = await a.listLists(after);
      all.push(...page.lists);
      after = page.nextAfter;
    } while (after);
    const manual = all.find((l) => l.name.startsWith('Conference leads'));
    expect(manual).toMatchObject({ kind: 'static' });
    expect(all.some((l) => l.kind === 'dynamic')).toBe(true);

    const members = await a.listMembers(manual?.id ?? '');
    expect(members.members.length).toBeGreaterThan(0);
    expect(members.members[0]).toMatchObject({ object: 'contact' });
    if (manual?.size !== null && manual?.size !== undefined) expect(members.members.length).toBeLessThanOrEqual(manual.size);
  });
});

describe('writing', () => {
  it('create with a partial failure: good records created, the bad one gets HubSpot’s per-field message', async () => {
    const a = adapter();
    const res = await a.createMany('contact', [
      { properties: { email: `good1.${run}@example.com`, firstname: 'Good' } },
      { properties: { email: `bad.${run}@example.com`, hs_lead_status: 'NOT_A_STATUS' } },
      { properties: { email: `good2.${run}@example.com`, firstname: 'Good', lastname: null } },
    ]);
    expect(res.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = res[1];
    if (bad && !bad.ok) {
      expect(bad.error.kind).toBe('validation');
      expect(bad.error.details).toMatchObject({ kind: 'validation', fields: [{ field: 'hs_lead_status', code: 'INVALID_OPTION' }] });
      if (bad.error.details.kind === 'validation') expect(bad.error.details.fields[0]?.message).toMatch(/NOT_A_STATUS/);
    }
    const good = res[0];
    if (good?.ok) expect(sandbox.hubspot.control.getRecord('contacts', good.id)?.properties['email']).toBe(`good1.${run}@example.com`);
  });

  it('creating an existing email → duplicate with the existing id; upsert by email updates it instead', async () => {
    const a = adapter();
    const [existing] = okIds(await a.createMany('contact', [{ properties: { email: `dup.${run}@example.com` } }]));
    const res = await a.createMany('contact', [{ properties: { email: `dup.${run}@example.com` } }]);
    const dup = res[0];
    expect(dup?.ok).toBe(false);
    if (dup && !dup.ok) expect(dup.error.details).toEqual({ kind: 'duplicate', existingId: existing });

    const up = await a.upsertManyByEmail('contact', [
      { email: `DUP.${run}@example.com`, properties: { jobtitle: 'CTO' } },
      { email: `brand.new.${run}@example.com`, properties: { firstname: 'New' } },
    ]);
    expect(up[0]).toMatchObject({ ok: true, id: existing, created: false });
    expect(up[1]).toMatchObject({ ok: true, created: true });
    expect(sandbox.hubspot.control.getRecord('contacts', existing ?? '')?.properties['jobtitle']).toBe('CTO');

    // The same email twice in one call: merged into one write, both inputs get its result.
    const twice = await a.upsertManyByEmail('contact', [
      { email: `twice.${run}@example.com`, properties: { firstname: 'One' } },
      { email: `Twice.${run}@example.com`, properties: { lastname: 'Two' } },
    ]);
    expect(twice.map((r) => r.ok)).toEqual([true, true]);
    expect(twice[0]?.ok && twice[1]?.ok && twice[0].id === twice[1].id).toBe(true);
  });

  it('updates many, reporting an unknown id per record', async () => {
    const a = adapter();
    const [id] = okIds(await a.createMany('contact', [{ properties: { email: `upd.${run}@example.com` } }]));
    const res = await a.updateMany('contact', [
      { id: id ?? '', properties: { firstname: 'Updated' } },
      { id: '987654321', properties: { firstname: 'Ghost' } },
    ]);
    expect(res[0]).toMatchObject({ ok: true, id });
    expect(res[1]).toMatchObject({ ok: false });
    expect(sandbox.hubspot.control.getRecord('contacts', id ?? '')?.properties['firstname']).toBe('Updated');
  });

  it('finds companies by domain (normalised) and associates a contact to its company (v4, type 279)', async () => {
    const a = adapter();
    const [companyId] = okIds(await a.createMany('company', [{ properties: { name: `Acme ${run}`, domain: `acme-${run}.example` } }]));
    const found = await a.findCompaniesByDomains([`https://www.ACME-${run}.example/about`, `none-${run}.example`]);
    expect(found.map((m) => [m.domain, m.record.id])).toEqual([[`acme-${run}.example`, companyId]]);

    const [contactId] = okIds(await a.createMany('contact', [{ properties: { email: `emp.${run}@acme-${run}.example` } }]));
    const links = await a.associate([
      { from: { object: 'contact', id: contactId ?? '' }, to: { object: 'company', id: companyId ?? '' } },
      { from: { object: 'lead', id: '1' }, to: { object: 'company', id: companyId ?? '' } },
    ]);
    expect(links[0]).toEqual({ index: 0, ok: true });
    expect(links[1]).toMatchObject({ ok: false });
    const rec = sandbox.hubspot.control.getRecord('contacts', contactId ?? '');
    expect(JSON.stringify(rec?.associations ?? {})).toContain(companyId);

    const read = await a.readAssociations('contact', 'company', [contactId ?? '', '987654321']);
    expect(read).toEqual({ [contactId ?? '']: [companyId] });
    expect((await a.readAssociations('company', 'contact', [companyId ?? '']))[companyId ?? '']).toContain(contactId);
  });

  it('backfill pages carry associated company ids inline (no extra calls)', async () => {
    const a = adapter();
    sandbox.hubspot.control.clearRequests();
    const page = await a.listChangedSince('contact', null, { pageSize: 100, properties: ['email'], associations: ['company'] });
    expect(sandbox.hubspot.control.requests().filter((r) => r.path.startsWith('/crm/')).length).toBe(1);
    const withCompany = page.records.filter((r) => (r.associations?.company?.length ?? 0) > 0);
    expect(withCompany.length).toBeGreaterThan(0);
    const sample = withCompany[0];
    const truth = await a.readAssociations('contact', 'company', [sample?.id ?? '']);
    expect(truth[sample?.id ?? '']?.sort()).toEqual(sample?.associations?.company?.sort());
  });

  it('logs every activity type on the contact timeline with the right objects and associations', async () => {
    const a = adapter();
    const [contactId] = okIds(await a.createMany('contact', [{ properties: { email: `timeline.${run}@example.com` } }]));
    const [owner] = await a.listOwners();
    const base = { occurredAt: new Date().toISOString(), person: { object: 'contact' as const, id: contactId ?? '' }, ownerId: owner?.id ?? '', label: '[Conduit]' };
    const activities: CrmActivityInput[] = [
      { ...base, type: 'email', direction: 'outbound', subject: 'Intro', bodyText: 'Hello', to: [`timeline.${run}@example.com`] },
      { ...base, type: 'email', direction: 'inbound', subject: 'Re: Intro', bodyText: 'Sounds good' },
      { ...base, type: 'linkedin_message', direction: 'outbound', body: 'Hi on LinkedIn' },
      { ...base, type: 'linkedin_connection_request', state: 'sent' },
      { ...base, type: 'call', direction: 'outbound', durationMs: 65_000, status: 'completed', recordingUrl: 'https://rec.example/1.mp3' },
      { ...base, type: 'meeting', title: 'Demo', startAt: new Date(Date.now() + 86_400_000).toISOString(), endAt: new Date(Date.now() + 88_200_000).toISOString(), outcome: 'scheduled' },
      { ...base, type: 'note', body: 'Qualified: budget confirmed' },
      { ...base, type: 'task', subject: 'Send pricing', status: 'not_started', priority: 'high', dueAt: new Date(Date.now() + 172_800_000).toISOString() },
    ];
    const res = await a.createActivities(activities);
    expect(res.every((r) => r.ok)).toBe(true);
    expect(res.map((r) => (r.ok ? r.crmObject : null))).toEqual(['emails', 'emails', 'communications', 'communications', 'calls', 'meetings', 'notes', 'tasks']);

    const rec = sandbox.hubspot.control.getRecord('contacts', contactId ?? '');
    const timelineIds = new Set((rec?.timeline ?? []).map((t) => t.id));
    for (const r of res) if (r.ok) expect(timelineIds.has(r.id)).toBe(true);
    const email = rec?.timeline.find((t) => t.type === 'emails' && t.properties['hs_email_subject'] === '[Conduit] Intro');
    expect(email?.properties).toMatchObject({ hs_email_direction: 'EMAIL', hubspot_owner_id: owner?.id });
    const call = rec?.timeline.find((t) => t.type === 'calls');
    expect(call?.properties).toMatchObject({ hs_call_duration: '65000', hs_call_recording_url: 'https://rec.example/1.mp3' });
    expect(hubspotRecordUrl(oauth.endpoints, sandbox.hubspot.control.portalId, 'contact', contactId ?? '')).toBe(`${sandbox.hubspot.url}/__sandbox/ui/contacts/${contactId}`);
    const ui = await fetch(hubspotRecordUrl(oauth.endpoints, sandbox.hubspot.control.portalId, 'contact', contactId ?? ''));
    expect(ui.status).toBe(200);
  });

  it('an activity for an unknown contact fails alone; the rest are logged', async () => {
    const a = adapter();
    const [contactId] = okIds(await a.createMany('contact', [{ properties: { email: `act2.${run}@example.com` } }]));
    const res = await a.createActivities([
      { type: 'note', body: 'ok', occurredAt: new Date().toISOString(), person: { object: 'contact', id: contactId ?? '' } },
      { type: 'note', body: 'orphan', occurredAt: new Date().toISOString(), person: { object: 'contact', id: '987654321' } },
    ]);
    expect(res.map((r) => r.ok)).toEqual([true, false]);
  });
});

describe('failures', () => {
  it('429 from the rate limiter → rate_limited ten_secondly with a retry-after; state reports the window', async () => {
    const a = adapter();
    await a.listOwners();
    expect(a.rateLimitState().window).toMatchObject({ max: 110 }); // a public OAuth app: 110 requests / 10 s (HubSpot's usage guidelines)
    sandbox.hubspot.control.setFaults([{ path: '/crm/v3/owners', status: 429, times: 1 }]);
    const err = await a.listOwners().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).details).toMatchObject({ kind: 'rate_limited', budget: 'ten_secondly' });
    if ((err as CrmError).details.kind === 'rate_limited') expect((err as CrmError & { details: { retryAfterMs: number } }).details.retryAfterMs).toBeGreaterThan(0);
  });

  it('a real rolling-window limit answers 429 too', async () => {
    const before = sandbox.hubspot.control.getConfig().rateLimit;
    sandbox.hubspot.control.configure({ rateLimit: { perTenSeconds: 3 } });
    try {
      const a = adapter();
      let caught: unknown;
      for (let i = 0; i < 6 && !caught; i++) caught = await a.listLists().then(() => undefined, (e: unknown) => e);
      expect(caught).toBeInstanceOf(CrmError);
      expect((caught as CrmError).kind).toBe('rate_limited');
    } finally {
      sandbox.hubspot.control.configure({ rateLimit: before });
    }
  });

  it('expired access token → the refresh callback is called once and the call succeeds', async () => {
    const minted = sandbox.hubspot.control.mintToken();
    let refreshes = 0;
    const a = adapterWith({ accessToken: minted.accessToken }, async () => {
      refreshes += 1;
      const t = await refreshHubspotToken(oauth, minted.refreshToken);
      return { accessToken: t.accessToken };
    });
    expect(sandbox.hubspot.control.expireTokens(minted.accessToken)).toBeGreaterThan(0);
    await expect(a.listOwners()).resolves.not.toHaveLength(0);
    expect(refreshes).toBe(1);
    await a.describeFields('contact');
    expect(refreshes).toBe(1);
  });

  it('5xx → transient; a batch write that never got an answer is not reported as written', async () => {
    const a = adapter();
    sandbox.hubspot.control.setFaults([{ path: '/crm/v3/properties', status: 503, times: 1 }]);
    await expect(a.describeFields('contact')).rejects.toMatchObject({ kind: 'transient' });
    sandbox.hubspot.control.setFaults([{ method: 'POST', path: '/crm/v3/objects/contacts/batch/create', status: 502, times: 1 }]);
    await expect(a.createMany('contact', [{ properties: { email: `x5.${run}@example.com` } }])).rejects.toMatchObject({ kind: 'transient' });
  });

  it('a hanging request times out as transient/timeout', async () => {
    const a = new HubspotAdapter({ accessToken: sandbox.hubspot.control.mintToken().accessToken }, () => Promise.reject(new Error('no')), { endpoints: oauth.endpoints, timeoutMs: 300 });
    sandbox.hubspot.control.setFaults([{ path: '/crm/v3/owners', hang: true, times: 1 }]);
    await expect(a.listOwners()).rejects.toMatchObject({ details: { kind: 'transient', cause: 'timeout' } });
  });

  it('awaits beforeRequest before every call', async () => {
    const costs: number[] = [];
    const budgets: string[] = [];
    const a = new HubspotAdapter({ accessToken: sandbox.hubspot.control.mintToken().accessToken }, () => Promise.reject(new Error('no')), {
      endpoints: oauth.endpoints,
      beforeRequest: async (c, info) => {
        costs.push(c);
        budgets.push(info.budget);
        await budget(c, info);
      },
    });
    sandbox.hubspot.control.clearRequests();
    await a.createMany('contact', Array.from({ length: 150 }, (_, i) => ({ properties: { email: `budget${i}.${run}@example.com` } })));
    const calls = sandbox.hubspot.control.requests().filter((r) => r.path.startsWith('/crm/')).length;
    expect(costs).toHaveLength(calls);
    expect(calls).toBe(2); // 150 records = 2 batch calls (≤ 100 each)
    await a.findCompaniesByDomains([`budget-${run}.example`]);
    expect(budgets).toEqual(['standard', 'standard', 'standard', 'search']); // + the describe behind the default properties
  });
});

describe('webhooks', () => {
  it('verifies the sandbox’s signed v3 deliveries and rejects a tampered one', async () => {
    const received: Array<{ url: string; body: string; headers: Record<string, string | string[] | undefined> }> = [];
    const target = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ url: req.url ?? '/', body, headers: req.headers });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    try {
      sandbox.hubspot.control.setWebhookTarget(`${base}/api/webhooks/hubspot`, oauth.clientSecret);
      const created = sandbox.hubspot.control.createRecord('contacts', { email: `hook.${run}@example.com` });
      sandbox.hubspot.control.updateRecord('contacts', created.id, { firstname: 'Hooked' });
      await sandbox.hubspot.control.flushWebhooks();
      expect(received.length).toBeGreaterThan(0);
      for (const d of received) {
        const verdict = verifyHubspotWebhook({ method: 'POST', url: `${base}${d.url}`, rawBody: d.body, headers: d.headers }, oauth.clientSecret);
        expect(verdict.ok).toBe(true);
      }
      const first = received[0];
      expect(verifyHubspotWebhook({ method: 'POST', url: `${base}${first?.url}`, rawBody: `${first?.body} `, headers: first?.headers ?? {} }, oauth.clientSecret)).toEqual({ ok: false, reason: 'bad_signature' });
    } finally {
      sandbox.hubspot.control.setWebhookTarget(null);
      await new Promise<void>((r) => target.close(() => r()));
    }
  });
});
