import { Client } from '@hubspot/api-client';
import type { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/models/Filter.js';
import type { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/models/AssociationSpec.js';
import type { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate.js';
import type { AssociationSpecAssociationCategoryEnum as V4CategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec.js';
import { type Indexed, chunk, dedupeByKey, writeInBatches } from '../batching.js';
import { CallRunner } from '../call-runner.js';
import type {
  ChangedSinceOptions,
  CrmActivityInput,
  CrmActivityMatch,
  CrmActivityType,
  CrmAdapter,
  CrmAdapterOptions,
  CrmAssociationInput,
  CrmAssociationResult,
  CrmCreateInput,
  CrmCredentials,
  CrmCursor,
  CrmDomainMatch,
  CrmEmailMatch,
  CrmEmailUpsertInput,
  CrmExternalIdUpsertInput,
  CrmFieldDescriptor,
  CrmList,
  CrmListMemberPage,
  CrmObjectType,
  CrmOwner,
  CrmPipeline,
  CrmPage,
  CrmRateLimitState,
  CrmRecord,
  CrmUpdateInput,
  CrmValue,
  CrmWriteResult,
  ReadOptions,
  ReadPagesOptions,
  RefreshCredentials,
} from '../contract.js';
import { ACTIVITY_ID_FIELD } from '../contract.js';
import type { CrmConsentWrite, CrmSubscriptionStatus, HubspotLegalBasis } from '../consent.js';
import { CrmError, UnsupportedCrmError } from '../errors.js';
import { normalizeDomain, normalizeEmail } from '../normalize.js';
import { acceptAnySuccess, mapHubspotError, mapHubspotResponse, rawErrorBodies } from './hubspot.errors.js';
import { readSplit, SEARCH_PAGE, type SplitState, type SplitTransport } from './hubspot.backfill.js';
import {
  type HubspotEngagementInput,
  type HubspotEngagementType,
  type HubspotObject,
  hubspotObjectType,
  lastModifiedProperty,
  engagementType,
  toEngagement,
  toFieldDescriptor,
  toHubspotProperties,
  toList,
  toListMember,
  toOwner,
  toRecord,
  HUBSPOT_DEALS,
} from './hubspot.mapper.js';
import { HUBSPOT_CAPABILITIES, HUBSPOT_LIMITS, HUBSPOT_PRODUCTION, type HubspotEndpoints, recordAssociationTypeId } from './hubspot.metadata.js';

export interface HubspotAdapterOptions extends CrmAdapterOptions {
  /** Defaults to production HubSpot; dev/test configuration passes hubspotSandboxEndpoints(url). */
  endpoints?: HubspotEndpoints;
}

type LimitsSink = (update: Partial<Pick<CrmRateLimitState, 'window' | 'daily'>>) => void;

/**
 * A @hubspot/api-client Client pointed at `basePath`, with SDK retries and its Bottleneck limiter
 * off (the engine's shared budget and retry policy own both) and a response middleware that
 * (1) records X-HubSpot-RateLimit-* headers, (2) keeps the raw JSON of error answers, whose
 * errorType/policyName the SDK's Error model drops, and (3) wraps non-JSON error bodies in JSON
 * so the SDK still throws an ApiException with the status code instead of a parse error.
 */
export function createHubspotClient(basePath: string, accessToken?: string, onLimits?: LimitsSink): Client {
  return new Client({
    ...(accessToken ? { accessToken } : {}),
    basePath: basePath.replace(/\/+$/, ''),
    middleware: [{ pre: (ctx: unknown) => ctx, post: (ctx: unknown) => inspectResponse(ctx as ResponseContextLike, onLimits) }],
  });
}

interface ResponseContextLike {
  httpStatusCode: number;
  headers: Record<string, string>;
  body: { text(): Promise<string>; binary(): Promise<Buffer> };
}

async function inspectResponse(ctx: ResponseContextLike, onLimits?: LimitsSink): Promise<ResponseContextLike> {
  const h = ctx.headers;
  if (onLimits) {
    const max = Number(h['x-hubspot-ratelimit-max']);
    const remaining = Number(h['x-hubspot-ratelimit-remaining']);
    const intervalMs = Number(h['x-hubspot-ratelimit-interval-milliseconds']);
    const dailyMax = Number(h['x-hubspot-ratelimit-daily']);
    const dailyRemaining = Number(h['x-hubspot-ratelimit-daily-remaining']);
    onLimits({
      ...(h['x-hubspot-ratelimit-max'] !== undefined && Number.isFinite(max) && Number.isFinite(remaining)
        ? { window: { max, remaining, intervalMs: Number.isFinite(intervalMs) ? intervalMs : HUBSPOT_LIMITS.windowMs } }
        : {}),
      ...(h['x-hubspot-ratelimit-daily'] !== undefined && Number.isFinite(dailyMax) && Number.isFinite(dailyRemaining)
        ? { daily: { max: dailyMax, remaining: dailyRemaining } }
        : {}),
    });
  }
  if (ctx.httpStatusCode >= 400) {
    const text = await ctx.body.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const json = typeof parsed === 'object' && parsed !== null ? text : JSON.stringify({ status: 'error', message: text.slice(0, 1000) || `HTTP ${ctx.httpStatusCode}` });
    rawErrorBodies.set(h, JSON.parse(json));
    h['content-type'] = 'application/json';
    ctx.body = { text: () => Promise.resolve(json), binary: () => Promise.resolve(Buffer.from(json)) };
  }
  return ctx;
}

/**
 * Cursor of listChangedSince / readPages: a backfill read from both ends (`split`, readPages; see hubspot.backfill.ts),
 * or by list paging alone (`list`, listChangedSince), then search on last-modified (`search`, incremental).
 */
type HubspotCursor = { v: 1; m: 'list'; after?: string; startedAt: number } | { v: 1; m: 'search'; since: number; after?: string } | SplitState;

/** Clock skew and search-index lag margin when switching from backfill to incremental. */
const BACKFILL_OVERLAP_MS = 5 * 60_000;

export function encodeHubspotCursor(c: HubspotCursor): CrmCursor {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}
export function decodeHubspotCursor(cursor: CrmCursor): HubspotCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as HubspotCursor;
    if (c.v === 1 && (c.m === 'list' || c.m === 'search' || c.m === 'split')) return c;
  } catch {
    // fall through
  }
  throw new RangeError('Not a HubSpot sync cursor');
}

interface BatchAnswer {
  results: Array<HubspotObject & { _new?: boolean; new?: boolean }>;
  errors?: Array<{ status?: string; category: string; message: string; context?: Record<string, string[]>; errors?: unknown[] }>;
}

const CATEGORY_STATUS: Record<string, number> = { VALIDATION_ERROR: 400, OBJECT_NOT_FOUND: 404, CONFLICT: 409, OBJECT_ALREADY_EXISTS: 409, RATE_LIMITS: 429 };

export class HubspotAdapter implements CrmAdapter {
  readonly kind = 'hubspot' as const;
  readonly deals = HUBSPOT_DEALS;
  readonly capabilities = HUBSPOT_CAPABILITIES;
  private readonly client: Client;
  private readonly runner: CallRunner;
  private readonly fieldNames = new Map<CrmObjectType, string[]>();
  readonly endpoints: HubspotEndpoints;

  constructor(credentials: CrmCredentials, refresh: RefreshCredentials, options: HubspotAdapterOptions = {}) {
    this.endpoints = options.endpoints ?? HUBSPOT_PRODUCTION;
    this.runner = new CallRunner({
      crm: 'hubspot',
      options,
      refresh,
      mapError: mapHubspotError,
      applyCredentials: (c) => this.client.setAccessToken(c.accessToken),
    });
    this.client = createHubspotClient(this.endpoints.apiBaseUrl, credentials.accessToken, (u) => this.runner.recordLimits(u));
  }

  rateLimitState(): CrmRateLimitState {
    return this.runner.rateLimitState();
  }

  /** HubSpot has no read of its daily usage: it reports the daily figures only in response headers (private apps). */
  readDailyApiUsage(): Promise<null> {
    return Promise.resolve(null);
  }

  async describeFields(object: CrmObjectType): Promise<CrmFieldDescriptor[]> {
    const type = hubspotObjectType(object);
    const res = await this.runner.run(() => this.client.crm.properties.coreApi.getAll(type, false));
    const fields = res.results.filter((p) => !p.hidden || !p.hubspotDefined).map((p) => toFieldDescriptor(p));
    this.fieldNames.set(
      object,
      fields.map((f) => f.name),
    );
    return fields;
  }

  async listChangedSince(object: CrmObjectType, cursor: CrmCursor | null, options: ChangedSinceOptions = {}): Promise<CrmPage> {
    const type = hubspotObjectType(object);
    const properties = await this.propertiesFor(object, options);
    const c: HubspotCursor = cursor === null ? { v: 1, m: 'list', startedAt: Date.now() } : decodeHubspotCursor(cursor);
    if (c.m === 'split') throw new RangeError('A split backfill cursor is read with readPages');

    if (c.m === 'list') {
      const limit = clamp(options.pageSize ?? HUBSPOT_LIMITS.listPageSize, 1, HUBSPOT_LIMITS.listPageSize);
      const associations = options.associations?.map((o) => hubspotObjectType(o));
      const page = await this.runner.run(() => this.client.crm.objects.basicApi.getPage(type, limit, c.after, properties, undefined, associations, false));
      const records = page.results.map((o) => toRecord(object, o));
      const after = page.paging?.next?.after;
      if (after) return { records, nextCursor: encodeHubspotCursor({ v: 1, m: 'list', after, startedAt: c.startedAt }), hasMore: true };
      return { records, nextCursor: encodeHubspotCursor({ v: 1, m: 'search', since: c.startedAt - BACKFILL_OVERLAP_MS }), hasMore: false };
    }

    const limit = clamp(options.pageSize ?? HUBSPOT_LIMITS.searchPageSize, 1, HUBSPOT_LIMITS.searchPageSize);
    const modified = lastModifiedProperty(object);
    const page = await this.runner.run(() =>
      this.client.crm.objects.searchApi.doSearch(type, {
        // GTE, not GT: a record changed in the same millisecond as the last one seen is not lost
        // (the engine's import is idempotent, so seeing boundary records twice is harmless).
        filterGroups: [{ filters: [{ propertyName: modified, operator: 'GTE' as FilterOperatorEnum, value: String(c.since) }] }],
        // The SDK types sorts as string[], but the API takes {propertyName, direction} objects.
        sorts: [{ propertyName: modified, direction: 'ASCENDING' } as unknown as string],
        properties: properties.includes(modified) ? properties : [...properties, modified],
        limit,
        ...(c.after ? { after: c.after } : {}),
      }),
      1,
      'search',
    );
    const records = page.results.map((o) => toRecord(object, o));
    const maxSeen = records.reduce((m, r) => Math.max(m, modifiedAt(r, modified)), c.since);
    const after = page.paging?.next?.after;
    if (!after) return { records, nextCursor: encodeHubspotCursor({ v: 1, m: 'search', since: maxSeen }), hasMore: false };
    // Keyset paging: the next page starts at the last timestamp seen. Offsets (`after`) would skip
    // a record whenever one already read is modified meanwhile (everything shifts left), and stop
    // at the 10,000-result cap. Offsets are used only inside a page-wide run of one timestamp.
    if (maxSeen > c.since) return { records, nextCursor: encodeHubspotCursor({ v: 1, m: 'search', since: maxSeen }), hasMore: true };
    if (Number(after) + limit < HUBSPOT_LIMITS.searchMaxResults) {
      return { records, nextCursor: encodeHubspotCursor({ v: 1, m: 'search', since: c.since, after }), hasMore: true };
    }
    // 10,000 records share one millisecond: step past it rather than loop forever.
    return { records, nextCursor: encodeHubspotCursor({ v: 1, m: 'search', since: c.since + 1 }), hasMore: true };
  }

  async *readPages(object: CrmObjectType, cursor: CrmCursor | null, options: ReadPagesOptions): AsyncGenerator<CrmPage> {
    const c = cursor === null ? null : decodeHubspotCursor(cursor);
    if (c === null || c.m === 'split') {
      const properties = await options.schedule(() => this.propertiesFor(object, options));
      const startedAt = c?.startedAt ?? Date.now();
      const state: SplitState = c ?? { v: 1, m: 'split', startedAt, list: { high: 0 }, top: null, ranges: [] };
      yield* readSplit(state, this.splitTransport(object, properties, options.associations ?? []), options.schedule, encodeHubspotCursor, encodeHubspotCursor({ v: 1, m: 'search', since: startedAt - BACKFILL_OVERLAP_MS }));
      return;
    }
    // A list backfill started before split reads, or the incremental search: each page names the next, one at a time.
    for (let next: CrmCursor = cursor!; ; ) {
      const from = next;
      const page = await options.schedule(() => this.listChangedSince(object, from, options));
      yield page;
      if (!page.hasMore) return;
      next = page.nextCursor;
    }
  }

  /** List paging, keyset search by id, the id probe and association reads of one object, for readSplit. */
  private splitTransport(object: CrmObjectType, properties: string[], associations: CrmObjectType[]): SplitTransport {
    const type = hubspotObjectType(object);
    const inline = associations.map((o) => hubspotObjectType(o));
    const byId = (direction: 'ASCENDING' | 'DESCENDING') => [{ propertyName: 'hs_object_id', direction } as unknown as string];
    const search = (request: Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]) => this.runner.run(() => this.client.crm.objects.searchApi.doSearch(type, request), 1, 'search');
    return {
      listPage: async (after) => {
        const page = await this.runner.run(() => this.client.crm.objects.basicApi.getPage(type, HUBSPOT_LIMITS.listPageSize, after, properties, undefined, inline.length ? inline : undefined, false));
        return { records: page.results.map((o) => toRecord(object, o)), after: page.paging?.next?.after };
      },
      searchRange: async (lo, hi) => {
        const filters = [
          { propertyName: 'hs_object_id', operator: 'GT' as FilterOperatorEnum, value: String(lo) },
          ...(hi === null ? [] : [{ propertyName: 'hs_object_id', operator: 'LTE' as FilterOperatorEnum, value: String(hi) }]),
        ];
        const page = await search({ filterGroups: [{ filters }], sorts: byId('ASCENDING'), properties, limit: SEARCH_PAGE });
        return { records: page.results.map((o) => toRecord(object, o)), total: page.total };
      },
      edge: async (end) => {
        const page = await search({ filterGroups: [], sorts: byId(end === 'lowest' ? 'ASCENDING' : 'DESCENDING'), properties: ['hs_object_id'], limit: 1 });
        const first = page.results[0];
        return first ? { id: Number(first.id), total: page.total } : null;
      },
      associations: associations.length
        ? async (ids) => {
            const out: Partial<Record<CrmObjectType, Record<string, string[]>>> = {};
            for (const to of associations) out[to] = await this.readAssociations(object, to, ids);
            return out;
          }
        : null,
    };
  }

  async countRecords(object: CrmObjectType): Promise<number> {
    const type = hubspotObjectType(object);
    const page = await this.runner.run(() => this.client.crm.objects.searchApi.doSearch(type, { filterGroups: [], properties: ['hs_object_id'], limit: 1 }), 1, 'search');
    return page.total;
  }

  async listArchived(object: CrmObjectType, after?: string | null): Promise<{ records: CrmRecord[]; nextAfter: string | null }> {
    const type = hubspotObjectType(object);
    const modified = lastModifiedProperty(object);
    const page = await this.runner.run(() =>
      this.client.crm.objects.basicApi.getPage(type, HUBSPOT_LIMITS.listPageSize, after ?? undefined, ['hs_object_id', modified], undefined, undefined, true),
    );
    return { records: page.results.map((o) => toRecord(object, { ...o, archived: true })), nextAfter: page.paging?.next?.after ?? null };
  }

  async readByIds(object: CrmObjectType, ids: string[], options: ReadOptions = {}): Promise<CrmRecord[]> {
    const type = hubspotObjectType(object);
    const properties = await this.propertiesFor(object, options);
    const out: CrmRecord[] = [];
    for (const part of chunk(unique(ids), HUBSPOT_LIMITS.batchSize)) {
      const res = await this.runner.run(() =>
        this.client.crm.objects.batchApi.read(type, { inputs: part.map((id) => ({ id })), properties, propertiesWithHistory: [] }, false),
      );
      // Ids that do not exist come back as OBJECT_NOT_FOUND errors in a 207: left out on purpose.
      for (const o of res.results) out.push(toRecord(object, o));
    }
    return out;
  }

  async findByEmails(emails: string[], options: ReadOptions = {}): Promise<CrmEmailMatch[]> {
    const wanted = unique(emails.map(normalizeEmail).filter((e) => e !== ''));
    const base = await this.propertiesFor('contact', options);
    const properties = base.includes('email') ? base : [...base, 'email'];
    const out: CrmEmailMatch[] = [];
    for (const part of chunk(wanted, HUBSPOT_LIMITS.batchSize)) {
      const res = await this.runner.run(() =>
        this.client.crm.objects.batchApi.read('contacts', { idProperty: 'email', inputs: part.map((id) => ({ id })), properties, propertiesWithHistory: [] }, false),
      );
      for (const o of res.results) {
        const email = normalizeEmail(o.properties['email'] ?? '');
        if (part.includes(email)) out.push({ email, record: toRecord('contact', o) });
      }
    }
    return out;
  }

  async findCompaniesByDomains(domains: string[], options: ReadOptions = {}): Promise<CrmDomainMatch[]> {
    const wanted = unique(domains.map(normalizeDomain).filter((d) => d !== ''));
    const base = await this.propertiesFor('company', options);
    const properties = base.includes('domain') ? base : [...base, 'domain'];
    const out: CrmDomainMatch[] = [];
    // `domain` is not a unique id property, so this is a search: IN takes ≤ 100 values.
    for (const part of chunk(wanted, 100)) {
      let after: string | undefined;
      do {
        const page = await this.runner.run(() =>
          this.client.crm.objects.searchApi.doSearch('companies', {
            filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'IN' as FilterOperatorEnum, values: part }] }],
            properties,
            limit: HUBSPOT_LIMITS.searchPageSize,
            ...(after ? { after } : {}),
          }),
          1,
          'search',
        );
        for (const o of page.results) {
          const domain = normalizeDomain(o.properties['domain'] ?? '');
          if (part.includes(domain)) out.push({ domain, record: toRecord('company', o) });
        }
        after = page.paging?.next?.after;
      } while (after);
    }
    return out;
  }

  async createMany(object: CrmObjectType, inputs: CrmCreateInput[]): Promise<CrmWriteResult[]> {
    const type = hubspotObjectType(object);
    return writeInBatches(inputs, {
      crm: 'hubspot',
      size: HUBSPOT_LIMITS.batchSize,
      isolate: true,
      send: async (items) => {
        const res = await this.runner.run(() =>
          this.client.crm.objects.batchApi.create(type, {
            inputs: items.map(({ index, input }) => ({ properties: toHubspotProperties(input.properties), associations: [], objectWriteTraceId: String(index) })),
          }),
        );
        return matchResults(object, items, res as BatchAnswer, () => null, true);
      },
    });
  }

  async updateMany(object: CrmObjectType, inputs: CrmUpdateInput[]): Promise<CrmWriteResult[]> {
    const type = hubspotObjectType(object);
    return writeInBatches(inputs, {
      crm: 'hubspot',
      size: HUBSPOT_LIMITS.batchSize,
      isolate: true,
      send: async (items) => {
        const res = await this.runner.run(() =>
          this.client.crm.objects.batchApi.update(type, {
            inputs: items.map(({ index, input }) => ({ id: input.id, properties: toHubspotProperties(input.properties), objectWriteTraceId: String(index) })),
          }),
        );
        return matchResults(object, items, res as BatchAnswer, (it) => it.input.id, false);
      },
    });
  }

  async upsertManyByEmail(object: CrmObjectType, inputs: CrmEmailUpsertInput[]): Promise<CrmWriteResult[]> {
    if (object !== 'contact') throw new UnsupportedCrmError('HubSpot upserts by email only for contacts');
    return this.upsert(object, 'email', inputs.map((i) => ({ value: normalizeEmail(i.email), properties: i.properties })));
  }

  async upsertByExternalId(object: CrmObjectType, field: string, inputs: CrmExternalIdUpsertInput[]): Promise<CrmWriteResult[]> {
    return this.upsert(object, field, inputs);
  }

  private upsert(object: CrmObjectType, idProperty: string, all: CrmExternalIdUpsertInput[]): Promise<CrmWriteResult[]> {
    const type = hubspotObjectType(object);
    return dedupeByKey('hubspot', all, (i) => i.value.toLowerCase(), (inputs) => writeInBatches(inputs, {
      crm: 'hubspot',
      size: HUBSPOT_LIMITS.batchSize,
      isolate: true,
      send: async (items) => {
        const res = await this.runner.run(() =>
          this.client.crm.objects.batchApi.upsert(type, {
            inputs: items.map(({ index, input }) => ({
              idProperty,
              id: input.value,
              properties: toHubspotProperties(input.properties),
              objectWriteTraceId: String(index),
            })),
          }),
        );
        const byKey = (it: Indexed<CrmExternalIdUpsertInput>): string => it.input.value.toLowerCase();
        return matchResults(object, items, res as BatchAnswer, byKey, false, (o) => (o.properties[idProperty] ?? '').toLowerCase());
      },
    }));
  }

  async associate(links: CrmAssociationInput[]): Promise<CrmAssociationResult[]> {
    const out = new Map<number, CrmAssociationResult>();
    const groups = new Map<string, Array<Indexed<CrmAssociationInput> & { typeId: number }>>();
    links.forEach((input, index) => {
      const typeId = recordAssociationTypeId(input.from.object, input.to.object, input.primary === true);
      if (typeId === null || input.from.object === 'lead' || input.to.object === 'lead') {
        out.set(index, { index, ok: false, error: unsupportedAssociation(input) });
        return;
      }
      const key = `${input.from.object}|${input.to.object}`;
      const g = groups.get(key) ?? [];
      g.push({ index, input, typeId });
      groups.set(key, g);
    });

    let written = false;
    for (const [key, items] of groups) {
      const [from, to] = key.split('|') as [CrmObjectType, CrmObjectType];
      let results: CrmWriteResult[];
      try {
        results = await writeInBatches(items, {
          crm: 'hubspot',
          size: HUBSPOT_LIMITS.associationBatchSize,
          isolate: true,
          send: async (part) => {
            // The live API has answered 200 here (the SDK expects 201 / 207): a success either way.
            const res = await this.runner.run(() => acceptAnySuccess(() =>
              this.client.crm.associations.v4.batchApi.create(hubspotObjectType(from), hubspotObjectType(to), {
                inputs: part.map(({ input: it }) => ({
                  _from: { id: it.input.from.id },
                  to: { id: it.input.to.id },
                  types: [{ associationCategory: 'HUBSPOT_DEFINED' as V4CategoryEnum, associationTypeId: it.typeId }],
                })),
              })),
            );
            // fromObjectId / toObjectId: strings in the SDK's model, numbers from the live API: compared as text.
            const done = new Set(res.results.map((r) => `${r.fromObjectId}|${r.toObjectId}`));
            const errors = 'errors' in res && res.errors ? res.errors : [];
            return part.map(({ index, input: it }): CrmWriteResult => {
              if (done.has(`${it.input.from.id}|${it.input.to.id}`)) return { index, ok: true, id: it.input.to.id, object: to, created: null };
              const err = errors[0];
              return {
                index,
                ok: false,
                error: err
                  ? mapHubspotResponse(CATEGORY_STATUS[err.category] ?? 400, err)
                  : new CrmError({ kind: 'not_found' }, { crm: 'hubspot', message: 'Association was not created' }),
              };
            });
          },
        });
      } catch (e) {
        if (!(e instanceof CrmError) || !written) throw e;
        results = items.map((_, i) => ({ index: i, ok: false, error: e }));
      }
      results.forEach((r, i) => {
        const item = items[i];
        if (!item) return;
        if (r.ok) written = true;
        out.set(item.index, r.ok ? { index: item.index, ok: true } : { index: item.index, ok: false, error: r.error });
      });
    }
    return links.map((_, index) => out.get(index) ?? { index, ok: false, error: unsupportedAssociation(links[index]) });
  }

  async readAssociations(from: CrmObjectType, to: CrmObjectType, ids: string[]): Promise<Record<string, string[]>> {
    const fromType = hubspotObjectType(from);
    const toType = hubspotObjectType(to);
    const out: Record<string, string[]> = {};
    for (const part of chunk([...new Set(ids)], HUBSPOT_LIMITS.associationBatchSize)) {
      const res = await this.runner.run(() => this.client.crm.associations.v4.batchApi.getPage(fromType, toType, { inputs: part.map((id) => ({ id })) }));
      // Ids without associations come back as NO_ASSOCIATIONS_FOUND errors in a 207: left out.
      for (const r of res.results) {
        const key = String(r._from.id);
        out[key] = [...new Set([...(out[key] ?? []), ...r.to.map((t) => String(t.toObjectId))])];
      }
    }
    return out;
  }

  async listOwners(): Promise<CrmOwner[]> {
    const out: CrmOwner[] = [];
    for (const archived of [false, true]) {
      let after: string | undefined;
      do {
        const page = await this.runner.run(() => this.client.crm.owners.ownersApi.getPage(undefined, after, 500, archived));
        for (const o of page.results) out.push(toOwner({ ...o, archived }));
        after = page.paging?.next?.after;
      } while (after);
    }
    return out;
  }

  async listPipelines(object: 'deal'): Promise<CrmPipeline[]> {
    const res = await this.runner.run(() => this.client.crm.pipelines.pipelinesApi.getAll(hubspotObjectType(object)));
    return res.results
      .filter((p) => !p.archived)
      .sort((a, b) => a.displayOrder - b.displayOrder)
      .map((p) => ({
        id: p.id,
        label: p.label,
        stages: p.stages
          .filter((st) => !st.archived)
          .sort((a, b) => a.displayOrder - b.displayOrder)
          .map((st) => ({ id: st.id, label: st.label, closed: st.metadata?.['isClosed'] === 'true' })),
      }));
  }

  async listLists(after?: string | null): Promise<{ lists: CrmList[]; nextAfter: string | null }> {
    const offset = after ? Number(after) : 0;
    const res = await this.runner.run(() =>
      this.client.crm.lists.listsApi.doSearch({ offset, count: 100, additionalProperties: ['hs_list_size'] }),
    );
    const lists = res.lists.filter((l) => !l.objectTypeId || l.objectTypeId === '0-1').map((l) => toList(l));
    return { lists, nextAfter: res.hasMore ? String(res.offset) : null };
  }

  async listMembers(listId: string, after?: string | null): Promise<CrmListMemberPage> {
    const res = await this.runner.run(() =>
      this.client.crm.lists.membershipsApi.getPage(listId, after ?? undefined, undefined, HUBSPOT_LIMITS.membershipsPageSize),
    );
    const members = res.results.map((m) => toListMember(m));
    const nextAfter = res.paging?.next?.after ?? null;
    // Memberships come sorted by record id; when the paging token is the page's last record id, any record id is a
    // valid place to start (the caller reads ranges at once). An opaque token leaves paging one page after another.
    const last = members[members.length - 1];
    const byRecordId = nextAfter !== null && last !== undefined && /^\d+$/.test(nextAfter) && nextAfter === last.recordId;
    return { members, nextAfter, byRecordId, ...(typeof res.total === 'number' ? { total: res.total } : {}) };
  }

  // ---- Consent ----

  /**
   * Unsubscribe / spam complaint: the address opts out of all email (v4 batch unsubscribe-all, 100 per call; idempotent —
   * an address already opted out stays so). HubSpot keys subscriptions by address, so this holds for every contact with
   * it. A hard bounce has nothing to write (HubSpot's bounce properties are read-only): ok with crmObject 'none'.
   */
  async recordConsent(inputs: CrmConsentWrite[]): Promise<CrmWriteResult[]> {
    const out: CrmWriteResult[] = inputs.map((input, index) => ({ index, ok: true, id: input.person.id, object: input.person.object, created: null, crmObject: 'none' }));
    const optOuts = inputs.map((input, index) => ({ input, index })).filter((x) => x.input.event !== 'hard_bounce');
    const byEmail = new Map<string, number[]>();
    for (const { input, index } of optOuts) {
      const email = normalizeEmail(input.email);
      if (email === '') {
        out[index] = { index, ok: false, error: invalidInput(new Error('No email address to unsubscribe')) };
        continue;
      }
      byEmail.set(email, [...(byEmail.get(email) ?? []), index]);
    }
    let firstDone = false;
    for (const part of chunk([...byEmail.keys()], HUBSPOT_LIMITS.batchSize)) {
      let answer: { results?: { subscriberIdString?: string }[]; errors?: { message?: string; context?: Record<string, string[]> }[] };
      try {
        answer = await this.runner.run(() => this.v4<typeof answer>('POST', '/communication-preferences/v4/statuses/batch/unsubscribe-all', { channel: 'EMAIL' }, { inputs: part }));
      } catch (e) {
        // Nothing written yet: the caller retries the whole call. Once a chunk landed, the rest carry the error.
        if (!firstDone || !(e instanceof CrmError)) throw e;
        for (const email of part) for (const index of byEmail.get(email) ?? []) out[index] = { index, ok: false, error: e };
        continue;
      }
      firstDone = true;
      for (const err of answer.errors ?? []) {
        const error = mapHubspotResponse(400, err);
        for (const email of err.context?.['subscriberIdString'] ?? []) {
          for (const index of byEmail.get(normalizeEmail(email)) ?? []) out[index] = { index, ok: false, error };
        }
      }
      for (const email of part) {
        for (const index of byEmail.get(email) ?? []) {
          const r = out[index];
          if (r?.ok) out[index] = { ...r, crmObject: 'communication-preferences' };
        }
      }
    }
    return out;
  }

  async readSubscriptions(emails: string[]): Promise<CrmSubscriptionStatus[]> {
    const out: CrmSubscriptionStatus[] = [];
    type Status = { subscriptionId: number; subscriptionName?: string; status: string; legalBasis?: string; timestamp?: string };
    for (const part of chunk(unique(emails.map(normalizeEmail).filter((e) => e !== '')), HUBSPOT_LIMITS.batchSize)) {
      const statuses = await this.runner.run(() =>
        this.v4<{ results: { subscriberIdString: string; statuses: Status[] }[] }>('POST', '/communication-preferences/v4/statuses/batch/read', { channel: 'EMAIL' }, { inputs: part }),
      );
      const wide = await this.runner.run(() =>
        this.v4<{ results: { subscriberIdString: string; wideStatuses: { status: string }[] }[] }>('POST', '/communication-preferences/v4/statuses/batch/unsubscribe-all/read', { channel: 'EMAIL' }, { inputs: part }),
      );
      const optedOut = new Set(wide.results.filter((r) => r.wideStatuses.some((w) => w.status === 'UNSUBSCRIBED')).map((r) => normalizeEmail(r.subscriberIdString)));
      for (const r of statuses.results) {
        const email = normalizeEmail(r.subscriberIdString);
        out.push({
          email,
          optedOutOfAll: optedOut.has(email),
          types: r.statuses.map((s) => ({
            id: String(s.subscriptionId),
            name: s.subscriptionName ?? String(s.subscriptionId),
            status: s.status === 'SUBSCRIBED' ? 'subscribed' : s.status === 'UNSUBSCRIBED' ? 'unsubscribed' : 'not_specified',
            legalBasis: s.legalBasis ?? null,
            at: s.timestamp ?? null,
          })),
        });
      }
    }
    return out;
  }

  /** Unsubscribes an address from one subscription type with a legal basis (v3, the SDK's statusApi). */
  async unsubscribeFromType(email: string, subscriptionId: string, legalBasis: HubspotLegalBasis, legalBasisExplanation: string): Promise<void> {
    await this.runner.run(() =>
      this.client.communicationPreferences.statusApi.unsubscribe({ emailAddress: email, subscriptionId, legalBasis: legalBasis as never, legalBasisExplanation }),
    );
  }

  async gdprDelete(contactIds: string[]): Promise<CrmWriteResult[]> {
    const out: CrmWriteResult[] = [];
    for (const [index, id] of contactIds.entries()) {
      try {
        await this.runner.run(() => this.client.crm.contacts.basicApi.purge({ objectId: id }));
        out.push({ index, ok: true, id, object: 'contact', created: false, crmObject: 'contacts' });
      } catch (e) {
        if (!(e instanceof CrmError) || (e.retryable && index === 0)) throw e;
        out.push({ index, ok: false, error: e });
      }
    }
    return out;
  }

  /**
   * A v4 communication preferences call (no client in @hubspot/api-client 14): `apiRequest` honours basePath and the
   * token but not the response middleware, so HubSpot's error answers are mapped here.
   */
  private async v4<T>(method: 'GET' | 'POST', path: string, qs: Record<string, string>, body?: unknown): Promise<T> {
    const res = await this.client.apiRequest({ method, path, qs, ...(body !== undefined ? { body } : {}) });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = { message: text.slice(0, 1000) };
    }
    if (res.status >= 400) throw mapHubspotResponse(res.status, json as never, headers);
    return json as T;
  }

  async createActivities(inputs: CrmActivityInput[]): Promise<CrmWriteResult[]> {
    const out = new Map<number, CrmWriteResult>();
    const groups = new Map<HubspotEngagementType, Array<Indexed<HubspotEngagementInput>>>();
    inputs.forEach((a, index) => {
      let e: HubspotEngagementInput;
      try {
        e = toEngagement(a);
      } catch (err) {
        out.set(index, { index, ok: false, error: invalidInput(err) });
        return;
      }
      const g = groups.get(e.objectType) ?? [];
      g.push({ index, input: e });
      groups.set(e.objectType, g);
    });

    let written = false;
    let stopped: CrmError | null = null;
    for (const [objectType, items] of groups) {
      if (stopped) {
        for (const it of items) out.set(it.index, { index: it.index, ok: false, error: stopped });
        continue;
      }
      try {
        const results = await writeInBatches(items, {
          crm: 'hubspot',
          size: HUBSPOT_LIMITS.batchSize,
          isolate: true,
          send: async (part) => {
            const res = await this.runner.run(() =>
              this.client.crm.objects.batchApi.create(objectType, {
                inputs: part.map(({ index, input: { input } }) => ({
                  properties: input.properties,
                  associations: input.associations.map((as) => ({
                    to: as.to,
                    types: as.types.map((t) => ({ associationCategory: t.associationCategory as AssociationSpecAssociationCategoryEnum, associationTypeId: t.associationTypeId })),
                  })),
                  objectWriteTraceId: String(index),
                })),
              }),
            );
            return matchResults('contact', part, res as BatchAnswer, () => null, true).map((r) => (r.ok ? { ...r, crmObject: objectType } : r));
          },
        });
        results.forEach((r, i) => {
          const item = items[i];
          if (!item) return;
          if (r.ok) written = true;
          out.set(item.index, { ...r, index: item.index });
        });
      } catch (e) {
        if (!(e instanceof CrmError) || !written) throw e;
        stopped = e;
        for (const it of items) out.set(it.index, { index: it.index, ok: false, error: e });
      }
    }
    return inputs.map((_, index) => out.get(index) ?? { index, ok: false, error: invalidInput(new Error('not attempted')) });
  }

  async ensureActivityIdField(types: CrmActivityType[]): Promise<void> {
    const name = ACTIVITY_ID_FIELD.hubspot;
    for (const objectType of new Set(types.map((type) => engagementType({ type })))) {
      try {
        await this.runner.run(() => this.client.crm.properties.coreApi.getByName(objectType, name));
        continue;
      } catch (e) {
        if (!(e instanceof CrmError) || e.details.kind !== 'not_found') throw e;
      }
      // The property goes into the object's own first group (e.g. the call information group).
      const groups = await this.runner.run(() => this.client.crm.properties.groupsApi.getAll(objectType));
      const groupName = groups.results[0]?.name ?? `${objectType.replace(/s$/, '')}information`;
      try {
        await this.runner.run(() =>
          this.client.crm.properties.coreApi.create(objectType, {
            name,
            label: 'Conduit activity ID',
            description: 'Set by Conduit on the activities it logs, so a retried write never logs one twice.',
            type: 'string' as PropertyCreateTypeEnum,
            fieldType: 'text' as PropertyCreateFieldTypeEnum,
            groupName,
          }),
        );
      } catch (e) {
        // Created meanwhile by another worker: fine.
        if (!(e instanceof CrmError) || e.details.kind !== 'duplicate') throw e;
      }
    }
  }

  async findActivities(inputs: CrmActivityInput[]): Promise<CrmActivityMatch[]> {
    const name = ACTIVITY_ID_FIELD.hubspot;
    const byType = new Map<HubspotEngagementType, { contacts: Set<string>; wanted: Set<string> }>();
    for (const a of inputs) {
      if (!a.externalId || a.person.object !== 'contact') continue;
      const objectType = engagementType(a);
      const g = byType.get(objectType) ?? { contacts: new Set<string>(), wanted: new Set<string>() };
      g.contacts.add(a.person.id);
      g.wanted.add(a.externalId);
      byType.set(objectType, g);
    }
    const out: CrmActivityMatch[] = [];
    for (const [objectType, { contacts, wanted }] of byType) {
      const engagements = new Set<string>();
      for (const part of chunk([...contacts], HUBSPOT_LIMITS.associationBatchSize)) {
        const res = await this.runner.run(() => this.client.crm.associations.v4.batchApi.getPage('contacts', objectType, { inputs: part.map((id) => ({ id })) }));
        for (const r of res.results) for (const t of r.to) engagements.add(String(t.toObjectId));
      }
      for (const part of chunk([...engagements], HUBSPOT_LIMITS.batchSize)) {
        const res = await this.runner.run(() =>
          this.client.crm.objects.batchApi.read(objectType, { inputs: part.map((id) => ({ id })), properties: [name], propertiesWithHistory: [] }, false),
        );
        for (const o of res.results) {
          const externalId = o.properties[name];
          if (externalId && wanted.has(externalId)) out.push({ externalId, id: String(o.id), crmObject: objectType });
        }
      }
    }
    return out;
  }

  /** Properties to read: the caller's, else every (visible) property from the last describe. */
  private async propertiesFor(object: CrmObjectType, options: ReadOptions): Promise<string[]> {
    if (options.properties && options.properties.length > 0) return options.properties;
    const cached = this.fieldNames.get(object);
    if (cached) return cached;
    await this.describeFields(object);
    return this.fieldNames.get(object) ?? [];
  }
}

