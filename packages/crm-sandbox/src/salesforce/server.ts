import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { registerCommonControlRoutes } from '../common/control.js';
import { FaultInjector } from '../common/faults.js';
import { isInternal } from '../common/internal.js';
import { installLatency, type SalesforceCallKind } from '../common/latency.js';
import { RequestLog } from '../common/request-log.js';
import { registerBulkRoutes } from './bulk.js';
import { registerCompositeRoutes } from './composite.js';
import { recordView, registerSalesforceControlRoutes } from './control.js';
import { sendError, setAuth } from './http.js';
import { bearerToken, registerOAuthRoutes } from './oauth.js';
import { SalesforceOrg } from './org.js';
import { registerListViewRoutes } from './listview-routes.js';
import { listViewQuery } from './listviews.js';
import { registerRestRoutes } from './rest.js';
import { SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, type SalesforceControl, type SalesforceOptions } from './types.js';

export type { SalesforceOptions, SalesforceControl, SalesforceConfig } from './types.js';

const MIN_VERSION = 20;
const MAX_VERSION = 62;
const MAX_URI_LENGTH = 16_384;
const DAY_MS = 86_400_000;
const VERSIONED = /^\/services\/data\/v(\d+)\.(\d+)(\/|$)/;

const FAULT_BODIES: Record<number, [string, string]> = {
  429: ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'],
  500: ['UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1862081337-57446 (-1578396455)'],
  502: ['BAD_GATEWAY', 'Bad Gateway'],
  503: ['SERVER_UNAVAILABLE', 'Server is temporarily unavailable, please try again later'],
};

/**
 * The kind of call a request is, for its latency: OAuth and identity, SOQL pages (their time grows with the rows),
 * composite and collections, and other REST calls (Bulk 2.0 job calls included; the job itself takes its own time).
 * 401 and 403 limit answers are quick rejections; HTML pages take no time.
 */
function classifyCall(_request: unknown, reply: { statusCode: number }, path: string): SalesforceCallKind | undefined {
  if (path.startsWith('/services/oauth2/') || path.startsWith('/id/')) return 'oauth';
  if (!path.startsWith('/services/data')) return undefined;
  if (reply.statusCode === 401 || reply.statusCode === 403) return 'rejected';
  if (/^\/services\/data\/v[\d.]+\/(query|queryAll)(\/|$)/.test(path)) return 'query';
  if (/^\/services\/data\/v[\d.]+\/composite(\/|$)/.test(path)) return 'composite';
  return 'rest';
}

function versionList(): { label: string; url: string; version: string }[] {
  const out = [];
  for (let v = MIN_VERSION; v <= MAX_VERSION; v++) out.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  return out;
}

/**
 * A Salesforce org emulator on its own origin: OAuth web-server flow, REST (sObjects,
 * SOQL, collections, limits) and Bulk API 2.0, close enough for jsforce 3 to work unchanged.
 */
