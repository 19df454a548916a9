import { Injectable, Logger } from '@nestjs/common';
import { CrmConnection } from '../connections/connection.entity.js';
import { ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import { resumeDue } from '../crm-runtime/paused-work.js';
import { OutboxService } from '../queues/outbox.service.js';
import { PeriodicTask } from '../queues/periodic-task.js';
import { enqueueDelivery } from './activities.service.js';
import { ActivityDeliveryRepository } from './activity-delivery.repository.js';

export const HELD_SWEEP_MS = 5_000;

/**
 * Starts delivery runs nothing else would start:
 * - People get into the CRM by other ways than an activity (a manual push, a bulk export, an import). Their held
 *   ("waiting for export") activities are delivered by the connection's next delivery run; this starts one for every
 *   connection that has held activities of people who are in the CRM now, so they do not wait for the next intake.
 * - Connections whose activities waited for the daily API budget (#17), once its reset has come (budget clock).
 */
@Injectable()
export class ActivitiesScheduler extends PeriodicTask {
  constructor(
    private readonly deliveries: ActivityDeliveryRepository,
    private readonly outbox: OutboxService,
    private readonly budgets: ApiBudgetService,
  ) {
    super(new Logger(ActivitiesScheduler.name), HELD_SWEEP_MS);
  }

  /** The budget sweep: connections whose wait for the daily API budget is over at `now` get a delivery run each. */
  resumeBudgetWaits(now: Date = this.budgets.now()): Promise<number> {
    return resumeDue(
      this.outbox,
      (tx, limit) => this.deliveries.takeDueBudgetWaits(tx.manager, now, limit),
      async (tx, wait) => {
        const c = await tx.manager.findOneBy(CrmConnection, { id: wait.connection_id, workspaceId: wait.workspace_id });
        if (c?.status === 'connected') await enqueueDelivery(tx, c);
      },
    );
  }

  protected async pass(): Promise<void> {
    const resumed = await this.resumeBudgetWaits();
    if (resumed) this.logger.log({ msg: 'activities waiting for the daily API budget resumed', connections: resumed });
    const connectionIds = await this.deliveries.connectionsWithReleasableHeld();
    for (const id of connectionIds) {
      await this.outbox.transaction(async (tx) => {
        const c = await tx.manager.findOneBy(CrmConnection, { id });
        if (c?.status === 'connected') await enqueueDelivery(tx, c);
      });
    }
    if (connectionIds.length) this.logger.log({ msg: 'held activities released for delivery', connections: connectionIds.length });
  }
}
