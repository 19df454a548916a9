import type { FastifyInstance } from 'fastify';
import type { SandboxClock } from './clock.js';
import type { FaultInjector, FaultRule } from './faults.js';
import { isLatencyProfile, LATENCY_PROFILES, type LatencyProfileName } from './latency.js';
import type { RequestLog } from './request-log.js';
import type { MintedToken, TokenStore } from './tokens.js';

export interface CommonControlOptions {
  /** 'hubspot' | 'salesforce', shown by /__sandbox/health. */
  name: string;
  faults: FaultInjector;
  log: RequestLog;
  reset: (seed?: number) => void | Promise<void>;
  /** When given, registers POST /__sandbox/tokens, /tokens/expire and /tokens/revoke. */
  tokens?: {
    store: TokenStore;
    mint: (input: { scopes?: string[]; expiresInSec?: number }) => MintedToken;
  };
  /** PUT /__sandbox/config merges a partial config and returns the result; GET returns it. */
  config?: {
    get: () => unknown;
    set: (partial: Record<string, unknown>) => unknown;
  };
  /** GET /__sandbox/records/:type/:id; undefined → 404. */
  getRecord?: (type: string, id: string) => unknown;
  /** GET|PUT /__sandbox/latency: the active latency profile and its figures. */
  latency?: {
    get: () => unknown;
    set: (profile: LatencyProfileName, seed?: number) => unknown;
  };
  /** GET /__sandbox/clock, POST /__sandbox/clock/advance: the limits' clock; `nextReset` is when the daily budget is whole again. */
  clock?: {
    clock: SandboxClock;
    nextReset: (now: number) => number;
  };
  /** GET /__sandbox/usage, POST /__sandbox/usage/spend: the daily API budget, and calls another integration spends from it. */
  usage?: {
    get: () => unknown;
    spend: (calls: number) => unknown;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Control routes both sandbox CRMs share. Everything under /__sandbox/ is exempt from
 * faults, rate limits, auth and the request log.
 */
export function registerCommonControlRoutes(app: FastifyInstance, opts: CommonControlOptions): void {
  const startedAt = new Date().toISOString();

  app.get('/__sandbox/health', async () => ({ ok: true, crm: opts.name, startedAt }));

  app.get('/__sandbox/requests', async (request) => {
    const query = isRecord(request.query) ? request.query : {};
    const since = optionalNumber(query['since']);
    const entries = opts.log.entries(since);
    return { total: entries.length, entries };
  });
  app.delete('/__sandbox/requests', async (_request, reply) => {
    opts.log.clear();
    return reply.code(204).send();
  });
  app.get('/__sandbox/stats', async () => opts.log.stats());

  app.get('/__sandbox/faults', async () => ({ rules: opts.faults.active() }));
  app.put('/__sandbox/faults', async (request, reply) => {
    const body: unknown = request.body;
    const rules = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body['rules']) ? body['rules'] : undefined;
    if (rules === undefined) return reply.code(400).send({ error: 'Body must be FaultRule[] or { rules: FaultRule[], seed? }' });
    const seed = isRecord(body) ? optionalNumber(body['seed']) : undefined;
    opts.faults.set(rules as FaultRule[], seed);
    return { rules: opts.faults.active() };
  });
  app.delete('/__sandbox/faults', async (_request, reply) => {
    opts.faults.clear();
    return reply.code(204).send();
  });

  app.post('/__sandbox/reset', async (request) => {
    const body = isRecord(request.body) ? request.body : {};
    await opts.reset(optionalNumber(body['seed']));
    return { ok: true };
  });

  const tokens = opts.tokens;
  if (tokens !== undefined) {
    app.post('/__sandbox/tokens', async (request, reply) => {
      const body = isRecord(request.body) ? request.body : {};
      const scopes = Array.isArray(body['scopes']) ? body['scopes'].map(String) : undefined;
      const expiresInSec = optionalNumber(body['expiresInSec']);
      return reply.code(201).send(tokens.mint({
        ...(scopes !== undefined ? { scopes } : {}),
        ...(expiresInSec !== undefined ? { expiresInSec } : {}),
      }));
    });
    app.post('/__sandbox/tokens/expire', async (request) => {
      const body = isRecord(request.body) ? request.body : {};
      const token = typeof body['accessToken'] === 'string' ? body['accessToken'] : undefined;
      return { expired: tokens.store.expire(token) };
    });
    app.post('/__sandbox/tokens/revoke', async (request, reply) => {
      const body = isRecord(request.body) ? request.body : {};
      const token = typeof body['refreshToken'] === 'string' ? body['refreshToken'] : undefined;
      if (token === undefined) return reply.code(400).send({ error: 'refreshToken is required' });
      return { revoked: tokens.store.revokeRefresh(token) };
    });
  }

  const config = opts.config;
  if (config !== undefined) {
    app.get('/__sandbox/config', async () => config.get());
    app.put('/__sandbox/config', async (request, reply) => {
      if (!isRecord(request.body)) return reply.code(400).send({ error: 'Body must be a JSON object' });
      return config.set(request.body);
    });
  }

  const latency = opts.latency;
  if (latency !== undefined) {
    app.get('/__sandbox/latency', async () => latency.get());
    app.put('/__sandbox/latency', async (request, reply) => {
      const body = isRecord(request.body) ? request.body : {};
      const profile = body['profile'];
      if (!isLatencyProfile(profile)) return reply.code(400).send({ error: `profile must be one of ${LATENCY_PROFILES.join(', ')}` });
      const seed = optionalNumber(body['seed']);
      latency.set(profile, seed);
      return latency.get();
    });
  }

  const clock = opts.clock;
  if (clock !== undefined) {
    app.get('/__sandbox/clock', async () => ({ ...clock.clock.describe(), nextDailyReset: new Date(clock.nextReset(clock.clock.now())).toISOString() }));
    app.post('/__sandbox/clock/advance', async (request, reply) => {
      const body = isRecord(request.body) ? request.body : {};
      const ms = optionalNumber(body['ms']);
      if (body['to'] === 'next-daily-reset') {
        const now = clock.clock.now();
        // A millisecond past the reset, so the new day has surely begun.
        clock.clock.advance(clock.nextReset(now) - now + 1);
      } else if (ms !== undefined && ms >= 0) {
        clock.clock.advance(ms);
      } else {
        return reply.code(400).send({ error: "Body must be { ms: non-negative number } or { to: 'next-daily-reset' }" });
      }
      return { ...clock.clock.describe(), nextDailyReset: new Date(clock.nextReset(clock.clock.now())).toISOString() };
    });
  }

  const usage = opts.usage;
  if (usage !== undefined) {
    app.get('/__sandbox/usage', async () => usage.get());
    app.post('/__sandbox/usage/spend', async (request, reply) => {
      const body = isRecord(request.body) ? request.body : {};
      const calls = optionalNumber(body['calls']);
      if (calls === undefined || !Number.isInteger(calls) || calls < 0) return reply.code(400).send({ error: 'calls must be a non-negative integer' });
      return usage.spend(calls);
    });
  }

  const getRecord = opts.getRecord;
  if (getRecord !== undefined) {
    app.get<{ Params: { type: string; id: string } }>('/__sandbox/records/:type/:id', async (request, reply) => {
      const record = getRecord(request.params.type, request.params.id);
      if (record === undefined) return reply.code(404).send({ error: 'Record not found' });
      return record;
    });
  }
}

/** Escape text for the HTML views. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Minimal page chrome shared by both CRMs' /__sandbox/ui views. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f5f5f5}a{color:#0b62c4}.muted{color:#777}</style>
</head><body>${body}</body></html>`;
}
