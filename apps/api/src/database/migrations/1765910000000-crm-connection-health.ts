import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How each connection's CRM has been answering (#21): failing since, failed calls, last answer in words. */
export class CrmConnectionHealth1765910000000 implements MigrationInterface {
  name = 'CrmConnectionHealth1765910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "crm_connection_health" (
        "connection_id" uuid NOT NULL,
        "workspace_id" uuid NOT NULL,
        "failing_since" timestamptz,
        "last_failure_at" timestamptz,
        "last_error" text,
        "failures" integer NOT NULL DEFAULT 0,
        "recovered_at" timestamptz,
        CONSTRAINT "pk_crm_connection_health" PRIMARY KEY ("connection_id"),
        CONSTRAINT "fk_crm_connection_health_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_connection_health_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_connection_health"`);
  }
}
