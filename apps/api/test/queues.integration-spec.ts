import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JobDto } from '@conduit/contracts';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OutboxJob } from '../src/queues/outbox-job.entity.js';
import { OutboxService } from '../src/queues/outbox.service.js';
import { JobName, QueueName } from '../src/queues/queue-names.js';
import { Workspace } from '../src/workspaces/workspace.entity.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { createTestEnvironment, flushQueuePrefix, startContext, startTestApp, type TestApp, waitFor } from './support/test-app.js';

describe('jobs through the API (RUN_PROCESSORS=true)', () => {
  let t: TestApp;
  let a: TestWorkspace;
  let b: TestWorkspace;

  beforeAll(async () => {
    t = await startTestApp({ runProcessors: true });
    a = await createWorkspace(t.server, t.dataSource, 'Alpha');
    b = await createWorkspace(t.server, t.dataSource, 'Beta');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('runs recount-workspace to completion and stores the result', async () => {
    await request(t.server).post('/api/people').set('Cookie', a.memberCookie).send({ email: 'one@alpha.test', engagementState: 'contacted' }).expect(201);
    await request(t.server).post('/api/companies').set('Cookie', a.memberCookie).send({ name: 'Alpha Co' }).expect(201);
    const queued = (await request(t.server).post('/api/jobs/recount-workspace').set('Cookie', a.adminCookie).expect(202)).body as JobDto;
    expect(queued).toMatchObject({ status: 'pending', name: 'recount-workspace', queue: 'maintenance', attempts: 0 });

    const done = await waitFor(async () => {
      const job = (await request(t.server).get(`/api/jobs/${queued.id}`).set('Cookie', a.memberCookie).expect(200)).body as JobDto;
      return job.status === 'done' && job;
    });
    expect(done).toMatchObject({ attempts: 1, lastError: null, result: { people: 1, companies: 1, users: 2, peopleByEngagementState: { contacted: 1 } } });
    expect(done.finishedAt).not.toBeNull();
    // Another workspace cannot see the job.
    await request(t.server).get(`/api/jobs/${queued.id}`).set('Cookie', b.adminCookie).expect(404);
  });

  it('retries a failing job with backoff, then marks it failed with the reason', async () => {
    const outbox = t.app.get(OutboxService);
    const missing = '00000000-0000-4000-8000-000000000000';
    const row = await outbox.enqueue(JobName.RecountWorkspace, { workspaceId: missing }, { workspaceId: a.id, maxAttempts: 2 });
    const failed = await waitFor(async () => {
      const r = await t.dataSource.getRepository(OutboxJob).findOneByOrFail({ id: row.id });
      return r.status === 'failed' && r;
    });
    expect(failed.attempts).toBe(2);
    expect(failed.lastError).toContain(missing);
  });

  it('commits the row and the Bull job together with the caller transaction, and drops both on rollback', async () => {
    const outbox = t.app.get(OutboxService);
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Maintenance), { strict: false });
    let rolledBackId: string | undefined;
    await expect(
      outbox.transaction(async (tx) => {
        await tx.manager.update(Workspace, { id: a.id }, { name: 'Renamed' });
        rolledBackId = (await tx.enqueue(JobName.RecountWorkspace, { workspaceId: a.id }, { workspaceId: a.id })).id;
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await t.dataSource.getRepository(OutboxJob).existsBy({ id: rolledBackId! })).toBe(false);
    expect(await queue.getJob(rolledBackId!)).toBeNull();
    expect((await t.dataSource.getRepository(Workspace).findOneByOrFail({ id: a.id })).name).toBe('Alpha');

    const committed = await outbox.transaction((tx) => tx.enqueue(JobName.RecountWorkspace, { workspaceId: a.id }, { workspaceId: a.id }));
    await waitFor(async () => (await t.dataSource.getRepository(OutboxJob).findOneByOrFail({ id: committed.id })).status === 'done');
  });
});

describe('reconciler', () => {
  it('completes durable work whose Bull job was lost in a Redis flush', async () => {
    const env = await createTestEnvironment();
    try {
      // 1. A producer (no processors) records the work and hands it to Bull.
      const producer = await startContext(env.config, { processors: false });
      const dataSource = producer.get(DataSource);
      const workspace = await dataSource.getRepository(Workspace).save({ name: 'Flushed' });
      const outbox = producer.get(OutboxService);
      const rows = await Promise.all([1, 2, 3].map(() => outbox.enqueue(JobName.RecountWorkspace, { workspaceId: workspace.id }, { workspaceId: workspace.id })));
      const queue = producer.get<Queue>(getQueueToken(QueueName.Maintenance), { strict: false });
      for (const row of rows) expect(await queue.getJob(row.id)).not.toBeNull();
      await producer.close();

      // 2. Redis loses everything under our prefix.
      expect(await flushQueuePrefix(env.config)).toBeGreaterThan(0);

      // 3. A worker boots: its reconciler finds the open rows without Bull jobs and the work completes.
      const worker = await startContext(env.config, { processors: true });
      try {
        const repo = worker.get(DataSource).getRepository(OutboxJob);
        for (const row of rows) {
          const done = await waitFor(async () => {
            const r = await repo.findOneByOrFail({ id: row.id });
            return r.status === 'done' && r;
          });
          expect(done.result).toMatchObject({ people: 0, companies: 0, users: 0 });
        }
      } finally {
        await worker.close();
      }
    } finally {
      await env.cleanup();
    }
  });
});
