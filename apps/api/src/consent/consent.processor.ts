import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { ConsentDeliveryService } from './consent-delivery.service.js';

/** Thin: write the connection's pending consent events. Errors throw so Bull retries. */
@Processor(QueueName.Activities)
export class ConsentProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly delivery: ConsentDeliveryService,
  ) {}

  @Process({ name: JobName.ConsentDeliver, concurrency: 2 })
  deliver(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.ConsentDeliver, job, (payload) => this.delivery.deliver(payload));
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    return this.jobs.failed(job, error, JobName.ConsentDeliver);
  }
}
