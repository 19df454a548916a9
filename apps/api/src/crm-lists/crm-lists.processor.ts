import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DataSource } from 'typeorm';
import { OutboxJob } from '../queues/outbox-job.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, type JobName, type JobPayloads, QueueName } from '../queues/queue-names.js';
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
  listSync(job: Job<BullJobData>): Promise<void> {
    return this.handle('crm-lists.sync', job, async (p) => ({ ...(await this.membership.sync(p.workspaceId, p.listId)) }));
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

  private async handle<N extends JobName>(name: N, job: Job<BullJobData>, run: (payload: JobPayloads[N]) => Promise<Record<string, unknown>>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row || row.name !== name) return;
    const result = await run(row.payload as unknown as JobPayloads[N]);
    await this.outbox.complete(row.id, result);
  }
}