export async function createSalesforceServer(opts: SalesforceOptions = {}): Promise<{ app: FastifyInstance; control: SalesforceControl }> {
  const org = new SalesforceOrg(opts);
  const faults = new FaultInjector(opts.seed ?? 1);
  const log = new RequestLog();
  // Node's default header limit (16 KB) would answer long URLs with 431 before we can answer like Salesforce.
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 150 * 1024 * 1024, routerOptions: { ignoreTrailingSlash: true }, http: { maxHeaderSize: 256 * 1024 } });
  await app.register(formbody);

  // Salesforce rejects request URIs longer than 16,384 characters (long SOQL in GET query?q=) with 414.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.length <= MAX_URI_LENGTH) return undefined;
    return reply.code(414).type('text/plain').send('414 URI Too Long');
  });

  // JSON bodies: an empty body is "no body" (jsforce sends content-type on some GET/DELETE calls).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      const error = new Error(`Unexpected character in JSON: ${(err as Error).message}`) as FastifyError;
      error.statusCode = 400;
      error.code = 'JSON_PARSER_ERROR';
      done(error, undefined);
    }
  });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  // Requests in flight (from their arrival, before any fault delay), for the limit on concurrent long-running requests.
  const inFlight = new Map<object, number>();
  app.addHook('onRequest', async (request, reply) => {
    if (isInternal(request) || !request.url.startsWith('/services/data/')) return undefined;
    // Salesforce refuses new requests while the org has 25 requests running longer than 20 s.
    const now = Date.now();
    let long = 0;
    for (const started of inFlight.values()) if (now - started > org.config.longRequestMs) long += 1;
    if (long >= org.config.concurrentLongRequests) return sendError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
    const key = reply.raw;
    inFlight.set(key, now);
    reply.raw.once('close', () => inFlight.delete(key));
    return undefined;
  });

  faults.install(app, {
    errorBody: (status) => {
      const [errorCode, message] = FAULT_BODIES[status] ?? ['UNKNOWN_EXCEPTION', `HTTP ${status}`];
      return { body: [{ message, errorCode }] };
    },
  });
  log.install(app);
  installLatency(app, org.latency, classifyCall);

  // Session check and the daily API budget for /services/data/vXX.X/**.
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? request.url;
    const m = VERSIONED.exec(path);
    if (m === null) return undefined;
    const major = Number(m[1]);
    if (major < MIN_VERSION || major > MAX_VERSION || m[2] !== '0') return sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const check = org.tokens.check(bearerToken(request));
    if (!check.ok) return sendError(reply, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const scopes = check.token.scopes;
    if (scopes.length > 0 && !scopes.includes('api') && !scopes.includes('full')) {
      // jsforce deliberately does not refresh on this message (it would loop).
      return sendError(reply, 401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API');
    }
    // A composite request counts as one call; its subrequests (internal) do not count again.
    if (!isInternal(request) && !org.consumeApiRequest()) return sendError(reply, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    setAuth(request, { token: check.token, userId: check.token.userId ?? org.seedSummary.defaultUserId });
    return undefined;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/services/data/v')) {
      const { used, max } = org.apiUsage();
      void reply.header('Sforce-Limit-Info', `api-usage=${used}/${max}`);
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'JSON_PARSER_ERROR') return sendError(reply, 400, 'JSON_PARSER_ERROR', error.message);
    const status = error.statusCode ?? 500;
    if (status < 500) return sendError(reply, status, status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'INVALID_REQUEST', error.message);
    request.log.error(error);
    return sendError(reply, 500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${error.message}`);
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist'));

  app.get('/services/data', async () => versionList());
  registerOAuthRoutes(app, org);
  registerRestRoutes(app, org);
  registerListViewRoutes(app, org);
  registerBulkRoutes(app, org);
  registerCompositeRoutes(app);

  const control: SalesforceControl = {
    orgId: org.orgId,
    clientId: SALESFORCE_CLIENT_ID,
    clientSecret: SALESFORCE_CLIENT_SECRET,
    mintToken: (input) => org.mint(input),
    expireTokens: (accessToken) => org.tokens.expire(accessToken),
    revokeRefreshToken: (refreshToken) => org.tokens.revokeRefresh(refreshToken),
    setFaults: (rules, seed) => faults.set(rules, seed),
    clearFaults: () => faults.clear(),
    requests: (since) => log.entries(since),
    stats: () => log.stats(),
    clearRequests: () => log.clear(),
    reset: (seed) => {
      org.reset(seed);
      faults.clear();
      log.clear();
    },
    spendApiCalls: (calls) => org.spendApiCalls(calls),
    setLatencyProfile: (profile, seed) => {
      org.latency.set(profile, seed);
    },
    latency: () => org.latency.describe(),
    clock: org.clock,
    advanceToNextDailyReset: () => {
      org.clock.advance(DAY_MS + 1);
    },
    configure: (partial) => org.configure(partial),
    config: () => ({ ...org.config }),
    getRecord: (type, id) => recordView(org, type, id),
    addField: (type, spec) => {
      const def = org.store.resolveType(type);
      if (def === undefined) throw new Error(`Unknown sObject ${type}`);
      return org.store.addField(def.name, spec);
    },
    removeField: (type, name) => {
      const def = org.store.resolveType(type);
      return def !== undefined && org.store.removeField(def.name, name);
    },
    setDuplicateRule: (mode) => {
      org.configure({ duplicateRule: mode });
    },
    seedLeads: (n, fields) => org.seedLeads(n, fields),
    listViews: () => org.listViews.all().map((v) => ({ ...v, query: listViewQuery(v) })),
    createListView: (input) => {
      const made = org.listViews.create(input, { ownerId: org.seedSummary.defaultUserId, now: new Date(org.clock.now()).toISOString(), describe: (type) => org.store.resolveType(type) });
      if (typeof made === 'string') throw new Error(made);
      org.listViewsChanged();
      return { ...made, query: listViewQuery(made) };
    },
    updateListView: (id, input) => {
      const changed = org.listViews.update(id, input, new Date(org.clock.now()).toISOString(), (type) => org.store.resolveType(type));
      if (changed === undefined) throw new Error(`Unknown list view ${id}`);
      if (typeof changed === 'string') throw new Error(changed);
      org.listViewsChanged();
      return { ...changed, query: listViewQuery(changed) };
    },
    deleteListView: (id) => {
      const deleted = org.listViews.delete(id);
      if (deleted) org.listViewsChanged();
      return deleted;
    },
    convertLead: (leadId, accountId) => {
      const result = org.store.convertLead(leadId, { userId: org.seedSummary.defaultUserId, source: 'json' }, accountId);
      if (!result.ok) throw new Error(result.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '));
      return { contactId: result.contactId, accountId: result.accountId };
    },
    count: (type) => {
      const def = org.store.resolveType(type);
      return def === undefined ? 0 : org.store.count(def.name);
    },
    apiUsage: () => org.apiUsage(),
    users: () => [...org.store.rows('User')].map((u) => ({ id: String(u['Id']), name: String(u['Name']), email: String(u['Email']), active: u['IsActive'] === true })),
  };

  registerCommonControlRoutes(app, {
    name: 'salesforce',
    faults,
    log,
    reset: (seed) => control.reset(seed),
    tokens: { store: org.tokens, mint: (input) => org.mint(input) },
    config: { get: () => control.config(), set: (partial) => control.configure(partial) },
    getRecord: (type, id) => recordView(org, type, id),
    latency: { get: () => org.latency.describe(), set: (profile, seed) => org.latency.set(profile, seed) },
    // The allocation is a rolling 24 hours: a day after now, every call counted so far has expired.
    clock: { clock: org.clock, nextReset: (now) => now + DAY_MS },
    usage: {
      get: () => org.apiUsage(),
      spend: (calls) => {
        org.spendApiCalls(calls);
        return org.apiUsage();
      },
    },
  });
  registerSalesforceControlRoutes(app, org);
  app.addHook('onClose', async () => {
    org.saveNow();
  });
  return { app, control };
}
