import { Injectable } from '@nestjs/common';
import type { ErasureAuditDto, ErasureHubspotStatus } from '@conduit/contracts';
import { DataSource, type EntityManager } from 'typeorm';

export interface ErasedPerson {
  id: string;
  email: string | null;
}

/**
 * Free-text columns that may quote a person's email outside the person's own rows (run samples, CRM error messages,
 * workflow payloads, job payloads and errors). After the person's rows are deleted, an address still found there is
 * replaced by `[erased]`, so nothing in the database spells it any more.
 */
const SCRUBBED: readonly { table: string; column: string; type: 'text' | 'jsonb' }[] = [
  { table: 'sync_run', column: 'sample', type: 'jsonb' },
  { table: 'sync_run', column: 'error', type: 'text' },
  { table: 'sync_failure', column: 'reason', type: 'text' },
  { table: 'export_run', column: 'skipped_reasons', type: 'jsonb' },
  { table: 'export_run', column: 'error', type: 'text' },
  { table: 'export_needs_attention', column: 'reason', type: 'text' },
  { table: 'activity_delivery', column: 'reason', type: 'text' },
  { table: 'consent_delivery', column: 'reason', type: 'text' },
  { table: 'consent_event', column: 'reason', type: 'text' },
  { table: 'workflow_run', column: 'trigger', type: 'jsonb' },
  { table: 'workflow_run', column: 'payload', type: 'jsonb' },
  { table: 'workflow_run', column: 'reason', type: 'text' },
  { table: 'workflow_run', column: 'summary', type: 'text' },
  { table: 'workflow_write', column: 'value', type: 'text' },
  { table: 'crm_list', column: 'last_error', type: 'text' },
  { table: 'outbox_job', column: 'payload', type: 'jsonb' },
  { table: 'outbox_job', column: 'result', type: 'jsonb' },
  { table: 'outbox_job', column: 'last_error', type: 'text' },
];

