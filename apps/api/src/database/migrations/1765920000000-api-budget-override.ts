import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Resume now anyway" (#17): an admin resumes a run paused at the daily API allocation; until the next reset the run
 * is not held to the allocation (the CRM's own daily limit still stops it).
 */
export class ApiBudgetOverride1765920000000 implements MigrationInterface {
  name = 'ApiBudgetOverride1765920000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['sync_run', 'export_run']) await q.query(`ALTER TABLE "${table}" ADD "allocation_override_until" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sync_run', 'export_run']) await q.query(`ALTER TABLE "${table}" DROP COLUMN "allocation_override_until"`);
  }
}
