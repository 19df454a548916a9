import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AccountCompanyConfigDto, AccountHygieneConfigDto, EmailChangeConfigDto, MqlHandoffConfigDto, OpportunityDealConfigDto, StageLifecycleConfigDto } from '@conduit/contracts';
import { CrmError, type CrmKind, crmLabel, type CrmValue, type CrmWriteResult, isCrmError } from '@conduit/crm';
import { isBlank, normalizeEmail } from '@conduit/mapping';
import { CrmConnection } from '../connections/connection.entity.js';
import { ApiBudgetExhaustedError, ApiBudgetService, type BudgetPause, liveWaitReason } from '../crm-runtime/api-budget.service.js';
import { ClosedLoopRuns } from './closed-loop-runs.js';
import { type WorkflowCrms, WorkflowCrmsProvider } from './workflow-crms.js';
import { accountDomain, contactPropertiesOf, evaluateFilter, fingerprintValue, hygieneGate, lifecycleForStage, lifecycleMove, masterOf, mayOverwrite, planLead } from './workflow-rules.js';
import { type RunRow, SUPERSEDED, SUPERSEDED_REASON, type WorkflowRow, WorkflowsService } from './workflows.service.js';

type Outcome = Parameters<WorkflowsService['finishRun']>[2];

/** The message of a CRM refusal, field by field (Salesforce's / HubSpot's own words). */
function crmReason(err: CrmError): string {
  if (err.details.kind === 'validation' && err.details.fields.length) return err.details.fields.map((f) => `${f.field ?? '(record)'}: ${f.code} ${f.message}`).join('; ');
  return err.message;
}

const isAuthFailure = (err: unknown): err is CrmError => isCrmError(err) && (err.kind === 'auth_revoked' || err.kind === 'auth_expired');

/** A refusal about the record itself (not retryable without a fix): Needs attention. */
const isRecordRefusal = (err: unknown): err is CrmError => isCrmError(err) && (err.kind === 'validation' || err.kind === 'permission_denied' || err.kind === 'not_found');

function unwrap(result: CrmWriteResult | undefined): { id: string; created: boolean | null } {
  if (!result) throw new Error('The CRM returned no result for the write');
  if (!result.ok) throw result.error;
  return { id: result.id, created: result.created };
}

/**
 * Executes one run: reads both CRMs, asks the decision layer, writes, records fingerprints of what it wrote and the
 * outcome. Transient CRM errors throw (Bull retries); auth failures pause the workflow; record refusals go to
 * Needs attention with the CRM's reason.
 */
@Injectable()
export class WorkflowExecutor {
  private readonly logger = new Logger(WorkflowExecutor.name);

