import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OutboxService } from '../queues/outbox.service.js';
import { WorkflowTriggers } from './workflow-triggers.service.js';

/** Salesforce has no webhooks Conduit can use (no Streaming/CDC): workflows poll its changes this often. */
export const WORKFLOW_POLL_INTERVAL_MS = 30_000;

/** Enqueues one durable `workflows.poll` job per workspace whose workflows read Salesforce changes. */
@Injectable()
export class WorkflowPollScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkflowPollScheduler.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly triggers: WorkflowTriggers,
    private readonly outbox: OutboxService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), WORKFLOW_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    try {
      for (const workspaceId of await this.triggers.pollingWorkspaces()) await this.outbox.enqueue('workflows.poll', { workspaceId }, { workspaceId, maxAttempts: 1 });
    } catch (err) {
      this.logger.warn({ msg: 'could not schedule workflow polls', error: (err as Error).message });
    }
  }
}
