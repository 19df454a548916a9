import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DealPipelineDto, WorkflowDto, WorkflowOwnersDto } from '@conduit/contracts';
import type { CrmAdapter } from '@conduit/crm';
import type { Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { DEFAULT_ACCOUNT_COMPANY, DEFAULT_MQL_HANDOFF, DEFAULT_OPPORTUNITY_DEAL } from '../src/workflows/workflow-defaults.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { type TestApp, waitFor } from './support/test-app.js';
import { startWorkflowsEnv, workflowHelpers, type WorkflowsEnv } from './support/workflows.js';

/** Calls that change a CRM (a sandbox route that is not a read: GETs, searches, batch reads, OAuth are left out). */
function writeCount(byRoute: Record<string, number>): number {
  return Object.entries(byRoute)
    .filter(([route]) => !route.startsWith('GET ') && !/\/search|batch\/read|oauth|\/token|\/query/.test(route))
    .reduce((n, [, c]) => n + c, 0);
}

describe('closed loop: Opportunity → HubSpot deal and Account → HubSpot company (real SDKs against the sandbox)', () => {
  let env: WorkflowsEnv;
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  /** The test's own views of both CRMs, through the adapter contract (acting as salespeople). */
  let sf: CrmAdapter;
  let hs: CrmAdapter;
  let seq = 0;
  let eventId = 7_000_000;

  const hsControl = () => sandbox.hubspot.control;
  const sfControl = () => sandbox.salesforce.control;
  const unique = (tag: string) => `${tag}${Date.now().toString(36)}${seq++}`;
  const { admin, putWorkflow, runs, runsFor, settled, read, poll, deliver } = workflowHelpers(() => env);
  const created = (r: Awaited<ReturnType<CrmAdapter['createMany']>>[number] | undefined): string => {
    if (!r?.ok) throw new Error(`create failed: ${r && !r.ok ? r.error.message : 'no result'}`);
    return r.id;
  };
  /** Every run of every workflow that is not finished yet, then none. */
  const allSettled = () =>
    waitFor(async () => {
      const kinds = ['mql-handoff', 'stage-lifecycle', 'email-change', 'account-hygiene', 'opportunity-deal', 'account-company'];
      const lists = await Promise.all(kinds.map((k) => runs(k)));
      return lists.every((l) => l.every((r) => r.result !== 'pending'));
    }, 30_000);
  const hsRecords = (type: 'companies' | 'deals') => [...(hsControl().store().records.get(type)?.values() ?? [])];
  const hubspotCompaniesWithDomain = (domain: string) => hsRecords('companies').filter((c) => c.properties['domain'] === domain && !c.archived);
  const hubspotDealsNamed = (name: string) => hsRecords('deals').filter((d) => d.properties['dealname'] === name && !d.archived);

  beforeAll(async () => {
    env = await startWorkflowsEnv({ seed: 11, workspace: 'Closed loop', connect: ['hubspot', 'salesforce'] });
    ({ sandbox, t, a, sf, hs } = env);
  }, 120_000);

  afterAll(async () => {
    await env?.close();
  });

  describe('definitions', () => {
    it('lists the two new workflows with their defaults; bodies are validated with the field named', async () => {
      const list = (await request(t.server).get('/api/workflows').set('Cookie', a.memberCookie).expect(200)).body as WorkflowDto[];
      expect(list.map((w) => w.kind)).toEqual(['mql_handoff', 'stage_lifecycle', 'email_change', 'account_hygiene', 'opportunity_deal', 'account_company']);
      expect(list.find((w) => w.kind === 'opportunity_deal')).toMatchObject({ enabled: false, config: DEFAULT_OPPORTUNITY_DEAL });
      expect(list.find((w) => w.kind === 'account_company')).toMatchObject({ enabled: false, config: DEFAULT_ACCOUNT_COMPANY });
      await request(t.server).put('/api/workflows/opportunity-deal').set('Cookie', a.memberCookie).send({ enabled: true }).expect(403);
      const bad = await putWorkflow('opportunity-deal', { config: { ...DEFAULT_OPPORTUNITY_DEAL, stages: [{ stage: 'Closed Won', dealstage: '' }] } }).expect(400);
      expect(JSON.stringify(bad.body)).toContain('config.stages.0.dealstage');
      const badCompany = await putWorkflow('account-company', { config: { ...DEFAULT_ACCOUNT_COMPANY, create: 'yes' } }).expect(400);
      expect(JSON.stringify(badCompany.body)).toContain('config.create');
    });

    it('offers HubSpot’s deal pipelines with their stages, and both CRMs’ owners, for the editor', async () => {
      const pipelines = (await request(t.server).get('/api/workflows/deal-pipelines').set('Cookie', a.memberCookie).expect(200)).body as DealPipelineDto[];
      expect(pipelines).toHaveLength(1);
      expect(pipelines[0]).toMatchObject({ id: 'default', label: 'Sales Pipeline' });
      expect(pipelines[0]!.stages.map((s) => s.id)).toEqual(['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost']);
      expect(pipelines[0]!.stages.find((s) => s.id === 'closedwon')).toEqual({ id: 'closedwon', label: 'Closed Won', closed: true });
      const owners = (await request(t.server).get('/api/workflows/owners').set('Cookie', a.memberCookie).expect(200)).body as WorkflowOwnersDto;
      expect(owners.salesforce.length).toBeGreaterThan(0);
      expect(owners.hubspot.length).toBeGreaterThan(0);
      expect(owners.salesforce[0]).toEqual({ id: expect.any(String), name: expect.any(String), email: expect.any(String), active: expect.any(Boolean) });
      const other = await createWorkspace(t.server, t.dataSource, 'No CRMs');
      expect(((await request(t.server).get('/api/workflows/deal-pipelines').set('Cookie', other.adminCookie).expect(409)).body as { message: string }).message).toContain('HubSpot is not connected');
    });
  });

  describe('Opportunity → HubSpot deal', () => {
    let hubspotOwner: string;
    let salesforceOwner: string;

    beforeAll(async () => {
      const owners = (await admin(request(t.server).get('/api/workflows/owners')).expect(200)).body as WorkflowOwnersDto;
      salesforceOwner = owners.salesforce.find((u) => u.active)!.id;
      hubspotOwner = owners.hubspot[2]!.id;
      await putWorkflow('opportunity-deal', { enabled: true, config: { ...DEFAULT_OPPORTUNITY_DEAL, ownerTable: [{ from: salesforceOwner, to: hubspotOwner }] } }).expect(200);
      await poll(); // history before enabling is not a trigger
    });

    it('creates the deal with mapped stage, amount, close date and owner, associated with its contact roles’ contacts and its Account’s company; a stage/amount change updates the same deal', async () => {
      const tag = unique('deal');
      const domain = `${tag}.example-co.com`;
      const email = `buyer@${domain}`;
      const hsContact = hsControl().createRecord('contacts', { email, firstname: 'Bea', lastname: 'Buyer' }).id;
      const hsCompany = hsControl().createRecord('companies', { name: 'Acme Deal Co', domain }).id;
      const accountId = created((await sf.createMany('company', [{ properties: { Name: 'Acme Deal Co', Website: `https://${domain}` } }]))[0]);
      const contactId = created((await sf.createMany('contact', [{ properties: { LastName: 'Buyer', FirstName: 'Bea', Email: email, AccountId: accountId } }]))[0]);
      const name = `Acme — renewal ${tag}`;
      const oppId = created((await sf.createMany('deal', [{ properties: { Name: name, StageName: 'Prospecting', Amount: 1000, CloseDate: '2026-12-31', AccountId: accountId, OwnerId: salesforceOwner } }]))[0]);
      await sf.associate([{ from: { object: 'deal', id: oppId }, to: { object: 'contact', id: contactId } }]);
      await poll();
      // Two changes (the Opportunity, its contact role): one run writes the deal, the other finds nothing left to do.
      const created_ = await settled('opportunity-deal', oppId, 2);
      const first = created_.find((r) => r.result === 'success');
      expect(first).toMatchObject({ result: 'success', action: 'deal_created', reason: null, trigger: { source: 'salesforce_poll', object: 'deal', recordId: oppId } });
      expect(created_.filter((r) => r !== first).map((r) => r.result)).toEqual(['skipped']);
      // Both runs name the Opportunity (#21), the contact role's run too: the poll reads its Opportunity's Name with the change.
      expect(created_.map((r) => r.record)).toEqual([expect.objectContaining({ crm: 'salesforce', crmObject: 'deal', crmId: oppId, name }), expect.objectContaining({ crm: 'salesforce', crmObject: 'deal', crmId: oppId, name })]);
      const ownerName = ((await admin(request(t.server).get('/api/workflows/owners')).expect(200)).body as WorkflowOwnersDto).hubspot.find((o) => o.id === hubspotOwner)!.name;
      expect(first!.summary).toBe(`Deal '${name}' created in Appointment Scheduled (amount 1,000, closes 2026-12-31, owner ${ownerName}); associated with 1 contact and company Acme Deal Co`);
      const dealId = first!.targetId!;
      expect((await read(hs, 'deal', dealId, ['dealname', 'dealstage', 'pipeline', 'amount', 'closedate', 'hubspot_owner_id'])).properties).toMatchObject({
        dealname: name,
        dealstage: 'appointmentscheduled',
        pipeline: 'default',
        amount: '1000',
        closedate: '2026-12-31T00:00:00.000Z',
        hubspot_owner_id: hubspotOwner,
      });
      expect((await hs.readAssociations('deal', 'contact', [dealId]))[dealId]).toEqual([hsContact]);
      expect((await hs.readAssociations('deal', 'company', [dealId]))[dealId]).toEqual([hsCompany]);

      // The rep moves it to Closed Won with a bigger amount: the same deal moves, nothing is created.
      await sf.updateMany('deal', [{ id: oppId, properties: { StageName: 'Closed Won', Amount: 2500 } }]);
      const hubspotBefore = hsControl().stats().byRoute;
      await poll();
      const list = await settled('opportunity-deal', oppId, 3);
      const second = list.find((r) => !created_.some((c) => c.id === r.id))!;
      expect(second).toMatchObject({ result: 'success', action: 'deal_updated', targetId: dealId, summary: `Deal '${name}' moved to Closed Won and amount 1,000 → 2,500` });
      expect(second.payload).toMatchObject({ deal: { dealstage: 'closedwon', amount: '2500' }, associated: { contacts: [], company: null } });
      expect((await read(hs, 'deal', dealId, ['dealstage', 'amount', 'hs_is_closed_won'])).properties).toMatchObject({ dealstage: 'closedwon', amount: '2500', hs_is_closed_won: 'true' });
      expect(hubspotDealsNamed(name)).toHaveLength(1);
      // One deal write (the batch update); associations were already there.
      const after = hsControl().stats().byRoute;
      const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (hubspotBefore[k] ?? 0)]).filter(([, v]) => Number(v) > 0));
      expect(writeCount(delta)).toBe(1);
    });

    it('a contact role added later (the Opportunity itself unchanged) associates its contact with the deal', async () => {
      const email = `${unique('role')}@roles.example-co.com`;
      const hsContact = hsControl().createRecord('contacts', { email, lastname: 'Later' }).id;
      const contactId = created((await sf.createMany('contact', [{ properties: { LastName: 'Later', Email: email } }]))[0]);
      const name = `Roles ${unique('opp')}`;
      const oppId = created((await sf.createMany('deal', [{ properties: { Name: name, StageName: 'Qualification', CloseDate: '2026-09-30', Amount: 300 } }]))[0]);
      await poll();
      const [first] = await settled('opportunity-deal', oppId);
      expect(first).toMatchObject({ result: 'success', action: 'deal_created' });
      const dealId = first!.targetId!;
      expect((await hs.readAssociations('deal', 'contact', [dealId]))[dealId]).toBeUndefined();
      const modstamp = (await read(sf, 'deal', oppId, ['SystemModstamp'])).updatedAt;

      await sf.associate([{ from: { object: 'deal', id: oppId }, to: { object: 'contact', id: contactId } }]);
      expect((await read(sf, 'deal', oppId, ['SystemModstamp'])).updatedAt).toBe(modstamp);
      await poll();
      const list = await settled('opportunity-deal', oppId, 2);
      const second = list.find((r) => r.id !== first!.id)!;
      expect(second).toMatchObject({ result: 'success', action: 'deal_updated', targetId: dealId, summary: `Deal '${name}' associated with 1 contact. Note: the Opportunity has no Account`, trigger: { detail: { change: 'contact roles', Name: name } } });
      // Named (#21), not "Unnamed Salesforce Opportunity": the Opportunity that changed and the deal written.
      expect(second.record).toMatchObject({ crm: 'salesforce', crmObject: 'deal', crmId: oppId, name, crmRecordUrl: expect.stringContaining(oppId) });
      expect(second.targets).toEqual([expect.objectContaining({ crm: 'hubspot', crmObject: 'deal', crmId: dealId, name })]);
      expect((await hs.readAssociations('deal', 'contact', [dealId]))[dealId]).toEqual([hsContact]);
      await poll();
      expect(await runsFor('opportunity-deal', oppId)).toHaveLength(2);
    });

    it('a stage the table does not map needs attention, with the reason, and writes nothing', async () => {
      const name = `Unmapped ${unique('opp')}`;
      const oppId = created((await sf.createMany('deal', [{ properties: { Name: name, StageName: 'Prospecting', CloseDate: '2026-11-30' } }]))[0]);
      await putWorkflow('opportunity-deal', { config: { ...DEFAULT_OPPORTUNITY_DEAL, stages: DEFAULT_OPPORTUNITY_DEAL.stages.filter((s) => s.stage !== 'Prospecting') } }).expect(200);
      await poll();
      const [run] = await settled('opportunity-deal', oppId);
      expect(run).toMatchObject({ result: 'needs_attention', reason: 'Salesforce stage "Prospecting" has no row in the stage table', summary: `Opportunity '${name}' not written: Salesforce stage "Prospecting" has no row in the stage table` });
      expect(hubspotDealsNamed(name)).toHaveLength(0);
      await putWorkflow('opportunity-deal', { config: { ...DEFAULT_OPPORTUNITY_DEAL, ownerTable: [{ from: salesforceOwner, to: hubspotOwner }] } }).expect(200);
      await admin(request(t.server).post(`/api/workflows/runs/${run!.id}/retry`)).expect(200);
      const [retried] = await settled('opportunity-deal', oppId);
      expect(retried).toMatchObject({ result: 'success', action: 'deal_created' });
      expect(retried!.summary).toContain('. Note: the Opportunity has no Account');
      expect(hubspotDealsNamed(name)).toHaveLength(1);
    });
  });

  describe('Account → HubSpot company', () => {
    beforeAll(async () => {
      await putWorkflow('account-company', { enabled: true }).expect(200);
      await poll();
    });

    it('a new Account creates the company once; a change updates the same company', async () => {
      const domain = `${unique('acct')}.example-co.com`;
      const accountId = created((await sf.createMany('company', [{ properties: { Name: 'Globex Loop', Website: `https://www.${domain}/`, Industry: 'Technology', NumberOfEmployees: 42 } }]))[0]);
      await poll();
      const [first] = await settled('account-company', accountId);
      expect(first).toMatchObject({ result: 'success', action: 'company_created', summary: `Company 'Globex Loop' created for ${domain}` });
      const companies = hubspotCompaniesWithDomain(domain);
      expect(companies).toHaveLength(1);
      expect(first!.targetId).toBe(companies[0]!.id);
      expect((await read(hs, 'company', first!.targetId!, ['name', 'domain', 'industry', 'numberofemployees'])).properties).toMatchObject({ name: 'Globex Loop', domain, industry: 'COMPUTER_SOFTWARE', numberofemployees: '42' });

      await sf.updateMany('company', [{ id: accountId, properties: { Name: 'Globex Loop Inc', NumberOfEmployees: 50 } }]);
      await poll();
      const list = await settled('account-company', accountId, 2);
      const second = list.find((r) => r.id !== first!.id)!;
      expect(second).toMatchObject({ result: 'success', action: 'company_updated', targetId: first!.targetId, summary: `Company 'Globex Loop Inc' (${domain}) updated: renamed from 'Globex Loop', employee count set to 50` });
      expect(hubspotCompaniesWithDomain(domain)).toHaveLength(1);
    });

    it('an Account whose domain a HubSpot company already has updates that company (matched by domain)', async () => {
      const domain = `${unique('match')}.example-co.com`;
      const existing = hsControl().createRecord('companies', { name: 'Initech (marketing name)', domain, industry: 'RETAIL' }).id;
      const accountId = created((await sf.createMany('company', [{ properties: { Name: 'Initech', Website: domain, Industry: 'Banking' } }]))[0]);
      await poll();
      const [run] = await settled('account-company', accountId);
      expect(run).toMatchObject({ result: 'success', action: 'company_updated', targetId: existing, decision: `passed: domain ${domain} (matched by domain)` });
      expect((await read(hs, 'company', existing, ['name', 'industry'])).properties).toMatchObject({ name: 'Initech', industry: 'FINANCIAL_SERVICES' });
      expect(hubspotCompaniesWithDomain(domain)).toHaveLength(1);
    });

    it('the quality gate refuses Accounts without a usable website or with a placeholder name, saying why, and writes nothing', async () => {
      const before = hsRecords('companies').length;
      const noSite = created((await sf.createMany('company', [{ properties: { Name: 'No Website GmbH' } }]))[0]);
      const freeMail = created((await sf.createMany('company', [{ properties: { Name: 'Freelancer', Website: 'gmail.com' } }]))[0]);
      const placeholder = created((await sf.createMany('company', [{ properties: { Name: 'Test', Website: `${unique('ph')}.example-co.com` } }]))[0]);
      await poll();
      expect((await settled('account-company', noSite))[0]).toMatchObject({ result: 'filtered', reason: 'Account "No Website GmbH" has no website to match a HubSpot company on' });
      expect((await settled('account-company', freeMail))[0]).toMatchObject({ result: 'filtered', reason: 'Account "Freelancer" has the website domain gmail.com, which does not identify a company' });
      const [ph] = await settled('account-company', placeholder);
      expect(ph).toMatchObject({ result: 'filtered', reason: 'the Account name "Test" looks like a placeholder', summary: "Account 'Test' not copied to HubSpot: the Account name \"Test\" looks like a placeholder" });
      expect(hsRecords('companies').length).toBe(before);
    });

    it('two Accounts with one new domain at once create one company', async () => {
      const domain = `${unique('twin')}.example-co.com`;
      const ids = [
        created((await sf.createMany('company', [{ properties: { Name: 'Twin One', Website: domain } }]))[0]),
        created((await sf.createMany('company', [{ properties: { Name: 'Twin Two', Website: `https://${domain}` } }]))[0]),
      ];
      await poll();
      const done = await Promise.all(ids.map((id) => settled('account-company', id)));
      expect(done.flat().map((r) => r.result)).toEqual(['success', 'success']);
      expect(hubspotCompaniesWithDomain(domain)).toHaveLength(1);
      expect(new Set(done.flat().map((r) => r.targetId)).size).toBe(1);
    });
  });

  describe('no ping-pong', () => {
    it('companies and deals written by the closed loop trigger no HubSpot → Salesforce workflow; Conduit’s Opportunity from the MQL handoff triggers no deal', async () => {
      // The HubSpot → Salesforce workflows are on, with their webhooks and polls.
      await putWorkflow('mql-handoff', { enabled: true, config: { ...DEFAULT_MQL_HANDOFF, opportunity: { enabled: true, stageName: 'Qualification', amount: 500, closeInDays: 30 } } }).expect(200);
      await putWorkflow('email-change', { enabled: true, config: { direction: 'both', master: 'hubspot' } }).expect(200);
      await poll();
      await allSettled();

      // Salesforce → HubSpot: an Account and an Opportunity a rep creates are written to HubSpot…
      const domain = `${unique('loop')}.example-co.com`;
      const accountId = created((await sf.createMany('company', [{ properties: { Name: 'Loop Co', Website: domain, Industry: 'Technology' } }]))[0]);
      const oppName = `Loop deal ${unique('o')}`;
      const oppId = created((await sf.createMany('deal', [{ properties: { Name: oppName, StageName: 'Qualification', CloseDate: '2026-10-01', Amount: 700, AccountId: accountId } }]))[0]);
      await poll();
      const [company] = await settled('account-company', accountId);
      expect(company).toMatchObject({ result: 'success', action: 'company_created' });
      const [deal] = await settled('opportunity-deal', oppId);
      expect(deal).toMatchObject({ result: 'success', action: 'deal_created' });
      await allSettled();

      // …and nothing comes back: HubSpot's change events for those writes and the next polls write nothing to Salesforce.
      const runsBefore = (await Promise.all(['mql-handoff', 'email-change', 'stage-lifecycle', 'account-hygiene'].map((k) => runs(k)))).flat().length;
      const salesforceBefore = writeCount(sfControl().stats().byRoute);
      const hubspotBefore = writeCount(hsControl().stats().byRoute);
      const companyId = company!.targetId!;
      const dealId = deal!.targetId!;
      expect(
        await deliver([
          { eventId: eventId++, subscriptionType: 'company.creation', objectId: Number(companyId) },
          { eventId: eventId++, subscriptionType: 'company.propertyChange', objectId: Number(companyId), propertyName: 'name', propertyValue: 'Loop Co' },
          { eventId: eventId++, subscriptionType: 'deal.creation', objectId: Number(dealId) },
          { eventId: eventId++, subscriptionType: 'deal.propertyChange', objectId: Number(dealId), propertyName: 'dealstage', propertyValue: 'qualifiedtobuy' },
        ]),
      ).toBe(204);
      await poll();
      await poll();
      await allSettled();
      const runsAfter = (await Promise.all(['mql-handoff', 'email-change', 'stage-lifecycle', 'account-hygiene'].map((k) => runs(k)))).flat().length;
      expect(runsAfter).toBe(runsBefore);
      expect(writeCount(sfControl().stats().byRoute)).toBe(salesforceBefore);
      expect(writeCount(hsControl().stats().byRoute)).toBe(hubspotBefore);
      expect(await runsFor('opportunity-deal', oppId)).toHaveLength(1);
      expect(await runsFor('account-company', accountId)).toHaveLength(1);

      // HubSpot → Salesforce: the MQL handoff writes a Lead and an Opportunity; the Opportunity is Conduit's own write,
      // so Opportunity → deal logs it as an echo and writes no deal.
      const email = `${unique('mql')}@loop-test.example`;
      const hsId = hsControl().createRecord('contacts', { email, firstname: 'Mo', lastname: 'Mql', company: 'Echo Co', country: 'Germany' }).id;
      hsControl().updateRecord('contacts', hsId, { lifecyclestage: 'marketingqualifiedlead' });
      expect(await deliver([{ eventId: eventId++, subscriptionType: 'contact.propertyChange', objectId: Number(hsId), propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead' }])).toBe(204);
      const [handoff] = await settled('mql-handoff', hsId);
      expect(handoff).toMatchObject({ result: 'success', action: 'lead_created+opportunity_created' });
      const opportunity = (handoff!.payload as { opportunity: { Name: string } }).opportunity;
      const dealsBefore = hsRecords('deals').length;
      const hubspotWritesBefore = writeCount(hsControl().stats().byRoute);
      await poll();
      const echoes = await waitFor(async () => {
        const list = (await runs('opportunity-deal')).filter((r) => r.trigger.detail?.['Name'] === opportunity.Name);
        return list.length > 0 && list.every((r) => r.result !== 'pending') && list;
      });
      expect(echoes.map((r) => r.result)).toEqual(['ignored_echo']);
      await allSettled();
      expect(hsRecords('deals').length).toBe(dealsBefore);
      expect(writeCount(hsControl().stats().byRoute)).toBe(hubspotWritesBefore);

      // A rep moving that Opportunity afterwards is a real change: now the deal is written.
      const conduitOpp = echoes[0]!.trigger.recordId;
      await sf.updateMany('deal', [{ id: conduitOpp, properties: { StageName: 'Closed Won' } }]);
      await poll();
      const moved = await waitFor(async () => (await runsFor('opportunity-deal', conduitOpp)).find((r) => r.result === 'success'));
      expect(moved).toMatchObject({ action: 'deal_created' });
      expect(moved.summary).toContain(`Deal '${opportunity.Name}' created in Closed Won`);
    });
  });
});
