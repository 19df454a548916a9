import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxService } from '../queues/outbox.service.js';
import { PeriodicTask } from '../queues/periodic-task.js';
import { crmLinkSql } from '../sync/crm-link.repository.js';
import { enqueueConsentDelivery } from './consent.service.js';

export const CONSENT_SWEEP_MS = 5_000;

/**
 * Consent writes must land: this starts a drain job for every connection that has deliveries still pending with no
 * job left to write them (all attempts of the last one spent), or held ones whose person is in that CRM now (exported
 * or imported since).
 */
@Injectable()
export class ConsentScheduler extends PeriodicTask {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {
    super(new Logger(ConsentScheduler.name), CONSENT_SWEEP_MS);
  }

  protected async pass(): Promise<void> {
    const rows = await this.dataSource.query<{ workspace_id: string; connection_id: string }[]>(
      `SELECT DISTINCT d.workspace_id, d.connection_id FROM consent_delivery d
         JOIN crm_connection c ON c.id = d.connection_id AND c.status = 'connected'
         JOIN consent_event e ON e.id = d.event_id
        WHERE (d.status = 'waiting_for_export'
               AND ${crmLinkSql.hasLivePersonRecord({ workspace: 'd.workspace_id', connection: 'd.connection_id', person: 'e.person_id' })})
           OR (d.status = 'pending'
               AND NOT EXISTS (SELECT 1 FROM outbox_job j WHERE j.workspace_id = d.workspace_id AND j.name = 'consent.deliver' AND j.status IN ('pending', 'running') AND j.payload->>'connectionId' = d.connection_id::text))`,
    );
    for (const r of rows) await this.outbox.transaction((tx) => enqueueConsentDelivery(tx, r.workspace_id, r.connection_id));
    if (rows.length) this.logger.log({ msg: 'consent deliveries restarted', connections: rows.length });
  }
}
