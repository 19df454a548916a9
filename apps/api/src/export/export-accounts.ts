import { Injectable, Logger } from '@nestjs/common';
import type { CrmRecord, CrmValue } from '@conduit/crm';
import { diffForExport, isBlank } from '@conduit/mapping';
import { DataSource, In, IsNull, type QueryRunner } from 'typeorm';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { CrmLink } from '../sync/crm-link.entity.js';
import { attentionFromCrm, type ExportContext, type Item } from './export-context.js';
import { ExportLinks } from './export-links.js';
import { companyDomainOf, companyRecordOf } from './export-plan.js';
import { writeSettled } from './export-retry.js';

/** How a person's Account was found (said in the push result). */
export type AccountMatch = 'link' | 'domain' | 'name' | 'created';

/** The Account a group of people (one company) goes under, and how the company is known. */
interface Wanted {
  key: string;
  domain: string | null;
  name: string | null;
  items: Item[];
  accountId?: string;
  matchedBy?: AccountMatch;
  /** Several Accounts match: nobody guesses (Needs attention). */
  ambiguous?: { by: 'domain' | 'name'; ids: string[] };
  /** Salesforce refused the Account. */
  refused?: Item['attention'];
}

/**
 * Salesforce Contact + Account export: the Account of each person's company — the company's link, else the one
 * Account whose Website has the company's domain, else the one Account with the company's exact name; several
 * Accounts matching is Needs attention, never a guess. A company with no Account gets one, created from the
 * Companies-tab mapping rows; a duplicate rule naming an existing Account means that Account. Creation runs under a
 * per-connection advisory lock on the company's domain (or name), with the lookups inside it, so concurrent chunks
 * exporting people of one new company create one Account. Calls per chunk: one domain lookup, one name lookup, one
 * create (Composite packs 1,000 records) — independent of the number of people.
 */
@Injectable()
export class ExportAccounts {
  private readonly logger = new Logger(ExportAccounts.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly links: ExportLinks,
  ) {}

