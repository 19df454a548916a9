import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExportRunDto } from '@conduit/contracts';
import { ACTIVITY_ID_FIELD } from '@conduit/crm';
import type { Sandbox } from '@conduit/crm-sandbox';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { ActivitiesScheduler } from '../src/activities/activities.scheduler.js';
import { Person } from '../src/people/person.entity.js';
import { connectedForBudget, liveActivityProbes, pushedPeople, startBudgetApp, stopBudgetApp } from './support/api-budget.js';
import { salesforceRest } from './support/crm-test-app.js';
import type { TestWorkspace } from './support/fixtures.js';
import { type TestApp, waitFor } from './support/test-app.js';

/**
 * Live work past the daily API budget (#17) against Salesforce's DailyApiRequests in the sandbox, through jsforce: when
 * other integrations have spent the org's rolling day, Salesforce answers 403 REQUEST_LIMIT_EXCEEDED; activities logged
 * then are accepted, wait with the reason and the time of the next look (Salesforce frees calls as they age and
 * Conduit cannot see others' by the hour: an hour later), make no call meanwhile, look again with one call an hour
 * later, and are logged once each when the org has calls again. Activities logged while bulk work (an export) is paused
 * by the allocation arrive from the live reserve. The sandbox's limits clock is Conduit's budget clock.
 */
