import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActivityDto, ActivityIntakeResultDto, SyncRunDto } from '@conduit/contracts';
import { SALESFORCE_LIMITS } from '@conduit/crm';
import type { Sandbox } from '@conduit/crm-sandbox';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import type { CrmRuntimeOptions } from '../src/crm-runtime/crm-runtime.options.js';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { SyncService } from '../src/sync/sync.service.js';
import { budgetProbes, connectedForBudget, flushUsage, restartWorker, startBudgetApp, stopBudgetApp } from './support/api-budget.js';
import type { TestWorkspace } from './support/fixtures.js';
import { type TestApp, waitFor } from './support/test-app.js';

/**
 * The daily API budget against Salesforce's DailyApiRequests in the sandbox (#17), through jsforce. Salesforce counts a
 * rolling 24 hours: a call leaves the count a day after it was made (the sandbox by the minute, Conduit by the hour, so
 * Conduit resumes at the end of the hour of its oldest calls + 24 h, never before the org frees them). The sandbox's
 * limits clock is Conduit's budget clock (CrmRuntimeOptions.now), and each test starts it in the middle of an hour, so
 * what it expects never depends on the wall clock. Every answer carries `Sforce-Limit-Info: api-usage=used/max`;
 * GET /limits is read before bulk work when the newest reading is over an hour old.
 *
 * The org's limit is sized from the backfill: Conduit's allocation is 50 % of DAILY, half of that kept for live work,
 * so bulk work may make BULK calls a day, and BULK is under half the query pages of the Leads — neither a day's
 * allocation (first test) nor all the calls the org has left in the second test (at most 2 × BULK − 1) can finish it.
 */
