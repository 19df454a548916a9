import { Injectable } from '@nestjs/common';
import type { ActivityDeliveryStatus, ActivityType, CrmKind, EngagementState } from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { crmLinkSql } from '../sync/crm-link.repository.js';
import type { ActivityDetails } from './activity-plan.js';

/** Where a statement's deliveries live: one connection of one workspace. */
export interface DeliveryScope {
  id: string;
  workspaceId: string;
}

/** A pending delivery with what planning a call needs of its activity and person. */
export interface PendingDelivery {
  id: string;
  activity_id: string;
  attempted_at: Date | null;
  attempts: number;
  type: ActivityType;
  person_id: string;
  performer_user_id: string | null;
  occurred_at: Date;
  details: ActivityDetails;
  engagement_state: EngagementState;
  assigned_user_id: string | null;
  company_id: string | null;
}

/** A delivery as the Activity tab shows it, with the person's live CRM record (for the record link). */
export interface DeliveryView {
  activity_id: string;
  crm: CrmKind;
  status: ActivityDeliveryStatus;
  crm_id: string | null;
  crm_object: string | null;
  reason: string | null;
  logged_at: Date | null;
  connection_id: string;
  link_object: CrmObjectType | null;
  link_crm_id: string | null;
}

export interface LoggedDelivery {
  deliveryId: string;
  crmId: string;
  crmObject: string | null;
}

/**
 * The Postgres session that holds a connection's drain lock (a session-level advisory lock belongs to the session
 * that took it, so taking, releasing and re-taking it go through one pooled connection).
 */
export interface DrainLock {
  tryLock(): Promise<boolean>;
  unlock(): Promise<void>;
  release(): Promise<void>;
}

/** Why a connection's deliveries wait (ActivityDeliveryRepository.waitingOn). */
export interface DeliveryWait {
  connection_id: string;
  failing_since: Date | null;
  last_error: string | null;
  job_status: 'pending' | 'running' | null;
  run_after: Date | null;
  job_error: string | null;
  /** The daily API budget holds the connection's live work (#17): why, in words, and when delivery tries again. */
  budget_reason: string | null;
  budget_retry_at: Date | null;
}

/** A connection whose activities wait for the daily API budget's reset (activity_budget_wait). */
export interface BudgetWait {
  connection_id: string;
  workspace_id: string;
  retry_at: Date;
}

/**
 * Conditions on activity_delivery for other tables' statements, so the table's SQL stays in this file. Values are
 * bound: each is pushed on `params` and referred to by its number.
 */
export const activityDeliverySql = {
  /**
   * Whether the activity (`activity`: its id expression) has a delivery with this status and/or to this CRM (a
   * condition); null when neither is asked for.
   */
  hasDelivery(ref: { activity: string }, filter: { status?: ActivityDeliveryStatus; crm?: CrmKind }, params: unknown[]): string | null {
    if (!filter.status && !filter.crm) return null;
    const cond = [`d.activity_id = ${ref.activity}`];
    if (filter.status) cond.push(`d.status = $${params.push(filter.status)}`);
    if (filter.crm) cond.push(`d.crm = $${params.push(filter.crm)}`);
    return `EXISTS (SELECT 1 FROM activity_delivery d WHERE ${cond.join(' AND ')})`;
  },
};

/**
 * The SQL of activity_delivery: one row per (activity, connection), from intake to `logged` / `failed`. Every
 * statement a request makes names the workspace; the sweep of held deliveries (`connectionsWithReleasableHeld`) is
 * the instance's background task and reads all workspaces.
 */