const DAILY = 1_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Live work past the daily API budget waits for the org (Salesforce sandbox, jsforce)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let worker: INestApplicationContext;
  const sf = () => sandbox.salesforce.control;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    ({ sandbox, t, worker } = await startBudgetApp({ seed: 172, clock: 'salesforce' }));
  }, 120_000);

  afterAll(() => stopBudgetApp({ sandbox, t, worker }));

  /** Every call counted so far leaves the org's rolling day (and Conduit's). */
  const nextDay = () => sf().clock.advance(DAY_MS + HOUR_MS + 1_000);

  /** A workspace on Salesforce (Leads, no schedule) with `people` people pushed to it as Leads, on the day before the test's. */
  async function connected(name: string, people: number): Promise<{ w: TestWorkspace; connectionId: string; personIds: string[] }> {
    sf().configure({ dailyApiLimit: 1_000_000 });
    const { w, connectionId } = await connectedForBudget(t, name, 'salesforce', ['lead']);
    const personIds = await pushedPeople(t, w, 'salesforce', Array.from({ length: people }, (_, i) => ({ firstName: 'Live', lastName: `S${i}`, companyName: 'Live Budget Co', email: `live${i}-${name.toLowerCase()}-${tag}@sf-live-budget.example` })));
    sf().configure({ dailyApiLimit: DAILY });
    nextDay();
    return { w, connectionId, personIds };
  }

  const { post, get, deliveryOf: salesforceOf, waitingAll, loggedAll } = liveActivityProbes(() => t, 'salesforce', `sf-live-${tag}`);
  /** Requests of the REST API (not the sandbox's control routes). */
  const apiCalls = () => sf().requests().filter((q) => q.path.startsWith('/services/data/'));

  it('activities logged while a bulk export is paused by the allocation arrive from the live reserve, within the allocation; the export stays paused', async () => {
    const { w, connectionId, personIds } = await connected('SfLiveReserve', 2);
    // 2 % of the org's day for Conduit: 20 calls, half of them the live reserve — bulk work stops at 10.
    await request(t.server).put(`/api/connections/${connectionId}/api-allocation`).set('Cookie', w.adminCookie).send({ dailyShare: 2, liveReserveShare: 50 }).expect(200);
    const people = await t.dataSource.getRepository(Person).save(
      Array.from({ length: 3_000 }, (_, i) => ({ workspaceId: w.id, firstName: 'Bulk', lastName: `E${i}`, email: `bulk${i}-${tag}@sf-live-export.example`, engagementState: 'contacted' as const })),
      { chunk: 500 },
    );
    sf().clearRequests();
    const started = (await request(t.server).post('/api/export/salesforce').set('Cookie', w.memberCookie).send({ personIds: people.map((p) => p.id) }).expect(202)).body as ExportRunDto;
    const exportRun = async () => (await request(t.server).get(`/api/export/runs/${started.id}`).set('Cookie', w.memberCookie).expect(200)).body as ExportRunDto;
    const paused = await waitFor(async () => {
      const r = await exportRun();
      return r.status !== 'pending' && r.status !== 'running' && r;
    }, 90_000);
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'Paused: daily API allocation reached' });
    expect(paused.processed).toBeLessThan(people.length);
    const bulkCalls = apiCalls().length;

    // Live work goes on from the reserve: three notes on the people pushed earlier, each logged once.
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await post(w, personIds[i % personIds.length]!)).id);
    await loggedAll(w, ids);
    expect(apiCalls().length).toBeGreaterThan(bulkCalls);
    // Within Conduit's 20 calls of the day (the org counted every one), and the export still waits for the reset.
    expect(sf().apiUsage().used).toBeLessThanOrEqual(20);
    expect(apiCalls().filter((q) => q.status === 403)).toEqual([]);
    expect((await exportRun()).status).toBe('paused');
    const rest = salesforceRest(sandbox);
    const tasks = await rest<{ records: Array<Record<string, string | null>> }>('GET', `/query?q=${encodeURIComponent(`SELECT Id, ${ACTIVITY_ID_FIELD.salesforce} FROM Task`)}`);
    expect(ids.map((id) => tasks.records.filter((r) => r[ACTIVITY_ID_FIELD.salesforce] === id).length)).toEqual([1, 1, 1]);
  }, 300_000);

  it('an activity for a person not in Salesforce yet, while bulk work is paused by the allocation: the person is exported from the live reserve too, and the activity logged', async () => {
    const { w, connectionId } = await connected('SfLiveNewcomer', 0);
    // 2 % of the org's day: 20 calls, half the live reserve — bulk work stops at 10.
    await request(t.server).put(`/api/connections/${connectionId}/api-allocation`).set('Cookie', w.adminCookie).send({ dailyShare: 2, liveReserveShare: 50 }).expect(200);
    const people = await t.dataSource.getRepository(Person).save(
      Array.from({ length: 3_000 }, (_, i) => ({ workspaceId: w.id, firstName: 'Bulk', lastName: `N${i}`, email: `bulk${i}-${tag}@sf-live-newcomer.example`, engagementState: 'contacted' as const })),
      { chunk: 500 },
    );
    const started = (await request(t.server).post('/api/export/salesforce').set('Cookie', w.memberCookie).send({ personIds: people.map((p) => p.id) }).expect(202)).body as ExportRunDto;
    const exportRun = async () => (await request(t.server).get(`/api/export/runs/${started.id}`).set('Cookie', w.memberCookie).expect(200)).body as ExportRunDto;
    await waitFor(async () => (await exportRun()).status === 'paused', 90_000);

    // Someone contacted who is in no CRM yet: the note needs their Lead first. That export is the activity's, live work.
    const newcomer = await t.dataSource.getRepository(Person).save({ workspaceId: w.id, firstName: 'New', lastName: 'Comer', companyName: 'Live Budget Co', email: `newcomer-${tag}@sf-live-budget.example`, engagementState: 'contacted' as const });
    const note = await post(w, newcomer.id);
    await loggedAll(w, [note.id]);
    expect(sf().apiUsage().used).toBeLessThanOrEqual(20);
    expect((await exportRun()).status).toBe('paused');
    const rest = salesforceRest(sandbox);
    const leads = await rest<{ records: Array<{ Id: string }> }>('GET', `/query?q=${encodeURIComponent(`SELECT Id FROM Lead WHERE Email = 'newcomer-${tag}@sf-live-budget.example'`)}`);
    expect(leads.records).toHaveLength(1);
    const tasks = await rest<{ records: Array<Record<string, string | null>> }>('GET', `/query?q=${encodeURIComponent(`SELECT Id, WhoId, ${ACTIVITY_ID_FIELD.salesforce} FROM Task`)}`);
    expect(tasks.records.filter((r) => r[ACTIVITY_ID_FIELD.salesforce] === note.id).map((r) => r['WhoId'])).toEqual([leads.records[0]!.Id]);
  }, 300_000);

  it("REQUEST_LIMIT_EXCEEDED (other integrations spent the org's rolling day) makes activities wait for the org without a retry storm — one look an hour — and they are logged once each when it has calls again", async () => {
    const { w, personIds } = await connected('SfLiveLimit', 2);
    // Another integration spends the org's whole rolling day before Conduit makes a call today.
    sf().spendApiCalls(DAILY - sf().apiUsage().used);
    sf().clearRequests();
    const refusedAt = sf().clock.now();
    const a1 = await post(w, personIds[0]!);
    const [d1] = await waitingAll(w, [a1.id]);
    expect(d1).toMatchObject({ status: 'pending', waiting: { cause: 'api_budget', reason: "Waiting: Salesforce's daily API limit reached" } });
    // Salesforce frees calls as they age, others' by an hour Conduit cannot see: it looks again in an hour.
    const next = Date.parse(d1!.waiting!.nextAttemptAt!);
    expect(next).toBeGreaterThanOrEqual(refusedAt + HOUR_MS);
    expect(next).toBeLessThanOrEqual(sf().clock.now() + HOUR_MS);
    // The calls that met the refusal, and no retry of any of them.
    await sleep(1_500);
    const refused = apiCalls();
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(3);
    expect(refused.every((q) => q.status === 403)).toBe(true);

    // More activities meanwhile: accepted (201), waiting, and no Salesforce call for them.
    const more = [(await post(w, personIds[1]!)).id, (await post(w, personIds[0]!)).id];
    const all = [a1.id, ...more];
    await waitingAll(w, all);
    await sleep(3_000);
    expect(apiCalls()).toHaveLength(refused.length);
    // Not due yet: the budget sweep leaves them waiting.
    expect(await worker.get(ActivitiesScheduler).resumeBudgetWaits()).toBe(0);

    // An hour later the org is still spent: delivery looks again with one refused call, and waits another hour.
    sf().clearRequests();
    sf().clock.advance(next - sf().clock.now() + 1_000);
    expect(await worker.get(ActivitiesScheduler).resumeBudgetWaits()).toBe(1);
    const again = await waitFor(async () => {
      const ds = await Promise.all(all.map(async (id) => salesforceOf(await get(w, id))));
      return ds.every((d) => d.status === 'pending' && d.waiting && Date.parse(d.waiting.nextAttemptAt!) > next) && ds;
    }, 90_000);
    expect(again.map((d) => d.waiting!.reason)).toEqual(all.map(() => "Waiting: Salesforce's daily API limit reached"));
    await sleep(1_500);
    const looked = apiCalls();
    expect(looked.length).toBeGreaterThan(0);
    expect(looked.length).toBeLessThanOrEqual(2);
    expect(looked.every((q) => q.status === 403)).toBe(true);

    // A day later the others' calls have aged out: the sweep delivers them, each once, none refused.
    sf().clearRequests();
    nextDay();
    await worker.get(ActivitiesScheduler).resumeBudgetWaits();
    await loggedAll(w, all);
    expect(apiCalls().filter((q) => q.status === 403)).toEqual([]);
    // No retry storm: the three notes went out in a handful of calls after the reset.
    expect(apiCalls().length).toBeLessThanOrEqual(6);
    const rest = salesforceRest(sandbox);
    const tasks = await rest<{ records: Array<Record<string, string | null>> }>('GET', `/query?q=${encodeURIComponent(`SELECT Id, ${ACTIVITY_ID_FIELD.salesforce} FROM Task`)}`);
    expect(all.map((id) => tasks.records.filter((r) => r[ACTIVITY_ID_FIELD.salesforce] === id).length)).toEqual([1, 1, 1]);
  }, 300_000);
});
