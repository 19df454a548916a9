import { ConflictException, Inject, Injectable, Logger, NotFoundException, Optional } from '@nestjs/common';
import {
  ACTIVITY_TYPES,
  type ActivityBatchResultDto,
  type ActivityDeliveryDto,
  type ActivityDto,
  type ActivityIntakeResultDto,
  type ActivityListDto,
  type ActivitySettingsDto,
  type ActivityType,
  type CrmKind,
  type EngagementState,
} from '@conduit/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { ConnectionsService } from '../connections/connections.service.js';
import { recordAdvancedStatus } from '../export/advanced-status.js';
import { ExportEngine } from '../export/export-engine.service.js';
import { PERSON_ENGAGEMENT_LISTENER, type PersonEngagementListener } from '../people/person-events.js';
import { OutboxService, type OutboxTransaction } from '../queues/outbox.service.js';
import { ActivityDeliveryRepository, activityDeliverySql, type DeliveryWait } from './activity-delivery.repository.js';
import { DETAIL_FIELDS, nextEngagementState, type ActivityDetails } from './activity-plan.js';
import type { CreateActivityDto, ListActivitiesQuery, UpdateActivitySettingsDto } from './dto.js';
import { idempotencyConflictMessage, idempotencyMismatch, type StoredActivity } from './idempotency.js';
import { JobName } from '../queues/queue-names.js';

export const DEFAULT_LABEL = '[Conduit]';

export interface ActivitySettings {
  types: Record<ActivityType, boolean>;
  label: string;
  associateCompany: boolean;
  associateDeal: boolean;
}

interface SettingsRow {
  types: Partial<Record<ActivityType, boolean>>;
  label: string;
  associate_company: boolean;
  associate_deal: boolean;
}

export function settingsOf(row: SettingsRow | undefined): ActivitySettings {
  const types = Object.fromEntries(ACTIVITY_TYPES.map((t) => [t, row?.types[t] ?? true])) as Record<ActivityType, boolean>;
  return { types, label: row?.label ?? DEFAULT_LABEL, associateCompany: row?.associate_company ?? true, associateDeal: row?.associate_deal ?? false };
}

interface ActivityRow {
  id: string;
  idempotency_key: string;
  type: ActivityType;
  person_id: string;
  performer_user_id: string | null;
  occurred_at: Date;
  details: ActivityDetails;
  created_at: Date;
}

type IntakeOutcome = { ok: true; activity: ActivityDto; duplicate: boolean } | { ok: false; status: number; message: string };


/**
 * Activity intake and the Activity tab: stores each activity once per (workspace, idempotency key) with one
 * delivery row per CRM connection, advances the person's engagement state, and enqueues delivery in the same
 * transaction (outbox), so an accepted activity is never lost and a repeated key logs nothing new.
 */
@Injectable()
export class ActivitiesService {
  private readonly logger = new Logger(ActivitiesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: ActivityDeliveryRepository,
    private readonly outbox: OutboxService,
    private readonly connections: ConnectionsService,
    private readonly engine: ExportEngine,
    @Optional() @Inject(PERSON_ENGAGEMENT_LISTENER) private readonly engagement?: PersonEngagementListener,
  ) {}

  // ---- settings -------------------------------------------------------------------------------

  async settingsFor(connectionId: string, manager: EntityManager = this.dataSource.manager): Promise<ActivitySettings> {
    const rows = (await manager.query<SettingsRow[]>(`SELECT types, label, associate_company, associate_deal FROM activity_settings WHERE connection_id = $1`, [connectionId]));
    return settingsOf(rows[0]);
  }

  async getSettings(caller: Caller, crm: CrmKind): Promise<ActivitySettingsDto> {
    const connection = await this.connections.require(caller, crm);
    return { crm, ...(await this.settingsFor(connection.id)) };
  }

