import { Injectable } from '@nestjs/common';
import type { CrmObjectType } from '@conduit/crm';
import { DataSource, type EntityManager } from 'typeorm';

/** The SQL of sync_cursor: per connection and CRM object, where the incremental sync continues. */
@Injectable()
export class SyncCursorRepository {
  constructor(private readonly dataSource: DataSource) {}

  async load(workspaceId: string, connectionId: string, object: CrmObjectType): Promise<string | null> {
    const rows = await this.dataSource.query<{ cursor: string }[]>(`SELECT cursor FROM sync_cursor WHERE workspace_id = $1 AND connection_id = $2 AND object = $3`, [
      workspaceId,
      connectionId,
      object,
    ]);
    return rows[0]?.cursor ?? null;
  }

  /** Stores the cursor in the caller's transaction (with the page it follows). */
  async save(tx: EntityManager, workspaceId: string, connectionId: string, object: CrmObjectType, cursor: string): Promise<void> {
    await tx.query(
      `INSERT INTO sync_cursor (connection_id, object, workspace_id, cursor, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (connection_id, object) DO UPDATE SET cursor = excluded.cursor, updated_at = now() WHERE sync_cursor.workspace_id = excluded.workspace_id`,
      [connectionId, object, workspaceId, cursor],
    );
  }
}
