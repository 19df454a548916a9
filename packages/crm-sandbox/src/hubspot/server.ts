import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { nextUtcMidnight, SandboxClock } from '../common/clock.js';
import { FaultInjector, type FaultRule } from '../common/faults.js';
import { hubspotProfile, installLatency, LatencyModel, type CrmLatencyProfile, type HubspotCallKind, type LatencyProfileName } from '../common/latency.js';
import { RequestLog, type RequestLogEntry, type RequestStats } from '../common/request-log.js';
import { registerCommonControlRoutes } from '../common/control.js';
import { TokenStore, type MintedToken } from '../common/tokens.js';
import { DebouncedJsonWriter, loadJsonFile } from '../common/persist.js';
import { HUBSPOT_DEMO_APP, type HubspotConfig, type HubspotContext } from './context.js';
import { HubspotError } from './errors.js';
import { OBJECT_TYPES, OBJECT_TYPE_INFO, isEngagement, resolveObjectType } from './object-types.js';
import { serializeProperty, type PropertyDefinition } from './properties.js';
import { applyRateLimitPatch, PortalRateLimiter, type RateLimitConfig, type RateLimitPolicy } from './rate-limiter.js';
import { seedContacts, seedDemoData } from './seed.js';
import { toApiObject, type ApiObject } from './serialize.js';
import { HubspotStore, type StoreSnapshot } from './store.js';
import { WebhookDispatcher, type WebhookConfig, type WebhookDelivery } from './webhooks.js';
import { registerAssociationRoutes } from './routes/associations.routes.js';
import { registerListRoutes } from './routes/lists.routes.js';
import { registerObjectRoutes } from './routes/objects.routes.js';
import { registerOAuthRoutes } from './routes/oauth.routes.js';
import { registerOwnerRoutes } from './routes/owners.routes.js';
import { registerPipelineRoutes } from './routes/pipelines.routes.js';
import { archivePropertyDefinition, createPropertyDefinition, registerPropertyRoutes } from './routes/properties.routes.js';
import { registerUiRoutes } from './routes/ui.routes.js';
import { registerCommunicationPreferencesRoutes, unsubscribeFromAll } from './routes/communication-preferences.routes.js';
import { registerGdprRoutes } from './routes/gdpr.routes.js';
import type { TokenStoreSnapshot } from '../common/tokens.js';

export interface HubspotOptions {
  /** Demo data and fault injection are deterministic for a seed (default 1). */
  seed?: number;
  /** hub_id of the sandbox portal (default 20000000 + seed). */
  portalId?: number;
  /** Contacts in the demo portal (default 300; 0 for an empty portal with owners, companies and lists). */
  demoContacts?: number;
  /** Load/save state as JSON in this directory (hubspot.json). */
  persistDir?: string;
  accessTokenTtlSec?: number;
  rateLimit?: Partial<RateLimitConfig>;
  searchLagMs?: number;
  webhooks?: Partial<WebhookConfig>;
  /** Redirect URIs allowed besides http://localhost:* and http://127.0.0.1:* (a trailing * matches a prefix). */
  allowedRedirects?: string[];
  /** Fastify logger (default off). */
  logger?: boolean;
  /** Latency profile (default 'instant'); switch at run time with setLatencyProfile or PUT /__sandbox/latency. */
  latencyProfile?: LatencyProfileName;
}

export interface HubspotConfigPatch {
  accessTokenTtlSec?: number;
  rateLimit?: Partial<RateLimitConfig>;
  searchLagMs?: number;
  webhooks?: Partial<WebhookConfig>;
}

export interface SandboxRecord extends ApiObject {
  type: string;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
  timeline: { type: string; id: string; timestamp: string | null; properties: Record<string, string> }[];
}