  constructor(
    private readonly workflows: WorkflowsService,
    private readonly crmsProvider: WorkflowCrmsProvider,
    private readonly closedLoop: ClosedLoopRuns,
    private readonly budgets: ApiBudgetService,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {}

  async execute(workspaceId: string, runId: string): Promise<{ result: string }> {
    const found = await this.workflows.loadRun(workspaceId, runId);
    if (!found || found.run.result !== 'pending') return { result: found?.run.result ?? 'gone' };
    const { run, workflow } = found;
    // Waiting for the daily API budget's reset (a stray job before it): the budget sweep runs it then.
    if (run.wait_until && run.wait_until > this.budgets.now()) return { result: 'waiting' };
    if (workflow.status === 'paused' || !workflow.enabled) {
      await this.workflows.finishRun(workspaceId, runId, { result: 'skipped', reason: workflow.status === 'paused' ? `workflow paused: ${workflow.paused_reason ?? ''}` : 'workflow disabled' });
      return { result: 'skipped' };
    }
    const coveredBy = await this.workflows.startAttempt(workspaceId, runId);
    if (coveredBy) {
      await this.workflows.finishRun(workspaceId, runId, { result: 'skipped', decision: SUPERSEDED, reason: SUPERSEDED_REASON, payload: { coveredByRunId: coveredBy } });
      return { result: 'skipped' };
    }
    let outcome: Outcome;
    try {
      const crms = await this.crmsProvider.for(workspaceId);
      outcome = await this.dispatch(crms, workflow, run);
    } catch (err) {
      if (isAuthFailure(err)) {
        const reason = `${crmLabel(err.crm)} authorization failed (${err.kind}): ${err.message}. Reconnect, then resume the workflow.`;
        await this.workflows.pause(workspaceId, workflow.id, reason, err.crm);
        this.logger.warn({ msg: 'workflow paused after an auth failure', workspaceId, workflowId: workflow.id, kind: workflow.kind, crm: err.crm });
        outcome = { result: 'failed', reason };
      } else if (isRecordRefusal(err)) {
        outcome = { result: 'needs_attention', reason: `${crmLabel(err.crm)} refused the write: ${crmReason(err)}` };
      } else {
        // A handoff past the daily API budget (#17: a connection's allocation with its live reserve spent, or the
        // CRM's own daily limit) waits for the reset: the run stays pending with the reason, and the budget sweep
        // (WorkflowBudgetWaits) runs it again then. Retrying before would only be refused again.
        const wait = await this.budgetWait(workspaceId, err);
        if (!wait) throw err;
        const reason = liveWaitReason(wait.crm, wait.pause);
        await this.workflows.waitForBudget(workspaceId, runId, reason, wait.pause.resumesAt);
        this.logger.log({ msg: 'workflow run waits for the daily API budget', workspaceId, runId, reason, retryAt: wait.pause.resumesAt.toISOString() });
        return { result: 'waiting' };
      }
    }
    await this.workflows.finishRun(workspaceId, runId, outcome);
    return { result: outcome.result };
  }

  /** The daily-budget pause an error of a run calls for, and the CRM it is about; null for any other error. */
  private async budgetWait(workspaceId: string, error: unknown): Promise<{ crm: CrmKind; pause: BudgetPause } | null> {
    let crm: CrmKind | undefined;
    for (let e: unknown = error, depth = 0; depth < 5 && e && !crm; depth++) {
      if (e instanceof ApiBudgetExhaustedError || e instanceof CrmError) crm = e.crm;
      e = typeof e === 'object' && 'cause' in e ? (e as { cause?: unknown }).cause : undefined;
    }
    if (!crm) return null;
    const connection = await this.connections.findOneBy({ workspaceId, crm });
    const pause = connection ? this.budgets.pauseFor(connection, error) : null;
    return pause ? { crm, pause } : null;
  }

  private dispatch(crms: WorkflowCrms, workflow: WorkflowRow, run: RunRow): Promise<Outcome> {
    switch (workflow.kind) {
      case 'mql_handoff':
        return this.mqlHandoff(crms, workflow, workflow.config as MqlHandoffConfigDto, run);
      case 'stage_lifecycle':
        return this.stageLifecycle(crms, workflow, workflow.config as StageLifecycleConfigDto, run);
      case 'email_change':
        return this.emailChange(crms, workflow, workflow.config as EmailChangeConfigDto, run);
      case 'account_hygiene':
        return this.accountHygiene(crms, workflow, workflow.config as AccountHygieneConfigDto, run);
      case 'opportunity_deal':
        return this.closedLoop.opportunityDeal(crms, workflow, workflow.config as OpportunityDealConfigDto, run);
      case 'account_company':
        return this.closedLoop.accountCompany(crms, workflow, workflow.config as AccountCompanyConfigDto, run);
    }
  }

  // ---- MQL handoff ------------------------------------------------------------------------------

  private async mqlHandoff(crms: WorkflowCrms, wf: WorkflowRow, config: MqlHandoffConfigDto, run: RunRow): Promise<Outcome> {
    const hubspotId = run.trigger.recordId;
    const properties = [
      ...new Set([
        'email', 'lifecyclestage', 'hs_analytics_source', 'hubspot_owner_id', 'country', 'state',
        ...config.conditions.map((c) => c.property),
        ...config.fieldMap.flatMap((r) => (r.hubspot ? [r.hubspot] : [])),
      ]),
    ];
    const contact = await crms.readHubspotContact(hubspotId, properties);
    if (!contact) return { result: 'skipped', decision: 'contact not found', reason: `HubSpot contact ${hubspotId} no longer exists` };
    const props = contact.properties;
    if (String(props['lifecyclestage'] ?? '') !== config.triggerStage) {
      return { result: 'skipped', decision: `lifecyclestage is ${JSON.stringify(props['lifecyclestage'] ?? null)}, not ${config.triggerStage}` };
    }
    const filter = evaluateFilter(config.conditions, props);
    if (!filter.ok) return { result: 'filtered', decision: `rejected: ${filter.reason}` };

    const [hubspotFields, leadFields] = await Promise.all([crms.describe('hubspot', 'contact'), crms.describe('salesforce', 'lead')]);
    const plan = planLead({ config, hubspotId, properties: props, hubspotFields, leadFields });
    if (!plan.ok) return { result: 'needs_attention', decision: 'passed', reason: plan.reason };
    const payload: Record<string, unknown> = { lead: plan.value.properties, defaulted: plan.value.defaulted };
    const { [config.externalIdField]: _ext, ...fields } = plan.value.properties;
    const email = typeof plan.value.properties['Email'] === 'string' ? plan.value.properties['Email'] : null;
    const salesforceMastered = await this.salesforceMastered(wf, config);
    /** Drops the Salesforce-mastered fields the existing record already has a value for (the master's value stays). */
    const keepMastered = async (object: 'lead' | 'contact', id: string | null, props: Record<string, CrmValue>): Promise<Record<string, CrmValue>> => {
      const names = salesforceMastered.filter((f) => f in props);
      if (!id || !names.length) return props;
      const [current] = await crms.salesforce.readByIds(object, [id], { properties: names });
      const kept = names.filter((f) => !mayOverwrite('salesforce', 'hubspot', current?.properties[f]));
      // The run log names the values that differ (an equal value kept is no news).
      const differing = kept.filter((f) => fingerprintValue(current?.properties[f]) !== fingerprintValue(props[f]));
      if (differing.length) payload['keptSalesforceValues'] = differing;
      return Object.fromEntries(Object.entries(props).filter(([k]) => !kept.includes(k)));
    };

    // A person who is already a Contact (a converted Lead, or created as a Contact) is updated there.
    const matches = email ? await crms.findSalesforceByEmail(email) : [];
    const asContact = matches.find((m) => m.convertedFromLeadId) ?? matches.find((m) => m.record.object === 'contact');
    if (asContact) {
      const contactFields = await crms.describe('salesforce', 'contact');
      const update = await keepMastered('contact', asContact.record.id, contactPropertiesOf(fields, contactFields, ['LeadSource', 'Company', 'Status', 'OwnerId']));
      unwrap((await crms.salesforce.updateMany('contact', [{ id: asContact.record.id, properties: update }]))[0]);
      await this.afterWrite(wf, run, 'contact', asContact.record.id, hubspotId, update);
      return { result: 'success', decision: 'passed', payload: { ...payload, contact: update }, action: asContact.convertedFromLeadId ? 'converted_lead_contact_updated' : 'contact_updated', targetId: asContact.record.id };
    }

    // The Lead this contact was handed to before (only read when some field's master is Salesforce).
    const existingLead = salesforceMastered.length
      ? await this.workflows.linkOfHubspot(wf.workspace_id, hubspotId).then((l) => (l?.object === 'lead' ? l.id : (matches.find((m) => m.record.object === 'lead')?.record.id ?? null)))
      : null;
    const upsertFields = await keepMastered('lead', existingLead, fields);
    // Upsert on the external id: atomic in Salesforce, so concurrent deliveries cannot create two Leads.
    const [result] = await crms.salesforce.upsertByExternalId('lead', config.externalIdField, [{ value: hubspotId, properties: upsertFields }]);
    if (result && !result.ok && result.error.details.kind === 'duplicate' && result.error.details.existingId) {
      // A duplicate rule matched a record created without the external id: update that one and stamp the id on it.
      const existingId = result.error.details.existingId;
      const object = existingId.startsWith('003') ? 'contact' : 'lead';
      const update = await keepMastered(
        object,
        existingId,
        object === 'lead' ? plan.value.properties : contactPropertiesOf(fields, await crms.describe('salesforce', 'contact'), ['LeadSource', 'Company', 'Status', 'OwnerId']),
      );
      unwrap((await crms.salesforce.updateMany(object, [{ id: existingId, properties: update }]))[0]);
      await this.afterWrite(wf, run, object, existingId, hubspotId, update);
      return { result: 'success', decision: 'passed', payload, action: 'duplicate_matched_updated', targetId: existingId };
    }
    const written = unwrap(result);
    await this.afterWrite(wf, run, 'lead', written.id, hubspotId, { ...upsertFields, [config.externalIdField]: hubspotId });
    let opportunityId: string | null = null;
    if (config.opportunity.enabled && written.created) {
      const close = new Date(Date.now() + config.opportunity.closeInDays * 86_400_000).toISOString().slice(0, 10);
      const name = `${String(fields['Company'] ?? '')} – ${String(fields['LastName'] ?? '')}`.slice(0, 120);
      const opp = { Name: name, StageName: config.opportunity.stageName, CloseDate: close, ...(config.opportunity.amount === null || config.opportunity.amount === undefined ? {} : { Amount: config.opportunity.amount }) };
      opportunityId = unwrap((await crms.salesforce.createMany('deal', [{ properties: opp }]))[0]).id;
      await this.workflows.recordWrites(wf.workspace_id, run.id, 'salesforce', 'deal', opportunityId, opp);
      payload['opportunity'] = opp;
    }
    return {
      result: 'success',
      decision: 'passed',
      payload,
      action: `${written.created === false ? 'lead_updated' : 'lead_created'}${opportunityId ? '+opportunity_created' : ''}`,
      targetId: written.id,
    };
  }

  /** Salesforce fields of the handoff's map whose master is Salesforce (named on the row or by another workflow). */
  private async salesforceMastered(wf: WorkflowRow, config: MqlHandoffConfigDto): Promise<string[]> {
    const rows = config.fieldMap.filter((r) => r.hubspot);
    if (!rows.length) return [];
    const definitions = rows.every((r) => r.master) ? [] : await this.workflows.definitions(wf.workspace_id);
    return rows.filter((r) => (r.master ?? masterOf(definitions, `contact.${r.hubspot ?? ''}`, `person.${r.salesforce}`)) === 'salesforce').map((r) => r.salesforce);
  }

  /** The master of email ↔ Email; null with both directions on means the definition predates the rule. */
  private async emailMaster(wf: WorkflowRow, config: EmailChangeConfigDto): Promise<{ master: 'hubspot' | 'salesforce' | null; missing: boolean }> {
    const master = config.master ?? masterOf(await this.workflows.definitions(wf.workspace_id), 'contact.email', 'person.Email');
    return { master, missing: master === null && config.direction === 'both' };
  }

  private async afterWrite(wf: WorkflowRow, run: RunRow, object: 'lead' | 'contact', id: string, hubspotId: string, properties: Record<string, CrmValue>): Promise<void> {
    await this.workflows.recordWrites(wf.workspace_id, run.id, 'salesforce', object, id, properties);
    await this.workflows.link(wf.workspace_id, hubspotId, object, id);
  }

  // ---- Stage → lifecycle -------------------------------------------------------------------------------

  private async stageLifecycle(crms: WorkflowCrms, wf: WorkflowRow, config: StageLifecycleConfigDto, run: RunRow): Promise<Outcome> {
    const oppId = run.trigger.recordId;
    const [opp] = await crms.salesforce.readByIds('deal', [oppId], { properties: ['StageName', 'Amount'] });
    if (!opp) return { result: 'skipped', reason: `Opportunity ${oppId} no longer exists` };
    const target = lifecycleForStage(config, opp.properties['StageName'], opp.properties['Amount']);
    const stage = `StageName ${JSON.stringify(opp.properties['StageName'] ?? null)}, Amount ${JSON.stringify(opp.properties['Amount'] ?? null)}`;
    if (!target) return { result: 'skipped', decision: `${stage}: no rule applies` };

    const contactIds = (await crms.salesforce.readAssociations('deal', 'contact', [oppId]))[oppId] ?? [];
    if (!contactIds.length) return { result: 'skipped', decision: `${stage} → ${target}`, reason: 'the Opportunity has no contact roles' };
    const sfContacts = await crms.salesforce.readByIds('contact', contactIds, { properties: ['Email', 'HubSpot_Contact_ID__c'] });
    const hubspotIds = new Set<string>();
    const emails: string[] = [];
    for (const c of sfContacts) {
      const byLink = (await this.workflows.linkOfSalesforce(wf.workspace_id, c.id)) ?? (typeof c.properties['HubSpot_Contact_ID__c'] === 'string' ? c.properties['HubSpot_Contact_ID__c'] : null);
      if (byLink) hubspotIds.add(byLink);
      else if (typeof c.properties['Email'] === 'string') emails.push(c.properties['Email']);
    }
    if (emails.length) for (const m of await crms.hubspot.findByEmails(emails, { properties: ['lifecyclestage'] })) hubspotIds.add(m.record.id);
    if (!hubspotIds.size) return { result: 'skipped', decision: `${stage} → ${target}`, reason: 'no HubSpot contact matches the contact roles' };

    const contacts = await crms.hubspot.readByIds('contact', [...hubspotIds], { properties: ['lifecyclestage'] });
    const moved: { id: string; from: CrmValue; to: string }[] = [];
    const refused: { id: string; reason: string }[] = [];
    for (const c of contacts) {
      const current = c.properties['lifecyclestage'];
      const move = lifecycleMove(current, target, config.allowBackwards);
      if (!move.ok) {
        refused.push({ id: c.id, reason: move.reason });
        continue;
      }
      // HubSpot ignores a backwards value unless the stage is cleared first.
      if (move.value === 'backward') {
        unwrap((await crms.hubspot.updateMany('contact', [{ id: c.id, properties: { lifecyclestage: '' } }]))[0]);
        await this.workflows.recordWrites(wf.workspace_id, run.id, 'hubspot', 'contact', c.id, { lifecyclestage: '' });
      }
      unwrap((await crms.hubspot.updateMany('contact', [{ id: c.id, properties: { lifecyclestage: target } }]))[0]);
      await this.workflows.recordWrites(wf.workspace_id, run.id, 'hubspot', 'contact', c.id, { lifecyclestage: target });
      moved.push({ id: c.id, from: current ?? null, to: target });
    }
    const payload = { lifecyclestage: target, moved, refused };
    if (!moved.length) return { result: 'skipped', decision: `${stage} → ${target}`, payload, reason: refused.map((r) => `contact ${r.id}: ${r.reason}`).join('; ') };
    return { result: 'success', decision: `${stage} → ${target}`, payload, action: 'lifecycle_moved', targetId: moved.map((m) => m.id).join(',') };
  }

  // ---- Email change ---------------------------------------------------------------------------------

  private async emailChange(crms: WorkflowCrms, wf: WorkflowRow, config: EmailChangeConfigDto, run: RunRow): Promise<Outcome> {
    const { master, missing } = await this.emailMaster(wf, config);
    if (missing) return { result: 'needs_attention', reason: 'email ↔ Email is mapped both ways and names no master: choose which system wins in the email change workflow' };
    if (run.trigger.object === 'contact' && run.trigger.source !== 'salesforce_poll') return this.emailToSalesforce(crms, wf, run, master);
    return this.emailToHubspot(crms, wf, run, master);
  }

  private async emailToSalesforce(crms: WorkflowCrms, wf: WorkflowRow, run: RunRow, master: 'hubspot' | 'salesforce' | null): Promise<Outcome> {
    const hubspotId = run.trigger.recordId;
    const [contact] = await crms.hubspot.readByIds('contact', [hubspotId], { properties: ['email'] });
    if (!contact) return { result: 'skipped', reason: `HubSpot contact ${hubspotId} no longer exists` };
    const email = normalizeEmail(String(contact.properties['email'] ?? ''));
    if (!email.ok) return { result: 'needs_attention', reason: `HubSpot email ${JSON.stringify(contact.properties['email'] ?? null)}: ${email.error.message}` };
    const target = await this.workflows.linkOfHubspot(wf.workspace_id, hubspotId);
    if (!target) return { result: 'skipped', decision: 'no linked Salesforce record', reason: 'this HubSpot contact is linked to no Salesforce Lead or Contact (matched by stored ids, never by the old email)' };
    let object = target.object;
    let id = target.id;
    const [current] = await crms.salesforce.readByIds(object, [id], { properties: object === 'lead' ? ['Email', 'IsConverted', 'ConvertedContactId'] : ['Email'] });
    if (!current) return { result: 'skipped', reason: `Salesforce ${object} ${id} no longer exists` };
    let currentEmail = current.properties['Email'];
    if (object === 'lead' && current.properties['IsConverted'] === true && typeof current.properties['ConvertedContactId'] === 'string') {
      object = 'contact';
      id = current.properties['ConvertedContactId'];
      await this.workflows.link(wf.workspace_id, hubspotId, object, id);
      currentEmail = (await crms.salesforce.readByIds('contact', [id], { properties: ['Email'] }))[0]?.properties['Email'];
    }
    if (String(currentEmail ?? '').toLowerCase() === email.value) return { result: 'skipped', decision: 'unchanged', payload: { Email: email.value }, targetId: id };
    if (!mayOverwrite(master, 'hubspot', currentEmail)) {
      return { result: 'skipped', decision: 'Salesforce is master of email: its value is kept', payload: { Email: currentEmail ?? null, hubspot: email.value }, targetId: id };
    }
    unwrap((await crms.salesforce.updateMany(object, [{ id, properties: { Email: email.value } }]))[0]);
    await this.workflows.recordWrites(wf.workspace_id, run.id, 'salesforce', object, id, { Email: email.value });
    return { result: 'success', decision: 'propagate', payload: { Email: email.value }, action: `${object}_email_updated`, targetId: id };
  }

  private async emailToHubspot(crms: WorkflowCrms, wf: WorkflowRow, run: RunRow, master: 'hubspot' | 'salesforce' | null): Promise<Outcome> {
    const object = run.trigger.object === 'lead' ? 'lead' : 'contact';
    const [record] = await crms.salesforce.readByIds(object, [run.trigger.recordId], { properties: ['Email', 'HubSpot_Contact_ID__c'] });
    if (!record) return { result: 'skipped', reason: `Salesforce ${object} ${run.trigger.recordId} no longer exists` };
    const hubspotId = (await this.workflows.linkOfSalesforce(wf.workspace_id, record.id)) ?? (typeof record.properties['HubSpot_Contact_ID__c'] === 'string' ? record.properties['HubSpot_Contact_ID__c'] : null);
    if (!hubspotId) return { result: 'skipped', decision: 'no linked HubSpot contact' };
    if (isBlank(record.properties['Email'])) return { result: 'skipped', decision: 'Salesforce email is empty (never cleared in HubSpot)' };
    const email = String(record.properties['Email']).toLowerCase();
    const [contact] = await crms.hubspot.readByIds('contact', [hubspotId], { properties: ['email'] });
    if (!contact) return { result: 'skipped', reason: `HubSpot contact ${hubspotId} no longer exists` };
    if (String(contact.properties['email'] ?? '').toLowerCase() === email) return { result: 'skipped', decision: 'unchanged', targetId: hubspotId };
    if (!mayOverwrite(master, 'salesforce', contact.properties['email'])) {
      return { result: 'skipped', decision: 'HubSpot is master of email: its value is kept', payload: { email: contact.properties['email'] ?? null, salesforce: email }, targetId: hubspotId };
    }
    unwrap((await crms.hubspot.updateMany('contact', [{ id: hubspotId, properties: { email } }]))[0]);
    await this.workflows.recordWrites(wf.workspace_id, run.id, 'hubspot', 'contact', hubspotId, { email });
    return { result: 'success', decision: 'propagate', payload: { email }, action: 'hubspot_email_updated', targetId: hubspotId };
  }

  // ---- Account hygiene ------------------------------------------------------------------------------

  private async accountHygiene(crms: WorkflowCrms, wf: WorkflowRow, config: AccountHygieneConfigDto, run: RunRow): Promise<Outcome> {
    const [account] = await crms.salesforce.readByIds('company', [run.trigger.recordId], { properties: ['Name', 'Industry', 'NumberOfEmployees', 'Website', 'Domain__c'] });
    if (!account) return { result: 'skipped', reason: `Account ${run.trigger.recordId} no longer exists` };
    const domain = accountDomain(account.properties);
    if (!domain) return { result: 'skipped', decision: 'the Account has no website domain to match on' };
    const matches = await crms.hubspot.findCompaniesByDomains([domain], { properties: ['name', 'industry', 'numberofemployees', 'domain'] });
    if (!matches.length) return { result: 'skipped', decision: `no HubSpot company with domain ${domain}` };
    const fields = await crms.describe('hubspot', 'company');
    const optionsOf = (name: string) => {
      const f = fields.find((x) => x.name === name);
      return f?.type === 'enumeration' ? (f.options ?? []).map((o) => o.value) : [];
    };
    const written: Record<string, unknown> = {};
    const refusedAll: { companyId: string; field: string; reason: string }[] = [];
    for (const m of matches) {
      const gate = hygieneGate({ config, account: account.properties, company: m.record.properties, industryOptions: optionsOf('industry'), employeeOptions: optionsOf('numberofemployees') });
      refusedAll.push(...gate.refused.map((r) => ({ companyId: m.record.id, ...r })));
      if (!Object.keys(gate.properties).length) continue;
      unwrap((await crms.hubspot.updateMany('company', [{ id: m.record.id, properties: gate.properties }]))[0]);
      await this.workflows.recordWrites(wf.workspace_id, run.id, 'hubspot', 'company', m.record.id, gate.properties);
      written[m.record.id] = gate.properties;
    }
    const payload = { domain, written, refused: refusedAll };
    const decision = `gate: ${Object.keys(written).length} compan${Object.keys(written).length === 1 ? 'y' : 'ies'} updated, ${refusedAll.length} value(s) refused`;
    if (!Object.keys(written).length) return { result: 'skipped', decision, payload, reason: refusedAll.map((r) => `${r.field}: ${r.reason}`).join('; ') || 'nothing changed' };
    return { result: 'success', decision, payload, action: 'company_updated', targetId: Object.keys(written).join(',') };
  }
}
