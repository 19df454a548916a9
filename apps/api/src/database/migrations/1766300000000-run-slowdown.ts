import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How much 429s and retries slowed each sync and export run (#21): throttled calls, retries, time waiting on retries and on the rate budget. */
export class RunSlowdown1766300000000 implements MigrationInterface {
  name = 'RunSlowdown1766300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['sync_run', 'export_run']) {
      await q.query(
        `ALTER TABLE "${table}" ADD "throttled_calls" integer NOT NULL DEFAULT 0, ADD "retried_calls" integer NOT NULL DEFAULT 0,
           ADD "retry_wait_ms" integer NOT NULL DEFAULT 0, ADD "rate_wait_ms" integer NOT NULL DEFAULT 0`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['export_run', 'sync_run']) {
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "rate_wait_ms", DROP COLUMN "retry_wait_ms", DROP COLUMN "retried_calls", DROP COLUMN "throttled_calls"`);
    }
  }
}
