import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CampaignDto, DncSettingsDto, ExcludedPageDto, JobDto, PersonDncDto, RecipientCountsDto } from '@conduit/contracts';
import request from 'supertest';
import { waitFor } from './support/test-app.js';
import { type AudienceEnv, personIdsOf, startAudienceEnv } from './support/audiences.js';

describe('Do not contact from deals (real HubSpot SDK against the sandbox)', () => {
  let env: AudienceEnv;
  let openDealId: string;
  let openPerson: string;
  let customerPerson: string;
  let customerCompanyName: string;

  beforeAll(async () => {
    env = await startAudienceEnv();
    // People and companies come from the regular import sync.
    const run = (await request(env.t.server).post(`/api/sync/connections/${env.connectionId}/backfill`).set('Cookie', env.a.adminCookie).send({}).expect(202)).body as { id: string };
    await waitFor(async () => {
      const r = (await request(env.t.server).get(`/api/sync/runs/${run.id}`).set('Cookie', env.a.adminCookie).expect(200)).body as { status: string };
      if (r.status === 'failed') throw new Error('backfill failed');
      return r.status === 'done';
    }, 60_000);
  });

  afterAll(async () => {
    await env?.close();
  });

  const store = () => env.sandbox.hubspot.control.store();
  const deals = () => [...(store().records.get('deals')?.values() ?? [])].filter((d) => !d.archived);
  const companyOfDeal = (id: string) => store().associated('deals', id, 'companies')[0]?.toId;
  const contactsOfDeal = (id: string) => store().associated('deals', id, 'contacts').map((a) => a.toId);
  const wonCompanies = () => new Set(deals().filter((d) => d.properties['dealstage'] === 'closedwon').map((d) => companyOfDeal(d.id)));
  const dncOf = async (personId: string, cookie = env.a.memberCookie) => (await request(env.t.server).get(`/api/people/${personId}/dnc`).set('Cookie', cookie).expect(200)).body as PersonDncDto;

  const syncDeals = async () => {
    const res = await request(env.t.server).post('/api/dnc/sync').set('Cookie', env.a.adminCookie).send({}).expect(202);
    const [jobId] = (res.body as { jobIds: string[] }).jobIds;
    expect(jobId).toBeDefined();
    return waitFor(async () => {
      const job = (await request(env.t.server).get(`/api/jobs/${jobId}`).set('Cookie', env.a.adminCookie).expect(200)).body as JobDto;
      if (job.status === 'failed') throw new Error(`deals sync failed: ${job.lastError}`);
      return job.status === 'done' && job;
    }, 60_000);
  };

  it('imports deals with their people and company; a person on an open deal is DNC with the deal behind it', async () => {
    const job = await syncDeals();
    expect(job.result).toMatchObject({ deals: deals().length });
    const won = wonCompanies();
    const open = deals().find((d) => !['closedwon', 'closedlost'].includes(String(d.properties['dealstage'])) && contactsOfDeal(d.id).length && !won.has(companyOfDeal(d.id)))!;
    expect(open).toBeDefined();
    openPerson = (await personIdsOf(env, contactsOfDeal(open.id)))[0]!;
    const status = await dncOf(openPerson);
    expect(status.dnc).toBe(true);
    const row = status.deals.find((d) => d.crmId === open.id)!;
    openDealId = row.id;
    expect(row).toMatchObject({ name: open.properties['dealname'], stage: open.properties['dealstage'], isClosed: false, isWon: false, amount: Number(open.properties['amount']) });
    // In words (#21): the deal by name, with its page in HubSpot.
    const dealRef = { crm: 'hubspot', crmObject: 'deal', crmId: open.id, name: open.properties['dealname'], crmRecordUrl: expect.stringContaining(open.id) };
    expect(status.reasons).toEqual([{ reason: 'open_deal', detail: open.properties['dealname'], dealId: openDealId, record: expect.objectContaining(dealRef) }]);
    expect(row.record).toMatchObject(dealRef);
  });

  it('a deal without a name goes by its company ("Deal with …"), else by none — never its id; each linked to HubSpot', async () => {
    // A contact with a company, on an open deal with no name (one associated with the company, one not).
    const contact = [...(store().records.get('contacts')?.values() ?? [])].find((c) => !c.archived && store().associated('contacts', c.id, 'companies').length && !store().associated('contacts', c.id, 'deals').length)!;
    const companyId = store().associated('contacts', contact.id, 'companies')[0]!.toId;
    const companyName = String(store().records.get('companies')!.get(companyId)!.properties['name']);
    const withCompany = env.sandbox.hubspot.control.createRecord('deals', { dealstage: 'appointmentscheduled', pipeline: 'default' });
    store().associateDefault('deals', withCompany.id, 'contacts', contact.id);
    store().associateDefault('deals', withCompany.id, 'companies', companyId);
    const alone = env.sandbox.hubspot.control.createRecord('deals', { dealstage: 'appointmentscheduled', pipeline: 'default' });
    store().associateDefault('deals', alone.id, 'contacts', contact.id);
    await syncDeals();
    const person = (await personIdsOf(env, [contact.id]))[0]!;
    const status = await dncOf(person);
    const byCrmId = (id: string) => status.deals.find((d) => d.crmId === id)!;
    expect(byCrmId(withCompany.id)).toMatchObject({ name: null, record: { crmObject: 'deal', crmId: withCompany.id, name: `Deal with ${companyName}`, crmRecordUrl: expect.stringContaining(withCompany.id) } });
    expect(byCrmId(alone.id)).toMatchObject({ name: null, record: { crmObject: 'deal', crmId: alone.id, name: null, crmRecordUrl: expect.stringContaining(alone.id) } });
    const reasons = status.reasons.filter((r) => r.reason === 'open_deal');
    expect(reasons.map((r) => r.record?.name ?? null).sort()).toEqual([`Deal with ${companyName}`, null]);
    env.sandbox.hubspot.control.archiveRecord('deals', withCompany.id);
    env.sandbox.hubspot.control.archiveRecord('deals', alone.id);
    await syncDeals();
  });

  it('a person whose company is a customer (closed-won deal, lifecycle stage customer) is DNC', async () => {
    const wonDeal = deals().find((d) => d.properties['dealstage'] === 'closedwon' && store().associated('companies', companyOfDeal(d.id)!, 'contacts').length)!;
    const companyId = companyOfDeal(wonDeal.id)!;
    customerCompanyName = String(store().records.get('companies')!.get(companyId)!.properties['name']);
    const contact = store().associated('companies', companyId, 'contacts')[0]!.toId;
    customerPerson = (await personIdsOf(env, [contact]))[0]!;
    const status = await dncOf(customerPerson);
    expect(status.dnc).toBe(true);
    const reasons = status.reasons.map((r) => r.reason);
    expect(reasons).toContain('customer');
    // lifecyclestage: about the company (#21), by its name
    expect(status.reasons).toContainEqual({ reason: 'customer', detail: 'customer', dealId: null, record: expect.objectContaining({ crm: 'hubspot', crmObject: 'company', name: customerCompanyName, companyId: expect.any(String) }) });
    expect(status.reasons.some((r) => r.reason === 'customer' && r.dealId !== null)).toBe(true); // closed-won deal
    expect(status.deals.some((d) => d.crmId === wonDeal.id && d.isWon)).toBe(true);
  });

  it('settings: stages and customer rules are configurable (admin only); excluded recipients carry the DNC reason', async () => {
    const campaign = (await request(env.t.server).post('/api/campaigns').set('Cookie', env.a.memberCookie).send({ name: 'DNC check', audiencePersonIds: [openPerson, customerPerson] }).expect(201)).body as CampaignDto;
    const counts = () => request(env.t.server).get(`/api/campaigns/${campaign.id}/recipients/counts`).set('Cookie', env.a.memberCookie).expect(200).then((r) => r.body as RecipientCountsDto);
    expect(await counts()).toEqual({ audience: 2, suppressed: 0, dnc: 2, consent: 0, final: 0 });
    const excluded = (await request(env.t.server).get(`/api/campaigns/${campaign.id}/recipients/excluded`).set('Cookie', env.a.memberCookie).expect(200)).body as ExcludedPageDto;
    expect(excluded.items.find((i) => i.personId === openPerson)?.reasons.map((r) => r.reason)).toEqual(['dnc_open_deal']);
    expect(excluded.items.find((i) => i.personId === customerPerson)?.reasons.map((r) => r.reason)).toContain('dnc_customer');

    await request(env.t.server).put('/api/dnc/settings').set('Cookie', env.a.memberCookie).send({ openDeals: false }).expect(403);
    const s = (await request(env.t.server).put('/api/dnc/settings').set('Cookie', env.a.adminCookie).send({ openDealStages: ['contractsent-never'] }).expect(200)).body as DncSettingsDto;
    expect(s).toMatchObject({ openDeals: true, openDealStages: ['contractsent-never'], closedWonCustomers: true, hubspotCustomerStages: ['customer'] });
    expect(await counts()).toEqual({ audience: 2, suppressed: 0, dnc: 1, consent: 0, final: 1 });
    const bad = await request(env.t.server).put('/api/dnc/settings').set('Cookie', env.a.adminCookie).send({ openDealStages: [''], openDeals: 'yes' }).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['openDealStages', 'openDeals']);
    await request(env.t.server).put('/api/dnc/settings').set('Cookie', env.a.adminCookie).send({ closedWonCustomers: false, hubspotCustomerStages: ['evangelist'], openDealStages: [] }).expect(200);
    expect(await counts()).toEqual({ audience: 2, suppressed: 0, dnc: 1, consent: 0, final: 1 });
    expect((await dncOf(customerPerson)).dnc).toBe(false);
    await request(env.t.server).put('/api/dnc/settings').set('Cookie', env.a.adminCookie).send({ closedWonCustomers: true, hubspotCustomerStages: ['customer'] }).expect(200);
  });

  it('DNC follows the deal changing in the CRM', async () => {
    const open = (await dncOf(openPerson)).deals.find((d) => d.id === openDealId)!;
    env.sandbox.hubspot.control.updateRecord('deals', open.crmId, { dealstage: 'closedlost' });
    await syncDeals();
    const status = await dncOf(openPerson);
    expect(status.deals.find((d) => d.crmId === open.crmId)).toMatchObject({ isClosed: true, isWon: false, stage: 'closedlost' });
    expect(status.reasons.filter((r) => r.reason === 'open_deal' && r.dealId === openDealId)).toEqual([]);
  });

  it('workspace isolation', async () => {
    await request(env.t.server).get(`/api/people/${openPerson}/dnc`).set('Cookie', env.b.adminCookie).expect(404);
    const res = await request(env.t.server).post('/api/dnc/sync').set('Cookie', env.b.adminCookie).send({ connectionId: env.connectionId }).expect(202);
    expect((res.body as { jobIds: string[] }).jobIds).toEqual([]);
    const settings = (await request(env.t.server).get('/api/dnc/settings').set('Cookie', env.b.adminCookie).expect(200)).body as DncSettingsDto;
    expect(settings).toEqual({ openDeals: true, openDealStages: [], closedWonCustomers: true, hubspotCustomerStages: ['customer'], salesforceCustomerTypes: ['Customer'], domains: [] });
    const leaked = await env.t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM person_dnc_reason WHERE workspace_id = $1`, [env.b.id]);
    expect(leaked[0]!.n).toBe(0);
    expect(customerCompanyName).toBeTruthy();
  });
});
