import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DataSource } from 'typeorm';
import { OutboxJob } from '../queues/outbox-job.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, type JobPayloads, QueueName } from '../queues/queue-names.js';
import { ListMembershipService } from './list-membership.service.js';

/** Thin: load the outbox row, call the service, mark done. Errors propagate so Bull retries. */
@Processor(QueueName.Lists)
export class CrmListsProcessor {
  constructor(
    private readonly outbox: OutboxService,
    private readonly membership: ListMembershipService,
    private readonly dataSource: DataSource,
  ) {}

  @Process({ name: 'crm-lists.sync' })
  async listSync(job: Job<BullJobData>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row || row.name !== 'crm-lists.sync') return;
    const payload = row.payload as unknown as JobPayloads['crm-lists.sync'];
    // A second run of the same job (Bull took the first for stalled) finds the row finished once it gets the lock.
    const stillOpen = async () => (await this.outbox.findForWorkspace(payload.workspaceId, row.id))?.status === 'running';
    const result = await this.membership.sync(payload.workspaceId, payload.listId, stillOpen);
    if ('skipped' in result && result.skipped === 'done_elsewhere') return;
    await this.outbox.complete(row.id, { ...result });
  }

  @OnQueueFailed()
  async onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    // The DNC processor shares this queue and records its own jobs' failures.
    if (job.name !== 'crm-lists.sync') return;
    await this.outbox.recordFailure(job, error);
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
      const row = await this.dataSource.getRepository(OutboxJob).findOneBy({ id: job.data.outboxJobId });
      const payload = row?.payload as JobPayloads['crm-lists.sync'] | undefined;
      if (payload) await this.membership.markFailed(payload.workspaceId, payload.listId, error.message);
    }
  }
}
