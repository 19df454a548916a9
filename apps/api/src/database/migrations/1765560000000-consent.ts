import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent (#18): per-channel consent state of a person with its provenance, and the outbound engine's consent events
 * with their write-back to each connected CRM.
 * - `person_consent`: one row per person, kind and origin (a CRM record of a connection, or the outbound engine). Kinds:
 *   email_opted_out and email_bounced (channel email), do_not_call (channel phone). CRM rows mirror what the record says
 *   on every import (a fact the record no longer states is deleted); outbound rows stay.
 * - `consent_event`: what the outbound engine reported (unique per workspace and idempotency key).
 * - `consent_delivery`: one row per event and CRM connection: pending → delivered, waiting_for_export (person not in
 *   that CRM yet), failed (after the retries; retried from Needs attention).
 * - `campaign.channel`: which channel a campaign sends on (email by default): its recipients exclude people whose
 *   consent for that channel is withdrawn.
 * Read and written with SQL only (like activities), so no TypeORM entities.
 */
export class Consent1765560000000 implements MigrationInterface {
  name = 'Consent1765560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "person_consent" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "person_id" uuid NOT NULL,
        "channel" text NOT NULL,
        "kind" text NOT NULL,
        "source" text NOT NULL,
        "connection_id" uuid,
        "crm" text,
        "crm_record_id" text,
        "event_id" uuid,
        "reason" text,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_person_consent" PRIMARY KEY ("id"),
        CONSTRAINT "chk_person_consent_channel" CHECK ("channel" IN ('email', 'phone')),
        CONSTRAINT "chk_person_consent_kind" CHECK ("kind" IN ('email_opted_out', 'email_bounced', 'do_not_call')),
        CONSTRAINT "chk_person_consent_source" CHECK ("source" IN ('crm', 'outbound')),
        CONSTRAINT "fk_person_consent_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_person_consent_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_person_consent_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_person_consent" ON "person_consent" ("person_id", "kind", "source", "connection_id", "crm_record_id") NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX "idx_person_consent_crm_record" ON "person_consent" ("connection_id", "crm_record_id") WHERE "source" = 'crm'`);
    await q.query(`CREATE INDEX "idx_person_consent_workspace" ON "person_consent" ("workspace_id", "person_id")`);

    await q.query(`
      CREATE TABLE "consent_event" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "idempotency_key" text NOT NULL,
        "person_id" uuid NOT NULL,
        "type" text NOT NULL,
        "reason" text,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_consent_event" PRIMARY KEY ("id"),
        CONSTRAINT "chk_consent_event_type" CHECK ("type" IN ('unsubscribe', 'hard_bounce', 'spam_complaint')),
        CONSTRAINT "fk_consent_event_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_consent_event_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_consent_event_idempotency" ON "consent_event" ("workspace_id", "idempotency_key")`);
    await q.query(`ALTER TABLE "person_consent" ADD CONSTRAINT "fk_person_consent_event" FOREIGN KEY ("event_id") REFERENCES "consent_event"("id") ON DELETE CASCADE`);

    await q.query(`
      CREATE TABLE "consent_delivery" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "event_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "status" text NOT NULL DEFAULT 'pending',
        "crm_object" text,
        "crm_record_id" text,
        "reason" text,
        "attempts" integer NOT NULL DEFAULT 0,
        "attempted_at" TIMESTAMP WITH TIME ZONE,
        "delivered_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_consent_delivery" PRIMARY KEY ("id"),
        CONSTRAINT "chk_consent_delivery_status" CHECK ("status" IN ('pending', 'delivered', 'waiting_for_export', 'failed')),
        CONSTRAINT "fk_consent_delivery_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_consent_delivery_event" FOREIGN KEY ("event_id") REFERENCES "consent_event"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_consent_delivery_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_consent_delivery" ON "consent_delivery" ("event_id", "connection_id")`);
    await q.query(`CREATE INDEX "idx_consent_delivery_open" ON "consent_delivery" ("connection_id", "status") WHERE "status" IN ('pending', 'waiting_for_export')`);

    await q.query(`ALTER TABLE "campaign" ADD COLUMN "channel" text NOT NULL DEFAULT 'email'`);
    await q.query(`ALTER TABLE "campaign" ADD CONSTRAINT "chk_campaign_channel" CHECK ("channel" IN ('email', 'phone', 'linkedin'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "campaign" DROP COLUMN "channel"`);
    for (const t of ['consent_delivery', 'person_consent', 'consent_event']) await q.query(`DROP TABLE "${t}"`);
  }
}