/** A case-insensitive POSIX pattern matching any of the addresses literally. */
function literalPattern(values: readonly string[]): string {
  return values.map((v) => v.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&')).join('|');
}

/** Every statement of an erasure (#18), scoped to the workspace. */
@Injectable()
export class ErasureRepository {
  constructor(private readonly dataSource: DataSource) {}

  peopleByIds(manager: EntityManager, workspaceId: string, ids: readonly string[]): Promise<ErasedPerson[]> {
    return manager.query<ErasedPerson[]>(`SELECT id, email FROM person WHERE workspace_id = $1 AND id = ANY($2::uuid[]) FOR UPDATE`, [workspaceId, ids]);
  }

  /** The addresses of these people (read before an erasure's transaction, for the HubSpot lookup). */
  async emailsOf(workspaceId: string, ids: readonly string[]): Promise<string[]> {
    const rows = await this.dataSource.query<{ email: string }[]>(`SELECT email FROM person WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND email IS NOT NULL`, [workspaceId, ids]);
    return rows.map((r) => r.email);
  }

  /** `keys` are normalized addresses. */
  peopleByEmails(manager: EntityManager, workspaceId: string, keys: readonly string[]): Promise<ErasedPerson[]> {
    return manager.query<ErasedPerson[]>(`SELECT id, email FROM person WHERE workspace_id = $1 AND lower(email) = ANY($2::text[]) FOR UPDATE`, [workspaceId, keys]);
  }

  async hubspotConnection(workspaceId: string): Promise<string | null> {
    const [row] = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = 'hubspot' AND status = 'connected'`, [workspaceId]);
    return row?.id ?? null;
  }

  /**
   * Deletes the people and everything that describes them. The person row's foreign keys cascade to activities (and
   * their deliveries), consent rows, consent events and their deliveries, list memberships, campaign audiences and
   * needs-attention rows; its trigger deletes the CRM links. Provenance has no foreign key (it is one table for people
   * and companies): deleted here. Workflow runs and writes about their CRM records, and the HubSpot ↔ Salesforce pairs,
   * go too; run samples lose the records' diffs.
   */
  async deletePeople(manager: EntityManager, workspaceId: string, personIds: readonly string[], crmIds: readonly string[]): Promise<void> {
    if (personIds.length) {
      await manager.query(`DELETE FROM field_provenance_set WHERE workspace_id = $1 AND entity = 'person' AND entity_id = ANY($2::uuid[])`, [workspaceId, personIds]);
      await manager.query(`DELETE FROM person WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, personIds]);
    }
    if (!crmIds.length) return;
    await manager.query(`DELETE FROM workflow_run WHERE workspace_id = $1 AND (target_id = ANY($2::text[]) OR trigger->>'recordId' = ANY($2::text[]))`, [workspaceId, crmIds]);
    await manager.query(`DELETE FROM workflow_write WHERE workspace_id = $1 AND record_id = ANY($2::text[])`, [workspaceId, crmIds]);
    await manager.query(`DELETE FROM workflow_link WHERE workspace_id = $1 AND (hubspot_contact_id = ANY($2::text[]) OR salesforce_id = ANY($2::text[]))`, [workspaceId, crmIds]);
    await manager.query(`DELETE FROM workflow_record_link WHERE workspace_id = $1 AND (hubspot_id = ANY($2::text[]) OR salesforce_id = ANY($2::text[]))`, [workspaceId, crmIds]);
    await manager.query(
      `UPDATE sync_run SET sample = (SELECT coalesce(jsonb_agg(e), '[]'::jsonb) FROM jsonb_array_elements(sample) e WHERE NOT (e->>'crmId' = ANY($2::text[])))
        WHERE workspace_id = $1 AND jsonb_typeof(sample) = 'array'
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(sample) e WHERE e->>'crmId' = ANY($2::text[]))`,
      [workspaceId, crmIds],
    );
  }

  /** Replaces any remaining mention of the addresses in free-text columns (see SCRUBBED). One statement per column. */
  async scrub(manager: EntityManager, workspaceId: string, emails: readonly string[]): Promise<void> {
    if (!emails.length) return;
    const pattern = literalPattern([...new Set(emails)]);
    for (const { table, column, type } of SCRUBBED) {
      await manager.query(
        `UPDATE ${table} SET "${column}" = regexp_replace("${column}"::text, $2, '[erased]', 'gi')::${type}
          WHERE workspace_id = $1 AND "${column}" IS NOT NULL AND "${column}"::text ~* $2`,
        [workspaceId, pattern],
      );
    }
  }

  async insertAudit(
    manager: EntityManager,
    row: { workspaceId: string; userId: string | null; apiKeyId: string | null; source: ErasureAuditDto['source']; peopleErased: number; emailsSuppressed: number; hubspotRequested: number },
  ): Promise<string> {
    const [inserted] = await manager.query<{ id: string }[]>(
      `INSERT INTO erasure_audit (workspace_id, actor_user_id, actor_api_key_id, source, people_erased, emails_suppressed, hubspot_requested, hubspot_status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [row.workspaceId, row.userId, row.apiKeyId, row.source, row.peopleErased, row.emailsSuppressed, row.hubspotRequested, row.hubspotRequested > 0 ? 'pending' : 'not_requested'],
    );
    return inserted!.id;
  }

  /** How far the audit's HubSpot job got (contacts already answered). */
  async hubspotProgress(workspaceId: string, auditId: string): Promise<number | null> {
    const [row] = await this.dataSource.query<{ hubspot_progress: number }[]>(`SELECT hubspot_progress FROM erasure_audit WHERE workspace_id = $1 AND id = $2`, [workspaceId, auditId]);
    return row?.hubspot_progress ?? null;
  }

  /** One contact answered: moves the progress past it and counts the outcome. */
  async hubspotAnswered(workspaceId: string, auditId: string, index: number, outcome: 'deleted' | 'not_found' | 'failed', reason: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE erasure_audit SET hubspot_progress = $3 + 1,
              hubspot_deleted = hubspot_deleted + ($4 = 'deleted')::int, hubspot_not_found = hubspot_not_found + ($4 = 'not_found')::int,
              hubspot_reason = coalesce($5, hubspot_reason)
        WHERE workspace_id = $1 AND id = $2 AND hubspot_progress = $3`,
      [workspaceId, auditId, index, outcome, reason],
    );
  }

  /** The job ended: done when every contact is deleted or already gone, failed otherwise (with HubSpot's reason). */
  async finishHubspot(workspaceId: string, auditId: string, reason: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE erasure_audit SET hubspot_status = CASE WHEN hubspot_deleted + hubspot_not_found = hubspot_requested THEN 'done' ELSE 'failed' END,
              hubspot_reason = coalesce($3, hubspot_reason), hubspot_finished_at = now()
        WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, auditId, reason],
    );
  }

  async audit(workspaceId: string): Promise<ErasureAuditDto[]> {
    const rows = await this.dataSource.query<
      {
        id: string;
        actor_user_id: string | null;
        actor_name: string | null;
        actor_api_key_id: string | null;
        source: ErasureAuditDto['source'];
        people_erased: number;
        emails_suppressed: number;
        hubspot_requested: number;
        hubspot_deleted: number;
        hubspot_not_found: number;
        hubspot_status: ErasureHubspotStatus;
        hubspot_reason: string | null;
        created_at: Date;
        hubspot_finished_at: Date | null;
      }[]
    >(
      `SELECT a.*, u.name AS actor_name FROM erasure_audit a LEFT JOIN app_user u ON u.id = a.actor_user_id AND u.workspace_id = a.workspace_id
        WHERE a.workspace_id = $1 ORDER BY a.created_at DESC LIMIT 200`,
      [workspaceId],
    );
    return rows.map((r) => ({
      id: r.id,
      actorUserId: r.actor_user_id,
      actorName: r.actor_name,
      actorApiKeyId: r.actor_api_key_id,
      source: r.source,
      peopleErased: r.people_erased,
      emailsSuppressed: r.emails_suppressed,
      hubspotRequested: r.hubspot_requested,
      hubspotDeleted: r.hubspot_deleted,
      hubspotNotFound: r.hubspot_not_found,
      hubspotStatus: r.hubspot_status,
      hubspotReason: r.hubspot_reason,
      createdAt: r.created_at.toISOString(),
      hubspotFinishedAt: r.hubspot_finished_at?.toISOString() ?? null,
    }));
  }
}
