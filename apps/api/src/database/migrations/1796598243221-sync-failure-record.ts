import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A failed record in words (#21): its CRM object (for its CRM page and its Conduit link) and the name it carried when read. */
export class SyncFailureRecord1796598243221 implements MigrationInterface {
  name = 'SyncFailureRecord1796598243221';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sync_failure" ADD "object" text, ADD "name" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sync_failure" DROP COLUMN "object", DROP COLUMN "name"`);
  }
}
