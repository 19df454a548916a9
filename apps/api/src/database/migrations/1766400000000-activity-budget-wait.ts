import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live work held by the daily API budget (#17), in Postgres so a wait survives worker restarts and a Redis flush:
 * - a connection's activity deliveries wait (they stay pending) until `retry_at` on the budget clock, when the budget
 *   sweep starts their delivery again (one row per connection);
 * - a workflow run stays pending with its reason until `wait_until`, when the sweep enqueues it again.
 */
export class ActivityBudgetWait1766400000000 implements MigrationInterface {
  name = 'ActivityBudgetWait1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "activity_budget_wait" (
         "connection_id" uuid PRIMARY KEY REFERENCES "crm_connection"("id") ON DELETE CASCADE,
         "workspace_id" uuid NOT NULL,
         "cause" text NOT NULL,
         "reason" text NOT NULL,
         "retry_at" timestamptz NOT NULL,
         "since" timestamptz NOT NULL DEFAULT now())`,
    );
    await q.query(`CREATE INDEX "activity_budget_wait_retry_at" ON "activity_budget_wait" ("retry_at")`);
    await q.query(`ALTER TABLE "workflow_run" ADD "wait_until" timestamptz`);
    await q.query(`CREATE INDEX "workflow_run_wait_until" ON "workflow_run" ("wait_until") WHERE "wait_until" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "workflow_run" DROP COLUMN "wait_until"`);
    await q.query(`DROP TABLE "activity_budget_wait"`);
  }
}
