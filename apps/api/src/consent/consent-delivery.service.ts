import { Injectable, Logger } from '@nestjs/common';
import { type CrmConsentWrite, CrmError, crmLabel, type CrmWriteResult, isConvertedLeadError } from '@conduit/crm';
import { DataSource } from 'typeorm';
import { type CrmClient, CrmClients } from '../crm-runtime/crm-clients.service.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import type { JobOf, JobResultOf } from '../queues/jobs/index.js';
import type { JobName } from '../queues/queue-names.js';
import { crmLinkSql } from '../sync/crm-link.repository.js';
import { LeadConversions } from '../sync/lead-conversions.js';
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
  /** The CRM's refusal, carried while a converted Lead's Contact is tried. */
  failure?: string;
}

type Counts = JobResultOf<JobName.ConsentDeliver>;

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
    private readonly conversions: LeadConversions,
  ) {}

  async deliver(payload: JobOf<JobName.ConsentDeliver>): Promise<JobResultOf<JobName.ConsentDeliver>> {
    const { workspaceId, connectionId } = payload;
    const counts: Counts = { delivered: 0, waiting: 0, failed: 0 };
    const client = await this.clients.open(workspaceId, connectionId, { feature: 'other', work: 'live' });
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
        const converted = await this.settle(client, ready, await this.write(client, ready), counts);
        if (converted.length) await this.onContacts(client, converted, counts);
        if (rows.length < ROUND) break;
      }
    } finally {
      await session.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lock]).catch(() => undefined);
      await session.release();
    }
    if (counts.delivered || counts.failed) this.logger.log({ msg: 'consent delivered', connectionId, ...counts });
    return counts;
  }

  /** One write of these deliveries; when it fails as a whole, the attempt is counted with its reason and the job fails (Bull retries). */
  private async write(client: CrmClient, rows: readonly Claimed[]): Promise<CrmWriteResult[]> {
    const inputs: CrmConsentWrite[] = rows.map((r) => ({
      person: { object: r.crm_object!, id: r.crm_id! },
      email: r.email ?? '',
      event: r.event_type,
      occurredAt: r.occurred_at.toISOString(),
      reason: r.reason,
    }));
    try {
      return await withCrmRetry(() => client.adapter.recordConsent(inputs), { maxAttempts: 6, baseDelayMs: 250, maxDelayMs: 10_000 });
    } catch (err) {
      const reason = err instanceof CrmError ? err.message : (err as Error).message;
      await this.dataSource.query(`UPDATE consent_delivery SET attempts = attempts + 1, attempted_at = now(), reason = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id), reason.slice(0, 2000)]);
      throw err;
    }
  }

  /**
   * Records each answer: delivered, failed with the CRM's reason, or (retryable) counted and thrown. Salesforce Leads
   * converted since Conduit linked them ("cannot reference converted lead") are handed back, unsettled.
   */
  private async settle(client: CrmClient, rows: readonly Claimed[], results: readonly CrmWriteResult[], counts: Counts): Promise<Claimed[]> {
    const converted: Claimed[] = [];
    for (const [i, r] of results.entries()) {
      const row = rows[i]!;
      if (r.ok) {
        await this.dataSource.query(
          `UPDATE consent_delivery SET status = 'delivered', crm_object = $2, crm_record_id = $3, reason = NULL, attempts = attempts + 1, attempted_at = now(), delivered_at = now(), updated_at = now() WHERE id = $1`,
          [row.id, r.crmObject ?? row.crm_object, row.crm_id],
        );
        counts.delivered += 1;
      } else if (row.crm_object === 'lead' && isConvertedLeadError(r.error)) {
        converted.push({ ...row, failure: r.error.message });
      } else if (r.error.retryable) {
        await this.dataSource.query(`UPDATE consent_delivery SET attempts = attempts + 1, attempted_at = now(), reason = $2, updated_at = now() WHERE id = $1`, [row.id, r.error.message.slice(0, 2000)]);
        throw r.error;
      } else {
        await this.fail(client, row, r.error.message, counts);
      }
    }
    return converted;
  }

  private async fail(client: CrmClient, row: Claimed, message: string, counts: Counts): Promise<void> {
    await this.dataSource.query(
      `UPDATE consent_delivery SET status = 'failed', crm_record_id = $3, reason = $2, attempts = attempts + 1, attempted_at = now(), updated_at = now() WHERE id = $1`,
      [row.id, `${crmLabel(client.connection.crm)}: ${message}`.slice(0, 2000), row.crm_id],
    );
    counts.failed += 1;
  }

  /**
   * Deliveries Salesforce refused because their Lead was converted: the Leads are read (one query), the opt-out or
   * bounce is written to each Lead's ConvertedContactId instead, and the person's link moves to that Contact
   * (LeadConversions, as the import does) so later deliveries go there directly. A Lead that says no conversion keeps
   * the refusal as its reason.
   */
  private async onContacts(client: CrmClient, rows: readonly Claimed[], counts: Counts): Promise<void> {
    const { workspaceId, id: connectionId, crm } = client.connection;
    const { byLead } = await this.conversions.follow(
      { workspaceId, connectionId, crm },
      rows.map((r) => r.crm_id!),
      (ids, properties) => withCrmRetry(() => client.adapter.readByIds('lead', ids, { properties })),
    );
    const retarget: Claimed[] = [];
    for (const row of rows) {
      const contactId = byLead.get(row.crm_id!)?.contactId;
      if (contactId) retarget.push({ ...row, crm_object: 'contact', crm_id: contactId });
      else await this.fail(client, row, row.failure ?? 'cannot reference converted lead', counts);
    }
    if (!retarget.length) return;
    // A Contact refusing again is a plain failure (no second hop).
    const again = await this.settle(client, retarget, await this.write(client, retarget), counts);
    for (const row of again) await this.fail(client, row, row.failure ?? 'cannot reference converted lead', counts);
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
