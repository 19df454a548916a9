import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { INTERNAL_HEADER, INTERNAL_TOKEN } from '../common/internal.js';
import { isObject, sendError } from './http.js';

/** Salesforce limits (REST API guide, "Composite"): 25 subrequests, of which at most 5 query or sObject Collections operations. */
const MAX_SUBREQUESTS = 25;
const MAX_QUERY_OR_COLLECTION = 5;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
const REFERENCE_ID = /^[A-Za-z0-9_]+$/;
const FORBIDDEN_HEADERS = new Set(['accept', 'authorization', 'content-type']);
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders: Record<string, string>;
}

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string | null;
}

/** Query, QueryAll (and their "query more" pages) and sObject Collections count against the 5. */
function isQueryOrCollection(url: string): boolean {
  const path = url.split('?', 1)[0] ?? url;
  return /^\/services\/data\/v\d+\.\d+\/(query|queryAll|composite\/sobjects)(\/|$)/.test(path);
}

function limitExceeded(reply: FastifyReply, message: string): FastifyReply {
  // The shape Salesforce answers with when a composite request breaks a limit (one result without a referenceId).
  return reply.code(400).send({ compositeResponse: [{ body: [{ errorCode: 'LIMIT_EXCEEDED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId: null }] });
}

function halted(referenceId: string, message: string): SubResult {
  return { body: [{ errorCode: 'PROCESSING_HALTED', message }], httpHeaders: {}, httpStatusCode: 400, referenceId };
}

/** `@{ref.path}` → value from an earlier successful subrequest's body; undefined when it cannot be resolved. */
function resolvePath(results: Map<string, SubResult>, ref: string, path: string): unknown {
  const r = results.get(ref);
  if (r === undefined || r.httpStatusCode >= 400) return undefined;
  let cur: unknown = r.body;
  for (const m of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (m[1] !== undefined) cur = isObject(cur) ? cur[m[1]] : undefined;
    else cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

class UnresolvedReference extends Error {}

/** Subrequests go through this server's own routes over loopback (the same hooks, routes and session checks). */
function selfOrigin(app: FastifyInstance): string {
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('the Salesforce sandbox is not listening on TCP');
  const host = addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `http://${host}:${addr.port}`;
}

function substitute(text: string, results: Map<string, SubResult>, encode: boolean): string {
  return text.replace(REFERENCE, (_all, ref: string, path: string) => {
    const v = resolvePath(results, ref, path);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new UnresolvedReference(`${ref}${path}`);
    const s = String(v);
    return encode ? encodeURIComponent(s) : s;
  });
}

function substituteBody(body: unknown, results: Map<string, SubResult>): unknown {
  if (typeof body === 'string') return substitute(body, results, false);
  if (Array.isArray(body)) return body.map((b) => substituteBody(b, results));
  if (isObject(body)) return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, substituteBody(v, results)]));
  return body;
}

function parseSubrequests(body: unknown): Subrequest[] | string {
  if (!isObject(body) || !Array.isArray(body['compositeRequest'])) return 'The request body must be {"allOrNone": boolean, "compositeRequest": [...]}';
  const out: Subrequest[] = [];
  const seen = new Set<string>();
  for (const raw of body['compositeRequest']) {
    if (!isObject(raw)) return 'Each subrequest must be an object with method, url and referenceId';
    const method = typeof raw['method'] === 'string' ? raw['method'].toUpperCase() : '';
    const url = typeof raw['url'] === 'string' ? raw['url'] : '';
    const referenceId = typeof raw['referenceId'] === 'string' ? raw['referenceId'] : '';
    if (!METHODS.has(method)) return `Invalid HTTP method ${String(raw['method'])} for subrequest ${referenceId}`;
    if (!/^\/services\/data\/v\d+\.\d+\//.test(url)) return `The url of subrequest ${referenceId} must start with /services/data/vXX.X/`;
    if (/^\/services\/data\/v\d+\.\d+\/composite\/?(\?|$)/.test(url)) return 'A composite request cannot contain a composite subrequest';
    if (!REFERENCE_ID.test(referenceId)) return `Invalid referenceId ${referenceId}: only letters, numbers and underscores are allowed`;
    if (seen.has(referenceId)) return `Duplicate referenceId ${referenceId}`;
    seen.add(referenceId);
    const headers: Record<string, string> = {};
    if (raw['httpHeaders'] !== undefined) {
      if (!isObject(raw['httpHeaders'])) return `httpHeaders of subrequest ${referenceId} must be an object`;
      for (const [k, v] of Object.entries(raw['httpHeaders'])) {
        if (FORBIDDEN_HEADERS.has(k.toLowerCase())) return `The ${k} header cannot be set on a subrequest`;
        headers[k.toLowerCase()] = String(v);
      }
    }
    out.push({ method, url, referenceId, ...(raw['body'] !== undefined ? { body: raw['body'] } : {}), httpHeaders: headers });
  }
  return out;
}

/**
 * `POST /services/data/vXX.X/composite`: up to 25 subrequests run in order through this server's own routes over loopback (the
 * same session), counted as one API call — subrequests skip the API budget, faults and the request log (see
 * common/internal.ts). `@{referenceId.path}` in a url or body reads an earlier subrequest's result; a subrequest whose
 * reference cannot be resolved (the referenced one failed) is not run (PROCESSING_HALTED). `allOrNone: true` is not
 * emulated (400): Conduit sends independent subrequests with allOrNone false.
 */
export function registerCompositeRoutes(app: FastifyInstance): void {
  app.get('/services/data/:version/composite', async (request: FastifyRequest) => {
    const v = (request.params as Record<string, string>)['version'] ?? 'v62.0';
    const p = `/services/data/${v}/composite`;
    return { tree: `${p}/tree`, batch: `${p}/batch`, sobjects: `${p}/sobjects`, graph: `${p}/graph` };
  });

  app.post('/services/data/:version/composite', async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = parseSubrequests(request.body);
    if (typeof parsed === 'string') return sendError(reply, 400, 'INVALID_INPUT', parsed);
    if (isObject(request.body) && request.body['allOrNone'] === true) {
      return sendError(reply, 400, 'INVALID_INPUT', 'allOrNone: true is not emulated by the sandbox');
    }
    if (parsed.length === 0) return sendError(reply, 400, 'INVALID_INPUT', 'The composite request must contain at least one subrequest');
    if (parsed.length > MAX_SUBREQUESTS) return limitExceeded(reply, `The request can’t contain more than ${MAX_SUBREQUESTS} operations.`);
    if (parsed.filter((s) => isQueryOrCollection(s.url)).length > MAX_QUERY_OR_COLLECTION) {
      return limitExceeded(reply, `The request can’t contain more than ${MAX_QUERY_OR_COLLECTION} query or sObject Collections operations.`);
    }

    const authorization = request.headers['authorization'] ?? '';
    const results = new Map<string, SubResult>();
    const out: SubResult[] = [];
    for (const sub of parsed) {
      let url: string;
      let body: unknown;
      try {
        url = substitute(sub.url, results, true);
        body = sub.body === undefined ? undefined : substituteBody(sub.body, results);
      } catch (e) {
        if (!(e instanceof UnresolvedReference)) throw e;
        const r = halted(sub.referenceId, `Invalid reference specified. No value for ${e.message} found in a previous successful subrequest.`);
        results.set(sub.referenceId, r);
        out.push(r);
        continue;
      }
      const res = await fetch(`${selfOrigin(app)}${url}`, {
        method: sub.method,
        headers: {
          ...sub.httpHeaders,
          authorization: Array.isArray(authorization) ? (authorization[0] ?? '') : authorization,
          [INTERNAL_HEADER]: INTERNAL_TOKEN,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let resBody: unknown = null;
      if (text !== '') {
        try {
          resBody = JSON.parse(text);
        } catch {
          resBody = text;
        }
      }
      const location = res.headers.get('location');
      const r: SubResult = {
        body: resBody,
        httpHeaders: location !== null ? { Location: location } : {},
        httpStatusCode: res.status,
        referenceId: sub.referenceId,
      };
      results.set(sub.referenceId, r);
      out.push(r);
    }
    return { compositeResponse: out };
  });
}
