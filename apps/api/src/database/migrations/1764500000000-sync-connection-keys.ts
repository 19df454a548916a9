import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sync rows belong to their CRM connection: disconnecting (deleting the connection) removes its links, cursors and runs. */
export class SyncConnectionKeys1764500000000 implements MigrationInterface {
  name = 'SyncConnectionKeys1764500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['crm_link', 'sync_cursor', 'sync_run']) {
      await q.query(`DELETE FROM "${table}" t WHERE NOT EXISTS (SELECT 1 FROM "crm_connection" c WHERE c."id" = t."connection_id")`);
      await q.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "fk_${table}_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['crm_link', 'sync_cursor', 'sync_run']) await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "fk_${table}_connection"`);
  }
}
