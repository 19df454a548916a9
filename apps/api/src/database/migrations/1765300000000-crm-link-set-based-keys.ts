import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * crm_link's person, company and connection foreign keys were checked row by row: one trigger call and one SPI
 * query (`SELECT 1 … FOR KEY SHARE`) per key per inserted link, ≈ 9 µs of the ≈ 13 µs a backfill spends per link.
 * They are replaced by statement-level triggers with transition tables that keep the same guarantees:
 *
 * - Insert/update of a link (`crm_link_check_keys`, AFTER INSERT / AFTER UPDATE … FOR EACH STATEMENT): the distinct
 *   person, company and connection ids of the statement's new rows (for an update, only the rows whose key changed)
 *   are locked FOR KEY SHARE in one statement per table, exactly the lock the per-row check took, so a concurrent
 *   delete of a referenced row waits for this transaction, and this statement waits for a concurrent delete. If
 *   fewer rows were locked than ids named, one is missing: 23503 (foreign_key_violation) naming the old constraint
 *   (`fk_crm_link_person` / `fk_crm_link_company` / `fk_crm_link_connection`), with Postgres' own message and detail.
 *   Like the constraints' checks, this runs at the end of the statement and a null id is not checked.
 * - Delete of a person, company or connection (`crm_link_unlink`, AFTER DELETE … FOR EACH STATEMENT): its links are
 *   deleted in one statement (ON DELETE CASCADE). Cascades reach it too: a workspace delete deletes its connections,
 *   people and companies through their own foreign keys, and each of those statements fires this trigger.
 * - Changing the id of a referenced row is refused as before (NO ACTION; row-level, but it only fires when the id
 *   actually changes, which nothing does), and TRUNCATE … CASCADE of a parent deletes the links that pointed into it.
 *
 * Why no dangling link can remain under READ COMMITTED (a link L to person P inserted by T1 while T2 deletes P):
 * - T1's trigger locked P before T2 reaches P: T2's delete of P waits for T1 to end. T1 commits, T2 deletes P, and
 *   T2's unlink statement runs after that with a fresh snapshot (a plpgsql statement in a volatile function takes
 *   one under READ COMMITTED), in which T1's L is committed, so L is deleted. (If T1 rolls back there is no L.)
 * - T2 deleted P first: T1's lock of P waits for T2. T2 commits: P is gone, the lock skips it, T1 raises 23503 and
 *   rolls back L. T2 rolls back: T1 locks P and goes on.
 * - L is written (uncommitted) before T1's end-of-statement trigger, so T2 may delete P and run its unlink in that
 *   window without seeing L. T1 has not locked P yet, and its trigger's lock then meets the case above: it waits for
 *   T2 and fails when T2 commits. T1 cannot commit L without its trigger having locked a live P.
 * The same holds for a link updated to point at P, and for companies and connections.
 */
export class CrmLinkSetBasedKeys1765300000000 implements MigrationInterface {
  name = 'CrmLinkSetBasedKeys1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "crm_link" DROP CONSTRAINT "fk_crm_link_person"`);
    await q.query(`ALTER TABLE "crm_link" DROP CONSTRAINT "fk_crm_link_company"`);
    await q.query(`ALTER TABLE "crm_link" DROP CONSTRAINT "fk_crm_link_connection"`);

