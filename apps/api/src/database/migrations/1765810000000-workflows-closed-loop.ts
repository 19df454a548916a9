import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The closed loop of the HubSpot ↔ Salesforce workflows (#19): Opportunity → HubSpot deal and Account → HubSpot
 * company.
 *
 * - two more workflow kinds;
 * - `workflow_run.summary`: what a run did, in words, for the run log;
 * - `workflow_record_link`: the HubSpot record a workflow wrote for a Salesforce record (Opportunity → deal,
 *   Account → company), so the next change updates the same record instead of creating another.
 */
export class WorkflowsClosedLoop1765810000000 implements MigrationInterface {
  name = 'WorkflowsClosedLoop1765810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "workflow" DROP CONSTRAINT "chk_workflow_kind"`);
    await q.query(
      `ALTER TABLE "workflow" ADD CONSTRAINT "chk_workflow_kind" CHECK ("kind" IN ('mql_handoff', 'stage_lifecycle', 'email_change', 'account_hygiene', 'opportunity_deal', 'account_company'))`,
    );
    await q.query(`ALTER TABLE "workflow_run" ADD "summary" text`);
    await q.query(`
      CREATE TABLE "workflow_record_link" (
        "workspace_id" uuid NOT NULL,
        "salesforce_object" text NOT NULL,
        "salesforce_id" text NOT NULL,
        "hubspot_object" text NOT NULL,
        "hubspot_id" text NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_workflow_record_link" PRIMARY KEY ("workspace_id", "salesforce_object", "salesforce_id"),
        CONSTRAINT "fk_workflow_record_link_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_workflow_record_link_hubspot" ON "workflow_record_link" ("workspace_id", "hubspot_object", "hubspot_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS "workflow_record_link"`);
    await q.query(`ALTER TABLE "workflow_run" DROP COLUMN "summary"`);
    await q.query(`DELETE FROM "workflow" WHERE "kind" IN ('opportunity_deal', 'account_company')`);
    await q.query(`ALTER TABLE "workflow" DROP CONSTRAINT "chk_workflow_kind"`);
    await q.query(`ALTER TABLE "workflow" ADD CONSTRAINT "chk_workflow_kind" CHECK ("kind" IN ('mql_handoff', 'stage_lifecycle', 'email_change', 'account_hygiene'))`);
  }
}
