import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { ConsentDeliveryDto, ConsentDeliveryPageDto, ConsentEventResultDto } from '@conduit/contracts';
import { normalizeEmail } from '@conduit/crm';
import { DataSource, type EntityManager } from 'typeorm';
import { ActivitiesService } from '../activities/activities.service.js';
import { CreateActivityDto } from '../activities/dto.js';
import type { Caller } from '../auth/caller.js';
import { OutboxService, type OutboxTransaction } from '../queues/outbox.service.js';
import { JobName } from '../queues/queue-names.js';
import type { ConsentEventDto, ConsentEventType } from './dto.js';

/** person_consent kind and the reason shown when the outbound engine gave none. */
const KIND: Record<ConsentEventType, { kind: 'email_opted_out' | 'email_bounced'; reason: string }> = {
  unsubscribe: { kind: 'email_opted_out', reason: 'Unsubscribed' },
  spam_complaint: { kind: 'email_opted_out', reason: 'Spam complaint' },
  hard_bounce: { kind: 'email_bounced', reason: 'Hard bounce' },
};

const NOTE: Record<ConsentEventType, string> = {
  unsubscribe: 'Unsubscribed from email',
  spam_complaint: 'Marked an email as spam: unsubscribed from email',
  hard_bounce: 'Email hard bounced',
};

interface EventRow {
  id: string;
  idempotency_key: string;
  type: ConsentEventType;
  person_id: string;
  reason: string | null;
  occurred_at: Date;
}

/**
 * Consent events of the outbound engine: recorded at once (the person's email consent is withdrawn in the same
 * transaction, so no campaign can pick them up afterwards), then written to every connected CRM by the
 * `consent.deliver` job (see ConsentDeliveryService), and logged on the CRM timelines as a labelled note through the
 * activity pipeline.
 */
@Injectable()
export class ConsentService {
  private readonly logger = new Logger(ConsentService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly activities: ActivitiesService,
  ) {}

  async record(caller: Caller, body: ConsentEventDto): Promise<ConsentEventResultDto> {
    const ws = caller.workspaceId;
    const { event, duplicate } = await this.outbox.transaction(async (tx) => {
      const existing = await tx.manager.query<EventRow[]>(`SELECT * FROM consent_event WHERE workspace_id = $1 AND idempotency_key = $2`, [ws, body.idempotencyKey]);
      if (existing[0]) return { event: existing[0], duplicate: true };
      const personId = await this.personOf(tx.manager, ws, body);
      const { kind, reason } = KIND[body.type];
      const occurredAt = body.occurredAt ?? new Date().toISOString();
      const [row] = await tx.manager.query<EventRow[]>(
        `INSERT INTO consent_event (workspace_id, idempotency_key, person_id, type, reason, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (workspace_id, idempotency_key) DO NOTHING RETURNING *`,
        [ws, body.idempotencyKey, personId, body.type, body.reason ?? null, occurredAt],
      );
      // A concurrent report with the same key won the insert: answer it.
      if (!row) return { event: (await tx.manager.query<EventRow[]>(`SELECT * FROM consent_event WHERE workspace_id = $1 AND idempotency_key = $2`, [ws, body.idempotencyKey]))[0]!, duplicate: true };
      await tx.manager.query(
        `INSERT INTO person_consent (workspace_id, person_id, channel, kind, source, event_id, reason, occurred_at)
         VALUES ($1, $2, 'email', $3, 'outbound', $4, $5, $6) ON CONFLICT (person_id, kind, source, connection_id, crm_record_id) DO NOTHING`,
        [ws, personId, kind, row.id, body.reason ?? reason, occurredAt],
      );
      await this.addDeliveries(tx, ws, row.id);
      return { event: row, duplicate: false };
    });
    await this.logNote(caller, event);
    return this.view(ws, event, duplicate);
  }