const LEADS = 20_000;
/** Query pages of the backfill: Conduit asks for the largest page Salesforce answers (Sforce-Query-Options batchSize). */
const PAGES = Math.ceil(LEADS / SALESFORCE_LIMITS.queryPageMax);
const BULK = Math.floor(PAGES / 2);
const DAILY = 4 * BULK;
/** Conduit's calls of the second test's day before it stops for the org's reserve (fewer than BULK). */
const EARLY = 2;
/** Query pages asked for ahead of the one being read (salesforce.adapter.ts READ_AHEAD), and the one being read. */
const PAGES_IN_FLIGHT = 11;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('API budget governance (Salesforce sandbox, jsforce)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let worker: INestApplicationContext;
  let runtime: CrmRuntimeOptions;
  const sf = () => sandbox.salesforce.control;

  beforeAll(async () => {
    expect(EARLY).toBeLessThan(BULK);
    ({ sandbox, t, worker, runtime } = await startBudgetApp({ seed: 17, clock: 'salesforce', prepare: (s) => s.salesforce.control.seedLeads(LEADS) }));
  }, 120_000);

  afterAll(() => stopBudgetApp({ sandbox, t, worker }));

  /** Every call counted so far leaves the org's rolling day (and Conduit's); the clock lands in the middle of an hour. */
  const nextDay = () => {
    sf().clock.advance(DAY_MS + HOUR_MS + 1_000);
    sf().clock.advance((HOUR_MS / 2 - (sf().clock.now() % HOUR_MS) + HOUR_MS) % HOUR_MS);
  };
  const leads = () => sf().count('Lead');
  const { run, budget, settledRun, resumedFrom } = budgetProbes(() => t, 90_000);
  /** What the API and the worker counted, in Postgres (what the budget summary reads). */
  const flushed = () => flushUsage(t.app, worker);
  /** Requests of the REST API (not the sandbox's control routes), answered since the log was last cleared. */
  const apiCalls = () => sf().requests().filter((q) => q.path.startsWith('/services/data/'));
  /**
   * The budget summary once every call Conduit counted today (all of them since the request log was cleared) has its
   * answer, and the newest answer's usage has reached Conduit: pages fetched ahead may answer after the run paused.
   */
  const answeredBudget = (w: TestWorkspace, connectionId: string) =>
    waitFor(async () => {
      await flushed();
      const b = await budget(w, connectionId);
      return apiCalls().length >= b.conduit.used && b.crmReported?.used === sf().apiUsage().used && b;
    }, 30_000);

  async function connected(name: string): Promise<{ w: TestWorkspace; connectionId: string }> {
    // Connecting (token, identity, discovery) is not what is measured: a day's limit the connect fits in, then DAILY.
    sf().configure({ dailyApiLimit: 1_000_000 });
    // Leads only.
    const { w, connectionId: id } = await connectedForBudget(t, name, 'salesforce', ['lead']);
    await request(t.server).put(`/api/connections/${id}/api-allocation`).set('Cookie', w.adminCookie).send({ dailyShare: 50, liveReserveShare: 50 }).expect(200);
    sf().configure({ dailyApiLimit: DAILY });
    nextDay();
    return { w, connectionId: id };
  }

  async function expectImportedOnce(w: TestWorkspace, connectionId: string): Promise<void> {
    const n = leads();
    expect(await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: w.id, connectionId, object: 'lead' })).toBe(n);
    const [dupes] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT crm_id FROM crm_link WHERE workspace_id = $1 GROUP BY crm_id HAVING count(*) > 1) d`, [w.id]);
    expect(dupes!.n).toBe(0);
  }

  it('a Lead backfill that reaches its allocation pauses with the reason, resumes after the rolling day has freed its calls (also after a Redis flush and a worker restart), and links every Lead once; an activity logged while it is paused still arrives', async () => {
    const { w, connectionId } = await connected('SfBudgetBackfill');
    sf().clearRequests();
    const startedAt = sf().clock.now();
    const started = (await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', w.adminCookie).send({}).expect(202)).body as SyncRunDto;

    const paused = await settledRun(w, started.id);
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toBe('Paused: daily API allocation reached');
    expect(paused.pauseCause).toBe('daily_allocation');
    // Rolling 24 h: Conduit's calls leave the count a day after the end of the hour they were made in — all of them in
    // the hour the backfill started in (the clock started at its middle; the budget clock is the one read here).
    const hour = Math.floor(startedAt / HOUR_MS) * HOUR_MS;
    expect(paused.pausedAt!.getTime()).toBeLessThan(hour + HOUR_MS);
    expect(paused.resumesAt!.getTime()).toBe(hour + HOUR_MS + DAY_MS);

    const b1 = await answeredBudget(w, connectionId);
    expect(b1.reset.rule).toBe('rolling_24h');
    expect(b1.dailyLimit).toBe(DAILY);
    expect(b1.dailyLimitSource).toBe('crm');
    expect(b1.allowance).toEqual({ daily: 2 * BULK, bulk: BULK, reserve: BULK });
    expect(b1.conduit.used).toBe(BULK);
    expect(b1.conduit.byFeature.backfill).toBe(BULK);
    expect(b1.bulkExhausted).toBe(true);
    // The org counted what Conduit did (Conduit is its only integration today), and the reading Conduit keeps is the
    // highest answer of the hour whatever order the calls fetched ahead answered in.
    expect(sf().apiUsage().used).toBe(BULK);
    expect(b1.crmReported).toMatchObject({ used: BULK, max: DAILY });
    expect(b1.others).toBe(0);
    expect(b1.pausedRuns).toEqual([expect.objectContaining({ type: 'sync', id: started.id, reason: 'Paused: daily API allocation reached', resumesAt: paused.resumesAt!.toISOString() })]);
    const partial = await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: w.id, connectionId, object: 'lead' });
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(leads());

    // Live work still goes, from the reserve: a note on an imported Lead while the backfill waits.
    const [someone] = await t.dataSource.query<{ id: string }[]>(`SELECT p.id FROM person p JOIN crm_link l ON l.person_id = p.id WHERE p.workspace_id = $1 AND l.object = 'lead' LIMIT 1`, [w.id]);
    const posted = (await request(t.server).post('/api/activities').set('Cookie', w.memberCookie).send({ idempotencyKey: `sf-budget-${Date.now()}`, type: 'note', body: 'Logged while the backfill is paused', personId: someone!.id, occurredAt: new Date().toISOString() }).expect(201))
      .body as ActivityIntakeResultDto;
    const logged = await waitFor(async () => {
      const act = (await request(t.server).get(`/api/activities/${posted.activity.id}`).set('Cookie', w.memberCookie).expect(200)).body as ActivityDto;
      const d = act.deliveries.find((x) => x.crm === 'salesforce');
      return d && d.status !== 'pending' && d;
    }, 45_000);
    expect(logged.status).toBe('logged');
    expect((await run(w, started.id)).status).toBe('paused');

    // Not due an hour before: the org still counts those calls.
    sf().clock.advance(paused.resumesAt!.getTime() - sf().clock.now() - HOUR_MS);
    expect(await t.app.get(SyncService).resumeDue()).toBe(0);

    worker = await restartWorker({ t, worker, runtime });

    let days = 0;
    for (let r = await run(w, started.id); r.status === 'paused'; ) {
      const progress = r.progress;
      sf().clock.advance(Math.max(0, r.resumesAt!.getTime() - sf().clock.now()) + 1_000);
      await t.app.get(SyncService).resumeDue();
      await resumedFrom(w, r);
      r = await settledRun(w, started.id);
      if (r.status === 'paused') {
        expect(r.pausedReason).toBe('Paused: daily API allocation reached');
        expect(r.progress).not.toEqual(progress);
      }
      expect(++days).toBeLessThan(8);
    }
    const done = await run(w, started.id);
    expect(done.status).toBe('done');
    expect(days).toBeGreaterThanOrEqual(1);
    await expectImportedOnce(w, connectionId);
  }, 400_000);

  it("REQUEST_LIMIT_EXCEEDED pauses without a retry storm; another integration's spending is seen (Sforce-Limit-Info, /limits) and counted against the allocation", async () => {
    const { w, connectionId } = await connected('SfBudgetLimit');
    // Another integration spends the org's whole rolling day before Conduit makes a call.
    sf().spendApiCalls(DAILY);
    sf().clearRequests();
    const startedAt = sf().clock.now();
    const started = (await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', w.adminCookie).send({}).expect(202)).body as SyncRunDto;
    const paused = await settledRun(w, started.id);
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toBe("Paused: Salesforce's daily API limit reached");
    expect(paused.pauseCause).toBe('crm_daily_limit');
    // Salesforce frees calls as they age, other integrations' by an hour Conduit cannot see: it looks again in an hour.
    // (The hour counts from the refusal, between the start and the pause the run records a moment later.)
    expect(paused.resumesAt!.getTime()).toBeGreaterThanOrEqual(startedAt + HOUR_MS);
    expect(paused.resumesAt!.getTime()).toBeLessThanOrEqual(paused.pausedAt!.getTime() + HOUR_MS);
    await sleep(1_500);
    const calls = apiCalls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(calls.every((q) => q.status === 403)).toBe(true);
    await sleep(3_000);
    expect(apiCalls().length).toBe(calls.length);
    expect((await run(w, started.id)).status).toBe('paused');
    // The refusal's own Sforce-Limit-Info is the org's usage: all of it others'. Conduit counts the calls it made, the
    // refused ones too (the org does not), so others' share reads that much lower.
    await flushed();
    const refused = await budget(w, connectionId);
    expect(refused.crmReported).toMatchObject({ used: DAILY, max: DAILY });
    expect(refused.conduit.used).toBe(calls.length);
    expect(refused.others).toBe(DAILY - calls.length);

    // An hour later the org is still spent: the run looks again (one refused call), and waits another hour.
    sf().clearRequests();
    sf().clock.advance(HOUR_MS + 1_000);
    await t.app.get(SyncService).resumeDue();
    const again = await resumedFrom(w, paused).then(() => settledRun(w, started.id));
    expect(again).toMatchObject({ status: 'paused', pauseCause: 'crm_daily_limit' });
    await sleep(1_000);
    expect(apiCalls().length).toBeLessThanOrEqual(2);
    sf().clearRequests();

    // The next day others spend most of it again while Conduit works: Conduit sees it in the CRM's figures and stops
    // early although its own count is far below its allocation (bulk never takes the org's last reserve calls).
    nextDay();
    sf().spendApiCalls(DAILY - BULK - EARLY);
    await t.app.get(SyncService).resumeDue();
    await resumedFrom(w, again);
    const early = await settledRun(w, started.id);
    expect(early).toMatchObject({ status: 'paused', pausedReason: 'Paused: daily API allocation reached' });
    const b = await answeredBudget(w, connectionId);
    expect(b.others).toBe(DAILY - BULK - EARLY);
    expect(b.conduit.used).toBeLessThan(b.allowance!.bulk);
    expect(sf().apiUsage().used).toBeLessThanOrEqual(DAILY - b.allowance!.reserve);
    expect(b.pausedRuns.map((p) => p.id)).toEqual([started.id]);

    // "Resume now anyway": past the allocation until the org's own limit; its refusals stop every call fetched ahead.
    sf().clearRequests();
    await request(t.server).post(`/api/sync/runs/${started.id}/resume`).set('Cookie', w.adminCookie).expect(202);
    const stopped = await settledRun(w, started.id);
    expect(stopped).toMatchObject({ status: 'paused', pausedReason: "Paused: Salesforce's daily API limit reached" });
    expect(sf().apiUsage().used).toBe(DAILY);
    await sleep(1_500);
    const refusedCalls = apiCalls().filter((q) => q.status === 403).length;
    await sleep(3_000);
    expect(apiCalls().filter((q) => q.status === 403).length).toBe(refusedCalls);
    // At most the pages already asked for ahead when the first refusal answered.
    expect(refusedCalls).toBeLessThanOrEqual(PAGES_IN_FLIGHT);
    // The org's whole day (BULK + EARLY calls, fewer than the query's pages) could not finish the backfill.
    const linked = await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: w.id, connectionId, object: 'lead' });
    expect(linked).toBeGreaterThan(0);
    expect(linked).toBeLessThan(leads());
  }, 300_000);
});
