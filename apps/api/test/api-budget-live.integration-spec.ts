import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActivityDto } from '@conduit/contracts';
import { ACTIVITY_ID_FIELD } from '@conduit/crm';
import type { Sandbox } from '@conduit/crm-sandbox';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { ActivitiesScheduler } from '../src/activities/activities.scheduler.js';
import type { CrmRuntimeOptions } from '../src/crm-runtime/crm-runtime.options.js';
import { advanceToTimeOfDay, budgetProbes, connectedForBudget, liveActivityProbes, nextHubspotDay, pushedPeople, restartWorker, startBudgetApp, stopBudgetApp } from './support/api-budget.js';
import type { TestWorkspace } from './support/fixtures.js';
import { type TestApp, waitFor } from './support/test-app.js';

/**
 * Live work past the daily API budget (#17) against HubSpot's daily limit in the sandbox, through the real SDK:
 * activities logged when the connection's whole allocation (its live reserve too) is spent, or when the CRM itself
 * refuses for its daily limit (a DAILY 429), are accepted, wait with the reason and the time of the next try — with no
 * CRM call meanwhile — and are logged once each after the reset (also after a Redis flush and a worker restart). The
 * sandbox's limits clock is Conduit's budget clock (CrmRuntimeOptions.now): `clock/advance` to the reset moves both.
 * Each test starts its day at noon on that clock, never where the wall clock is; one is pinned just before midnight
 * on purpose.
 */
