import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import sync: CRM record links, incremental cursors, sync runs with their failures, field provenance and
 * webhook delivery dedupe. `connection_id` columns carry no foreign key yet: the connections table ships in a
 * parallel migration; links are cleaned up with their workspace.
 */
export class SyncEngine1764000000000 implements MigrationInterface {
  name = 'SyncEngine1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "crm_link" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "object" text NOT NULL,
        "crm_id" text NOT NULL,
        "person_id" uuid,
        "company_id" uuid,
        "archived_at" TIMESTAMP WITH TIME ZONE,
        "last_synced_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_crm_link" PRIMARY KEY ("id"),
        CONSTRAINT "chk_crm_link_target" CHECK (("person_id" IS NOT NULL) <> ("company_id" IS NOT NULL)),
        CONSTRAINT "fk_crm_link_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_link_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_link_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_crm_link_record" ON "crm_link" ("connection_id", "object", "crm_id")`);
    await q.query(`CREATE INDEX "idx_crm_link_person" ON "crm_link" ("workspace_id", "person_id")`);
    await q.query(`CREATE INDEX "idx_crm_link_company" ON "crm_link" ("workspace_id", "company_id")`);

    await q.query(`
      CREATE TABLE "sync_cursor" (
        "connection_id" uuid NOT NULL,
        "object" text NOT NULL,
        "workspace_id" uuid NOT NULL,
        "cursor" text NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_sync_cursor" PRIMARY KEY ("connection_id", "object")
      )`);

    await q.query(`
      CREATE TABLE "sync_run" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "kind" text NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "objects" text array NOT NULL,
        "progress" jsonb,
        "started_at" TIMESTAMP WITH TIME ZONE,
        "finished_at" TIMESTAMP WITH TIME ZONE,
        "created" integer NOT NULL DEFAULT 0,
        "updated" integer NOT NULL DEFAULT 0,
        "unchanged" integer NOT NULL DEFAULT 0,
        "failed" integer NOT NULL DEFAULT 0,
        "archived" integer NOT NULL DEFAULT 0,
        "total_estimate" integer,
        "api_calls" integer NOT NULL DEFAULT 0,
        "sample" jsonb,
        "error" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sync_run" PRIMARY KEY ("id"),
        CONSTRAINT "chk_sync_run_kind" CHECK ("kind" IN ('backfill', 'incremental', 'webhook', 'remap', 'dry_run')),
        CONSTRAINT "chk_sync_run_status" CHECK ("status" IN ('pending', 'running', 'done', 'failed')),
        CONSTRAINT "fk_sync_run_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_sync_run_workspace_created" ON "sync_run" ("workspace_id", "created_at")`);
    await q.query(`CREATE INDEX "idx_sync_run_connection" ON "sync_run" ("connection_id", "kind", "status")`);

    await q.query(`
      CREATE TABLE "sync_failure" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "run_id" uuid NOT NULL,
        "crm_id" text NOT NULL,
        "reason" text NOT NULL,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sync_failure" PRIMARY KEY ("id"),
        CONSTRAINT "fk_sync_failure_run" FOREIGN KEY ("run_id") REFERENCES "sync_run"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_sync_failure_run" ON "sync_failure" ("run_id")`);

    await q.query(`
      CREATE TABLE "field_provenance" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "entity" text NOT NULL,
        "entity_id" uuid NOT NULL,
        "field" text NOT NULL,
        "source" text NOT NULL,
        "connection_id" uuid,
        "crm_record_id" text,
        "crm_field" text,
        "rule" text NOT NULL,
        "previous_value" jsonb,
        "value" jsonb,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "pk_field_provenance" PRIMARY KEY ("id"),
        CONSTRAINT "chk_field_provenance_entity" CHECK ("entity" IN ('person', 'company')),
        CONSTRAINT "chk_field_provenance_source" CHECK ("source" IN ('crm', 'conduit'))
      )`);
    await q.query(`CREATE INDEX "idx_field_provenance_entity" ON "field_provenance" ("workspace_id", "entity", "entity_id", "field", "at")`);

    await q.query(`
      CREATE TABLE "sync_webhook_event" (
        "event_key" text NOT NULL,
        "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sync_webhook_event" PRIMARY KEY ("event_key")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sync_webhook_event', 'field_provenance', 'sync_failure', 'sync_run', 'sync_cursor', 'crm_link']) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