/**
 * One result per item from a batch answer. Results are matched by objectWriteTraceId (the
 * item's index, echoed by HubSpot), else by a key (id / upsert value), else by position when
 * the answer has exactly one result per input and no errors. Errors of a 207 are attributed
 * through their context (objectWriteTraceId, ids); an error that names no record goes to the
 * items nothing else accounted for.
 */
export function matchResults<T>(
  object: CrmObjectType,
  items: Array<Indexed<T>>,
  res: BatchAnswer,
  keyOfItem: (it: Indexed<T>) => string | null,
  created: boolean | null,
  keyOfResult: (o: HubspotObject) => string = (o) => String(o.id),
): CrmWriteResult[] {
  const byIndex = new Map<number, CrmWriteResult>();
  const indexSet = new Set(items.map((i) => i.index));
  const byKey = new Map<string, number>();
  for (const it of items) {
    const k = keyOfItem(it);
    if (k !== null) byKey.set(k, it.index);
  }
  const unplaced: typeof res.results = [];
  for (const o of res.results) {
    const trace = o.objectWriteTraceId !== undefined ? Number(o.objectWriteTraceId) : NaN;
    const idx = indexSet.has(trace) ? trace : byKey.get(keyOfResult(o));
    const isNew = newFlag(o) ?? created;
    if (idx !== undefined && !byIndex.has(idx)) byIndex.set(idx, { index: idx, ok: true, id: String(o.id), object, created: isNew });
    else unplaced.push(o);
  }
  const errors = res.errors ?? [];
  if (unplaced.length > 0 && errors.length === 0 && res.results.length === items.length) {
    items.forEach((it, i) => {
      const o = res.results[i];
      if (o && !byIndex.has(it.index)) byIndex.set(it.index, { index: it.index, ok: true, id: String(o.id), object, created: newFlag(o) ?? created });
    });
  }
  const floating: CrmError[] = [];
  for (const e of errors) {
    const err = mapHubspotResponse(CATEGORY_STATUS[e.category] ?? 400, e as never);
    const traces = (e.context?.['objectWriteTraceId'] ?? []).map(Number).filter((n) => indexSet.has(n));
    const ids = (e.context?.['ids'] ?? e.context?.['id'] ?? []).map((k) => byKey.get(String(k).toLowerCase()) ?? byKey.get(String(k))).filter((n): n is number => n !== undefined);
    const targets = [...traces, ...ids];
    if (targets.length === 0) floating.push(err);
    for (const t of targets) if (!byIndex.has(t)) byIndex.set(t, { index: t, ok: false, error: err });
  }
  return items.map((it) => {
    const r = byIndex.get(it.index);
    if (r) return r;
    const err = floating[0];
    return err ? { index: it.index, ok: false, error: err } : { index: it.index, ok: false, error: noResult(it.index) };
  });
}

