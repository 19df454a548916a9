import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An export's chunks finished past its checkpoint (#16): with several chunks in flight, a chunk after one still
 * running finishes first; a paused or retried run skips it instead of exporting it again (its counts are in the run).
 */
export class ExportDoneChunks1796610347249 implements MigrationInterface {
  name = 'ExportDoneChunks1796610347249';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "export_run" ADD "done_chunks" integer[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "export_run" DROP COLUMN "done_chunks"`);
  }
}
