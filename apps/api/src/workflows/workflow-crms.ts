import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type CrmAdapter, type CrmEmailMatch, CrmError, type CrmFieldDescriptor, crmLabel, type CrmObjectType, type CrmOpportunityStage, type CrmOwner, type CrmPipeline, type CrmRecord } from '@conduit/crm';
import type { Repository } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';

export interface WorkflowCrms {
  hubspot: CrmAdapter;
  salesforce: CrmAdapter;
  describe(crm: 'hubspot' | 'salesforce', object: CrmObjectType): Promise<CrmFieldDescriptor[]>;
  /** One HubSpot contact, read in a batch with the other runs of the workspace asking at the same moment. */
  readHubspotContact(id: string, properties: string[]): Promise<CrmRecord | undefined>;
  /** Salesforce Leads/Contacts (converted Leads resolved) by email, batched like readHubspotContact. */
  findSalesforceByEmail(email: string): Promise<CrmEmailMatch[]>;
  /** HubSpot deal pipelines and stages (cached a few minutes, like describe). */
  pipelines(): Promise<CrmPipeline[]>;
  /** Salesforce Opportunity stages with which close the deal (cached like pipelines). */
  opportunityStages(): Promise<CrmOpportunityStage[]>;
  /** Salesforce users and HubSpot owners (cached a few minutes). */
  owners(): Promise<{ salesforce: CrmOwner[]; hubspot: CrmOwner[] }>;
}

/** How long concurrent runs' contact reads are collected into one batch read (HubSpot allows 100 ids per call). */
const READ_BATCH_MS = 20;
const READ_BATCH_MAX = 100;

interface ReadBatch {
  adapter: CrmAdapter;
  ids: Set<string>;
  properties: Set<string>;
  waiters: { id: string; resolve: (r: CrmRecord | undefined) => void; reject: (e: unknown) => void }[];
}

const DESCRIBE_TTL_MS = 5 * 60_000;

/**
 * Both CRM adapters of a workspace from the CRM runtime (credentials with single-flight refresh, the connection's
 * shared Redis rate budget, so bursts wait instead of earning 429s), with batched reads and a describe cache.
 */
@Injectable()
export class WorkflowCrmsProvider {
  private readonly describeCache = new Map<string, { at: number; fields: Promise<CrmFieldDescriptor[]> }>();
  /** Pipelines and owners per connection pair: they change rarely, and every deal run needs them. */
  private readonly lookupCache = new Map<string, { at: number; value: Promise<unknown> }>();
  /** Open contact-read batches per workspace: at 10 MQLs/s one read per run would spend HubSpot's whole 100 / 10 s. */
  private readonly readBatches = new Map<string, ReadBatch>();
  /** The same for Salesforce email lookups (two SOQL queries each; the connection's budget is 25 requests/s). */
  private readonly emailBatches = new Map<string, { adapter: CrmAdapter; emails: Set<string>; waiters: { email: string; resolve: (m: CrmEmailMatch[]) => void; reject: (e: unknown) => void }[] }>();

