import type { MigrationInterface, QueryRunner } from 'typeorm';

const FEATURES = `'backfill', 'incremental', 'export', 'lists', 'activities', 'workflows', 'discovery', 'token_refresh', 'other'`;

/**
 * API budget governance (#17): Conduit's own CRM calls per connection by feature and hour, what the CRM reports for
 * the whole account (daily used / max), the admin's allocation on the connection, and a `paused` state with its
 * reason and resume time on sync runs, export runs and CRM list syncs (the sweep resumes due ones from Postgres, so a
 * pause survives restarts and a Redis flush).
 */
export class ApiBudget1765800000000 implements MigrationInterface {
  name = 'ApiBudget1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "crm_api_usage" (
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "hour" timestamptz NOT NULL,
        "feature" text NOT NULL,
        "calls" integer NOT NULL DEFAULT 0,
        CONSTRAINT "pk_crm_api_usage" PRIMARY KEY ("connection_id", "hour", "feature"),
        CONSTRAINT "chk_crm_api_usage_feature" CHECK ("feature" IN (${FEATURES})),
        CONSTRAINT "chk_crm_api_usage_calls" CHECK ("calls" >= 0),
        CONSTRAINT "fk_crm_api_usage_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_api_usage_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_crm_api_usage_workspace_hour" ON "crm_api_usage" ("workspace_id", "connection_id", "hour")`);
    await q.query(`
      CREATE TABLE "crm_api_reported" (
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "hour" timestamptz NOT NULL,
        "used" integer NOT NULL,
        "max" integer NOT NULL,
        "reported_at" timestamptz NOT NULL,
        "source" text NOT NULL,
        CONSTRAINT "pk_crm_api_reported" PRIMARY KEY ("connection_id", "hour"),
        CONSTRAINT "chk_crm_api_reported_source" CHECK ("source" IN ('headers', 'limits')),
        CONSTRAINT "fk_crm_api_reported_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_api_reported_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_crm_api_reported_workspace_hour" ON "crm_api_reported" ("workspace_id", "connection_id", "hour")`);

    await q.query(`ALTER TABLE "crm_connection" ADD "api_daily_share" smallint NOT NULL DEFAULT 50`);
    await q.query(`ALTER TABLE "crm_connection" ADD "api_window_share" smallint NOT NULL DEFAULT 95`);
    await q.query(`ALTER TABLE "crm_connection" ADD "api_live_reserve_share" smallint NOT NULL DEFAULT 10`);
    await q.query(`ALTER TABLE "crm_connection" ADD "api_account_daily_limit" integer`);
    await q.query(`ALTER TABLE "crm_connection" ADD "api_allocation_updated_at" timestamptz`);
    await q.query(`ALTER TABLE "crm_connection" ADD "account_time_zone" text`);
    await q.query(`ALTER TABLE "crm_connection" ADD CONSTRAINT "chk_crm_connection_api_daily_share" CHECK ("api_daily_share" BETWEEN 1 AND 100)`);
    await q.query(`ALTER TABLE "crm_connection" ADD CONSTRAINT "chk_crm_connection_api_window_share" CHECK ("api_window_share" BETWEEN 1 AND 100)`);
    await q.query(`ALTER TABLE "crm_connection" ADD CONSTRAINT "chk_crm_connection_api_live_reserve_share" CHECK ("api_live_reserve_share" BETWEEN 0 AND 90)`);
    await q.query(`ALTER TABLE "crm_connection" ADD CONSTRAINT "chk_crm_connection_api_account_daily_limit" CHECK ("api_account_daily_limit" IS NULL OR "api_account_daily_limit" > 0)`);

    for (const table of ['sync_run', 'export_run']) {
      await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "chk_${table}_status"`);
      await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "chk_${table}_status" CHECK ("status" IN ('pending', 'running', 'paused', 'done', 'failed'))`);
      await q.query(`ALTER TABLE "${table}" ADD "paused_at" timestamptz`);
      await q.query(`ALTER TABLE "${table}" ADD "paused_reason" text`);
      await q.query(`ALTER TABLE "${table}" ADD "pause_cause" text`);
      await q.query(`ALTER TABLE "${table}" ADD "resumes_at" timestamptz`);
      await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "chk_${table}_pause_cause" CHECK ("pause_cause" IS NULL OR "pause_cause" IN ('daily_allocation', 'crm_daily_limit'))`);
      await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "chk_${table}_paused" CHECK ("status" <> 'paused' OR ("resumes_at" IS NOT NULL AND "paused_reason" IS NOT NULL))`);
      await q.query(`CREATE INDEX "idx_${table}_paused" ON "${table}" ("resumes_at") WHERE "status" = 'paused'`);
    }

    await q.query(`ALTER TABLE "crm_list" DROP CONSTRAINT "chk_crm_list_sync_status"`);
    await q.query(`ALTER TABLE "crm_list" ADD CONSTRAINT "chk_crm_list_sync_status" CHECK ("sync_status" IN ('never', 'pending', 'running', 'paused', 'ok', 'failed'))`);
    await q.query(`ALTER TABLE "crm_list" ADD "paused_at" timestamptz`);
    await q.query(`ALTER TABLE "crm_list" ADD "paused_reason" text`);
    await q.query(`ALTER TABLE "crm_list" ADD "pause_cause" text`);
    await q.query(`ALTER TABLE "crm_list" ADD "resumes_at" timestamptz`);
    await q.query(`ALTER TABLE "crm_list" ADD CONSTRAINT "chk_crm_list_pause_cause" CHECK ("pause_cause" IS NULL OR "pause_cause" IN ('daily_allocation', 'crm_daily_limit'))`);
    await q.query(`CREATE INDEX "idx_crm_list_paused" ON "crm_list" ("resumes_at") WHERE "sync_status" = 'paused'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_crm_list_paused"`);
    await q.query(`UPDATE "crm_list" SET "sync_status" = 'pending' WHERE "sync_status" = 'paused'`);
    for (const c of ['chk_crm_list_pause_cause']) await q.query(`ALTER TABLE "crm_list" DROP CONSTRAINT "${c}"`);
    for (const c of ['resumes_at', 'pause_cause', 'paused_reason', 'paused_at']) await q.query(`ALTER TABLE "crm_list" DROP COLUMN "${c}"`);
    await q.query(`ALTER TABLE "crm_list" DROP CONSTRAINT "chk_crm_list_sync_status"`);
    await q.query(`ALTER TABLE "crm_list" ADD CONSTRAINT "chk_crm_list_sync_status" CHECK ("sync_status" IN ('never', 'pending', 'running', 'ok', 'failed'))`);
    for (const table of ['export_run', 'sync_run']) {
      await q.query(`DROP INDEX "idx_${table}_paused"`);
      await q.query(`UPDATE "${table}" SET "status" = 'pending' WHERE "status" = 'paused'`);
      await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "chk_${table}_paused"`);
      await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "chk_${table}_pause_cause"`);
      for (const c of ['resumes_at', 'pause_cause', 'paused_reason', 'paused_at']) await q.query(`ALTER TABLE "${table}" DROP COLUMN "${c}"`);
      await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "chk_${table}_status"`);
      await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "chk_${table}_status" CHECK ("status" IN ('pending', 'running', 'done', 'failed'))`);
    }
    for (const c of ['api_account_daily_limit', 'api_live_reserve_share', 'api_window_share', 'api_daily_share']) await q.query(`ALTER TABLE "crm_connection" DROP CONSTRAINT "chk_crm_connection_${c}"`);
    for (const c of ['account_time_zone', 'api_allocation_updated_at', 'api_account_daily_limit', 'api_live_reserve_share', 'api_window_share', 'api_daily_share']) {
      await q.query(`ALTER TABLE "crm_connection" DROP COLUMN "${c}"`);
    }
    await q.query(`DROP TABLE "crm_api_reported"`);
    await q.query(`DROP TABLE "crm_api_usage"`);
  }
}
