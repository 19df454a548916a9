import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONTROL_PREFIX } from './faults.js';
import { isInternal } from './internal.js';
import { createRng, type Rng } from './rng.js';

/**
 * How long the sandbox takes to answer: `instant` (tests), `realistic` (the real CRMs' published or planning
 * figures, see the README) and `slow` (3 × realistic: a bad day, a far region).
 */
export const LATENCY_PROFILES = ['instant', 'realistic', 'slow'] as const;
export type LatencyProfileName = (typeof LATENCY_PROFILES)[number];

export function isLatencyProfile(value: unknown): value is LatencyProfileName {
  return typeof value === 'string' && (LATENCY_PROFILES as readonly string[]).includes(value);
}

/** One kind of call's time: three percentiles at a reference response size, and how the median grows with size. */
export interface LatencySpec {
  p50: number;
  p95: number;
  p99: number;
  /** Response (or request) size in KB the percentiles are for. */
  refKb: number;
  /** Extra milliseconds of the median per KB above refKb (fewer below it): more records × properties take longer. */
  msPerKb: number;
}

export type HubspotCallKind = 'read' | 'search' | 'batchWrite' | 'write' | 'oauth' | 'rejected';
export type SalesforceCallKind = 'rest' | 'query' | 'composite' | 'oauth' | 'rejected';

/** Bulk 2.0 jobs: time queued (UploadComplete) then in progress, growing with the rows. */
export interface BulkJobSpec {
  queuedMs: number;
  processingMs: number;
  msPer100kRows: number;
}

export interface CrmLatencyProfile<K extends string> {
  name: LatencyProfileName;
  kinds: Record<K, LatencySpec>;
}

export interface SalesforceLatencyProfile extends CrmLatencyProfile<SalesforceCallKind> {
  bulk: BulkJobSpec;
}

/** p95 = 2.8 × p50 and p99 = 6 × p50: the shape of HubSpot's planning figures for reads (250 / 700 / 1,500 ms). */
const shaped = (p50: number, refKb: number, msPerKb: number): LatencySpec => ({ p50, p95: Math.round(p50 * 2.8), p99: p50 * 6, refKb, msPerKb });

const REALISTIC_HUBSPOT: Record<HubspotCallKind, LatencySpec> = {
  // A page of 100 contacts with the default properties is ≈ 33 KB; each further KB of records × properties adds 2.5 ms.
  read: { p50: 250, p95: 700, p99: 1500, refKb: 32, msPerKb: 2.5 },
  search: shaped(300, 32, 2.5),
  // A batch of 100 inputs (request or response ≈ 35 KB).
  batchWrite: shaped(450, 32, 2.5),
  write: shaped(200, 1, 2.5),
  oauth: shaped(300, 0, 0),
  // 401 and 429 answers come from HubSpot's gateway, before any work.
  rejected: shaped(80, 0, 0),
};

const REALISTIC_SALESFORCE: Record<SalesforceCallKind, LatencySpec> = {
  rest: shaped(200, 2, 0.75),
  // A SOQL page of 2,000 Leads with a dozen fields is ≈ 800 KB; a page of a few rows takes about a REST call's time.
  query: shaped(800, 800, 0.75),
  composite: shaped(600, 32, 0.75),
  oauth: shaped(300, 0, 0),
  rejected: shaped(80, 0, 0),
};

const ZERO: LatencySpec = { p50: 0, p95: 0, p99: 0, refKb: 0, msPerKb: 0 };

function scaled<K extends string>(kinds: Record<K, LatencySpec>, factor: number): Record<K, LatencySpec> {
  const out = {} as Record<K, LatencySpec>;
  for (const [kind, spec] of Object.entries(kinds) as [K, LatencySpec][]) {
    out[kind] = factor === 0
      ? { ...ZERO }
      : { p50: spec.p50 * factor, p95: spec.p95 * factor, p99: spec.p99 * factor, refKb: spec.refKb, msPerKb: spec.msPerKb * factor };
  }
  return out;
}

const FACTORS: Record<LatencyProfileName, number> = { instant: 0, realistic: 1, slow: 3 };

export function hubspotProfile(name: LatencyProfileName): CrmLatencyProfile<HubspotCallKind> {
  return { name, kinds: scaled(REALISTIC_HUBSPOT, FACTORS[name]) };
}

