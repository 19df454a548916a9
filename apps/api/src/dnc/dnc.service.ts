import { Injectable, NotFoundException } from '@nestjs/common';
import type { CrmRecordRefDto, DealDto, DncReasonKind, DncSettingsDto, PersonDncDto, UpdateDncSettingsDto } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import { crmLinkSql } from '../sync/crm-link.repository.js';
import { type CrmRecordKey, CrmRecordRefs } from '../sync/crm-record-refs.js';

interface SettingsRow {
  open_deals: boolean;
  open_deal_stages: string[];
  closed_won_customers: boolean;
  hubspot_customer_stages: string[];
  salesforce_customer_types: string[];
}

interface DealRow {
  id: string;
  connection_id: string;
  crm: 'hubspot' | 'salesforce';
  crm_id: string;
  name: string | null;
  stage: string | null;
  amount: string | null;
  close_date: string | null;
  is_closed: boolean;
  is_won: boolean;
  /** The Conduit company linked to the deal's company in the CRM, by name (names a deal that has none). */
  company_name: string | null;
}

const DEFAULTS: SettingsRow = { open_deals: true, open_deal_stages: [], closed_won_customers: true, hubspot_customer_stages: ['customer'], salesforce_customer_types: ['Customer'] };

/** Lowercase, without scheme, leading "www." / "@" and path: what an email's domain part is compared with. */
export function normalizeDomain(input: string): string {
  return input
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^@/, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '');
}

