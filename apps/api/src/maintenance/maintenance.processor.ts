import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { MaintenanceService } from './maintenance.service.js';

/** Thin: call the service. Errors propagate so Bull retries with backoff. */
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly maintenance: MaintenanceService,
  ) {}

  @Process({ name: JobName.RecountWorkspace })
  recountWorkspace(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.RecountWorkspace, job, (payload) => this.maintenance.recountWorkspace(payload.workspaceId));
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    return this.jobs.failed(job, error, JobName.RecountWorkspace);
  }
}
