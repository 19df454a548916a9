import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which CRM's authorization failure paused a workflow, so that CRM's integration card shows the alert. */
export class WorkflowPausedCrm1764800000000 implements MigrationInterface {
  name = 'WorkflowPausedCrm1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "workflow" ADD COLUMN "paused_crm" text`);
    await q.query(`ALTER TABLE "workflow" ADD CONSTRAINT "chk_workflow_paused_crm" CHECK ("paused_crm" IN ('hubspot', 'salesforce'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "workflow" DROP COLUMN "paused_crm"`);
  }
}
