import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { DealsSyncService } from './deals-sync.service.js';

/** Thin: sync the deals. Errors propagate so Bull retries. */
@Processor(QueueName.Lists)
export class DncProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly deals: DealsSyncService,
  ) {}

  @Process({ name: JobName.DncDealsSync })
  dealsSync(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.DncDealsSync, job, (p) => this.deals.sync(p.workspaceId, p.connectionId));
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    // The lists processor shares this queue and records its own jobs' failures.
    return this.jobs.failed(job, error, JobName.DncDealsSync);
  }
}
