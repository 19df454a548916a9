import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { CrmKind, PushResultDto } from '@conduit/contracts';
import {
  CrmError,
  HUBSPOT_LIMITS,
  hubspotRecordUrl,
  salesforceRecordUrl,
  type CrmAdapter,
  type CrmEmailMatch,
  type CrmObjectType,
  type CrmRecord,
  type CrmValue,
} from '@conduit/crm';
import {
  createOwnerResolver,
  defaultStatusMapping,
  diffForExport,
  isBlank,
  normalizeEmail,
  type CrmFieldDescriptor,
  type MappingRow,
  type OwnerResolver,
  type StatusMapping,
} from '@conduit/mapping';
import { DataSource, In, IsNull, type QueryRunner, type Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import type { CrmConnection } from '../connections/connection.entity.js';
import { hubspotEndpoints, salesforceEndpoints } from '../connections/crm-endpoints.js';
import { CrmFieldSnapshot } from '../connections/field-snapshot.entity.js';
import { MappingRows } from '../connections/mapping-rows.js';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import type { Company } from '../companies/company.entity.js';
import { Person } from '../people/person.entity.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { CrmLink } from '../sync/crm-link.entity.js';
import { User } from '../users/user.entity.js';
import { advancedStatusesOf } from './advanced-status.js';
import { companyDomainOf, companyRecordOf, conduitRecordOf, ownerField, SALESFORCE_COMPANY_PLACEHOLDER, salesforceObjectOfId } from './export-plan.js';
import { writeSettled, type Settled } from './export-retry.js';
import { CrmExportSettings } from './export-settings.entity.js';
import { NeedsAttention } from './needs-attention.entity.js';
import { OwnerMappingService } from './owner-mapping.service.js';

export type ExportOutcome = PushResultDto['outcome'];

const LIFECYCLE_STAGE = 'lifecyclestage';
/** HubSpot batch endpoints take ≤ 100 inputs; Salesforce calls are packed by the adapter (Composite, 1,000 per call). */
const HUBSPOT_BATCH = HUBSPOT_LIMITS.batchSize;

/**
 * The batch calls of one chunk go out together rather than one after another: the shared rate budget paces them, so
 * an export uses the CRM's whole rolling window (a burst at the start, then the limit) instead of one call at a time.
 */
async function inBatches<I, R>(crm: CrmKind, items: readonly I[], send: (group: I[]) => Promise<R[]>): Promise<R[]> {
  if (items.length === 0) return [];
  if (crm !== 'hubspot' || items.length <= HUBSPOT_BATCH) return send([...items]);
  const groups: I[][] = [];
  for (let i = 0; i < items.length; i += HUBSPOT_BATCH) groups.push(items.slice(i, i + HUBSPOT_BATCH));
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
}

interface Attention {
  code: string;
  reason: string;
  fields: string[];
  source: 'preflight' | 'crm';
}

/** One person's way through a chunk. */
interface Item {
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
}

/**
 * The export engine: writes people to a CRM through the adapter contract only (no SDK), in batches — one lookup
 * by email per batch, one write per CRM batch, companies found or created by domain and associated in one call.
 * Per person it applies the mapping rows' export behaviour (@conduit/mapping diffForExport) against the CRM's
 * current values, the contact-source stamp, the status mapping and the owner mapping. Records that cannot pass
 * (preflight against the discovered schema, or refused by the CRM) go to Needs attention with the reason; the
 * rest of the batch continues. Retryable CRM failures retry with backoff, then throw so the job retries.
 *
 * Two exports of the same person never create two records: each chunk holds a Postgres advisory lock per
 * (connection, person) while it looks the people up by email and writes them, so the second export sees the
 * first one's record; HubSpot creates go through upsert-by-email, which the CRM makes atomic.
 */
@Injectable()
export class ExportEngine {
  private readonly logger = new Logger(ExportEngine.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clients: CrmClients,
    private readonly mappings: MappingRows,
    private readonly ownerMapping: OwnerMappingService,
    @InjectRepository(CrmFieldSnapshot) private readonly snapshots: Repository<CrmFieldSnapshot>,
  ) {}

  async context(connection: CrmConnection, settings: CrmExportSettings): Promise<ExportContext> {
    const crm = connection.crm;
    const { adapter } = await this.clients.client(connection);
    const rows = await this.mappings.for(connection, 'contact');
    const companyRows = crm === 'hubspot' ? await this.mappings.for(connection, 'company') : [];
    const snapshots = await this.snapshots.findBy({ connectionId: connection.id });
    const fields: ExportContext['fields'] = {};
    for (const s of snapshots) fields[s.object as CrmObjectType] = s.fields as unknown as CrmFieldDescriptor[];
    const stored = settings.statusMapping;
    const statusMapping = stored === null ? defaultStatusMapping(crm) : stored.enabled ? { crmField: stored.crmField, source: stored.source, table: stored.table } : undefined;
    const owners = await this.ownerResolver(connection, settings, adapter);
    return { connection, adapter, rows, companyRows, fields, settings, statusMapping, owners };
  }

  /** Owner resolution needs the CRM's owners: cached on the settings row, listed from the CRM when missing or stale. */
  private async ownerResolver(connection: CrmConnection, settings: CrmExportSettings, adapter: CrmAdapter): Promise<OwnerResolver | null> {
    const owners = await this.ownerMapping.owners(connection, settings, adapter);
    const members = await this.dataSource.getRepository(User).find({ where: { workspaceId: connection.workspaceId }, select: { id: true, email: true } });
    return createOwnerResolver({ owners, members, overrides: settings.ownerOverrides, defaultOwnerId: settings.defaultOwnerId });
  }

  /** Exports the given people (any count; callers chunk for progress). */
  async exportPeople(ctx: ExportContext, personIds: readonly string[]): Promise<ChunkResult> {
    const ids = [...new Set(personIds)].sort();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Sorted acquisition: two chunks sharing people cannot deadlock.
      await runner.query(`SELECT pg_advisory_lock(hashtextextended($1 || s.id, 0)) FROM (SELECT unnest($2::text[]) AS id ORDER BY 1) s`, [`export:${ctx.connection.id}:`, ids]);
      return await this.exportLocked(ctx, ids, runner);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
      await runner.release();
    }
  }

  private async exportLocked(ctx: ExportContext, ids: string[], runner: QueryRunner): Promise<ChunkResult> {
    const { connection } = ctx;
    const people = await this.dataSource.getRepository(Person).find({ where: { workspaceId: connection.workspaceId, id: In(ids) }, relations: { company: true } });
    const links = await this.dataSource.getRepository(CrmLink).find({
      where: { workspaceId: connection.workspaceId, connectionId: connection.id, personId: In(ids), archivedAt: IsNull(), object: In(['contact', 'lead']) },
      order: { lastSyncedAt: 'DESC' },
    });
    const linkOf = new Map<string, CrmLink>();
    for (const l of links) if (l.personId && !linkOf.has(l.personId)) linkOf.set(l.personId, l);
    const advanced = ctx.statusMapping?.source === 'engagementState' ? await advancedStatusesOf(this.dataSource.manager, connection.workspaceId, people) : new Map<string, string>();

    const items: Item[] = people.map((person) => ({
      person,
      company: person.company ?? null,
      linked: linkOf.get(person.id) ?? null,
      match: null,
      object: ctx.connection.crm === 'hubspot' ? 'contact' : 'lead',
      properties: {},
      outcome: null,
      crmId: null,
      attention: null,
      advancedStatus: advanced.get(person.id) ?? null,
    }));

    await this.lookUp(ctx, items);
    for (const item of items) this.plan(ctx, item);
    let companyIds = new Map<Item, string>();
    if (ctx.connection.crm === 'hubspot') {
      // Companies are resolved for people linked for the first time only: a re-export makes no company calls.
      companyIds = await this.companies(ctx, runner, items.filter((i) => !i.attention && !i.linked), true);
    } else {
      // Salesforce: a Contact without an Account gets the Account linked to or matched by the company's domain.
      const contacts = items.filter((i) => !i.attention && i.match?.object === 'contact' && isBlank(i.match.properties['AccountId']));
      for (const [item, accountId] of await this.companies(ctx, runner, contacts, false)) item.properties['AccountId'] = accountId;
    }
    await this.write(ctx, items);
    if (ctx.connection.crm === 'hubspot') await this.associate(ctx, items, companyIds);
    await this.record(ctx, items);

    const result: ChunkResult = { created: 0, updated: 0, unchanged: 0, needsAttention: 0, results: [] };
    for (const item of items) {
      const outcome: ExportOutcome = item.attention ? 'needs_attention' : (item.outcome ?? 'unchanged');
      if (outcome === 'needs_attention') result.needsAttention++;
      else result[outcome]++;
      result.results.push({
        personId: item.person.id,
        crm: ctx.connection.crm,
        outcome,
        crmObject: item.crmId ? item.object : null,
        crmId: item.crmId,
        recordUrl: item.crmId ? this.recordUrl(ctx.connection, item.object, item.crmId) : null,
        reason: item.attention?.reason ?? null,
      });
    }
    return result;
  }

  recordUrl(connection: CrmConnection, object: CrmObjectType, id: string): string {
    return connection.crm === 'hubspot'
      ? hubspotRecordUrl(hubspotEndpoints(this.config), connection.accountId, object, id)
      : salesforceRecordUrl(salesforceEndpoints(this.config), connection.instanceUrl ?? this.config.crm.salesforce.loginUrl, object, id);
  }

  // ---- lookup ----------------------------------------------------------------------------

  /** CRM fields a person export reads: what the rows, stamps and owner write. */
  private readFields(ctx: ExportContext, object: CrmObjectType): string[] {
    const names = new Set<string>([ctx.connection.crm === 'hubspot' ? 'email' : 'Email', ownerField(ctx.connection.crm)]);
    for (const r of ctx.rows) if (r.exportBehaviour !== 'do_not_export') names.add(r.crmField);
    if (ctx.statusMapping) names.add(ctx.statusMapping.crmField);
    if (ctx.settings.contactSource) names.add(ctx.settings.contactSource.crmField);
    if (ctx.connection.crm === 'salesforce' && object === 'contact') names.add('AccountId');
    const known = ctx.fields[object];
    return known ? [...names].filter((n) => known.some((f) => f.name === n)) : [...names];
  }

  /**
   * One lookup by email per batch (Salesforce: unconverted Leads, Contacts, converted Leads → their Contact), the
   * linked record first when there is one. Salesforce reads Lead and Contact with one field list, so it asks for
   * the fields both have and reads Lead-only fields (Company, Status) of matched Leads by id.
   */
  private async lookUp(ctx: ExportContext, items: Item[]): Promise<void> {
    const { adapter, connection } = ctx;
    const crm = connection.crm;
    const common = crm === 'hubspot' ? this.readFields(ctx, 'contact') : this.readFields(ctx, 'lead').filter((n) => this.readFields(ctx, 'contact').includes(n));
    const emails = items.map((i) => i.person.email).filter((e): e is string => !!e);
    const matches: CrmEmailMatch[] = await inBatches(crm, emails, (group) => withCrmRetry(() => adapter.findByEmails(group, { properties: common })));
    const byEmail = new Map<string, CrmEmailMatch[]>();
    for (const m of matches) byEmail.set(m.email, [...(byEmail.get(m.email) ?? []), m]);

    const unresolvedLinks: Item[] = [];
    for (const item of items) {
      const key = item.person.email ? emailKey(item.person.email) : null;
      const found = key ? (byEmail.get(key) ?? []) : [];
      const pick =
        found.find((m) => item.linked && m.record.id === item.linked.crmId) ??
        found.find((m) => m.record.object === 'contact') ??
        found.find((m) => m.record.object === 'lead') ??
        null;
      if (pick) {
        item.match = pick.record;
        item.object = pick.record.object;
      } else if (item.linked) unresolvedLinks.push(item);
    }

    // Linked records the email no longer finds (email changed on either side): read by id.
    for (const object of ['contact', 'lead'] as const) {
      const group = unresolvedLinks.filter((i) => i.linked?.object === object);
      if (!group.length) continue;
      const records = await withCrmRetry(() => adapter.readByIds(object, group.map((i) => i.linked!.crmId), { properties: this.readFields(ctx, object) }));
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const item of group) {
        const record = byId.get(item.linked!.crmId);
        if (record && !record.archived) {
          item.match = record;
          item.object = object;
        }
      }
    }

    if (crm === 'salesforce') {
      // Fields only one of Lead / Contact has (Company, Status; AccountId) are read by id for the matched records.
      for (const object of ['lead', 'contact'] as const) {
        const only = this.readFields(ctx, object).filter((n) => !common.includes(n));
        const matched = items.filter((i) => i.match?.object === object && only.some((f) => !(f in i.match!.properties)));
        if (!only.length || !matched.length) continue;
        const records = await withCrmRetry(() => adapter.readByIds(object, matched.map((i) => i.match!.id), { properties: only }));
        const byId = new Map(records.map((r) => [r.id, r]));
        for (const item of matched) Object.assign(item.match!.properties, byId.get(item.match!.id)?.properties ?? {});
      }
    }
  }

  // ---- diff and preflight ------------------------------------------------------------------

  /** What to send for one person, or why it cannot be sent (preflight against the discovered schema). */
  private plan(ctx: ExportContext, item: Item): void {
    const crm = ctx.connection.crm;
    const { person } = item;
    if (!person.email && !person.lastName && !person.firstName) {
      item.attention = { code: 'no_identity', reason: 'The person has neither an email nor a name', fields: [], source: 'preflight' };
      return;
    }
    if (crm === 'hubspot' && !person.email && !item.linked) {
      item.attention = { code: 'email_required', reason: 'HubSpot contacts are matched by email: add an email to export this person', fields: ['email'], source: 'preflight' };
      return;
    }
    const fields = ctx.fields[item.object];
    const known = fields ? new Set(fields.map((f) => f.name.toLowerCase())) : null;
    // A Salesforce Contact has no Company or Status: rows for Lead-only fields do not apply to it.
    const applies = (crmField: string) => known === null || known.has(crmField.toLowerCase());
    const rows = ctx.rows.filter((r) => applies(r.crmField));
    const statusMapping = ctx.statusMapping && applies(ctx.statusMapping.crmField) ? ctx.statusMapping : undefined;
    const contactSource = ctx.settings.contactSource && applies(ctx.settings.contactSource.crmField) ? ctx.settings.contactSource : undefined;
    const record = conduitRecordOf(person, item.company, item.advancedStatus);
    if (crm === 'salesforce' && !item.match && isBlank(record['lastName'])) {
      // Salesforce requires LastName; a first name alone is used rather than refusing the person.
      record['lastName'] = person.firstName ?? person.email?.split('@')[0] ?? null;
    }
    const diff = diffForExport({
      crm,
      object: 'contact',
      rows,
      conduitRecord: record,
      crmCurrent: item.match ? item.match.properties : null,
      ...(fields ? { fields } : {}),
      ...(contactSource ? { contactSource } : {}),
      ...(statusMapping ? { statusMapping } : {}),
    });
    const errors = diff.errors.filter((e) => {
      if (crm === 'salesforce' && e.code === 'required_missing' && e.crmField.toLowerCase() === 'company') {
        diff.properties[e.crmField] = SALESFORCE_COMPANY_PLACEHOLDER;
        return false;
      }
      return true;
    });
    if (errors.length) {
      item.attention = {
        code: errors[0]!.code,
        reason: errors.map((e) => e.message).join('; '),
        fields: [...new Set(errors.map((e) => e.crmField))],
        source: 'preflight',
      };
      return;
    }
    // HubSpot lifecycle stages only move forward: never ask it to move a contact back (it would refuse the record).
    if (crm === 'hubspot' && item.match && statusMapping?.crmField === LIFECYCLE_STAGE) {
      const order = (fields?.find((f) => f.name === LIFECYCLE_STAGE)?.options ?? []).map((o) => o.value);
      const next = order.indexOf(String(diff.properties[LIFECYCLE_STAGE] ?? ''));
      const current = order.indexOf(String(item.match.properties[LIFECYCLE_STAGE] ?? ''));
      if (next >= 0 && current >= 0 && next < current) delete diff.properties[LIFECYCLE_STAGE];
    }
    const owner = ctx.owners?.resolveOwnerForExport(person.assignedUserId);
    const ownerName = ownerField(crm);
    // The owner is set on create and where the CRM has none: a rep's reassignment in the CRM is kept.
    if (owner && (!item.match || isBlank(item.match.properties[ownerName]))) diff.properties[ownerName] = owner.ownerId;
    item.properties = diff.properties;
    if (item.match) item.crmId = item.match.id;
  }

  // ---- companies ----------------------------------------------------------------------------

  /**
   * Company per person by normalized domain: the linked CRM company, else one found by domain, else (HubSpot,
   * `create`) one created — one batch each. HubSpot companies get the Companies-tab mapping rows with their export
   * behaviour: on create, and against the CRM's values when found by domain or linked earlier (one batch read).
   * Salesforce Accounts are only matched (Website), never created. The domains are locked per
   * connection while they are resolved, so two chunks exporting people of one new company create it once.
   */
  private async companies(ctx: ExportContext, runner: QueryRunner, items: Item[], create: boolean): Promise<Map<Item, string>> {
    const { adapter, connection } = ctx;
    const hubspot = connection.crm === 'hubspot';
    const out = new Map<Item, string>();
    const domainOf = new Map<Item, string>();
    for (const item of items) {
      const d = companyDomainOf(item.person, item.company);
      if (d) domainOf.set(item, d);
    }
    if (!domainOf.size) return out;
    const domains = [...new Set(domainOf.values())].sort();
    const lockKey = `export-company:${connection.id}:`;
    await runner.query(`SELECT pg_advisory_lock(hashtextextended($1 || s.d, 0)) FROM (SELECT unnest($2::text[]) AS d ORDER BY 1) s`, [lockKey, domains]);
    try {
      const companyIds = [...new Set(items.map((i) => i.person.companyId).filter((id): id is string => !!id))];
      const companyLinks = companyIds.length
        ? await this.dataSource.getRepository(CrmLink).findBy({ workspaceId: connection.workspaceId, connectionId: connection.id, object: 'company', companyId: In(companyIds), archivedAt: IsNull() })
        : [];
      const linkedCompany = new Map(companyLinks.map((l) => [l.companyId!, l.crmId]));
      const byDomain = new Map<string, string>();
      const sample = new Map<string, Item>();
      const linkedSample = new Map<string, { item: Item; domain: string }>();
      for (const [item, domain] of domainOf) {
        const linked = item.person.companyId ? linkedCompany.get(item.person.companyId) : undefined;
        if (linked) {
          out.set(item, linked);
          if (!linkedSample.has(linked)) linkedSample.set(linked, { item, domain });
        } else {
          byDomain.set(domain, '');
          if (!sample.has(domain) || (!sample.get(domain)!.company && item.company)) sample.set(domain, item);
        }
      }
      if (hubspot && linkedSample.size) await this.updateLinkedCompanies(ctx, linkedSample);
      const wanted = [...byDomain.keys()];
      if (wanted.length) {
        const rowFields = hubspot ? this.companyReadFields(ctx) : ['Website', 'Name'];
        const found = await inBatches(connection.crm, wanted, (group) => withCrmRetry(() => adapter.findCompaniesByDomains(group, { properties: rowFields })));
        const existing: { domain: string; record: CrmRecord }[] = [];
        for (const m of found) {
          if (byDomain.get(m.domain)) continue;
          byDomain.set(m.domain, m.record.id);
          existing.push(m);
        }
        if (hubspot && existing.length) await this.updateFoundCompanies(ctx, existing, sample);
        const missing = wanted.filter((d) => !byDomain.get(d));
        if (create && missing.length) await this.createCompanies(ctx, missing, sample, byDomain);
      }
      const companyLinkRows: { companyId: string; crmId: string }[] = [];
      for (const [item, domain] of domainOf) {
        if (out.has(item)) continue;
        const id = byDomain.get(domain);
        if (!id) continue;
        out.set(item, id);
        if (item.person.companyId) companyLinkRows.push({ companyId: item.person.companyId, crmId: id });
      }
      if (companyLinkRows.length) await this.link(connection, 'company', companyLinkRows.map((r) => ({ crmId: r.crmId, companyId: r.companyId })));
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1 || d, 0)) FROM unnest($2::text[]) AS d`, [lockKey, domains]);
    }
    return out;
  }

  /** HubSpot company properties a company export reads (to apply fill-if-empty against). */
  private companyReadFields(ctx: ExportContext): string[] {
    const names = new Set(['domain', 'name']);
    for (const r of ctx.companyRows) if (r.exportBehaviour !== 'do_not_export') names.add(r.crmField);
    const known = ctx.fields.company;
    return known ? [...names].filter((n) => known.some((f) => f.name === n)) : [...names];
  }

  /** Properties for one company from the Companies-tab rows; values the CRM refuses (e.g. not an option) are left out. */
  private companyProperties(ctx: ExportContext, item: Item | undefined, domain: string, current: Record<string, CrmValue> | null): Record<string, CrmValue> {
    const diff = diffForExport({
      crm: ctx.connection.crm,
      object: 'company',
      rows: ctx.companyRows,
      conduitRecord: companyRecordOf(item?.company ?? null, item?.person.companyName ?? null, domain),
      crmCurrent: current,
      ...(ctx.fields.company ? { fields: ctx.fields.company } : {}),
    });
    const skipped = diff.errors.filter((e) => e.code !== 'required_missing');
    if (skipped.length) this.logger.warn({ msg: 'company fields not exported', connectionId: ctx.connection.id, domain, errors: skipped.map((e) => `${e.crmField}: ${e.message}`) });
    return diff.properties;
  }

  private async updateFoundCompanies(ctx: ExportContext, found: { domain: string; record: CrmRecord }[], sample: Map<string, Item>): Promise<void> {
    await this.updateCompanies(ctx, found.map((m) => ({ id: m.record.id, properties: this.companyProperties(ctx, sample.get(m.domain), m.domain, m.record.properties) })));
  }

  /**
   * Companies linked earlier (imported, or created by an earlier export) whose people are exported for the first time:
   * read in one batch and diffed per the Companies-tab rows, so fill if empty / overwrite apply to them too. A linked
   * company the CRM no longer has is left to the import's archive handling.
   */
  private async updateLinkedCompanies(ctx: ExportContext, linked: Map<string, { item: Item; domain: string }>): Promise<void> {
    const rowFields = this.companyReadFields(ctx);
    const records = await inBatches(ctx.connection.crm, [...linked.keys()], (ids) => withCrmRetry(() => ctx.adapter.readByIds('company', ids, { properties: rowFields })));
    await this.updateCompanies(
      ctx,
      records.map((r) => {
        const { item, domain } = linked.get(r.id)!;
        return { id: r.id, properties: this.companyProperties(ctx, item, domain, r.properties) };
      }),
    );
  }

  private async updateCompanies(ctx: ExportContext, candidates: { id: string; properties: Record<string, CrmValue> }[]): Promise<void> {
    const updates = candidates.filter((u) => Object.keys(u.properties).length > 0);
    if (!updates.length) return;
    const settled = await inBatches(ctx.connection.crm, updates, (group) => writeSettled(group, (pending) => ctx.adapter.updateMany('company', pending)));
    for (const { result } of settled) if (!result.ok) this.logger.warn({ msg: 'company not updated', connectionId: ctx.connection.id, error: result.error.message });
  }

  /** HubSpot has no upsert on domain: createMany, and before a retry search again (a create that timed out may have landed). */
  private async createCompanies(ctx: ExportContext, missing: string[], sample: Map<string, Item>, byDomain: Map<string, string>): Promise<void> {
    const { adapter, connection } = ctx;
    const settled = await inBatches(connection.crm, missing, (group) => writeSettled(
      group,
      (pending) =>
        adapter.createMany(
          'company',
          pending.map((d) => {
            const item = sample.get(d);
            const properties = this.companyProperties(ctx, item, d, null);
            // The domain is how later exports find the company; a name is what reps see.
            properties['domain'] = d;
            if (isBlank(properties['name'])) properties['name'] = item?.company?.name ?? item?.person.companyName ?? d;
            return { properties };
          }),
        ),
      async (pending) => {
        const again = await withCrmRetry(() => adapter.findCompaniesByDomains(pending, { properties: ['domain'] }));
        const hit = new Map(again.map((m) => [m.domain, m.record.id]));
        return {
          retry: pending.filter((d) => !hit.has(d)),
          settled: pending.filter((d) => hit.has(d)).map((d) => ({ input: d, result: { index: 0, ok: true as const, id: hit.get(d)!, object: 'company' as const, created: false } })),
        };
      },
    ));
    for (const { input, result } of settled) {
      if (result.ok) byDomain.set(input, result.id);
      else this.logger.warn({ msg: 'company not created', connectionId: connection.id, error: result.error.message });
    }
  }

  // ---- writes --------------------------------------------------------------------------------

  private async write(ctx: ExportContext, items: Item[]): Promise<void> {
    const ready = items.filter((i) => !i.attention);
    const updates = ready.filter((i) => i.match && Object.keys(i.properties).length > 0);
    for (const i of ready) if (i.match && Object.keys(i.properties).length === 0) i.outcome = 'unchanged';
    const creates = ready.filter((i) => !i.match);

    for (const object of ['contact', 'lead'] as const) {
      const group = updates.filter((i) => i.object === object);
      if (!group.length) continue;
      const settled = await inBatches(ctx.connection.crm, group, (part) => writeSettled(part, (pending) => ctx.adapter.updateMany(object, pending.map((i) => ({ id: i.match!.id, properties: i.properties })))));
      this.apply(settled, 'updated');
    }
    if (!creates.length) return;
    if (ctx.connection.crm === 'hubspot') await this.createHubspot(ctx, creates);
    else await this.createSalesforce(ctx, creates);
  }

  /** Upsert by email: the CRM makes it atomic, so a retried or concurrent create cannot duplicate the contact. */
  private async createHubspot(ctx: ExportContext, creates: Item[]): Promise<void> {
    const byEmail = creates.filter((i) => i.person.email);
    const settled = await inBatches('hubspot', byEmail, (part) => writeSettled(part, (pending) => ctx.adapter.upsertManyByEmail('contact', pending.map((i) => ({ email: i.person.email!, properties: i.properties })))));
    this.apply(settled, 'created');
    // A linked person without an email whose contact is gone: created plainly.
    const plain = creates.filter((i) => !i.person.email);
    if (plain.length) this.apply(await writeSettled(plain, (pending) => ctx.adapter.createMany('contact', pending.map((i) => ({ properties: i.properties })))), 'created');
  }

  /**
   * Leads: upsert on the configured external-id field (atomic), else create — and before any retried create,
   * look the emails up again, since a create that timed out may have landed. A duplicate rule answer links the
   * person to the record it names and updates that record with the export rules.
   */
  private async createSalesforce(ctx: ExportContext, creates: Item[]): Promise<void> {
    const { adapter } = ctx;
    const external = ctx.settings.externalIdField;
    const send = (pending: Item[]) =>
      external
        ? adapter.upsertByExternalId('lead', external, pending.map((i) => ({ value: i.person.id, properties: i.properties })))
        : adapter.createMany('lead', pending.map((i) => ({ properties: i.properties })));
    const beforeRetry = async (pending: Item[]): Promise<{ retry: Item[]; settled: Settled<Item>[] }> => {
      if (external) return { retry: pending, settled: [] };
      const emails = pending.map((i) => i.person.email).filter((e): e is string => !!e);
      const found = emails.length ? await withCrmRetry(() => adapter.findByEmails(emails, { properties: ['Email'] })) : [];
      const hit = new Map(found.map((m) => [m.email, m.record]));
      const settled: Settled<Item>[] = [];
      const retry: Item[] = [];
      for (const item of pending) {
        const record = item.person.email ? hit.get(emailKey(item.person.email)) : undefined;
        if (record) settled.push({ input: item, result: { index: 0, ok: true, id: record.id, object: record.object, created: true } });
        else retry.push(item);
      }
      return { retry, settled };
    };
    const settled = await writeSettled(creates, send, beforeRetry);
    const duplicates: Item[] = [];
    for (const s of settled) {
      if (!s.result.ok && s.result.error.details.kind === 'duplicate' && s.result.error.details.existingId) {
        s.input.crmId = s.result.error.details.existingId;
        s.input.object = salesforceObjectOfId(s.input.crmId) ?? 'lead';
        duplicates.push(s.input);
      }
    }
    this.apply(settled.filter((s) => !duplicates.includes(s.input)), 'created');
    if (duplicates.length) await this.updateDuplicates(ctx, duplicates);
  }

  /** The duplicate rule named an existing record: read it, diff against it, update it. */
  private async updateDuplicates(ctx: ExportContext, items: Item[]): Promise<void> {
    for (const object of ['lead', 'contact'] as const) {
      const group = items.filter((i) => i.object === object);
      if (!group.length) continue;
      const records = await withCrmRetry(() => ctx.adapter.readByIds(object, group.map((i) => i.crmId!), { properties: this.readFields(ctx, object) }));
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const item of group) {
        item.match = byId.get(item.crmId!) ?? null;
        if (!item.match) {
          item.attention = { code: 'duplicate_not_readable', reason: `Salesforce reported a duplicate (${item.crmId}) that cannot be read`, fields: [], source: 'crm' };
          continue;
        }
        this.plan(ctx, item);
      }
      const toUpdate = group.filter((i) => !i.attention && Object.keys(i.properties).length > 0);
      for (const i of group) if (!i.attention && Object.keys(i.properties).length === 0) i.outcome = 'unchanged';
      if (toUpdate.length) this.apply(await writeSettled(toUpdate, (pending) => ctx.adapter.updateMany(object, pending.map((i) => ({ id: i.crmId!, properties: i.properties })))), 'updated');
    }
  }

  private apply(settled: Settled<Item>[], outcome: 'created' | 'updated'): void {
    for (const { input, result } of settled) {
      if (result.ok) {
        input.crmId = result.id;
        input.object = result.object;
        input.outcome = outcome === 'created' && result.created === false ? 'updated' : outcome;
        continue;
      }
      const e = result.error;
      input.attention = attentionFromCrm(e);
    }
  }

  // ---- associations and links ----------------------------------------------------------------

  /** Contact ↔ company, in one batch, for people linked for the first time (re-exports make no association call). */
  private async associate(ctx: ExportContext, items: Item[], companyIds: Map<Item, string>): Promise<void> {
    const links = items
      .filter((i) => !i.attention && i.crmId && !i.linked && companyIds.has(i))
      .map((i) => ({ from: { object: 'contact' as const, id: i.crmId! }, to: { object: 'company' as const, id: companyIds.get(i)! }, primary: true }));
    if (!links.length) return;
    const results = await withCrmRetry(() => ctx.adapter.associate(links));
    const failed = results.filter((r) => !r.ok);
    if (failed.length) this.logger.warn({ msg: 'contact-company associations failed', connectionId: ctx.connection.id, count: failed.length });
  }

  private async record(ctx: ExportContext, items: Item[]): Promise<void> {
    const { connection } = ctx;
    const ok = items.filter((i) => !i.attention && i.crmId);
    for (const object of ['contact', 'lead'] as const) {
      const rows = ok.filter((i) => i.object === object).map((i) => ({ crmId: i.crmId!, personId: i.person.id }));
      if (rows.length) await this.link(connection, object, rows);
    }
    // A Lead converted into a Contact: its old link is no longer the live record.
    const moved = ok.filter((i) => i.linked && i.linked.crmId !== i.crmId);
    if (moved.length) {
      await this.dataSource.getRepository(CrmLink).update({ id: In(moved.map((i) => i.linked!.id)), workspaceId: connection.workspaceId }, { archivedAt: new Date() });
    }
    const repo = this.dataSource.getRepository(NeedsAttention);
    if (ok.length) await repo.delete({ workspaceId: connection.workspaceId, connectionId: connection.id, personId: In(ok.map((i) => i.person.id)) });
    for (const item of items) {
      if (!item.attention) continue;
      await this.dataSource.query(
        `INSERT INTO export_needs_attention (workspace_id, connection_id, crm, person_id, code, reason, fields, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (connection_id, person_id) DO UPDATE
           SET code = excluded.code, reason = excluded.reason, fields = excluded.fields, source = excluded.source,
               attempts = export_needs_attention.attempts + 1, updated_at = now()`,
        [connection.workspaceId, connection.id, connection.crm, item.person.id, item.attention.code, item.attention.reason, item.attention.fields, item.attention.source],
      );
    }
  }

  /** crm_link is the one person/company ↔ CRM record link (shared with import). */
  private async link(connection: CrmConnection, object: CrmObjectType, all: { crmId: string; personId?: string; companyId?: string }[]): Promise<void> {
    const column = object === 'company' ? 'company_id' : 'person_id';
    // One row per CRM record (people share a company; ON CONFLICT cannot touch one row twice in a statement).
    const rows = [...new Map(all.map((r) => [r.crmId, r])).values()];
    await this.dataSource.query(
      `INSERT INTO crm_link (workspace_id, connection_id, crm, object, crm_id, ${column}, last_synced_at)
       SELECT $1, $2, $3, $4, r.crm_id, r.entity_id, now() FROM unnest($5::text[], $6::uuid[]) AS r(crm_id, entity_id)
       ON CONFLICT (connection_id, object, crm_id)
       DO UPDATE SET last_synced_at = excluded.last_synced_at, archived_at = NULL
       WHERE crm_link.workspace_id = excluded.workspace_id`,
      [connection.workspaceId, connection.id, connection.crm, object, rows.map((r) => r.crmId), rows.map((r) => r.personId ?? r.companyId)],
    );
  }
}

function emailKey(email: string): string {
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

export type { CrmKind };
