import { expect } from '@jest/globals';
import type { ActivityDto, ActivityIntakeResultDto, ApiBudgetDto, PushResultDto } from '@conduit/contracts';
import type { CrmKind } from '@conduit/crm';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { CrmConnection } from '../../src/connections/connection.entity.js';
import { ApiUsageMeter } from '../../src/crm-runtime/api-usage.meter.js';
import type { CrmRuntimeOptions } from '../../src/crm-runtime/crm-runtime.options.js';
import { SyncRun } from '../../src/sync/sync-run.entity.js';
import { connectCrm } from './crm-oauth.js';
import { crmSandboxConfig } from './crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './fixtures.js';
import { flushQueuePrefix, LogCapture, startContext, startTestApp, type TestApp, waitFor } from './test-app.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A CRM sandbox's limits clock (real time plus an offset that only grows). */
export type LimitsClock = Sandbox['hubspot']['control']['clock'];

/** A UTC time of day, `hh:mm:ss`, in ms after midnight. */
function timeOfDayMs(time: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)$/.exec(time);
  if (!m) throw new Error(`a time of day is hh:mm:ss (UTC), not "${time}"`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000;
}

/**
 * Moves a limits clock forward to the next `time` of day (UTC, `hh:mm:ss`; less than a day on): what a spec expects
 * then depends on where the clock's day stands, never on the wall clock's. Returns the clock's time.
 */
export function advanceToTimeOfDay(clock: LimitsClock, time: string): number {
  const ahead = (((timeOfDayMs(time) - (clock.now() % DAY_MS)) % DAY_MS) + DAY_MS) % DAY_MS;
  return clock.advance(ahead);
}

/**
 * Moves a limits clock forward to the next quarter past an hour that is not the last hour before midnight (at most two
 * hours on): 45 minutes before that hour ends and 1 h 45 min or more before midnight, so a spec that writes usage in
 * this hour and reads it back, or reads "today" twice, has neither fall in between. Close to real time on purpose:
 * runs keep real timestamps, and the usage chart lists the runs of the budget clock's last 24 hours (pinned a day
 * ahead, it lost them).
 */
export function advanceToQuietTime(clock: LimitsClock): number {
  const now = clock.now();
  let at = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS / 4;
  if (at < now) at += HOUR_MS;
  if (new Date(at).getUTCHours() === 23) at += HOUR_MS;
  return clock.advance(at - now);
}

/**
 * A fresh HubSpot day, at its noon: the CRM's daily count and Conduit's day start again at the reset (midnight UTC,
 * the sandbox portal's zone) and the test runs twelve hours from either midnight, so nothing it does straddles one by
 * chance.
 */
export function nextHubspotDay(sandbox: Sandbox): number {
  const hubspot = sandbox.hubspot.control;
  return hubspot.clock.advance(Date.parse(hubspot.usage().resetsAt) - hubspot.clock.now() + 12 * HOUR_MS);
}

/**
 * The world of a daily API budget spec (#17): the CRM sandbox, the API (HTTP, no processors) and one worker
 * (processors). `clock` names the CRM whose sandbox limits clock is Conduit's budget clock too (CrmRuntimeOptions.now),
 * so `clock.advance` moves the CRM's day and Conduit's together.
 */
export interface BudgetApp {
  sandbox: Sandbox;
  t: TestApp;
  worker: INestApplicationContext;
  runtime: CrmRuntimeOptions;
}

/**
 * Starts a budget spec's world (in beforeAll). `prepare` sets the sandbox up before the API starts (limits, seeded
 * records); the worker's logs go to `workerLogs` when given.
 */
export async function startBudgetApp(options: { seed: number; clock: CrmKind; prepare?: (sandbox: Sandbox) => void; workerLogs?: LogCapture }): Promise<BudgetApp> {
  const sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: options.seed });
  options.prepare?.(sandbox);
  const runtime: CrmRuntimeOptions = { now: () => sandbox[options.clock].control.clock.now() };
  const t = await startTestApp({ runProcessors: false, ...crmSandboxConfig(sandbox) }, runtime);
  const worker = await startContext(t.config, { processors: true, crmRuntime: runtime }, options.workerLogs ?? new LogCapture());
  return { sandbox, t, worker, runtime };
}

/** Stops what startBudgetApp started (in afterAll; any part may be missing when beforeAll failed). */
export async function stopBudgetApp(app: Partial<BudgetApp>): Promise<void> {
  await app.worker?.close();
  await app.t?.close();
  await app.sandbox?.stop();
}

/** A worker restart with a Redis flush in between (the queues' keys gone): what is paused or waiting lives in Postgres. */
export async function restartWorker(app: Pick<BudgetApp, 't' | 'worker' | 'runtime'>): Promise<INestApplicationContext> {
  await app.worker.close();
  await flushQueuePrefix(app.t.config);
  return startContext(app.t.config, { processors: true, crmRuntime: app.runtime });
}