  constructor(
    private readonly clients: CrmClients,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {}

  private async adapter(row: CrmConnection): Promise<CrmAdapter> {
    return (await this.clients.client(row, { feature: 'workflows', work: 'live' })).adapter;
  }

  async for(workspaceId: string): Promise<WorkflowCrms> {
    const rows = await this.connections.findBy({ workspaceId });
    const hs = rows.find((r) => r.crm === 'hubspot');
    const sf = rows.find((r) => r.crm === 'salesforce');
    // A missing or revoked connection is an auth failure of the workflow: it pauses instead of retrying.
    for (const [crm, row] of [['hubspot', hs], ['salesforce', sf]] as const) {
      if (!row) throw new CrmError({ kind: 'auth_revoked' }, { crm, message: `${crmLabel(crm)} is not connected` });
      if (row.status !== 'connected') throw new CrmError({ kind: 'auth_revoked' }, { crm, message: row.lastError ?? `${crm} needs a reconnect` });
    }
    const [hubspot, salesforce] = await Promise.all([this.adapter(hs!), this.adapter(sf!)]);
    const adapters = { hubspot, salesforce };
    const ids = { hubspot: hs!.id, salesforce: sf!.id };
    return {
      hubspot,
      salesforce,
      readHubspotContact: (id, properties) => this.readBatched(workspaceId, hubspot, id, properties),
      findSalesforceByEmail: (email) => this.findBatched(workspaceId, salesforce, email),
      pipelines: () => this.cached(`${ids.hubspot}:pipelines`, () => (hubspot.listPipelines ? hubspot.listPipelines('deal') : Promise.resolve([]))),
      opportunityStages: () => this.cached(`${ids.salesforce}:opportunity-stages`, () => (salesforce.listOpportunityStages ? salesforce.listOpportunityStages() : Promise.resolve([]))),
      owners: () =>
        this.cached(`${ids.hubspot}:${ids.salesforce}:owners`, async () => {
          const [sfOwners, hsOwners] = await Promise.all([salesforce.listOwners(), hubspot.listOwners()]);
          return { salesforce: sfOwners, hubspot: hsOwners };
        }),
      describe: (crm, object) => {
        const key = `${ids[crm]}:${object}`;
        const hit = this.describeCache.get(key);
        if (hit && Date.now() - hit.at < DESCRIBE_TTL_MS) return hit.fields;
        const fields = adapters[crm].describeFields(object);
        fields.catch(() => this.describeCache.delete(key));
        this.describeCache.set(key, { at: Date.now(), fields });
        return fields;
      },
    };
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.lookupCache.get(key);
    if (hit && Date.now() - hit.at < DESCRIBE_TTL_MS) return hit.value as Promise<T>;
    const value = load();
    value.catch(() => this.lookupCache.delete(key));
    this.lookupCache.set(key, { at: Date.now(), value });
    return value;
  }

  private readBatched(workspaceId: string, adapter: CrmAdapter, id: string, properties: string[]): Promise<CrmRecord | undefined> {
    let batch = this.readBatches.get(workspaceId);
    if (!batch || batch.ids.size >= READ_BATCH_MAX) {
      const fresh: ReadBatch = { adapter, ids: new Set(), properties: new Set(), waiters: [] };
      this.readBatches.set(workspaceId, fresh);
      setTimeout(() => void this.flush(workspaceId, fresh), READ_BATCH_MS);
      batch = fresh;
    }
    batch.ids.add(id);
    for (const p of properties) batch.properties.add(p);
    const open = batch;
    return new Promise((resolve, reject) => open.waiters.push({ id, resolve, reject }));
  }

  private async flush(workspaceId: string, batch: ReadBatch): Promise<void> {
    if (this.readBatches.get(workspaceId) === batch) this.readBatches.delete(workspaceId);
    try {
      const records = await batch.adapter.readByIds('contact', [...batch.ids], { properties: [...batch.properties] });
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const w of batch.waiters) w.resolve(byId.get(w.id));
    } catch (err) {
      for (const w of batch.waiters) w.reject(err);
    }
  }

  private findBatched(workspaceId: string, adapter: CrmAdapter, email: string): Promise<CrmEmailMatch[]> {
    const key = email.trim().toLowerCase();
    let batch = this.emailBatches.get(workspaceId);
    if (!batch || batch.emails.size >= READ_BATCH_MAX) {
      const fresh = { adapter, emails: new Set<string>(), waiters: [] as { email: string; resolve: (m: CrmEmailMatch[]) => void; reject: (e: unknown) => void }[] };
      this.emailBatches.set(workspaceId, fresh);
      setTimeout(() => {
        if (this.emailBatches.get(workspaceId) === fresh) this.emailBatches.delete(workspaceId);
        fresh.adapter.findByEmails([...fresh.emails], { properties: ['Email'] }).then(
          (matches) => fresh.waiters.forEach((w) => w.resolve(matches.filter((m) => m.email === w.email))),
          (err: unknown) => fresh.waiters.forEach((w) => w.reject(err)),
        );
      }, READ_BATCH_MS);
      batch = fresh;
    }
    batch.emails.add(key);
    const open = batch;
    return new Promise((resolve, reject) => open.waiters.push({ email: key, resolve, reject }));
  }
}
