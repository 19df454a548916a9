import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Activity logging to CRM timelines: `activity` (what the outbound engine reported, unique per workspace and
 * idempotency key), `activity_delivery` (one row per activity and CRM connection: status, the CRM id once logged,
 * when a create was last attempted — a delivery with an attempt and no CRM id is checked in the CRM before it is
 * created again) and `activity_settings` (the Activity tab, per connection).
 *
 * Read and written with SQL only (set-based claims with SKIP LOCKED), so no TypeORM entities and nothing to drift.
 */
export class Activities1764300000000 implements MigrationInterface {
  name = 'Activities1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "activity" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "idempotency_key" text NOT NULL,
        "type" text NOT NULL,
        "person_id" uuid NOT NULL,
        "performer_user_id" uuid,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "details" jsonb NOT NULL DEFAULT '{}',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_activity" PRIMARY KEY ("id"),
        CONSTRAINT "fk_activity_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_activity_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_activity_performer" FOREIGN KEY ("performer_user_id") REFERENCES "app_user"("id") ON DELETE SET NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_activity_idempotency" ON "activity" ("workspace_id", "idempotency_key")`);
    await q.query(`CREATE INDEX "idx_activity_person" ON "activity" ("workspace_id", "person_id", "occurred_at")`);
    await q.query(`CREATE INDEX "idx_activity_created" ON "activity" ("workspace_id", "created_at")`);
    await q.query(`
      CREATE TABLE "activity_delivery" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "activity_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "status" text NOT NULL,
        "crm_id" text,
        "crm_object" text,
        "reason" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "attempted_at" TIMESTAMP WITH TIME ZONE,
        "logged_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_activity_delivery" PRIMARY KEY ("id"),
        CONSTRAINT "chk_activity_delivery_status" CHECK ("status" IN ('pending', 'logged', 'waiting_for_export', 'not_synced_type_off', 'failed')),
        CONSTRAINT "fk_activity_delivery_activity" FOREIGN KEY ("activity_id") REFERENCES "activity"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_activity_delivery_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_activity_delivery" ON "activity_delivery" ("activity_id", "connection_id")`);
    await q.query(`CREATE INDEX "idx_activity_delivery_open" ON "activity_delivery" ("connection_id", "status") WHERE "status" IN ('pending', 'waiting_for_export')`);
    // A CRM object is one delivery's at most: the create-check never adopts another delivery's engagement.
    await q.query(`CREATE UNIQUE INDEX "uq_activity_delivery_crm_id" ON "activity_delivery" ("connection_id", "crm_id") WHERE "crm_id" IS NOT NULL`);
    await q.query(`
      CREATE TABLE "activity_settings" (
        "connection_id" uuid NOT NULL,
        "workspace_id" uuid NOT NULL,
        "types" jsonb NOT NULL DEFAULT '{}',
        "label" text NOT NULL DEFAULT '[Conduit]',
        "associate_company" boolean NOT NULL DEFAULT true,
        "associate_deal" boolean NOT NULL DEFAULT false,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_activity_settings" PRIMARY KEY ("connection_id"),
        CONSTRAINT "fk_activity_settings_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['activity_settings', 'activity_delivery', 'activity']) await q.query(`DROP TABLE "${t}"`);
  }
}
