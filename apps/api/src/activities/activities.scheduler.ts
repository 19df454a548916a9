import { Injectable, Logger } from '@nestjs/common';
import { CrmConnection } from '../connections/connection.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import { PeriodicTask } from '../queues/periodic-task.js';
import { enqueueDelivery } from './activities.service.js';
import { ActivityDeliveryRepository } from './activity-delivery.repository.js';

export const HELD_SWEEP_MS = 5_000;

/**
 * People get into the CRM by other ways than an activity (a manual push, a bulk export, an import). Their held
 * ("waiting for export") activities are delivered by the connection's next delivery run; this starts one for every
 * connection that has held activities of people who are in the CRM now, so they do not wait for the next intake.
 */
@Injectable()
export class ActivitiesScheduler extends PeriodicTask {
  constructor(
    private readonly deliveries: ActivityDeliveryRepository,
    private readonly outbox: OutboxService,
  ) {
    super(new Logger(ActivitiesScheduler.name), HELD_SWEEP_MS);
  }

  protected async pass(): Promise<void> {
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
