import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxClock } from '../common/clock.js';
import { LatencyModel, salesforceProfile, type SalesforceCallKind, type SalesforceLatencyProfile } from '../common/latency.js';
import { createRng } from '../common/rng.js';
import { TokenStore, type TokenStoreSnapshot } from '../common/tokens.js';
import type { BulkJob } from './bulk.js';
import { ORG_ID, seedLeads, seedOpportunityStages, seedOrg, seedOrganization, type SeedSummary } from './seed.js';
import { ListViewStore, seedListViews, type ListViewDef } from './listviews.js';
import { SalesforceStore } from './store.js';
import { dailyApiAllocation, SALESFORCE_CLIENT_ID, type SalesforceConfig, type SalesforceMintInput, type SalesforceMintedToken, type SalesforceOptions } from './types.js';
import type { SfRecord } from './values.js';
import type { CompiledQuery } from './soql-eval.js';

export interface QueryCursor {
  id: string;
  compiled: CompiledQuery;
  rows: SfRecord[];
  pageSize: number;
  version: string;
}

const MAX_CURSORS = 200;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export function defaultConfig(opts: SalesforceOptions): SalesforceConfig {
  const edition = opts.edition ?? 'enterprise';
  const licenses = opts.licenses ?? 0;
  return {
    sessionTtlSec: opts.sessionTtlSec ?? 7200,
    dailyApiLimit: opts.dailyApiLimit ?? dailyApiAllocation(edition, licenses),
    edition,
    licenses,
    concurrentLongRequests: opts.concurrentLongRequests ?? 25,
    longRequestMs: opts.longRequestMs ?? 20_000,
    duplicateRule: opts.duplicateRule ?? 'block',
    queryPageSize: opts.queryPageSize ?? 2000,
    bulkQueryPageSize: opts.bulkQueryPageSize ?? 50_000,
    bulkProcessingDelayMs: opts.bulkProcessingDelayMs ?? 0,
    allowedRedirects: opts.allowedRedirects ?? [],
    publicUrl: opts.publicUrl,
  };
}

interface PersistedState {
  version: 1;
  seed: number;
  store: ReturnType<SalesforceStore['snapshot']>;
  tokens: TokenStoreSnapshot;
  /** Calls per minute (epoch minute, count) of the rolling 24 hours. */
  usage?: [number, number][];
  /** Absent in files from before list views: the seeded ones then. */
  listViews?: { counter: number; views: ListViewDef[] };
}

/** All state of one sandbox org: data, sessions, API usage, query cursors and bulk jobs. */
export class SalesforceOrg {
  readonly orgId = ORG_ID;
  readonly store = new SalesforceStore();
  readonly listViews = new ListViewStore();
  readonly tokens: TokenStore;
  config: SalesforceConfig;
  seed: number;
  seedSummary!: SeedSummary;
  /** API calls per minute over the rolling 24 hours, oldest first: [epoch minute, calls]. */
  private usage: [number, number][] = [];
  private usageTotal = 0;
  readonly clock = new SandboxClock();
  readonly latency: LatencyModel<SalesforceCallKind, SalesforceLatencyProfile>;
  private cursors = new Map<string, QueryCursor>();
  private cursorCounter = 0;
  readonly bulkJobs = new Map<string, BulkJob>();
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly persistFile: string | undefined;

  constructor(opts: SalesforceOptions) {
    this.config = defaultConfig(opts);
    this.seed = opts.seed ?? 1;
    this.latency = new LatencyModel(salesforceProfile, opts.latencyProfile ?? 'instant', this.seed);
    this.tokens = new TokenStore({ prefix: ORG_ID.slice(0, 15), defaultExpiresInSec: this.config.sessionTtlSec });
    this.persistFile = opts.persistDir === undefined ? undefined : join(opts.persistDir, 'salesforce.json');
    if (this.persistFile !== undefined && existsSync(this.persistFile)) this.load(this.persistFile);
    else this.reset(this.seed);
    this.store.onChange = () => this.scheduleSave();
  }

  reset(seed?: number): void {
    if (seed !== undefined) this.seed = seed;
    this.store.clear();
    this.store.duplicateRule = this.config.duplicateRule;
    this.seedSummary = seedOrg(this.store, createRng(this.seed));
    this.seedListViews();
    this.tokens.clear();
    this.cursors.clear();
    this.bulkJobs.clear();
    this.usage = [];
    this.usageTotal = 0;
    this.clock.reset();
    this.scheduleSave();
  }

  private seedListViews(): void {
    this.listViews.clear();
    seedListViews(this.listViews, this.seedSummary.defaultUserId, new Date(this.clock.now()).toISOString(), (type) => this.store.resolveType(type));
  }

  /** A list view changed through the control API: saved with the org. */
  listViewsChanged(): void {
    this.scheduleSave();
  }

