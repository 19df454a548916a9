import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CRM-reported usage keeps the highest reading within the span where the CRM's count only grows (#17: HubSpot's
 * day, Salesforce's hour of a rolling day), so an answer arriving late with an older, lower count never replaces it.
 * `window_start` is the start of that span for the stored reading.
 */
export class ApiReportedWindow1766100000000 implements MigrationInterface {
  name = 'ApiReportedWindow1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_api_reported" ADD "window_start" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_api_reported" DROP COLUMN "window_start"`);
  }
}
