import type { ApiBudgetDto, ApiUsageDto, CrmListDto, ExportRunDto, ForecastDto, SyncRunDto } from '@conduit/contracts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { CrmListsService } from '../src/crm-lists/crm-lists.service.js';
import { ApiUsageMeter } from '../src/crm-runtime/api-usage.meter.js';
import { advanceToQuietTime } from './support/api-budget.js';
import { connectedWorkspace, crmSandboxConfig, stopSyncScheduler } from './support/crm-test-app.js';
import type { TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

/**
 * A test that waits for a run (a backfill of 5,000+ records, a list sync, an export): longer than the wait for the run
 * (120 s), so a slow run fails on the wait's own message, not on jest's timeout. Nothing here asserts a duration.
 */
const RUN_TEST_MS = 180_000;

/**
 * Forecasts of bulk work (#17) against the sandbox through the real SDKs: record counts from the CRM, the pace from
 * the CRM's limits before any run and from the connection's runs after, the forecast kept on the run it started, and
 * forecast vs actual calls. The budget's clock is the HubSpot sandbox's limits clock, moved before anything runs to
 * the next quarter past an hour outside the last hour before midnight (advanceToQuietTime): a test that reads "today"
 * twice (the budget, then a forecast of it) or writes usage in this hour and reads the chart never has a midnight or
 * an hour's end fall in between, whatever the wall clock says.
 */
describe('forecast before big work (HubSpot and Salesforce sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let hs: { workspace: TestWorkspace; connectionId: string };
  let sf: { workspace: TestWorkspace; connectionId: string };

  const forecast = (w: { workspace: TestWorkspace; connectionId: string }, body: object, status = 201) =>
    request(t.server).post(`/api/connections/${w.connectionId}/forecast`).set('Cookie', w.workspace.adminCookie).send(body).expect(status);
  const finished = (w: { workspace: TestWorkspace }, id: string) =>
    waitFor(async () => {
      const run = (await request(t.server).get(`/api/sync/runs/${id}`).set('Cookie', w.workspace.adminCookie).expect(200)).body as SyncRunDto;
      return (run.status === 'done' || run.status === 'failed') && run;
    }, 120_000);

  // These tests start their runs themselves. The sync scheduler is stopped: its 30 s tick backfills a connection that
  // never synced, and a tick between connecting and switching the import off started a full backfill the test did not
  // ask for (its POST then answered that open run, without the forecast, and waited for every object).
  const connect = async (name: string, crm: 'hubspot' | 'salesforce') => {
    const w = await connectedWorkspace(t, name, crm);
    await request(t.server).put(`/api/sync/connections/${w.connectionId}/settings`).set('Cookie', w.workspace.adminCookie).send({ importEnabled: false }).expect(200);
    return w;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    // Enough contacts that the pages, not the fixed calls, make the cost: 5,300 contacts ≈ 53 list pages.
    sandbox.hubspot.control.seedContacts(5_000);
    sandbox.salesforce.control.seedLeads(6_000);
    advanceToQuietTime(sandbox.hubspot.control.clock);
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) }, { now: () => sandbox.hubspot.control.clock.now() });
    await stopSyncScheduler(t);
    hs = await connect('Forecast HubSpot', 'hubspot');
    sf = await connect('Forecast Salesforce', 'salesforce');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('HubSpot: counts the records with one search each, prices them from the limits, and the run keeps the forecast', async () => {
    const before = sandbox.hubspot.control.requests().length;
    const f = (await forecast(hs, { kind: 'backfill', objects: ['company', 'contact'] })).body as ForecastDto;
    const countCalls = sandbox.hubspot.control.requests().slice(before);
    // One one-result search per object, nothing else.
    expect(countCalls.map((r) => r.path).sort()).toEqual(['/crm/v3/objects/companies/search', '/crm/v3/objects/contacts/search']);
    expect(f.recordsByObject).toEqual([
      { object: 'company', records: 40 },
      { object: 'contact', records: 5_300 },
    ]);
    expect(f.records).toBe(5_340);
    expect(f.pace).toEqual({ source: 'limits', callsPerRecord: 0.0075, recordsPerSecond: 1_000, runsMeasured: 0 });
    // 2 count calls by the run + 40 companies in 1 page + 5,300 contacts: 2,000 in list pages of 100, the rest at the
    // split read's 0.0075 a record.
    expect(f.expectedCalls).toBe(2 + 1 + 20 + 25);
    // 5,340 records at 1,000/s: 5.4 s (a short job to the tenth of a second; the sentence rounds it).
    expect(f.expectedSeconds).toBe(5.4);
    expect(f.summary).toContain('About 48 API calls and 5 s');
    // HubSpot tells OAuth apps no daily limit and no admin entered one: no allocation applies; the reset is still known.
    expect(f.budget).toEqual({ dailyLimit: null, remainingToday: null, allowancePerDay: null, resetsAt: expect.stringMatching(/T00:00:00\.000Z$/) });
    expect(f.pause).toBeNull();

    const started = (await request(t.server).post(`/api/sync/connections/${hs.connectionId}/backfill`).set('Cookie', hs.workspace.adminCookie).send({ objects: ['company', 'contact'], forecastId: f.id }).expect(202))
      .body as SyncRunDto;
    expect(started.forecast?.forecast).toMatchObject({ id: f.id, kind: 'backfill', expectedCalls: 48, records: 5_340 });
    const run = await finished(hs, started.id);
    expect(run.status).toBe('done');
    expect(run.forecast?.actual).toMatchObject({ calls: run.apiCalls, records: 5_340 });
    expect(run.forecast?.actual.seconds).toEqual(expect.any(Number));
    // Within ±20 % of the calls the run really made.
    expect(Math.abs(run.forecast!.callsError!)).toBeLessThanOrEqual(0.2);
    expect(run.forecast!.callsError).toBeCloseTo(run.apiCalls / 48 - 1, 2);

    // A forecast is used once.
    const again = await request(t.server).post(`/api/sync/connections/${hs.connectionId}/remap`).set('Cookie', hs.workspace.adminCookie).send({ forecastId: f.id }).expect(400);
    expect((again.body as { errors: { field: string }[] }).errors[0]!.field).toBe('forecastId');
  }, RUN_TEST_MS);

  it('HubSpot: after a run, the pace is the one measured on the connection and a remap forecast holds within 20 %', async () => {
    const f = (await forecast(hs, { kind: 'remap', objects: ['company', 'contact'] })).body as ForecastDto;
    expect(f.pace.source).toBe('measured');
    expect(f.pace.runsMeasured).toBe(1);
    const started = (await request(t.server).post(`/api/sync/connections/${hs.connectionId}/remap`).set('Cookie', hs.workspace.adminCookie).send({ forecastId: f.id }).expect(202)).body as SyncRunDto;
    const run = await finished(hs, started.id);
    expect(run.status).toBe('done');
    expect(run.forecast?.forecast.id).toBe(f.id);
    expect(Math.abs(run.forecast!.callsError!)).toBeLessThanOrEqual(0.2);
  }, RUN_TEST_MS);

  it('Salesforce: SELECT COUNT() per object, query pages of 2,000', async () => {
    const before = sandbox.salesforce.control.requests().length;
    const f = (await forecast(sf, { kind: 'backfill', objects: ['company', 'lead', 'contact'] })).body as ForecastDto;
    const queries = sandbox.salesforce.control.requests().slice(before).filter((r) => r.path.includes('/query'));
    expect(queries).toHaveLength(3);
    expect(f.recordsByObject).toEqual([
      { object: 'company', records: sandbox.salesforce.control.count('Account') },
      { object: 'lead', records: sandbox.salesforce.control.count('Lead') },
      { object: 'contact', records: sandbox.salesforce.control.count('Contact') },
    ]);
    expect(f.pace.source).toBe('limits');
    expect(f.pace.callsPerRecord).toBe(0.0005);
    // 3 count calls by the run; per object a describe and its pages of 2,000.
    const pages = f.recordsByObject.reduce((n, o) => n + 1 + Math.max(1, Math.ceil(o.records / 2_000)), 0);
    expect(f.expectedCalls).toBe(3 + pages);
    const started = (await request(t.server).post(`/api/sync/connections/${sf.connectionId}/backfill`).set('Cookie', sf.workspace.adminCookie).send({ objects: ['company', 'lead', 'contact'], forecastId: f.id }).expect(202))
      .body as SyncRunDto;
    const run = await finished(sf, started.id);
    expect(run.status).toBe('done');
    expect(run.forecast!.forecast.expectedCalls).toBe(f.expectedCalls);
    expect(Math.abs(run.forecast!.callsError!)).toBeLessThanOrEqual(0.2);
  }, RUN_TEST_MS);

  it('Salesforce: a bulk export forecast counts the people the policy lets through, linked ones priced lower, and the export run keeps it', async () => {
    const people = await t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM person p WHERE p.workspace_id = $1 AND EXISTS (SELECT 1 FROM crm_link l WHERE l.person_id = p.id AND l.archived_at IS NULL) ORDER BY p.id LIMIT 40`,
      [sf.workspace.id],
    );
    const ids = people.map((p) => p.id);
    // Half of them contacted: the default policy (all contacted) lets those 20 through.
    await t.dataSource.query(`UPDATE person SET engagement_state = 'contacted' WHERE id = ANY($1::uuid[])`, [ids.slice(0, 20)]);
    const f = (await forecast(sf, { kind: 'bulk-export', export: { personIds: ids } })).body as ForecastDto;
    expect(f.records).toBe(20);
    expect(f.recordsByObject).toEqual([{ object: 'person', records: 20 }]);
    // All linked: the owners, then one Composite lookup and one update per 500 people.
    expect(f.pace).toMatchObject({ source: 'limits', callsPerRecord: 0.15 });
    expect(f.expectedCalls).toBe(3);
    const run = (await request(t.server).post('/api/export/salesforce').set('Cookie', sf.workspace.adminCookie).send({ personIds: ids, forecastId: f.id }).expect(202)).body as ExportRunDto;
    expect(run.total).toBe(20);
    expect(run.forecast?.forecast).toMatchObject({ id: f.id, kind: 'bulk-export', records: 20 });
    // A backfill forecast cannot start an export.
    const b = (await forecast(sf, { kind: 'backfill', objects: ['company'] })).body as ForecastDto;
    const refused = await request(t.server).post('/api/export/salesforce').set('Cookie', sf.workspace.adminCookie).send({ personIds: ids, forecastId: b.id }).expect(400);
    expect((refused.body as { errors: { field: string }[] }).errors[0]!.field).toBe('forecastId');
  });

  it('refuses what it cannot forecast, naming the field; another workspace’s connection is not found', async () => {
    const kind = (await forecast(hs, { kind: 'everything' }, 400)).body as { errors: { field: string }[] };
    expect(kind.errors.map((e) => e.field)).toContain('kind');
    const list = (await forecast(hs, { kind: 'list-sync' }, 400)).body as { errors: { field: string }[] };
    expect(list.errors.map((e) => e.field)).toEqual(['listId']);
    const exp = (await forecast(hs, { kind: 'bulk-export' }, 400)).body as { errors: { field: string }[] };
    expect(exp.errors.map((e) => e.field)).toEqual(['export']);
    const objects = (await forecast(hs, { kind: 'remap', objects: ['owner'] }, 400)).body as { errors: { field: string }[] };
    expect(objects.errors.map((e) => e.field)).toEqual(['objects']);
    await request(t.server).post(`/api/connections/${sf.connectionId}/forecast`).set('Cookie', hs.workspace.adminCookie).send({ kind: 'backfill' }).expect(404);
    // A forecast of one connection cannot start another's work.
    const f = (await forecast(hs, { kind: 'backfill', objects: ['company'] })).body as ForecastDto;
    const other = await request(t.server).post(`/api/sync/connections/${sf.connectionId}/backfill`).set('Cookie', sf.workspace.adminCookie).send({ forecastId: f.id }).expect(400);
    expect((other.body as { errors: { field: string }[] }).errors[0]!.field).toBe('forecastId');
  });

  it('a list sync forecast prices the members Conduit does not hold yet, and the list keeps it next to what its sync took', async () => {
    await t.app.get(CrmListsService).refreshCatalog(hs.workspace.id, hs.connectionId);
    const [list] = await t.dataSource.query<{ id: string; size: number }[]>(`SELECT id, size FROM crm_list WHERE workspace_id = $1 AND size > 0 ORDER BY size DESC LIMIT 1`, [hs.workspace.id]);
    if (!list) throw new Error('the backfill read no HubSpot list');
    const before = sandbox.hubspot.control.requests().length;
    const f = (await forecast(hs, { kind: 'list-sync', listId: list.id })).body as ForecastDto;
    // One count of the CRM's contacts (how many of them Conduit links), nothing else.
    expect(sandbox.hubspot.control.requests().slice(before).map((r) => r.path)).toEqual(['/crm/v3/objects/contacts/search']);
    expect(f.records).toBe(list.size);
    expect(f.recordsByObject).toEqual([{ object: 'member', records: list.size }]);
    // Never synced, but the backfills linked every contact of the CRM: its members cost their pages of 250 only, no import.
    expect(f.pace.source).toBe('limits');
    expect(f.expectedCalls).toBe(Math.ceil(list.size / 250));

    // Synced with the forecast: the list keeps it with the sync's job, next to the calls and time it took.
    const { jobId } = (await request(t.server).post(`/api/crm-lists/${list.id}/sync`).set('Cookie', hs.workspace.adminCookie).send({ forecastId: f.id }).expect(202)).body as { jobId: string };
    const synced = await waitFor(async () => {
      const l = (await request(t.server).get(`/api/crm-lists/${list.id}`).set('Cookie', hs.workspace.adminCookie).expect(200)).body as CrmListDto;
      return l.syncForecast?.actual.seconds !== null && l.syncStatus === 'ok' && l;
    }, 60_000);
    const [job] = await t.dataSource.query<{ result: { apiCalls: number; members: number } }[]>(`SELECT result FROM outbox_job WHERE id = $1`, [jobId]);
    expect(synced.syncForecast).toMatchObject({ forecast: { id: f.id, kind: 'list-sync', expectedCalls: f.expectedCalls }, actual: { calls: job!.result.apiCalls, records: job!.result.members } });
    expect(synced.syncForecast!.callsError).toBeCloseTo(job!.result.apiCalls / f.expectedCalls - 1, 2);
    // Used once; a forecast of other work cannot start a list sync.
    for (const forecastId of [f.id, ((await forecast(hs, { kind: 'backfill', objects: ['company'] })).body as ForecastDto).id]) {
      const refused = await request(t.server).post(`/api/crm-lists/${list.id}/sync`).set('Cookie', hs.workspace.adminCookie).send({ forecastId }).expect(400);
      expect((refused.body as { errors: { field: string }[] }).errors[0]!.field).toBe('forecastId');
    }
  }, RUN_TEST_MS);

  it('a full backfill (deals, owners and lists too) measures the pace of the next one', async () => {
    const w = await connect('Forecast full', 'hubspot');
    const first = (await request(t.server).post(`/api/sync/connections/${w.connectionId}/backfill`).set('Cookie', w.workspace.adminCookie).send({}).expect(202)).body as SyncRunDto;
    const run = await finished(w, first.id);
    expect(run.status).toBe('done');
    const f = (await forecast(w, { kind: 'backfill' })).body as ForecastDto;
    expect(f.recordsByObject.map((o) => o.object)).toEqual(['company', 'contact', 'deal']);
    expect(f.pace).toMatchObject({ source: 'measured', runsMeasured: 1 });
  }, RUN_TEST_MS);

  it('usage: calls by feature per hour (what counted in the day) and per day, the CRM-reported total, the allocation and each run\'s share of the day', async () => {
    const w = await connect('Usage', 'hubspot');
    // Connecting read the CRM's fields: those calls are counted too (feature `discovery`), and the figures below add to them.
    await t.app.get(ApiUsageMeter, { strict: false }).flush();
    const connecting = await t.dataSource.query<{ hour: Date; calls: number }[]>(`SELECT hour, sum(calls)::int AS calls FROM crm_api_usage WHERE connection_id = $1 GROUP BY hour`, [w.connectionId]);
    const now = sandbox.hubspot.control.clock.now();
    const hour = (back: number) => new Date(Math.floor(now / 3_600_000) * 3_600_000 - back * 3_600_000);
    const today = new Date(Math.floor(now / 86_400_000) * 86_400_000);
    const connectingToday = connecting.filter((c) => c.hour.getTime() >= today.getTime()).reduce((n, c) => n + c.calls, 0);
    const connectingAll = connecting.reduce((n, c) => n + c.calls, 0);
    expect(connectingAll).toBeGreaterThan(0);
    // Calls Conduit counted (as the budget's meter writes them), two readings of the account by the CRM, a daily limit the admin set.
    const usage = [
      { hour: hour(0), feature: 'backfill', calls: 700 },
      { hour: hour(0), feature: 'activities', calls: 30 },
      { hour: hour(1), feature: 'export', calls: 50 },
      { hour: new Date(today.getTime() - 2 * 86_400_000 + 3_600_000), feature: 'lists', calls: 9 },
    ];
    for (const u of usage) {
      await t.dataSource.query(`INSERT INTO crm_api_usage (workspace_id, connection_id, hour, feature, calls) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [w.workspace.id, w.connectionId, u.hour, u.feature, u.calls]);
    }
    await t.dataSource.query(`INSERT INTO crm_api_reported (workspace_id, connection_id, hour, used, max, reported_at, source) VALUES ($1, $2, $3, 2500, 250000, $3, 'headers')`, [w.workspace.id, w.connectionId, hour(0)]);
    await t.dataSource.query(`UPDATE crm_connection SET api_daily_share = 40 WHERE id = $1`, [w.connectionId]);

    const day = (await request(t.server).get(`/api/connections/${w.connectionId}/api-usage`).set('Cookie', w.workspace.adminCookie).expect(200)).body as ApiUsageDto;
    expect(day.window).toBe('24h');
    expect(day.points).toHaveLength(24);
    const last = day.points.at(-1)!;
    expect(last.byFeature).toMatchObject({ backfill: 700, activities: 30 });
    expect(last.crmReported).toBe(2_500);
    // The hour before counts in the day unless midnight came between.
    const sameDay = hour(1).getTime() >= today.getTime();
    expect(last.conduit).toBe(730 + (sameDay ? 50 : 0) + connectingToday);
    expect(day.totals.conduit).toBe(780 + connectingAll);
    expect(day.dailyLimit).toBe(250_000);
    expect(day.allocation).toBe(100_000);

    const week = (await request(t.server).get(`/api/connections/${w.connectionId}/api-usage`).query({ window: '7d' }).set('Cookie', w.workspace.adminCookie).expect(200)).body as ApiUsageDto;
    expect(week.points).toHaveLength(7);
    expect(week.points[4]!.byFeature.lists).toBe(9);
    expect(week.totals.conduit).toBe(789 + connectingAll);

    // Runs with their calls and share of the account's day (a backfill of this connection).
    const run = (await request(t.server).post(`/api/sync/connections/${w.connectionId}/backfill`).set('Cookie', w.workspace.adminCookie).send({ objects: ['company'] }).expect(202)).body as SyncRunDto;
    const done = await finished(w, run.id);
    const runs = ((await request(t.server).get(`/api/connections/${w.connectionId}/api-usage`).set('Cookie', w.workspace.adminCookie).expect(200)).body as ApiUsageDto).runs;
    expect(runs[0]).toMatchObject({ type: 'sync', id: run.id, label: 'Backfill', status: 'done', calls: done.apiCalls, shareOfDay: Math.round((done.apiCalls / 250_000) * 10_000) / 10_000 });

    const bad = (await request(t.server).get(`/api/connections/${w.connectionId}/api-usage`).query({ window: '30d' }).set('Cookie', w.workspace.adminCookie).expect(400)).body as { errors: { field: string }[] };
    expect(bad.errors.map((e) => e.field)).toEqual(['window']);
    await request(t.server).get(`/api/connections/${w.connectionId}/api-usage`).set('Cookie', hs.workspace.adminCookie).expect(404);
  }, RUN_TEST_MS);

  it('with the daily limit known, a forecast answers its share of what bulk work may still spend today and where it would pause', async () => {
    const w = await connect('Forecast budget', 'hubspot');
    // HubSpot reports no daily limit to OAuth apps: an admin enters the account's. 50 % of 100 = 50 a day for Conduit,
    // 10 % of it kept for live work: 45 for bulk work.
    await request(t.server).put(`/api/connections/${w.connectionId}/api-allocation`).set('Cookie', w.workspace.adminCookie).send({ accountDailyLimit: 100 }).expect(200);
    const before = (await request(t.server).get(`/api/connections/${w.connectionId}/api-budget`).set('Cookie', w.workspace.adminCookie).expect(200)).body as ApiBudgetDto;
    expect(before.allowance).toEqual({ daily: 50, bulk: 45, reserve: 5 });
    const f = (await forecast(w, { kind: 'backfill', objects: ['company', 'contact'] })).body as ForecastDto;
    expect(f.budget).toMatchObject({ dailyLimit: 100, allowancePerDay: 45, resetsAt: before.reset.nextResetAt });
    // What bulk work may still spend: the budget's own figure (less the forecast's two count calls when counted first).
    expect(f.budget.remainingToday).toBeLessThanOrEqual(before.remaining!.bulk);
    expect(f.budget.remainingToday).toBeGreaterThanOrEqual(before.remaining!.bulk - 2);
    // 48 calls (see the first test) do not fit: it pauses where today's calls run out and resumes at the reset.
    expect(f.expectedCalls).toBe(48);
    expect(f.shareOfRemaining).toBeCloseTo(48 / f.budget.remainingToday!, 3);
    expect(f.pause).toEqual({ atShare: expect.any(Number), resets: 1, resumesAt: before.reset.nextResetAt });
    expect(f.pause!.atShare).toBeCloseTo(f.budget.remainingToday! / 48, 2);
    expect(f.summary).toMatch(/^About 48 API calls and 5 s: more than the \d+ calls Conduit may still use today: it will pause at about \d+ %, resume at 00:00 UTC and finish after tomorrow's reset\.$/);
  });

  it('a bulk export counts its CRM calls; once one of 200+ people has run, the next export forecast takes its pace from it', async () => {
    const people = await t.dataSource.query<{ id: string }[]>(
      `SELECT p.id FROM person p WHERE p.workspace_id = $1 AND EXISTS (SELECT 1 FROM crm_link l WHERE l.person_id = p.id AND l.archived_at IS NULL) ORDER BY p.id DESC LIMIT 300`,
      [sf.workspace.id],
    );
    const ids = people.map((p) => p.id);
    await t.dataSource.query(`UPDATE person SET engagement_state = 'contacted' WHERE id = ANY($1::uuid[])`, [ids]);
    const f = (await forecast(sf, { kind: 'bulk-export', export: { personIds: ids } })).body as ForecastDto;
    expect(f.records).toBe(300);
    const before = sandbox.salesforce.control.requests().length;
    const started = (await request(t.server).post('/api/export/salesforce').set('Cookie', sf.workspace.adminCookie).send({ personIds: ids, forecastId: f.id }).expect(202)).body as ExportRunDto;
    const run = await waitFor(async () => {
      const r = (await request(t.server).get(`/api/export/runs/${started.id}`).set('Cookie', sf.workspace.adminCookie).expect(200)).body as ExportRunDto;
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 60_000);
    expect(run.status).toBe('done');
    // Every call the run made reached the sandbox (nothing else of this workspace ran meanwhile: import is off).
    expect(run.apiCalls).toBeGreaterThan(0);
    expect(run.apiCalls).toBe(sandbox.salesforce.control.requests().slice(before).length);
    expect(run.forecast?.actual).toMatchObject({ calls: run.apiCalls, records: 300, seconds: expect.any(Number) });
    expect(run.forecast?.callsError).toBeCloseTo(run.apiCalls / f.expectedCalls - 1, 2);

    const next = (await forecast(sf, { kind: 'bulk-export', export: { personIds: ids } })).body as ForecastDto;
    expect(next.pace).toMatchObject({ source: 'measured', runsMeasured: 1 });
    // The same 300 people, all linked now as then: the calls per person the run really spent.
    expect(next.pace.callsPerRecord).toBeCloseTo(run.apiCalls / 300, 4);
    expect(next.expectedCalls).toBe(run.apiCalls);
  }, RUN_TEST_MS);
});