  async updateSettings(caller: Caller, crm: CrmKind, body: UpdateActivitySettingsDto): Promise<ActivitySettingsDto> {
    const connection = await this.connections.require(caller, crm);
    const current = await this.settingsFor(connection.id);
    const types = { ...current.types };
    for (const t of ACTIVITY_TYPES) {
      const v = body.types?.[t];
      if (typeof v === 'boolean') types[t] = v;
    }
    const next: ActivitySettings = {
      types,
      label: body.label !== undefined ? body.label.trim() : current.label,
      associateCompany: body.associateCompany ?? current.associateCompany,
      associateDeal: body.associateDeal ?? current.associateDeal,
    };
    await this.dataSource.query(
      `INSERT INTO activity_settings (connection_id, workspace_id, types, label, associate_company, associate_deal) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (connection_id) DO UPDATE SET types = $3, label = $4, associate_company = $5, associate_deal = $6, updated_at = now()`,
      [connection.id, caller.workspaceId, JSON.stringify(next.types), next.label, next.associateCompany, next.associateDeal],
    );
    return { crm, ...next };
  }

  // ---- intake ---------------------------------------------------------------------------------

  async createOne(caller: Caller, body: CreateActivityDto): Promise<ActivityIntakeResultDto> {
    const [r] = await this.intake(caller, [body]);
    if (!r) throw new Error('intake returned nothing');
    if (!r.ok && r.status === 409) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: r.message, errors: [{ field: 'idempotencyKey', messages: [r.message] }] });
    if (!r.ok) throw new NotFoundException(r.message);
    return { activity: r.activity, duplicate: r.duplicate };
  }

  async createMany(caller: Caller, items: CreateActivityDto[]): Promise<ActivityBatchResultDto> {
    const results = await this.intake(caller, items);
    return { results: results.map((r, index) => ({ index, ...r })) };
  }

  private async intake(caller: Caller, items: CreateActivityDto[]): Promise<IntakeOutcome[]> {
    const ws = caller.workspaceId;
    const changes = new Map<string, EngagementState>();
    const outcomes = await this.outbox.transaction(async (tx) => {
      const connections = await tx.manager.find(CrmConnection, { where: { workspaceId: ws } });
      const settings = new Map<string, ActivitySettings>();
      for (const c of connections) settings.set(c.id, await this.settingsFor(c.id, tx.manager));
      const toDeliver = new Set<CrmConnection>();
      const out: Array<{ ok: true; id: string; duplicate: boolean } | { ok: false; status: number; message: string }> = [];
      for (const item of items) {
        const [person] = await tx.manager.query<Array<{ id: string; assigned_user_id: string | null; engagement_state: EngagementState }>>(
          `SELECT id, assigned_user_id, engagement_state FROM person WHERE id = $1 AND workspace_id = $2 FOR UPDATE`,
          [item.personId, ws],
        );
        if (!person) {
          out.push({ ok: false, status: 404, message: 'Person not found' });
          continue;
        }
        if (item.performerUserId) {
          const member = (await tx.manager.query<unknown[]>(`SELECT 1 FROM app_user WHERE id = $1 AND workspace_id = $2`, [item.performerUserId, ws]));
          if (!member.length) {
            out.push({ ok: false, status: 404, message: 'Team member not found' });
            continue;
          }
        }
        const details: Record<string, unknown> = {};
        for (const f of DETAIL_FIELDS) if (item[f] !== undefined) details[f] = item[f];
        const inserted = (await tx.manager.query<Array<{ id: string }>>(
          `INSERT INTO activity (workspace_id, idempotency_key, type, person_id, performer_user_id, occurred_at, details) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (workspace_id, idempotency_key) DO NOTHING RETURNING id`,
          [ws, item.idempotencyKey, item.type, person.id, item.performerUserId ?? person.assigned_user_id, item.occurredAt, JSON.stringify(details)],
        ));
        const id = inserted[0]?.id;
        if (!id) {
          const [existing] = await tx.manager.query<Array<StoredActivity & { id: string }>>(
            `SELECT id, type, person_id, performer_user_id, occurred_at, details FROM activity WHERE workspace_id = $1 AND idempotency_key = $2`,
            [ws, item.idempotencyKey],
          );
          // The same key with another payload is refused (409), never answered with the first activity.
          const differs = idempotencyMismatch(existing!, { ...item, details });
          out.push(differs.length ? { ok: false, status: 409, message: idempotencyConflictMessage(differs) } : { ok: true, id: existing!.id, duplicate: true });
          continue;
        }
        for (const c of connections) {
          const on = settings.get(c.id)?.types[item.type] ?? true;
          await this.deliveries.insert(tx.manager, { workspaceId: ws, activityId: id, connectionId: c.id, crm: c.crm, status: on ? 'pending' : 'not_synced_type_off' });
          if (on) toDeliver.add(c);
        }
        const state = changes.get(person.id) ?? person.engagement_state;
        const next = nextEngagementState(state, item.type, details);
        if (next) {
          await tx.manager.query(`UPDATE person SET engagement_state = $3, updated_at = now() WHERE id = $1 AND workspace_id = $2`, [person.id, ws, next]);
          changes.set(person.id, next);
        }
        // Advanced status (status mapping, export/advanced-status.ts): a change of the current one updates the CRM status like an engagement change.
        if (await recordAdvancedStatus(tx.manager, ws, person.id, next ?? state, item.type, details)) changes.set(person.id, next ?? state);
        out.push({ ok: true, id, duplicate: false });
      }
      for (const c of toDeliver) await enqueueDelivery(tx, c);
      return out;
    });
    if (changes.size && this.engagement) {
      await this.engagement
        .engagementChanged(ws, [...changes].map(([personId, engagementState]) => ({ personId, engagementState })))
        .catch((err: unknown) => this.logger.warn({ msg: 'engagement listener failed', error: (err as Error).message }));
    }
    const ids = outcomes.flatMap((o) => (o.ok ? [o.id] : []));
    const dtos = new Map((await this.load(ws, ids)).map((a) => [a.id, a]));
    return outcomes.map((o) => (o.ok ? { ok: true, activity: dtos.get(o.id)!, duplicate: o.duplicate } : o));
  }

  // ---- reading --------------------------------------------------------------------------------

  async list(caller: Caller, q: ListActivitiesQuery): Promise<ActivityListDto> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const where = ['a.workspace_id = $1'];
    const params: unknown[] = [caller.workspaceId];
    if (q.type) where.push(`a.type = $${params.push(q.type)}`);
    if (q.personId) where.push(`a.person_id = $${params.push(q.personId)}`);
    const delivered = activityDeliverySql.hasDelivery({ activity: 'a.id' }, { status: q.status, crm: q.crm }, params);
    if (delivered) where.push(delivered);
    const sqlWhere = where.join(' AND ');
    const [{ total }] = (await this.dataSource.query<[{ total: number }]>(`SELECT count(*)::int AS total FROM activity a WHERE ${sqlWhere}`, params));
    const rows = (await this.dataSource.query<Array<{ id: string }>>(
      `SELECT a.id FROM activity a WHERE ${sqlWhere} ORDER BY a.occurred_at DESC, a.created_at DESC, a.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    ));
    return { items: await this.load(caller.workspaceId, rows.map((r) => r.id)), total, page, pageSize };
  }

  async get(caller: Caller, id: string): Promise<ActivityDto> {
    const [a] = await this.load(caller.workspaceId, [id]);
    if (!a) throw new NotFoundException('Activity not found');
    return a;
  }

  /** The person's activities as Conduit sees them, oldest first. */
  async timeline(caller: Caller, personId: string): Promise<ActivityDto[]> {
    const exists = (await this.dataSource.query<unknown[]>(`SELECT 1 FROM person WHERE id = $1 AND workspace_id = $2`, [personId, caller.workspaceId]));
    if (!exists.length) throw new NotFoundException('Person not found');
    const rows = (await this.dataSource.query<Array<{ id: string }>>(`SELECT id FROM activity WHERE workspace_id = $1 AND person_id = $2 ORDER BY occurred_at, created_at, id`, [caller.workspaceId, personId]));
    return this.load(caller.workspaceId, rows.map((r) => r.id));
  }

  /** Failed deliveries of the activity go back to pending (the create-check still applies). */
  async retry(caller: Caller, id: string): Promise<ActivityDto> {
    await this.get(caller, id);
    await this.outbox.transaction(async (tx) => {
      for (const connectionId of await this.deliveries.retryFailed(tx.manager, caller.workspaceId, id)) {
        const c = await tx.manager.findOneBy(CrmConnection, { id: connectionId, workspaceId: caller.workspaceId });
        if (c) await enqueueDelivery(tx, c);
      }
    });
    return this.get(caller, id);
  }

  private async load(workspaceId: string, ids: string[]): Promise<ActivityDto[]> {
    if (!ids.length) return [];
    const rows = (await this.dataSource.query<ActivityRow[]>(`SELECT * FROM activity WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, ids]));
    const deliveries = await this.deliveries.ofActivities(workspaceId, ids);
    const connections = new Map((await this.dataSource.getRepository(CrmConnection).findBy({ workspaceId })).map((c) => [c.id, c]));
    const pendingOn = [...new Set(deliveries.filter((d) => d.status === 'pending').map((d) => d.connection_id))];
    const waits = new Map((await this.deliveries.waitingOn(workspaceId, pendingOn)).map((w) => [w.connection_id, w]));
    const byActivity = new Map<string, ActivityDeliveryDto[]>();
    for (const d of deliveries) {
      const wait = d.status === 'pending' ? waits.get(d.connection_id) : undefined;
      const c = connections.get(d.connection_id);
      const list = byActivity.get(d.activity_id) ?? [];
      list.push({
        crm: d.crm,
        status: d.status,
        crmId: d.crm_id,
        crmObject: d.crm_object,
        // The activity is seen on the person's record (timeline / activity history).
        recordUrl: c && d.crm_id && d.link_object && d.link_crm_id ? this.engine.recordUrl(c, d.link_object, d.link_crm_id) : null,
        reason: d.reason,
        loggedAt: d.logged_at?.toISOString() ?? null,
        waiting: wait ? deliveryWaiting(wait) : null,
      });
      byActivity.set(d.activity_id, list);
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      return [
        {
          id: r.id,
          idempotencyKey: r.idempotency_key,
          type: r.type,
          personId: r.person_id,
          performerUserId: r.performer_user_id,
          occurredAt: r.occurred_at.toISOString(),
          details: r.details as Record<string, unknown>,
          deliveries: byActivity.get(r.id) ?? [],
          createdAt: r.created_at.toISOString(),
        },
      ];
    });
  }
}

