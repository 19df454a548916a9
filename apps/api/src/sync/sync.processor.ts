import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DataSource } from 'typeorm';
import { OutboxJob } from '../queues/outbox-job.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, type JobName, type JobPayloads, QueueName } from '../queues/queue-names.js';
import { SyncRunnerService } from './sync-runner.service.js';

type SyncJob = Extract<JobName, `sync.${string}`>;

/** Thin: load the outbox row, run the sync, mark done. Errors propagate so Bull retries from the last checkpoint. */
@Processor(QueueName.Sync)
export class SyncProcessor {
  constructor(
    private readonly outbox: OutboxService,
    private readonly runner: SyncRunnerService,
    private readonly dataSource: DataSource,
  ) {}

  @Process({ name: 'sync.backfill' })
  backfill(job: Job<BullJobData>): Promise<void> {
    return this.handle('sync.backfill', job, (p) => this.runner.runBackfill(p));
  }

  @Process({ name: 'sync.incremental' })
  incremental(job: Job<BullJobData>): Promise<void> {
    return this.handle('sync.incremental', job, (p) => this.runner.runIncremental(p));
  }

  @Process({ name: 'sync.webhook' })
  webhook(job: Job<BullJobData>): Promise<void> {
    return this.handle('sync.webhook', job, (p) => this.runner.runWebhook(p));
  }

  @OnQueueFailed()
  async onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    await this.outbox.recordFailure(job, error);
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
      const row = await this.dataSource.getRepository(OutboxJob).findOneBy({ id: job.data.outboxJobId });
      const payload = row?.payload as { workspaceId?: string; runId?: string } | undefined;
      if (payload?.workspaceId && payload.runId) await this.runner.failRun(payload.workspaceId, payload.runId, error.message);
    }
  }

  private async handle<N extends SyncJob>(name: N, job: Job<BullJobData>, run: (payload: JobPayloads[N]) => Promise<Record<string, unknown>>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row) return;
    const result = await run(row.payload as unknown as JobPayloads[N]);
    await this.outbox.complete(row.id, result);
  }
}
