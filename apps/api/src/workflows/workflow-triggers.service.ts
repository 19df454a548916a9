import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EmailChangeConfigDto, MqlHandoffConfigDto } from '@conduit/contracts';
import type { CrmAdapter, CrmObjectType, CrmRecord, DealContactRoleChange } from '@conduit/crm';
import type { Repository } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import type { HubspotChangeEvent, HubspotChangeListener } from '../sync/hubspot-change-listener.js';
import { WorkflowCrmsProvider } from './workflow-crms.js';
import { CLOSED_LOOP_WATCHED } from './closed-loop-rules.js';
import { emailDirectionAllows } from './workflow-rules.js';
import { type WorkflowRow, WorkflowsService } from './workflows.service.js';

/** Pages read per object and poll; the rest waits for the next poll (the cursor is saved per page). */
const MAX_PAGES_PER_POLL = 20;

/**
 * Turns CRM changes into workflow runs: HubSpot webhook events (called by the sync feature's webhook endpoint after
 * it verified the signature) and changes read by `poll`: Salesforce Opportunity, Account, Lead and Contact
 * SystemModstamp, and HubSpot contacts that reached the MQL stage (the incremental path when a webhook was missed). Echoes of Conduit's own writes are logged as ignored_echo and never executed.
 */
@Injectable()
export class WorkflowTriggers implements HubspotChangeListener {
  private readonly logger = new Logger(WorkflowTriggers.name);

  constructor(
    private readonly workflows: WorkflowsService,
    private readonly outbox: OutboxService,
    private readonly crms: WorkflowCrmsProvider,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {}

  async onHubspotEvents(events: readonly HubspotChangeEvent[]): Promise<void> {
    const relevant = events.filter((e) => e.subscriptionType === 'contact.propertyChange' && (e.propertyName === 'lifecyclestage' || e.propertyName === 'email'));
    if (!relevant.length) return;
    const portals = [...new Set(relevant.map((e) => String(e.portalId)))];
    for (const portalId of portals) {
      const rows = await this.connections.findBy({ crm: 'hubspot', accountId: portalId });
      for (const connection of rows) {
        const workflows = await this.workflows.enabled(connection.workspaceId);
        if (!workflows.length) continue;
        await this.outbox.transaction(async (tx) => {
          for (const e of relevant.filter((x) => String(x.portalId) === portalId)) {
            const wf = workflows.find((w) => (e.propertyName === 'email' ? w.kind === 'email_change' : w.kind === 'mql_handoff'));
            if (!wf) continue;
            if (wf.kind === 'mql_handoff' && e.propertyValue !== (wf.config as MqlHandoffConfigDto).triggerStage) continue;
            const recordId = String(e.objectId);
            const echo = await this.workflows.consumeEcho(tx.manager, wf.workspace_id, 'hubspot', 'contact', recordId, e.propertyName ?? '', e.propertyValue ?? null);
            await this.workflows.trigger(tx, wf, {
              key: `hubspot:${portalId}:${String(e.eventId)}`,
              at: new Date(typeof e.occurredAt === 'number' ? e.occurredAt : Date.now()),
              echo,
              trigger: { source: 'hubspot_webhook', object: 'contact', recordId, detail: { property: e.propertyName, value: e.propertyValue ?? null, changeSource: e.changeSource ?? null } },
            });
          }
        });
      }
    }
  }

  /** Reads Salesforce changes since the stored cursors and records runs for the enabled workflows that want them. */
  async poll(workspaceId: string): Promise<{ triggered: number }> {
    const workflows = (await this.workflows.enabled(workspaceId)).filter((w) => w.status === 'active');
    // Workflows reading one object share its poll: one read with the fields any of them needs, one cursor.
    const wanted = new Map<CrmObjectType, { wfs: WorkflowRow[]; properties: Set<string> }>();
    const want = (object: CrmObjectType, wf: WorkflowRow, properties: readonly string[]) => {
      const entry = wanted.get(object) ?? { wfs: [], properties: new Set<string>() };
      entry.wfs.push(wf);
      for (const p of properties) entry.properties.add(p);
      wanted.set(object, entry);
    };
    for (const wf of workflows) {
      if (wf.kind === 'stage_lifecycle') want('deal', wf, ['StageName', 'Amount']);
      if (wf.kind === 'account_hygiene') want('company', wf, ['Name', 'Industry', 'NumberOfEmployees', 'Website']);
      if (wf.kind === 'opportunity_deal') want('deal', wf, CLOSED_LOOP_WATCHED.deal);
      if (wf.kind === 'account_company') want('company', wf, CLOSED_LOOP_WATCHED.company);
      if (wf.kind === 'email_change' && emailDirectionAllows(wf.config as EmailChangeConfigDto, 'salesforce')) {
        want('lead', wf, ['Email']);
        want('contact', wf, ['Email']);
      }
    }
    const mql = workflows.find((w) => w.kind === 'mql_handoff');
    if (!wanted.size && !mql) return { triggered: 0 };
    const crms = await this.crms.for(workspaceId);
    let triggered = 0;
    if (mql) triggered += await this.pollHubspotMqls(crms.hubspot, mql);
    for (const [object, { wfs, properties }] of wanted) {
      let cursor = await this.workflows.cursor(workspaceId, object);
      for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
        const result = await crms.salesforce.listChangedSince(object, cursor, { properties: [...properties], pageSize: 2000 });
        for (const wf of wfs) {
          // Changes from before the workflow was enabled are history, not triggers.
          const since = wf.enabled_at?.getTime() ?? Date.now();
          const fresh = result.records.filter((r) => !r.archived && Date.parse(r.updatedAt) >= since);
          if (fresh.length) triggered += await this.triggerChanges(wf, object, fresh);
        }
        cursor = result.nextCursor;
        await this.workflows.saveCursor(workspaceId, object, cursor);
        if (!result.hasMore) break;
      }
    }
    const deals = workflows.find((w) => w.kind === 'opportunity_deal');
    if (deals) triggered += await this.pollContactRoles(crms.salesforce, deals);
    return { triggered };
  }