/** Do-not-contact settings and a person's DNC status; the reasons themselves come from the person_dnc_reason view. */
@Injectable()
export class DncService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly refs: CrmRecordRefs,
  ) {}

  async settings(workspaceId: string): Promise<DncSettingsDto> {
    const [row] = await this.dataSource.query<SettingsRow[]>(`SELECT * FROM dnc_settings WHERE workspace_id = $1`, [workspaceId]);
    const domains = await this.dataSource.query<{ domain: string }[]>(`SELECT domain FROM dnc_domain WHERE workspace_id = $1 ORDER BY domain`, [workspaceId]);
    const s = row ?? DEFAULTS;
    return {
      openDeals: s.open_deals,
      openDealStages: s.open_deal_stages,
      closedWonCustomers: s.closed_won_customers,
      hubspotCustomerStages: s.hubspot_customer_stages,
      salesforceCustomerTypes: s.salesforce_customer_types,
      domains: domains.map((d) => d.domain),
    };
  }

  async updateSettings(workspaceId: string, patch: UpdateDncSettingsDto): Promise<DncSettingsDto> {
    const current = await this.settings(workspaceId);
    const next = { ...current, ...patch };
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO dnc_settings (workspace_id, open_deals, open_deal_stages, closed_won_customers, hubspot_customer_stages, salesforce_customer_types, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (workspace_id) DO UPDATE SET open_deals = excluded.open_deals, open_deal_stages = excluded.open_deal_stages,
           closed_won_customers = excluded.closed_won_customers, hubspot_customer_stages = excluded.hubspot_customer_stages,
           salesforce_customer_types = excluded.salesforce_customer_types, updated_at = now()`,
        [workspaceId, next.openDeals, next.openDealStages, next.closedWonCustomers, next.hubspotCustomerStages, next.salesforceCustomerTypes],
      );
      if (patch.domains) {
        const domains = [...new Set(patch.domains.map(normalizeDomain).filter((d) => d !== ''))];
        await tx.query(`DELETE FROM dnc_domain WHERE workspace_id = $1 AND NOT (domain = ANY($2::text[]))`, [workspaceId, domains]);
        await tx.query(`INSERT INTO dnc_domain (workspace_id, domain) SELECT $1, d FROM unnest($2::text[]) AS d ON CONFLICT DO NOTHING`, [workspaceId, domains]);
      }
    });
    return this.settings(workspaceId);
  }

  /** DNC status with every reason, and the deals behind it (the person's own deals and their company's), in words. */
  async forPerson(workspaceId: string, personId: string): Promise<PersonDncDto> {
    const [person] = await this.dataSource.query<{ id: string; company_id: string | null }[]>(`SELECT id, company_id FROM person WHERE workspace_id = $1 AND id = $2`, [workspaceId, personId]);
    if (!person) throw new NotFoundException('Person not found');
    const reasons = await this.dataSource.query<{ reason: DncReasonKind; detail: string | null; deal_id: string | null }[]>(
      `SELECT DISTINCT reason, detail, deal_id FROM person_dnc_reason WHERE workspace_id = $1 AND person_id = $2 ORDER BY reason, detail`,
      [workspaceId, personId],
    );
    const deals = await this.dataSource.query<DealRow[]>(
      `SELECT DISTINCT d.id, d.connection_id, d.crm, d.crm_id, d.name, d.stage, d.amount, d.close_date::text AS close_date, d.is_closed, d.is_won,
              (SELECT nullif(trim(co.name), '') FROM crm_link cl JOIN company co ON co.id = cl.company_id AND co.workspace_id = $1
                WHERE cl.workspace_id = $1 AND cl.connection_id = d.connection_id AND cl.object = 'company' AND cl.crm_id = d.company_crm_id
                ORDER BY cl.archived_at DESC NULLS FIRST LIMIT 1) AS company_name
         FROM deal d
        WHERE d.workspace_id = $1 AND (
              EXISTS (SELECT 1 FROM deal_contact dc
                       WHERE dc.deal_id = d.id AND ${crmLinkSql.hasLiveLink({ workspace: '$1', connection: 'd.connection_id', object: 'dc.object', crmId: 'dc.crm_id', person: '$2' })})
           OR ${crmLinkSql.hasLiveLink({ workspace: '$1', connection: 'd.connection_id', object: "'company'", crmId: 'd.company_crm_id', company: '$3' })})
        ORDER BY d.is_closed, d.name`,
      [workspaceId, personId, person.company_id],
    );
    // A customer by the CRM's own say (lifecycle stage, account type): the person's company's records that say so.
    const statuses = person.company_id
      ? await this.dataSource.query<{ crm: 'hubspot' | 'salesforce'; crm_id: string; value: string }[]>(
          `SELECT cs.crm, cs.crm_id, cs.value FROM crm_company_status cs
             JOIN crm_link cl ON cl.workspace_id = cs.workspace_id AND cl.connection_id = cs.connection_id AND cl.object = 'company' AND cl.crm_id = cs.crm_id AND cl.archived_at IS NULL
            WHERE cs.workspace_id = $1 AND cl.company_id = $2 ORDER BY cs.crm`,
          [workspaceId, person.company_id],
        )
      : [];
    const dealKeys = deals.map((d): CrmRecordKey => ({ crm: d.crm, object: 'deal', crmId: d.crm_id, name: d.name ?? (d.company_name ? `Deal with ${d.company_name}` : null) }));
    const statusOf = (r: (typeof reasons)[number]) => (r.reason === 'customer' && !r.deal_id ? statuses.find((s) => s.value === r.detail) : undefined);
    const companyKeys = reasons.map((r): CrmRecordKey | null => {
      const status = statusOf(r);
      return status ? { crm: status.crm, object: 'company', crmId: status.crm_id } : null;
    });
    const resolved = await this.refs.resolve(workspaceId, [...dealKeys, ...companyKeys.filter((k): k is CrmRecordKey => k !== null)]);
    const dealRefs = new Map(deals.map((d, i) => [d.id, resolved[i]!]));
    let at = deals.length;
    const reasonRefs = companyKeys.map((k) => (k ? (resolved[at++] ?? null) : null));
    return {
      personId,
      dnc: reasons.length > 0,
      reasons: reasons.map((r, i): PersonDncDto['reasons'][number] => ({
        reason: r.reason,
        detail: r.detail,
        dealId: r.deal_id,
        record: (r.deal_id ? dealRefs.get(r.deal_id) : undefined) ?? reasonRefs[i] ?? null,
      })),
      deals: deals.map((d) => toDealDto(d, dealRefs.get(d.id)!)),
    };
  }
}

function toDealDto(d: DealRow, record: CrmRecordRefDto): DealDto {
  return {
    id: d.id,
    connectionId: d.connection_id,
    crm: d.crm,
    crmId: d.crm_id,
    name: d.name,
    stage: d.stage,
    amount: d.amount === null ? null : Number(d.amount),
    closeDate: d.close_date,
    isClosed: d.is_closed,
    isWon: d.is_won,
    record,
  };
}
