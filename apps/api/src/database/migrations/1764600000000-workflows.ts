import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * HubSpot ↔ Salesforce workflows. Read and written with plain SQL by the workflows feature (no entities).
 *
 * - `workflow`: one definition per workspace and kind (config jsonb validated by the API's DTOs).
 * - `workflow_run`: the run log; unique (workflow, trigger_key) makes a trigger delivered twice one run.
 * - `workflow_write`: the origin fingerprint of every value Conduit wrote, so the change event it causes is
 *   recognised and ignored (no ping-pong).
 * - `workflow_link`: which Salesforce record a HubSpot contact was handed to (email changes follow stored ids).
 * - `workflow_cursor`: the Salesforce change cursors the workflows poll on their own.
 */
export class Workflows1764600000000 implements MigrationInterface {
  name = 'Workflows1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "workflow" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "enabled" boolean NOT NULL DEFAULT false,
        "status" text NOT NULL DEFAULT 'active',
        "paused_reason" text,
        "config" jsonb NOT NULL,
        "enabled_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_workflow" PRIMARY KEY ("id"),
        CONSTRAINT "chk_workflow_kind" CHECK ("kind" IN ('mql_handoff', 'stage_lifecycle', 'email_change', 'account_hygiene')),
        CONSTRAINT "chk_workflow_status" CHECK ("status" IN ('active', 'paused')),
        CONSTRAINT "fk_workflow_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_workflow_kind" ON "workflow" ("workspace_id", "kind")`);
    await q.query(`
      CREATE TABLE "workflow_run" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "workflow_id" uuid NOT NULL,
        "trigger_key" text NOT NULL,
        "trigger" jsonb NOT NULL,
        "decision" text,
        "payload" jsonb,
        "action" text,
        "result" text NOT NULL DEFAULT 'pending',
        "reason" text,
        "target_id" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "latency_ms" integer,
        "triggered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "started_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "finished_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_workflow_run" PRIMARY KEY ("id"),
        CONSTRAINT "chk_workflow_run_result" CHECK ("result" IN ('pending', 'success', 'filtered', 'skipped', 'ignored_echo', 'needs_attention', 'failed')),
        CONSTRAINT "fk_workflow_run_workflow" FOREIGN KEY ("workflow_id") REFERENCES "workflow"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_workflow_run_trigger" ON "workflow_run" ("workflow_id", "trigger_key")`);
    await q.query(`CREATE INDEX "idx_workflow_run_log" ON "workflow_run" ("workspace_id", "workflow_id", "created_at" DESC)`);
    await q.query(`CREATE INDEX "idx_workflow_run_record" ON "workflow_run" ("workflow_id", ((trigger->>'recordId')), "started_at")`);
    await q.query(`
      CREATE TABLE "workflow_write" (
        "id" bigserial NOT NULL,
        "workspace_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "object" text NOT NULL,
        "record_id" text NOT NULL,
        "field" text NOT NULL,
        "value" text NOT NULL,
        "run_id" uuid,
        "written_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_workflow_write" PRIMARY KEY ("id"),
        CONSTRAINT "fk_workflow_write_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_workflow_write_lookup" ON "workflow_write" ("workspace_id", "crm", "object", "record_id", "field", "written_at" DESC)`);
    await q.query(`
      CREATE TABLE "workflow_link" (
        "workspace_id" uuid NOT NULL,
        "hubspot_contact_id" text NOT NULL,
        "salesforce_object" text NOT NULL,
        "salesforce_id" text NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_workflow_link" PRIMARY KEY ("workspace_id", "hubspot_contact_id"),
        CONSTRAINT "fk_workflow_link_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_workflow_link_salesforce" ON "workflow_link" ("workspace_id", "salesforce_id")`);
    await q.query(`
      CREATE TABLE "workflow_cursor" (
        "workspace_id" uuid NOT NULL,
        "object" text NOT NULL,
        "cursor" text NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_workflow_cursor" PRIMARY KEY ("workspace_id", "object"),
        CONSTRAINT "fk_workflow_cursor_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['workflow_cursor', 'workflow_link', 'workflow_write', 'workflow_run', 'workflow']) await q.query(`DROP TABLE IF EXISTS "${table}"`);
  }
}