    // Locks the referenced rows (FOR KEY SHARE) and raises 23503 if any is missing. Ids are distinct and non-null.
    // No sequential scans: for a batch's thousands of ids the planner picks one over the whole table (every person of
    // every workspace, per batch); the primary key finds them in time proportional to the batch.
    await q.query(`
      CREATE FUNCTION crm_link_require(persons uuid[], companies uuid[], connections uuid[]) RETURNS void
      LANGUAGE plpgsql SET enable_seqscan = off AS $fn$
      DECLARE
        locked bigint;
        missing uuid;
      BEGIN
        IF cardinality(persons) > 0 THEN
          SELECT count(*) INTO locked FROM (SELECT 1 FROM person p WHERE p.id = ANY(persons) FOR KEY SHARE OF p) s;
          IF locked < cardinality(persons) THEN
            SELECT x INTO missing FROM unnest(persons) x WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = x) LIMIT 1;
            RAISE EXCEPTION 'insert or update on table "crm_link" violates foreign key constraint "fk_crm_link_person"'
              USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_crm_link_person', TABLE = 'crm_link', SCHEMA = current_schema(),
                    DETAIL = format('Key (person_id)=(%s) is not present in table "person".', missing);
          END IF;
        END IF;
        IF cardinality(companies) > 0 THEN
          SELECT count(*) INTO locked FROM (SELECT 1 FROM company c WHERE c.id = ANY(companies) FOR KEY SHARE OF c) s;
          IF locked < cardinality(companies) THEN
            SELECT x INTO missing FROM unnest(companies) x WHERE NOT EXISTS (SELECT 1 FROM company c WHERE c.id = x) LIMIT 1;
            RAISE EXCEPTION 'insert or update on table "crm_link" violates foreign key constraint "fk_crm_link_company"'
              USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_crm_link_company', TABLE = 'crm_link', SCHEMA = current_schema(),
                    DETAIL = format('Key (company_id)=(%s) is not present in table "company".', missing);
          END IF;
        END IF;
        IF cardinality(connections) > 0 THEN
          SELECT count(*) INTO locked FROM (SELECT 1 FROM crm_connection c WHERE c.id = ANY(connections) FOR KEY SHARE OF c) s;
          IF locked < cardinality(connections) THEN
            SELECT x INTO missing FROM unnest(connections) x WHERE NOT EXISTS (SELECT 1 FROM crm_connection c WHERE c.id = x) LIMIT 1;
            RAISE EXCEPTION 'insert or update on table "crm_link" violates foreign key constraint "fk_crm_link_connection"'
              USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_crm_link_connection', TABLE = 'crm_link', SCHEMA = current_schema(),
                    DETAIL = format('Key (connection_id)=(%s) is not present in table "crm_connection".', missing);
          END IF;
        END IF;
      END
      $fn$`);
    await q.query(`
      CREATE FUNCTION crm_link_check_keys() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      DECLARE
        persons uuid[];
        companies uuid[];
        connections uuid[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(DISTINCT n.person_id) FILTER (WHERE n.person_id IS NOT NULL),
                 array_agg(DISTINCT n.company_id) FILTER (WHERE n.company_id IS NOT NULL),
                 array_agg(DISTINCT n.connection_id) FILTER (WHERE n.connection_id IS NOT NULL)
            INTO persons, companies, connections
            FROM new_rows n;
        ELSE
          -- Only keys an update changed are checked (an unchanged key was checked when it was written).
          SELECT array_agg(DISTINCT n.person_id) FILTER (WHERE n.person_id IS NOT NULL AND n.person_id IS DISTINCT FROM o.person_id),
                 array_agg(DISTINCT n.company_id) FILTER (WHERE n.company_id IS NOT NULL AND n.company_id IS DISTINCT FROM o.company_id),
                 array_agg(DISTINCT n.connection_id) FILTER (WHERE n.connection_id IS NOT NULL AND n.connection_id IS DISTINCT FROM o.connection_id)
            INTO persons, companies, connections
            FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id;
        END IF;
        PERFORM crm_link_require(persons, companies, connections);
        RETURN NULL;
      END
      $fn$`);
    await q.query(`
      CREATE TRIGGER "trg_crm_link_keys_insert" AFTER INSERT ON "crm_link"
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_link_check_keys()`);
    await q.query(`
      CREATE TRIGGER "trg_crm_link_keys_update" AFTER UPDATE ON "crm_link"
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_link_check_keys()`);

