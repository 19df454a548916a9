import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * crm_link is written once per imported record, and its foreign keys and indexes were ≈ half of a backfill's Postgres
 * time per contact. Two things go that no query needs:
 * - the foreign key to `workspace`: a link belongs to its connection, whose own foreign key cascades from the
 *   workspace (and the link's one cascades from the connection), so a deleted workspace still takes its links along;
 *   each inserted link no longer pays a trigger and a row lock for it.
 * - the person and company indexes hold only the rows they can find: a link points at a person or at a company (never
 *   both), yet every link had an entry in both indexes, the other one with a null. They are partial now
 *   (`person_id IS NOT NULL` / `company_id IS NOT NULL`) and keyed by the id alone: every read of links by person or
 *   company (exports, activities, workflows, the cascades from person/company deletes) names the id, which implies
 *   the index's condition; none needs workspace_id in the key (the id is unique across workspaces).
 * The unique (connection_id, object, crm_id) index stays (every import lookup and the list/DNC joins use it), as do
 * the primary key, whose new import ids are time-ordered (the import supplies them), and the connection, person and
 * company foreign keys, which cascade.
 */
export class CrmLinkLean1765200000000 implements MigrationInterface {
  name = 'CrmLinkLean1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_link" DROP CONSTRAINT "fk_crm_link_workspace"`);
    await q.query(`DROP INDEX "idx_crm_link_person"`);
    await q.query(`DROP INDEX "idx_crm_link_company"`);
    await q.query(`CREATE INDEX "idx_crm_link_person" ON "crm_link" ("person_id") WHERE "person_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_crm_link_company" ON "crm_link" ("company_id") WHERE "company_id" IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_crm_link_person"`);
    await q.query(`DROP INDEX "idx_crm_link_company"`);
    await q.query(`CREATE INDEX "idx_crm_link_person" ON "crm_link" ("workspace_id", "person_id")`);
    await q.query(`CREATE INDEX "idx_crm_link_company" ON "crm_link" ("workspace_id", "company_id")`);
    await q.query(`DELETE FROM "crm_link" l WHERE NOT EXISTS (SELECT 1 FROM "workspace" w WHERE w."id" = l."workspace_id")`);
    await q.query(
      `ALTER TABLE "crm_link" ADD CONSTRAINT "fk_crm_link_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE`,
    );
  }
}
