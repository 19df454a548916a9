import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A connection's account by name (#21): the CRM account's own name (Salesforce: the org's Name; HubSpot: its hub
 * domain) and who connected it, as the CRM names them, so the admin shows 'Acme Corp (alex.morgan@acme.com)' instead of
 * the org id. Salesforce connections made before keep their label ('00D… (username)') until field discovery next reads
 * the org's name; the username is taken from that label here, so the new one keeps it.
 */
export class CrmConnectionOrgName1796615060218 implements MigrationInterface {
  name = 'CrmConnectionOrgName1796615060218';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_connection" ADD "organization_name" text, ADD "crm_username" text`);
    await q.query(
      `UPDATE "crm_connection" SET "crm_username" = substring("account_name" from length("account_id") + 3 for length("account_name") - length("account_id") - 3)
        WHERE "crm" = 'salesforce' AND "account_name" LIKE "account_id" || ' (%)'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_connection" DROP COLUMN "crm_username", DROP COLUMN "organization_name"`);
  }
}
