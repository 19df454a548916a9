import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Salesforce list views as lists (#19): what a crm_list is in the CRM (`list`: a HubSpot list, `campaign`: a
 * Salesforce Campaign, `list_view`: a Salesforce list view) and the person object a list view filters; and a list
 * the CRM still has but no longer lets Conduit read (a list view whose filter uses a field the connected user cannot
 * read) is flagged with Salesforce's reason, keeping its last members, like a deleted one.
 */
export class CrmListViews1765930000000 implements MigrationInterface {
  name = 'CrmListViews1765930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_list" ADD "source" text NOT NULL DEFAULT 'list'`);
    await q.query(`UPDATE "crm_list" SET "source" = 'campaign' WHERE "crm" = 'salesforce'`);
    await q.query(`ALTER TABLE "crm_list" ADD CONSTRAINT "chk_crm_list_source" CHECK ("source" IN ('list', 'campaign', 'list_view'))`);
    await q.query(`ALTER TABLE "crm_list" ADD "crm_object" text`);
    await q.query(`ALTER TABLE "crm_list" ADD CONSTRAINT "chk_crm_list_crm_object" CHECK ("crm_object" IN ('lead', 'contact'))`);
    await q.query(`ALTER TABLE "crm_list" ADD "unreadable_at" timestamptz`);
    await q.query(`ALTER TABLE "crm_list" ADD "unreadable_reason" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_list" DROP COLUMN "unreadable_reason"`);
    await q.query(`ALTER TABLE "crm_list" DROP COLUMN "unreadable_at"`);
    await q.query(`ALTER TABLE "crm_list" DROP CONSTRAINT "chk_crm_list_crm_object"`);
    await q.query(`ALTER TABLE "crm_list" DROP COLUMN "crm_object"`);
    await q.query(`ALTER TABLE "crm_list" DROP CONSTRAINT "chk_crm_list_source"`);
    await q.query(`ALTER TABLE "crm_list" DROP COLUMN "source"`);
  }
}
