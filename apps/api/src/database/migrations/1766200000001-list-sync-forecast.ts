import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A list's membership sync started with a forecast (#17) keeps it, with the sync's job, so the list shows the forecast
 * next to the calls and time that sync took (like sync_run.forecast and export_run.forecast).
 */
export class ListSyncForecast1766200000001 implements MigrationInterface {
  name = 'ListSyncForecast1766200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_list" ADD "sync_forecast" jsonb`);
    await q.query(`ALTER TABLE "crm_list" ADD "sync_forecast_job_id" uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_list" DROP COLUMN "sync_forecast_job_id"`);
    await q.query(`ALTER TABLE "crm_list" DROP COLUMN "sync_forecast"`);
  }
}
