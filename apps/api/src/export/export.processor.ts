import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { ExportService } from './export.service.js';

/** Thin: run the export. Errors propagate so Bull retries from the last chunk. */
@Processor(QueueName.Export)
export class ExportProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly exports: ExportService,
  ) {}

  @Process({ name: JobName.ExportRun })
  run(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.ExportRun, job, (payload) => this.exports.runJob(payload));
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    return this.jobs.failed(job, error, JobName.ExportRun, (payload) => this.exports.failRun(payload.workspaceId, payload.runId, error));
  }
}