/** Why a pending delivery waits: the CRM's failure since when, and when Conduit tries again (null: trying now). */
function deliveryWaiting(w: DeliveryWait): NonNullable<ActivityDeliveryDto['waiting']> {
  // The daily API budget holds them until its reset: that is the whole story (no CRM failure, no job retry).
  if (w.budget_reason && w.budget_retry_at) return { cause: 'api_budget', reason: w.budget_reason, failingSince: null, nextAttemptAt: w.budget_retry_at.toISOString() };
  const retryAt = w.job_status === 'pending' && w.run_after && w.run_after.getTime() > Date.now() ? w.run_after.toISOString() : null;
  return { cause: 'crm', reason: w.last_error ?? w.job_error ?? 'The CRM failed', failingSince: w.failing_since?.toISOString() ?? null, nextAttemptAt: retryAt };
}

/**
 * Wakes the connection's drainer. When a delivery job of the connection is queued and not started yet, it will pick
 * these deliveries up: its row is locked until this transaction commits (the worker's start() waits for the lock),
 * so it cannot drain before they are visible. Otherwise a new job is enqueued with the transaction. This keeps a
 * burst of intakes at a handful of jobs instead of one each.
 */
export async function enqueueDelivery(tx: OutboxTransaction, c: CrmConnection): Promise<void> {
  const queued = await tx.manager.query<Array<{ id: string }>>(
    `SELECT id FROM outbox_job WHERE workspace_id = $1 AND name = 'activities.deliver' AND status = 'pending' AND attempts = 0 AND payload->>'connectionId' = $2 LIMIT 1 FOR UPDATE`,
    [c.workspaceId, c.id],
  );
  if (queued.length) return;
  await tx.enqueue(JobName.ActivitiesDeliver, { workspaceId: c.workspaceId, connectionId: c.id }, { workspaceId: c.workspaceId, maxAttempts: 25 });
}
