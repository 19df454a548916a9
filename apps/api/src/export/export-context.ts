import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ApiWorkClass, ExportOutcome, PushResultDto } from '@conduit/contracts';
import { CrmError, type CrmAdapter, type CrmObjectType, type CrmRecord, type CrmValue } from '@conduit/crm';
import { createOwnerResolver, defaultStatusMapping, normalizeEmail, type CrmFieldDescriptor, type MappingRow, type OwnerResolver, type StatusMapping } from '@conduit/mapping';
import { DataSource, type Repository } from 'typeorm';
import type { Company } from '../companies/company.entity.js';
import type { CrmConnection } from '../connections/connection.entity.js';
import { CrmFieldSnapshot } from '../connections/field-snapshot.entity.js';
import { MappingRows } from '../connections/mapping-rows.js';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import type { Person } from '../people/person.entity.js';
import type { CrmLink } from '../sync/crm-link.entity.js';
import { User } from '../users/user.entity.js';
import type { CrmExportSettings } from './export-settings.entity.js';
import { OwnerMappingService } from './owner-mapping.service.js';

export type { ExportOutcome } from '@conduit/contracts';

/**
 * The batch calls of one chunk go out together rather than one after another: the shared rate budget paces them, so
 * an export uses the CRM's whole rolling window (a burst at the start, then the limit) instead of one call at a time.
 */
export async function inBatches<I, R>(ctx: ExportContext, items: readonly I[], send: (group: I[]) => Promise<R[]>): Promise<R[]> {
  // HubSpot batch endpoints take ≤ 100 inputs; Salesforce calls are packed by the adapter (Composite, 1,000 per call).
  const size = ctx.adapter.capabilities.batchSize;
  if (items.length === 0) return [];
  if (size === null || items.length <= size) return send([...items]);
  const groups: I[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return (await Promise.all(groups.map(send))).flat();
}

export interface ChunkResult {
  created: number;
  updated: number;
  unchanged: number;
  needsAttention: number;
  results: PushResultDto[];
}

/** Everything an export of one connection needs, loaded once per job. */
export interface ExportContext {
  connection: CrmConnection;
  adapter: CrmAdapter;
  rows: MappingRow[];
  /** Companies-tab mapping rows, applied to the HubSpot companies an export creates or finds (Salesforce: none). */
  companyRows: MappingRow[];
  /** Discovered fields per CRM object (contact, lead, company); empty when discovery has not run. */
  fields: Partial<Record<CrmObjectType, CrmFieldDescriptor[]>>;
  settings: CrmExportSettings;
  statusMapping: StatusMapping | undefined;
  owners: OwnerResolver | null;
  /** CRM calls made through this context since the last call of it (an export run records them with each chunk). */
  takeCalls(): number;
}

export interface Attention {
  code: string;
  reason: string;
  fields: string[];
  source: 'preflight' | 'crm';
}

/** One person's way through a chunk. */
export interface Item {
  person: Person;
  company: Company | null;
  linked: CrmLink | null;
  match: CrmRecord | null;
  object: CrmObjectType;
  properties: Record<string, CrmValue>;
  outcome: ExportOutcome | null;
  crmId: string | null;
  attention: Attention | null;
  /** The person's current advanced status (status mapping), null when none refines the engagement state. */
  advancedStatus: string | null;
  /** Salesforce: the match is the Contact of this converted Lead (found through the Lead's email). */
  convertedFromLeadId?: string;
  /** Salesforce Contact + Account: the person's Account and how it was found. */
  account?: { id: string; matchedBy: 'link' | 'domain' | 'name' | 'created' };
}

/** Salesforce Contact + Account export (export settings); otherwise people are written as the CRM's person object. */
export function contactMode(ctx: Pick<ExportContext, 'connection' | 'settings'>): boolean {
  return ctx.connection.crm === 'salesforce' && ctx.settings.salesforceObject === 'contact';
}

/** What a new person is written as: the CRM's person object, or a Salesforce Contact in Contact + Account mode. */
export function createObjectOf(ctx: ExportContext): CrmObjectType {
  return contactMode(ctx) ? 'contact' : ctx.adapter.capabilities.personObject;
}

/** Loads an export's context once per job: the connection's client, mapping rows, discovered fields, status and owner mapping. */
export interface ExportContextOptions {
  timeoutMs?: number;
  work?: ApiWorkClass;
  allocationOverrideUntil?: Date | null;
}

@Injectable()
export class ExportContexts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: CrmClients,
    private readonly mappings: MappingRows,
    private readonly ownerMapping: OwnerMappingService,
    @InjectRepository(CrmFieldSnapshot) private readonly snapshots: Repository<CrmFieldSnapshot>,
  ) {}

  /**
   * `timeoutMs`: per CRM call (a push bounds its calls so the person waiting gets an answer). `work`: `bulk` for export
   * runs, `live` for a single push (it may use the daily API allocation's live reserve). `allocationOverrideUntil`: a
   * paused run an admin resumed now is not held to the allocation until then.
   */
  async load(connection: CrmConnection, settings: CrmExportSettings, options: ExportContextOptions = {}): Promise<ExportContext> {
    const crm = connection.crm;
    const client = await this.clients.client(connection, {
      feature: 'export',
      work: options.work ?? 'bulk',
      allocationOverrideUntil: options.allocationOverrideUntil ?? null,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    const { adapter } = client;
    const rows = await this.mappings.for(connection, 'contact');
    // Companies-tab rows: HubSpot companies, and Accounts a Salesforce Contact + Account export creates.
    const companyRows = adapter.capabilities.companyLink.kind === 'association' || contactMode({ connection, settings }) ? await this.mappings.for(connection, 'company') : [];
    const snapshots = await this.snapshots.findBy({ connectionId: connection.id });
    const fields: ExportContext['fields'] = {};
    for (const s of snapshots) fields[s.object as CrmObjectType] = s.fields;
    const stored = settings.statusMapping;
    const statusMapping = stored === null ? defaultStatusMapping(crm) : stored.enabled ? { crmField: stored.crmField, source: stored.source, table: stored.table } : undefined;
    const owners = await this.ownerResolver(connection, settings, adapter);
    return { connection, adapter, rows, companyRows, fields, settings, statusMapping, owners, takeCalls: () => client.takeCalls() };
  }

  /** Owner resolution needs the CRM's owners: cached on the settings row, listed from the CRM when missing or stale. */
  private async ownerResolver(connection: CrmConnection, settings: CrmExportSettings, adapter: CrmAdapter): Promise<OwnerResolver | null> {
    const owners = await this.ownerMapping.owners(connection, settings, adapter);
    const members = await this.dataSource.getRepository(User).find({ where: { workspaceId: connection.workspaceId }, select: { id: true, email: true } });
    return createOwnerResolver({ owners, members, overrides: settings.ownerOverrides, defaultOwnerId: settings.defaultOwnerId });
  }

}

export function emailKey(email: string): string {
  const r = normalizeEmail(email);
  return r.ok ? r.value : email.trim().toLowerCase();
}

/** The CRM's own words for a refused record. */
export function attentionFromCrm(e: CrmError): Attention {
  if (e.details.kind === 'validation') {
    const f = e.details.fields;
    return { code: f[0]?.code ?? e.crmCode ?? 'validation', reason: f.length ? f.map((x) => x.message).join('; ') : e.message, fields: f.map((x) => x.field).filter((x): x is string => !!x), source: 'crm' };
  }
  return { code: e.crmCode ?? e.kind, reason: e.message, fields: [], source: 'crm' };
}
