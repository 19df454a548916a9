import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Export runs count their CRM calls and when their job first started (#17), like sync runs: a bulk export's forecast
 * is shown next to the calls and time it really took, and later forecasts take their pace from finished exports.
 */
export class ExportRunApiCalls1766200000000 implements MigrationInterface {
  name = 'ExportRunApiCalls1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "export_run" ADD "api_calls" integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE "export_run" ADD "started_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "export_run" DROP COLUMN "started_at"`);
    await q.query(`ALTER TABLE "export_run" DROP COLUMN "api_calls"`);
  }
}
