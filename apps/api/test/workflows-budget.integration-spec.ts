import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WorkflowRunDto } from '@conduit/contracts';
import type { Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { DEFAULT_MQL_HANDOFF } from '../src/workflows/workflow-defaults.js';
import { WorkflowBudgetWaits } from '../src/workflows/workflow-budget-waits.js';
import { type TestApp, waitFor } from './support/test-app.js';
import { startWorkflowsEnv, workflowHelpers, type WorkflowsEnv } from './support/workflows.js';

/**
 * Workflow handoffs past the daily API budget (#17): an MQL handoff whose Salesforce org has spent its rolling day
 * (another integration, sandbox control; Salesforce answers 403 REQUEST_LIMIT_EXCEEDED) waits with the reason and the
 * time of its next try, makes no further call meanwhile, and hands the contact over once after the org has calls
 * again. The Salesforce sandbox's limits clock is Conduit's budget clock (CrmRuntimeOptions.now).
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const LIMIT = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Workflow handoffs past the daily API budget wait for the CRM (Salesforce sandbox, real SDKs)', () => {
  let env: WorkflowsEnv;
  let sandbox: Sandbox;
  let t: TestApp;
  let eventId = 7_000_000;
  const helpers = workflowHelpers(() => env);
  const { runsFor, putWorkflow } = helpers;
  const sf = () => sandbox.salesforce.control;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    env = await startWorkflowsEnv({ seed: 173, workspace: 'BudgetBridge', connect: ['hubspot', 'salesforce'], crmRuntime: (s) => ({ now: () => s.salesforce.control.clock.now() }) });
    ({ sandbox, t } = env);
    sf().configure({ dailyApiLimit: LIMIT });
    await putWorkflow('mql-handoff', { enabled: true, config: DEFAULT_MQL_HANDOFF }).expect(200);
  }, 120_000);

  afterAll(async () => {
    await env?.close();
  });

  const mql = async (n: number): Promise<string> => {
    const created = sandbox.hubspot.control.createRecord('contacts', { email: `budget${n}-${tag}@bridge-budget.example`, firstname: 'Budget', lastname: `Bridge${n}`, company: 'Budget Co', country: 'Germany' });
    sandbox.hubspot.control.updateRecord('contacts', created.id, { lifecyclestage: 'marketingqualifiedlead' });
    expect(await helpers.deliver([{ eventId: eventId++, objectId: Number(created.id), propertyName: 'lifecyclestage', propertyValue: 'marketingqualifiedlead' }], { subscriptionType: 'contact.propertyChange' })).toBe(204);
    return created.id;
  };
  const waiting = (id: string) =>
    waitFor(async () => {
      const [run] = await runsFor('mql-handoff', id);
      return run?.result === 'pending' && run.waitUntil !== null && run;
    }, 30_000);
  const sfCalls = () => sf().requests().filter((q) => q.path.startsWith('/services/data/'));
  /** The org's Leads handed over for a HubSpot contact (read as a salesperson would, through the adapter). */
  const leadsOf = async (hubspotId: string) => {
    const page = await env.sf.listChangedSince('lead', null, { pageSize: 2000, properties: ['HubSpot_Contact_ID__c'] });
    return page.records.filter((r) => r.properties['HubSpot_Contact_ID__c'] === hubspotId && !r.archived);
  };

  /** Both contacts' runs are done, each having created a Lead (with no wait left). */
  const handedOverOnce = async (first: string, second: string) => {
    const done = await waitFor(async () => {
      const runs = [...(await runsFor('mql-handoff', first)), ...(await runsFor('mql-handoff', second))];
      return runs.every((r) => r.result !== 'pending') && runs;
    }, 30_000);
    expect(done.map((r) => [r.result, r.action, r.waitUntil])).toEqual([
      ['success', 'lead_created', null],
      ['success', 'lead_created', null],
    ]);
  };

  it('an MQL handoff meeting REQUEST_LIMIT_EXCEEDED waits with the reason and its next try, with no retry storm, and hands the contact over once after the org has calls again', async () => {
    // Another integration spends the org's whole rolling day.
    sf().clearRequests();
    const usage = sf().apiUsage();
    sf().spendApiCalls(usage.max - usage.used);
    const first = await mql(1);
    const run1: WorkflowRunDto = await waiting(first);
    expect(run1.reason).toBe("Waiting: Salesforce's daily API limit reached");
    // Salesforce frees calls as they age out of its 24 hours: Conduit looks again in an hour.
    expect(Date.parse(run1.waitUntil!)).toBeGreaterThan(sf().clock.now());
    expect(Date.parse(run1.waitUntil!)).toBeLessThanOrEqual(sf().clock.now() + HOUR_MS);
    // The call that met the refusal (and any made beside it), none retried.
    await sleep(1_500);
    const refused = sfCalls();
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(3);
    expect(refused.every((q) => q.status === 403)).toBe(true);

    // Another MQL meanwhile waits too, without a Salesforce call; nothing is tried before the wait is over.
    const second = await mql(2);
    const run2 = await waiting(second);
    expect(run2.reason).toBe("Waiting: Salesforce's daily API limit reached");
    expect(await t.app.get(WorkflowBudgetWaits).resumeDue()).toBe(0);
    await sleep(2_000);
    expect(sfCalls().length).toBe(refused.length);

    // A day later the org's calls have aged out: the sweep runs both again; each contact becomes one Lead.
    sf().clock.advance(DAY_MS + HOUR_MS);
    // (The worker's own sweep, every 10 s, may take them first.)
    await t.app.get(WorkflowBudgetWaits).resumeDue();
    await handedOverOnce(first, second);
    expect(await leadsOf(first)).toHaveLength(1);
    expect(await leadsOf(second)).toHaveLength(1);
    expect(sfCalls().filter((q) => q.status === 403)).toHaveLength(refused.length);
  }, 120_000);
  it("an MQL handoff stopped by the connection's own daily allocation (not the CRM's limit) waits without Salesforce calls, and after the rolling reset each contact is one Lead: nothing lost, nothing twice", async () => {
    // A new rolling day: the first test's calls, Conduit's and the other integration's, have aged out.
    sf().clock.advance(2 * DAY_MS);
    sf().configure({ dailyApiLimit: 1_000 });
    const [connection] = await t.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = 'salesforce'`, [env.a.id]);
    // 2 % of the org's 1,000 calls: 20 a day for Conduit, all of them usable by live work (a handoff is live work).
    await helpers.admin(request(t.server).put(`/api/connections/${connection!.id}/api-allocation`)).send({ dailyShare: 2, liveReserveShare: 0, accountDailyLimit: 1_000 }).expect(200);
    sf().clearRequests();

    // One MQL at a time until the allocation stops one: those before are handed over at once.
    const settledRun = (id: string) =>
      waitFor(async () => {
        const [run] = await runsFor('mql-handoff', id);
        return run && (run.result !== 'pending' || run.waitUntil !== null) && run;
      }, 30_000);
    const handedOver: string[] = [];
    let stopped: { id: string; run: WorkflowRunDto } | null = null;
    for (let n = 100; n < 115 && !stopped; n++) {
      const id = await mql(n);
      const run = await settledRun(id);
      if (run.result === 'pending') stopped = { id, run };
      else {
        expect([run.result, run.action]).toEqual(['success', 'lead_created']);
        handedOver.push(id);
      }
    }
    expect(stopped).not.toBeNull();
    expect(handedOver.length).toBeGreaterThan(0);
    const { id: first, run: run1 } = stopped!;
    expect(run1.reason).toBe('Waiting: daily Salesforce API allocation spent');
    // The org itself has calls left: it is Conduit's allocation that stops the handoff, not a Salesforce refusal.
    expect(sfCalls().filter((q) => q.status === 403)).toEqual([]);
    expect(sfCalls().length).toBeLessThanOrEqual(20);
    expect(sf().apiUsage().used).toBeLessThan(1_000);
    // The rolling day frees Conduit's calls as they age out of the 24 hours.
    expect(Date.parse(run1.waitUntil!)).toBeGreaterThan(sf().clock.now());
    expect(Date.parse(run1.waitUntil!)).toBeLessThanOrEqual(sf().clock.now() + DAY_MS + HOUR_MS);

    // Another MQL meanwhile waits too, with no Salesforce call; the sweep leaves both until the wait is over.
    const callsBefore = sfCalls().length;
    const second = await mql(200);
    const run2 = await waiting(second);
    expect(run2.reason).toBe('Waiting: daily Salesforce API allocation spent');
    expect(await t.app.get(WorkflowBudgetWaits).resumeDue()).toBe(0);
    await sleep(2_000);
    expect(sfCalls().length).toBe(callsBefore);

    // Past the later of the two waits, the sweep runs both again: each contact becomes one Lead — the one stopped
    // part-way through its handoff too.
    sf().clock.advance(Math.max(Date.parse(run1.waitUntil!), Date.parse(run2.waitUntil!)) - sf().clock.now() + 60_000);
    await t.app.get(WorkflowBudgetWaits).resumeDue();
    await handedOverOnce(first, second);
    for (const id of [...handedOver, first, second]) expect(await leadsOf(id)).toHaveLength(1);
  }, 180_000);
});
