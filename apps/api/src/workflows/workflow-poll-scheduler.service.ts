import { Injectable, Logger } from '@nestjs/common';
import { OutboxService } from '../queues/outbox.service.js';
import { PeriodicTask } from '../queues/periodic-task.js';
import { WorkflowTriggers } from './workflow-triggers.service.js';
import { JobName } from '../queues/queue-names.js';

/** Salesforce has no webhooks Conduit can use (no Streaming/CDC): workflows poll its changes this often. */
export const WORKFLOW_POLL_INTERVAL_MS = 30_000;

/** Enqueues one durable `workflows.poll` job per workspace whose workflows read Salesforce changes. */
@Injectable()
export class WorkflowPollScheduler extends PeriodicTask {
  constructor(
    private readonly triggers: WorkflowTriggers,
    private readonly outbox: OutboxService,
  ) {
    super(new Logger(WorkflowPollScheduler.name), WORKFLOW_POLL_INTERVAL_MS);
  }

  protected async pass(): Promise<void> {
    for (const workspaceId of await this.triggers.pollingWorkspaces()) await this.outbox.enqueue(JobName.WorkflowsPoll, { workspaceId }, { workspaceId, maxAttempts: 1 });
  }
}
