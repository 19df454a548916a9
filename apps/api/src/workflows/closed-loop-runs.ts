import { Injectable } from '@nestjs/common';
import type { AccountCompanyConfigDto, OpportunityDealConfigDto } from '@conduit/contracts';
import type { CrmRecord, CrmValue, CrmWriteResult } from '@conduit/crm';
import { normalizeDomain } from '@conduit/mapping';
import {
  accountGate,
  changedProperties,
  describeCompanyWrite,
  describeDealWrite,
  hubspotOwnerFor,
  planCompany,
  planDeal,
  sameDealValue,
  stageLabel,
} from './closed-loop-rules.js';
import type { WorkflowCrms } from './workflow-crms.js';
import { type RunRow, type WorkflowRow, WorkflowsService } from './workflows.service.js';

type Outcome = Parameters<WorkflowsService['finishRun']>[2];

const OPPORTUNITY_FIELDS = ['Name', 'StageName', 'Amount', 'CloseDate', 'OwnerId', 'AccountId'];
const DEAL_PROPERTIES = ['dealname', 'dealstage', 'pipeline', 'amount', 'closedate', 'hubspot_owner_id'];
const ACCOUNT_FIELDS = ['Name', 'Website', 'Industry', 'NumberOfEmployees'];
const COMPANY_PROPERTIES = ['name', 'domain', 'industry', 'numberofemployees'];

const text = (v: CrmValue | undefined): string => (v === null || v === undefined ? '' : String(v)).trim();
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function unwrap(result: CrmWriteResult | undefined): { id: string; created: boolean | null } {
  if (!result) throw new Error('The CRM returned no result for the write');
  if (!result.ok) throw result.error;
  return { id: result.id, created: result.created };
}

/**
 * The closed loop (Salesforce → HubSpot): Opportunity → deal and Account → company. Each run reads the Salesforce
 * record, asks closed-loop-rules what the HubSpot record should say, writes only what differs (under an advisory
 * lock, so concurrent runs never create a record twice), records the fingerprints of every value written (no
 * ping-pong) and says what it did in words.
 */
@Injectable()
export class ClosedLoopRuns {
  constructor(private readonly workflows: WorkflowsService) {}

  // ---- Opportunity → HubSpot deal ------------------------------------------------------------------