@Injectable()
export class ActivityDeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- intake and the Activity tab ---------------------------------------------------------------

  /** At intake, in the intake's transaction: `pending`, or `not_synced_type_off` when the connection does not log the type. */
  async insert(manager: EntityManager, row: { workspaceId: string; activityId: string; connectionId: string; crm: CrmKind; status: 'pending' | 'not_synced_type_off' }): Promise<void> {
    await manager.query(`INSERT INTO activity_delivery (workspace_id, activity_id, connection_id, crm, status) VALUES ($1, $2, $3, $4, $5)`, [
      row.workspaceId,
      row.activityId,
      row.connectionId,
      row.crm,
      row.status,
    ]);
  }

  /** An activity's failed deliveries back to pending; answers the connections to wake. */
  async retryFailed(manager: EntityManager, workspaceId: string, activityId: string): Promise<string[]> {
    const [rows] = await manager.query<[Array<{ connection_id: string }>, number]>(
      `UPDATE activity_delivery SET status = 'pending', reason = NULL, updated_at = now() WHERE activity_id = $1 AND workspace_id = $2 AND status = 'failed' RETURNING connection_id`,
      [activityId, workspaceId],
    );
    return rows.map((r) => r.connection_id);
  }

  /**
   * Why pending deliveries of these connections wait, per connection: the CRM failing (crm_connection_health) and when
   * the delivery job runs next (its outbox row: `pending` with run_after after a failed attempt, or `running`).
   * Connections that neither fail nor wait for a retry are left out.
   */
  async waitingOn(workspaceId: string, connectionIds: readonly string[]): Promise<DeliveryWait[]> {
    if (!connectionIds.length) return [];
    return this.dataSource.query<DeliveryWait[]>(
      `SELECT c.id AS connection_id, h.failing_since, h.last_error, j.status AS job_status, j.run_after, j.last_error AS job_error,
              b.reason AS budget_reason, b.retry_at AS budget_retry_at
         FROM crm_connection c
         LEFT JOIN crm_connection_health h ON h.connection_id = c.id AND h.failing_since IS NOT NULL
         LEFT JOIN activity_budget_wait b ON b.connection_id = c.id AND b.workspace_id = c.workspace_id
         LEFT JOIN LATERAL (
           SELECT status, run_after, last_error FROM outbox_job
            WHERE workspace_id = c.workspace_id AND name = 'activities.deliver' AND status IN ('pending', 'running') AND payload->>'connectionId' = c.id::text
            ORDER BY (status = 'running') DESC, run_after LIMIT 1) j ON true
        WHERE c.workspace_id = $1 AND c.id = ANY($2::uuid[]) AND (h.failing_since IS NOT NULL OR j.last_error IS NOT NULL OR b.connection_id IS NOT NULL)`,
      [workspaceId, connectionIds],
    );
  }

  /** The deliveries of these activities, each with the person's latest live contact/lead link of its connection. */
  ofActivities(workspaceId: string, activityIds: readonly string[]): Promise<DeliveryView[]> {
    return this.dataSource.query<DeliveryView[]>(
      `SELECT d.activity_id, d.crm, d.status, d.crm_id, d.crm_object, d.reason, d.logged_at, d.connection_id, l.object AS link_object, l.crm_id AS link_crm_id
         FROM activity_delivery d
         JOIN activity a ON a.id = d.activity_id
         LEFT JOIN LATERAL (${crmLinkSql.livePersonRecord({ workspace: 'd.workspace_id', connection: 'd.connection_id', person: 'a.person_id' })}) l ON true
        WHERE d.workspace_id = $1 AND d.activity_id = ANY($2::uuid[]) ORDER BY d.crm`,
      [workspaceId, activityIds],
    );
  }

  // ---- the drain loop ------------------------------------------------------------------------------

  /** A session of its own for the connection's drain lock (two workers never send the same delivery). */
  async drainLock(connectionId: string): Promise<DrainLock> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = `activities:${connectionId}`;
    return {
      tryLock: async () => {
        const [row] = (await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [key])) as Array<{ locked: boolean }>;
        return row?.locked === true;
      },
      unlock: async () => {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
      },
      release: () => runner.release(),
    };
  }

  /** Whether the connection has a pending delivery other than `busy` (those in flight). */
  async hasPending(connection: DeliveryScope, busy: readonly string[]): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM activity_delivery WHERE connection_id = $1 AND workspace_id = $2 AND status = 'pending' AND NOT (id = ANY($3::uuid[])) LIMIT 1`,
      [connection.id, connection.workspaceId, busy],
    );
    return rows.length > 0;
  }

  /** The oldest `limit` pending deliveries (by occurrence) other than `busy`, with their activity and person. */
  pending(connection: DeliveryScope, busy: readonly string[], limit: number): Promise<PendingDelivery[]> {
    return this.dataSource.query<PendingDelivery[]>(
      `SELECT d.id, d.activity_id, d.attempted_at, d.attempts, a.type, a.person_id, a.performer_user_id, a.occurred_at, a.details,
              p.engagement_state, p.assigned_user_id, p.company_id
         FROM activity_delivery d JOIN activity a ON a.id = d.activity_id JOIN person p ON p.id = a.person_id
        WHERE d.connection_id = $1 AND d.workspace_id = $2 AND d.status = 'pending' AND NOT (d.id = ANY($3::uuid[]))
        ORDER BY a.occurred_at, a.created_at, a.id LIMIT $4`,
      [connection.id, connection.workspaceId, busy, limit],
    );
  }

  /** Recorded before a create call: from here on a create without an answer is uncertain. */
  async markAttempted(ids: readonly string[]): Promise<void> {
    await this.dataSource.query(`UPDATE activity_delivery SET attempted_at = now(), attempts = attempts + 1, updated_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** A rate-limited create wrote nothing: the attempt is taken back and the deliveries are certain again. */
  async undoAttempt(ids: readonly string[]): Promise<void> {
    await this.dataSource.query(`UPDATE activity_delivery SET attempted_at = NULL, attempts = attempts - 1 WHERE id = ANY($1::uuid[]) AND crm_id IS NULL`, [ids]);
  }

  async fail(ids: readonly string[], reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE activity_delivery SET status = 'failed', reason = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [ids, reason.slice(0, 2000)]);
  }

  /** Held for an export, or failed with the export's reason. */
  async setStatus(deliveryId: string, status: 'waiting_for_export' | 'failed', reason: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE activity_delivery SET status = $2, reason = $3, updated_at = now() WHERE id = $1`, [deliveryId, status, reason]);
  }

  /** One statement for a round's results: the CRM ids are stored as soon as the CRM answered. */
  async logged(rows: readonly LoggedDelivery[]): Promise<void> {
    if (!rows.length) return;
    await this.dataSource.query(
      `UPDATE activity_delivery d SET status = 'logged', crm_id = v.crm_id, crm_object = v.crm_object, reason = NULL, logged_at = now(), updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, crm_id, crm_object) WHERE d.id = v.id`,
      [rows.map((r) => r.deliveryId), rows.map((r) => r.crmId), rows.map((r) => r.crmObject)],
    );
  }

  // ---- the daily API budget (#17) ------------------------------------------------------------------

  /**
   * The connection's live work waits for the daily API budget until `retryAt` (budget clock): its pending deliveries
   * stay pending, and the budget sweep (takeDueBudgetWaits) starts their delivery again then.
   */
  async waitForBudget(connection: DeliveryScope, wait: { cause: string; reason: string; retryAt: Date }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO activity_budget_wait (connection_id, workspace_id, cause, reason, retry_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (connection_id) DO UPDATE SET cause = $3, reason = $4, retry_at = $5`,
      [connection.id, connection.workspaceId, wait.cause, wait.reason, wait.retryAt],
    );
  }

  /** The budget admits live work again (a reset, a raised allocation): the connection's wait is over. */
  async budgetWaitOver(connection: DeliveryScope): Promise<void> {
    await this.dataSource.query(`DELETE FROM activity_budget_wait WHERE connection_id = $1 AND workspace_id = $2`, [connection.id, connection.workspaceId]);
  }

  /**
   * The budget sweep (the instance's background task, every workspace): waits whose time has come at `now` (budget
   * clock) are ended in `manager`'s transaction, rows locked with SKIP LOCKED so several workers may sweep at once.
   */
  async takeDueBudgetWaits(manager: EntityManager, now: Date, limit: number): Promise<BudgetWait[]> {
    const [rows] = await manager.query<[BudgetWait[], number]>(
      `DELETE FROM activity_budget_wait WHERE connection_id IN (
         SELECT connection_id FROM activity_budget_wait WHERE retry_at <= $1 ORDER BY retry_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING connection_id, workspace_id, retry_at`,
      [now, limit],
    );
    return rows;
  }

  // ---- held deliveries (waiting for the person to be in the CRM) ----------------------------------

  /** Whether any of these people still has held deliveries (they go out before anything newer of theirs). */
  async hasHeld(connection: DeliveryScope, personIds: readonly string[]): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT d.id FROM activity_delivery d JOIN activity a ON a.id = d.activity_id
        WHERE d.connection_id = $1 AND d.workspace_id = $2 AND d.status = 'waiting_for_export' AND a.person_id = ANY($3::uuid[]) LIMIT 1`,
      [connection.id, connection.workspaceId, personIds],
    );
    return rows.length > 0;
  }

  /** Held deliveries of people who are in the CRM now (exported by policy, a manual push or an import) go back to pending. */
  async releaseHeld(connection: DeliveryScope): Promise<void> {
    await this.dataSource.query(
      `UPDATE activity_delivery d SET status = 'pending', updated_at = now() FROM activity a
        WHERE a.id = d.activity_id AND d.connection_id = $1 AND d.workspace_id = $2 AND d.status = 'waiting_for_export'
          AND ${crmLinkSql.hasLivePersonRecord({ workspace: 'd.workspace_id', connection: 'd.connection_id', person: 'a.person_id' })}`,
      [connection.id, connection.workspaceId],
    );
  }

  /** The background sweep: connections (of every workspace) with held deliveries of people who are in the CRM now. */
  async connectionsWithReleasableHeld(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ connection_id: string }>>(
      `SELECT DISTINCT d.connection_id FROM activity_delivery d JOIN activity a ON a.id = d.activity_id
        WHERE d.status = 'waiting_for_export'
          AND ${crmLinkSql.hasLivePersonRecord({ workspace: 'd.workspace_id', connection: 'd.connection_id', person: 'a.person_id' })}`,
    );
    return rows.map((r) => r.connection_id);
  }
}