/**
 * A new workspace connected to `crm` that syncs `objects` only and on no schedule (the worker's scheduler would start
 * backfills and incremental runs of its own), and the connection's id.
 */
export async function connectedForBudget(t: TestApp, name: string, crm: CrmKind, objects: string[]): Promise<{ w: TestWorkspace; connectionId: string }> {
  const w = await createWorkspace(t.server, t.dataSource, name);
  await connectCrm(t.server, w.adminCookie, crm);
  const { id } = await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: w.id, crm });
  await request(t.server).put(`/api/sync/connections/${id}/settings`).set('Cookie', w.adminCookie).send({ objects, importEnabled: false }).expect(200);
  return { w, connectionId: id };
}

/** People created in Conduit and pushed to `crm` one by one (each must come back with its CRM id); their ids. */
export async function pushedPeople(t: TestApp, w: TestWorkspace, crm: CrmKind, people: ReadonlyArray<Record<string, string>>): Promise<string[]> {
  const personIds: string[] = [];
  for (const person of people) {
    const created = await request(t.server).post('/api/people').set('Cookie', w.adminCookie).send(person).expect(201);
    const personId = (created.body as { id: string }).id;
    const pushed = (await request(t.server).post(`/api/people/${personId}/push/${crm}`).set('Cookie', w.memberCookie).expect(200)).body as PushResultDto;
    expect(pushed.crmId).toBeTruthy();
    personIds.push(personId);
  }
  return personIds;
}

/**
 * Live work under the budget: notes logged on people (idempotency keys `${keyPrefix}-n`), read back with their
 * delivery to `crm`, and waits on all of them waiting for the budget or all logged. `app` is read at each call.
 */
export function liveActivityProbes(app: () => TestApp, crm: CrmKind, keyPrefix: string) {
  let seq = 0;
  const post = async (w: TestWorkspace, personId: string) =>
    ((await request(app().server).post('/api/activities').set('Cookie', w.memberCookie).send({ idempotencyKey: `${keyPrefix}-${seq++}`, type: 'note', body: `Note ${seq}`, personId, occurredAt: new Date().toISOString() }).expect(201)).body as ActivityIntakeResultDto).activity;
  const get = async (w: TestWorkspace, id: string) => (await request(app().server).get(`/api/activities/${id}`).set('Cookie', w.memberCookie).expect(200)).body as ActivityDto;
  const deliveryOf = (a: ActivityDto) => a.deliveries.find((d) => d.crm === crm)!;
  /** Until every one is pending with the budget's wait recorded; their deliveries then. */
  const waitingAll = (w: TestWorkspace, ids: string[]) =>
    waitFor(async () => {
      const ds = await Promise.all(ids.map(async (id) => deliveryOf(await get(w, id))));
      return ds.every((d) => d.status === 'pending' && d.waiting?.reason.startsWith('Waiting: ')) && ds;
    }, 90_000);
  const loggedAll = (w: TestWorkspace, ids: string[]) => waitFor(async () => (await Promise.all(ids.map(async (id) => deliveryOf(await get(w, id))))).every((d) => d.status === 'logged'), 60_000);
  return { post, get, deliveryOf, waitingAll, loggedAll };
}

/**
 * What the daily API budget specs (#17) read of a connection: its sync runs as stored, its budget summary
 * (GET /connections/:id/api-budget), and waits on a run settling or leaving a pause. `app` is read at each call (the
 * specs start the app in beforeAll).
 */
export function budgetProbes(app: () => TestApp, settleMs: number) {
  const run = (w: TestWorkspace, id: string) => app().dataSource.getRepository(SyncRun).findOneByOrFail({ id, workspaceId: w.id });
  const budget = async (w: TestWorkspace, connectionId: string) =>
    (await request(app().server).get(`/api/connections/${connectionId}/api-budget`).set('Cookie', w.memberCookie).expect(200)).body as ApiBudgetDto;
  /** Waits until the run is paused, done or failed. */
  const settledRun = (w: TestWorkspace, id: string) =>
    waitFor(async () => {
      const r = await run(w, id);
      return (r.status === 'paused' || r.status === 'done' || r.status === 'failed') && r;
    }, settleMs);
  /** Waits until a paused run has left that pause (resumed, and maybe paused again with a later resume time). */
  const resumedFrom = (w: TestWorkspace, before: SyncRun) =>
    waitFor(async () => {
      const r = await run(w, before.id);
      return (r.status !== 'paused' || r.resumesAt?.getTime() !== before.resumesAt?.getTime()) && r;
    }, 30_000);
  return { run, budget, settledRun, resumedFrom };
}

/**
 * The calls these processes counted, in Postgres now (ApiUsageMeter adds them every 2 s by itself): what the budget
 * summary reads, without waiting for a timer that a loaded machine may run late.
 */
export async function flushUsage(...contexts: INestApplicationContext[]): Promise<void> {
  await Promise.all(contexts.map((c) => c.get(ApiUsageMeter, { strict: false }).flush()));
}
