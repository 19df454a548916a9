import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import { PeriodicTask } from '../queues/periodic-task.js';
import { enqueueDelivery } from './activities.service.js';

export const HELD_SWEEP_MS = 5_000;

/**
 * People get into the CRM by other ways than an activity (a manual push, a bulk export, an import). Their held
 * ("waiting for export") activities are delivered by the connection's next delivery run; this starts one for every
 * connection that has held activities of people who are in the CRM now, so they do not wait for the next intake.
 */
@Injectable()
export class ActivitiesScheduler extends PeriodicTask {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {
    super(new Logger(ActivitiesScheduler.name), HELD_SWEEP_MS);
  }

  protected async pass(): Promise<void> {
    const rows = await this.dataSource.query<Array<{ connection_id: string }>>(
      `SELECT DISTINCT d.connection_id FROM activity_delivery d JOIN activity a ON a.id = d.activity_id
        WHERE d.status = 'waiting_for_export'
          AND EXISTS (SELECT 1 FROM crm_link l WHERE l.connection_id = d.connection_id AND l.person_id = a.person_id AND l.archived_at IS NULL AND l.object IN ('contact', 'lead'))`,
    );
    for (const r of rows) {
      await this.outbox.transaction(async (tx) => {
        const c = await tx.manager.findOneBy(CrmConnection, { id: r.connection_id });
        if (c?.status === 'connected') await enqueueDelivery(tx, c);
      });
    }
    if (rows.length) this.logger.log({ msg: 'held activities released for delivery', connections: rows.length });
  }
}
