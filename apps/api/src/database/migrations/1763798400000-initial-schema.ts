import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Workspaces, users, sessions, API keys, companies, people and the durable job outbox. */
export class InitialSchema1763798400000 implements MigrationInterface {
  name = 'InitialSchema1763798400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE "workspace" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "name" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_workspace" PRIMARY KEY ("id")
      )`);
    await q.query(`
      CREATE TABLE "app_user" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "email" text NOT NULL,
        "role" text NOT NULL,
        "password_hash" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_app_user" PRIMARY KEY ("id"),
        CONSTRAINT "chk_app_user_role" CHECK ("role" IN ('admin', 'member')),
        CONSTRAINT "fk_app_user_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_app_user_workspace" ON "app_user" ("workspace_id")`);
    // Login looks users up by email alone, so emails are unique across workspaces.
    await q.query(`CREATE UNIQUE INDEX "uq_app_user_email" ON "app_user" (lower("email"))`);

    await q.query(`
      CREATE TABLE "session" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "token_hash" text NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_session" PRIMARY KEY ("id"),
        CONSTRAINT "fk_session_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_session_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_30e98e8746699fb9af235410af" ON "session" ("user_id")`);
    await q.query(`CREATE UNIQUE INDEX "IDX_a83507eb0338ac037780e02f2b" ON "session" ("token_hash")`);

    await q.query(`
      CREATE TABLE "api_key" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "prefix" text NOT NULL,
        "key_hash" text NOT NULL,
        "created_by_user_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_api_key" PRIMARY KEY ("id"),
        CONSTRAINT "fk_api_key_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_api_key_created_by" FOREIGN KEY ("created_by_user_id") REFERENCES "app_user"("id") ON DELETE SET NULL
      )`);
    await q.query(`CREATE INDEX "IDX_ecc615827295b4cd316f6088ae" ON "api_key" ("workspace_id")`);
    await q.query(`CREATE UNIQUE INDEX "IDX_3c9751d2a6011ba13e27838105" ON "api_key" ("key_hash")`);

    await q.query(`
      CREATE TABLE "company" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "domain" text,
        "website" text,
        "industry" text,
        "employee_count" integer,
        "city" text,
        "country" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_company" PRIMARY KEY ("id"),
        CONSTRAINT "fk_company_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_company_workspace_name" ON "company" ("workspace_id", lower("name"))`);
    await q.query(`CREATE INDEX "idx_company_workspace_domain" ON "company" ("workspace_id", lower("domain"))`);

    await q.query(`
      CREATE TABLE "person" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "first_name" text,
        "last_name" text,
        "email" text,
        "phone" text,
        "job_title" text,
        "city" text,
        "country" text,
        "linkedin_url" text,
        "company_name" text,
        "company_id" uuid,
        "qualification_reasoning" text,
        "lead_status" text,
        "engagement_state" text NOT NULL DEFAULT 'not_contacted',
        "assigned_user_id" uuid,
        "custom_attributes" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_person" PRIMARY KEY ("id"),
        CONSTRAINT "chk_person_engagement_state"
          CHECK ("engagement_state" IN ('not_contacted', 'contacted', 'replied', 'replied_positive', 'replied_negative')),
        CONSTRAINT "fk_person_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_person_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE SET NULL,
        CONSTRAINT "fk_person_assigned_user" FOREIGN KEY ("assigned_user_id") REFERENCES "app_user"("id") ON DELETE SET NULL
      )`);
    // One person per email in a workspace: imports match on it, CRMs dedupe on it.
    await q.query(`CREATE UNIQUE INDEX "uq_person_workspace_email" ON "person" ("workspace_id", lower("email")) WHERE "email" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_person_workspace_created" ON "person" ("workspace_id", "created_at" DESC)`);
    await q.query(`CREATE INDEX "IDX_0dd3c460a540ec2963881e0912" ON "person" ("company_id")`);
    await q.query(`CREATE INDEX "IDX_9a9ab613413db91ca28bd33978" ON "person" ("assigned_user_id")`);

    await q.query(`
      CREATE TABLE "outbox_job" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid,
        "queue" text NOT NULL,
        "name" text NOT NULL,
        "payload" jsonb NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "attempts" integer NOT NULL DEFAULT '0',
        "max_attempts" integer NOT NULL DEFAULT '5',
        "last_error" text,
        "result" jsonb,
        "run_after" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "started_at" TIMESTAMP WITH TIME ZONE,
        "finished_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_outbox_job" PRIMARY KEY ("id"),
        CONSTRAINT "chk_outbox_job_status" CHECK ("status" IN ('pending', 'running', 'done', 'failed')),
        CONSTRAINT "fk_outbox_job_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "IDX_62f338fc0468f5fee1e0fc9cb5" ON "outbox_job" ("workspace_id")`);
    // The reconciler scans open work only.
    await q.query(`CREATE INDEX "idx_outbox_job_open" ON "outbox_job" ("run_after") WHERE "status" IN ('pending', 'running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outbox_job', 'person', 'company', 'api_key', 'session', 'app_user', 'workspace']) {
      await q.query(`DROP TABLE IF EXISTS "${table}"`);
    }
  }
}
