import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Advanced statuses (issue 6, "Show advanced statuses"): `person.engagement_details` holds, per parent engagement
 * state, the highest-ranked advanced status the person's activities reached — e.g.
 * `{ "contacted": "linkedin_connected", "replied_positive": "meeting_booked" }` (see @conduit/mapping
 * status-advanced.ts). The person's current advanced status is the entry under their current engagement state, so an
 * export reads it with the person (no per-person activity query) and a meeting logged before the positive reply is
 * not lost. Written by the activity intake.
 *
 * Existing activities are folded in once here, with the list, parents and ranks as they are at this migration.
 */
export class EngagementDetails1765000000000 implements MigrationInterface {
  name = 'EngagementDetails1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "person" ADD "engagement_details" jsonb NOT NULL DEFAULT '{}'`);
    await q.query(`
      WITH a AS (
        SELECT person_id,
               CASE type
                 WHEN 'email_sent' THEN 'email_sent'
                 WHEN 'linkedin_connection_request' THEN CASE WHEN details->>'state' = 'accepted' THEN 'linkedin_connected' ELSE 'linkedin_connection_requested' END
                 WHEN 'linkedin_message' THEN CASE WHEN details->>'direction' IN ('incoming', 'received', 'inbound') THEN NULL ELSE 'linkedin_message_sent' END
                 WHEN 'call' THEN 'called'
                 WHEN 'meeting' THEN CASE WHEN details->>'outcome' IN ('canceled', 'no_show') THEN NULL WHEN details->>'outcome' = 'completed' THEN 'meeting_held' ELSE 'meeting_booked' END
               END AS status
          FROM activity
      ),
      r (status, parent, rank) AS (
        VALUES ('email_sent', 'contacted', 0), ('linkedin_connection_requested', 'contacted', 1), ('linkedin_message_sent', 'contacted', 2),
               ('called', 'contacted', 3), ('linkedin_connected', 'contacted', 4), ('meeting_booked', 'replied_positive', 5), ('meeting_held', 'replied_positive', 6)
      ),
      best AS (
        SELECT DISTINCT ON (a.person_id, r.parent) a.person_id, r.parent, r.status FROM a JOIN r USING (status) ORDER BY a.person_id, r.parent, r.rank DESC
      )
      UPDATE person p SET engagement_details = x.details
        FROM (SELECT person_id, jsonb_object_agg(parent, status) AS details FROM best GROUP BY person_id) x
       WHERE p.id = x.person_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "person" DROP COLUMN "engagement_details"`);
  }
}
