import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Export to the CRM: per-connection export settings (policy, stamps, owner and status mapping), export runs, Needs attention. */
export class CrmExport1764100000000 implements MigrationInterface {
  name = 'CrmExport1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "crm_export_settings" (
        "connection_id" uuid NOT NULL,
        "workspace_id" uuid NOT NULL,
        "policy" text NOT NULL DEFAULT 'all_contacted',
        "auto_export" boolean NOT NULL DEFAULT true,
        "contact_source" jsonb,
        "external_id_field" text,
        "status_mapping" jsonb,
        "owner_overrides" jsonb NOT NULL DEFAULT '[]',
        "default_owner_id" text,
        "owners_cache" jsonb,
        "owners_fetched_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_crm_export_settings" PRIMARY KEY ("connection_id"),
        CONSTRAINT "chk_crm_export_settings_policy" CHECK ("policy" IN ('all_contacted', 'replied', 'replied_positive')),
        CONSTRAINT "fk_crm_export_settings_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE "export_run" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "trigger" text NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "person_ids" uuid array NOT NULL,
        "processed" integer NOT NULL DEFAULT 0,
        "created" integer NOT NULL DEFAULT 0,
        "updated" integer NOT NULL DEFAULT 0,
        "unchanged" integer NOT NULL DEFAULT 0,
        "needs_attention" integer NOT NULL DEFAULT 0,
        "skipped" integer NOT NULL DEFAULT 0,
        "skipped_reasons" jsonb NOT NULL DEFAULT '{}',
        "error" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "finished_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_export_run" PRIMARY KEY ("id"),
        CONSTRAINT "chk_export_run_status" CHECK ("status" IN ('pending', 'running', 'done', 'failed')),
        CONSTRAINT "chk_export_run_trigger" CHECK ("trigger" IN ('bulk', 'manual', 'auto', 'retry')),
        CONSTRAINT "fk_export_run_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_export_run_workspace_created" ON "export_run" ("workspace_id", "created_at")`);
    await q.query(`
      CREATE TABLE "export_needs_attention" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "person_id" uuid NOT NULL,
        "code" text NOT NULL,
        "reason" text NOT NULL,
        "fields" text array NOT NULL DEFAULT '{}',
        "source" text NOT NULL,
        "attempts" integer NOT NULL DEFAULT 1,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_export_needs_attention" PRIMARY KEY ("id"),
        CONSTRAINT "chk_export_needs_attention_source" CHECK ("source" IN ('preflight', 'crm')),
        CONSTRAINT "fk_export_needs_attention_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_export_needs_attention_person" ON "export_needs_attention" ("connection_id", "person_id")`);
    await q.query(`CREATE INDEX "idx_export_needs_attention_workspace" ON "export_needs_attention" ("workspace_id", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['export_needs_attention', 'export_run', 'crm_export_settings']) await q.query(`DROP TABLE "${table}"`);
  }
}
