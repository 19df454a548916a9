import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two CRMs, one truth (#21):
 * - `crm_field_mapping.value_map`: per connection and row, the CRM option value → Conduit value map of a field with a
 *   fixed vocabulary (lead status, industry); null = Conduit's suggestions from the field's options.
 * - `field_source_rule`: per workspace and Conduit field, which CRM is its source of truth when several are connected
 *   (`hubspot`, `salesforce`, `latest` = most recent change by the CRMs' modification times, `conduit`) and what the
 *   other CRMs may do (`fill_blanks`, `never`). No row = the default (the first connected CRM, others fill blanks).
 * - `field_provenance_set.crm_modified_at`: the CRM record's own modification time when it was imported (what "most
 *   recent change wins" compares), also on the `field_provenance` view.
 * - `unmapped_value`: per CRM record and field, an incoming value the connection's value map does not translate (the
 *   field was left alone); counted per value in the mapping dialog, removed when the record's value maps again.
 * - `crm_written_value`: a fingerprint (SHA-256) of the last value Conduit wrote to each CRM record's field, so reading
 *   it back is not taken as a change (no echo between CRMs). Fingerprints, not values: no personal data.
 */
export class SourceOfTruth1765900000000 implements MigrationInterface {
  name = 'SourceOfTruth1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_field_mapping" ADD "value_map" jsonb`);
    await q.query(`
      CREATE TABLE "field_source_rule" (
        "workspace_id" uuid NOT NULL,
        "object" text NOT NULL,
        "conduit_field" text NOT NULL,
        "source" text NOT NULL,
        "others" text NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_field_source_rule" PRIMARY KEY ("workspace_id", "object", "conduit_field"),
        CONSTRAINT "chk_field_source_rule_object" CHECK ("object" IN ('contact', 'company')),
        CONSTRAINT "chk_field_source_rule_source" CHECK ("source" IN ('hubspot', 'salesforce', 'latest', 'conduit')),
        CONSTRAINT "chk_field_source_rule_others" CHECK ("others" IN ('fill_blanks', 'never')),
        CONSTRAINT "fk_field_source_rule_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`ALTER TABLE "field_provenance_set" ADD "crm_modified_at" TIMESTAMP WITH TIME ZONE`);
    // Same view, one more column at the end (CREATE OR REPLACE keeps the INSTEAD OF trigger).
    await q.query(`
      CREATE OR REPLACE VIEW "field_provenance" AS
      SELECT s."workspace_id", s."entity", s."entity_id", f.key AS "field", s."source", s."connection_id", s."crm_record_id",
             f.value ->> 'crm_field' AS "crm_field", f.value ->> 'rule' AS "rule",
             NULLIF((f.value -> 'previous_value')::jsonb, 'null'::jsonb) AS "previous_value",
             NULLIF((f.value -> 'value')::jsonb, 'null'::jsonb) AS "value",
             s."at", s."seq", s."crm_modified_at"
        FROM "field_provenance_set" s CROSS JOIN LATERAL json_each(s."fields") AS f`);
    await q.query(`
      CREATE TABLE "unmapped_value" (
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "object" text NOT NULL,
        "crm_record_id" text NOT NULL,
        "conduit_field" text NOT NULL,
        "crm_field" text NOT NULL,
        "crm_value" text NOT NULL,
        "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_unmapped_value" PRIMARY KEY ("connection_id", "object", "crm_record_id", "conduit_field"),
        CONSTRAINT "fk_unmapped_value_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_unmapped_value_workspace" ON "unmapped_value" ("workspace_id", "conduit_field")`);
    await q.query(`
      CREATE TABLE "crm_written_value" (
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "object" text NOT NULL,
        "crm_id" text NOT NULL,
        "crm_field" text NOT NULL,
        "fingerprint" text NOT NULL,
        "written_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_crm_written_value" PRIMARY KEY ("connection_id", "object", "crm_id", "crm_field"),
        CONSTRAINT "fk_crm_written_value_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_written_value"`);
    await q.query(`DROP TABLE "unmapped_value"`);
    await q.query(`DROP VIEW "field_provenance"`);
    await q.query(`
      CREATE VIEW "field_provenance" AS
      SELECT s."workspace_id", s."entity", s."entity_id", f.key AS "field", s."source", s."connection_id", s."crm_record_id",
             f.value ->> 'crm_field' AS "crm_field", f.value ->> 'rule' AS "rule",
             NULLIF((f.value -> 'previous_value')::jsonb, 'null'::jsonb) AS "previous_value",
             NULLIF((f.value -> 'value')::jsonb, 'null'::jsonb) AS "value",
             s."at", s."seq"
        FROM "field_provenance_set" s CROSS JOIN LATERAL json_each(s."fields") AS f`);
    await q.query(`CREATE TRIGGER "trg_field_provenance_insert" INSTEAD OF INSERT ON "field_provenance" FOR EACH ROW EXECUTE FUNCTION "field_provenance_insert"()`);
    await q.query(`ALTER TABLE "field_provenance_set" DROP COLUMN "crm_modified_at"`);
    await q.query(`DROP TABLE "field_source_rule"`);
    await q.query(`ALTER TABLE "crm_field_mapping" DROP COLUMN "value_map"`);
  }
}