  async opportunityDeal(crms: WorkflowCrms, wf: WorkflowRow, config: OpportunityDealConfigDto, run: RunRow): Promise<Outcome> {
    const oppId = run.trigger.recordId;
    const [opp] = await crms.salesforce.readByIds('deal', [oppId], { properties: OPPORTUNITY_FIELDS });
    if (!opp) return { result: 'skipped', reason: `Opportunity ${oppId} no longer exists`, summary: `Opportunity ${oppId} was deleted in Salesforce: nothing to write` };
    const name = text(opp.properties['Name']) || oppId;
    const [pipelines, directory] = await Promise.all([crms.pipelines(), crms.owners()]);
    const pipeline = pipelines.find((p) => p.id === config.pipeline);
    if (!pipeline && pipelines.length) {
      const reason = `HubSpot has no deal pipeline "${config.pipeline}": choose one in the workflow`;
      return { result: 'needs_attention', reason, summary: `Opportunity '${name}' not written: ${reason}` };
    }
    const owner = hubspotOwnerFor(config, opp.properties['OwnerId'], directory);
    const plan = planDeal({ config, opportunity: opp.properties, pipeline, owner });
    const decision = `Stage ${text(opp.properties['StageName']) || '(none)'}`;
    if (!plan.ok) return { result: 'needs_attention', decision, reason: plan.reason, summary: `Opportunity '${name}' not written: ${plan.reason}` };
    const target = plan.value.properties['dealstage'] ?? '';

    // Who the deal is about: the contacts of its contact roles and the company of its Account, as HubSpot knows them.
    const contactIds = (await crms.salesforce.readAssociations('deal', 'contact', [oppId]))[oppId] ?? [];
    const contacts = await this.hubspotContacts(crms, wf, contactIds);
    const accountId = text(opp.properties['AccountId']);
    const company = accountId ? await this.hubspotCompanyOf(crms, wf, accountId) : { id: null, note: 'the Opportunity has no Account' };

    return this.workflows.withLock(`workflow-deal:${wf.workspace_id}:${oppId}`, async () => {
      let dealId = await this.workflows.recordLink(wf.workspace_id, 'deal', oppId);
      const current = dealId ? ((await crms.hubspot.readByIds('deal', [dealId], { properties: DEAL_PROPERTIES }))[0] ?? null) : null;
      const recreated = dealId !== null && current === null;
      const changes = changedProperties(plan.value.properties, current?.properties ?? null, sameDealValue);
      if (!current) {
        dealId = unwrap((await crms.hubspot.createMany('deal', [{ properties: changes }]))[0]).id;
        await this.workflows.saveRecordLink(wf.workspace_id, 'deal', oppId, dealId);
      } else if (Object.keys(changes).length) {
        unwrap((await crms.hubspot.updateMany('deal', [{ id: current.id, properties: changes }]))[0]);
      }
      const id = dealId!;
      if (Object.keys(changes).length) await this.workflows.recordWrites(wf.workspace_id, run.id, 'hubspot', 'deal', id, changes);

      // Associations: only the missing ones are written (HubSpot keeps the others).
      const have = current ? await this.dealAssociations(crms, id) : { contacts: new Set<string>(), companies: new Set<string>() };
      const newContacts = contacts.ids.filter((c) => !have.contacts.has(c));
      const newCompany = company.id && !have.companies.has(company.id) ? company.id : null;
      const links = [
        ...newContacts.map((c) => ({ from: { object: 'deal' as const, id }, to: { object: 'contact' as const, id: c } })),
        ...(newCompany ? [{ from: { object: 'deal' as const, id }, to: { object: 'company' as const, id: newCompany } }] : []),
      ];
      if (links.length) for (const r of await crms.hubspot.associate(links)) if (!r.ok) throw r.error;

      const ownerLabel = changes['hubspot_owner_id'] ? (directory.hubspot.find((o) => o.id === changes['hubspot_owner_id']) ?? null) : null;
      let summary = describeDealWrite({
        name,
        created: !current,
        changes,
        current: current?.properties ?? null,
        pipeline,
        ownerLabel: ownerLabel ? [ownerLabel.firstName, ownerLabel.lastName].filter(Boolean).join(' ') || ownerLabel.email : null,
      });
      if (recreated) summary += ' (the deal written before was deleted in HubSpot)';
      const linked = [newContacts.length ? `${plural(newContacts.length, 'contact', 'contacts')}` : null, newCompany ? `company ${company.name ?? newCompany}` : null].filter(Boolean);
      if (linked.length) summary = current && !Object.keys(changes).length ? `Deal '${name}' associated with ${linked.join(' and ')}` : `${summary}; associated with ${linked.join(' and ')}`;
      const notes = [contacts.unmatched ? `${plural(contacts.unmatched, 'contact role has', 'contact roles have')} no HubSpot contact` : null, company.id ? null : company.note, plan.value.ownerNote ? `owner left as is: ${plan.value.ownerNote}` : null].filter(
        (n): n is string => !!n,
      );
      const payload = { deal: changes, associated: { contacts: newContacts, company: newCompany }, ...(notes.length ? { notes } : {}) };
      const wrote = Object.keys(changes).length > 0 || links.length > 0;
      return {
        result: wrote ? 'success' : 'skipped',
        decision: `${text(opp.properties['StageName'])} → ${stageLabel(pipeline, target)}`,
        payload,
        action: !current ? 'deal_created' : wrote ? 'deal_updated' : null,
        reason: wrote ? (notes.length ? notes.join('; ') : null) : 'the HubSpot deal already says this',
        targetId: id,
        summary: notes.length && wrote ? `${summary}. Note: ${notes.join('; ')}` : summary,
      };
    });
  }