export function salesforceProfile(name: LatencyProfileName): SalesforceLatencyProfile {
  const f = FACTORS[name];
  // Bulk 2.0: ≈ 2 s + 1 s per 100,000 rows at realistic (1 s queued, then in progress).
  return { name, kinds: scaled(REALISTIC_SALESFORCE, f), bulk: { queuedMs: 1000 * f, processingMs: 1000 * f, msPer100kRows: 1000 * f } };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

const Z95 = normalQuantile(0.95);
const Z99 = normalQuantile(0.99);
/** Nothing answers faster than this share of the median (a round trip has a floor). */
const FLOOR_SHARE = 0.3;
/** Outliers stop at this multiple of p99 (so one sample cannot stall a test for minutes). */
const CEILING_OF_P99 = 4;
/** A small response never takes less than this share of the reference time. */
const MIN_SIZE_FACTOR = 0.2;

/**
 * The time of one call for a uniform draw `u`: log-normal through p50 and p95 (σ = ln(p95/p50) / z95), and above p95 a
 * steeper log-normal tail through p99 that continues past it, so rare slow outliers happen (capped at 4 × p99).
 * Real API latencies have this heavy right tail: a single log-normal fitted to p50/p95 would put p99 far too low.
 */
export function latencyQuantile(spec: LatencySpec, u: number): number {
  if (spec.p50 <= 0) return 0;
  const z = normalQuantile(Math.min(1 - 1e-9, Math.max(1e-9, u)));
  const l50 = Math.log(spec.p50);
  const l95 = Math.log(Math.max(spec.p95, spec.p50));
  const l99 = Math.log(Math.max(spec.p99, spec.p95, spec.p50));
  const s1 = (l95 - l50) / Z95;
  const s2 = (l99 - l95) / (Z99 - Z95);
  const log = z <= Z95 ? l50 + s1 * z : l95 + s2 * (z - Z95);
  return Math.min(spec.p99 * CEILING_OF_P99, Math.max(spec.p50 * FLOOR_SHARE, Math.exp(log)));
}

/** How a response of `kb` KB stretches the kind's percentiles (1 at refKb). */
export function sizeFactor(spec: LatencySpec, kb: number): number {
  if (spec.p50 <= 0) return 1;
  return Math.max(MIN_SIZE_FACTOR, 1 + (spec.msPerKb * (kb - spec.refKb)) / spec.p50);
}

/**
 * A CRM's latency: the active profile and a seeded generator, so the same seed and the same request order always give
 * the same times. Switched at run time (control API, env var at the CLI, `startSandbox({ profile })`).
 */
export class LatencyModel<K extends string, P extends CrmLatencyProfile<K> = CrmLatencyProfile<K>> {
  private rng: Rng;
  private current: P;

  constructor(
    private readonly profiles: (name: LatencyProfileName) => P,
    name: LatencyProfileName,
    private seed: number,
  ) {
    this.current = profiles(name);
    this.rng = createRng(seed ^ 0x5eed1a7);
  }

  get profile(): P {
    return this.current;
  }

  /** Switch profile; the generator restarts from the seed (a new seed when given). */
  set(name: LatencyProfileName, seed?: number): P {
    if (seed !== undefined) this.seed = seed;
    this.current = this.profiles(name);
    this.rng = createRng(this.seed ^ 0x5eed1a7);
    return this.current;
  }

  /** One call's time in ms for a response (or request) of `bytes`. */
  sample(kind: K, bytes = 0): number {
    const spec = this.current.kinds[kind];
    if (spec.p50 <= 0) return 0;
    return latencyQuantile(spec, this.rng.next()) * sizeFactor(spec, bytes / 1024);
  }

  describe(): { profile: LatencyProfileName; seed: number; kinds: Record<K, LatencySpec> } & Omit<P, 'name' | 'kinds'> {
    const { name, kinds, ...rest } = this.current;
    return { profile: name, seed: this.seed, kinds, ...rest };
  }
}

/** The time drawn for each answered request, for the request log. */
const drawn = new WeakMap<FastifyRequest, number>();

/** The latency drawn for a request (0 when none applied). */
export function drawnLatency(request: FastifyRequest): number {
  return drawn.get(request) ?? 0;
}

function payloadBytes(payload: unknown): number {
  if (typeof payload === 'string') return Buffer.byteLength(payload);
  if (Buffer.isBuffer(payload)) return payload.length;
  return 0;
}

/**
 * Delays each API answer until its sampled time has passed since the request arrived (the handler's own time counts
 * toward it). Each delay is a timer, so calls in flight overlap exactly as they would against the real API.
 * `classify` names the kind of call, or undefined for routes that are not API calls (HTML pages).
 */
export function installLatency<K extends string, P extends CrmLatencyProfile<K>>(
  app: FastifyInstance,
  model: LatencyModel<K, P>,
  classify: (request: FastifyRequest, reply: FastifyReply, path: string) => K | undefined,
): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (model.profile.name === 'instant' || isInternal(request)) return payload;
    const path = request.url.split('?', 1)[0] ?? request.url;
    if (path.startsWith(CONTROL_PREFIX)) return payload;
    const kind = classify(request, reply, path);
    if (kind === undefined) return payload;
    const bytes = Math.max(payloadBytes(payload), Number(request.headers['content-length'] ?? 0) || 0);
    const target = model.sample(kind, bytes);
    drawn.set(request, target);
    const wait = target - reply.elapsedTime;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
    return payload;
  });
}