  /**
   * Opportunity → deal also follows contact roles: adding or removing one does not change the Opportunity's own
   * SystemModstamp, so the roles' changes are read on their own cursor and trigger a run of their Opportunity.
   */
  private async pollContactRoles(salesforce: CrmAdapter, wf: WorkflowRow): Promise<number> {
    if (!salesforce.listDealContactRoleChanges) return 0;
    const since = wf.enabled_at?.getTime() ?? Date.now();
    let cursor = await this.workflows.cursor(wf.workspace_id, 'deal-contact-role');
    let n = 0;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const result = await salesforce.listDealContactRoleChanges(cursor, { pageSize: 2000 });
      // One run per Opportunity, for its latest role change on the page.
      const latest = new Map<string, DealContactRoleChange>();
      for (const c of result.changes) if (Date.parse(c.updatedAt) >= since && (latest.get(c.dealId)?.updatedAt ?? '') < c.updatedAt) latest.set(c.dealId, c);
      if (latest.size) {
        await this.outbox.transaction(async (tx) => {
          for (const [dealId, { updatedAt, dealName }] of latest) {
            const id = await this.workflows.trigger(tx, wf, {
              key: `salesforce:deal-contact-role:${dealId}:${updatedAt}`,
              at: new Date(updatedAt),
              // The Opportunity's Name names the run (#21), as an Opportunity change's own properties do.
              trigger: { source: 'salesforce_poll', object: 'deal', recordId: dealId, detail: { change: 'contact roles', updatedAt, ...(dealName ? { Name: dealName } : {}) } },
            });
            if (id) n++;
          }
        });
      }
      cursor = result.nextCursor;
      await this.workflows.saveCursor(wf.workspace_id, 'deal-contact-role', cursor);
      if (!result.hasMore) break;
    }
    return n;
  }

  /**
   * The MQL handoff without webhooks: HubSpot contacts changed since the cursor whose lifecycle stage is the trigger
   * stage and that were never handed off (a webhook usually got there first; the upsert makes a second run harmless).
   */
  private async pollHubspotMqls(hubspot: CrmAdapter, wf: WorkflowRow): Promise<number> {
    const stage = (wf.config as MqlHandoffConfigDto).triggerStage;
    const since = wf.enabled_at?.getTime() ?? Date.now();
    let cursor = await this.workflows.cursor(wf.workspace_id, 'hubspot:contact');
    let n = 0;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const result = await hubspot.listChangedSince('contact', cursor, { properties: ['lifecyclestage'], pageSize: 100 });
      const candidates = result.records.filter((r) => !r.archived && r.properties['lifecyclestage'] === stage && Date.parse(r.updatedAt) >= since);
      if (candidates.length) {
        await this.outbox.transaction(async (tx) => {
          for (const r of candidates) {
            if (await this.workflows.handedOff(wf.workspace_id, r.id)) continue;
            const echo = await this.workflows.consumeEcho(tx.manager, wf.workspace_id, 'hubspot', 'contact', r.id, 'lifecyclestage', stage);
            const id = await this.workflows.trigger(tx, wf, {
              key: `hubspot:contact:${r.id}:${r.updatedAt}`,
              at: new Date(r.updatedAt),
              echo,
              trigger: { source: 'hubspot_poll', object: 'contact', recordId: r.id, detail: { property: 'lifecyclestage', value: stage } },
            });
            if (id) n++;
          }
        });
      }
      cursor = result.nextCursor;
      await this.workflows.saveCursor(wf.workspace_id, 'hubspot:contact', cursor);
      if (!result.hasMore) break;
    }
    return n;
  }

  private async triggerChanges(wf: WorkflowRow, object: CrmObjectType, records: CrmRecord[]): Promise<number> {
    let n = 0;
    await this.outbox.transaction(async (tx) => {
      for (const r of records) {
        if ((object === 'lead' || object === 'contact') && !(await this.workflows.linkOfSalesforce(wf.workspace_id, r.id))) continue;
        const echo =
          object === 'lead' || object === 'contact'
            ? await this.workflows.consumeEcho(tx.manager, wf.workspace_id, 'salesforce', object, r.id, 'Email', r.properties['Email'])
            : (wf.kind === 'opportunity_deal' && object === 'deal') || (wf.kind === 'account_company' && object === 'company')
              ? await this.workflows.consumeRecordEcho(tx.manager, wf.workspace_id, 'salesforce', object, r.id, CLOSED_LOOP_WATCHED[object], r.properties)
              : false;
        const id = await this.workflows.trigger(tx, wf, {
          key: `salesforce:${object}:${r.id}:${r.updatedAt}`,
          at: new Date(r.updatedAt),
          echo,
          trigger: { source: 'salesforce_poll', object, recordId: r.id, detail: { ...r.properties, updatedAt: r.updatedAt } },
        });
        if (id) n++;
      }
    });
    return n;
  }

  /** Workspaces with a workflow that reads Salesforce changes (the poll schedule walks them). */
  async pollingWorkspaces(): Promise<string[]> {
    const rows = await this.connections.manager.query<{ workspace_id: string }[]>(
      `SELECT DISTINCT workspace_id FROM workflow WHERE enabled AND status = 'active'
         AND (kind IN ('mql_handoff', 'stage_lifecycle', 'account_hygiene', 'opportunity_deal', 'account_company') OR (kind = 'email_change' AND config->>'direction' = 'both'))`,
    );
    return rows.map((r) => r.workspace_id);
  }

  logPollFailure(workspaceId: string, err: unknown): void {
    this.logger.warn({ msg: 'workflow poll failed', workspaceId, error: (err as Error).message });
  }
}
