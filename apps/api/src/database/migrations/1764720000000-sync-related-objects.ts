import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 5, the rest of a full backfill: CRM owners (HubSpot owners, Salesforce Users) of a connection, per-run counts
 * of the related objects a backfill imports (deals, owners, lists) and the proposed mapping a mapping dry run
 * previews.
 */
export class SyncRelatedObjects1764720000000 implements MigrationInterface {
  name = 'SyncRelatedObjects1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sync_run" ADD "related_counts" jsonb`);
    await q.query(`ALTER TABLE "sync_run" ADD "mapping" jsonb`);
    await q.query(`
      CREATE TABLE "crm_owner" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "crm_id" text NOT NULL,
        "email" text,
        "first_name" text,
        "last_name" text,
        "active" boolean NOT NULL,
        "user_id" uuid,
        "removed_in_crm_at" TIMESTAMP WITH TIME ZONE,
        "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_crm_owner" PRIMARY KEY ("id"),
        CONSTRAINT "uq_crm_owner_record" UNIQUE ("connection_id", "crm_id"),
        CONSTRAINT "fk_crm_owner_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_owner_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_owner_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX "idx_crm_owner_workspace" ON "crm_owner" ("workspace_id", "connection_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_owner"`);
    await q.query(`ALTER TABLE "sync_run" DROP COLUMN "mapping"`);
    await q.query(`ALTER TABLE "sync_run" DROP COLUMN "related_counts"`);
  }
}
