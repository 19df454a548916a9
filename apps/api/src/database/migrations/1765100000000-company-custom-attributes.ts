import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Company custom attributes (issue 5): like `person.custom_attributes`, a jsonb object of Conduit-defined keys that the
 * Companies tab of a property mapping maps to CRM custom fields (`custom.<key>`), set through the companies API.
 */
export class CompanyCustomAttributes1765100000000 implements MigrationInterface {
  name = 'CompanyCustomAttributes1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "company" ADD "custom_attributes" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "company" DROP COLUMN "custom_attributes"`);
  }
}
