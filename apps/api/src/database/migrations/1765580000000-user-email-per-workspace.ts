import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An email is unique within a workspace, not across the instance: refusing a team member because the address has an
 * account in another workspace told that workspace's admin who uses Conduit elsewhere (issue #20, finding 6). Login
 * still looks accounts up by lower(email), hence the plain index beside the unique one.
 */
export class UserEmailPerWorkspace1765580000000 implements MigrationInterface {
  name = 'UserEmailPerWorkspace1765580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "uq_app_user_email"`);
    await q.query(`CREATE UNIQUE INDEX "uq_app_user_workspace_email" ON "app_user" ("workspace_id", lower("email"))`);
    await q.query(`CREATE INDEX "idx_app_user_email" ON "app_user" (lower("email"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_app_user_email"`);
    await q.query(`DROP INDEX "uq_app_user_workspace_email"`);
    await q.query(`CREATE UNIQUE INDEX "uq_app_user_email" ON "app_user" (lower("email"))`);
  }
}
