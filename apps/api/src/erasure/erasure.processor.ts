import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { ErasureHubspotService } from './erasure-hubspot.service.js';

/** Thin: HubSpot GDPR deletes of an erasure. Errors throw so Bull retries; the last failure is kept on the audit. */
@Processor(QueueName.Activities)
export class ErasureProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly hubspot: ErasureHubspotService,
  ) {}

  @Process({ name: JobName.ErasureHubspotDelete, concurrency: 1 })
  delete(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.ErasureHubspotDelete, job, (payload) => this.hubspot.delete(payload));
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    return this.jobs.failed(job, error, JobName.ErasureHubspotDelete, (payload) => this.hubspot.failed(payload, error));
  }
}
