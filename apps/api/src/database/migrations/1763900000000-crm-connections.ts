import type { MigrationInterface, QueryRunner } from 'typeorm';

/** CRM connections (encrypted tokens), pending OAuth states, discovered fields with drift, and field mappings. */
export class CrmConnections1763900000000 implements MigrationInterface {
  name = 'CrmConnections1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "crm_connection" (
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "id" uuid NOT NULL,
        "workspace_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "status" text NOT NULL,
        "account_id" text NOT NULL,
        "account_name" text,
        "instance_url" text,
        "scopes" text array NOT NULL DEFAULT '{}',
        "connected_by_user_id" uuid,
        "connected_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "access_token_enc" text,
        "refresh_token_enc" text,
        "token_key_id" text,
        "access_token_expires_at" TIMESTAMP WITH TIME ZONE,
        "last_refreshed_at" TIMESTAMP WITH TIME ZONE,
        "last_error" text,
        "last_discovery_at" TIMESTAMP WITH TIME ZONE,
        "sync_settings" jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT "pk_crm_connection" PRIMARY KEY ("id"),
        CONSTRAINT "chk_crm_connection_crm" CHECK ("crm" IN ('hubspot', 'salesforce')),
        CONSTRAINT "chk_crm_connection_status" CHECK ("status" IN ('connected', 'needs_reconnect')),
        CONSTRAINT "fk_crm_connection_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_connection_connected_by" FOREIGN KEY ("connected_by_user_id") REFERENCES "app_user"("id") ON DELETE SET NULL
      )`);
    // One connection per CRM per workspace.
    await q.query(`CREATE UNIQUE INDEX "uq_crm_connection_workspace_crm" ON "crm_connection" ("workspace_id", "crm")`);

    await q.query(`
      CREATE TABLE "crm_oauth_state" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "state_hash" text NOT NULL,
        "workspace_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "session_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_crm_oauth_state" PRIMARY KEY ("id"),
        CONSTRAINT "fk_crm_oauth_state_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_crm_oauth_state_hash" ON "crm_oauth_state" ("state_hash")`);

    await q.query(`
      CREATE TABLE "crm_field_snapshot" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "connection_id" uuid NOT NULL,
        "object" text NOT NULL,
        "fields" jsonb NOT NULL,
        "discovered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "drift" jsonb,
        "drift_detected_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_crm_field_snapshot" PRIMARY KEY ("id"),
        CONSTRAINT "fk_crm_field_snapshot_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_crm_field_snapshot_object" ON "crm_field_snapshot" ("connection_id", "object")`);

    await q.query(`
      CREATE TABLE "crm_field_mapping" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "connection_id" uuid NOT NULL,
        "object" text NOT NULL,
        "position" integer NOT NULL,
        "conduit_field" text NOT NULL,
        "crm_field" text NOT NULL,
        "import_priority" text NOT NULL,
        "export_behaviour" text NOT NULL,
        "conduit_type" text,
        "crm_type" text,
        CONSTRAINT "pk_crm_field_mapping" PRIMARY KEY ("id"),
        CONSTRAINT "chk_crm_field_mapping_object" CHECK ("object" IN ('contact', 'company', 'activity')),
        CONSTRAINT "chk_crm_field_mapping_import" CHECK ("import_priority" IN ('crm', 'conduit')),
        CONSTRAINT "chk_crm_field_mapping_export" CHECK ("export_behaviour" IN ('fill_if_empty', 'overwrite', 'do_not_export')),
        CONSTRAINT "fk_crm_field_mapping_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_crm_field_mapping_position" ON "crm_field_mapping" ("connection_id", "object", "position")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_field_mapping"`);
    await q.query(`DROP TABLE "crm_field_snapshot"`);
    await q.query(`DROP TABLE "crm_oauth_state"`);
    await q.query(`DROP TABLE "crm_connection"`);
  }
}
