import type { Connection, StreamPromise as StreamPromiseOf } from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse, QueryOptions, QueryResult, SaveResult, UpsertResult } from 'jsforce';
import { type Indexed, chunk, dedupeByKey, writeInBatches } from '../batching.js';
import { CallRunner, DEFAULT_TIMEOUT_MS } from '../call-runner.js';
import type {
  ChangedSinceOptions,
  CrmCallScheduler,
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
  CrmNameMatch,
  CrmObjectType,
  CrmOpportunityStage,
  CrmOwner,
  CrmPage,
  CrmRateLimitState,
  CrmRecord,
  CrmUpdateInput,
  CrmValue,
  CrmWriteResult,
  DealContactRoleChange,
  ReadOptions,
  ReadPagesOptions,
  RefreshCredentials,
} from '../contract.js';
import { ACTIVITY_ID_FIELD } from '../contract.js';
import type { CrmConsentWrite, CrmSubscriptionStatus } from '../consent.js';
import { CrmError, UnsupportedCrmError } from '../errors.js';
import { HedgeDelay, hedged } from '../hedge.js';
import { normalizeDomain, normalizeEmail } from '../normalize.js';
import { type SalesforceErrorItem, mapSalesforceError, mapSalesforceErrors } from './salesforce.errors.js';
import {
  type SalesforceActivityRecord,
  type SalesforceField,
  type SalesforceRecord,
  queryableFieldNames,
  toActivityRecord,
  toFieldDescriptor,
  toList,
  toListMember,
  toOwner,
  toRecord,
  toSalesforceFields,
  SALESFORCE_DEALS,
} from './salesforce.mapper.js';
import { StreamPromise, jsforce } from './jsforce.js';
import {
  LIST_VIEW_OBJECTS,
  type ListViewSObject,
  type SalesforceListViewDescribe,
  type SalesforceListViewSummary,
  membershipQuery,
  parseListViewId,
  toListViewList,
} from './salesforce.list-views.js';
import { SALESFORCE_API_VERSION, SALESFORCE_CAPABILITIES, SALESFORCE_LIMITS, SALESFORCE_OBJECTS, SALESFORCE_PRODUCTION, type SalesforceEndpoints } from './salesforce.metadata.js';

export interface SalesforceAdapterOptions extends CrmAdapterOptions {
  endpoints?: SalesforceEndpoints;
  apiVersion?: string;
}

type LimitsSink = (update: Partial<Pick<CrmRateLimitState, 'window' | 'daily'>>) => void;

interface TransportLike {
  httpRequest(req: HttpRequest, options?: HttpRequestOptions): StreamPromiseOf<HttpResponse>;
}

/**
 * Wraps the connection's HTTP transport (every REST call, query page and collection goes
 * through it) to: turn jsforce's own retries off (GET/PUT/DELETE on 429/5xx, up to 5 times —
 * the engine's retry policy and shared budget own retries), bound each call with a timeout,
 * read Sforce-Limit-Info, and stamp the HTTP status into error bodies, because jsforce's
 * HttpApiError keeps the errorCode but drops the status.
 */
export function instrumentTransport(conn: Connection, timeoutMs: number, onLimits?: LimitsSink): void {
  const holder = conn as unknown as { _transport: TransportLike };
  const transport = holder._transport;
  const original = transport.httpRequest.bind(transport);
  transport.httpRequest = (req: HttpRequest, options: HttpRequestOptions = {}) => {
    const p = original(req, { ...options, retry: { ...(options.retry ?? {}), maxRetries: 0 }, timeout: options.timeout ?? timeoutMs });
    return StreamPromise.create(() => ({ stream: p.stream(), promise: p.then((res) => inspectResponse(res, onLimits)) }));
  };
}

function inspectResponse(res: HttpResponse, onLimits?: LimitsSink): HttpResponse {
  const limitHeader = Object.entries(res.headers ?? {}).find(([k]) => k.toLowerCase() === 'sforce-limit-info')?.[1];
  const m = /api-usage=(\d+)\/(\d+)/.exec(limitHeader ?? '');
  if (m?.[1] && m[2] && onLimits) {
    const used = Number(m[1]);
    const max = Number(m[2]);
    onLimits({ daily: { max, remaining: Math.max(0, max - used) } });
  }
  if (res.statusCode >= 400 && typeof res.body === 'string') {
    try {
      const parsed: unknown = JSON.parse(res.body);
      const stamp = (x: unknown): unknown => (typeof x === 'object' && x !== null && !Array.isArray(x) ? { ...x, httpStatus: res.statusCode } : x);
      const stamped = Array.isArray(parsed) ? parsed.map(stamp) : stamp(parsed);
      return { ...res, body: JSON.stringify(stamped) };
    } catch {
      return res; // not JSON: jsforce names it ERROR_HTTP_<status> itself
    }
  }
  return res;
}

/** Where Salesforce keeps each link: rows of `sobject` whose `key` field is the asked id, `value` the associated id. */
const SALESFORCE_LINKS: Record<string, { sobject: string; key: string; value: string }> = {
  'contact->company': { sobject: 'Contact', key: 'Id', value: 'AccountId' },
  'company->contact': { sobject: 'Contact', key: 'AccountId', value: 'Id' },
  'deal->company': { sobject: 'Opportunity', key: 'Id', value: 'AccountId' },
  'company->deal': { sobject: 'Opportunity', key: 'AccountId', value: 'Id' },
  'deal->contact': { sobject: 'OpportunityContactRole', key: 'OpportunityId', value: 'ContactId' },
  'contact->deal': { sobject: 'OpportunityContactRole', key: 'ContactId', value: 'OpportunityId' },
};

/** Cursor of listChangedSince: SOQL on SystemModstamp ascending, paged with nextRecordsUrl. */
interface SalesforceCursor {
  v: 1;
  /** ISO; null = from the beginning (backfill). */
  since: string | null;
  /** nextRecordsUrl of the running query. */
  next?: string;
  /** Highest SystemModstamp seen in the running query. */
  maxSeen?: string;
}

export function encodeSalesforceCursor(c: SalesforceCursor): CrmCursor {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}
export function decodeSalesforceCursor(cursor: CrmCursor): SalesforceCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as SalesforceCursor;
    if (c.v === 1 && (c.since === null || typeof c.since === 'string')) return c;
  } catch {
    // fall through
  }
  throw new RangeError('Not a Salesforce sync cursor');
}