    // ON DELETE CASCADE: TG_ARGV[0] is the crm_link column that points at the table the rows were deleted from.
    await q.query(`
      CREATE FUNCTION crm_link_unlink() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_ARGV[0] = 'person_id' THEN
          DELETE FROM crm_link WHERE person_id = ANY(ARRAY(SELECT id FROM old_rows));
        ELSIF TG_ARGV[0] = 'company_id' THEN
          DELETE FROM crm_link WHERE company_id = ANY(ARRAY(SELECT id FROM old_rows));
        ELSE
          DELETE FROM crm_link WHERE connection_id = ANY(ARRAY(SELECT id FROM old_rows));
        END IF;
        RETURN NULL;
      END
      $fn$`);
    // ON UPDATE NO ACTION (a referenced id may not change) and TRUNCATE … CASCADE; neither happens in the app.
    await q.query(`
      CREATE FUNCTION crm_link_parent_key_changed() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          EXECUTE format('DELETE FROM crm_link WHERE %I IS NOT NULL', TG_ARGV[0]);
          RETURN NULL;
        END IF;
        IF EXISTS (SELECT 1 FROM crm_link l WHERE (CASE TG_ARGV[0] WHEN 'person_id' THEN l.person_id WHEN 'company_id' THEN l.company_id ELSE l.connection_id END) = OLD.id) THEN
          RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table "crm_link"', TG_TABLE_NAME, TG_ARGV[1]
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[1], TABLE = 'crm_link', SCHEMA = current_schema(),
                  DETAIL = format('Key (id)=(%s) is still referenced from table "crm_link".', OLD.id);
        END IF;
        RETURN NULL;
      END
      $fn$`);
    for (const [table, column, constraint] of [
      ['person', 'person_id', 'fk_crm_link_person'],
      ['company', 'company_id', 'fk_crm_link_company'],
      ['crm_connection', 'connection_id', 'fk_crm_link_connection'],
    ] as const) {
      await q.query(`
        CREATE TRIGGER "trg_${table}_unlink" AFTER DELETE ON "${table}"
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION crm_link_unlink('${column}')`);
      await q.query(`
        CREATE TRIGGER "trg_${table}_link_key" AFTER UPDATE OF "id" ON "${table}"
        FOR EACH ROW WHEN (OLD."id" IS DISTINCT FROM NEW."id") EXECUTE FUNCTION crm_link_parent_key_changed('${column}', '${constraint}')`);
      await q.query(`
        CREATE TRIGGER "trg_${table}_truncate_links" AFTER TRUNCATE ON "${table}"
        FOR EACH STATEMENT EXECUTE FUNCTION crm_link_parent_key_changed('${column}', '${constraint}')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['person', 'company', 'crm_connection']) {
      await q.query(`DROP TRIGGER "trg_${table}_unlink" ON "${table}"`);
      await q.query(`DROP TRIGGER "trg_${table}_link_key" ON "${table}"`);
      await q.query(`DROP TRIGGER "trg_${table}_truncate_links" ON "${table}"`);
    }
    await q.query(`DROP TRIGGER "trg_crm_link_keys_insert" ON "crm_link"`);
    await q.query(`DROP TRIGGER "trg_crm_link_keys_update" ON "crm_link"`);
    await q.query(`DROP FUNCTION crm_link_parent_key_changed()`);
    await q.query(`DROP FUNCTION crm_link_unlink()`);
    await q.query(`DROP FUNCTION crm_link_check_keys()`);
    await q.query(`DROP FUNCTION crm_link_require(uuid[], uuid[], uuid[])`);
    await q.query(
      `ALTER TABLE "crm_link" ADD CONSTRAINT "fk_crm_link_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE`,
    );
    await q.query(`ALTER TABLE "crm_link" ADD CONSTRAINT "fk_crm_link_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE`);
    await q.query(`ALTER TABLE "crm_link" ADD CONSTRAINT "fk_crm_link_company" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE CASCADE`);
  }
}
