import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { FINISHED_ELSEWHERE, JobLifecycle } from '../queues/job-lifecycle.js';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { ListMembershipService } from './list-membership.service.js';

/** Thin: call the service. Errors propagate so Bull retries. */
@Processor(QueueName.Lists)
export class CrmListsProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly outbox: OutboxService,
    private readonly membership: ListMembershipService,
  ) {}

  @Process({ name: JobName.CrmListsSync })
  listSync(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.CrmListsSync, job, async (payload, row) => {
      // A second run of the same job (Bull took the first for stalled) finds the row finished once it gets the lock.
      const stillOpen = async () => (await this.outbox.findForWorkspace(payload.workspaceId, row.id))?.status === 'running';
      const result = await this.membership.sync(payload.workspaceId, payload.listId, stillOpen);
      return 'skipped' in result && result.skipped === 'done_elsewhere' ? FINISHED_ELSEWHERE : result;
    });
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    // The DNC processor shares this queue and records its own jobs' failures.
    return this.jobs.failed(job, error, JobName.CrmListsSync, (payload) => this.membership.markFailed(payload.workspaceId, payload.listId, error.message));
  }
}
