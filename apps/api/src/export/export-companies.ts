import { Injectable, Logger } from '@nestjs/common';
import type { CrmRecord, CrmValue } from '@conduit/crm';
import { diffForExport, isBlank } from '@conduit/mapping';
import { DataSource, In, IsNull, type QueryRunner } from 'typeorm';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { CrmLink } from '../sync/crm-link.entity.js';
import { type ExportContext, inBatches, type Item } from './export-context.js';
import { ExportLinks } from './export-links.js';
import { companyDomainOf, companyRecordOf } from './export-plan.js';
import { writeSettled } from './export-retry.js';

/** Companies of exported people: found by domain or linked, created where the CRM creates them, with the Companies-tab rows. */
@Injectable()
export class ExportCompanies {
  private readonly logger = new Logger(ExportCompanies.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly links: ExportLinks,
  ) {}

  /**
   * Company per person by normalized domain: the linked CRM company, else one found by domain, else (HubSpot,
   * `create`) one created — one batch each. HubSpot companies get the Companies-tab mapping rows with their export
   * behaviour: on create, and against the CRM's values when found by domain or linked earlier (one batch read).
   * Salesforce Accounts are only matched (Website), never created. The domains are locked per
   * connection while they are resolved, so two chunks exporting people of one new company create it once.
   */
  async resolve(ctx: ExportContext, runner: QueryRunner, items: Item[], create: boolean): Promise<Map<Item, string>> {
    const { adapter, connection } = ctx;
    // Companies the CRM associates (HubSpot) are created when missing and get the Companies-tab rows; Accounts are matched.
    const associated = ctx.adapter.capabilities.companyLink.kind === 'association';
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
      if (associated && linkedSample.size) await this.updateLinkedCompanies(ctx, linkedSample);
      const wanted = [...byDomain.keys()];
      if (wanted.length) {
        const rowFields = associated ? this.companyReadFields(ctx) : ['Website', 'Name'];
        const found = await inBatches(ctx, wanted, (group) => withCrmRetry(() => adapter.findCompaniesByDomains(group, { properties: rowFields })));
        const existing: { domain: string; record: CrmRecord }[] = [];
        for (const m of found) {
          if (byDomain.get(m.domain)) continue;
          byDomain.set(m.domain, m.record.id);
          existing.push(m);
        }
        if (associated && existing.length) await this.updateFoundCompanies(ctx, existing, sample);
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
      if (companyLinkRows.length) await this.links.link(connection, 'company', companyLinkRows.map((r) => ({ crmId: r.crmId, companyId: r.companyId })));
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
    const records = await inBatches(ctx, [...linked.keys()], (ids) => withCrmRetry(() => ctx.adapter.readByIds('company', ids, { properties: rowFields })));
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
    const settled = await inBatches(ctx, updates, (group) => writeSettled(group, (pending) => ctx.adapter.updateMany('company', pending)));
    for (const { result } of settled) if (!result.ok) this.logger.warn({ msg: 'company not updated', connectionId: ctx.connection.id, error: result.error.message });
  }

  /** HubSpot has no upsert on domain: createMany, and before a retry search again (a create that timed out may have landed). */
  private async createCompanies(ctx: ExportContext, missing: string[], sample: Map<string, Item>, byDomain: Map<string, string>): Promise<void> {
    const { adapter, connection } = ctx;
    const settled = await inBatches(ctx, missing, (group) => writeSettled(
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
}
