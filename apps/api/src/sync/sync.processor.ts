import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { SyncRunnerService } from './sync-runner.service.js';

const SYNC_JOBS = [JobName.SyncBackfill, JobName.SyncIncremental, JobName.SyncWebhook] as const;

/** Thin: run the sync. Errors propagate so Bull retries from the last checkpoint. */
@Processor(QueueName.Sync)
export class SyncProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly runner: SyncRunnerService,
  ) {}

  @Process({ name: JobName.SyncBackfill })
  backfill(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.SyncBackfill, job, (p) => this.runner.runBackfill(p));
  }

  @Process({ name: JobName.SyncIncremental })
  incremental(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.SyncIncremental, job, (p) => this.runner.runIncremental(p));
  }

  @Process({ name: JobName.SyncWebhook })
  webhook(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.SyncWebhook, job, (p) => this.runner.runWebhook(p));
  }

  @OnQueueFailed()
  onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    return this.jobs.failed(job, error, SYNC_JOBS, (p) => this.runner.failRun(p.workspaceId, p.runId, error.message));
  }
}
