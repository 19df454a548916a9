import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ActivityDto, ActivityIntakeResultDto, ApiAllocationDto, CrmListDto, ExportRunDto, SyncRunDto } from '@conduit/contracts';
import type { Sandbox } from '@conduit/crm-sandbox';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { CrmListsService } from '../src/crm-lists/crm-lists.service.js';
import type { CrmRuntimeOptions } from '../src/crm-runtime/crm-runtime.options.js';
import { ExportResumes } from '../src/export/export-resume.js';
import { Person } from '../src/people/person.entity.js';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { SyncRun } from '../src/sync/sync-run.entity.js';
import { SyncService } from '../src/sync/sync.service.js';
import { budgetProbes, connectedForBudget, flushUsage, nextHubspotDay, restartWorker, startBudgetApp, stopBudgetApp } from './support/api-budget.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { flushQueuePrefix, LogCapture, type TestApp, waitFor } from './support/test-app.js';

/**
 * The daily API budget against HubSpot's daily limit in the sandbox (#17), through the real SDK. The sandbox's limits
 * clock is Conduit's budget clock here (CrmRuntimeOptions.now), so `clock/advance` to the reset moves both days; each
 * test starts its day at noon on that clock, so what it expects never depends on the wall clock.
 * The account: a private app's daily budget of DAILY calls (daily headers on every non-search answer), and a 10-s
 * window wide enough not to matter. Conduit's allocation: 50 % of DAILY, 10 % of that kept for live work (50 % in the
 * backfill test, which logs an activity from the reserve: a note takes a few calls).
 */
