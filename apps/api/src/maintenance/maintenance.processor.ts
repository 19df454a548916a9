import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, type JobPayloads, QueueName } from '../queues/queue-names.js';
import { MaintenanceService } from './maintenance.service.js';

/** Thin: load the row, call the service, mark done. Errors propagate so Bull retries with backoff. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor {
  constructor(
    private readonly outbox: OutboxService,
    private readonly maintenance: MaintenanceService,
  ) {}

  @Process({ name: 'recount-workspace' })
  async recountWorkspace(job: Job<BullJobData>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row) return;
    const payload = row.payload as unknown as JobPayloads['recount-workspace'];
    const counts = await this.maintenance.recountWorkspace(payload.workspaceId);
    await this.outbox.complete(row.id, counts);
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    return this.outbox.recordFailure(job, error);
  }
}
