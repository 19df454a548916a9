import { Injectable } from '@nestjs/common';
import type { CrmObjectType } from '@conduit/crm';
import type { PoolClient } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { copyIn } from '../common/pg-copy.js';
import { writtenFingerprint } from './written-values.js';

/** A converted Lead linked to a person: the conversion's ids, the person and the person's company. */
export interface ConvertedLeadRow {
  lead_id: string;
  contact_id: string;
  account_id: string | null;
  person_id: string;
  company_id: string | null;
}

/** A person's CRM record as crm_link holds it. */
export interface PersonRecordRow {
  person_id: string;
  connection_id: string;
  crm: 'hubspot' | 'salesforce';
  object: string;
  crm_id: string;
}

/** Which column of crm_link points at the Conduit record. */
export type LinkColumn = 'person_id' | 'company_id';

/** Where a statement's links live: one connection's records of one CRM object, in one workspace. */
export interface LinkScope {
  workspaceId: string;
  connectionId: string;
  object: CrmObjectType;
}

/**
 * SQL for statements on other tables that reach a person's CRM record through crm_link (the arguments are SQL
 * expressions of the caller's statement — column references or parameters, never values): the person's live record
 * on a connection is their contact link before a lead link, the latest synced first.
 */
export const crmLinkSql = {
  /** A sub-select of (object, crm_id): use as `LEFT JOIN LATERAL (${livePersonRecord(…)}) link ON true`. */
  livePersonRecord(ref: { workspace: string; connection: string; person: string }): string {
    return `SELECT l.object, l.crm_id FROM crm_link l
             WHERE l.workspace_id = ${ref.workspace} AND l.connection_id = ${ref.connection} AND l.person_id = ${ref.person}
               AND l.archived_at IS NULL AND l.object IN ('contact', 'lead')
             ORDER BY (l.object = 'contact') DESC, l.last_synced_at DESC NULLS LAST LIMIT 1`;
  },
  /** Whether the person has a live record on the connection (a condition). */
  hasLivePersonRecord(ref: { workspace: string; connection: string; person: string }): string {
    return `EXISTS (SELECT 1 FROM crm_link l WHERE l.workspace_id = ${ref.workspace} AND l.connection_id = ${ref.connection} AND l.person_id = ${ref.person}
                      AND l.archived_at IS NULL AND l.object IN ('contact', 'lead'))`;
  },
  /**
   * Each of these people's live record on the connection (`people`: a uuid[] expression), one row per person
   * (person_id, object, crm_id): contact before lead, the latest synced first. Set-based (`= ANY`), for a CTE.
   */
  livePersonRecords(ref: { workspace: string; connection: string; people: string }): string {
    return `SELECT DISTINCT ON (person_id) person_id, object, crm_id FROM crm_link
             WHERE person_id = ANY(${ref.people}) AND connection_id = ${ref.connection} AND workspace_id = ${ref.workspace} AND archived_at IS NULL AND object IN ('contact', 'lead')
             ORDER BY person_id, (object = 'contact') DESC, last_synced_at DESC`;
  },
  /**
   * Each of these companies' live company record on the connection (`companies`: a uuid[] expression), one row per
   * company (company_id, crm_id), the latest synced; `when` a boolean expression that switches the part off (a
   * constant the planner folds away). For a CTE.
   */
  liveCompanyRecords(ref: { workspace: string; connection: string; companies: string; when: string }): string {
    return `SELECT DISTINCT ON (company_id) company_id, crm_id FROM crm_link
             WHERE ${ref.when} AND company_id = ANY(${ref.companies}) AND connection_id = ${ref.connection} AND workspace_id = ${ref.workspace} AND object = 'company' AND archived_at IS NULL
             ORDER BY company_id, last_synced_at DESC`;
  },
  /** Whether the company has a live company record on the connection (a condition). */
  hasLiveCompanyRecord(ref: { workspace: string; connection: string; company: string }): string {
    return `EXISTS (SELECT 1 FROM crm_link c WHERE c.workspace_id = ${ref.workspace} AND c.connection_id = ${ref.connection} AND c.company_id = ${ref.company}
                      AND c.archived_at IS NULL)`;
  },
  /** A join (as `alias`) of every live person record (contact or lead) of the person on the connection: one row each. */
  joinLivePersonRecords(alias: string, ref: { workspace: string; connection: string; person: string }): string {
    return `JOIN crm_link ${alias} ON ${alias}.workspace_id = ${ref.workspace} AND ${alias}.person_id = ${ref.person} AND ${alias}.connection_id = ${ref.connection}
                        AND ${alias}.object IN ('contact', 'lead') AND ${alias}.archived_at IS NULL`;
  },
  /**
   * A join (as `alias`) of the link of a CRM record (`object`, `crmId`) to its person; `live` leaves archived links
   * out. Its `${alias}.person_id` is the person.
   */
  joinLinkedPerson(alias: string, ref: { workspace: string; connection: string; object: string; crmId: string; live: boolean }): string {
    return `JOIN crm_link ${alias} ON ${alias}.workspace_id = ${ref.workspace} AND ${alias}.connection_id = ${ref.connection} AND ${alias}.object = ${ref.object} AND ${alias}.crm_id = ${ref.crmId}
                        AND ${alias}.person_id IS NOT NULL${ref.live ? ` AND ${alias}.archived_at IS NULL` : ''}`;
  },
  /** Whether a CRM record (`object`, `crmId`) has a live link to this person or this company (a condition). */
  hasLiveLink(ref: { workspace: string; connection: string; object: string; crmId: string } & ({ person: string } | { company: string })): string {
    const entity = 'person' in ref ? `l.person_id = ${ref.person}` : `l.company_id = ${ref.company}`;
    return `EXISTS (SELECT 1 FROM crm_link l WHERE l.connection_id = ${ref.connection} AND l.object = ${ref.object} AND l.crm_id = ${ref.crmId}
                      AND l.workspace_id = ${ref.workspace} AND ${entity} AND l.archived_at IS NULL)`;
  },
} as const;