export interface HubspotControl {
  readonly portalId: number;
  readonly app: typeof HUBSPOT_DEMO_APP;
  mintToken(input?: { scopes?: string[]; expiresInSec?: number }): MintedToken;
  expireTokens(accessToken?: string): number;
  revokeRefreshToken(refreshToken: string): boolean;
  setFaults(rules: FaultRule[], seed?: number): void;
  clearFaults(): void;
  requests(since?: number): RequestLogEntry[];
  stats(): RequestStats;
  clearRequests(): void;
  reset(seed?: number): void;
  configure(patch: HubspotConfigPatch): HubspotConfig;
  getConfig(): HubspotConfig;
  getRecord(type: string, id: string): SandboxRecord | undefined;
  /** Create/update a record as a salesperson in the HubSpot UI would (changeSource CRM_UI, webhooks fire). */
  createRecord(type: string, properties: Record<string, string>): SandboxRecord;
  updateRecord(type: string, id: string, properties: Record<string, string>): SandboxRecord;
  archiveRecord(type: string, id: string): boolean;
  addProperty(type: string, definition: Partial<PropertyDefinition> & { name: string; label: string; type: string; fieldType: string; groupName?: string }): PropertyDefinition;
  removeProperty(type: string, name: string): void;
  setWebhookTarget(targetUrl: string | null, clientSecret?: string): void;
  webhookDeliveries(): WebhookDelivery[];
  /** Send queued webhook events now and wait for deliveries (and their retries) to finish. */
  flushWebhooks(): Promise<void>;
  seedContacts(count: number): { created: number; firstId?: string; lastId?: string };
  /** The address opts out of all email as a contact would (the unsubscribe link of an email): `hs_email_optout` follows. */
  unsubscribeAll(email: string): void;
  /** One of HubSpot's own sends to this contact hard-bounced: sets the read-only bounce properties. */
  hardBounce(contactId: string, reason?: string): SandboxRecord;
  /** Switch the latency profile (the generator restarts from the seed, or `seed`). */
  setLatencyProfile(profile: LatencyProfileName, seed?: number): void;
  /** The active latency profile and its figures per kind of call. */
  latency(): ReturnType<LatencyModel<HubspotCallKind>['describe']>;
  /** The limits' clock (advance it to cover daily budgets in a test). */
  readonly clock: SandboxClock;
  /** Move the limits' clock to just past the next daily reset (midnight UTC). */
  advanceToNextDailyReset(): void;
  /** Another integration of the account spends `calls` of today's daily budget. */
  spendDailyCalls(calls: number): void;
  /** Today's budget: daily max (null: none), used, remaining, and the rolling window's remaining calls. */
  usage(): ReturnType<PortalRateLimiter['usage']> & { resetsAt: string };
  /** The live store, for white-box assertions in tests. */
  store(): HubspotStore;
}

interface PersistedState {
  store: StoreSnapshot;
  tokens: TokenStoreSnapshot;
}

export function defaultHubspotConfig(options: HubspotOptions = {}): HubspotConfig {
  return {
    accessTokenTtlSec: options.accessTokenTtlSec ?? 1800,
    rateLimit: applyRateLimitPatch({ enabled: true, accountType: 'public-app', perTenSeconds: 110, windowMs: 10_000, daily: null, searchPerSecond: 5 }, options.rateLimit ?? {}),
    searchLagMs: options.searchLagMs ?? 0,
    webhooks: {
      clientSecret: HUBSPOT_DEMO_APP.clientSecret, appId: HUBSPOT_DEMO_APP.appId, batchSize: 100, flushMs: 200,
      maxAttempts: 4, retryBaseMs: 500, propertyNames: [], ...options.webhooks,
    },
  };
}

function rateLimitBody(policy: RateLimitPolicy, portalId: number): Record<string, unknown> {
  const what = policy === 'DAILY' ? 'daily' : policy === 'SECONDLY' ? 'secondly' : 'ten_secondly_rolling';
  return {
    status: 'error',
    message: `You have reached your ${what} limit.`,
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName: policy,
    groupName: `publicapi:oauth:${HUBSPOT_DEMO_APP.appId}:${portalId}`,
    requestId: randomUUID(),
  };
}

/**
 * The kind of call a request is, for its latency: OAuth, search, batch writes, other writes and reads; 401 and 429
 * answers are the gateway's quick rejections. Pages that are not API calls (the authorize page) take no time.
 */
