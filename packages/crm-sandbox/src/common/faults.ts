import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isInternal } from './internal.js';
import { createRng, type Rng } from './rng.js';

export interface FaultRule {
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string;
  /** Path prefix (query string ignored), or a regular expression when wrapped in slashes: '/^\/crm\/v3\/objects\/contacts$/'. */
  path?: string;
  status?: 429 | 500 | 502 | 503;
  /** Share of matching requests affected, 0..1 (default 1). */
  share?: number;
  /** Delay added before the request is handled (or before the fault answer). */
  latencyMs?: number;
  /** Never answer (the client times out). */
  hang?: boolean;
  /** Destroy the socket without an answer. */
  drop?: boolean;
  /** Apply to the next N matching requests only (counted among those the share selects). */
  times?: number;
}

export interface FaultErrorBody {
  headers?: Record<string, string>;
  body: unknown;
}

export interface FaultInstallOptions {
  errorBody: (status: number) => FaultErrorBody;
}

interface ActiveRule {
  rule: FaultRule;
  method: string | undefined;
  matchPath: (path: string) => boolean;
  remaining: number;
}

/** What the injector decided for one request. Exposed for unit tests. */
export interface FaultDecision {
  latencyMs: number;
  status?: number;
  hang?: boolean;
  drop?: boolean;
}

export const CONTROL_PREFIX = '/__sandbox';

function pathMatcher(path: string | undefined): (p: string) => boolean {
  if (path === undefined || path === '') return () => true;
  if (path.length > 2 && path.startsWith('/') && path.endsWith('/')) {
    const re = new RegExp(path.slice(1, -1));
    return (p) => re.test(p);
  }
  return (p) => p.startsWith(path);
}

/**
 * Per-endpoint or global faults: error statuses, latency, hangs and dropped connections.
 * Deterministic: the same seed and the same request sequence give the same faults.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private rng: Rng;
  private readonly hanging = new Set<FastifyReply>();

  constructor(private seed: number) {
    this.rng = createRng(seed);
  }

  set(rules: FaultRule[], seed?: number): void {
    if (seed !== undefined) this.seed = seed;
    this.rng = createRng(this.seed);
    this.rules = rules.map((rule) => ({
      rule,
      method: rule.method?.toUpperCase(),
      matchPath: pathMatcher(rule.path),
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    }));
  }

  clear(): void {
    this.rules = [];
    this.rng = createRng(this.seed);
    this.releaseHanging();
  }

  active(): FaultRule[] {
    return this.rules.filter((r) => r.remaining > 0).map((r) => r.rule);
  }

  /** Decide what happens to one request. Rules apply in order; latency adds up, the first error/hang/drop wins. */
  decide(method: string, path: string): FaultDecision | undefined {
    if (this.rules.length === 0 || path.startsWith(CONTROL_PREFIX)) return undefined;
    const upper = method.toUpperCase();
    const decision: FaultDecision = { latencyMs: 0 };
    let hit = false;
    for (const active of this.rules) {
      if (active.remaining <= 0) continue;
      if (active.method !== undefined && active.method !== upper) continue;
      if (!active.matchPath(path)) continue;
      const share = active.rule.share ?? 1;
      // Draw for every matching rule so the sequence depends only on the request order.
      const roll = this.rng.next();
      if (roll >= share) continue;
      active.remaining -= 1;
      hit = true;
      decision.latencyMs += active.rule.latencyMs ?? 0;
      if (decision.status === undefined && !decision.hang && !decision.drop) {
        if (active.rule.drop) decision.drop = true;
        else if (active.rule.hang) decision.hang = true;
        else if (active.rule.status !== undefined) decision.status = active.rule.status;
      }
    }
    return hit ? decision : undefined;
  }

  install(app: FastifyInstance, opts: FaultInstallOptions): void {
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (isInternal(request)) return; // a composite subrequest: the composite call itself was already decided
      const path = request.url.split('?', 1)[0] ?? request.url;
      const decision = this.decide(request.method, path);
      if (decision === undefined) return;
      if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
      if (decision.drop) {
        request.raw.socket.destroy();
        return reply.hijack();
      }
      if (decision.hang) {
        // Keep the reply open until the server closes (or faults are cleared).
        this.hanging.add(reply);
        reply.raw.on('close', () => this.hanging.delete(reply));
        return reply.hijack();
      }
      if (decision.status !== undefined) {
        const { headers, body } = opts.errorBody(decision.status);
        if (headers) void reply.headers(headers);
        return reply.code(decision.status).type('application/json').send(body);
      }
      return undefined;
    });
    // preClose, not onClose: server.close() would otherwise wait for the hung sockets forever.
    app.addHook('preClose', async () => {
      this.releaseHanging();
    });
  }

  private releaseHanging(): void {
    for (const reply of this.hanging) reply.raw.socket?.destroy();
    this.hanging.clear();
  }
}
