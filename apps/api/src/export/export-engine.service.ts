import { Injectable } from '@nestjs/common';
import type { CrmObjectType } from '@conduit/crm';
import { isBlank } from '@conduit/mapping';
import { DataSource, In, IsNull, type QueryRunner } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import type { CrmConnection } from '../connections/connection.entity.js';
import { crmRecordUrl } from '../connections/crm-endpoints.js';
import { Person } from '../people/person.entity.js';
import { CrmLink } from '../sync/crm-link.entity.js';
import { advancedStatusesOf } from './advanced-status.js';
import { ExportCompanies } from './export-companies.js';
import { ExportAccounts } from './export-accounts.js';
import { type ChunkResult, contactMode, createObjectOf, ExportContexts, type ExportContext, type ExportContextOptions, type ExportOutcome, type Item } from './export-context.js';
import { ExportLinks } from './export-links.js';
import { lookUp } from './export-lookup.js';
import { planItem } from './export-planning.js';
import type { CrmExportSettings } from './export-settings.entity.js';
import { associate, writeItems } from './export-writes.js';

export type { ChunkResult, ExportContext, ExportOutcome } from './export-context.js';


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
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly contexts: ExportContexts,
    private readonly companies: ExportCompanies,
    private readonly links: ExportLinks,
    private readonly accounts: ExportAccounts,
  ) {}

  /** Everything an export of one connection needs (export-context.ts), loaded once per job. */
  context(connection: CrmConnection, settings: CrmExportSettings, options: ExportContextOptions = {}): Promise<ExportContext> {
    return this.contexts.load(connection, settings, options);
  }

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
    // Contact + Account: a person linked to both a Lead and a Contact is the Contact.
    if (contactMode(ctx)) links.sort((a, b) => Number(b.object === 'contact') - Number(a.object === 'contact'));
    for (const l of links) if (l.personId && !linkOf.has(l.personId)) linkOf.set(l.personId, l);
    const advanced = ctx.statusMapping?.source === 'engagementState' ? await advancedStatusesOf(this.dataSource.manager, connection.workspaceId, people) : new Map<string, string>();

    const items: Item[] = people.map((person) => ({
      person,
      company: person.company ?? null,
      linked: linkOf.get(person.id) ?? null,
      match: null,
      object: createObjectOf(ctx),
      properties: {},
      outcome: null,
      crmId: null,
      attention: null,
      advancedStatus: advanced.get(person.id) ?? null,
    }));

    await lookUp(ctx, items);
    for (const item of items) planItem(ctx, item);
    let companyIds = new Map<Item, string>();
    const companyLink = ctx.adapter.capabilities.companyLink;
    if (contactMode(ctx)) {
      // Contact + Account: new Contacts and Contacts without an Account get their company's Account (found or created).
      await this.accounts.resolve(ctx, runner, items.filter((i) => !i.attention && i.object === 'contact' && (!i.match || isBlank(i.match.properties['AccountId']))));
    } else if (companyLink.kind === 'association') {
      // Companies are resolved for people linked for the first time only: a re-export makes no company calls.
      companyIds = await this.companies.resolve(ctx, runner, items.filter((i) => !i.attention && !i.linked), true);
    } else {
      // Salesforce: a Contact without an Account gets the Account linked to or matched by the company's domain.
      const { field, object } = companyLink;
      const people = items.filter((i) => !i.attention && i.match?.object === object && isBlank(i.match?.properties[field]));
      for (const [item, companyId] of await this.companies.resolve(ctx, runner, people, false)) item.properties[field] = companyId;
    }
    await writeItems(ctx, items);
    if (companyLink.kind === 'association') await associate(ctx, items, companyIds);
    await this.links.record(ctx, items);

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
        ...(item.account && item.crmId ? { account: { ...item.account, recordUrl: this.recordUrl(ctx.connection, 'company', item.account.id) } } : {}),
      });
    }
    return result;
  }

  recordUrl(connection: CrmConnection, object: CrmObjectType, id: string): string {
    return crmRecordUrl(this.config, connection, object, id);
  }
}
