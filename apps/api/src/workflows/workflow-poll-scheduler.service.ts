import { Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { OutboxService } from '../queues/outbox.service.js';
import { PeriodicTask } from '../queues/periodic-task.js';
import { WorkflowTriggers } from './workflow-triggers.service.js';
import { JobName } from '../queues/queue-names.js';

/**
 * Enqueues one durable `workflows.poll` job per workspace whose workflows read Salesforce changes, every
 * WORKFLOW_POLL_INTERVAL_MS (30 s by default): Salesforce has no webhooks Conduit can use (no Streaming/CDC).
 */
@Injectable()
export class WorkflowPollScheduler extends PeriodicTask {
  constructor(
    @InjectConfig() config: AppConfig,
    private readonly triggers: WorkflowTriggers,
    private readonly outbox: OutboxService,
  ) {
    super(new Logger(WorkflowPollScheduler.name), config.workflowPollIntervalMs);
  }

  protected async pass(): Promise<void> {
    for (const workspaceId of await this.triggers.pollingWorkspaces()) await this.outbox.enqueue(JobName.WorkflowsPoll, { workspaceId }, { workspaceId, maxAttempts: 1 });
  }
}