  private async dealAssociations(crms: WorkflowCrms, dealId: string): Promise<{ contacts: Set<string>; companies: Set<string> }> {
    const [contacts, companies] = await Promise.all([crms.hubspot.readAssociations('deal', 'contact', [dealId]), crms.hubspot.readAssociations('deal', 'company', [dealId])]);
    return { contacts: new Set(contacts[dealId] ?? []), companies: new Set(companies[dealId] ?? []) };
  }

  /**
   * The HubSpot contacts of Salesforce Contacts: the handoff's or the import's link, the HubSpot id stamped on the
   * Contact, else the email (one batch lookup for all of them).
   */
  private async hubspotContacts(crms: WorkflowCrms, wf: WorkflowRow, contactIds: string[]): Promise<{ ids: string[]; unmatched: number }> {
    if (!contactIds.length) return { ids: [], unmatched: 0 };
    const sfContacts = await crms.salesforce.readByIds('contact', contactIds, { properties: ['Email', 'HubSpot_Contact_ID__c'] });
    const ids = new Set<string>();
    const byEmail: string[] = [];
    for (const c of sfContacts) {
      const stamped = text(c.properties['HubSpot_Contact_ID__c']);
      const linked = (await this.workflows.hubspotContactOfSalesforce(wf.workspace_id, c.id)) ?? (stamped || null);
      if (linked) ids.add(linked);
      else if (text(c.properties['Email'])) byEmail.push(text(c.properties['Email']));
    }
    const matched = new Set<string>();
    if (byEmail.length) {
      for (const m of await crms.hubspot.findByEmails(byEmail, { properties: ['email'] })) {
        ids.add(m.record.id);
        matched.add(m.email);
      }
    }
    // Contact roles whose Contact is gone, or has neither a link nor an email HubSpot knows.
    const unmatched = contactIds.length - sfContacts.length + byEmail.filter((e) => !matched.has(e.toLowerCase())).length;
    return { ids: [...ids], unmatched };
  }

  /** The HubSpot company of an Account: Conduit's links first, else the one company with the Account's website domain. */
  private async hubspotCompanyOf(crms: WorkflowCrms, wf: WorkflowRow, accountId: string): Promise<{ id: string | null; name?: string; note: string | null }> {
    const linked = await this.workflows.hubspotCompanyOfAccount(wf.workspace_id, accountId);
    if (linked) {
      const [company] = await crms.hubspot.readByIds('company', [linked], { properties: ['name'] });
      if (company) return { id: company.id, name: text(company.properties['name']) || company.id, note: null };
    }
    const [account] = await crms.salesforce.readByIds('company', [accountId], { properties: ['Name', 'Website'] });
    const domain = normalizeDomain(text(account?.properties['Website']));
    if (!domain) return { id: null, note: `Account ${text(account?.properties['Name']) || accountId} has no website to find its HubSpot company by` };
    const matches = await crms.hubspot.findCompaniesByDomains([domain], { properties: ['name'] });
    if (matches.length === 1) return { id: matches[0]!.record.id, name: text(matches[0]!.record.properties['name']) || matches[0]!.record.id, note: null };
    return { id: null, note: matches.length ? `${matches.length} HubSpot companies have the domain ${domain}: none was associated` : `no HubSpot company has the domain ${domain}` };
  }

  // ---- Account → HubSpot company -----------------------------------------------------------------------

