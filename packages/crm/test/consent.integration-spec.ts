/**
 * Consent through both adapters against the CRM sandbox (real @hubspot/api-client and jsforce): reading opt-out,
 * do-not-call and bounces off records, writing them back, HubSpot subscription statuses and GDPR delete.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Sandbox, startSandbox } from '@conduit/crm-sandbox';
import {
  CONSENT_FIELDS,
  CrmError,
  type CrmWriteResult,
  HubspotAdapter,
  SalesforceAdapter,
  UnsupportedCrmError,
  consentOfRecord,
  hubspotSandboxEndpoints,
  salesforceSandboxEndpoints,
} from '../src/index.js';

let sandbox: Sandbox;
const run = Date.now().toString(36);

beforeAll(async () => {
  sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
});
afterAll(async () => {
  await sandbox.stop();
});
beforeEach(() => {
  sandbox.hubspot.control.clearFaults();
  sandbox.salesforce.control.clearFaults();
});

const noRefresh = (): Promise<never> => Promise.reject(new Error('unexpected refresh'));
function hubspot(): HubspotAdapter {
  return new HubspotAdapter({ accessToken: sandbox.hubspot.control.mintToken().accessToken }, noRefresh, { endpoints: hubspotSandboxEndpoints(sandbox.hubspot.url), timeoutMs: 10_000 });
}
function salesforce(): SalesforceAdapter {
  return new SalesforceAdapter({ accessToken: sandbox.salesforce.control.mintToken().accessToken, instanceUrl: sandbox.salesforce.url }, noRefresh, {
    endpoints: salesforceSandboxEndpoints(sandbox.salesforce.url),
    timeoutMs: 10_000,
  });
}
function ids(results: CrmWriteResult[]): string[] {
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.id;
  });
}

describe('HubSpot consent', () => {
  it('reads hs_email_optout and the hard-bounce reason off a contact (no extra call)', async () => {
    const hs = hubspot();
    const [plain, optedOut, bounced] = ids(await hs.createMany('contact', [0, 1, 2].map((i) => ({ properties: { email: `read${i}.${run}@consent.example`, firstname: `R${i}` } }))));
    sandbox.hubspot.control.unsubscribeAll(`read1.${run}@consent.example`);
    sandbox.hubspot.control.hardBounce(bounced!, 'MAILBOX_FULL');
    const before = sandbox.hubspot.control.stats().total;
    const records = await hs.readByIds('contact', [plain!, optedOut!, bounced!], { properties: ['email', ...CONSENT_FIELDS.hubspot] });
    expect(sandbox.hubspot.control.stats().total - before).toBe(1);
    const byId = new Map(records.map((r) => [r.id, consentOfRecord('hubspot', r)]));
    expect(byId.get(plain!)).toEqual([]);
    expect(byId.get(optedOut!)).toEqual([{ kind: 'email_opted_out', reason: 'Unsubscribed from all email', at: null }]);
    expect(byId.get(bounced!)).toEqual([{ kind: 'email_bounced', reason: '550 5.1.1 MAILBOX_FULL', at: null }]);
  });

  it('unsubscribes from all email in one batch call per 100 addresses; HubSpot then reports hs_email_optout; a bounce writes nothing', async () => {
    const hs = hubspot();
    const emails = Array.from({ length: 150 }, (_, i) => `bulk${i}.${run}@consent.example`);
    const created = ids(await hs.createMany('contact', emails.map((email) => ({ properties: { email } }))));
    sandbox.hubspot.control.clearRequests();
    const results = await hs.recordConsent([
      ...emails.map((email, i) => ({ person: { object: 'contact' as const, id: created[i]! }, email, event: 'unsubscribe' as const, occurredAt: new Date().toISOString() })),
      { person: { object: 'contact', id: created[0]! }, email: emails[0]!, event: 'hard_bounce', occurredAt: new Date().toISOString(), reason: '550 no such user' },
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.at(-1)).toMatchObject({ ok: true, crmObject: 'none' });
    expect(results[0]).toMatchObject({ ok: true, crmObject: 'communication-preferences' });
    const calls = sandbox.hubspot.control.requests().filter((r) => r.path.startsWith('/communication-preferences/'));
    expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(Array(2).fill('POST /communication-preferences/v4/statuses/batch/unsubscribe-all 200'));
    const read = await hs.readByIds('contact', [created[0]!, created[149]!], { properties: ['hs_email_optout'] });
    expect(read.map((r) => r.properties['hs_email_optout'])).toEqual(['true', 'true']);
    // Idempotent: a second report changes nothing and still succeeds.
    expect((await hs.recordConsent([{ person: { object: 'contact', id: created[0]! }, email: emails[0]!, event: 'spam_complaint', occurredAt: new Date().toISOString() }]))[0]?.ok).toBe(true);

    const statuses = await hs.readSubscriptions([emails[0]!, `nobody.${run}@consent.example`]);
    expect(statuses.map((s) => [s.email, s.optedOutOfAll, s.types.map((t) => t.status)])).toEqual([
      [emails[0], true, ['unsubscribed', 'unsubscribed', 'unsubscribed']],
      [`nobody.${run}@consent.example`, false, ['not_specified', 'not_specified', 'not_specified']],
    ]);
  });

  it('unsubscribes from one type with a legal basis (v3 SDK client)', async () => {
    const hs = hubspot();
    const email = `type.${run}@consent.example`;
    await hs.unsubscribeFromType(email, '1001', 'LEGITIMATE_INTEREST_CLIENT', 'Reported by the outbound engine');
    const [status] = await hs.readSubscriptions([email]);
    expect(status?.types.find((t) => t.id === '1001')).toMatchObject({ status: 'unsubscribed', legalBasis: 'LEGITIMATE_INTEREST_CLIENT' });
    const again = await hs.unsubscribeFromType(email, '1001', 'LEGITIMATE_INTEREST_CLIENT', 'again').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CrmError);
    expect((again as CrmError).kind).toBe('validation');
  });

  it('maps HubSpot faults on the v4 calls to retryable errors (nothing written)', async () => {
    const hs = hubspot();
    sandbox.hubspot.control.setFaults([{ path: '/communication-preferences/', status: 503 }]);
    const err = await hs.recordConsent([{ person: { object: 'contact', id: '1' }, email: `fault.${run}@consent.example`, event: 'unsubscribe', occurredAt: new Date().toISOString() }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).retryable).toBe(true);
    expect(sandbox.hubspot.control.store().subscriptions.state(`fault.${run}@consent.example`)).toBeUndefined();
  });

  it('GDPR-deletes contacts for good; an id already gone is not_found', async () => {
    const hs = hubspot();
    const [a] = ids(await hs.createMany('contact', [{ properties: { email: `gdpr.${run}@consent.example` } }]));
    const results = await hs.gdprDelete([a!, a!]);
    expect(results[0]).toMatchObject({ ok: true, id: a });
    expect(results[1]).toMatchObject({ ok: false });
    expect(results[1]?.ok === false && results[1].error.kind).toBe('not_found');
    expect(sandbox.hubspot.control.getRecord('contacts', a!)).toBeUndefined();
  });
});

describe('Salesforce consent', () => {
  it('reads HasOptedOutOfEmail, DoNotCall and EmailBouncedReason/Date off Leads and Contacts', async () => {
    const sf = salesforce();
    const [lead] = ids(await sf.createMany('lead', [{ properties: { LastName: 'Opted', Company: 'Acme', Email: `lead.${run}@consent.example`, HasOptedOutOfEmail: true, DoNotCall: true } }]));
    const [contact] = ids(await sf.createMany('contact', [{ properties: { LastName: 'Bounced', Email: `contact.${run}@consent.example`, EmailBouncedReason: '550 5.1.1 user unknown', EmailBouncedDate: '2026-12-03T10:00:00.000Z' } }]));
    const [l] = await sf.readByIds('lead', [lead!]);
    const [c] = await sf.readByIds('contact', [contact!]);
    expect(consentOfRecord('salesforce', l!)).toEqual([
      { kind: 'email_opted_out', reason: 'Email Opt Out', at: null },
      { kind: 'do_not_call', reason: 'Do Not Call', at: null },
    ]);
    expect(consentOfRecord('salesforce', c!)).toEqual([{ kind: 'email_bounced', reason: '550 5.1.1 user unknown', at: '2026-12-03T10:00:00.000Z' }]);
  });

  it('writes opt-out and bounce fields on Leads and Contacts in one composite call per object', async () => {
    const sf = salesforce();
    const [lead] = ids(await sf.createMany('lead', [{ properties: { LastName: 'Unsub', Company: 'Acme', Email: `w.lead.${run}@consent.example` } }]));
    const [contact] = ids(await sf.createMany('contact', [{ properties: { LastName: 'Bounce', Email: `w.contact.${run}@consent.example` } }]));
    sandbox.salesforce.control.clearRequests();
    const results = await sf.recordConsent([
      { person: { object: 'lead', id: lead! }, email: `w.lead.${run}@consent.example`, event: 'unsubscribe', occurredAt: '2026-12-03T10:00:00.000Z' },
      { person: { object: 'contact', id: contact! }, email: `w.contact.${run}@consent.example`, event: 'hard_bounce', occurredAt: '2026-12-04T08:30:00.000Z', reason: '550 mailbox unavailable' },
    ]);
    expect(results.map((r) => r.ok && r.index)).toEqual([0, 1]);
    expect(sandbox.salesforce.control.requests().filter((r) => r.method === 'PATCH').length).toBe(2);
    expect(sandbox.salesforce.control.getRecord('Lead', lead!)?.record).toMatchObject({ HasOptedOutOfEmail: true });
    expect(sandbox.salesforce.control.getRecord('Contact', contact!)?.record).toMatchObject({ EmailBouncedReason: '550 mailbox unavailable', EmailBouncedDate: '2026-12-04T08:30:00.000+0000' });
  });

  it('leaves record deletion and subscription types to the customer', async () => {
    const sf = salesforce();
    await expect(sf.gdprDelete(['003000000000001'])).rejects.toBeInstanceOf(UnsupportedCrmError);
    await expect(sf.readSubscriptions(['a@b.example'])).rejects.toBeInstanceOf(UnsupportedCrmError);
  });
});
