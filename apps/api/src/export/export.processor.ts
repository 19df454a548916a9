import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DataSource } from 'typeorm';
import { OutboxJob } from '../queues/outbox-job.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, type JobPayloads, QueueName } from '../queues/queue-names.js';
import { ExportService } from './export.service.js';

/** Thin: load the outbox row, run the export, mark done. Errors propagate so Bull retries from the last chunk. */
@Processor(QueueName.Export)
export class ExportProcessor {
  constructor(
    private readonly outbox: OutboxService,
    private readonly exports: ExportService,
    private readonly dataSource: DataSource,
  ) {}

  @Process({ name: 'export.run' })
  async run(job: Job<BullJobData>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row) return;
    const result = await this.exports.runJob(row.payload as unknown as JobPayloads['export.run']);
    await this.outbox.complete(row.id, result);
  }

  @OnQueueFailed()
  async onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    await this.outbox.recordFailure(job, error);
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
      const row = await this.dataSource.getRepository(OutboxJob).findOneBy({ id: job.data.outboxJobId });
      const payload = row?.payload as Partial<JobPayloads['export.run']> | undefined;
      if (payload?.workspaceId && payload.runId) await this.exports.failRun(payload.workspaceId, payload.runId, error.message);
    }
  }
}