/** Upsert results say whether they created the record: `_new` in SDK models, `new` in raw JSON. */
function newFlag(o: { _new?: boolean; new?: boolean }): boolean | null {
  const v = o._new ?? o.new;
  return v === undefined ? null : Boolean(v);
}

function noResult(index: number): CrmError {
  return new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: 'hubspot', message: `HubSpot returned no result for input #${index}` });
}

function unsupportedAssociation(link: CrmAssociationInput | undefined): CrmError {
  const what = link ? `${link.from.object} → ${link.to.object}` : 'unknown';
  return new CrmError(
    { kind: 'validation', fields: [{ field: null, code: 'UNSUPPORTED_ASSOCIATION', message: `HubSpot has no association ${what}` }] },
    { crm: 'hubspot', message: `HubSpot has no association ${what}` },
  );
}

function invalidInput(e: unknown): CrmError {
  const message = e instanceof Error ? e.message : String(e);
  return new CrmError({ kind: 'validation', fields: [{ field: null, code: 'INVALID_INPUT', message }] }, { crm: 'hubspot', message });
}

function modifiedAt(r: CrmRecord, prop: string): number {
  const v: CrmValue | undefined = r.properties[prop];
  const t = typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
  return Number.isFinite(t) ? t : Date.parse(r.updatedAt);
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Math.floor(n)));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
