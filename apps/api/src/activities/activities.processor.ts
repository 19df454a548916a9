import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, type JobPayloads, QueueName } from '../queues/queue-names.js';
import { ActivityDeliveryService } from './activity-delivery.service.js';

/** Thin: load the outbox row, drain the connection's pending activities, mark done. Errors throw so Bull retries. */
@Processor(QueueName.Activities)
export class ActivitiesProcessor {
  constructor(
    private readonly outbox: OutboxService,
    private readonly delivery: ActivityDeliveryService,
  ) {}

  // Deliveries of different connections run side by side; one connection is drained by one job at a time (advisory lock).
  @Process({ name: 'activities.deliver', concurrency: 4 })
  async deliver(job: Job<BullJobData>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row) return;
    const result = await this.delivery.deliver(row.payload as unknown as JobPayloads['activities.deliver']);
    await this.outbox.complete(row.id, result);
  }

  @OnQueueFailed()
  async onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    await this.outbox.recordFailure(job, error);
  }
}
