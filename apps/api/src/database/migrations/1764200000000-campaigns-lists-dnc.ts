import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaign audiences from CRM lists, suppression lists, deals and do-not-contact.
 *
 * These tables are read and written with set-based SQL only (membership replacement through a staging table,
 * recipients as one CTE query), so they have no TypeORM entities: the schema builder leaves tables it does not
 * know alone, and nothing can drift. `person_dnc_reason` is a view so DNC follows deals, settings and domains
 * without a recompute step.
 */
export class CampaignsListsDnc1764200000000 implements MigrationInterface {
  name = 'CampaignsListsDnc1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "crm_list" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "crm_list_id" text NOT NULL,
        "name" text NOT NULL,
        "kind" text NOT NULL,
        "size" integer,
        "crm_updated_at" TIMESTAMP WITH TIME ZONE,
        "member_count" integer NOT NULL DEFAULT 0,
        "sync_status" text NOT NULL DEFAULT 'never',
        "last_error" text,
        "last_synced_at" TIMESTAMP WITH TIME ZONE,
        "deleted_in_crm_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_crm_list" PRIMARY KEY ("id"),
        CONSTRAINT "chk_crm_list_kind" CHECK ("kind" IN ('static', 'dynamic')),
        CONSTRAINT "chk_crm_list_sync_status" CHECK ("sync_status" IN ('never', 'pending', 'running', 'ok', 'failed')),
        CONSTRAINT "fk_crm_list_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_list_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_crm_list_crm_id" ON "crm_list" ("connection_id", "crm_list_id")`);
    await q.query(`CREATE INDEX "idx_crm_list_workspace" ON "crm_list" ("workspace_id", "name")`);

    // Set semantics: one row per (list, person); departed members are deleted, the person stays.
    await q.query(`
      CREATE TABLE "crm_list_member" (
        "list_id" uuid NOT NULL,
        "person_id" uuid NOT NULL,
        "workspace_id" uuid NOT NULL,
        "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_crm_list_member" PRIMARY KEY ("list_id", "person_id"),
        CONSTRAINT "fk_crm_list_member_list" FOREIGN KEY ("list_id") REFERENCES "crm_list"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_crm_list_member_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_crm_list_member_person" ON "crm_list_member" ("workspace_id", "person_id")`);

    await q.query(`
      CREATE TABLE "campaign" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "name" text NOT NULL,
        "status" text NOT NULL DEFAULT 'draft',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_campaign" PRIMARY KEY ("id"),
        CONSTRAINT "chk_campaign_status" CHECK ("status" IN ('draft', 'active', 'paused')),
        CONSTRAINT "fk_campaign_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_campaign_workspace" ON "campaign" ("workspace_id", "created_at")`);

    // An audience is a CRM list or one hand-picked person.
    await q.query(`
      CREATE TABLE "campaign_audience" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "campaign_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "list_id" uuid,
        "person_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_campaign_audience" PRIMARY KEY ("id"),
        CONSTRAINT "chk_campaign_audience_kind" CHECK (("kind" = 'crm_list' AND "list_id" IS NOT NULL AND "person_id" IS NULL) OR ("kind" = 'people' AND "person_id" IS NOT NULL AND "list_id" IS NULL)),
        CONSTRAINT "fk_campaign_audience_campaign" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_campaign_audience_list" FOREIGN KEY ("list_id") REFERENCES "crm_list"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_campaign_audience_person" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_campaign_audience_list" ON "campaign_audience" ("campaign_id", "list_id") WHERE "list_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_campaign_audience_person" ON "campaign_audience" ("campaign_id", "person_id") WHERE "person_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "idx_campaign_audience_list" ON "campaign_audience" ("list_id")`);

    // campaign_id NULL = workspace-wide: applies to every campaign.
    await q.query(`
      CREATE TABLE "campaign_suppression" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "campaign_id" uuid,
        "list_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_campaign_suppression" PRIMARY KEY ("id"),
        CONSTRAINT "fk_campaign_suppression_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_campaign_suppression_campaign" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_campaign_suppression_list" FOREIGN KEY ("list_id") REFERENCES "crm_list"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_campaign_suppression_campaign" ON "campaign_suppression" ("campaign_id", "list_id") WHERE "campaign_id" IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_campaign_suppression_workspace" ON "campaign_suppression" ("workspace_id", "list_id") WHERE "campaign_id" IS NULL`);

    await q.query(`
      CREATE TABLE "deal" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workspace_id" uuid NOT NULL,
        "connection_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "crm_id" text NOT NULL,
        "name" text,
        "stage" text,
        "amount" numeric,
        "close_date" date,
        "is_closed" boolean NOT NULL DEFAULT false,
        "is_won" boolean NOT NULL DEFAULT false,
        "company_crm_id" text,
        "crm_updated_at" TIMESTAMP WITH TIME ZONE,
        "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_deal" PRIMARY KEY ("id"),
        CONSTRAINT "fk_deal_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_deal_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_deal_crm_id" ON "deal" ("connection_id", "crm_id")`);
    await q.query(`CREATE INDEX "idx_deal_company" ON "deal" ("connection_id", "company_crm_id")`);

    // The deal's people as CRM ids: resolved through crm_link at read time, so a person imported after the deal
    // still gets its DNC flag.
    await q.query(`
      CREATE TABLE "deal_contact" (
        "deal_id" uuid NOT NULL,
        "object" text NOT NULL,
        "crm_id" text NOT NULL,
        CONSTRAINT "pk_deal_contact" PRIMARY KEY ("deal_id", "object", "crm_id"),
        CONSTRAINT "fk_deal_contact_deal" FOREIGN KEY ("deal_id") REFERENCES "deal"("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX "idx_deal_contact_crm" ON "deal_contact" ("object", "crm_id")`);

    // HubSpot company lifecyclestage / Salesforce Account Type, for the "customer company" rule.
    await q.query(`
      CREATE TABLE "crm_company_status" (
        "connection_id" uuid NOT NULL,
        "crm_id" text NOT NULL,
        "workspace_id" uuid NOT NULL,
        "crm" text NOT NULL,
        "value" text,
        "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_crm_company_status" PRIMARY KEY ("connection_id", "crm_id"),
        CONSTRAINT "fk_crm_company_status_connection" FOREIGN KEY ("connection_id") REFERENCES "crm_connection"("id") ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE "dnc_settings" (
        "workspace_id" uuid NOT NULL,
        "open_deals" boolean NOT NULL DEFAULT true,
        "open_deal_stages" text array NOT NULL DEFAULT '{}',
        "closed_won_customers" boolean NOT NULL DEFAULT true,
        "hubspot_customer_stages" text array NOT NULL DEFAULT '{customer}',
        "salesforce_customer_types" text array NOT NULL DEFAULT '{Customer}',
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_dnc_settings" PRIMARY KEY ("workspace_id"),
        CONSTRAINT "fk_dnc_settings_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE "dnc_domain" (
        "workspace_id" uuid NOT NULL,
        "domain" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_dnc_domain" PRIMARY KEY ("workspace_id", "domain"),
        CONSTRAINT "chk_dnc_domain_lower" CHECK ("domain" = lower("domain")),
        CONSTRAINT "fk_dnc_domain_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE
      )`);

    // Every reason a person must not be contacted. Settings rows are optional (defaults when absent).
    await q.query(`
      CREATE VIEW "person_dnc_reason" AS
      WITH s AS (
        SELECT w.id AS workspace_id,
               COALESCE(ds.open_deals, true) AS open_deals,
               COALESCE(ds.open_deal_stages, '{}') AS open_deal_stages,
               COALESCE(ds.closed_won_customers, true) AS closed_won_customers,
               COALESCE(ds.hubspot_customer_stages, '{customer}') AS hubspot_customer_stages,
               COALESCE(ds.salesforce_customer_types, '{Customer}') AS salesforce_customer_types
          FROM workspace w LEFT JOIN dnc_settings ds ON ds.workspace_id = w.id
      )
      SELECT l.workspace_id, l.person_id, 'open_deal'::text AS reason, d.id AS deal_id, d.name AS detail
        FROM deal d
        JOIN s ON s.workspace_id = d.workspace_id
        JOIN deal_contact dc ON dc.deal_id = d.id
        JOIN crm_link l ON l.connection_id = d.connection_id AND l.object = dc.object AND l.crm_id = dc.crm_id
                       AND l.workspace_id = d.workspace_id AND l.person_id IS NOT NULL AND l.archived_at IS NULL
       WHERE NOT d.is_closed AND s.open_deals AND (cardinality(s.open_deal_stages) = 0 OR d.stage = ANY(s.open_deal_stages))
      UNION ALL
      SELECT p.workspace_id, p.id, 'customer', d.id, d.name
        FROM deal d
        JOIN s ON s.workspace_id = d.workspace_id
        JOIN crm_link cl ON cl.connection_id = d.connection_id AND cl.object = 'company' AND cl.crm_id = d.company_crm_id
                        AND cl.workspace_id = d.workspace_id AND cl.archived_at IS NULL
        JOIN person p ON p.company_id = cl.company_id AND p.workspace_id = d.workspace_id
       WHERE d.is_won AND s.closed_won_customers
      UNION ALL
      SELECT p.workspace_id, p.id, 'customer', NULL::uuid, cs.value
        FROM crm_company_status cs
        JOIN s ON s.workspace_id = cs.workspace_id
        JOIN crm_link cl ON cl.connection_id = cs.connection_id AND cl.object = 'company' AND cl.crm_id = cs.crm_id
                        AND cl.workspace_id = cs.workspace_id AND cl.archived_at IS NULL
        JOIN person p ON p.company_id = cl.company_id AND p.workspace_id = cs.workspace_id
       WHERE (cs.crm = 'hubspot' AND cs.value = ANY(s.hubspot_customer_stages))
          OR (cs.crm = 'salesforce' AND cs.value = ANY(s.salesforce_customer_types))
      UNION ALL
      SELECT p.workspace_id, p.id, 'domain', NULL::uuid, dd.domain
        FROM dnc_domain dd
        JOIN person p ON p.workspace_id = dd.workspace_id AND lower(split_part(p.email, '@', 2)) = dd.domain`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW "person_dnc_reason"`);
    for (const t of ['dnc_domain', 'dnc_settings', 'crm_company_status', 'deal_contact', 'deal', 'campaign_suppression', 'campaign_audience', 'campaign', 'crm_list_member', 'crm_list']) {
      await q.query(`DROP TABLE "${t}"`);
    }
  }
}
