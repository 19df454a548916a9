import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Salesforce export settings choose the object people are written to (#19): Leads (as before) or Contacts under an
 * Account, and what happens when a person already exists as an unconverted Lead with the same email.
 */
export class SalesforceExportObject1765719000000 implements MigrationInterface {
  name = 'SalesforceExportObject1765719000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_export_settings" ADD "salesforce_object" text NOT NULL DEFAULT 'lead'`);
    await q.query(`ALTER TABLE "crm_export_settings" ADD "when_lead_exists" text NOT NULL DEFAULT 'update_lead'`);
    await q.query(`ALTER TABLE "crm_export_settings" ADD CONSTRAINT "chk_crm_export_settings_salesforce_object" CHECK ("salesforce_object" IN ('lead', 'contact'))`);
    await q.query(`ALTER TABLE "crm_export_settings" ADD CONSTRAINT "chk_crm_export_settings_when_lead_exists" CHECK ("when_lead_exists" IN ('update_lead', 'create_contact'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_export_settings" DROP CONSTRAINT "chk_crm_export_settings_when_lead_exists"`);
    await q.query(`ALTER TABLE "crm_export_settings" DROP CONSTRAINT "chk_crm_export_settings_salesforce_object"`);
    await q.query(`ALTER TABLE "crm_export_settings" DROP COLUMN "when_lead_exists"`);
    await q.query(`ALTER TABLE "crm_export_settings" DROP COLUMN "salesforce_object"`);
  }
}