/** SOQL string literal. */
export function soqlString(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** SOQL datetime literal (no quotes, second precision, UTC). */
function soqlDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Length of `s` in a query string as it goes on the wire. jsforce builds `?q=` with encodeURIComponent, which
 * leaves `'` as is; the HTTP client's URL parser then percent-encodes `'` in the query of http(s) URLs (WHATWG
 * "special-query" set), so every quote costs three characters, not one — two per SOQL string literal.
 */
export function uriLength(s: string): number {
  return encodeURIComponent(s).replace(/'/g, '%27').length;
}

/**
 * Groups `values` so that each SOQL statement built from a group stays under the REST query URI
 * limit (Salesforce answers 414 past 16,384 characters, and a GET carries the SOQL URL-encoded)
 * and under SALESFORCE_LIMITS.lookupChunk values. `render` builds the statement (or the longest
 * of several sharing the group) from the group's joined pieces.
 */
export function packValues(values: readonly string[], piece: (v: string) => string, joiner: string, render: (joined: string) => string, maxChars: number = SALESFORCE_LIMITS.maxQueryUriChars): string[][] {
  const base = uriLength(render(''));
  const out: string[][] = [];
  let cur: string[] = [];
  let len = base;
  for (const v of values) {
    const cost = uriLength(piece(v) + joiner);
    if (cur.length > 0 && (len + cost > maxChars || cur.length >= SALESFORCE_LIMITS.lookupChunk)) {
      out.push(cur);
      cur = [];
      len = base;
    }
    cur.push(v);
    len += cost;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** `Field IN ('a', 'b')` lookups, split to fit (see packValues). */
function inQueries(values: readonly string[], render: (inList: string) => string): string[] {
  return packValues(values, soqlString, ', ', render).map((group) => render(group.map(soqlString).join(', ')));
}

/** The members of a Campaign, oldest first. */
function campaignMembersQuery(campaignId: string): string {
  return `SELECT Id, LeadId, ContactId, Status, CreatedDate FROM CampaignMember WHERE CampaignId = ${soqlString(campaignId)} ORDER BY CreatedDate, Id`;
}

/** A page of a list view's member query: each row a Lead or Contact of the view's object. */
function listViewPage(sobject: ListViewSObject, res: QueryResult<SalesforceRecord>): CrmListMemberPage {
  return {
    members: res.records.map((r) => ({ recordId: String(r.Id), object: LIST_VIEW_OBJECTS[sobject], addedAt: null })),
    nextAfter: !res.done && res.nextRecordsUrl ? res.nextRecordsUrl : null,
    total: res.totalSize,
  };
}

/** One query page call of a read, scheduled (and hedged: see hedgedReader). */
type QueryReader = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * Each call under `schedule`, and — reads change nothing — asked again when its answer is far slower than this read's
 * typical one (hedged, QUERY_HEDGE).
 */
function hedgedReader(schedule: CrmCallScheduler): QueryReader {
  const delay = new HedgeDelay(QUERY_HEDGE);
  return <T>(call: () => Promise<T>): Promise<T> =>
    hedged(
      (started) =>
        schedule(async () => {
          started();
          const t0 = Date.now();
          const answer = await call();
          delay.observe(Date.now() - t0);
          return answer;
        }),
      () => delay.delayMs(),
    );
}

/**
 * Query pages fetched ahead of the one being handed out (readPages); each holds up to 2,000 rows (a few MB parsed).
 * Pages are handed out in order, so the read-ahead is what hides one page's slow answer behind the others'.
 */
const READ_AHEAD = 10;

/**
 * When a query page is sent a second time (hedge.ts): 2.5 × the median answer of this read, at least 2 s; 5 s
 * before three pages have answered (the query's first page, which also runs the SOQL). At Salesforce's realistic
 * profile about 7 % of full pages answer later than that.
 */
const QUERY_HEDGE = { initialMs: 5_000, minMs: 2_000, factor: 2.5 } as const;

function queryHeaders(options: ChangedSinceOptions): Record<string, string> {
  const batchSize = Math.max(SALESFORCE_LIMITS.queryPageMin, Math.min(SALESFORCE_LIMITS.queryPageMax, options.pageSize ?? SALESFORCE_LIMITS.queryPageMax));
  return { 'Sforce-Query-Options': `batchSize=${batchSize}` };
}

/** A query answer as a CrmPage: the cursor points at the next page of the query, or (when done) at changes since the newest row. */
function pageOf(object: CrmObjectType, c: SalesforceCursor, res: QueryResult<SalesforceRecord>): CrmPage {
  const records = res.records.map((r) => toRecord(object, r));
  const maxSeen = records.reduce<string | null>((m, r) => (m === null || r.updatedAt > m ? r.updatedAt : m), c.maxSeen ?? null);
  if (!res.done && res.nextRecordsUrl) {
    return {
      records,
      nextCursor: encodeSalesforceCursor({ v: 1, since: c.since, next: res.nextRecordsUrl, ...(maxSeen ? { maxSeen } : {}) }),
      hasMore: true,
    };
  }
  return { records, nextCursor: encodeSalesforceCursor({ v: 1, since: maxSeen ?? c.since }), hasMore: false };
}

/** Meetings are Events; every other activity is a Task. */
function activitySObject(type: CrmActivityType): 'Task' | 'Event' {
  return type === 'meeting' ? 'Event' : 'Task';
}

export class SalesforceAdapter implements CrmAdapter {
  readonly kind = 'salesforce' as const;
  readonly deals = SALESFORCE_DEALS;
  readonly capabilities = SALESFORCE_CAPABILITIES;
  readonly conn: Connection;
  private readonly runner: CallRunner;
  private readonly describes = new Map<string, SalesforceField[]>();
  readonly endpoints: SalesforceEndpoints;

  constructor(credentials: CrmCredentials, refresh: RefreshCredentials, options: SalesforceAdapterOptions = {}) {
    if (!credentials.instanceUrl) throw new Error('Salesforce credentials need an instanceUrl');
    this.endpoints = options.endpoints ?? SALESFORCE_PRODUCTION;
    this.runner = new CallRunner({
      crm: 'salesforce',
      options,
      refresh,
      mapError: mapSalesforceError,
      applyCredentials: (c) => {
        this.conn.accessToken = c.accessToken;
        if (c.instanceUrl) this.conn.instanceUrl = c.instanceUrl;
      },
    });
    // No refreshToken/oauth2/refreshFn here on purpose: jsforce's own refresh loops again on a
    // second 401 and turns the failure into a plain Error. The CallRunner refreshes once through
    // the caller's callback and retries once.
    this.conn = new jsforce.Connection({
      instanceUrl: credentials.instanceUrl,
      accessToken: credentials.accessToken,
      loginUrl: this.endpoints.loginUrl,
      version: options.apiVersion ?? SALESFORCE_API_VERSION,
    });
    instrumentTransport(this.conn, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, (u) => this.runner.recordLimits(u));
  }

  rateLimitState(): CrmRateLimitState {
    return this.runner.rateLimitState();
  }

  /** `GET /limits` → DailyApiRequests (the org's rolling 24 hours, every integration). One API call. */
  async readDailyApiUsage(): Promise<{ used: number; max: number }> {
    const res = await this.runner.run(() => this.conn.request<{ DailyApiRequests?: { Max?: number; Remaining?: number } }>('/limits'));
    const max = Number(res.DailyApiRequests?.Max);
    const remaining = Number(res.DailyApiRequests?.Remaining);
    if (!Number.isFinite(max) || !Number.isFinite(remaining)) throw new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: 'salesforce', message: 'Salesforce /limits answered without DailyApiRequests' });
    this.runner.recordLimits({ daily: { max, remaining } });
    return { used: Math.max(0, max - remaining), max };
  }

  async describeFields(object: CrmObjectType): Promise<CrmFieldDescriptor[]> {
    const fields = await this.describe(SALESFORCE_OBJECTS[object], true);
    return fields.map((f) => toFieldDescriptor(f));
  }

  async listChangedSince(object: CrmObjectType, cursor: CrmCursor | null, options: ChangedSinceOptions = {}): Promise<CrmPage> {
    const c: SalesforceCursor = cursor === null ? { v: 1, since: null } : decodeSalesforceCursor(cursor);
    return pageOf(object, c, await this.queryPage(object, c, options));
  }

  /**
   * The query's pages with several in flight. A query's later pages are addressed by offset in its locator
   * (`…/query/01g…-2000`, `-4000`, …: Salesforce's nextRecordsUrl), so once the first page names the locator and the
   * total, the next pages are fetched ahead (READ_AHEAD at once) and handed out in order, each with the cursor
   * listChangedSince would give it. The last page is fetched only after every other one has answered (a locator
   * may close once its last page is served). Should an answer not point at the predicted next page (Salesforce may
   * shorten pages of wide rows), the pages fetched ahead are dropped and the read goes on from what it points at.
   * A page far slower than the read's typical answer is asked for again and the first answer wins (QUERY_HEDGE).
   */
  async *readPages(object: CrmObjectType, cursor: CrmCursor | null, options: ReadPagesOptions): AsyncGenerator<CrmPage> {
    let c: SalesforceCursor = cursor === null ? { v: 1, since: null } : decodeSalesforceCursor(cursor);
    const read = hedgedReader(options.schedule);
    const from = c;
    const first = await read(() => this.queryPage(object, from, options));
    for await (const res of this.queryAhead(first, read, queryHeaders(options))) {
      const page = pageOf(object, c, res);
      yield page;
      if (!page.hasMore) return;
      c = decodeSalesforceCursor(page.nextCursor);
    }
  }

  /**
   * A query's answers from its first page on, the later pages fetched ahead: a query's pages are addressed by offset
   * in its locator (`…/query/01g…-2000`, `-4000`, …: Salesforce's nextRecordsUrl), so once the first page names the
   * locator and the total, the next ones are fetched READ_AHEAD at once (each through `read`: scheduled and hedged)
   * and handed out in order. The last page is fetched only after every other one has answered (a locator may close
   * once its last page is served). Should an answer not point at the predicted next page (Salesforce may shorten
   * pages of wide rows), the pages fetched ahead are dropped and the read goes on from what it points at.
   */
  private async *queryAhead(first: QueryResult<SalesforceRecord>, read: QueryReader, headers: Record<string, string>): AsyncGenerator<QueryResult<SalesforceRecord>> {
    let res = first;
    for (;;) {
      yield res;
      if (res.done || !res.nextRecordsUrl) return;
      const m = /^(.*-)(\d+)$/.exec(res.nextRecordsUrl);
      const step = res.records.length;
      if (!m || step === 0) {
        const next = res.nextRecordsUrl;
        res = await read(() => this.runner.run(() => this.more(next, headers)));
        continue;
      }
      const urls: string[] = [];
      for (let offset = Number(m[2]); offset < res.totalSize; offset += step) urls.push(`${m[1]}${offset}`);
      const fetches: Promise<QueryResult<SalesforceRecord>>[] = [];
      const start = (i: number) => {
        if (fetches[i] || i >= urls.length) return;
        const url = urls[i]!;
        fetches[i] = read(() => this.runner.run(() => this.more(url, headers)));
        // Awaited in order below; one dropped after a mismatch or a stop must not reject unobserved.
        fetches[i].catch(() => undefined);
      };
      let diverged: QueryResult<SalesforceRecord> | null = null;
      for (let i = 0; i < urls.length; i++) {
        for (let j = i; j < Math.min(urls.length - 1, i + READ_AHEAD); j++) start(j);
        if (i === urls.length - 1) start(i);
        const r = await fetches[i]!;
        yield r;
        if (r.done || !r.nextRecordsUrl) return;
        if (r.nextRecordsUrl !== urls[i + 1]) {
          diverged = r;
          break;
        }
      }
      if (!diverged?.nextRecordsUrl) return;
      const next = diverged.nextRecordsUrl;
      res = await read(() => this.runner.run(() => this.more(next, headers)));
    }
  }

  /** The page a listChangedSince cursor points at: the query itself, or the next page of a running one. */
  private async queryPage(object: CrmObjectType, c: SalesforceCursor, options: ChangedSinceOptions): Promise<QueryResult<SalesforceRecord>> {
    const sobject = SALESFORCE_OBJECTS[object];
    const headers = queryHeaders(options);
    if (c.next) {
      const next = c.next;
      return this.runner.run(() => this.more(next, headers));
    }
    const fields = await this.fieldsFor(sobject, options, ['Id', 'SystemModstamp', 'IsDeleted']);
    // queryAll (scanAll) also returns rows in the recycle bin, so deletions arrive as archived records.
    // ≥ (not >) at second precision: a record changed in the same second as the last one seen
    // is read again rather than lost; import is idempotent.
    const where = c.since ? ` WHERE SystemModstamp >= ${soqlDateTime(c.since)}` : '';
    const soql = `SELECT ${fields.join(', ')} FROM ${sobject}${where} ORDER BY SystemModstamp ASC, Id ASC`;
    return this.runner.run(() => this.soql(soql, headers, true));
  }

  async listDealContactRoleChanges(cursor: CrmCursor | null, options: { pageSize?: number } = {}): Promise<{ changes: DealContactRoleChange[]; nextCursor: CrmCursor; hasMore: boolean }> {
    const c: SalesforceCursor = cursor === null ? { v: 1, since: null } : decodeSalesforceCursor(cursor);
    const headers = queryHeaders(options);
    const where = c.since ? ` WHERE SystemModstamp >= ${soqlDateTime(c.since)}` : '';
    const next = c.next;
    // queryAll: a deleted contact role (in the recycle bin) is a change of its Opportunity's contacts too.
    const res = next
      ? await this.runner.run(() => this.more(next, headers))
      : await this.runner.run(() =>
          // Opportunity.Name (a parent field, no extra call): the run the change triggers is named before it reads the Opportunity.
          this.soql(`SELECT Id, OpportunityId, Opportunity.Name, SystemModstamp, IsDeleted FROM OpportunityContactRole${where} ORDER BY SystemModstamp ASC, Id ASC`, headers, true),
        );
    const page = pageOf('deal', c, res);
    const changes = res.records.flatMap((r): DealContactRoleChange[] => {
      const opportunity = r['Opportunity'];
      const name = opportunity && typeof opportunity === 'object' && 'Name' in opportunity && typeof opportunity.Name === 'string' && opportunity.Name.trim() ? opportunity.Name : null;
      return typeof r['OpportunityId'] === 'string' && typeof r['SystemModstamp'] === 'string' ? [{ dealId: r['OpportunityId'], dealName: name, updatedAt: r['SystemModstamp'] }] : [];
    });
    return { changes, nextCursor: page.nextCursor, hasMore: page.hasMore };
  }

  async countRecords(object: CrmObjectType): Promise<number> {
    const res = await this.runner.run(() => this.soql(`SELECT COUNT() FROM ${SALESFORCE_OBJECTS[object]}`));
    return res.totalSize;
  }

  async listOpportunityStages(): Promise<CrmOpportunityStage[]> {
    const res = await this.runner.run(() => this.soql('SELECT ApiName, MasterLabel, IsClosed, IsWon FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder'));
    return res.records.map((r) => ({ value: String(r['ApiName']), label: String(r['MasterLabel']), closed: r['IsClosed'] === true, won: r['IsWon'] === true }));
  }

  async readOrganizationName(): Promise<string | null> {
    const res = await this.runner.run(() => this.soql('SELECT Name FROM Organization'));
    const name = res.records[0]?.['Name'];
    return typeof name === 'string' && name.trim() !== '' ? name : null;
  }

  async listArchived(object: CrmObjectType, after?: string | null): Promise<{ records: CrmRecord[]; nextAfter: string | null }> {
    const sobject = SALESFORCE_OBJECTS[object];
    const res = after
      ? await this.runner.run(() => this.more(after))
      : await this.runner.run(() => this.soql(`SELECT Id, SystemModstamp, IsDeleted FROM ${sobject} WHERE IsDeleted = true ORDER BY SystemModstamp ASC, Id ASC`, {}, true));
    return { records: res.records.map((r) => toRecord(object, r)), nextAfter: !res.done && res.nextRecordsUrl ? res.nextRecordsUrl : null };
  }

  async readByIds(object: CrmObjectType, ids: string[], options: ReadOptions = {}): Promise<CrmRecord[]> {
    const sobject = SALESFORCE_OBJECTS[object];
    const fields = await this.fieldsFor(sobject, options, ['Id', 'SystemModstamp']);
    const out: CrmRecord[] = [];
    for (const soql of inQueries([...new Set(ids)], (list) => `SELECT ${fields.join(', ')} FROM ${sobject} WHERE Id IN (${list})`)) {
      for (const r of await this.queryAll(soql)) out.push(toRecord(object, r));
    }
    return out;
  }

  async findByEmails(emails: string[], options: ReadOptions = {}): Promise<CrmEmailMatch[]> {
    const wanted = [...new Set(emails.map(normalizeEmail).filter((e) => e !== ''))];
    const leadFields = await this.fieldsFor('Lead', options, ['Id', 'Email', 'IsConverted', 'ConvertedContactId', 'SystemModstamp']);
    const contactFields = await this.fieldsFor('Contact', options, ['Id', 'Email', 'AccountId', 'SystemModstamp']);
    const out: CrmEmailMatch[] = [];
    if (wanted.length === 0) return out;
    const leadSoql = (inList: string): string => `SELECT ${leadFields.join(', ')} FROM Lead WHERE Email IN (${inList})`;
    const contactSoql = (inList: string): string => `SELECT ${contactFields.join(', ')} FROM Contact WHERE Email IN (${inList})`;
    // Both queries share each group of emails, so the longer one decides the split.
    const longer = (l: string): string => (leadSoql(l).length >= contactSoql(l).length ? leadSoql(l) : contactSoql(l));
    const groups = packValues(wanted, soqlString, ', ', longer).map((g) => g.map(soqlString).join(', '));
    // Lead + Contact query of every group, read through Composite: ≤ 5 queries (2 groups) per API call.
    const soqls = groups.flatMap((inList) => [leadSoql(inList), contactSoql(inList)]);
    const pages = await this.queryMany(soqls);
    const leads: SalesforceRecord[] = [];
    const contacts: SalesforceRecord[] = [];
    pages.forEach((rows, i) => (i % 2 === 0 ? leads : contacts).push(...rows));
    const contactById = new Map(contacts.map((c) => [String(c.Id), c]));
    for (const c of contacts) out.push({ email: normalizeEmail(text(c['Email'])), record: toRecord('contact', c) });

    const converted = leads.filter((l) => l['IsConverted'] === true && typeof l['ConvertedContactId'] === 'string');
    const missing = converted.map((l) => String(l['ConvertedContactId'])).filter((id) => !contactById.has(id));
    const missingSoqls = packValues([...new Set(missing)], soqlString, ', ', (list) => `SELECT ${contactFields.join(', ')} FROM Contact WHERE Id IN (${list})`).map(
      (g) => `SELECT ${contactFields.join(', ')} FROM Contact WHERE Id IN (${g.map(soqlString).join(', ')})`,
    );
    for (const rows of await this.queryMany(missingSoqls)) for (const r of rows) contactById.set(String(r.Id), r);
    for (const l of leads) {
      const email = normalizeEmail(text(l['Email']));
      if (l['IsConverted'] === true) {
        const contact = contactById.get(text(l['ConvertedContactId']));
        if (contact) out.push({ email, record: toRecord('contact', contact), convertedFromLeadId: String(l.Id) });
      } else {
        out.push({ email, record: toRecord('lead', l) });
      }
    }
    return out;
  }

  async findCompaniesByDomains(domains: string[], options: ReadOptions = {}): Promise<CrmDomainMatch[]> {
    const wanted = new Set(domains.map(normalizeDomain).filter((d) => d !== ''));
    const fields = await this.fieldsFor('Account', options, ['Id', 'Website', 'SystemModstamp']);
    const out: CrmDomainMatch[] = [];
    // Website holds free text (https://www.acme.com/about): match loosely in SOQL, exactly here.
    const like = (d: string): string => `Website LIKE ${soqlString(`%${d.replace(/[%_]/g, '')}%`)}`;
    const accountSoql = (likes: string): string => `SELECT ${fields.join(', ')} FROM Account WHERE ${likes}`;
    for (const group of packValues([...wanted], like, ' OR ', accountSoql)) {
      const soql = accountSoql(group.map(like).join(' OR '));
      for (const r of await this.queryAll(soql)) {
        const domain = normalizeDomain(text(r['Website']));
        if (wanted.has(domain)) out.push({ domain, record: toRecord('company', r) });
      }
    }
    return out;
  }

  async findCompaniesByNames(names: string[], options: ReadOptions = {}): Promise<CrmNameMatch[]> {
    const asked = new Map<string, string>();
    for (const n of names) {
      const t = n.trim();
      if (t !== '' && !asked.has(t.toLowerCase())) asked.set(t.toLowerCase(), t);
    }
    const fields = await this.fieldsFor('Account', options, ['Id', 'Name', 'Website', 'SystemModstamp']);
    const out: CrmNameMatch[] = [];
    for (const soql of inQueries([...asked.values()], (list) => `SELECT ${fields.join(', ')} FROM Account WHERE Name IN (${list})`)) {
      for (const r of await this.queryAll(soql)) {
        const name = asked.get(text(r['Name']).trim().toLowerCase());
        if (name !== undefined) out.push({ name, record: toRecord('company', r) });
      }
    }
    return out;
  }

  async createMany(object: CrmObjectType, inputs: CrmCreateInput[]): Promise<CrmWriteResult[]> {
    const sobject = SALESFORCE_OBJECTS[object];
    return this.collectionWrite(object, sobject, inputs, true, {
      method: 'POST',
      path: 'composite/sobjects',
      record: (it) => ({ attributes: { type: sobject }, ...toSalesforceFields(it.properties) }),
      direct: (items) => this.conn.create(sobject, items.map((it) => toSalesforceFields(it.input.properties)), { allOrNone: false }),
    });
  }

  async updateMany(object: CrmObjectType, inputs: CrmUpdateInput[]): Promise<CrmWriteResult[]> {
    const sobject = SALESFORCE_OBJECTS[object];
    return this.collectionWrite(object, sobject, inputs, false, {
      method: 'PATCH',
      path: 'composite/sobjects',
      record: (it) => ({ attributes: { type: sobject }, ...toSalesforceFields(it.properties), Id: it.id }),
      direct: (items) => this.conn.update(sobject, items.map((it) => ({ ...toSalesforceFields(it.input.properties), Id: it.input.id })), { allOrNone: false }),
    });
  }

  /** Consent as field updates on each Lead / Contact (see CrmAdapter.recordConsent): one composite call per 200 per object. */
  async recordConsent(inputs: CrmConsentWrite[]): Promise<CrmWriteResult[]> {
    const out: CrmWriteResult[] = new Array<CrmWriteResult>(inputs.length);
    for (const object of ['lead', 'contact'] as const) {
      const mine = inputs.map((input, index) => ({ input, index })).filter((x) => x.input.person.object === object);
      if (!mine.length) continue;
      const results = await this.updateMany(object, mine.map(({ input }) => ({ id: input.person.id, properties: salesforceConsentFields(input) })));
      results.forEach((r, i) => {
        const index = mine[i]!.index;
        out[index] = { ...r, index };
      });
    }
    return out;
  }

  readSubscriptions(_emails: string[]): Promise<CrmSubscriptionStatus[]> {
    return Promise.reject(new UnsupportedCrmError('Salesforce has no subscription types: email opt-out is the HasOptedOutOfEmail field of a Lead or Contact'));
  }

  gdprDelete(_contactIds: string[]): Promise<CrmWriteResult[]> {
    return Promise.reject(new UnsupportedCrmError('Conduit does not delete Salesforce records: erasing a person in Salesforce is left to the customer'));
  }

  /**
   * Salesforce cannot upsert on Email: one SOQL lookup per few hundred emails (Leads: unconverted
   * only), then one collection update for matches and one collection create for the rest.
   */
  async upsertManyByEmail(object: CrmObjectType, inputs: CrmEmailUpsertInput[]): Promise<CrmWriteResult[]> {
    return dedupeByKey('salesforce', inputs, (i) => normalizeEmail(i.email), (unique) => this.upsertUniqueEmails(object, unique));
  }

  private async upsertUniqueEmails(object: CrmObjectType, inputs: CrmEmailUpsertInput[]): Promise<CrmWriteResult[]> {
    const sobject = SALESFORCE_OBJECTS[object];
    const existing = new Map<string, string>();
    const emails = [...new Set(inputs.map((i) => normalizeEmail(i.email)).filter((e) => e !== ''))];
    const unconverted = sobject === 'Lead' ? ' AND IsConverted = false' : '';
    for (const soql of inQueries(emails, (list) => `SELECT Id, Email FROM ${sobject} WHERE Email IN (${list})${unconverted} ORDER BY CreatedDate ASC`)) {
      const rows = await this.queryAll(soql);
      for (const r of rows) {
        const e = normalizeEmail(text(r['Email']));
        if (!existing.has(e)) existing.set(e, String(r.Id));
      }
    }
    const updates: Array<{ index: number; input: CrmUpdateInput }> = [];
    const creates: Array<{ index: number; input: CrmCreateInput }> = [];
    inputs.forEach((i, index) => {
      const email = normalizeEmail(i.email);
      const id = existing.get(email);
      const properties = { Email: email, ...i.properties };
      if (id) updates.push({ index, input: { id, properties } });
      else creates.push({ index, input: { properties } });
    });
    const out = new Array<CrmWriteResult>(inputs.length);
    const updated = await this.updateMany(object, updates.map((u) => u.input));
    updated.forEach((r, i) => {
      const u = updates[i];
      if (u) out[u.index] = { ...r, index: u.index };
    });
    let created: CrmWriteResult[];
    try {
      created = await this.createMany(object, creates.map((c) => c.input));
    } catch (e) {
      if (!(e instanceof CrmError) || !updated.some((r) => r.ok)) throw e;
      created = creates.map((_, i) => ({ index: i, ok: false, error: e }));
    }
    created.forEach((r, i) => {
      const c = creates[i];
      if (c) out[c.index] = { ...r, index: c.index };
    });
    return out;
  }

  async upsertByExternalId(object: CrmObjectType, field: string, all: CrmExternalIdUpsertInput[]): Promise<CrmWriteResult[]> {
    const sobject = SALESFORCE_OBJECTS[object];
    return dedupeByKey('salesforce', all, (i) => i.value, (inputs) =>
      this.collectionWrite(object, sobject, inputs, null, {
        method: 'PATCH',
        path: `composite/sobjects/${sobject}/${encodeURIComponent(field)}`,
        record: (it) => ({ attributes: { type: sobject }, ...toSalesforceFields(it.properties), [field]: it.value }),
        direct: (items) => this.conn.upsert(sobject, items.map((it) => ({ ...toSalesforceFields(it.input.properties), [field]: it.input.value })), field, { allOrNone: false }),
      }),
    );
  }

  /**
   * Salesforce has no association objects for these links: contact→company sets
   * Contact.AccountId, deal→company sets Opportunity.AccountId, deal→contact creates an
   * OpportunityContactRole. Leads have no account lookup (Lead.Company is text).
   */
  async associate(links: CrmAssociationInput[]): Promise<CrmAssociationResult[]> {
    const contactAccount: CrmUpdateInput[] = [];
    const contactAccountIdx: number[] = [];
    const dealAccount: CrmUpdateInput[] = [];
    const dealAccountIdx: number[] = [];
    const roles: CrmCreateInput[] = [];
    const rolesIdx: number[] = [];
    const out = new Array<CrmAssociationResult>(links.length);

    links.forEach((l, index) => {
      const pair = `${l.from.object}->${l.to.object}`;
      if (pair === 'contact->company' || pair === 'company->contact') {
        const [contact, account] = l.from.object === 'contact' ? [l.from.id, l.to.id] : [l.to.id, l.from.id];
        contactAccount.push({ id: contact, properties: { AccountId: account } });
        contactAccountIdx.push(index);
      } else if (pair === 'deal->company' || pair === 'company->deal') {
        const [deal, account] = l.from.object === 'deal' ? [l.from.id, l.to.id] : [l.to.id, l.from.id];
        dealAccount.push({ id: deal, properties: { AccountId: account } });
        dealAccountIdx.push(index);
      } else if (pair === 'deal->contact' || pair === 'contact->deal') {
        const [deal, contact] = l.from.object === 'deal' ? [l.from.id, l.to.id] : [l.to.id, l.from.id];
        roles.push({ properties: { OpportunityId: deal, ContactId: contact, ...(l.primary ? { IsPrimary: true } : {}) } });
        rolesIdx.push(index);
      } else {
        const message = `Salesforce has no association ${pair} (a Lead has no account lookup; convert it first)`;
        out[index] = {
          index,
          ok: false,
          error: new CrmError({ kind: 'validation', fields: [{ field: null, code: 'UNSUPPORTED_ASSOCIATION', message }] }, { crm: 'salesforce', message }),
        };
      }
    });

    const place = (results: CrmWriteResult[], idx: number[]): void =>
      results.forEach((r, i) => {
        const index = idx[i];
        if (index !== undefined) out[index] = r.ok ? { index, ok: true } : { index, ok: false, error: r.error };
      });
    place(await this.updateMany('contact', contactAccount), contactAccountIdx);
    place(await this.updateMany('deal', dealAccount), dealAccountIdx);
    place(
      await this.collection(roles, async (items) => {
        const res = await this.runner.run(() => this.conn.create('OpportunityContactRole', items.map((it) => toSalesforceFields(it.input.properties)), { allOrNone: false }));
        return saveResults('deal', 'OpportunityContactRole', items, res, true);
      }),
      rolesIdx,
    );
    return out;
  }

  async readAssociations(from: CrmObjectType, to: CrmObjectType, ids: string[]): Promise<Record<string, string[]>> {
    const link = SALESFORCE_LINKS[`${from}->${to}`];
    const out: Record<string, string[]> = {};
    if (!link) return out; // Leads have no lookups to accounts, deals or contacts.
    for (const soql of inQueries([...new Set(ids)], (list) => `SELECT ${link.key}, ${link.value} FROM ${link.sobject} WHERE ${link.key} IN (${list})`)) {
      for (const r of await this.queryAll(soql)) {
        const k = text(r[link.key]);
        const v = text(r[link.value]);
        if (k && v) out[k] = [...new Set([...(out[k] ?? []), v])];
      }
    }
    return out;
  }

  async listOwners(): Promise<CrmOwner[]> {
    const rows = await this.queryAll('SELECT Id, Email, FirstName, LastName, IsActive FROM User ORDER BY Id');
    return rows.map((r) => toOwner(r));
  }

  /** Campaigns (paged by their query), and on the first page the Lead and Contact list views (one call each). */
  async listLists(after?: string | null): Promise<{ lists: CrmList[]; nextAfter: string | null }> {
    if (after) {
      const res = await this.runner.run(() => this.more(after));
      return { lists: res.records.map((r) => toList(r)), nextAfter: !res.done && res.nextRecordsUrl ? res.nextRecordsUrl : null };
    }
    const res = await this.runner.run(() => this.soql('SELECT Id, Name, NumberOfLeads, NumberOfContacts, LastModifiedDate FROM Campaign ORDER BY Name, Id'));
    const lists = res.records.map((r) => toList(r));
    for (const sobject of Object.keys(LIST_VIEW_OBJECTS) as ListViewSObject[]) {
      const views = await this.runner.run(() => this.conn.sobject(sobject).listviews() as Promise<{ listviews?: SalesforceListViewSummary[] }>);
      for (const v of views.listviews ?? []) {
        const list = toListViewList(sobject, v);
        if (list) lists.push(list);
      }
    }
    return { lists, nextAfter: !res.done && res.nextRecordsUrl ? res.nextRecordsUrl : null };
  }

  async listMembers(listId: string, after?: string | null): Promise<CrmListMemberPage> {
    const view = parseListViewId(listId);
    if (view) {
      if (after) return listViewPage(view.sobject, await this.runner.run(() => this.more(after)));
      const soql = await this.runner.run(() => this.listViewMembershipQuery(view.sobject, view.viewId));
      return listViewPage(view.sobject, await this.runner.run(() => this.soql(soql)));
    }
    const res = after
      ? await this.runner.run(() => this.more(after))
      : await this.runner.run(() => this.soql(campaignMembersQuery(listId)));
    return { members: res.records.map((r) => toListMember(r)), nextAfter: !res.done && res.nextRecordsUrl ? res.nextRecordsUrl : null };
  }

  /**
   * Every member, the query's later pages fetched ahead (queryAhead). A list view's members are the records its
   * describe query selects, read with that query (only their Id): the results resource would stop at 2,000 rows.
   * A deleted list view — or one no longer shared with the connected user — answers the describe 404 (not_found);
   * a filter on a field the user cannot read fails the query with INVALID_FIELD (validation).
   */
  async *readListMembers(listId: string, options: { schedule: CrmCallScheduler }): AsyncGenerator<CrmListMemberPage> {
    const view = parseListViewId(listId);
    const read = hedgedReader(options.schedule);
    let first: QueryResult<SalesforceRecord>;
    if (view) {
      const soql = await options.schedule(() => this.runner.run(() => this.listViewMembershipQuery(view.sobject, view.viewId)));
      first = await read(() => this.runner.run(() => this.soql(soql)));
    } else {
      first = await read(() => this.runner.run(() => this.soql(campaignMembersQuery(listId))));
    }
    for await (const res of this.queryAhead(first, read, {})) {
      yield view ? listViewPage(view.sobject, res) : { members: res.records.map((r) => toListMember(r)), nextAfter: !res.done && res.nextRecordsUrl ? res.nextRecordsUrl : null, total: res.totalSize };
    }
  }

  /** One call: the list view's describe, its query reduced to the member ids. */
  private async listViewMembershipQuery(sobject: ListViewSObject, viewId: string): Promise<string> {
    const d = (await this.conn.sobject(sobject).listview(viewId).describe()) as SalesforceListViewDescribe;
    const soql = membershipQuery(d.query);
    if (soql === null) throw new CrmError({ kind: 'validation', fields: [] }, { crm: 'salesforce', message: `Salesforce described list view ${viewId} with a query Conduit cannot read: ${d.query}` });
    return soql;
  }

  async createActivities(inputs: CrmActivityInput[]): Promise<CrmWriteResult[]> {
    const groups: Record<'Task' | 'Event', Array<{ index: number; rec: SalesforceActivityRecord; person: CrmObjectType }>> = { Task: [], Event: [] };
    inputs.forEach((a, index) => {
      const rec = toActivityRecord(a);
      groups[rec.sobject].push({ index, rec, person: a.person.object });
    });
    const out = new Array<CrmWriteResult>(inputs.length);
    let written = false;
    let stopped: CrmError | null = null;
    for (const sobject of ['Task', 'Event'] as const) {
      const items = groups[sobject];
      if (items.length === 0) continue;
      let results: CrmWriteResult[];
      if (stopped) {
        const err = stopped;
        results = items.map((_, i) => ({ index: i, ok: false, error: err }));
      } else {
        try {
          results = await this.collection(items, async (part) => {
            const res = await this.runner.run(() => this.conn.create(sobject, part.map((p) => p.input.rec.fields), { allOrNone: false }));
            return saveResults('contact', sobject, part, res, true).map((r, i) => (r.ok ? { ...r, object: part[i]?.input.person ?? 'contact' } : r));
          });
        } catch (e) {
          if (!(e instanceof CrmError) || !written) throw e;
          stopped = e;
          results = items.map((_, i) => ({ index: i, ok: false, error: e }));
        }
      }
      results.forEach((r, i) => {
        const item = items[i];
        if (!item) return;
        if (r.ok) written = true;
        out[item.index] = { ...r, index: item.index };
      });
    }
    return out;
  }

  async ensureActivityIdField(types: CrmActivityType[]): Promise<void> {
    const field = ACTIVITY_ID_FIELD.salesforce;
    for (const sobject of new Set(types.map(activitySObject))) {
      const fields = await this.describe(sobject);
      if (fields.some((f) => f.name === field)) continue;
      const message = `${sobject} has no ${field} field: add it (Text, External ID, Unique) so Conduit logs each activity once`;
      throw new CrmError({ kind: 'validation', fields: [{ field, code: 'INVALID_FIELD', message }] }, { crm: 'salesforce', message });
    }
  }

  async findActivities(inputs: CrmActivityInput[]): Promise<CrmActivityMatch[]> {
    const field = ACTIVITY_ID_FIELD.salesforce;
    const bySObject = new Map<'Task' | 'Event', Set<string>>();
    for (const a of inputs) {
      if (!a.externalId) continue;
      const sobject = activitySObject(a.type);
      bySObject.set(sobject, (bySObject.get(sobject) ?? new Set<string>()).add(a.externalId));
    }
    const out: CrmActivityMatch[] = [];
    for (const [sobject, ids] of bySObject) {
      for (const q of inQueries([...ids], (list) => `SELECT Id, ${field} FROM ${sobject} WHERE ${field} IN (${list})`)) {
        const res = await this.runner.run(() => this.soql(q));
        for (const r of res.records) out.push({ externalId: String(r[field]), id: String(r['Id']), crmObject: sobject });
      }
    }
    return out;
  }

  // ---- internals ---------------------------------------------------------------------------

  /** First page of a SOQL query (jsforce's Query is a thenable; autoFetch off: one call per page). */
  private async soql(soql: string, headers: Record<string, string> = {}, scanAll = false): Promise<QueryResult<SalesforceRecord>> {
    return await this.conn.query<SalesforceRecord>(soql, { autoFetch: false, headers, scanAll });
  }

  /** Next page from a nextRecordsUrl (or bare locator). */
  private async more(next: string, headers: Record<string, string> = {}): Promise<QueryResult<SalesforceRecord>> {
    const options: Partial<QueryOptions> = { autoFetch: false, headers };
    return await this.conn.queryMore<SalesforceRecord>(next, options as QueryOptions);
  }

  /**
   * sObject Collection writes: ≤ 200 records go as one collection call; more go through Composite with up to five
   * collection subrequests (1,000 records) per API call — Salesforce counts a composite request as one call.
   * Results come back per record either way; a subrequest refused as a whole fails each of its records.
   */
  private collectionWrite<T>(object: CrmObjectType, sobject: string, inputs: T[], created: boolean | null, op: CollectionOp<T>): Promise<CrmWriteResult[]> {
    const size = SALESFORCE_LIMITS.collectionSize;
    return writeInBatches(inputs, {
      crm: 'salesforce',
      size: size * SALESFORCE_LIMITS.compositeCollections,
      isolate: false,
      send: async (items) => {
        if (items.length <= size) {
          const res = await this.runner.run(() => op.direct(items));
          return saveResults(object, sobject, items, res, created);
        }
        const parts = chunk(items, size);
        const subs = parts.map((part, i) => ({
          method: op.method,
          url: `${this.servicesPath()}/${op.path}`,
          referenceId: `c${i}`,
          body: { allOrNone: false, records: part.map((it) => op.record(it.input)) },
        }));
        const results = await this.composite(subs);
        return parts.flatMap((part, i) => {
          const r = results[i];
          if (r && r.httpStatusCode < 300 && Array.isArray(r.body)) return saveResults(object, sobject, part, r.body as SaveResult[], created);
          const error = subrequestError(r);
          return part.map(({ index }): CrmWriteResult => ({ index, ok: false, error }));
        });
      },
    });
  }

  /** Every row of each SOQL query; the queries travel through Composite, ≤ 5 per API call (later pages by queryMore). */
  private async queryMany(soqls: string[]): Promise<SalesforceRecord[][]> {
    if (soqls.length === 0) return [];
    if (soqls.length === 1) return [await this.queryAll(soqls[0]!)];
    const out: SalesforceRecord[][] = [];
    for (const group of chunk(soqls, SALESFORCE_LIMITS.compositeQueries)) {
      const results = await this.composite(group.map((soql, i) => ({ method: 'GET', url: `${this.servicesPath()}/query?q=${encodeURIComponent(soql)}`, referenceId: `q${i}` })));
      for (let i = 0; i < group.length; i++) {
        const r = results[i];
        if (!r || r.httpStatusCode >= 300 || typeof r.body !== 'object' || r.body === null || Array.isArray(r.body)) throw subrequestError(r);
        let page = r.body as QueryResult<SalesforceRecord>;
        const rows = [...page.records];
        while (!page.done && page.nextRecordsUrl) {
          const next = page.nextRecordsUrl;
          page = await this.runner.run(() => this.more(next));
          rows.push(...page.records);
        }
        out.push(rows);
      }
    }
    return out;
  }

  /** POST /composite (allOrNone false): one API call, results in subrequest order. */
  private async composite(subrequests: CompositeSubrequest[]): Promise<CompositeResult[]> {
    const res = await this.runner.run(() =>
      this.conn.request<{ compositeResponse: CompositeResult[] }>({
        method: 'POST',
        url: '/composite',
        body: JSON.stringify({ allOrNone: false, compositeRequest: subrequests }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    const byRef = new Map(res.compositeResponse.map((r) => [r.referenceId, r]));
    return subrequests.map((s) => byRef.get(s.referenceId) ?? { body: null, httpHeaders: {}, httpStatusCode: 500, referenceId: s.referenceId });
  }

  private servicesPath(): string {
    return `/services/data/v${this.conn.version}`;
  }

  /** sObject Collections report per record, so chunks are never split further. */
  private collection<T>(inputs: T[], send: (items: Array<Indexed<T>>) => Promise<CrmWriteResult[]>): Promise<CrmWriteResult[]> {
    return writeInBatches(inputs, { crm: 'salesforce', size: SALESFORCE_LIMITS.collectionSize, isolate: false, send });
  }

  private async describe(sobject: string, fresh = false): Promise<SalesforceField[]> {
    const cached = this.describes.get(sobject);
    if (cached && !fresh) return cached;
    const res = await this.runner.run(() => this.conn.describe(sobject));
    const fields = res.fields as unknown as SalesforceField[];
    this.describes.set(sobject, fields);
    return fields;
  }

  private async fieldsFor(sobject: string, options: ReadOptions, required: string[]): Promise<string[]> {
    const base = options.properties && options.properties.length > 0 ? options.properties : queryableFieldNames(await this.describe(sobject));
    return [...new Set([...required, ...base])];
  }

  /** Every row of a SOQL query, following nextRecordsUrl (one budgeted call per page). */
  private async queryAll(soql: string): Promise<SalesforceRecord[]> {
    const out: SalesforceRecord[] = [];
    let res = await this.runner.run(() => this.soql(soql));
    out.push(...res.records);
    while (!res.done && res.nextRecordsUrl) {
      const next = res.nextRecordsUrl;
      res = await this.runner.run(() => this.more(next));
      out.push(...res.records);
    }
    return out;
  }
}

interface CollectionOp<T> {
  method: 'POST' | 'PATCH';
  /** Below /services/data/vXX.X/. */
  path: string;
  record: (input: T) => Record<string, unknown>;
  /** The same write as one plain collection call (≤ 200 records). */
  direct: (items: Array<Indexed<T>>) => Promise<Array<SaveResult | UpsertResult> | SaveResult | UpsertResult>;
}

interface CompositeSubrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
}

interface CompositeResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string | null;
}

/** A composite subrequest's error array (REST shape) → typed error, with its HTTP status. */
function subrequestError(r: CompositeResult | undefined): CrmError {
  const status = r?.httpStatusCode ?? 500;
  const items = Array.isArray(r?.body) ? (r.body as SalesforceErrorItem[]) : [{ errorCode: status >= 500 ? 'UNKNOWN_EXCEPTION' : 'INVALID_REQUEST', message: `Composite subrequest answered ${status}` }];
  return mapSalesforceErrors(items.map((e) => ({ ...e, httpStatus: status })));
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Collection results come back in input order. */
function saveResults<T>(
  object: CrmObjectType,
  sobject: string,
  items: Array<Indexed<T>>,
  res: Array<SaveResult | UpsertResult> | SaveResult | UpsertResult,
  created: boolean | null,
): CrmWriteResult[] {
  const list = Array.isArray(res) ? res : [res];
  return items.map(({ index }, i): CrmWriteResult => {
    const r = list[i];
    if (!r) return { index, ok: false, error: new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: 'salesforce', message: `Salesforce returned no result for input #${index}` }) };
    if (r.success) {
      const isNew = 'created' in r && typeof r.created === 'boolean' ? r.created : created;
      return { index, ok: true, id: r.id, object, created: isNew, crmObject: sobject };
    }
    return { index, ok: false, error: mapSalesforceErrors(r.errors) };
  });
}

/** The Lead/Contact fields a consent event sets. */
export function salesforceConsentFields(input: CrmConsentWrite): Record<string, CrmValue> {
  switch (input.event) {
    case 'unsubscribe':
    case 'spam_complaint':
      return { HasOptedOutOfEmail: true };
    case 'hard_bounce':
      return { EmailBouncedReason: (input.reason ?? 'Hard bounce').slice(0, 255), EmailBouncedDate: new Date(input.occurredAt).toISOString() };
  }
}
