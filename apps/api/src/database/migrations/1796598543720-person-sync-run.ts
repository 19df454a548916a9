import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Sync now" on a person (#21) is its own run kind, `person_sync`, naming the person: it showed as a "Webhook" run.
 * Earlier re-reads stay `webhook` (nothing recorded which they were).
 */
export class PersonSyncRun1796598543720 implements MigrationInterface {
  name = 'PersonSyncRun1796598543720';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sync_run" DROP CONSTRAINT "chk_sync_run_kind"`);
    await q.query(`ALTER TABLE "sync_run" ADD CONSTRAINT "chk_sync_run_kind" CHECK ("kind" IN ('backfill', 'incremental', 'webhook', 'remap', 'dry_run', 'list', 'person_sync'))`);
    // No foreign key: the entity cannot declare one to person (a layer above sync); a deleted person's runs go nameless.
    await q.query(`ALTER TABLE "sync_run" ADD "person_id" uuid`);
    await q.query(`CREATE INDEX "idx_sync_run_person" ON "sync_run" ("person_id") WHERE "person_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_sync_run_person"`);
    await q.query(`ALTER TABLE "sync_run" DROP COLUMN "person_id"`);
    await q.query(`UPDATE "sync_run" SET "kind" = 'webhook' WHERE "kind" = 'person_sync'`);
    await q.query(`ALTER TABLE "sync_run" DROP CONSTRAINT "chk_sync_run_kind"`);
    await q.query(`ALTER TABLE "sync_run" ADD CONSTRAINT "chk_sync_run_kind" CHECK ("kind" IN ('backfill', 'incremental', 'webhook', 'remap', 'dry_run', 'list'))`);
  }
}
