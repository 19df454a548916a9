import { Injectable, Logger } from '@nestjs/common';
import { ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import { resumeDue } from '../crm-runtime/paused-work.js';
import { OutboxService } from '../queues/outbox.service.js';
import { PeriodicTask } from '../queues/periodic-task.js';
import { JobName } from '../queues/queue-names.js';
import { WorkflowsService } from './workflows.service.js';

/** How often a worker looks for workflow runs whose wait for the daily API budget is over. */
export const WORKFLOW_BUDGET_TICK_MS = 10_000;

/**
 * Workflow runs held by the daily API budget (#17; WorkflowExecutor leaves them pending with the reason and the time):
 * once their reset has come on the budget clock, each gets a new run job. The wait lives in Postgres (workflow_run
 * .wait_until), so it survives worker restarts and a Redis flush.
 */
@Injectable()
export class WorkflowBudgetWaits extends PeriodicTask {
  constructor(
    private readonly workflows: WorkflowsService,
    private readonly outbox: OutboxService,
    private readonly budgets: ApiBudgetService,
  ) {
    super(new Logger(WorkflowBudgetWaits.name), WORKFLOW_BUDGET_TICK_MS);
  }

  /** Runs whose wait is over at `now` (the budget clock) go back to their queue; answers how many. */
  resumeDue(now: Date = this.budgets.now()): Promise<number> {
    return resumeDue(
      this.outbox,
      (tx, limit) => this.workflows.takeDueBudgetWaits(tx.manager, now, limit),
      (tx, run) => tx.enqueue(JobName.WorkflowsRun, { workspaceId: run.workspace_id, runId: run.id }, { workspaceId: run.workspace_id, maxAttempts: 5 }),
    );
  }

  protected async pass(): Promise<void> {
    const resumed = await this.resumeDue();
    if (resumed) this.logger.log({ msg: 'workflow runs waiting for the daily API budget resumed', count: resumed });
  }
}
