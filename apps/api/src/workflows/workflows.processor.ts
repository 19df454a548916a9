import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JobLifecycle } from '../queues/job-lifecycle.js';
import { type BullJobData, JobName, QueueName } from '../queues/queue-names.js';
import { WorkflowExecutor } from './workflow-executor.service.js';
import { WorkflowTriggers } from './workflow-triggers.service.js';
import { WorkflowsService } from './workflows.service.js';

/** Workflow runs one worker executes at once. */
export const WORKFLOW_RUNS_IN_FLIGHT = 64;

/** Thin: call the executor / poller. Errors propagate so Bull retries. */
@Processor(QueueName.Workflows)
export class WorkflowsProcessor {
  constructor(
    private readonly jobs: JobLifecycle,
    private readonly executor: WorkflowExecutor,
    private readonly triggers: WorkflowTriggers,
    private readonly workflows: WorkflowsService,
  ) {}

  // Runs are independent (the Salesforce upsert is atomic per external id), so several execute at once. A run is
  // mostly waiting on CRM round trips (≈ 1 s at realistic latency: contact read, email lookup, upsert), so 10 MQLs/s
  // with duplicate deliveries needs 20–30 running; at 16 they queued (bridge bench: queue p95 18 s of a 20 s p95).
  // The CRM budgets, not this number, bound the calls: contact reads and email lookups are batched across runs.
  @Process({ name: JobName.WorkflowsRun, concurrency: WORKFLOW_RUNS_IN_FLIGHT })
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