  configure(partial: Partial<SalesforceConfig>): SalesforceConfig {
    const next: SalesforceConfig = { ...this.config };
    for (const [key, value] of Object.entries(partial)) {
      if (value === undefined || !(key in next)) continue;
      (next as unknown as Record<string, unknown>)[key] = value;
    }
    // A new edition or licence count brings its allocation, unless the same patch names the limit.
    if ((partial.edition !== undefined || partial.licenses !== undefined) && partial.dailyApiLimit === undefined) {
      next.dailyApiLimit = dailyApiAllocation(next.edition, next.licenses);
    }
    this.config = next;
    this.tokens.defaultExpiresInSec = next.sessionTtlSec;
    this.store.duplicateRule = next.duplicateRule;
    return next;
  }

  mint(input: SalesforceMintInput = {}): SalesforceMintedToken {
    const userId = input.userId ?? this.seedSummary.defaultUserId;
    const minted = this.tokens.mint({
      clientId: SALESFORCE_CLIENT_ID,
      scopes: input.scopes ?? ['api', 'refresh_token', 'id'],
      userId,
      ...(input.expiresInSec !== undefined ? { expiresInSec: input.expiresInSec } : {}),
    });
    return { ...minted, orgId: this.orgId, userId, identityPath: `/id/${this.orgId}/${userId}` };
  }

  /** Drop the minutes older than 24 hours (Salesforce counts API requests over a rolling 24 hours). */
  private expireUsage(now: number): number {
    const oldest = Math.floor((now - DAY_MS) / MINUTE_MS);
    while (this.usage.length > 0 && (this.usage[0]?.[0] ?? 0) <= oldest) {
      this.usageTotal -= this.usage.shift()?.[1] ?? 0;
    }
    return Math.floor(now / MINUTE_MS);
  }

  private count(now: number, calls: number): void {
    const minute = this.expireUsage(now);
    const last = this.usage[this.usage.length - 1];
    if (last !== undefined && last[0] === minute) last[1] += calls;
    else this.usage.push([minute, calls]);
    this.usageTotal += calls;
  }

  /** Count one API request; false when the rolling day's allocation is spent. */
  consumeApiRequest(): boolean {
    const now = this.clock.now();
    this.expireUsage(now);
    if (this.usageTotal >= this.config.dailyApiLimit) return false;
    this.count(now, 1);
    return true;
  }

  /** Calls another integration of the org made: they count, and are never refused. */
  spendApiCalls(calls: number): void {
    this.count(this.clock.now(), calls);
  }

  apiUsage(): { used: number; max: number } {
    this.expireUsage(this.clock.now());
    return { used: this.usageTotal, max: this.config.dailyApiLimit };
  }

  /** `fields` (API names, checked by the caller) are set on every generated Lead, e.g. to fill a list view's filter. */
  seedLeads(n: number, fields: SfRecord = {}): number {
    const rng = createRng(this.seed * 7919 + this.store.count('Lead'));
    seedLeads(this.store, rng, n, this.seedSummary.activeUserIds, this.seedSummary.defaultUserId, fields);
    this.scheduleSave();
    return this.store.count('Lead');
  }

  /** Query locators look like Salesforce's: 01g… followed by -offset in nextRecordsUrl. */
  openCursor(compiled: CompiledQuery, rows: SfRecord[], pageSize: number, version: string): QueryCursor {
    this.cursorCounter += 1;
    const id = `01g8d0000${String(this.cursorCounter).padStart(6, '0')}`;
    const cursor: QueryCursor = { id, compiled, rows, pageSize, version };
    this.cursors.set(id, cursor);
    if (this.cursors.size > MAX_CURSORS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest !== undefined) this.cursors.delete(oldest);
    }
    return cursor;
  }

  cursor(id: string): QueryCursor | undefined {
    return this.cursors.get(id);
  }

  closeCursor(id: string): void {
    this.cursors.delete(id);
  }

  private scheduleSave(): void {
    if (this.persistFile === undefined || this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow();
    }, 500);
    this.saveTimer.unref();
  }

  saveNow(): void {
    const file = this.persistFile;
    if (file === undefined) return;
    if (this.saveTimer !== undefined) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    const state: PersistedState = { version: 1, seed: this.seed, store: this.store.snapshot(), tokens: this.tokens.snapshot(), usage: this.usage, listViews: this.listViews.snapshot() };
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  }

  private load(file: string): void {
    const state = JSON.parse(readFileSync(file, 'utf8')) as PersistedState;
    this.seed = state.seed;
    // Re-run the seed for the user summary (owners), then replace the data with the saved state.
    this.seedSummary = seedOrg(this.store, createRng(this.seed));
    this.store.load(state.store);
    // Files from before the Organization object: its one row comes from the seed.
    if (this.store.count('Organization') === 0) seedOrganization(this.store, this.seedSummary.defaultUserId);
    if (this.store.count('OpportunityStage') === 0) seedOpportunityStages(this.store, this.seedSummary.defaultUserId);
    this.store.duplicateRule = this.config.duplicateRule;
    this.tokens.load(state.tokens);
    if (state.listViews === undefined) this.seedListViews();
    else this.listViews.load(state.listViews);
    // Files from before the rolling day held { day, used }: start that count afresh.
    this.usage = Array.isArray(state.usage) ? state.usage : [];
    this.usageTotal = this.usage.reduce((sum, [, calls]) => sum + calls, 0);
  }
}
