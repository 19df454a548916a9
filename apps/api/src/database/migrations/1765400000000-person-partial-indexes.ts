import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * person's company and assigned-user indexes hold only the rows they can find. Every read by either column names a
 * value (`company_id = $1`, `assigned_user_id = $1`, and the ON DELETE SET NULL of their foreign keys), which implies
 * the index's `IS NOT NULL` condition; yet each person without a company or an owner (every imported contact until
 * companies and owners are matched, and most people of a fresh backfill) had a null entry in both, which a backfill
 * wrote row by row. Partial indexes skip those entries.
 */
export class PersonPartialIndexes1765400000000 implements MigrationInterface {
  name = 'PersonPartialIndexes1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_0dd3c460a540ec2963881e0912"`);
    await q.query(`DROP INDEX "IDX_9a9ab613413db91ca28bd33978"`);
    await q.query(`CREATE INDEX "idx_person_company" ON "person" ("company_id") WHERE "company_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_person_assigned_user" ON "person" ("assigned_user_id") WHERE "assigned_user_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_person_company"`);
    await q.query(`DROP INDEX "idx_person_assigned_user"`);
    await q.query(`CREATE INDEX "IDX_0dd3c460a540ec2963881e0912" ON "person" ("company_id")`);
    await q.query(`CREATE INDEX "IDX_9a9ab613413db91ca28bd33978" ON "person" ("assigned_user_id")`);
  }
}
