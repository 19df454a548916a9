import { Injectable } from '@nestjs/common';
import type { Job } from 'bull';
import type { JobOf, JobResultOf } from './jobs/index.js';
import { isJobOf, type OutboxJobOf } from './outbox-job.entity.js';
import { OutboxService } from './outbox.service.js';
import type { BullJobData, JobName } from './queue-names.js';

/** A handler's answer when another run of the same job finished the row while it waited: the row is left as it is. */
export const FINISHED_ELSEWHERE = Symbol('finished elsewhere');

/**
 * Start, complete and fail for every processor, so a processor is thin: its `@Process` method hands the Bull job
 * and a typed handler to `run`, its `@OnQueueFailed` hook calls `failed`. Handlers throw to fail an attempt; Bull
 * retries with backoff and the outbox row keeps the attempt count and the last error.
 */
@Injectable()
export class JobLifecycle {
  constructor(private readonly outbox: OutboxService) {}

  /**
   * Marks the outbox row behind `job` running, hands its typed payload to `handle` and stores the handler's result.
   * Nothing runs when the row is gone, already finished, or not a `name` job.
   */
  async run<N extends JobName>(
    name: N,
    job: Job<BullJobData>,
    handle: (payload: JobOf<N>, row: OutboxJobOf<N>) => Promise<JobResultOf<N> | typeof FINISHED_ELSEWHERE>,
  ): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row || !isJobOf(row, name)) return;
    const result = await handle(row.payload, row);
    if (result === FINISHED_ELSEWHERE) return;
    await this.outbox.complete(row, result);
  }

  /**
   * A processor's failed hook, for its jobs among `names` (a queue's other jobs, and Bull-only repeatable ticks, are
   * left alone): records the failed attempt; after the last attempt `onFinalFailure` gets the payload (e.g. to mark
   * the feature's run failed).
   */
  async failed<N extends JobName>(
    job: Job<BullJobData>,
    error: Error,
    names: N | readonly N[],
    onFinalFailure?: (payload: JobOf<N>) => Promise<void>,
  ): Promise<void> {
    const list: readonly JobName[] = typeof names === 'string' ? [names] : names;
    if (!job.data.outboxJobId || !(list as readonly string[]).includes(job.name)) return;
    const final = await this.outbox.recordFailure(job, error);
    if (!final || !onFinalFailure) return;
    const row = await this.outbox.find(job.data.outboxJobId);
    if (row && isJobOf(row, names)) await onFinalFailure(row.payload);
  }
}