  async resolve(ctx: ExportContext, runner: QueryRunner, items: Item[]): Promise<void> {
    const { connection } = ctx;
    if (!items.length) return;
    const companyIds = [...new Set(items.map((i) => i.person.companyId).filter((id): id is string => !!id))];
    const linkRows = companyIds.length
      ? await this.dataSource.getRepository(CrmLink).findBy({ workspaceId: connection.workspaceId, connectionId: connection.id, object: 'company', companyId: In(companyIds), archivedAt: IsNull() })
      : [];
    const linked = new Map(linkRows.map((l) => [l.companyId!, l.crmId]));

    const groups = new Map<string, Wanted>();
    for (const item of items) {
      const account = item.person.companyId ? linked.get(item.person.companyId) : undefined;
      if (account) {
        setAccount(item, account, 'link');
        continue;
      }
      const domain = companyDomainOf(item.person, item.company);
      const name = (item.company?.name ?? item.person.companyName ?? '').trim() || null;
      if (!domain && !name) continue; // a Contact without an Account (Salesforce allows it)
      const key = domain ? `domain:${domain}` : `name:${name!.toLowerCase()}`;
      const group = groups.get(key) ?? { key, domain, name, items: [] };
      // The group's name: a company row's over a typed company name.
      if (!group.name && name) group.name = name;
      group.items.push(item);
      groups.set(key, group);
    }
    if (!groups.size) return;

    const keys = [...groups.keys()].sort();
    const lockKey = `export-account:${connection.id}:`;
    await runner.query(`SELECT pg_advisory_lock(hashtextextended($1 || s.k, 0)) FROM (SELECT unnest($2::text[]) AS k ORDER BY 1) s`, [lockKey, keys]);
    try {
      const wanted = [...groups.values()];
      await this.find(ctx, wanted);
      const missing = wanted.filter((w) => !w.accountId && !w.ambiguous);
      if (missing.length) await this.create(ctx, missing);
      const companyLinks: { crmId: string; companyId: string }[] = [];
      for (const w of wanted) {
        for (const item of w.items) {
          if (w.ambiguous) {
            const what = w.ambiguous.by === 'domain' ? `website ${w.domain}` : `the name "${w.name}"`;
            item.attention = {
              code: 'account_ambiguous',
              reason: `${w.ambiguous.ids.length} Salesforce Accounts match ${what} (${w.ambiguous.ids.join(', ')}): link the company to one of them, or merge them`,
              fields: ['AccountId'],
              source: 'preflight',
            };
          } else if (w.refused) item.attention = w.refused;
          else if (w.accountId) {
            setAccount(item, w.accountId, w.matchedBy!);
            if (item.person.companyId) companyLinks.push({ crmId: w.accountId, companyId: item.person.companyId });
          }
        }
      }
      if (companyLinks.length) await this.links.link(connection, 'company', companyLinks);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1 || k, 0)) FROM unnest($2::text[]) AS k`, [lockKey, keys]);
    }
  }

  /** Website domain first, then exact name for the groups the domain did not settle. */
  private async find(ctx: ExportContext, wanted: Wanted[]): Promise<void> {
    const { adapter } = ctx;
    const byDomain = wanted.filter((w) => w.domain);
    if (byDomain.length) {
      const found = await withCrmRetry(() => adapter.findCompaniesByDomains(byDomain.map((w) => w.domain!), { properties: ['Website', 'Name'] }));
      settle(byDomain, found.map((m) => ({ key: m.domain, record: m.record })), (w) => w.domain!, 'domain');
    }
    const byName = wanted.filter((w) => !w.accountId && !w.ambiguous && w.name);
    if (byName.length && adapter.findCompaniesByNames) {
      const findByNames = adapter.findCompaniesByNames.bind(adapter);
      const found = await withCrmRetry(() => findByNames(byName.map((w) => w.name!), { properties: ['Website', 'Name'] }));
      settle(byName, found.map((m) => ({ key: m.name.toLowerCase(), record: m.record })), (w) => w.name!.toLowerCase(), 'name');
    }
  }

  /** One Account per company, from the Companies-tab rows; a duplicate rule's match is used instead; before a retry the lookups run again. */
  private async create(ctx: ExportContext, missing: Wanted[]): Promise<void> {
    const { adapter } = ctx;
    const settled = await writeSettled(
      missing,
      (pending) => adapter.createMany('company', pending.map((w) => ({ properties: this.accountProperties(ctx, w) }))),
      async (pending) => {
        const again = pending.map((w): Wanted => ({ key: w.key, domain: w.domain, name: w.name, items: [] }));
        await this.find(ctx, again);
        const landed = new Map(again.filter((w) => w.accountId).map((w) => [w.key, w.accountId!]));
        return {
          retry: pending.filter((w) => !landed.has(w.key)),
          settled: pending.filter((w) => landed.has(w.key)).map((w) => ({ input: w, result: { index: 0, ok: true as const, id: landed.get(w.key)!, object: 'company' as const, created: true } })),
        };
      },
    );
    for (const { input, result } of settled) {
      if (result.ok) {
        input.accountId = result.id;
        input.matchedBy = 'created';
      } else if (result.error.details.kind === 'duplicate' && result.error.details.existingId) {
        // The org's duplicate rule on Account named the Account this company already is.
        input.accountId = result.error.details.existingId;
        input.matchedBy = input.domain ? 'domain' : 'name';
      } else {
        input.refused = { ...attentionFromCrm(result.error), reason: `The Account could not be created: ${attentionFromCrm(result.error).reason}` };
        this.logger.warn({ msg: 'account not created', connectionId: ctx.connection.id, error: result.error.message });
      }
    }
  }

  /** Companies-tab rows applied to a new Account; a value the org refuses is left out. Name and Website always go. */
  private accountProperties(ctx: ExportContext, w: Wanted): Record<string, CrmValue> {
    const sample = w.items.find((i) => i.company) ?? w.items[0];
    const diff = diffForExport({
      crm: 'salesforce',
      object: 'company',
      rows: ctx.companyRows,
      conduitRecord: companyRecordOf(sample?.company ?? null, w.name, w.domain ?? ''),
      crmCurrent: null,
      ...(ctx.fields.company ? { fields: ctx.fields.company } : {}),
    });
    const skipped = diff.errors.filter((e) => e.code !== 'required_missing');
    if (skipped.length) this.logger.warn({ msg: 'account fields not exported', connectionId: ctx.connection.id, errors: skipped.map((e) => `${e.crmField}: ${e.message}`) });
    const properties = diff.properties;
    if (isBlank(properties['Name'])) properties['Name'] = w.name ?? w.domain;
    // The Website is how later exports find the Account by domain.
    if (isBlank(properties['Website']) && w.domain) properties['Website'] = w.domain;
    return properties;
  }
}

function setAccount(item: Item, accountId: string, matchedBy: AccountMatch): void {
  item.account = { id: accountId, matchedBy };
  // A matched Contact keeps the Account a rep gave it; a new Contact (or one without an Account) gets this one.
  if (!item.match || isBlank(item.match.properties['AccountId'])) item.properties['AccountId'] = accountId;
}

/** Exactly one Account per key settles the group; several make it ambiguous. */
function settle(groups: Wanted[], found: { key: string; record: CrmRecord }[], keyOf: (w: Wanted) => string, by: 'domain' | 'name'): void {
  const ids = new Map<string, string[]>();
  for (const f of found) ids.set(f.key, [...new Set([...(ids.get(f.key) ?? []), f.record.id])]);
  for (const w of groups) {
    const hits = ids.get(keyOf(w)) ?? [];
    if (hits.length === 1) {
      w.accountId = hits[0]!;
      w.matchedBy = by;
    } else if (hits.length > 1) w.ambiguous = { by, ids: hits.sort() };
  }
}
