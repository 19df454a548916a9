import { Injectable } from '@nestjs/common';
import { type CrmKind, type CrmRecord, LEAD_CONVERSION_FIELDS, type LeadConversion, leadConversionOf } from '@conduit/crm';
import { DataSource, type EntityManager } from 'typeorm';
import { CrmLinkRepository } from './crm-link.repository.js';

export interface ConversionScope {
  workspaceId: string;
  connectionId: string;
  crm: CrmKind;
}

export interface ConversionOutcome {
  /** People whose live Salesforce record moved from the Lead to its Contact. */
  moved: string[];
  /** Conversions whose Contact is already linked to another Conduit person: left alone (two people, one Contact). */
  conflicts: LeadConversion[];
}

export interface FollowedConversions extends ConversionOutcome {
  /** Each refused Lead that says it was converted → its conversion (conflicts included: the Contact is still where it went). */
  byLead: Map<string, LeadConversion>;
  /** Leads whose person now points at the Contact (converted and not in conflict): their work can go to the Contact. */
  followed: Set<string>;
}

/** Reads Leads by id with the given fields (the caller's adapter, with its own retry policy). */
export type ReadLeads = (leadIds: string[], properties: string[]) => Promise<CrmRecord[]>;

/**
 * A Salesforce Lead converted into a Contact (noticed by the import, an export's email lookup, or an activity the Lead
 * refused): the person's link moves to the Contact (the Lead's link is kept, archived, so "was Lead X" stays
 * visible), the person's company gets the Account when neither side had a link yet, and one provenance set records
 * the move. Idempotent: a conversion seen again changes nothing and records nothing.
 */
@Injectable()
export class LeadConversions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: CrmLinkRepository,
  ) {}

  /**
   * The CRM refused work on these Leads as converted ("cannot reference converted lead"): read them (one call),
   * apply the conversions they report, and say which Leads now point at their Contact. Used by every path a refusal
   * can come from (activities, consent writes), so they follow a conversion the same way the import does.
   */
  async follow(scope: ConversionScope, leadIds: readonly string[], readLeads: ReadLeads, at = new Date()): Promise<FollowedConversions> {
    const ids = [...new Set(leadIds)];
    const leads = ids.length ? await readLeads(ids, [...LEAD_CONVERSION_FIELDS]) : [];
    const conversions = leads.map(leadConversionOf).filter((c): c is LeadConversion => c !== null);
    const outcome = await this.apply(scope, conversions, at);
    const stuck = new Set(outcome.conflicts.map((c) => c.leadId));
    return {
      ...outcome,
      byLead: new Map(conversions.map((c) => [c.leadId, c])),
      followed: new Set(conversions.map((c) => c.leadId).filter((id) => !stuck.has(id))),
    };
  }

  /** `manager`: the caller's transaction (the import's page), else a statement of its own each. */
  async apply(scope: ConversionScope, conversions: readonly LeadConversion[], at: Date, manager: EntityManager = this.dataSource.manager): Promise<ConversionOutcome> {
    const out: ConversionOutcome = { moved: [], conflicts: [] };
    if (!conversions.length) return out;
    const ws = scope.workspaceId;
    const conn = scope.connectionId;
    const known = await this.links.convertedLeadsOfPeople(manager, scope, conversions);
    if (!known.length) return out;
    const contactLinks = new Map((await this.links.contactLinks(manager, scope, known.map((k) => k.contact_id))).map((r) => [r.crm_id, r]));
    const accountIds = [...new Set(known.map((k) => k.account_id).filter((a): a is string => !!a))];
    const companyIds = [...new Set(known.map((k) => k.company_id).filter((c): c is string => !!c))];
    const companyLinks = await this.links.liveCompanyLinks(manager, scope, accountIds, companyIds);
    const companyOfAccount = new Map(companyLinks.map((l) => [l.crm_id, l.company_id]));
    const linkedCompanies = new Set(companyLinks.map((l) => l.company_id));

    const newContactLinks: { crm_id: string; person_id: string }[] = [];
    const archivedLeads: string[] = [];
    const newAccountLinks = new Map<string, string>();
    const personCompany: { person_id: string; company_id: string }[] = [];
    const sets: { person_id: string; crm_id: string; fields: Record<string, unknown> }[] = [];
    for (const k of known) {
      const existing = contactLinks.get(k.contact_id);
      if (existing && existing.person_id !== k.person_id) {
        out.conflicts.push({ leadId: k.lead_id, contactId: k.contact_id, accountId: k.account_id });
        continue;
      }
      archivedLeads.push(k.lead_id);
      if (existing?.live) continue; // seen before: nothing moves
      newContactLinks.push({ crm_id: k.contact_id, person_id: k.person_id });
      out.moved.push(k.person_id);
      const fields: Record<string, unknown> = {
        crmRecord: { crm_field: 'ConvertedContactId', rule: 'lead_converted', previous_value: `Lead ${k.lead_id}`, value: `Contact ${k.contact_id}` },
      };
      const accountCompany = k.account_id ? companyOfAccount.get(k.account_id) : undefined;
      if (k.account_id && !k.company_id && accountCompany) {
        personCompany.push({ person_id: k.person_id, company_id: accountCompany });
        fields['companyId'] = { crm_field: 'ConvertedAccountId', rule: 'lead_converted', previous_value: null, value: accountCompany };
      } else if (k.account_id && k.company_id && !accountCompany && !linkedCompanies.has(k.company_id) && !newAccountLinks.has(k.account_id)) {
        newAccountLinks.set(k.account_id, k.company_id);
      }
      sets.push({ person_id: k.person_id, crm_id: k.contact_id, fields });
    }

    if (newContactLinks.length) await this.links.linkContactsOfPeople(manager, scope, at, newContactLinks);
    if (archivedLeads.length) await this.links.archive(manager, { ...scope, object: 'lead' }, at, archivedLeads);
    if (newAccountLinks.size) await this.links.linkAccountsOfCompanies(manager, scope, at, newAccountLinks);
    if (personCompany.length) {
      await manager.query(
        `UPDATE person p SET company_id = v.company_id, updated_at = now() FROM jsonb_to_recordset($2::jsonb) AS v(person_id uuid, company_id uuid)
          WHERE p.id = v.person_id AND p.workspace_id = $1 AND p.company_id IS NULL`,
        [ws, JSON.stringify(personCompany)],
      );
    }
    if (sets.length) {
      await manager.query(
        `INSERT INTO field_provenance_set (workspace_id, entity, entity_id, source, connection_id, crm_record_id, at, fields)
         SELECT $1, 'person', v.person_id, 'crm', $2, v.crm_id, $3, v.fields FROM jsonb_to_recordset($4::jsonb) AS v(person_id uuid, crm_id text, fields json)`,
        [ws, conn, at, JSON.stringify(sets)],
      );
    }
    return out;
  }
}
