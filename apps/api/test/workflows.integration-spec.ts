import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { OpportunityStageDto, WorkflowCountsDto, WorkflowDto, WorkflowLatencyDto, WorkflowRunDto } from '@conduit/contracts';
import type { CrmAdapter } from '@conduit/crm';
import type { Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { DEFAULT_MQL_HANDOFF as DEFAULT_MQL_HANDOFF_FOR_TESTS } from '../src/workflows/workflow-defaults.js';
import { connectCrm } from './support/crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { type TestApp, waitFor } from './support/test-app.js';
import { startWorkflowsEnv, workflowHelpers, type WorkflowsEnv } from './support/workflows.js';

describe('HubSpot ↔ Salesforce workflows (real SDKs against the sandbox)', () => {
  let env: WorkflowsEnv;
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let baseUrl: string;
  /** The test's own views of both CRMs, through the adapter contract (acting as salespeople). */
  let sf: CrmAdapter;
  let hs: CrmAdapter;
  let seq = 0;
  let eventId = 5_000_000;

  const hsControl = () => sandbox.hubspot.control;
  const sfControl = () => sandbox.salesforce.control;
  const uniqueEmail = (tag = 'mql') => `${tag}${Date.now().toString(36)}${seq++}@workflows-test.example`;
  const helpers = workflowHelpers(() => env);
  const { admin, runs, runsFor, settled, read, putWorkflow, poll } = helpers;

  /** A HubSpot contact created as a marketer would (CRM_UI), with an analytics source HubSpot would have set. */
  const hubspotContact = (props: Record<string, string>, source = 'PAID_SEARCH'): string => {
    const created = hsControl().createRecord('contacts', props);
    const stored = hsControl().store().get('contacts', created.id);
    if (stored) stored.properties['hs_analytics_source'] = source;
    return created.id;
  };

  /** Posts signed HubSpot contact property changes to our webhook endpoint (as HubSpot does). */
  const deliver = (events: Record<string, unknown>[]): Promise<number> => helpers.deliver(events, { subscriptionType: 'contact.propertyChange' });
  const mqlEvent = (objectId: string, id = eventId++) => ({ eventId: id, objectId: Number(objectId), propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead' });
  const makeMql = (id: string) => hsControl().updateRecord('contacts', id, { lifecyclestage: 'marketingqualifiedlead' });

  const leadsByExternalId = async (hubspotId: string) => {
    const page = await sf.listChangedSince('lead', null, { pageSize: 2000, properties: ['HubSpot_Contact_ID__c'] });
    return page.records.filter((r) => r.properties['HubSpot_Contact_ID__c'] === hubspotId && !r.archived);
  };
  beforeAll(async () => {
    env = await startWorkflowsEnv({ seed: 9, workspace: 'Bridge', connect: ['hubspot'] });
    ({ sandbox, t, a, baseUrl, sf, hs } = env);
  });

  afterAll(async () => {
    await env?.close();
  });

  describe('definitions', () => {
    it('lists every workflow with defaults; members read, only admins change; enabling needs both CRMs', async () => {
      const list = (await request(t.server).get('/api/workflows').set('Cookie', a.memberCookie).expect(200)).body as WorkflowDto[];
      expect(list.map((w) => [w.kind, w.enabled])).toEqual([['mql_handoff', false], ['stage_lifecycle', false], ['email_change', false], ['account_hygiene', false], ['opportunity_deal', false], ['account_company', false]]);
      await request(t.server).put('/api/workflows/mql-handoff').set('Cookie', a.memberCookie).send({ enabled: true }).expect(403);
      const refused = await putWorkflow('mql-handoff', { enabled: true }).expect(409);
      expect((refused.body as { message: string }).message).toContain('Salesforce');
      await request(t.server).get('/api/workflows/nope').set('Cookie', a.memberCookie).expect(404);
    });

    it('validates bodies with the exact field named', async () => {
      const bad = await putWorkflow('mql-handoff', { config: { ...DEFAULT_MQL_HANDOFF_FOR_TESTS, conditions: [{ property: 'hubspotscore', operator: 'gt', value: 'high' }] } }).expect(400);
      expect(JSON.stringify(bad.body)).toContain('conditions.0.value');
      await putWorkflow('stage-lifecycle', { config: { rules: [], allowBackwards: 'yes' } }).expect(400);
      await putWorkflow('account-hygiene', { config: { fields: ['revenue'], industryTable: [], genericValues: [] } }).expect(400);
      await putWorkflow('email-change', { enabled: false, extra: 1 }).expect(400);
    });

    it('saves a configuration once Salesforce is connected too', async () => {
      await connectCrm(t.server, a.adminCookie, 'salesforce');
      const config = { ...DEFAULT_MQL_HANDOFF_FOR_TESTS, conditions: [{ property: 'country', operator: 'in', value: ['Germany', 'France'] }] };
      const saved = (await putWorkflow('mql-handoff', { enabled: true, config }).expect(200)).body as WorkflowDto;
      expect(saved).toMatchObject({ kind: 'mql_handoff', enabled: true, status: 'active', config: { conditions: config.conditions } });
      expect(((await admin(request(t.server).get('/api/workflows/mql-handoff')).expect(200)).body as WorkflowDto).config).toEqual(config);
    });

    it('refuses names the last field discovery does not know (400 naming the setting); a property created since is accepted after re-discovery', async () => {
      const saved = ((await admin(request(t.server).get('/api/workflows/mql-handoff')).expect(200)).body as WorkflowDto).config;
      const rows = DEFAULT_MQL_HANDOFF_FOR_TESTS.fieldMap.length;
      const config = {
        ...DEFAULT_MQL_HANDOFF_FOR_TESTS,
        conditions: [{ property: 'wf_budget_band', operator: 'eq', value: 'large' }],
        fieldMap: [...DEFAULT_MQL_HANDOFF_FOR_TESTS.fieldMap, { hubspot: 'conduit_score', salesforce: 'Conduit_Score__c' }, { hubspot: 'email', salesforce: 'CreatedDate' }],
      };
      const bad = await putWorkflow('mql-handoff', { config }).expect(400);
      expect(bad.body).toMatchObject({
        errors: [
          { field: 'config.conditions.0.property', messages: [expect.stringContaining('HubSpot has no contact property "wf_budget_band"')] },
          { field: `config.fieldMap.${rows + 1}.salesforce`, messages: ['Lead.CreatedDate is read-only in Salesforce'] },
        ],
      });
      // Created in HubSpot after the last discovery: refused until the fields are read again, then saved.
      hsControl().addProperty('contacts', { name: 'wf_budget_band', label: 'Budget band', type: 'enumeration', fieldType: 'select', options: [{ value: 'large', label: 'Large', displayOrder: 0, hidden: false }] });
      const fixed = { ...config, fieldMap: config.fieldMap.slice(0, rows + 1) };
      await putWorkflow('mql-handoff', { config: fixed }).expect(400);
      await admin(request(t.server).post('/api/connections/hubspot/discover')).expect(200);
      expect(((await putWorkflow('mql-handoff', { config: fixed }).expect(200)).body as WorkflowDto).config).toMatchObject({ conditions: fixed.conditions });
      await putWorkflow('mql-handoff', { config: saved }).expect(200);
    });

    it('lists the Salesforce Opportunity stage values for the stage pickers, saying which close the deal (409 while the CRMs are not connected)', async () => {
      const stages = (await request(t.server).get('/api/workflows/opportunity-stages').set('Cookie', a.memberCookie).expect(200)).body as OpportunityStageDto[];
      expect(stages.map((s) => s.value)).toEqual(['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost']);
      expect(stages.every((s) => s.label.length > 0)).toBe(true);
      // From the org's OpportunityStage rows: the do-not-contact deal stages leave these out (only open deals count).
      expect(stages.filter((s) => s.closed).map((s) => s.value)).toEqual(['Closed Won', 'Closed Lost']);
      const other = await createWorkspace(t.server, t.dataSource, 'No CRMs yet');
      const refused = await request(t.server).get('/api/workflows/opportunity-stages').set('Cookie', other.adminCookie).expect(409);
      expect((refused.body as { message: string }).message).toContain('Salesforce is not connected');
    });
  });

  describe('MQL handoff', () => {
    it('a contact becoming MQL (sandbox webhook) → Lead upserted by external id with mapped fields and translated source', async () => {
      hsControl().setWebhookTarget(`${baseUrl}/api/webhooks/hubspot`);
      const email = uniqueEmail();
      const id = hubspotContact({ email, firstname: 'Ada', lastname: 'Lovelace', company: 'Analytical Engines', jobtitle: 'CTO', country: 'Germany' }, 'PAID_SEARCH');
      makeMql(id);
      await hsControl().flushWebhooks();
      const [run] = await settled('mql-handoff', id);
      expect(run).toMatchObject({ result: 'success', action: 'lead_created', decision: 'passed', trigger: { source: 'hubspot_webhook', object: 'contact', recordId: id } });
      expect(run!.latencyMs).toEqual(expect.any(Number));
      const leads = await leadsByExternalId(id);
      expect(leads).toHaveLength(1);
      expect(run!.targetId).toBe(leads[0]!.id);
      // In words (#21): the contact that changed and the Lead written, by name, each linked to its CRM page.
      expect(run!.record).toMatchObject({ crm: 'hubspot', crmObject: 'contact', crmId: id, name: 'Ada Lovelace', crmRecordUrl: expect.stringContaining(id) });
      expect(run!.targets).toEqual([expect.objectContaining({ crm: 'salesforce', crmObject: 'lead', crmId: leads[0]!.id, name: 'Ada Lovelace', crmRecordUrl: expect.stringContaining(leads[0]!.id) })]);
      const lead = await read(sf, 'lead', leads[0]!.id, ['FirstName', 'LastName', 'Email', 'Company', 'Title', 'Country', 'LeadSource']);
      expect(lead.properties).toMatchObject({ FirstName: 'Ada', LastName: 'Lovelace', Email: email, Company: 'Analytical Engines', Title: 'CTO', Country: 'Germany', LeadSource: 'Advertisement' });
      expect(run!.payload).toMatchObject({ lead: { LeadSource: 'Advertisement', HubSpot_Contact_ID__c: id } });
      hsControl().setWebhookTarget(null);
    });

    it('the filter rejects a contact outside the countries; the run says why and nothing is written', async () => {
      const id = hubspotContact({ email: uniqueEmail(), lastname: 'Outside', country: 'Brazil' });
      makeMql(id);
      expect(await deliver([mqlEvent(id)])).toBe(204);
      const [run] = await settled('mql-handoff', id);
      expect(run).toMatchObject({ result: 'filtered', decision: 'rejected: country in ["Germany","France"] failed (value: "Brazil")', action: null });
      expect(await leadsByExternalId(id)).toHaveLength(0);
    });

    it('the same delivery twice at once and two events at once → one run per event and one Lead', async () => {
      const id = hubspotContact({ email: uniqueEmail(), lastname: 'Twice', company: 'Race Co', country: 'France' });
      makeMql(id);
      const same = mqlEvent(id);
      const statuses = await Promise.all([deliver([same]), deliver([same]), deliver([mqlEvent(id)]), deliver([mqlEvent(id)])]);
      expect(statuses).toEqual([204, 204, 204, 204]);
      const list = await settled('mql-handoff', id, 3);
      expect(list).toHaveLength(3);
      // Runs that started after another run of the contact had read it are skipped as covered by it.
      const done = list.filter((r) => r.result === 'success');
      expect(done.length).toBeGreaterThanOrEqual(1);
      for (const r of list.filter((x) => x.result !== 'success')) expect(r).toMatchObject({ result: 'skipped', decision: 'superseded', supersededBy: { runId: expect.any(String) }, retryable: false });
      const leads = await leadsByExternalId(id);
      expect(leads).toHaveLength(1);
      expect(new Set(done.map((r) => r.targetId))).toEqual(new Set([leads[0]!.id]));
    });

    it('a late delivery of a change a later run already read is skipped as replaced by that run, in words and linked, and cannot be retried', async () => {
      const id = hubspotContact({ email: uniqueEmail('late'), lastname: 'Late', company: 'Late Co', country: 'Germany' });
      makeMql(id);
      await deliver([mqlEvent(id)]);
      const [done] = await settled('mql-handoff', id);
      expect(done).toMatchObject({ result: 'success', supersededBy: null, retryable: false });
      // HubSpot retries a delivery of the change from before that run read the contact (it happened a minute ago).
      expect(await deliver([{ ...mqlEvent(id), occurredAt: Date.now() - 60_000 }])).toBe(204);
      const late = (await settled('mql-handoff', id, 2)).find((r) => r.id !== done!.id)!;
      expect(late).toMatchObject({
        result: 'skipped',
        supersededBy: { runId: done!.id },
        reason: 'A later run of this record replaced this one: it read the record after this change, so there was nothing left to do',
        retryable: false,
        // Nothing was written: no payload. The record is the contact; its name comes from what Conduit holds of it,
        // which a skipped run's own data does not carry (named only once Conduit has imported the contact: the
        // clean-clone CI read it before, null; run alone, never).
        payload: null,
        record: { crmId: id },
      });
      const refused = await admin(request(t.server).post(`/api/workflows/runs/${late.id}/retry`)).expect(409);
      expect((refused.body as { message: string }).message).toBe('A later run of this record replaced this run and did its work: there is nothing to retry');
      expect(((await admin(request(t.server).get(`/api/workflows/runs/${late.id}`)).expect(200)).body as WorkflowRunDto).result).toBe('skipped');
      expect(await leadsByExternalId(id)).toHaveLength(1);
    });

    it('a person already converted in Salesforce → the Contact is updated, no Lead is created', async () => {
      const email = uniqueEmail('conv');
      const [created] = await sf.createMany('lead', [{ properties: { Email: email, LastName: 'Converted', Company: 'Conv Co' } }]);
      const leadId = created!.ok ? created!.id : '';
      const { contactId } = sfControl().convertLead(leadId);
      const id = hubspotContact({ email, firstname: 'Grace', lastname: 'Converted', jobtitle: 'Head of Ops', country: 'Germany' });
      makeMql(id);
      await deliver([mqlEvent(id)]);
      const [run] = await settled('mql-handoff', id);
      expect(run).toMatchObject({ result: 'success', action: 'converted_lead_contact_updated', targetId: contactId });
      expect((await read(sf, 'contact', contactId, ['Title', 'FirstName'])).properties).toMatchObject({ Title: 'Head of Ops', FirstName: 'Grace' });
      expect(await leadsByExternalId(id)).toHaveLength(0);
    });

    it('a duplicate rule answer → the matched Lead is updated and stamped with the HubSpot id', async () => {
      const email = uniqueEmail('dupe');
      const [created] = await sf.createMany('lead', [{ properties: { Email: email, LastName: 'RepFirst', Company: 'Rep Inc' } }]);
      const repId = created!.ok ? created!.id : '';
      const id = hubspotContact({ email, lastname: 'FromHubSpot', jobtitle: 'Buyer', country: 'Germany' });
      makeMql(id);
      await deliver([mqlEvent(id)]);
      const [run] = await settled('mql-handoff', id);
      expect(run).toMatchObject({ result: 'success', action: 'duplicate_matched_updated', targetId: repId });
      expect((await read(sf, 'lead', repId, ['Title', 'HubSpot_Contact_ID__c'])).properties).toMatchObject({ Title: 'Buyer', HubSpot_Contact_ID__c: id });
      const page = await sf.findByEmails([email], { properties: ['Email'] });
      expect(page.map((m) => m.record.id)).toEqual([repId]);
    });

    it('a value that is not an allowed picklist option → Needs attention with the exact reason; fixed config + retry succeeds', async () => {
      const bad = { ...DEFAULT_MQL_HANDOFF_FOR_TESTS, fieldMap: [...DEFAULT_MQL_HANDOFF_FOR_TESTS.fieldMap, { hubspot: null, salesforce: 'Status', default: 'MQL - Pending Review' }] };
      await putWorkflow('mql-handoff', { config: bad }).expect(200);
      const id = hubspotContact({ email: uniqueEmail('pick'), lastname: 'Picky', country: 'Germany' });
      makeMql(id);
      await deliver([mqlEvent(id)]);
      const [run] = await settled('mql-handoff', id);
      expect(run!.result).toBe('needs_attention');
      expect(run!.reason).toMatch(/^Lead\.Status: .*MQL - Pending Review.*\(default\)$/);
      expect(await leadsByExternalId(id)).toHaveLength(0);

      await putWorkflow('mql-handoff', { config: { ...bad, fieldMap: [...DEFAULT_MQL_HANDOFF_FOR_TESTS.fieldMap, { hubspot: null, salesforce: 'Status', default: 'Working - Contacted' }] } }).expect(200);
      const retried = (await admin(request(t.server).post(`/api/workflows/runs/${run!.id}/retry`)).expect(200)).body as WorkflowRunDto;
      expect(retried.result).toBe('pending');
      const [after] = await settled('mql-handoff', id);
      expect(after).toMatchObject({ result: 'success', attempts: 2 });
      expect((await read(sf, 'lead', (await leadsByExternalId(id))[0]!.id, ['Status'])).properties['Status']).toBe('Working - Contacted');
      await admin(request(t.server).post(`/api/workflows/runs/${run!.id}/retry`)).expect(409);
      await putWorkflow('mql-handoff', { config: DEFAULT_MQL_HANDOFF_FOR_TESTS }).expect(200);
    });

    it('owner from the territory table and an optional Opportunity on create', async () => {
      const [berlin, rest] = sfControl().users().filter((u) => u.active);
      const config = {
        ...DEFAULT_MQL_HANDOFF_FOR_TESTS,
        owner: { kind: 'territory', territories: [{ country: 'Germany', state: 'Berlin', ownerId: berlin!.id }, { country: 'Germany', ownerId: rest!.id }], defaultOwnerId: null },
        opportunity: { enabled: true, stageName: 'Qualification', amount: 5000, closeInDays: 14 },
      };
      await putWorkflow('mql-handoff', { config }).expect(200);
      const id = hubspotContact({ email: uniqueEmail('owner'), lastname: 'Territory', company: 'Berlin GmbH', country: 'Germany', state: 'Berlin' });
      makeMql(id);
      await deliver([mqlEvent(id)]);
      const [run] = await settled('mql-handoff', id);
      expect(run).toMatchObject({ result: 'success', action: 'lead_created+opportunity_created' });
      expect((await read(sf, 'lead', run!.targetId!, ['OwnerId'])).properties['OwnerId']).toBe(berlin!.id);
      const opp = (run!.payload as { opportunity: Record<string, unknown> }).opportunity;
      expect(opp).toMatchObject({ StageName: 'Qualification', Amount: 5000, Name: 'Berlin GmbH – Territory' });
      const deals = await sf.listChangedSince('deal', null, { pageSize: 2000, properties: ['Name', 'StageName', 'Amount'] });
      expect(deals.records.filter((d) => d.properties['Name'] === 'Berlin GmbH – Territory')).toHaveLength(1);
      await putWorkflow('mql-handoff', { config: { ...config, opportunity: { ...config.opportunity, enabled: false } } }).expect(200);
      const other = hubspotContact({ email: uniqueEmail('owner'), lastname: 'Munich', country: 'Germany', state: 'Bavaria' });
      makeMql(other);
      await deliver([mqlEvent(other)]);
      const [second] = await settled('mql-handoff', other);
      expect(second).toMatchObject({ result: 'success', action: 'lead_created' });
      expect((await read(sf, 'lead', second!.targetId!, ['OwnerId'])).properties['OwnerId']).toBe(rest!.id);
      await putWorkflow('mql-handoff', { config: DEFAULT_MQL_HANDOFF_FOR_TESTS }).expect(200);
    });

    it('counts per result and latency percentiles', async () => {
      const counts = (await admin(request(t.server).get('/api/workflows/mql-handoff/counts')).expect(200)).body as WorkflowCountsDto;
      expect(counts.counts.success).toBeGreaterThanOrEqual(5);
      expect(counts.counts.filtered).toBe(1);
      expect(counts.counts.pending).toBe(0);
      expect(counts.latency.p95Ms).toEqual(expect.any(Number));
      expect((await admin(request(t.server).get('/api/workflows/mql-handoff/runs?result=filtered')).expect(200)).body).toHaveLength(1);
      const latency = (await admin(request(t.server).get('/api/workflows/mql-handoff/latency?window=1h')).expect(200)).body as WorkflowLatencyDto;
      expect(latency).toMatchObject({ kind: 'mql_handoff', window: '1h', bucketSeconds: 60 });
      expect(latency.points.reduce((n, p) => n + p.runs, 0)).toBe(counts.counts.success);
      for (const p of latency.points) expect(p.p95Ms).toBeGreaterThanOrEqual(p.p50Ms);
      const badWindow = await admin(request(t.server).get('/api/workflows/mql-handoff/latency?window=1y')).expect(400);
      expect(badWindow.body).toMatchObject({ errors: [{ field: 'window' }] });
    });
  });

  describe('MQL handoff without a webhook', () => {
    // After the counts test: while this one waits on a slow Salesforce, the periodic MQL poll may trigger again the
    // contact the filter rejected earlier (never handed off), which would add a filtered run.
    it('40 contacts becoming MQL at once, each delivered twice at once, against a slow Salesforce with 429s: their runs execute together, one Lead each', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => hubspotContact({ email: uniqueEmail('burst'), lastname: `Burst${i}`, company: 'Burst Co', country: 'Germany' }));
      for (const id of ids) makeMql(id);
      // Every Salesforce call takes 400 ms more, and two upserts answer 429: runs that wait on the CRM overlap.
      sfControl().setFaults([{ latencyMs: 400 }, { method: 'PATCH', path: '/services/data/', status: 429, times: 2 }], 5);
      try {
        const statuses = await Promise.all(ids.flatMap((id) => { const e = mqlEvent(id); return [deliver([e]), deliver([e])]; }));
        expect(statuses.every((s) => s === 204)).toBe(true);
        for (const id of ids) await settled('mql-handoff', id);
      } finally {
        sfControl().clearFaults();
      }
      const all = (await runs('mql-handoff')).filter((r) => ids.includes(r.trigger.recordId));
      expect(all).toHaveLength(40);
      expect(all.every((r) => r.result === 'success')).toBe(true);
      for (const id of ids) expect(await leadsByExternalId(id)).toHaveLength(1);
      // More runs executed at once than the 16 the processor used to allow.
      const spans = await t.dataSource.query<{ started_at: Date; finished_at: Date }[]>(
        `SELECT started_at, finished_at FROM workflow_run WHERE workspace_id = $1 AND trigger->>'recordId' = ANY($2::text[])`,
        [a.id, ids],
      );
      let running = 0;
      let most = 0;
      for (const [, d] of spans.flatMap((r) => [[r.started_at.getTime(), 1], [r.finished_at.getTime(), -1]] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1])) most = Math.max(most, (running += d));
      expect(most).toBeGreaterThan(16);
    });

    it('the poll finds a contact that became MQL while no webhook arrived and hands it off once', async () => {
      await poll(); // catch the HubSpot cursor up with the contacts above
      const id = hubspotContact({ email: uniqueEmail('polled'), lastname: 'Polled', company: 'Quiet Co', country: 'France' }, 'ORGANIC_SEARCH');
      makeMql(id);
      await poll();
      const [run] = await settled('mql-handoff', id);
      expect(run).toMatchObject({ result: 'success', action: 'lead_created', trigger: { source: 'hubspot_poll', object: 'contact', recordId: id } });
      const leads = await leadsByExternalId(id);
      expect(leads).toHaveLength(1);
      expect((await read(sf, 'lead', leads[0]!.id, ['LeadSource'])).properties['LeadSource']).toBe('Web');
      await poll();
      expect(await runsFor('mql-handoff', id)).toHaveLength(1);
    });
  });

  describe('stage → lifecycle', () => {
    it('an Opportunity stage change moves the contacts’ lifecycle forward, never backwards', async () => {
      await putWorkflow('stage-lifecycle', { enabled: true }).expect(200);
      await poll(); // first poll: history before enabling is skipped
      const email = uniqueEmail('stage');
      const hsId = hubspotContact({ email, lastname: 'Staged' });
      const [acc] = await sf.createMany('company', [{ properties: { Name: 'Stage Corp' } }]);
      const [con] = await sf.createMany('contact', [{ properties: { LastName: 'Staged', Email: email, AccountId: acc!.ok ? acc!.id : null } }]);
      const contactId = con!.ok ? con!.id : '';
      const [opp] = await sf.createMany('deal', [{ properties: { Name: 'Stage deal', StageName: 'Prospecting', CloseDate: '2026-12-31', Amount: 1000 } }]);
      const oppId = opp!.ok ? opp!.id : '';
      await sf.associate([{ from: { object: 'deal', id: oppId }, to: { object: 'contact', id: contactId } }]);
      await sf.updateMany('deal', [{ id: oppId, properties: { StageName: 'Negotiation/Review' } }]);
      await poll();
      const [first] = await settled('stage-lifecycle', oppId);
      expect(first).toMatchObject({ reason: null, result: 'success', action: 'lifecycle_moved', decision: 'StageName "Negotiation/Review", Amount 1000 → opportunity' });
      expect((await read(hs, 'contact', hsId, ['lifecyclestage'])).properties['lifecyclestage']).toBe('opportunity');

      // Back to Qualification (→ salesqualifiedlead) is backwards: refused and said so.
      await sf.updateMany('deal', [{ id: oppId, properties: { StageName: 'Qualification' } }]);
      await poll();
      const list = await settled('stage-lifecycle', oppId, 2);
      const back = list.find((r) => r.id !== first!.id)!;
      expect(back).toMatchObject({ result: 'skipped' });
      expect(back.reason).toContain('opportunity → salesqualifiedlead would move backwards (not allowed)');
      expect((await read(hs, 'contact', hsId, ['lifecyclestage'])).properties['lifecyclestage']).toBe('opportunity');

      await sf.updateMany('deal', [{ id: oppId, properties: { StageName: 'Closed Won' } }]);
      await poll();
      await settled('stage-lifecycle', oppId, 3);
      expect((await read(hs, 'contact', hsId, ['lifecyclestage'])).properties['lifecyclestage']).toBe('customer');
    });
  });

  describe('email change, one master per field and no ping-pong', () => {
    const emailRow = DEFAULT_MQL_HANDOFF_FOR_TESTS.fieldMap.findIndex((r) => r.hubspot === 'email');

    it('a field mapped both ways must name its master: 400 naming the field, and conflicting masters refused', async () => {
      const none = await putWorkflow('email-change', { enabled: true, config: { direction: 'both' } }).expect(400);
      expect(none.body).toMatchObject({ errors: [{ field: 'config.master', messages: [expect.stringContaining('HubSpot email ↔ Salesforce Email is mapped both ways')] }] });
      expect(((await admin(request(t.server).get('/api/workflows/email-change')).expect(200)).body as WorkflowDto).enabled).toBe(false);
      await putWorkflow('email-change', { enabled: true, config: { direction: 'both', master: 'hubspot' } }).expect(200);
      const conflicting = { ...DEFAULT_MQL_HANDOFF_FOR_TESTS, fieldMap: DEFAULT_MQL_HANDOFF_FOR_TESTS.fieldMap.map((r, i) => (i === emailRow ? { ...r, master: 'salesforce' } : r)) };
      const conflict = await putWorkflow('mql-handoff', { config: conflicting }).expect(400);
      expect(conflict.body).toMatchObject({ errors: [{ field: `config.fieldMap.${emailRow}.master`, messages: [expect.stringContaining('names both HubSpot and Salesforce as master')] }] });
      await putWorkflow('email-change', { config: { direction: 'both', master: 'bogus' } }).expect(400);
    });

    it('a HubSpot email change updates the linked Lead (by stored id); the echo is ignored; the non-master side never overwrites', async () => {
      await poll();
      const oldEmail = uniqueEmail('old');
      const id = hubspotContact({ email: oldEmail, lastname: 'Mover', company: 'Move Co', country: 'Germany' });
      makeMql(id);
      await deliver([mqlEvent(id)]);
      const [handoff] = await settled('mql-handoff', id);
      const leadId = handoff!.targetId!;
      await poll(); // the Lead Conduit just wrote shows up as a Salesforce change: its Email is our own write
      const newEmail = uniqueEmail('new');
      hsControl().updateRecord('contacts', id, { email: newEmail });
      await deliver([{ eventId: eventId++, objectId: Number(id), propertyName: 'email', propertyValue: newEmail }]);
      const [change] = await settled('email-change', id);
      expect(change).toMatchObject({ result: 'success', action: 'lead_email_updated', targetId: leadId, trigger: { source: 'hubspot_webhook' } });
      expect((await read(sf, 'lead', leadId, ['Email'])).properties['Email']).toBe(newEmail);

      const hubspotWrites = () => Object.entries(hsControl().stats().byRoute).filter(([route]) => route.startsWith('PATCH ') || /batch\/(update|upsert)/.test(route)).reduce((n, [, c]) => n + c, 0);
      const hubspotWritesBefore = hubspotWrites();
      await poll();
      const echoes = await waitFor(async () => {
        const r = await runsFor('email-change', leadId);
        return r.length > 0 && r.every((x) => x.result !== 'pending') && r;
      });
      expect(echoes.map((r) => r.result)).toContain('ignored_echo');
      expect(echoes.every((r) => r.result === 'ignored_echo' || r.result === 'skipped')).toBe(true);
      expect(hubspotWrites()).toBe(hubspotWritesBefore);
      expect((await read(hs, 'contact', id, ['email'])).properties['email']).toBe(newEmail);

      // HubSpot is master: a salesperson's change in Salesforce does not overwrite HubSpot.
      const ignoredEmail = uniqueEmail('rep');
      await sf.updateMany('lead', [{ id: leadId, properties: { Email: ignoredEmail } }]);
      await poll();
      const kept = await waitFor(async () => (await runsFor('email-change', leadId)).find((r) => r.decision === 'HubSpot is master of email: its value is kept'));
      expect(kept).toMatchObject({ result: 'skipped', payload: { email: newEmail, salesforce: ignoredEmail } });
      expect(hubspotWrites()).toBe(hubspotWritesBefore);
      expect((await read(hs, 'contact', id, ['email'])).properties['email']).toBe(newEmail);

      // Salesforce becomes master: its change flows to HubSpot…
      await putWorkflow('email-change', { config: { direction: 'both', master: 'salesforce' } }).expect(200);
      const repEmail = uniqueEmail('rep');
      await sf.updateMany('lead', [{ id: leadId, properties: { Email: repEmail } }]);
      await poll();
      await waitFor(async () => (await runsFor('email-change', leadId)).some((r) => r.result === 'success'));
      expect((await read(hs, 'contact', id, ['email'])).properties['email']).toBe(repEmail);
      // …HubSpot's webhook for that write is recognised as ours…
      await deliver([{ eventId: eventId++, objectId: Number(id), propertyName: 'email', propertyValue: repEmail }]);
      const back = await waitFor(async () => {
        const r = (await runsFor('email-change', id)).filter((x) => x.id !== change!.id);
        return r.length > 0 && r.every((x) => x.result !== 'pending') && r;
      });
      expect(back.map((r) => r.result)).toEqual(['ignored_echo']);
      expect((await read(sf, 'lead', leadId, ['Email'])).properties['Email']).toBe(repEmail);
      // …and a marketer's change in HubSpot no longer overwrites Salesforce.
      const marketerEmail = uniqueEmail('mkt');
      hsControl().updateRecord('contacts', id, { email: marketerEmail });
      await deliver([{ eventId: eventId++, objectId: Number(id), propertyName: 'email', propertyValue: marketerEmail }]);
      const refused = await waitFor(async () => (await runsFor('email-change', id)).find((r) => r.decision === 'Salesforce is master of email: its value is kept'));
      expect(refused).toMatchObject({ result: 'skipped', targetId: leadId });
      expect((await read(sf, 'lead', leadId, ['Email'])).properties['Email']).toBe(repEmail);
    });

    it('a handoff field whose master is Salesforce fills an empty value but never overwrites the Lead', async () => {
      const titleRow = DEFAULT_MQL_HANDOFF_FOR_TESTS.fieldMap.findIndex((r) => r.salesforce === 'Title');
      const config = { ...DEFAULT_MQL_HANDOFF_FOR_TESTS, fieldMap: DEFAULT_MQL_HANDOFF_FOR_TESTS.fieldMap.map((r, i) => (i === titleRow ? { ...r, master: 'salesforce' } : r)) };
      await putWorkflow('mql-handoff', { config }).expect(200);
      const id = hubspotContact({ email: uniqueEmail('master'), firstname: 'Old', lastname: 'Mastered', jobtitle: 'CTO', country: 'Germany' });
      makeMql(id);
      await deliver([mqlEvent(id)]);
      const [first] = await settled('mql-handoff', id);
      expect(first).toMatchObject({ result: 'success', action: 'lead_created' });
      const leadId = first!.targetId!;
      expect((await read(sf, 'lead', leadId, ['Title'])).properties['Title']).toBe('CTO');

      await sf.updateMany('lead', [{ id: leadId, properties: { Title: 'VP Engineering' } }]);
      hsControl().updateRecord('contacts', id, { jobtitle: 'Chief Tinkerer', firstname: 'New' });
      await deliver([mqlEvent(id)]);
      const list = await settled('mql-handoff', id, 2);
      const second = list.find((r) => r.id !== first!.id)!;
      expect(second).toMatchObject({ result: 'success', action: 'lead_updated', targetId: leadId, payload: { keptSalesforceValues: ['Title'] } });
      expect((await read(sf, 'lead', leadId, ['Title', 'FirstName'])).properties).toMatchObject({ Title: 'VP Engineering', FirstName: 'New' });
      await putWorkflow('mql-handoff', { config: DEFAULT_MQL_HANDOFF_FOR_TESTS }).expect(200);
    });
  });

  describe('account hygiene', () => {
    it('Account changes update the HubSpot company by domain through the quality gate (no empty/generic overwrites)', async () => {
      await putWorkflow('account-hygiene', { enabled: true }).expect(200);
      await poll();
      const domain = `hygiene${Date.now().toString(36)}.example`;
      const company = hsControl().createRecord('companies', { name: 'Hygiene Original', domain, industry: 'RETAIL' });
      const [acc] = await sf.createMany('company', [{ properties: { Name: 'Hygiene Corp', Website: `https://www.${domain}/about`, Industry: 'Technology', NumberOfEmployees: 320 } }]);
      const accountId = acc!.ok ? acc!.id : '';
      await poll();
      const [first] = await settled('account-hygiene', accountId);
      expect(first).toMatchObject({ result: 'success', action: 'company_updated', targetId: company.id });
      expect((await read(hs, 'company', company.id, ['name', 'industry', 'numberofemployees'])).properties).toMatchObject({ name: 'Hygiene Corp', industry: 'COMPUTER_SOFTWARE', numberofemployees: '320' });

      await sf.updateMany('company', [{ id: accountId, properties: { Name: 'N/A', Industry: null, NumberOfEmployees: null } }]);
      await poll();
      const list = await settled('account-hygiene', accountId, 2);
      const gated = list.find((r) => r.id !== first!.id)!;
      expect(gated.result).toBe('skipped');
      expect(gated.reason).toContain('name: Salesforce Name is generic ("N/A")');
      expect(gated.reason).toContain('industry: Salesforce Industry is empty');
      expect((await read(hs, 'company', company.id, ['name', 'industry', 'numberofemployees'])).properties).toMatchObject({ name: 'Hygiene Corp', industry: 'COMPUTER_SOFTWARE', numberofemployees: '320' });
    });
  });

  describe('auth failures', () => {
    it('a revoked Salesforce grant pauses the workflow with the reason instead of retrying forever; resume after reconnect', async () => {
      const row = (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = 'salesforce'`, [a.id]))[0]!;
      await t.dataSource.query(`UPDATE crm_connection SET status = 'needs_reconnect', last_error = 'Salesforce refused the refresh token (invalid_grant): connect again' WHERE id = $1`, [row.id]);
      const id = hubspotContact({ email: uniqueEmail('auth'), lastname: 'Paused', country: 'Germany' });
      makeMql(id);
      await deliver([mqlEvent(id)]);
      const [run] = await settled('mql-handoff', id);
      expect(run).toMatchObject({ result: 'failed', attempts: 1 });
      expect(run!.reason).toContain('Salesforce authorization failed');
      const wf = (await admin(request(t.server).get('/api/workflows/mql-handoff')).expect(200)).body as WorkflowDto;
      expect(wf).toMatchObject({ status: 'paused', pausedCrm: 'salesforce' });
      expect(wf.pausedReason).toContain('invalid_grant');
      await admin(request(t.server).post(`/api/workflows/runs/${run!.id}/retry`)).expect(409);

      await connectCrm(t.server, a.adminCookie, 'salesforce');
      expect((await admin(request(t.server).post('/api/workflows/mql-handoff/resume')).expect(200)).body).toMatchObject({ status: 'active', pausedReason: null, pausedCrm: null });
      await admin(request(t.server).post(`/api/workflows/runs/${run!.id}/retry`)).expect(200);
      const [after] = await settled('mql-handoff', id);
      expect(after).toMatchObject({ result: 'success', action: 'lead_created' });
    });
  });
});
