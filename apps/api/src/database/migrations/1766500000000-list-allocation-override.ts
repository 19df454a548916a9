import type { MigrationInterface, QueryRunner } from 'typeorm';

/** "Resume now anyway" for a list sync paused by the daily API budget (#17): until then its calls pass the allocation. */
export class ListAllocationOverride1766500000000 implements MigrationInterface {
  name = 'ListAllocationOverride1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_list" ADD "allocation_override_until" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_list" DROP COLUMN "allocation_override_until"`);
  }
}
