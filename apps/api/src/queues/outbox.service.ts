import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { JobDto } from '@conduit/contracts';
import type { Job, Queue } from 'bull';
import { DataSource, type EntityManager, In, type Repository } from 'typeorm';
import type { JobOf, JobResultOf } from './jobs/index.js';
import { OutboxJob, type OutboxJobOf } from './outbox-job.entity.js';
import { type BullJobData, JOB_QUEUE, type JobName } from './queue-names.js';
import { QueueRegistry } from './queue-registry.js';

export interface EnqueueOptions {
  workspaceId?: string | null;
  runAfter?: Date;
  maxAttempts?: number;
}

/** Handed to `OutboxService.transaction` callbacks: jobs enqueued here commit (or roll back) with the caller's writes. */
export interface OutboxTransaction {
  manager: EntityManager;
  enqueue<N extends JobName>(name: N, payload: JobOf<N>, options?: EnqueueOptions): Promise<OutboxJobOf<N>>;
}

const BACKOFF_MS = 1000;

export function toJobDto(row: OutboxJob): JobDto {
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastError: row.lastError,
    result: row.result ? { ...row.result } : null,
    runAfter: row.runAfter.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Durable background work: a row in `outbox_job` is the truth, the Bull job (jobId = row id) only wakes a worker.
 * If Redis loses the job, the Reconciler hands the row to Bull again.
 */
@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);

  constructor(
    @InjectRepository(OutboxJob) private readonly jobs: Repository<OutboxJob>,
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
  ) {}

  /** Inserts the row and hands it to Bull at once. */
  async enqueue<N extends JobName>(name: N, payload: JobOf<N>, options: EnqueueOptions = {}): Promise<OutboxJobOf<N>> {
    const row = await this.insert(this.dataSource.manager, name, payload, options);
    await this.dispatchSafely(row);
    return row;
  }

  /** Runs `work` in one transaction; its jobs are handed to Bull only after the commit, so a worker never sees a row that may roll back. */
  async transaction<T>(work: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
    const enqueued: OutboxJob[] = [];
    const result = await this.dataSource.transaction((manager) =>
      work({
        manager,
        enqueue: async (name, payload, options = {}) => {
          const row = await this.insert(manager, name, payload, options);
          enqueued.push(row);
          return row;
        },
      }),
    );
    for (const row of enqueued) await this.dispatchSafely(row);
    return result;
  }

  /** Adds the Bull job for a row; the row id as jobId makes this idempotent. */
  async dispatch(row: OutboxJob): Promise<void> {
    const data: BullJobData = { outboxJobId: row.id };
    await this.queue(row.queue).add(row.name, data, {
      jobId: row.id,
      attempts: Math.max(1, row.maxAttempts - row.attempts),
      backoff: { type: 'exponential', delay: BACKOFF_MS },
      delay: Math.max(0, row.runAfter.getTime() - Date.now()),
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    });
  }

  /** Marks the row running and returns it; null when there is nothing to do (row gone, or already finished). */
  async start(id: string): Promise<OutboxJob | null> {
    const [rows] = await this.jobs.query<[{ id: string }[], number]>(
      `UPDATE outbox_job SET status = 'running', attempts = attempts + 1, started_at = now(), updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'running') RETURNING id`,
      [id],
    );
    if (!rows.length) return null;
    return this.jobs.findOneBy({ id });
  }

  /** Marks the row done with its job's result. */
  async complete<N extends JobName>(row: OutboxJobOf<N>, result: JobResultOf<N>): Promise<void> {
    await this.jobs.update({ id: row.id }, { status: 'done', result, lastError: null, finishedAt: new Date() });
  }

  /**
   * Called from each processor's failed hook (through JobLifecycle): back to pending while Bull will retry, failed
   * after the last attempt. Answers whether that was the last attempt.
   */
  async recordFailure(job: Job<BullJobData>, error: Error): Promise<boolean> {
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    await this.jobs.update(
      { id: job.data.outboxJobId, status: In(['pending', 'running']) },
      {
        status: final ? 'failed' : 'pending',
        lastError: error.message.slice(0, 2000),
        // When Bull runs it again (its exponential backoff), so a waiting feature can say when the next try is.
        ...(final ? { finishedAt: new Date() } : { runAfter: new Date(Date.now() + (2 ** job.attemptsMade - 1) * BACKOFF_MS) }),
      },
    );
    this.logger.warn({ msg: final ? 'job failed for good' : 'job failed, will retry', jobId: job.data.outboxJobId, name: job.name, attempt: job.attemptsMade, error: error.message });
    return final;
  }

  async find(id: string): Promise<OutboxJob | null> {
    return this.jobs.findOneBy({ id });
  }

  async findForWorkspace(workspaceId: string, id: string): Promise<OutboxJob | null> {
    return this.jobs.findOneBy({ id, workspaceId });
  }

  queue(name: string): Queue {
    return this.queues.get(name);
  }

  private async insert<N extends JobName>(manager: EntityManager, name: N, payload: JobOf<N>, options: EnqueueOptions): Promise<OutboxJobOf<N>> {
    const row = manager.create(OutboxJob, {
      workspaceId: options.workspaceId ?? null,
      queue: JOB_QUEUE[name],
      status: 'pending',
      attempts: 0,
      maxAttempts: options.maxAttempts ?? 5,
      runAfter: options.runAfter ?? new Date(),
    });
    // Typed by its name: the payload goes in as the name's payload type.
    return manager.save(Object.assign(row, { name, payload }));
  }

  /** Redis being down must not fail the request: the row is committed and the Reconciler will dispatch it. */
  private async dispatchSafely(row: OutboxJob): Promise<void> {
    try {
      await this.dispatch(row);
    } catch (err) {
      this.logger.warn({ msg: 'could not hand job to Bull; the reconciler will retry', jobId: row.id, error: (err as Error).message });
    }
  }
}
