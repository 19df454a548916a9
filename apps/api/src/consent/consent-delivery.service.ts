import { Injectable, Logger } from '@nestjs/common';
import { type CrmConsentWrite, CrmError, crmLabel } from '@conduit/crm';
import { DataSource } from 'typeorm';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import type { JobOf, JobResultOf } from '../queues/jobs/index.js';
import type { JobName } from '../queues/queue-names.js';
import { crmLinkSql } from '../sync/crm-link.repository.js';
import type { ConsentEventType } from './dto.js';

/** Deliveries claimed per round (HubSpot's batch unsubscribe takes 100, Salesforce's composite update 200). */
const ROUND = 100;

interface Claimed {
  id: string;
  event_type: ConsentEventType;
  reason: string | null;
  occurred_at: Date;
  email: string | null;
  person_id: string;
  crm_object: 'contact' | 'lead' | null;
  crm_id: string | null;
}

/**
 * Writes consent events to one CRM connection: every pending delivery whose person is linked to a record of that
 * connection (Salesforce: the Contact when there is one, else the Lead), whatever the field export behaviour — this is
 * compliance, not enrichment. A person not in that CRM yet waits (`waiting_for_export`) and is written as soon as an
 * export or import links them (ConsentScheduler). Transient failures and rate limits are retried here with backoff,
 * then by Bull (the job throws); a CRM refusal (validation, not found) is the delivery's `failed` reason, shown
 * with the others that need attention and retried from there.
 */
@Injectable()
export class ConsentDeliveryService {
  private readonly logger = new Logger(ConsentDeliveryService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: CrmClients,
  ) {}

  async deliver(payload: JobOf<JobName.ConsentDeliver>): Promise<JobResultOf<JobName.ConsentDeliver>> {
    const { workspaceId, connectionId } = payload;
    const counts = { delivered: 0, waiting: 0, failed: 0 };
    const client = await this.clients.open(workspaceId, connectionId);
    if (client.connection.status !== 'connected') return counts;
    // One drainer per connection at a time (a retry of a failed job and a fresh job may overlap).
    // A session lock on a connection of its own (the pool would hand lock and unlock to different sessions).
    const lock = `consent:${connectionId}`;
    const session = this.dataSource.createQueryRunner();
    await session.connect();
    try {
      const [{ locked }] = (await session.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [lock])) as [{ locked: boolean }];
      if (!locked) throw new Error('Another consent delivery of this connection is running; retrying');
    } catch (err) {
      await session.release();
      throw err;
    }
    try {
      for (;;) {
        const rows = await this.claim(workspaceId, connectionId);
        if (!rows.length) break;
        const ready = rows.filter((r) => r.crm_id !== null && r.crm_object !== null);
        const waiting = rows.filter((r) => r.crm_id === null);
        if (waiting.length) {
          await this.dataSource.query(`UPDATE consent_delivery SET status = 'waiting_for_export', updated_at = now() WHERE id = ANY($1::uuid[])`, [waiting.map((r) => r.id)]);
          counts.waiting += waiting.length;
        }
        if (!ready.length) {
          if (rows.length < ROUND) break;
          continue;
        }
        const inputs: CrmConsentWrite[] = ready.map((r) => ({
          person: { object: r.crm_object!, id: r.crm_id! },
          email: r.email ?? '',
          event: r.event_type,
          occurredAt: r.occurred_at.toISOString(),
          reason: r.reason,
        }));
        let results;
        try {
          results = await withCrmRetry(() => client.adapter.recordConsent(inputs), { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 10_000 });
        } catch (err) {
          // Nothing was written: count the attempt with its reason and let the job fail (Bull retries it).
          const reason = err instanceof CrmError ? err.message : (err as Error).message;
          await this.dataSource.query(`UPDATE consent_delivery SET attempts = attempts + 1, attempted_at = now(), reason = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [ready.map((r) => r.id), reason.slice(0, 2000)]);
          throw err;
        }
        for (const [i, r] of results.entries()) {
          const row = ready[i]!;
          if (r.ok) {
            await this.dataSource.query(
              `UPDATE consent_delivery SET status = 'delivered', crm_object = $2, crm_record_id = $3, reason = NULL, attempts = attempts + 1, attempted_at = now(), delivered_at = now(), updated_at = now() WHERE id = $1`,
              [row.id, r.crmObject ?? row.crm_object, row.crm_id],
            );
            counts.delivered += 1;
          } else if (r.error.retryable) {
            await this.dataSource.query(`UPDATE consent_delivery SET attempts = attempts + 1, attempted_at = now(), reason = $2, updated_at = now() WHERE id = $1`, [row.id, r.error.message.slice(0, 2000)]);
            throw r.error;
          } else {
            await this.dataSource.query(
              `UPDATE consent_delivery SET status = 'failed', crm_record_id = $3, reason = $2, attempts = attempts + 1, attempted_at = now(), updated_at = now() WHERE id = $1`,
              [row.id, `${crmLabel(client.connection.crm)}: ${r.error.message}`.slice(0, 2000), row.crm_id],
            );
            counts.failed += 1;
          }
        }
        if (rows.length < ROUND) break;
      }
    } finally {
      await session.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lock]).catch(() => undefined);
      await session.release();
    }
    if (counts.delivered || counts.failed) this.logger.log({ msg: 'consent delivered', connectionId, ...counts });
    return counts;
  }

  /**
   * The next pending deliveries (and held ones whose person is linked now) with the person's record in this
   * connection. The advisory lock makes the claim exclusive, so no row lock is held across CRM calls.
   */
  private claim(workspaceId: string, connectionId: string): Promise<Claimed[]> {
    return this.dataSource.query<Claimed[]>(
      `SELECT d.id, e.type AS event_type, e.reason, e.occurred_at, p.email, e.person_id, link.object AS crm_object, link.crm_id
         FROM consent_delivery d
         JOIN consent_event e ON e.id = d.event_id
         JOIN person p ON p.id = e.person_id
         LEFT JOIN LATERAL (${crmLinkSql.livePersonRecord({ workspace: 'd.workspace_id', connection: 'd.connection_id', person: 'e.person_id' })}) link ON true
        WHERE d.workspace_id = $1 AND d.connection_id = $2
          AND (d.status = 'pending' OR (d.status = 'waiting_for_export' AND link.crm_id IS NOT NULL))
        ORDER BY d.created_at, d.id
        LIMIT ${ROUND}`,
      [workspaceId, connectionId],
    );
  }
}