const DAILY = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Live work past the daily API budget waits for the reset (HubSpot sandbox, real SDK)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let worker: INestApplicationContext;
  let runtime: CrmRuntimeOptions;
  const clock = () => sandbox.hubspot.control.clock;
  const nextDay = () => nextHubspotDay(sandbox);
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    ({ sandbox, t, worker, runtime } = await startBudgetApp({
      seed: 171,
      clock: 'hubspot',
      prepare: (s) => s.hubspot.control.configure({ rateLimit: { enabled: true, perTenSeconds: 10_000, daily: DAILY, searchPerSecond: 1_000 } }),
    }));
  }, 120_000);

  afterAll(() => stopBudgetApp({ sandbox, t, worker }));

  /** A workspace on HubSpot (contacts only, no schedule) with `people` people pushed to it (on the day before the test's). */
  async function connected(name: string, people: number): Promise<{ w: TestWorkspace; connectionId: string; personIds: string[] }> {
    const { w, connectionId } = await connectedForBudget(t, name, 'hubspot', ['contact']);
    const personIds = await pushedPeople(t, w, 'hubspot', Array.from({ length: people }, (_, i) => ({ firstName: 'Live', lastName: `P${i}`, email: `live${i}-${name.toLowerCase()}-${tag}@live-budget.example` })));
    return { w, connectionId, personIds };
  }

  const { post, get, deliveryOf: hubspotOf, waitingAll, loggedAll } = liveActivityProbes(() => t, 'hubspot', `live-${tag}`);
  // Generous: with the CI's integration files two at a time on a loaded machine, one delivery round once took > 45 s.
  /** Logged, failed, or pending with the budget's wait recorded. */
  const settled = (w: TestWorkspace, id: string) =>
    waitFor(async () => {
      const d = hubspotOf(await get(w, id));
      return (d.status !== 'pending' || d.waiting?.reason.startsWith('Waiting: ')) && d;
    }, 90_000);
  /** Notes in the sandbox per Conduit activity id (each activity must be there once). */
  const notesOf = (ids: string[]) => {
    const notes = [...(sandbox.hubspot.control.store().records.get('notes')?.values() ?? [])].filter((n) => !n.archived);
    return ids.map((id) => notes.filter((n) => n.properties[ACTIVITY_ID_FIELD.hubspot] === id).length);
  };
  const { budget } = budgetProbes(() => t, 90_000);
  const crmCalls = () => sandbox.hubspot.control.requests().filter((q) => q.path.startsWith('/crm/') || q.path.startsWith('/owners/') || q.path.startsWith('/properties/'));

  it('activities logged past the allocation and its live reserve are accepted, wait with the reason and the reset time (no CRM call meanwhile), and are logged once each after the reset, also after a Redis flush and a worker restart', async () => {
    const { w, connectionId, personIds } = await connected('LiveAllocation', 3);
    // 2 % of the day for Conduit: 20 calls, 10 of them the live reserve. Bulk's part is spent by nothing here: live
    // work may use all 20.
    await request(t.server).put(`/api/connections/${connectionId}/api-allocation`).set('Cookie', w.adminCookie).send({ dailyShare: 2, liveReserveShare: 50 }).expect(200);
    nextDay();

    // One at a time until the allocation is spent: each note is a round of its own (a create call, and the owners and
    // the activity id property on the first).
    const logged: string[] = [];
    let first: ActivityDto | null = null;
    for (let i = 0; i < 30 && !first; i++) {
      const a = await post(w, personIds[i % personIds.length]!);
      const d = await settled(w, a.id);
      if (d.status === 'logged') logged.push(a.id);
      else first = await get(w, a.id);
    }
    expect(first).not.toBeNull();
    expect(logged.length).toBeGreaterThan(0);
    const resetsAt = sandbox.hubspot.control.usage().resetsAt;
    expect(hubspotOf(first!)).toMatchObject({ status: 'pending', waiting: { cause: 'api_budget', reason: 'Waiting: daily HubSpot API allocation spent', failingSince: null, nextAttemptAt: resetsAt } });
    // Conduit stayed within its allocation: 20 calls of the account's day (the CRM counted them too).
    expect(sandbox.hubspot.control.usage().usedToday).toBeLessThanOrEqual(20);

    // More activities while it waits: each accepted (201, never a 500), each waiting, and no CRM call is made for them.
    sandbox.hubspot.control.clearRequests();
    const more = [];
    for (let i = 0; i < 6; i++) more.push((await post(w, personIds[i % personIds.length]!)).id);
    const waiting = [first!.id, ...more];
    await waitingAll(w, waiting);
    await sleep(3_000);
    expect(crmCalls()).toEqual([]);
    // The Lists page still opens: its catalog read (live work) is refused by the spent day without a CRM call, and the
    // stored catalog is served (before, the budget's refusal made GET /crm-lists a 500).
    const lists = await request(t.server).get('/api/crm-lists?crm=hubspot').set('Cookie', w.adminCookie).expect(200);
    expect(Array.isArray(lists.body)).toBe(true);
    expect(crmCalls()).toEqual([]);
    // Not due yet: the budget sweep leaves them waiting.
    expect(await worker.get(ActivitiesScheduler).resumeBudgetWaits()).toBe(0);
    // The activity list says the same for each (the Activity tab reads it).
    const list = (await request(t.server).get('/api/activities?crm=hubspot&status=pending').set('Cookie', w.memberCookie).expect(200)).body as { items: ActivityDto[] };
    expect(list.items.map((a) => a.id).sort()).toEqual([...waiting].sort());
    for (const a of list.items) expect(hubspotOf(a).waiting).toEqual({ cause: 'api_budget', reason: 'Waiting: daily HubSpot API allocation spent', failingSince: null, nextAttemptAt: resetsAt });

    // The wait lives in Postgres: a worker restart and a Redis flush lose nothing.
    worker = await restartWorker({ t, worker, runtime });

    nextDay();
    await worker.get(ActivitiesScheduler).resumeBudgetWaits();
    await loggedAll(w, waiting);
    // Each activity once in HubSpot, those logged before the wait too.
    expect(notesOf([...logged, ...waiting])).toEqual([...logged, ...waiting].map(() => 1));
    // No retry storm: the seven waiting notes went out in a handful of create calls after the reset, none refused.
    const creates = crmCalls().filter((q) => q.method === 'POST' && q.path.startsWith('/crm/v3/objects/notes/batch/create'));
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.length).toBeLessThanOrEqual(waiting.length);
    expect(crmCalls().filter((q) => q.status === 429)).toEqual([]);
    const [wait] = await t.dataSource.query<unknown[]>(`SELECT 1 FROM activity_budget_wait WHERE connection_id = $1`, [connectionId]);
    expect(wait).toBeUndefined();
  }, 300_000);

  // Flaky until the drain stopped dropping a failed send (it failed 2 of 8 runs, 2 of 6 when re-run with logging): the
  // DAILY 429 answered the first call of the delivery (the activity id property check) while the drain loop asked
  // Postgres for more pending work, the failed send left `inflight`, and the loop took "nothing pending, nothing in
  // flight" for done — the job completed with no wait recorded and nothing left to try again.
  it("a DAILY 429 (other integrations spent the account's day) makes activities wait for HubSpot's reset without a retry storm; they are logged once each after it", async () => {
    const { w, personIds } = await connected('LiveDaily429', 2);
    nextDay();
    // Another integration spends the whole day before Conduit makes a call today.
    sandbox.hubspot.control.spendDailyCalls(DAILY);
    sandbox.hubspot.control.clearRequests();
    const a1 = await post(w, personIds[0]!);
    const d1 = await settled(w, a1.id);
    const resetsAt = sandbox.hubspot.control.usage().resetsAt;
    expect(d1).toMatchObject({ status: 'pending', waiting: { cause: 'api_budget', reason: "Waiting: HubSpot's daily API limit reached", nextAttemptAt: resetsAt } });
    // The calls that met the refusal (the owners, the create) and no retry of any of them.
    await sleep(1_500);
    const refused = crmCalls();
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(4);
    expect(refused.every((q) => q.status === 429)).toBe(true);
    // More activities meanwhile: accepted and waiting, no CRM call for them.
    const more = [(await post(w, personIds[1]!)).id, (await post(w, personIds[0]!)).id];
    await waitingAll(w, [a1.id, ...more]);
    await sleep(3_000);
    expect(crmCalls().length).toBe(refused.length);

    nextDay();
    await worker.get(ActivitiesScheduler).resumeBudgetWaits();
    const all = [a1.id, ...more];
    await loggedAll(w, all);
    expect(notesOf(all)).toEqual([1, 1, 1]);
    expect(crmCalls().filter((q) => q.status === 429).length).toBe(refused.length);
  }, 240_000);

  it('two minutes before midnight (pinned on purpose): live work HubSpot refuses for its daily limit waits for that midnight, not the one after; the new day counts from zero and the work is logged once after it', async () => {
    const { w, connectionId, personIds } = await connected('LiveMidnight', 1);
    // Two minutes: time for the delivery to meet the refusal before the reset, even on a loaded machine.
    const pinned = advanceToTimeOfDay(clock(), '23:58:00');
    const midnight = Math.floor(pinned / 86_400_000) * 86_400_000 + 86_400_000;
    expect(sandbox.hubspot.control.usage().resetsAt).toBe(new Date(midnight).toISOString());
    // Another integration spends the rest of the account's day.
    sandbox.hubspot.control.spendDailyCalls(DAILY - sandbox.hubspot.control.usage().usedToday);
    sandbox.hubspot.control.clearRequests();
    const a1 = await post(w, personIds[0]!);
    const d1 = await settled(w, a1.id);
    expect(d1).toMatchObject({ status: 'pending', waiting: { cause: 'api_budget', reason: "Waiting: HubSpot's daily API limit reached", nextAttemptAt: new Date(midnight).toISOString() } });
    expect(clock().now()).toBeLessThan(midnight);
    // The budget names the same reset, two minutes away.
    const before = await budget(w, connectionId);
    expect(before.reset).toMatchObject({ rule: 'midnight', timeZone: 'UTC', nextResetAt: new Date(midnight).toISOString() });
    // Not due before midnight: the sweep leaves it waiting.
    expect(await worker.get(ActivitiesScheduler).resumeBudgetWaits()).toBe(0);

    // A second past midnight: a new day at the CRM and for Conduit.
    clock().advance(midnight - clock().now() + 1_000);
    await worker.get(ActivitiesScheduler).resumeBudgetWaits();
    await loggedAll(w, [a1.id]);
    expect(notesOf([a1.id])).toEqual([1]);
    const after = await budget(w, connectionId);
    expect(after.reset.nextResetAt).toBe(new Date(midnight + 86_400_000).toISOString());
    // Only the new day's calls count, at HubSpot and for Conduit: the note's few, not the spent day's.
    expect(sandbox.hubspot.control.usage().usedToday).toBeLessThanOrEqual(5);
    expect(after.conduit.used).toBeLessThanOrEqual(5);
    expect(after.crmReported?.used ?? 0).toBeLessThanOrEqual(5);
  }, 240_000);
});
