import type { ApiBudgetDto } from '@conduit/contracts';
import type { INestApplicationContext } from '@nestjs/common';
import request from 'supertest';
import { ApiUsageMeter } from '../../src/crm-runtime/api-usage.meter.js';
import { SyncRun } from '../../src/sync/sync-run.entity.js';
import type { TestWorkspace } from './fixtures.js';
import { type TestApp, waitFor } from './test-app.js';

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
