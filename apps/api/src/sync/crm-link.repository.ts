import { Injectable } from '@nestjs/common';
import type { CrmObjectType } from '@conduit/crm';
import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { copyIn } from '../common/pg-copy.js';

/** Which column of crm_link points at the Conduit record. */
export type LinkColumn = 'person_id' | 'company_id';

/** Where a statement's links live: one connection's records of one CRM object, in one workspace. */
export interface LinkScope {
  workspaceId: string;
  connectionId: string;
  object: CrmObjectType;
}

/**
 * The SQL of crm_link as the import engine writes it: set-based, one statement per batch (COPY for new links,
 * one jsonb recordset for known ones). Every statement names the workspace; a link's person/company must exist
 * (the set-based key triggers raise 23503 otherwise, see CrmLinkSetBasedKeys1765300000000).
 */
@Injectable()
export class CrmLinkRepository {
  /** The Conduit record each of `crmIds` is linked to (archived links too: a re-appearing record revives its link). */
  linked(manager: EntityManager, scope: LinkScope, column: LinkColumn, crmIds: readonly string[]): Promise<{ crm_id: string; entity_id: string }[]> {
    return manager.query<{ crm_id: string; entity_id: string }[]>(
      `SELECT crm_id, ${column} AS entity_id FROM crm_link WHERE workspace_id = $1 AND connection_id = $2 AND object = $3 AND crm_id = ANY($4::text[])`,
      [scope.workspaceId, scope.connectionId, scope.object, crmIds],
    );
  }

  /** The Conduit company of each live company link among `crmIds`. */
  liveCompanies(manager: EntityManager, workspaceId: string, connectionId: string, crmIds: readonly string[]): Promise<{ crm_id: string; company_id: string }[]> {
    return manager.query<{ crm_id: string; company_id: string }[]>(
      `SELECT crm_id, company_id FROM crm_link WHERE workspace_id = $1 AND connection_id = $2 AND object = 'company' AND crm_id = ANY($3::text[]) AND archived_at IS NULL`,
      [workspaceId, connectionId, crmIds],
    );
  }

  /**
   * New links as prepared COPY text lines (id, workspace_id, connection_id, crm, object, crm_id, the link column,
   * last_synced_at), on the transaction's connection.
   */
  async copyNew(client: PoolClient, column: LinkColumn, lines: readonly Buffer[]): Promise<void> {
    try {
      await copyIn(client, `COPY crm_link (id, workspace_id, connection_id, crm, object, crm_id, ${column}, last_synced_at) FROM STDIN`, lines);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Error('Concurrent import linked some of these CRM records; retrying the page', { cause: err });
      throw err;
    }
  }

  /** Known links pointed at their (possibly new) record, revived and stamped. */
  async relink(manager: EntityManager, scope: LinkScope, column: LinkColumn, at: Date, links: readonly { crm_id: string; entity_id: string }[]): Promise<void> {
    await manager.query(
      `UPDATE crm_link SET ${column} = v.entity_id, archived_at = NULL, last_synced_at = $4
         FROM jsonb_to_recordset($5::jsonb) AS v(crm_id text, entity_id uuid)
        WHERE crm_link.workspace_id = $1 AND crm_link.connection_id = $2 AND crm_link.object = $3 AND crm_link.crm_id = v.crm_id`,
      [scope.workspaceId, scope.connectionId, scope.object, at, JSON.stringify(links)],
    );
  }

  /** Links of records deleted or archived in the CRM: kept, marked archived (the first time) and stamped. */
  async archive(manager: EntityManager, scope: LinkScope, at: Date, crmIds: readonly string[]): Promise<void> {
    await manager.query(
      `UPDATE crm_link SET archived_at = COALESCE(archived_at, $5), last_synced_at = $5
        WHERE workspace_id = $1 AND connection_id = $2 AND object = $3 AND crm_id = ANY($4::text[])`,
      [scope.workspaceId, scope.connectionId, scope.object, crmIds, at],
    );
  }
}