  /** One delivery per connected CRM connection of the workspace, and a drain job for each. */
  private async addDeliveries(tx: OutboxTransaction, workspaceId: string, eventId: string): Promise<void> {
    const connections = await tx.manager.query<{ id: string; crm: string }[]>(`SELECT id, crm FROM crm_connection WHERE workspace_id = $1 AND status = 'connected'`, [workspaceId]);
    for (const c of connections) {
      await tx.manager.query(`INSERT INTO consent_delivery (workspace_id, event_id, connection_id, crm) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [workspaceId, eventId, c.id, c.crm]);
      await enqueueConsentDelivery(tx, workspaceId, c.id);
    }
  }

  /**
   * The labelled timeline note (the activity pipeline logs it exactly once per CRM, with the Activity tab's label and
   * owner). Its idempotency key derives from the event's, so a repeated report never logs a second note.
   */
  private async logNote(caller: Caller, event: EventRow): Promise<void> {
    const body = `${NOTE[event.type]} (reported by the outbound engine)${event.reason ? `: ${event.reason}` : ''}`;
    try {
      const note = Object.assign(new CreateActivityDto(), { idempotencyKey: `consent:${event.idempotency_key}`, type: 'note' as const, personId: event.person_id, occurredAt: event.occurred_at.toISOString(), body });
      await this.activities.createOne(caller, note);
    } catch (err) {
      // The consent itself is recorded and its CRM writes queued; a repeat of the report retries the note.
      this.logger.warn({ msg: 'consent note not queued', eventId: event.id, error: (err as Error).message });
    }
  }

  private async personOf(manager: EntityManager, workspaceId: string, body: ConsentEventDto): Promise<string> {
    if (body.personId !== undefined) {
      const rows = await manager.query<{ id: string }[]>(`SELECT id FROM person WHERE workspace_id = $1 AND id = $2`, [workspaceId, body.personId]);
      if (rows[0]) return rows[0].id;
      throw new NotFoundException({ message: 'No such person in this workspace', errors: [{ field: 'personId', messages: ['no person with this id'] }] });
    }
    const email = normalizeEmail(body.email ?? '');
    const rows = await manager.query<{ id: string }[]>(`SELECT id FROM person WHERE workspace_id = $1 AND lower(email) = $2 ORDER BY created_at LIMIT 1`, [workspaceId, email]);
    if (rows[0]) return rows[0].id;
    throw new NotFoundException({ message: 'No person with this email in this workspace', errors: [{ field: 'email', messages: ['no person with this email'] }] });
  }

  async get(workspaceId: string, id: string): Promise<ConsentEventResultDto> {
    const [row] = await this.dataSource.query<EventRow[]>(`SELECT * FROM consent_event WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    if (!row) throw new NotFoundException('Consent event not found');
    return this.view(workspaceId, row, false);
  }

  /** Deliveries of the workspace by status (Needs attention: `failed`), newest change first, with the person. */
  async deliveries(workspaceId: string, status: string | undefined, page: number, pageSize: number): Promise<ConsentDeliveryPageDto> {
    const rows = await this.dataSource.query<(DeliveryRow & { event_id: string; person_id: string; type: ConsentEventType; occurred_at: Date; updated_at: Date; first_name: string | null; last_name: string | null; email: string | null; total: number })[]>(
      `SELECT d.*, e.person_id, e.type, e.occurred_at, p.first_name, p.last_name, p.email, count(*) OVER ()::int AS total
         FROM consent_delivery d
         JOIN consent_event e ON e.id = d.event_id AND e.workspace_id = d.workspace_id
         JOIN person p ON p.id = e.person_id AND p.workspace_id = d.workspace_id
        WHERE d.workspace_id = $1 AND ($2::text IS NULL OR d.status = $2)
        ORDER BY d.updated_at DESC, d.id LIMIT $3 OFFSET $4`,
      [workspaceId, status ?? null, pageSize, (page - 1) * pageSize],
    );
    const total = rows[0]?.total ?? (page > 1 ? (await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM consent_delivery WHERE workspace_id = $1 AND ($2::text IS NULL OR status = $2)`, [workspaceId, status ?? null]))[0]!.n : 0);
    return {
      items: rows.map((r) => ({
        ...deliveryView(r),
        eventId: r.event_id,
        type: r.type,
        personId: r.person_id,
        personName: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
        personEmail: r.email,
        occurredAt: r.occurred_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      })),
      total,
      page,
      pageSize,
    };
  }

  /** A failed delivery goes back to pending and its connection's drain job is started. */
  async retry(workspaceId: string, deliveryId: string): Promise<void> {
    await this.outbox.transaction(async (tx) => {
      // An UPDATE … RETURNING answers [rows, affected count] through TypeORM.
      const [rows] = await tx.manager.query<[{ connection_id: string }[], number]>(
        `UPDATE consent_delivery SET status = 'pending', reason = NULL, updated_at = now() WHERE workspace_id = $1 AND id = $2 AND status = 'failed' RETURNING connection_id`,
        [workspaceId, deliveryId],
      );
      if (!rows[0]) throw new NotFoundException('No failed delivery with this id');
      await enqueueConsentDelivery(tx, workspaceId, rows[0].connection_id);
    });
  }

  private async view(workspaceId: string, e: EventRow, duplicate: boolean): Promise<ConsentEventResultDto> {
    const rows = await this.dataSource.query<DeliveryRow[]>(`SELECT * FROM consent_delivery WHERE workspace_id = $1 AND event_id = $2 ORDER BY crm, connection_id`, [workspaceId, e.id]);
    return { id: e.id, idempotencyKey: e.idempotency_key, type: e.type, personId: e.person_id, occurredAt: e.occurred_at.toISOString(), duplicate, deliveries: rows.map(deliveryView) };
  }
}

interface DeliveryRow {
  id: string;
  connection_id: string;
  crm: 'hubspot' | 'salesforce';
  status: ConsentDeliveryDto['status'];
  reason: string | null;
  crm_record_id: string | null;
  attempts: number;
  delivered_at: Date | null;
}

function deliveryView(r: DeliveryRow): ConsentDeliveryDto {
  return { id: r.id, connectionId: r.connection_id, crm: r.crm, status: r.status, reason: r.reason, crmRecordId: r.crm_record_id, attempts: r.attempts, deliveredAt: r.delivered_at?.toISOString() ?? null };
}

/** Starts the connection's drain job unless one is queued and not started yet (it will see these deliveries). */
export async function enqueueConsentDelivery(tx: OutboxTransaction, workspaceId: string, connectionId: string): Promise<void> {
  const queued = await tx.manager.query<{ id: string }[]>(
    `SELECT id FROM outbox_job WHERE workspace_id = $1 AND name = 'consent.deliver' AND status = 'pending' AND attempts = 0 AND payload->>'connectionId' = $2 LIMIT 1 FOR UPDATE`,
    [workspaceId, connectionId],
  );
  if (queued.length) return;
  await tx.enqueue(JobName.ConsentDeliver, { workspaceId, connectionId }, { workspaceId, maxAttempts: 25 });
}
