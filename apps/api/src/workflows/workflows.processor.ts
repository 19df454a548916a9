import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { DataSource } from 'typeorm';
import { OutboxJob } from '../queues/outbox-job.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import { type BullJobData, type JobPayloads, QueueName } from '../queues/queue-names.js';
import { WorkflowExecutor } from './workflow-executor.service.js';
import { WorkflowTriggers } from './workflow-triggers.service.js';
import { WorkflowsService } from './workflows.service.js';

/** Thin: load the outbox row, call the executor / poller, mark done. Errors propagate so Bull retries. */
@Processor(QueueName.Workflows)
export class WorkflowsProcessor {
  constructor(
    private readonly outbox: OutboxService,
    private readonly executor: WorkflowExecutor,
    private readonly triggers: WorkflowTriggers,
    private readonly workflows: WorkflowsService,
    private readonly dataSource: DataSource,
  ) {}

  // Runs are independent (the Salesforce upsert is atomic per external id), so several execute at once.
  @Process({ name: 'workflows.run', concurrency: 16 })
  async run(job: Job<BullJobData>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row) return;
    const payload = row.payload as unknown as JobPayloads['workflows.run'];
    await this.outbox.complete(row.id, await this.executor.execute(payload.workspaceId, payload.runId));
  }

  @Process({ name: 'workflows.poll' })
  async poll(job: Job<BullJobData>): Promise<void> {
    const row = await this.outbox.start(job.data.outboxJobId);
    if (!row) return;
    const payload = row.payload as unknown as JobPayloads['workflows.poll'];
    await this.outbox.complete(row.id, await this.triggers.poll(payload.workspaceId));
  }

  @OnQueueFailed()
  async onFailed(job: Job<BullJobData>, error: Error): Promise<void> {
    await this.outbox.recordFailure(job, error);
    if (job.name !== 'workflows.run' || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const row = await this.dataSource.getRepository(OutboxJob).findOneBy({ id: job.data.outboxJobId });
    const payload = row?.payload as Partial<JobPayloads['workflows.run']> | undefined;
    if (payload?.workspaceId && payload.runId) await this.workflows.finishRun(payload.workspaceId, payload.runId, { result: 'failed', reason: error.message.slice(0, 2000) });
  }
}
