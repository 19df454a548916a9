import type { FastifyInstance } from 'fastify';
import { CONTROL_PREFIX } from './faults.js';
import { isInternal } from './internal.js';
import { drawnLatency } from './latency.js';

export interface RequestLogEntry {
  /** Epoch milliseconds when the response finished. */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Method and Fastify route pattern, e.g. 'POST /crm/v3/objects/:objectType/batch/upsert'. */
  route: string;
  status: number;
  /** Time from the request's arrival to its answer, as the sandbox saw it. */
  ms: number;
  /** The answer time the latency profile drew for it (0 at `instant`); `ms` is never less. */
  latencyMs: number;
}

export interface RequestStats {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
}

/**
 * Request log for tests and benchmarks: a bounded ring buffer of entries (so a
 * 100k-record benchmark cannot exhaust memory) plus exact counters for stats.
 */
export class RequestLog {
  private readonly buffer: (RequestLogEntry | undefined)[];
  private start = 0;
  private size = 0;
  private total = 0;
  private byRoute = new Map<string, number>();
  private byStatus = new Map<string, number>();

  constructor(private readonly capacity = 200_000) {
    this.buffer = new Array<RequestLogEntry | undefined>(capacity);
  }

  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const path = request.url.split('?', 1)[0] ?? request.url;
      if (path.startsWith(CONTROL_PREFIX) || isInternal(request)) return;
      const pattern = request.routeOptions.url ?? path;
      this.add({
        at: Date.now(),
        method: request.method,
        path,
        route: `${request.method} ${pattern}`,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        latencyMs: Math.round(drawnLatency(request) * 100) / 100,
      });
    });
  }

  add(entry: RequestLogEntry): void {
    const index = (this.start + this.size) % this.capacity;
    this.buffer[index] = entry;
    if (this.size < this.capacity) this.size += 1;
    else this.start = (this.start + 1) % this.capacity;
    this.total += 1;
    this.byRoute.set(entry.route, (this.byRoute.get(entry.route) ?? 0) + 1);
    const status = String(entry.status);
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  /** Entries in arrival order; `since` (epoch ms) keeps those at or after it. */
  entries(since?: number): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    for (let i = 0; i < this.size; i++) {
      const entry = this.buffer[(this.start + i) % this.capacity];
      if (entry !== undefined && (since === undefined || entry.at >= since)) out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.buffer.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.total = 0;
    this.byRoute = new Map();
    this.byStatus = new Map();
  }

  stats(): RequestStats {
    return {
      total: this.total,
      byRoute: Object.fromEntries(this.byRoute),
      byStatus: Object.fromEntries(this.byStatus),
    };
  }
}
