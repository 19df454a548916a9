import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Forecasts of bulk work (#17): what the admin was shown before starting a backfill, remap, bulk export or list sync,
 * and the forecast each run was started with, kept on the run to compare with what it took.
 */
export class ApiForecasts1765990000000 implements MigrationInterface {
  name = 'ApiForecasts1765990000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "api_forecast" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "figures" jsonb NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_api_forecast" PRIMARY KEY ("id"),
        CONSTRAINT "chk_api_forecast_kind" CHECK ("kind" IN ('backfill', 'remap', 'bulk-export', 'list-sync')),
        CONSTRAINT "fk_api_forecast_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_api_forecast_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_api_forecast_connection" ON "api_forecast" ("workspace_id", "connection_id", "created_at")`);
    await q.query(`ALTER TABLE "sync_run" ADD "forecast" jsonb`);
    await q.query(`ALTER TABLE "export_run" ADD "forecast" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "export_run" DROP COLUMN "forecast"`);
    await q.query(`ALTER TABLE "sync_run" DROP COLUMN "forecast"`);
    await q.query(`DROP TABLE "api_forecast"`);
  }
}
