import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure (#18): an erased person leaves only salted hashes behind, so they are never imported or contacted again.
 * - `erasure_key`: one random 32-byte salt per workspace, encrypted at rest with the token vault (AES-256-GCM,
 *   ENCRYPTION_KEY): a database dump alone cannot test guessed emails against the hashes, and hashes of one address
 *   in two workspaces differ.
 * - `erased_identity`: HMAC-SHA256(salt, "email:<normalized email>") and HMAC-SHA256(salt, "record:<crm>:<object>:<id>")
 *   of every erased person; the import, the people API and CSV imports refuse what matches.
 * - `erasure_audit`: who erased how many, when, and how the HubSpot deletion went — never whom
 *   (`hubspot_progress`: contacts of the job already answered, so a retried job resumes after them).
 * Read and written with SQL only (like consent), so no TypeORM entities.
 */
export class Erasure1765620000000 implements MigrationInterface {
  name = 'Erasure1765620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "erasure_key" (
        "workspace_id" uuid NOT NULL,
        "salt_enc" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_erasure_key" PRIMARY KEY ("workspace_id"),
        CONSTRAINT "fk_erasure_key_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE "erased_identity" (
        "workspace_id" uuid NOT NULL,
        "hash" text NOT NULL,
        "erased_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_erased_identity" PRIMARY KEY ("workspace_id", "hash"),
        CONSTRAINT "fk_erased_identity_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE "erasure_audit" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "actor_user_id" uuid,
        "actor_api_key_id" uuid,
        "source" text NOT NULL,
        "people_erased" integer NOT NULL,
        "emails_suppressed" integer NOT NULL,
        "hubspot_requested" integer NOT NULL DEFAULT 0,
        "hubspot_deleted" integer NOT NULL DEFAULT 0,
        "hubspot_not_found" integer NOT NULL DEFAULT 0,
        "hubspot_progress" integer NOT NULL DEFAULT 0,
        "hubspot_status" text NOT NULL DEFAULT 'not_requested',
        "hubspot_reason" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "hubspot_finished_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_erasure_audit" PRIMARY KEY ("id"),
        CONSTRAINT "chk_erasure_audit_source" CHECK ("source" IN ('person', 'emails', 'csv')),
        CONSTRAINT "chk_erasure_audit_hubspot_status" CHECK ("hubspot_status" IN ('not_requested', 'pending', 'done', 'failed')),
        CONSTRAINT "fk_erasure_audit_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_erasure_audit_user" FOREIGN KEY ("actor_user_id") REFERENCES "app_user"("id") ON DELETE SET NULL,
        CONSTRAINT "fk_erasure_audit_api_key" FOREIGN KEY ("actor_api_key_id") REFERENCES "api_key"("id") ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX "idx_erasure_audit_workspace" ON "erasure_audit" ("workspace_id", "created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['erasure_audit', 'erased_identity', 'erasure_key']) await q.query(`DROP TABLE "${t}"`);
  }
}
