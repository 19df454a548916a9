import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CRM list syncs:
 * - `sync_run.kind` gets `list`: the imports of a list's new members are their own runs in the sync history
 *   (they were recorded as webhook runs).
 * - `crm_list.refresh_minutes`: how often a dynamic list in use is re-read (was a constant of 15 minutes).
 */
export class ListSyncRuns1764700000000 implements MigrationInterface {
  name = 'ListSyncRuns1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "sync_run" DROP CONSTRAINT "chk_sync_run_kind"`);
    await q.query(`ALTER TABLE "sync_run" ADD CONSTRAINT "chk_sync_run_kind" CHECK ("kind" IN ('backfill', 'incremental', 'webhook', 'remap', 'dry_run', 'list'))`);
    await q.query(`ALTER TABLE "crm_list" ADD COLUMN "refresh_minutes" integer NOT NULL DEFAULT 15`);
    await q.query(`ALTER TABLE "crm_list" ADD CONSTRAINT "chk_crm_list_refresh_minutes" CHECK ("refresh_minutes" BETWEEN 5 AND 10080)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_list" DROP COLUMN "refresh_minutes"`);
    await q.query(`UPDATE "sync_run" SET "kind" = 'webhook' WHERE "kind" = 'list'`);
    await q.query(`ALTER TABLE "sync_run" DROP CONSTRAINT "chk_sync_run_kind"`);
    await q.query(`ALTER TABLE "sync_run" ADD CONSTRAINT "chk_sync_run_kind" CHECK ("kind" IN ('backfill', 'incremental', 'webhook', 'remap', 'dry_run'))`);
  }
}