  async accountCompany(crms: WorkflowCrms, wf: WorkflowRow, config: AccountCompanyConfigDto, run: RunRow): Promise<Outcome> {
    const accountId = run.trigger.recordId;
    const [account] = await crms.salesforce.readByIds('company', [accountId], { properties: ACCOUNT_FIELDS });
    if (!account) return { result: 'skipped', reason: `Account ${accountId} no longer exists`, summary: `Account ${accountId} was deleted in Salesforce: nothing to write` };
    const name = text(account.properties['Name']) || accountId;
    const gate = accountGate(config, account.properties);
    if (!gate.ok) return { result: 'filtered', decision: `refused: ${gate.reason}`, reason: gate.reason, summary: `Account '${name}' not copied to HubSpot: ${gate.reason}` };
    const { domain } = gate.value;
    const fields = await crms.describe('hubspot', 'company');
    const optionsOf = (property: string) => {
      const f = fields.find((x) => x.name === property);
      return f?.type === 'enumeration' ? (f.options ?? []).map((o) => o.value) : [];
    };

    // Locked on the domain: two Accounts with one domain (or two runs of one Account) never create two companies.
    return this.workflows.withLock(`workflow-company:${wf.workspace_id}:${domain}`, async () => {
      const found = await this.companyForAccount(crms, wf, accountId, domain);
      if (found.ambiguous) {
        const reason = `${found.ambiguous.length} HubSpot companies have the domain ${domain} (${found.ambiguous.map((c) => `'${text(c.properties['name']) || c.id}'`).join(', ')}): merge them in HubSpot, then retry`;
        return { result: 'needs_attention', decision: `domain ${domain}`, reason, summary: `Account '${name}' not copied: ${reason}` };
      }
      const current = found.company;
      if (!current && !config.create) {
        return { result: 'skipped', decision: `domain ${domain}`, reason: `no HubSpot company has the domain ${domain} and creating companies is off`, summary: `Account '${name}' has no HubSpot company (${domain}); creating is off` };
      }
      const plan = planCompany({ config, account: account.properties, domain, company: current?.properties ?? null, industryOptions: optionsOf('industry'), employeeOptions: optionsOf('numberofemployees') });
      const changes = changedProperties(plan.properties, current?.properties ?? null);
      let id: string;
      if (!current) {
        id = unwrap((await crms.hubspot.createMany('company', [{ properties: changes }]))[0]).id;
      } else {
        id = current.id;
        if (Object.keys(changes).length) unwrap((await crms.hubspot.updateMany('company', [{ id, properties: changes }]))[0]);
      }
      await this.workflows.saveRecordLink(wf.workspace_id, 'company', accountId, id);
      if (Object.keys(changes).length) await this.workflows.recordWrites(wf.workspace_id, run.id, 'hubspot', 'company', id, changes);
      const refused = plan.refused.map((r) => `${r.field}: ${r.reason}`);
      const wrote = Object.keys(changes).length > 0;
      let summary = describeCompanyWrite({ name: changes['name'] ?? (text(current?.properties['name']) || name), domain, created: !current, changes, current: current?.properties ?? null });
      if (refused.length && wrote) summary += `; kept as is: ${refused.join('; ')}`;
      return {
        result: wrote ? 'success' : 'skipped',
        decision: `passed: domain ${domain}${current ? ` (${found.via})` : ''}`,
        payload: { company: changes, ...(refused.length ? { refused: plan.refused } : {}) },
        action: !current ? 'company_created' : wrote ? 'company_updated' : null,
        reason: wrote ? null : refused.length ? refused.join('; ') : 'the HubSpot company already says this',
        targetId: id,
        summary,
      };
    });
  }

  /** The company an Account writes to: the one written before, the import's link, else the company with its domain. */
  private async companyForAccount(
    crms: WorkflowCrms,
    wf: WorkflowRow,
    accountId: string,
    domain: string,
  ): Promise<{ company: CrmRecord | null; via?: string; ambiguous?: CrmRecord[] }> {
    const linked = await this.workflows.hubspotCompanyOfAccount(wf.workspace_id, accountId);
    if (linked) {
      const [company] = await crms.hubspot.readByIds('company', [linked], { properties: COMPANY_PROPERTIES });
      if (company) return { company, via: 'linked before' };
    }
    const matches = await crms.hubspot.findCompaniesByDomains([domain], { properties: COMPANY_PROPERTIES });
    if (matches.length > 1) return { company: null, ambiguous: matches.map((m) => m.record) };
    return matches[0] ? { company: matches[0].record, via: 'matched by domain' } : { company: null };
  }
}
