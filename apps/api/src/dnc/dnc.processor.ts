import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, type JobPayloads, QueueName } from '../queues/queue-names.js';
import { DealsSyncService } from './deals-sync.service.js';

/** Thin: load the outbox row, sync the deals, mark done. Errors propagate so Bull retries. */
@Processor(QueueName.Lists)
export class DncProcessor {
  constructor(
    private readonly outbox: OutboxService,
    private readonly deals: DealsSyncService,
  ) {}

  @Process({ name: 'dnc.deals-sync' })
  async dealsSync(job: Job<BullJobData>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row || row.name !== 'dnc.deals-sync') return;
    const p = row.payload as unknown as JobPayloads['dnc.deals-sync'];
    await this.outbox.complete(row.id, { ...(await this.deals.sync(p.workspaceId, p.connectionId)) });
  }

  @OnQueueFailed()
  async onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    // The lists processor shares this queue and records its own jobs' failures.
    if (job.name === 'dnc.deals-sync') await this.outbox.recordFailure(job, error);
  }
}
