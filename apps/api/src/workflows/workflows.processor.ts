import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { WorkflowExecutor } from './workflow-executor.service.js';
import { WorkflowTriggers } from './workflow-triggers.service.js';
import { WorkflowsService } from './workflows.service.js';

/** Thin: call the executor / poller. Errors propagate so Bull retries. */
@Processor(QueueName.Workflows)
export class WorkflowsProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly executor: WorkflowExecutor,
    private readonly triggers: WorkflowTriggers,
    private readonly workflows: WorkflowsService,
  ) {}

  // Runs are independent (the Salesforce upsert is atomic per external id), so several execute at once.
  @Process({ name: JobName.WorkflowsRun, concurrency: 16 })
  run(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.WorkflowsRun, job, (p) => this.executor.execute(p.workspaceId, p.runId));
  }

  @Process({ name: JobName.WorkflowsPoll })
  poll(job: Job<BullJobData>): Promise<void> {
    return this.jobs.run(JobName.WorkflowsPoll, job, (p) => this.triggers.poll(p.workspaceId));
  }

  @OnQueueFailed()
  async onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    await this.jobs.failed(job, error, JobName.WorkflowsPoll);
    await this.jobs.failed(job, error, JobName.WorkflowsRun, (p) => this.workflows.finishRun(p.workspaceId, p.runId, { result: 'failed', reason: error.message.slice(0, 2000) }));
  }
}
