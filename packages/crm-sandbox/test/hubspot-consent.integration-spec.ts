import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Client } from '@hubspot/api-client';
import { startHubspot, sdkError, type HubspotHarness } from './hubspot-harness.js';

describe('HubSpot sandbox: communication preferences and GDPR delete through @hubspot/api-client', () => {
  let hs: HubspotHarness;
  let client: Client;

  beforeAll(async () => {
    hs = await startHubspot({ demoContacts: 0 });
    client = hs.client();
  });
  afterAll(async () => {
    await hs.close();
  });

  const contact = async (email: string): Promise<string> =>
    (await client.crm.contacts.basicApi.create({ properties: { email, firstname: 'Sam' }, associations: [] })).id;
  const props = async (id: string, names: string[]): Promise<Record<string, string | null>> =>
    (await client.crm.contacts.basicApi.getById(id, names)).properties;

  it('lists the demo portal subscription types (v3 definitions)', async () => {
    const defs = await client.communicationPreferences.definitionApi.getPage();
    expect(defs.subscriptionDefinitions.map((d) => d.name)).toEqual(['Marketing Information', 'One to One', 'Customer Service Communication']);
    expect(defs.subscriptionDefinitions[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('unsubscribes from one type with a legal basis (v3), mirrored into hs_email_optout_<id>; a second unsubscribe is HubSpot\'s 400', async () => {
    const id = await contact('one.type@example.com');
    const status = await client.communicationPreferences.statusApi.unsubscribe({
      emailAddress: 'one.type@example.com', subscriptionId: '1001', legalBasis: 'LEGITIMATE_INTEREST_CLIENT' as never, legalBasisExplanation: 'Asked us to stop',
    });
    expect(status).toMatchObject({ id: '1001', status: 'NOT_SUBSCRIBED', sourceOfStatus: 'SUBSCRIPTION_STATUS', legalBasis: 'LEGITIMATE_INTEREST_CLIENT', legalBasisExplanation: 'Asked us to stop' });
    expect(await props(id, ['hs_email_optout_1001', 'hs_email_optout'])).toMatchObject({ hs_email_optout_1001: 'true', hs_email_optout: null });

    const again = await sdkError(client.communicationPreferences.statusApi.unsubscribe({ emailAddress: 'one.type@example.com', subscriptionId: '1001' }));
    expect(again.code).toBe(400);
    expect(again.body).toMatchObject({ category: 'VALIDATION_ERROR', message: 'one.type@example.com is already unsubscribed from subscription 1001' });
    const unknown = await sdkError(client.communicationPreferences.statusApi.unsubscribe({ emailAddress: 'one.type@example.com', subscriptionId: '999' }));
    expect(unknown.code).toBe(400);
    const badBasis = await sdkError(hs.raw('/communication-preferences/v3/unsubscribe', { method: 'POST', body: JSON.stringify({ emailAddress: 'one.type@example.com', subscriptionId: '1002', legalBasis: 'BECAUSE' }) }).then(async (r) => {
      if (!r.ok) throw Object.assign(new Error('http'), { code: r.status, body: await r.json(), headers: {} });
    }));
    expect(badBasis.code).toBe(400);
    expect(badBasis.body?.message).toContain('Invalid legalBasis');

    const read = await client.communicationPreferences.statusApi.getEmailStatus('one.type@example.com');
    expect(read.subscriptionStatuses.map((s) => [s.id, s.status])).toEqual([['1001', 'NOT_SUBSCRIBED'], ['1002', 'NOT_SUBSCRIBED'], ['1003', 'NOT_SUBSCRIBED']]);
  });

  it('unsubscribes from all email (v4 via apiRequest): hs_email_optout becomes true and a CRM write cannot set it', async () => {
    const id = await contact('all.email@example.com');
    const res = await client.apiRequest({ method: 'POST', path: '/communication-preferences/v4/statuses/all.email%40example.com/unsubscribe-all', qs: { channel: 'EMAIL', verbose: true } });
    const body = (await res.json()) as { status: string; results: { subscriptionId: number; status: string }[] };
    expect(body.status).toBe('COMPLETE');
    expect(body.results.every((s) => s.status === 'UNSUBSCRIBED')).toBe(true);
    expect((await props(id, ['hs_email_optout'])).hs_email_optout).toBe('true');

    const v3 = await client.communicationPreferences.statusApi.getEmailStatus('all.email@example.com');
    expect(v3.subscriptionStatuses.map((s) => `${s.sourceOfStatus}/${s.status}`)).toEqual(['PORTAL_WIDE_STATUS/NOT_SUBSCRIBED', 'PORTAL_WIDE_STATUS/NOT_SUBSCRIBED', 'PORTAL_WIDE_STATUS/NOT_SUBSCRIBED']);
    const resubscribe = await sdkError(client.communicationPreferences.statusApi.subscribe({ emailAddress: 'all.email@example.com', subscriptionId: '1002' }));
    expect(resubscribe.code).toBe(400);

    const write = await sdkError(client.crm.contacts.basicApi.update(id, { properties: { hs_email_optout: 'false' } }));
    expect(write.code).toBe(400);
    expect(write.body?.errors?.[0]?.code).toBe('READ_ONLY_VALUE');
  });

  it('batch reads statuses and unsubscribes many at once (v4 batch); bad addresses come back as errors with 207; channel is required', async () => {
    await contact('batch.a@example.com');
    const unsub = await client.apiRequest({ method: 'POST', path: '/communication-preferences/v4/statuses/batch/unsubscribe-all', qs: { channel: 'EMAIL' }, body: { inputs: ['batch.a@example.com', 'batch.b@example.com'] } });
    expect(unsub.status).toBe(200);
    const read = await client.apiRequest({ method: 'POST', path: '/communication-preferences/v4/statuses/batch/unsubscribe-all/read', qs: { channel: 'EMAIL' }, body: { inputs: ['batch.a@example.com', 'batch.c@example.com', 'not-an-email'] } });
    expect(read.status).toBe(207);
    const body = (await read.json()) as { results: { subscriberIdString: string; wideStatuses: { status: string }[] }[]; numErrors: number };
    expect(body.numErrors).toBe(1);
    expect(body.results.map((r) => [r.subscriberIdString, r.wideStatuses.map((w) => w.status)])).toEqual([['batch.a@example.com', ['UNSUBSCRIBED']], ['batch.c@example.com', []]]);
    const statuses = await client.apiRequest({ method: 'POST', path: '/communication-preferences/v4/statuses/batch/read', qs: { channel: 'EMAIL' }, body: { inputs: ['batch.b@example.com'] } });
    expect(((await statuses.json()) as { results: { statuses: { status: string }[] }[] }).results[0]?.statuses.map((s) => s.status)).toEqual(['UNSUBSCRIBED', 'UNSUBSCRIBED', 'UNSUBSCRIBED']);
    const noChannel = await hs.raw('/communication-preferences/v4/statuses/batch/read', { method: 'POST', body: JSON.stringify({ inputs: ['x@example.com'] }) });
    expect(noChannel.status).toBe(400);
  });

  it('needs a token like every CRM route', async () => {
    const res = await fetch(`${hs.url}/communication-preferences/v3/definitions`);
    expect(res.status).toBe(401);
  });

  it('simulates a contact unsubscribing and a hard bounce through the control API (webhook-visible changes)', async () => {
    const id = await contact('clicked.unsubscribe@example.com');
    const r = await fetch(`${hs.url}/__sandbox/subscriptions/unsubscribe-all`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'clicked.unsubscribe@example.com' }) });
    expect(r.status).toBe(200);
    expect((await props(id, ['hs_email_optout'])).hs_email_optout).toBe('true');
    hs.control.hardBounce(id, 'MAILBOX_FULL');
    expect(await props(id, ['hs_email_hard_bounce_reason_enum', 'hs_email_bad_address'])).toMatchObject({ hs_email_hard_bounce_reason_enum: 'MAILBOX_FULL', hs_email_bad_address: 'true' });
  });

  it('GDPR-deletes a contact for good (204); it is neither readable nor in the archived list; unknown ids are 404', async () => {
    const id = await contact('forget.me@example.com');
    await client.crm.contacts.basicApi.purge({ objectId: id });
    expect((await sdkError(client.crm.contacts.basicApi.getById(id))).code).toBe(404);
    const archived = await client.crm.contacts.basicApi.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((c) => c.id)).not.toContain(id);
    expect(hs.control.getRecord('contacts', id)).toBeUndefined();
    const again = await sdkError(client.crm.contacts.basicApi.purge({ objectId: id }));
    expect(again.code).toBe(404);
    expect(again.body?.category).toBe('OBJECT_NOT_FOUND');
    const byEmail = await contact('forget.me.too@example.com');
    await client.crm.contacts.basicApi.purge({ objectId: 'forget.me.too@example.com', idProperty: 'email' });
    expect(hs.control.getRecord('contacts', byEmail)).toBeUndefined();
  });
});