function classifyCall(request: { method: string }, reply: { statusCode: number }, path: string): HubspotCallKind | undefined {
  if (path.startsWith('/oauth/v1/')) return 'oauth';
  if (!path.startsWith('/crm/') && !path.startsWith('/communication-preferences/')) return undefined;
  if (reply.statusCode === 401 || reply.statusCode === 429) return 'rejected';
  const method = request.method;
  if (method === 'GET') return 'read';
  if (method === 'POST' && /\/search\/?$/.test(path)) return 'search';
  if (/\/batch\/read\/?$/.test(path)) return 'read';
  if (/\/batch\//.test(path)) return 'batchWrite';
  return 'write';
}

/** A stateful HubSpot API emulator the real @hubspot/api-client talks to (basePath = this server's URL). */
export async function createHubspotServer(options: HubspotOptions = {}): Promise<{ app: FastifyInstance; control: HubspotControl }> {
  let seed = options.seed ?? 1;
  let generation = 0;
  const portalId = options.portalId ?? 20_000_000 + seed;
  const config = defaultHubspotConfig(options);
  const tokens = new TokenStore({ prefix: 'hs', defaultExpiresInSec: config.accessTokenTtlSec });
  const faults = new FaultInjector(seed);
  const log = new RequestLog();
  const limiter = new PortalRateLimiter(config.rateLimit);
  const clock = new SandboxClock();
  const latency = new LatencyModel<HubspotCallKind, CrmLatencyProfile<HubspotCallKind>>(hubspotProfile, options.latencyProfile ?? 'instant', seed);
  const webhooks = new WebhookDispatcher(config.webhooks, portalId);

  const ctx: { -readonly [K in keyof HubspotContext]: HubspotContext[K] } = {
    store: new HubspotStore(portalId),
    tokens,
    config,
    webhooks,
    allowedRedirects: options.allowedRedirects ?? [],
  };

  const wire = (store: HubspotStore): void => {
    store.searchLagMs = config.searchLagMs;
    store.onChange((event) => {
      if (event.type === 'contacts') {
        const record = store.getIncludingArchived('contacts', event.id);
        if (record) store.refreshDynamicMembership(record, event.at);
      }
      webhooks.handle(event);
    });
  };
  const freshStore = (s: number): HubspotStore => {
    const store = new HubspotStore(portalId);
    seedDemoData(store, s, { contacts: options.demoContacts ?? 300 });
    wire(store);
    return store;
  };

  const persistFile = options.persistDir !== undefined ? join(options.persistDir, 'hubspot.json') : undefined;
  const persisted = persistFile !== undefined ? await loadJsonFile<PersistedState>(persistFile) : undefined;
  if (persisted !== undefined) {
    const store = new HubspotStore(portalId);
    store.importState(persisted.store);
    wire(store);
    ctx.store = store;
    tokens.load(persisted.tokens);
  } else {
    ctx.store = freshStore(seed);
  }
  const writer = persistFile !== undefined
    ? new DebouncedJsonWriter(persistFile, (): PersistedState => ({ store: ctx.store.exportState(), tokens: tokens.snapshot() }), () => `${generation}:${ctx.store.version}:${tokens.version}`)
    : undefined;

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 20 * 1024 * 1024, routerOptions: { ignoreTrailingSlash: true } });
  await app.register(formbody);
  // An empty JSON body is "no body" (some clients send the content-type on DELETE); bad JSON is HubSpot's 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const raw = typeof body === 'string' ? body : body.toString('utf8');
    if (raw.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(raw));
    } catch (err) {
      done(new HubspotError(400, 'VALIDATION_ERROR', `Invalid input JSON on line 1: ${(err as Error).message}`), undefined);
    }
  });

  faults.install(app, {
    errorBody: (status) => status === 429
      ? {
          headers: { 'x-hubspot-ratelimit-max': String(config.rateLimit.perTenSeconds), 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': String(config.rateLimit.windowMs) },
          body: rateLimitBody('TEN_SECONDLY_ROLLING', portalId),
        }
      : { body: { status: 'error', message: status === 503 ? 'Service Unavailable' : status === 502 ? 'Bad Gateway' : 'internal error', correlationId: randomUUID(), category: 'INTERNAL_ERROR' } },
  });
  log.install(app);
  installLatency(app, latency, classifyCall);

  // Bearer auth, then the portal's rate limits, on every CRM route.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/crm/') && !request.url.startsWith('/communication-preferences/')) return undefined;
    const header = request.headers.authorization;
    const token = header !== undefined && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
    const check = tokens.check(token);
    if (!check.ok) {
      const expired = check.reason === 'expired';
      const t = token !== undefined ? tokens.getAccess(token) : undefined;
      const ago = t !== undefined ? Math.max(0, Math.round((Date.now() - t.expiresAt) / 1000)) : 0;
      return reply.code(401).type('application/json').send(new HubspotError(
        401,
        expired ? 'EXPIRED_AUTHENTICATION' : 'INVALID_AUTHENTICATION',
        expired
          ? `The OAuth token used to make this call expired ${ago} second(s) ago.`
          : 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        { context: {} },
      ).body());
    }
    const isSearch = request.method === 'POST' && /\/search\/?(\?|$)/.test(request.url) && request.url.startsWith('/crm/v3/objects/');
    const decision = limiter.check(clock.now(), isSearch);
    void reply.headers(decision.headers);
    if (!decision.allowed && decision.policy !== undefined) {
      return reply.code(429).type('application/json').send(rateLimitBody(decision.policy, portalId));
    }
    return undefined;
  });

  app.setErrorHandler((error: FastifyError | HubspotError, request, reply) => {
    if (error instanceof HubspotError) return reply.code(error.statusCode).type('application/json').send(error.body());
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).type('application/json').send({
        status: 'error', message: `Invalid input JSON: ${error.message}`, correlationId: randomUUID(), category: 'VALIDATION_ERROR',
      });
    }
    request.log.error(error);
    return reply.code(500).type('application/json').send({ status: 'error', message: 'internal error', correlationId: randomUUID(), category: 'INTERNAL_ERROR' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).type('application/json').send({
    status: 'error', message: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`, correlationId: randomUUID(), category: 'OBJECT_NOT_FOUND',
  }));

  registerOAuthRoutes(app, ctx);
  registerObjectRoutes(app, ctx);
  registerPropertyRoutes(app, ctx);
  registerAssociationRoutes(app, ctx);
  registerListRoutes(app, ctx);
  registerOwnerRoutes(app, ctx);
  registerPipelineRoutes(app, ctx);
  registerUiRoutes(app, ctx);
  registerCommunicationPreferencesRoutes(app, ctx);
  registerGdprRoutes(app, ctx);

  const typeOrThrow = (name: string): (typeof OBJECT_TYPES)[number] => {
    const type = resolveObjectType(name);
    if (type === undefined) throw new HubspotError(400, 'VALIDATION_ERROR', `Unknown object type ${name}`);
    return type;
  };

  const getRecord = (typeName: string, id: string): SandboxRecord | undefined => {
    const type = resolveObjectType(typeName);
    if (type === undefined) return undefined;
    const store = ctx.store;
    const record = store.getIncludingArchived(type, id);
    if (record === undefined) return undefined;
    const api = toApiObject(store, record, 'all', OBJECT_TYPES.filter((t) => t !== type));
    return {
      ...api,
      type,
      timeline: isEngagement(type) ? [] : store.timeline(type, id).map((e) => ({
        type: e.type, id: e.id, timestamp: e.properties['hs_timestamp'] ?? null, properties: { ...e.properties },
      })),
    };
  };

  const configure = (patch: HubspotConfigPatch): HubspotConfig => {
    if (patch.accessTokenTtlSec !== undefined) {
      config.accessTokenTtlSec = Number(patch.accessTokenTtlSec);
      tokens.defaultExpiresInSec = config.accessTokenTtlSec;
    }
    if (patch.rateLimit !== undefined) {
      config.rateLimit = applyRateLimitPatch(config.rateLimit, patch.rateLimit);
      limiter.configure(config.rateLimit);
    }
    if (patch.searchLagMs !== undefined) {
      config.searchLagMs = Number(patch.searchLagMs);
      ctx.store.searchLagMs = config.searchLagMs;
    }
    if (patch.webhooks !== undefined) {
      config.webhooks = { ...config.webhooks, ...patch.webhooks };
      webhooks.config = config.webhooks;
    }
    return publicConfig();
  };
  // The webhook client secret is never returned.
  const publicConfig = (): HubspotConfig => ({ ...config, webhooks: { ...config.webhooks, clientSecret: '[set]' } });

  const reset = (newSeed?: number): void => {
    if (newSeed !== undefined) seed = newSeed;
    generation += 1;
    ctx.store = freshStore(seed);
    tokens.clear();
    limiter.reset();
    clock.reset();
    faults.clear();
    log.clear();
    webhooks.clear();
  };

  const mintToken = (input: { scopes?: string[]; expiresInSec?: number } = {}): MintedToken => tokens.mint({
    clientId: HUBSPOT_DEMO_APP.clientId,
    scopes: input.scopes ?? ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write', 'crm.objects.deals.read', 'crm.objects.deals.write', 'crm.objects.owners.read', 'crm.lists.read', 'crm.lists.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write'],
    userId: '9100001',
    ...(input.expiresInSec !== undefined ? { expiresInSec: input.expiresInSec } : { expiresInSec: config.accessTokenTtlSec }),
  });

  const asCrmUser = (type: string, id: string | undefined, properties: Record<string, string>): SandboxRecord => {
    const t = typeOrThrow(type);
    const store = ctx.store;
    let recordId: string;
    if (id === undefined) {
      recordId = store.insert(t, store.validate(t, properties, 'create'), { source: 'CRM_UI' }).id;
    } else {
      const record = store.get(t, id);
      if (record === undefined) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `${OBJECT_TYPE_INFO[t].singular} ${id} not found`);
      store.patch(record, store.validate(t, properties, 'update'), 'CRM_UI');
      recordId = id;
    }
    const out = getRecord(t, recordId);
    if (out === undefined) throw new Error('record vanished');
    return out;
  };

  const control: HubspotControl = {
    portalId,
    app: HUBSPOT_DEMO_APP,
    mintToken,
    expireTokens: (accessToken) => tokens.expire(accessToken),
    revokeRefreshToken: (refreshToken) => tokens.revokeRefresh(refreshToken),
    setFaults: (rules, faultSeed) => faults.set(rules, faultSeed),
    clearFaults: () => faults.clear(),
    requests: (since) => log.entries(since),
    stats: () => log.stats(),
    clearRequests: () => log.clear(),
    reset,
    configure,
    getConfig: publicConfig,
    getRecord,
    createRecord: (type, properties) => asCrmUser(type, undefined, properties),
    updateRecord: (type, id, properties) => asCrmUser(type, id, properties),
    archiveRecord: (type, id) => ctx.store.archive(typeOrThrow(type), id, 'CRM_UI'),
    addProperty: (type, definition) => createPropertyDefinition(ctx, typeOrThrow(type), { groupName: 'conduit', ...definition }),
    removeProperty: (type, name) => archivePropertyDefinition(ctx, typeOrThrow(type), name, true),
    setWebhookTarget: (targetUrl, clientSecret) => {
      configure({ webhooks: { ...(targetUrl === null ? { targetUrl: undefined } : { targetUrl }), ...(clientSecret !== undefined ? { clientSecret } : {}) } });
    },
    webhookDeliveries: () => [...webhooks.deliveries],
    flushWebhooks: () => webhooks.idle(),
    seedContacts: (count) => seedContacts(ctx.store, seed, count),
    unsubscribeAll: (email) => unsubscribeFromAll(ctx.store, email, 'SUBSCRIPTION_PREFERENCES_PAGE', 'CRM_UI'),
    hardBounce: (contactId, reason = 'UNKNOWN_USER') => {
      const record = ctx.store.get('contacts', contactId);
      if (record === undefined) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `contact ${contactId} not found`);
      ctx.store.patch(record, { hs_email_hard_bounce_reason_enum: reason, hs_email_hard_bounce_reason: `550 5.1.1 ${reason}`, hs_email_bad_address: 'true' }, 'CRM_UI');
      const out = getRecord('contacts', contactId);
      if (out === undefined) throw new Error('record vanished');
      return out;
    },
    store: () => ctx.store,
    setLatencyProfile: (profile, latencySeed) => {
      latency.set(profile, latencySeed);
    },
    latency: () => latency.describe(),
    clock,
    advanceToNextDailyReset: () => {
      const now = clock.now();
      clock.advance(nextUtcMidnight(now) - now + 1);
    },
    spendDailyCalls: (calls) => limiter.spend(clock.now(), calls),
    usage: () => ({ ...limiter.usage(clock.now()), resetsAt: new Date(nextUtcMidnight(clock.now())).toISOString() }),
  };

  registerCommonControlRoutes(app, {
    name: 'hubspot',
    faults,
    log,
    reset,
    tokens: { store: tokens, mint: mintToken },
    config: { get: publicConfig, set: (partial) => configure(partial) },
    getRecord,
    latency: { get: () => latency.describe(), set: (profile, latencySeed) => latency.set(profile, latencySeed) },
    clock: { clock, nextReset: nextUtcMidnight },
    usage: {
      get: () => control.usage(),
      spend: (calls) => {
        control.spendDailyCalls(calls);
        return control.usage();
      },
    },
  });

  // HubSpot-specific control routes.
  const bulkSeed = async (request: { body: unknown }): Promise<unknown> => {
    const body = (request.body ?? {}) as { count?: unknown };
    const count = Number(body.count ?? 0);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new HubspotError(400, 'VALIDATION_ERROR', 'count must be an integer between 1 and 1000000');
    return seedContacts(ctx.store, seed, count);
  };
  app.post('/__sandbox/hubspot/bulk-seed', bulkSeed);
  app.post('/__sandbox/bulk-seed', bulkSeed);
  app.put('/__sandbox/webhooks', async (request) => {
    const body = (request.body ?? {}) as { targetUrl?: string | null; clientSecret?: string };
    control.setWebhookTarget(body.targetUrl ?? null, body.clientSecret);
    return { targetUrl: config.webhooks.targetUrl ?? null };
  });
  app.get('/__sandbox/webhooks', async () => ({ targetUrl: config.webhooks.targetUrl ?? null, deliveries: webhooks.deliveries }));
  app.post('/__sandbox/webhooks/flush', async () => {
    await webhooks.idle();
    return { deliveries: webhooks.deliveries.length };
  });
  app.post<{ Params: { type: string } }>('/__sandbox/properties/:type', async (request, reply) => {
    const def = control.addProperty(request.params.type, request.body as Parameters<HubspotControl['addProperty']>[1]);
    return reply.code(201).send(serializeProperty(def));
  });
  app.delete<{ Params: { type: string; name: string } }>('/__sandbox/properties/:type/:name', async (request, reply) => {
    control.removeProperty(request.params.type, request.params.name);
    return reply.code(204).send();
  });
  app.post('/__sandbox/subscriptions/unsubscribe-all', async (request) => {
    const body = (request.body ?? {}) as { email?: unknown };
    if (typeof body.email !== 'string' || body.email === '') throw new HubspotError(400, 'VALIDATION_ERROR', 'email is required');
    control.unsubscribeAll(body.email);
    return { email: body.email, optedOutOfAll: true };
  });
  app.post<{ Params: { id: string } }>('/__sandbox/records/contacts/:id/hard-bounce', async (request) => {
    const body = (request.body ?? {}) as { reason?: unknown };
    return control.hardBounce(request.params.id, typeof body.reason === 'string' ? body.reason : undefined);
  });
  app.post<{ Params: { type: string } }>('/__sandbox/records/:type', async (request, reply) =>
    reply.code(201).send(control.createRecord(request.params.type, (request.body ?? {}) as Record<string, string>)));
  app.patch<{ Params: { type: string; id: string } }>('/__sandbox/records/:type/:id', async (request) =>
    control.updateRecord(request.params.type, request.params.id, (request.body ?? {}) as Record<string, string>));

  app.addHook('onClose', async () => {
    webhooks.stop();
    await writer?.stop();
  });
  writer?.start();

  return { app, control };
}
