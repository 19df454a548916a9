import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { ActivityDeliveryService } from './activity-delivery.service.js';

/** Thin: drain the connection's pending activities. Errors throw so Bull retries. */
@Processor(QueueName.Activities)
export class ActivitiesProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly delivery: ActivityDeliveryService,
  ) {}

  // Deliveries of different connections run side by side; one connection is drained by one job at a time (advisory lock).
  @Process({ name: JobName.ActivitiesDeliver, concurrency: 4 })
  deliver(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.ActivitiesDeliver, job, (payload) => this.delivery.deliver(payload));
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    return this.jobs.failed(job, error, JobName.ActivitiesDeliver);
  }
}
