import { Injectable } from '@nestjs/common';
import type { EngagementState } from '@conduit/contracts';
import type { CrmActivityTarget } from '@conduit/crm';
import { DataSource } from 'typeorm';
import type { CrmConnection } from '../connections/connection.entity.js';
import { ExportEngine } from '../export/export-engine.service.js';
import { meetsPolicy } from '../export/export-plan.js';
import type { CrmExportSettings } from '../export/export-settings.entity.js';
import { crmLinkSql } from '../sync/crm-link.repository.js';
import type { ActivitySettings } from './activities.service.js';

/** A person whose activities are about to be logged. */
export interface TargetPerson {
  person_id: string;
  engagement_state: EngagementState;
  company_id: string | null;
}

/** Not in the CRM (yet): the deliveries wait for an export, or fail with the export's reason. */
export interface HeldTarget {
  held: true;
  reason: string | null;
}

interface TargetRow {
  person_id: string;
  object: string | null;
  crm_id: string | null;
  company_crm_id: string | null;
  deal_crm_id: string | null;
}

/**
 * Where each person's activities go: their CRM record (contact before lead, the latest link), plus their company's
 * record and their latest open deal when the settings associate them — all people of a round in one statement.
 * People not in the CRM are exported first when the export policy says their engagement makes them exportable;
 * otherwise they are held.
 */
@Injectable()
export class ActivityTargets {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: ExportEngine,
  ) {}

  async resolve(
    connection: CrmConnection,
    settings: ActivitySettings,
    exportSettings: CrmExportSettings,
    rows: readonly TargetPerson[],
  ): Promise<{ targets: Map<string, CrmActivityTarget | HeldTarget>; exported: boolean }> {
    const people = new Map(rows.map((r) => [r.person_id, r]));
    let found = await this.lookUp(connection, settings, [...people.values()]);
    const exportable = [...people.values()].filter((p) => !found.get(p.person_id)?.crm_id && meetsPolicy(exportSettings.policy, p.engagement_state)).map((p) => p.person_id);
    const exportReasons = new Map<string, string>();
    let exported = false;
    if (exportable.length) {
      // The activity's own export of its people is live work, like the activity: it may use the allocation's live reserve.
      const result = await this.engine.exportPeople(await this.engine.context(connection, exportSettings, { work: 'live' }), exportable);
      for (const r of result.results) {
        if (!r.crmId) exportReasons.set(r.personId, r.reason ?? 'The person could not be exported');
        else exported = true;
      }
      found = await this.lookUp(connection, settings, [...people.values()]);
    }
    const out = new Map<string, CrmActivityTarget | HeldTarget>();
    for (const p of people.values()) {
      const row = found.get(p.person_id);
      if (!row?.crm_id) {
        out.set(p.person_id, { held: true, reason: exportReasons.has(p.person_id) ? `Export failed: ${exportReasons.get(p.person_id)!}` : null });
        continue;
      }
      const target: CrmActivityTarget = { person: { object: row.object === 'lead' ? 'lead' : 'contact', id: row.crm_id } };
      if (row.company_crm_id) target.companyId = row.company_crm_id;
      if (row.deal_crm_id) target.dealId = row.deal_crm_id;
      out.set(p.person_id, target);
    }
    return { targets: out, exported };
  }

  /**
   * Each person's live link, company record and open deal (the last two only when the settings associate them), in one
   * statement of set-based parts: each part reads its rows for all people of the round at once (`= ANY`), so a plan
   * that picks a poor index costs one scan per round, not one per person. Per-person LATERAL lookups did, and while a
   * backfill grew crm_link faster than autovacuum analyzed it, the planner walked every company link of the
   * connection once per person (≈ 30,000 rows × 100 people a round: the instant-profile p99 went from 2.9 s to 5 s).
   */
  private async lookUp(connection: CrmConnection, settings: ActivitySettings, people: readonly TargetPerson[]): Promise<Map<string, TargetRow>> {
    const companyIds = [...new Set(people.map((p) => p.company_id).filter((id): id is string => id !== null))];
    const rows = await this.dataSource.query<TargetRow[]>(
      `WITH l AS (
         ${crmLinkSql.livePersonRecords({ workspace: '$2', connection: '$1', people: '$3::uuid[]' })}
       ), c AS (
         ${crmLinkSql.liveCompanyRecords({ workspace: '$2', connection: '$1', companies: '$4::uuid[]', when: '$5' })}
       ), d AS (
         SELECT DISTINCT ON (dc.crm_id) dc.crm_id AS contact_crm_id, d.crm_id FROM deal_contact dc JOIN deal d ON d.id = dc.deal_id
          WHERE $6 AND dc.object IN ('contact', 'lead') AND dc.crm_id IN (SELECT crm_id FROM l) AND d.connection_id = $1 AND d.workspace_id = $2 AND NOT d.is_closed
          ORDER BY dc.crm_id, d.crm_updated_at DESC NULLS LAST, d.crm_id
       )
       SELECT p.person_id, l.object, l.crm_id, CASE WHEN l.crm_id IS NOT NULL THEN c.crm_id END AS company_crm_id, d.crm_id AS deal_crm_id
         FROM unnest($3::uuid[], $7::uuid[]) AS p(person_id, company_id)
         LEFT JOIN l ON l.person_id = p.person_id
         LEFT JOIN c ON c.company_id = p.company_id
         LEFT JOIN d ON d.contact_crm_id = l.crm_id`,
      // A part that cannot match is switched off by a constant, so the planner leaves it out (a stale plan still scanned).
      [connection.id, connection.workspaceId, people.map((p) => p.person_id), companyIds, settings.associateCompany && companyIds.length > 0, settings.associateDeal, people.map((p) => p.company_id)],
    );
    return new Map(rows.map((r) => [r.person_id, r]));
  }
}