const DAILY = 160;
const CONTACTS = 8_000;
/** People of the bulk export test. */
const EXPORTED = 3_000;
/** Workers add their counted calls to Postgres every 2 s (ApiUsageMeter). */
const FLUSH_WAIT_MS = 2_500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('API budget governance (HubSpot sandbox, real SDK)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let worker: INestApplicationContext;
  let runtime: CrmRuntimeOptions;
  const workerLogs = new LogCapture();

  beforeAll(async () => {
    ({ sandbox, t, worker, runtime } = await startBudgetApp({
      seed: 17,
      clock: 'hubspot',
      workerLogs,
      prepare: (s) => {
        s.hubspot.control.configure({ rateLimit: { enabled: true, perTenSeconds: 10_000, daily: DAILY, searchPerSecond: 1_000 } });
        s.hubspot.control.seedContacts(CONTACTS);
      },
    }));
  }, 120_000);

  afterAll(() => stopBudgetApp({ sandbox, t, worker }));

  /** A fresh day at the CRM (and for Conduit), at its noon (the limits clock moves on past the next reset). */
  const nextDay = () => nextHubspotDay(sandbox);
  const liveContacts = () => [...(sandbox.hubspot.control.store().records.get('contacts')?.values() ?? [])].filter((c) => !c.archived).length;
  const { run, budget, settledRun, resumedFrom } = budgetProbes(() => t, 60_000);

  // Contacts only: companies, deals, owners and lists would spend the small day on other things.
  const connected = (name: string) => connectedForBudget(t, name, 'hubspot', ['contact']);

  async function expectImportedOnce(w: TestWorkspace, connectionId: string): Promise<void> {
    const contacts = liveContacts();
    expect(await t.dataSource.getRepository(Person).countBy({ workspaceId: w.id })).toBe(contacts);
    expect(await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: w.id, connectionId, object: 'contact' })).toBe(contacts);
    const [dupes] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT lower(email) FROM person WHERE workspace_id = $1 GROUP BY 1 HAVING count(*) > 1) d`, [w.id]);
    expect(dupes!.n).toBe(0);
  }

  it('allocation: defaults, admin changes, a bad value → 400 naming the field in plain words, members cannot change it, other workspaces see nothing', async () => {
    const { w, connectionId } = await connected('BudgetSettings');
    const url = `/api/connections/${connectionId}/api-allocation`;
    expect((await request(t.server).get(url).set('Cookie', w.memberCookie).expect(200)).body).toEqual({ dailyShare: 50, windowShare: 95, liveReserveShare: 10, accountDailyLimit: null, updatedAt: null });
    const bad: Array<[Record<string, unknown>, string, string]> = [
      [{ dailyShare: 0 }, 'dailyShare', 'dailyShare must be between 1 and 100'],
      [{ dailyShare: 101 }, 'dailyShare', 'dailyShare must be between 1 and 100'],
      [{ dailyShare: 'half' }, 'dailyShare', 'dailyShare must be between 1 and 100'],
      [{ dailyShare: 12.5 }, 'dailyShare', 'dailyShare must be between 1 and 100'],
      [{ windowShare: 0 }, 'windowShare', 'windowShare must be between 1 and 100'],
      [{ liveReserveShare: 95 }, 'liveReserveShare', 'liveReserveShare must be between 0 and 90'],
      [{ accountDailyLimit: 0 }, 'accountDailyLimit', 'accountDailyLimit must be between 1 and 1000000000'],
      [{ budget: 5 }, 'budget', 'property budget should not exist'],
    ];
    for (const [body, field, message] of bad) {
      const res = await request(t.server).put(url).set('Cookie', w.adminCookie).send(body).expect(400);
      const errors = (res.body as { errors: { field: string; messages: string[] }[] }).errors;
      expect(errors.find((e) => e.field === field)?.messages).toContain(message);
    }
    await request(t.server).put(url).set('Cookie', w.memberCookie).send({ dailyShare: 20 }).expect(403);
    const saved = (await request(t.server).put(url).set('Cookie', w.adminCookie).send({ dailyShare: 20, liveReserveShare: 0, accountDailyLimit: 1_000 }).expect(200)).body as ApiAllocationDto;
    expect(saved).toMatchObject({ dailyShare: 20, windowShare: 95, liveReserveShare: 0, accountDailyLimit: 1_000 });
    expect(saved.updatedAt).not.toBeNull();
    expect((await request(t.server).put(url).set('Cookie', w.adminCookie).send({ accountDailyLimit: null }).expect(200)).body).toMatchObject({ dailyShare: 20, accountDailyLimit: null });
    const other = await createWorkspace(t.server, t.dataSource, 'BudgetOther');
    await request(t.server).get(url).set('Cookie', other.adminCookie).expect(404);
    await request(t.server).put(url).set('Cookie', other.adminCookie).send({ dailyShare: 90 }).expect(404);
    await request(t.server).get(`/api/connections/${connectionId}/api-budget`).set('Cookie', other.adminCookie).expect(404);
    expect((await request(t.server).get(url).set('Cookie', w.adminCookie).expect(200)).body).toMatchObject({ dailyShare: 20 });
  }, 60_000);

  it('a backfill that reaches its allocation pauses with the reason, resumes after the reset (also after a Redis flush and a worker restart), and imports every contact once; live work goes on while it is paused', async () => {
    const { w, connectionId } = await connected('BudgetBackfill');
    await request(t.server).put(`/api/connections/${connectionId}/api-allocation`).set('Cookie', w.adminCookie).send({ liveReserveShare: 50 }).expect(200);
    nextDay();
    const started = (await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', w.adminCookie).send({}).expect(202)).body as SyncRunDto;

    const paused = await settledRun(w, started.id);
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toBe('Paused: daily API allocation reached');
    expect(paused.pauseCause).toBe('daily_allocation');
    // HubSpot resets at midnight (the sandbox's portal is in UTC, and Conduit has no zone for it: UTC).
    expect(paused.resumesAt?.toISOString()).toBe(sandbox.hubspot.control.usage().resetsAt);
    const view = ((await request(t.server).get(`/api/sync/runs/${started.id}`).set('Cookie', w.memberCookie).expect(200)).body as SyncRunDto);
    expect(view).toMatchObject({ status: 'paused', pausedReason: 'Paused: daily API allocation reached', resumesAt: paused.resumesAt?.toISOString() });

    // Conduit stopped at its bulk share: 50 % of the day, less the 50 % live reserve (one worker admits exactly).
    await sleep(FLUSH_WAIT_MS);
    const b1 = await budget(w, connectionId);
    expect(b1.dailyLimit).toBe(DAILY);
    expect(b1.dailyLimitSource).toBe('crm');
    expect(b1.allowance).toEqual({ daily: 80, bulk: 40, reserve: 40 });
    expect(b1.conduit.used).toBe(40);
    expect(b1.conduit.byFeature.backfill).toBe(b1.conduit.used);
    expect(b1.bulkExhausted).toBe(true);
    expect(b1.reset).toMatchObject({ rule: 'midnight', timeZone: 'UTC', timeZoneSource: 'utc_default', nextResetAt: paused.resumesAt?.toISOString() });
    expect(b1.pausedRuns).toEqual([expect.objectContaining({ type: 'sync', id: started.id, label: 'Backfill', reason: 'Paused: daily API allocation reached', resumesAt: paused.resumesAt?.toISOString() })]);
    // The sandbox counted as many calls as Conduit did (Conduit is the only integration of this account today).
    expect(sandbox.hubspot.control.usage().usedToday).toBe(b1.conduit.used);
    expect(b1.crmReported!.max).toBe(DAILY);
    const partial = await t.dataSource.getRepository(Person).countBy({ workspaceId: w.id });
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(liveContacts());

    // Live work still goes: an activity on an imported contact is logged from the reserve while the backfill waits.
    const person = await t.dataSource.getRepository(Person).findOneByOrFail({ workspaceId: w.id, email: (await t.dataSource.query<{ email: string }[]>(`SELECT email FROM person WHERE workspace_id = $1 LIMIT 1`, [w.id]))[0]!.email });
    const posted = (await request(t.server).post('/api/activities').set('Cookie', w.memberCookie).send({ idempotencyKey: `budget-${Date.now()}`, type: 'note', body: 'Logged while the backfill is paused', personId: person.id, occurredAt: new Date().toISOString() }).expect(201)).body as ActivityIntakeResultDto;
    const logged = await waitFor(async () => {
      const act = (await request(t.server).get(`/api/activities/${posted.activity.id}`).set('Cookie', w.memberCookie).expect(200)).body as ActivityDto;
      const d = act.deliveries.find((x) => x.crm === 'hubspot');
      return d && d.status !== 'pending' && d;
    }, 45_000);
    expect(logged.status).toBe('logged');
    expect((await run(w, started.id)).status).toBe('paused');

    // Not due yet: the sweep leaves it paused.
    expect(await t.app.get(SyncService).resumeDue()).toBe(0);

    // A worker restart and a Redis flush while paused: the pause lives in Postgres.
    worker = await restartWorker({ t, worker, runtime });

    // Each day's allocation imports part of the rest; the sweep resumes the run after each reset from its checkpoint
    // (the worker's scheduler runs the same sweep every 30 s: whichever comes first resumes it).
    let days = 0;
    for (let r = await run(w, started.id); r.status === 'paused'; ) {
      const progress = r.progress;
      expect(await t.app.get(SyncService).resumeDue()).toBe(0);
      nextDay();
      await t.app.get(SyncService).resumeDue();
      await resumedFrom(w, r);
      r = await settledRun(w, started.id);
      if (r.status === 'paused') expect(r.progress).not.toEqual(progress);
      expect(++days).toBeLessThan(10);
    }
    const done = await run(w, started.id);
    expect(done.status).toBe('done');
    expect(days).toBeGreaterThanOrEqual(1);
    await expectImportedOnce(w, connectionId);
    expect(done.created).toBe(liveContacts());
  }, 300_000);

  it("a DAILY 429 pauses the run without a retry storm; other integrations' spending is seen and counted against the allocation", async () => {
    const { w, connectionId } = await connected('BudgetDaily');
    nextDay();
    // Another integration spends the whole day before Conduit makes a call (no reading yet: Conduit cannot know).
    sandbox.hubspot.control.spendDailyCalls(DAILY);
    sandbox.hubspot.control.clearRequests();
    const started = (await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', w.adminCookie).send({}).expect(202)).body as SyncRunDto;
    const paused = await settledRun(w, started.id);
    expect(paused.status).toBe('paused');
    expect(paused.pausedReason).toBe("Paused: HubSpot's daily API limit reached");
    expect(paused.pauseCause).toBe('crm_daily_limit');
    expect(paused.resumesAt?.toISOString()).toBe(sandbox.hubspot.control.usage().resetsAt);
    // The calls in flight when the first 429 came back, and no retry of any of them.
    const crmCalls = () => sandbox.hubspot.control.requests().filter((q) => q.path.startsWith('/crm/v3/objects/contacts'));
    // Calls already in flight when the first 429 came back may still answer; then nothing more.
    await new Promise((r) => setTimeout(r, 1_500));
    const calls = crmCalls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThanOrEqual(5);
    expect(calls.every((q) => q.status === 429)).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(crmCalls().length).toBe(calls.length);
    expect((await run(w, started.id)).status).toBe('paused');

    // The next day, others spend most of it again: Conduit sees it in the CRM's figures and stops early, although its
    // own count is far below its allocation (bulk never takes the account's last reserve calls).
    nextDay();
    sandbox.hubspot.control.spendDailyCalls(DAILY - 50);
    await t.app.get(SyncService).resumeDue();
    await resumedFrom(w, paused);
    const again = await settledRun(w, started.id);
    expect(again.status).toBe('paused');
    expect(again.pausedReason).toBe('Paused: daily API allocation reached');
    await sleep(FLUSH_WAIT_MS);
    const b = await budget(w, connectionId);
    expect(b.crmReported!.used).toBeGreaterThanOrEqual(DAILY - 50);
    // Others' calls as of the CRM's last reading: HubSpot sends no figures on search answers, so Conduit's calls made
    // after the last reading make it look a few calls lower.
    expect(b.others).toBeLessThanOrEqual(DAILY - 50);
    expect(b.others).toBeGreaterThanOrEqual(DAILY - 50 - 5);
    expect(b.conduit.used).toBeLessThan(b.allowance!.bulk);
    // The account's last `reserve` calls are left (a call or two in flight may take one).
    expect(sandbox.hubspot.control.usage().dailyRemaining).toBeGreaterThanOrEqual(b.allowance!.reserve - 2);
    expect(b.pausedRuns.map((p) => p.id)).toEqual([started.id]);

    // "Resume now anyway" (admins only): the run goes on past the allocation until the CRM's own limit stops it.
    await request(t.server).post(`/api/sync/runs/${started.id}/resume`).set('Cookie', w.memberCookie).expect(403);
    const resumed = (await request(t.server).post(`/api/sync/runs/${started.id}/resume`).set('Cookie', w.adminCookie).expect(202)).body as SyncRunDto;
    expect(resumed.status).toBe('pending');
    const stopped = await settledRun(w, started.id);
    expect(stopped.status).toBe('paused');
    expect(stopped.pausedReason).toBe("Paused: HubSpot's daily API limit reached");
    expect(sandbox.hubspot.control.usage().dailyRemaining).toBe(0);
    await request(t.server).post(`/api/sync/runs/${started.id}/resume`).set('Cookie', w.adminCookie).expect(202);
    await settledRun(w, started.id);
    await request(t.server).post(`/api/sync/runs/00000000-0000-4000-8000-000000000000/resume`).set('Cookie', w.adminCookie).expect(404);
  }, 180_000);
  /** Moves the day on and runs the sweep until `settled` answers a finished state; how many days that took. */
  async function resumeUntilDone<T extends { status: string }>(current: () => Promise<T>, sweep: () => Promise<number>, settled: () => Promise<T>): Promise<{ last: T; days: number }> {
    let days = 0;
    let last = await current();
    while (last.status === 'paused') {
      expect(await sweep()).toBe(0);
      nextDay();
      await sweep();
      await waitFor(async () => (await current()).status !== 'paused', 30_000);
      last = await settled();
      expect(++days).toBeLessThan(10);
    }
    return { last, days };
  }

  it('a bulk export that reaches its allocation pauses with the reason and resumes after the reset from its checkpoint (after a Redis flush too): every person exported once', async () => {
    const { w, connectionId } = await connected('BudgetExport');
    // 20 % of the day: 32 calls for bulk work, about three chunks of 500 people (lookups and upserts of 100); the
    // 3,000 people need two days of them.
    await request(t.server).put(`/api/connections/${connectionId}/api-allocation`).set('Cookie', w.adminCookie).send({ dailyShare: 20, liveReserveShare: 0 }).expect(200);
    const tag = `exp${Date.now().toString(36)}`;
    const people = await t.dataSource.getRepository(Person).save(
      Array.from({ length: EXPORTED }, (_, i) => ({ workspaceId: w.id, firstName: 'Budget', lastName: `E${i}`, email: `e${i}@${tag}.example`, engagementState: 'contacted' as const })),
      { chunk: 500 },
    );
    nextDay();
    const started = (await request(t.server).post('/api/export/hubspot').set('Cookie', w.memberCookie).send({ personIds: people.map((p) => p.id) }).expect(202)).body as ExportRunDto;
    const exportRun = async () => (await request(t.server).get(`/api/export/runs/${started.id}`).set('Cookie', w.memberCookie).expect(200)).body as ExportRunDto;
    const settledExport = () => waitFor(async () => ['paused', 'done', 'failed'].includes((await exportRun()).status) && exportRun(), 60_000);

    const paused = await settledExport();
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'Paused: daily API allocation reached', resumesAt: sandbox.hubspot.control.usage().resetsAt });
    expect(paused.processed).toBeLessThan(EXPORTED);
    await sleep(FLUSH_WAIT_MS);
    const b = await budget(w, connectionId);
    expect(b.conduit.byFeature.export).toBe(b.allowance!.bulk);
    expect(b.pausedRuns.filter((p) => p.type === 'export')).toEqual([expect.objectContaining({ type: 'export', id: started.id, label: 'Bulk export', reason: 'Paused: daily API allocation reached', resumesAt: paused.resumesAt })]);
    // Members may not resume it; admins may (409 once it is no longer paused, 404 for another workspace).
    await request(t.server).post(`/api/export/runs/${started.id}/resume`).set('Cookie', w.memberCookie).expect(403);
    const other = await createWorkspace(t.server, t.dataSource, 'BudgetExportOther');
    await request(t.server).post(`/api/export/runs/${started.id}/resume`).set('Cookie', other.adminCookie).expect(404);

    // The pause lives in Postgres: a Redis flush loses nothing.
    await flushQueuePrefix(t.config);
    const resumes = t.app.get(ExportResumes);
    const { last, days } = await resumeUntilDone(exportRun, () => resumes.resumeDue(), settledExport);
    expect(last).toMatchObject({ status: 'done', processed: EXPORTED, needsAttention: 0 });
    // A chunk the pause cut short after its upsert is done again after the reset: its people are found unchanged then
    // (the run counts each person once; who was created in the cut-short attempt is not told apart).
    expect(last.created + last.updated + last.unchanged).toBe(EXPORTED);
    expect(days).toBeGreaterThanOrEqual(1);
    // Each day's calls finish chunks (a chunk starts beside others only when the day pays for it, and chunks finished
    // past the checkpoint are not done again): 3,000 people at about three chunks a day.
    expect(days).toBeLessThanOrEqual(3);
    await request(t.server).post(`/api/export/runs/${started.id}/resume`).set('Cookie', w.adminCookie).expect(409);
    // Each person once in HubSpot, each linked once.
    const contacts = [...(sandbox.hubspot.control.store().records.get('contacts')?.values() ?? [])].filter((c) => !c.archived && String(c.properties['email'] ?? '').endsWith(`@${tag}.example`));
    expect(contacts).toHaveLength(EXPORTED);
    expect(new Set(contacts.map((c) => String(c.properties['email']))).size).toBe(EXPORTED);
    expect(await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: w.id, connectionId, object: 'contact' })).toBe(EXPORTED);
  }, 240_000);

  /**
   * A HubSpot list of 2,000 of the portal's contacts on a fresh connection whose allocation is 15 % of the day: 22 calls
   * for bulk work a day, more than one membership read (8 pages) but not the imports too. With the list's view as the
   * API answers it and a wait for its sync to settle.
   */
  async function bigList(name: string, listName: string) {
    const { w, connectionId } = await connected(name);
    await request(t.server).put(`/api/connections/${connectionId}/api-allocation`).set('Cookie', w.adminCookie).send({ dailyShare: 15, liveReserveShare: 10 }).expect(200);
    const store = sandbox.hubspot.control.store();
    const ids = [...(store.records.get('contacts')?.values() ?? [])].filter((c) => !c.archived).slice(0, 2_000).map((c) => c.id);
    const at = Date.now();
    const hs = { listId: store.allocateListId(), name: listName, processingType: 'MANUAL' as const, objectTypeId: '0-1', createdAt: at, updatedAt: at, members: new Map(ids.map((id) => [id, at])), listVersion: 1 };
    store.lists.set(hs.listId, hs);
    nextDay();
    await t.app.get(CrmListsService).refreshCatalog(w.id, connectionId);
    const lists = (await request(t.server).get('/api/crm-lists?crm=hubspot').set('Cookie', w.memberCookie).expect(200)).body as CrmListDto[];
    const list = lists.find((l) => l.crmListId === hs.listId)!;
    const view = async () => (await request(t.server).get(`/api/crm-lists/${list.id}`).set('Cookie', w.memberCookie).expect(200)).body as CrmListDto;
    const current = async () => {
      const l = await view();
      return { ...l, status: l.syncStatus };
    };
    const settledList = () => waitFor(async () => ['paused', 'ok', 'failed'].includes((await view()).syncStatus) && current(), 60_000);
    return { w, connectionId, list, current, settledList };
  }

  it('a list sync that reaches its allocation pauses with the reason (the list keeps its members) and resumes by itself after the reset: every member imported once', async () => {
    const { w, connectionId, list, current, settledList } = await bigList('BudgetList', 'Budget – big manual list');
    await request(t.server).post(`/api/crm-lists/${list.id}/sync`).set('Cookie', w.memberCookie).expect(202);
    const paused = await settledList();
    expect(paused).toMatchObject({ syncStatus: 'paused', pausedReason: 'Paused: daily API allocation reached', resumesAt: sandbox.hubspot.control.usage().resetsAt });
    const imported = await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: w.id, connectionId, object: 'contact' });
    expect(imported).toBeLessThan(2_000);
    // No list import run is left running (one cut short by the pause imported nothing and is dropped).
    expect(await t.dataSource.getRepository(SyncRun).countBy({ workspaceId: w.id, kind: 'list', status: 'running' })).toBe(0);
    await sleep(FLUSH_WAIT_MS);
    const b = await budget(w, connectionId);
    // The connection's scheduled sync may have met the allocation too: the list sync is the one this test started.
    expect(b.pausedRuns.filter((p) => p.type === 'list')).toEqual([expect.objectContaining({ type: 'list', id: list.id, label: 'List sync: Budget – big manual list', resumesAt: paused.resumesAt })]);
    expect(b.conduit.byFeature.lists).toBeGreaterThan(0);

    const lists$ = t.app.get(CrmListsService);
    const { last } = await resumeUntilDone(current, () => lists$.resumeDue(), settledList);
    expect(last).toMatchObject({ syncStatus: 'ok', memberCount: 2_000 });
    expect(await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: w.id, connectionId, object: 'contact' })).toBe(2_000);
    const [dupes] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT crm_id FROM crm_link WHERE workspace_id = $1 GROUP BY crm_id HAVING count(*) > 1) d`, [w.id]);
    expect(dupes!.n).toBe(0);
  }, 240_000);

  it('"Resume now anyway" on a paused list sync (admins): it goes on past the allocation before the reset and links every member once; 404 for another workspace, 409 when not paused', async () => {
    const { w, connectionId, list, current, settledList } = await bigList('BudgetListResume', 'Budget – list resumed early');
    await request(t.server).post(`/api/crm-lists/${list.id}/sync`).set('Cookie', w.memberCookie).expect(202);
    const paused = await settledList();
    expect(paused).toMatchObject({ syncStatus: 'paused', pausedReason: 'Paused: daily API allocation reached', resumesAt: sandbox.hubspot.control.usage().resetsAt });
    await flushUsage(worker);
    const before = await budget(w, connectionId);
    expect(before.bulkExhausted).toBe(true);

    // Members may not; another workspace does not see the list; the reset has not come (the sweep resumes nothing).
    await request(t.server).post(`/api/crm-lists/${list.id}/resume`).set('Cookie', w.memberCookie).expect(403);
    const other = await createWorkspace(t.server, t.dataSource, 'BudgetListOther');
    const notFound = await request(t.server).post(`/api/crm-lists/${list.id}/resume`).set('Cookie', other.adminCookie).expect(404);
    expect((notFound.body as { message: string }).message).toBe('List not found');
    expect(await t.app.get(CrmListsService).resumeDue()).toBe(0);

    const resumed = (await request(t.server).post(`/api/crm-lists/${list.id}/resume`).set('Cookie', w.adminCookie).expect(202)).body as CrmListDto;
    expect(['pending', 'running', 'ok']).toContain(resumed.syncStatus);
    expect(resumed.pausedReason).toBeNull();
    const done = await settledList();
    expect(done).toMatchObject({ syncStatus: 'ok', memberCount: 2_000 });
    // Still the same day at the CRM, and Conduit went past its bulk allowance for it.
    expect(sandbox.hubspot.control.usage().resetsAt).toBe(paused.resumesAt);
    await flushUsage(worker);
    const after = await budget(w, connectionId);
    expect(after.conduit.byFeature.lists).toBeGreaterThan(before.conduit.byFeature.lists);
    expect(after.conduit.used).toBeGreaterThan(after.allowance!.bulk);
    expect(after.pausedRuns.filter((p) => p.type === 'list')).toEqual([]);
    expect(await t.dataSource.getRepository(CrmLink).countBy({ workspaceId: w.id, connectionId, object: 'contact' })).toBe(2_000);
    const [dupes] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (SELECT crm_id FROM crm_link WHERE workspace_id = $1 GROUP BY crm_id HAVING count(*) > 1) d`, [w.id]);
    expect(dupes!.n).toBe(0);

    const again = await request(t.server).post(`/api/crm-lists/${list.id}/resume`).set('Cookie', w.adminCookie).expect(409);
    expect((again.body as { message: string }).message).toBe('The list sync is not paused, so there is nothing to resume');
    expect((await current()).syncStatus).toBe('ok');
  }, 240_000);
});