/**
 * The SQL of crm_link as the import engine writes it: set-based, one statement per batch (COPY for new links,
 * one jsonb recordset for known ones). Every statement names the workspace; a link's person/company must exist
 * (the set-based key triggers raise 23503 otherwise, see CrmLinkSetBasedKeys1765300000000).
 */
@Injectable()
export class CrmLinkRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- outside the import engine ---------------------------------------------------------------------

  /**
   * What an export wrote to CRM records, as fingerprints per field (crm_written_value, see writtenFingerprint): the
   * import of a workspace with several CRMs reads them so a value Conduit wrote and reads back is not a change. Blank
   * values (a cleared field) drop the field's fingerprint.
   *
   * Its cost follows the chunk, not the table: the cleared fields are found through the primary key's
   * (connection, object, crm_id) prefix with the chunk's record ids, so no plan can scan the connection's stored rows
   * once per written field — the nested loop a stale row estimate chose for the join on the whole input, which took
   * 10 s per chunk of 500 people after a few thousand exported (export bench, session 9).
   */
  async recordWritten(scope: { workspaceId: string; connectionId: string }, object: CrmObjectType, writes: readonly { crmId: string; properties: Readonly<Record<string, unknown>> }[]): Promise<void> {
    const latest = new Map<string, { crmId: string; field: string; fingerprint: string | null }>();
    for (const w of writes) for (const [field, value] of Object.entries(w.properties)) latest.set(`${w.crmId}\u0000${field}`, { crmId: w.crmId, field, fingerprint: writtenFingerprint(value) });
    if (!latest.size) return;
    const kept = [...latest.values()].filter((r) => r.fingerprint !== null);
    const cleared = [...latest.values()].filter((r) => r.fingerprint === null);
    await this.dataSource.query(
      `WITH cleared AS (
         DELETE FROM crm_written_value w
          WHERE w.connection_id = $2 AND w.object = $3 AND w.crm_id = ANY($7::text[]) AND w.workspace_id = $1
            AND (w.crm_id, w.crm_field) IN (SELECT * FROM unnest($7::text[], $8::text[])))
       INSERT INTO crm_written_value (workspace_id, connection_id, object, crm_id, crm_field, fingerprint, written_at)
       SELECT $1, $2, $3, v.crm_id, v.crm_field, v.fingerprint, now() FROM unnest($4::text[], $5::text[], $6::text[]) AS v(crm_id, crm_field, fingerprint)
       ON CONFLICT (connection_id, object, crm_id, crm_field) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, written_at = EXCLUDED.written_at`,
      [
        scope.workspaceId,
        scope.connectionId,
        object,
        kept.map((r) => r.crmId),
        kept.map((r) => r.field),
        kept.map((r) => r.fingerprint),
        cleared.map((r) => r.crmId),
        cleared.map((r) => r.field),
      ],
    );
  }

  /**
   * Links for records the CRM holds now (an export's writes): one row per CRM record, revived if archived, never
   * moved to another workspace.
   */
  async upsert(scope: LinkScope & { crm: string }, all: readonly { crmId: string; personId?: string; companyId?: string }[]): Promise<void> {
    const column: LinkColumn = scope.object === 'company' ? 'company_id' : 'person_id';
    // One row per CRM record (people share a company; ON CONFLICT cannot touch one row twice in a statement).
    const rows = [...new Map(all.map((r) => [r.crmId, r])).values()];
    await this.dataSource.query(
      `INSERT INTO crm_link (workspace_id, connection_id, crm, object, crm_id, ${column}, last_synced_at)
       SELECT $1, $2, $3, $4, r.crm_id, r.entity_id, now() FROM unnest($5::text[], $6::uuid[]) AS r(crm_id, entity_id)
       ON CONFLICT (connection_id, object, crm_id)
       DO UPDATE SET last_synced_at = excluded.last_synced_at, archived_at = NULL
       WHERE crm_link.workspace_id = excluded.workspace_id`,
      [scope.workspaceId, scope.connectionId, scope.crm, scope.object, rows.map((r) => r.crmId), rows.map((r) => r.personId ?? r.companyId)],
    );
  }

  /**
   * How many people have a live person record (Contact / Lead) on the connection: of these people, or of the workspace
   * when `personIds` is left out (a forecast's coverage).
   */
  async countLinkedPeople(workspaceId: string, connectionId: string, personIds?: readonly string[]): Promise<number> {
    if (personIds?.length === 0) return 0;
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(DISTINCT person_id)::int AS n FROM crm_link
        WHERE workspace_id = $1 AND connection_id = $2 AND ${personIds ? 'person_id = ANY($3::uuid[])' : 'person_id IS NOT NULL'} AND object IN ('contact', 'lead') AND archived_at IS NULL`,
      personIds ? [workspaceId, connectionId, personIds] : [workspaceId, connectionId],
    );
    return row?.n ?? 0;
  }

  /** Every link of a person or a company (live and archived: a provenance entry may name a record no longer linked). */
  linksOf(workspaceId: string, entity: 'person' | 'company', id: string): Promise<{ connection_id: string; crm_id: string; object: CrmObjectType }[]> {
    return this.dataSource.query<{ connection_id: string; crm_id: string; object: CrmObjectType }[]>(
      `SELECT connection_id, crm_id, object FROM crm_link WHERE workspace_id = $1 AND ${entity === 'person' ? 'person_id' : 'company_id'} = $2`,
      [workspaceId, id],
    );
  }

  /** Of these CRM person records, those without a live link to a person (one indexed lookup). */
  withoutLivePerson(workspaceId: string, connectionId: string, records: readonly { object: CrmObjectType; crmId: string }[]): Promise<{ object: CrmObjectType; crm_id: string }[]> {
    if (!records.length) return Promise.resolve([]);
    return this.dataSource.query<{ object: CrmObjectType; crm_id: string }[]>(
      `SELECT DISTINCT v.object, v.crm_id FROM unnest($3::text[], $4::text[]) AS v(object, crm_id)
        WHERE NOT EXISTS (SELECT 1 FROM crm_link l WHERE l.workspace_id = $1 AND l.connection_id = $2 AND l.object = v.object AND l.crm_id = v.crm_id
                             AND l.person_id IS NOT NULL AND l.archived_at IS NULL)`,
      [workspaceId, connectionId, records.map((r) => r.object), records.map((r) => r.crmId)],
    );
  }

  /** The Salesforce record (Contact before Lead) of the person the import linked to this HubSpot contact, if any. */
  async salesforceRecordOfHubspotContact(workspaceId: string, hubspotContactId: string): Promise<{ object: 'lead' | 'contact'; id: string } | null> {
    const [row] = await this.dataSource.query<{ object: 'lead' | 'contact'; crm_id: string }[]>(
      `SELECT sf.object, sf.crm_id FROM crm_link hs
         JOIN crm_link sf ON sf.workspace_id = hs.workspace_id AND sf.person_id = hs.person_id AND sf.crm = 'salesforce' AND sf.archived_at IS NULL
        WHERE hs.workspace_id = $1 AND hs.crm = 'hubspot' AND hs.object = 'contact' AND hs.crm_id = $2 AND hs.archived_at IS NULL
        ORDER BY (sf.object = 'contact') DESC LIMIT 1`,
      [workspaceId, hubspotContactId],
    );
    return row ? { object: row.object, id: row.crm_id } : null;
  }

  /**
   * The HubSpot record paired with a Salesforce record through Conduit: the HubSpot contact of the person linked to a
   * Salesforce Lead/Contact (`person`), or the HubSpot company of the company linked to an Account (`company`).
   */
  async hubspotRecordOfSalesforceRecord(workspaceId: string, kind: 'person' | 'company', salesforceId: string): Promise<string | null> {
    const column = kind === 'company' ? 'company_id' : 'person_id';
    const [row] = await this.dataSource.query<{ crm_id: string }[]>(
      `SELECT hs.crm_id FROM crm_link sf
         JOIN crm_link hs ON hs.workspace_id = sf.workspace_id AND hs.${column} = sf.${column} AND hs.crm = 'hubspot' AND hs.object = $3 AND hs.archived_at IS NULL
        WHERE sf.connection_id IN (SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = 'salesforce') AND sf.object = ANY($4::text[])
          AND sf.crm_id = $2 AND sf.workspace_id = $1 AND sf.${column} IS NOT NULL AND sf.archived_at IS NULL
        ORDER BY hs.last_synced_at DESC NULLS LAST LIMIT 1`,
      [workspaceId, salesforceId, kind === 'company' ? 'company' : 'contact', kind === 'company' ? ['company'] : ['lead', 'contact']],
    );
    return row?.crm_id ?? null;
  }

  /** The people's CRM records (live and archived links): what erasing them must suppress and may delete in the CRM. */
  recordsOfPeople(manager: EntityManager, workspaceId: string, personIds: readonly string[]): Promise<PersonRecordRow[]> {
    return manager.query<PersonRecordRow[]>(
      `SELECT person_id, connection_id, crm, object, crm_id FROM crm_link WHERE workspace_id = $1 AND person_id = ANY($2::uuid[])`,
      [workspaceId, personIds],
    );
  }

  /** Planner statistics of crm_link refreshed at once (after a large import, before autovacuum gets to it). */
  async analyze(): Promise<void> {
    await this.dataSource.query(`ANALYZE crm_link`);
  }

  // ---- Salesforce Lead conversions (sync/lead-conversions.ts) ----------------------------------------

  /** The person of each converted Lead the connection links (archived links too), with the person's company. */
  convertedLeadsOfPeople(manager: EntityManager, scope: { workspaceId: string; connectionId: string }, conversions: readonly { leadId: string; contactId: string; accountId: string | null }[]): Promise<ConvertedLeadRow[]> {
    return manager.query<ConvertedLeadRow[]>(
      `SELECT v.lead_id, v.contact_id, v.account_id, l.person_id, p.company_id
         FROM jsonb_to_recordset($3::jsonb) AS v(lead_id text, contact_id text, account_id text)
         JOIN crm_link l ON l.workspace_id = $1 AND l.connection_id = $2 AND l.object = 'lead' AND l.crm_id = v.lead_id AND l.person_id IS NOT NULL
         JOIN person p ON p.id = l.person_id AND p.workspace_id = $1`,
      [scope.workspaceId, scope.connectionId, JSON.stringify(conversions.map((c) => ({ lead_id: c.leadId, contact_id: c.contactId, account_id: c.accountId })))],
    );
  }

  /** The person links of these Contacts (archived ones too, with whether each is live). */
  contactLinks(manager: EntityManager, scope: { workspaceId: string; connectionId: string }, contactIds: readonly string[]): Promise<{ crm_id: string; person_id: string; live: boolean }[]> {
    return manager.query<{ crm_id: string; person_id: string; live: boolean }[]>(
      `SELECT crm_id, person_id, archived_at IS NULL AS live FROM crm_link WHERE workspace_id = $1 AND connection_id = $2 AND object = 'contact' AND crm_id = ANY($3::text[])`,
      [scope.workspaceId, scope.connectionId, contactIds],
    );
  }

  /** Live company links of these CRM companies (Accounts) or of these Conduit companies. */
  liveCompanyLinks(manager: EntityManager, scope: { workspaceId: string; connectionId: string }, crmIds: readonly string[], companyIds: readonly string[]): Promise<{ crm_id: string; company_id: string }[]> {
    return manager.query<{ crm_id: string; company_id: string }[]>(
      `SELECT crm_id, company_id FROM crm_link
        WHERE workspace_id = $1 AND connection_id = $2 AND object = 'company' AND archived_at IS NULL AND (crm_id = ANY($3::text[]) OR company_id = ANY($4::uuid[]))`,
      [scope.workspaceId, scope.connectionId, crmIds, companyIds],
    );
  }

  /** Contacts linked to the people their Leads were linked to: new, or revived when archived — never taken from another person. */
  async linkContactsOfPeople(manager: EntityManager, scope: { workspaceId: string; connectionId: string; crm: string }, at: Date, links: readonly { crm_id: string; person_id: string }[]): Promise<void> {
    await manager.query(
      `INSERT INTO crm_link (workspace_id, connection_id, crm, object, crm_id, person_id, last_synced_at)
       SELECT $1, $2, $3, 'contact', v.crm_id, v.person_id, $4 FROM jsonb_to_recordset($5::jsonb) AS v(crm_id text, person_id uuid)
       ON CONFLICT (connection_id, object, crm_id) DO UPDATE SET archived_at = NULL, last_synced_at = excluded.last_synced_at
        WHERE crm_link.workspace_id = excluded.workspace_id AND crm_link.person_id = excluded.person_id`,
      [scope.workspaceId, scope.connectionId, scope.crm, at, JSON.stringify(links)],
    );
  }

  /** Accounts linked to Conduit companies, where neither had a link (an existing link of the Account is kept). */
  async linkAccountsOfCompanies(manager: EntityManager, scope: { workspaceId: string; connectionId: string; crm: string }, at: Date, companyOfAccount: ReadonlyMap<string, string>): Promise<void> {
    await manager.query(
      `INSERT INTO crm_link (workspace_id, connection_id, crm, object, crm_id, company_id, last_synced_at)
       SELECT $1, $2, $3, 'company', v.crm_id, v.company_id, $4 FROM unnest($5::text[], $6::uuid[]) AS v(crm_id, company_id)
       ON CONFLICT (connection_id, object, crm_id) DO NOTHING`,
      [scope.workspaceId, scope.connectionId, scope.crm, at, [...companyOfAccount.keys()], [...companyOfAccount.values()]],
    );
  }

  // ---- the import engine ---------------------------------------------------------------------------
  /** The Conduit record each of `crmIds` is linked to (archived links too: a re-appearing record revives its link). */
  linked(manager: EntityManager, scope: LinkScope, column: LinkColumn, crmIds: readonly string[]): Promise<{ crm_id: string; entity_id: string }[]> {
    return manager.query<{ crm_id: string; entity_id: string }[]>(
      `SELECT crm_id, ${column} AS entity_id FROM crm_link WHERE workspace_id = $1 AND connection_id = $2 AND object = $3 AND crm_id = ANY($4::text[])`,
      [scope.workspaceId, scope.connectionId, scope.object, crmIds],
    );
  }

  /** The Conduit company of each live company link among `crmIds`. */
  liveCompanies(manager: EntityManager, workspaceId: string, connectionId: string, crmIds: readonly string[]): Promise<{ crm_id: string; company_id: string }[]> {
    return manager.query<{ crm_id: string; company_id: string }[]>(
      `SELECT crm_id, company_id FROM crm_link WHERE workspace_id = $1 AND connection_id = $2 AND object = 'company' AND crm_id = ANY($3::text[]) AND archived_at IS NULL`,
      [workspaceId, connectionId, crmIds],
    );
  }

  /**
   * New links as prepared COPY text lines (id, workspace_id, connection_id, crm, object, crm_id, the link column,
   * last_synced_at), on the transaction's connection.
   */
  async copyNew(client: PoolClient, column: LinkColumn, lines: readonly Buffer[]): Promise<void> {
    try {
      await copyIn(client, `COPY crm_link (id, workspace_id, connection_id, crm, object, crm_id, ${column}, last_synced_at) FROM STDIN`, lines);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Error('Concurrent import linked some of these CRM records; retrying the page', { cause: err });
      throw err;
    }
  }

  /** Known links pointed at their (possibly new) record, revived and stamped. */
  async relink(manager: EntityManager, scope: LinkScope, column: LinkColumn, at: Date, links: readonly { crm_id: string; entity_id: string }[]): Promise<void> {
    await manager.query(
      `UPDATE crm_link SET ${column} = v.entity_id, archived_at = NULL, last_synced_at = $4
         FROM jsonb_to_recordset($5::jsonb) AS v(crm_id text, entity_id uuid)
        WHERE crm_link.workspace_id = $1 AND crm_link.connection_id = $2 AND crm_link.object = $3 AND crm_link.crm_id = v.crm_id`,
      [scope.workspaceId, scope.connectionId, scope.object, at, JSON.stringify(links)],
    );
  }

  /** Links of records deleted or archived in the CRM: kept, marked archived (the first time) and stamped. */
  async archive(manager: EntityManager, scope: LinkScope, at: Date, crmIds: readonly string[]): Promise<void> {
    await manager.query(
      `UPDATE crm_link SET archived_at = COALESCE(archived_at, $5), last_synced_at = $5
        WHERE workspace_id = $1 AND connection_id = $2 AND object = $3 AND crm_id = ANY($4::text[])`,
      [scope.workspaceId, scope.connectionId, scope.object, crmIds, at],
    );
  }
}
