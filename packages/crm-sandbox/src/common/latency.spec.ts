import { describe, expect, it } from '@jest/globals';
import {
  hubspotProfile, LatencyModel, latencyQuantile, normalQuantile, salesforceProfile, sizeFactor,
  type HubspotCallKind, type LatencySpec, type SalesforceCallKind, type SalesforceLatencyProfile,
} from './latency.js';

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function draw<K extends string>(model: LatencyModel<K>, kind: K, n: number, bytes?: number): number[] {
  return Array.from({ length: n }, () => model.sample(kind, bytes ?? model.profile.kinds[kind].refKb * 1024)).sort((a, b) => a - b);
}

describe('normalQuantile', () => {
  it.each([[0.5, 0], [0.95, 1.6448536], [0.99, 2.3263479], [0.025, -1.959964], [0.001, -3.0902323]])('Φ⁻¹(%d) = %d', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 5);
  });
});

describe('latencyQuantile', () => {
  const spec: LatencySpec = { p50: 250, p95: 700, p99: 1500, refKb: 32, msPerKb: 2.5 };

  it('passes exactly through p50, p95 and p99', () => {
    expect(latencyQuantile(spec, 0.5)).toBeCloseTo(250, 6);
    expect(latencyQuantile(spec, 0.95)).toBeCloseTo(700, 6);
    expect(latencyQuantile(spec, 0.99)).toBeCloseTo(1500, 6);
  });

  it('keeps a floor (0.3 × p50) and caps outliers at 4 × p99, and grows monotonically between', () => {
    expect(latencyQuantile(spec, 0)).toBe(75);
    expect(latencyQuantile(spec, 1)).toBe(6000);
    // The tail above p99 continues: one call in a thousand takes well over p99.
    expect(latencyQuantile(spec, 0.999)).toBeGreaterThan(3000);
    let last = 0;
    for (let u = 0.001; u < 1; u += 0.001) {
      const v = latencyQuantile(spec, u);
      expect(v).toBeGreaterThanOrEqual(last);
      last = v;
    }
  });

  it('is zero for a zero spec (instant)', () => {
    expect(latencyQuantile({ p50: 0, p95: 0, p99: 0, refKb: 0, msPerKb: 0 }, 0.99)).toBe(0);
  });
});

describe('sizeFactor', () => {
  const read = hubspotProfile('realistic').kinds.read;

  it('is 1 at the reference size and adds msPerKb of median per KB', () => {
    expect(sizeFactor(read, 32)).toBe(1);
    // A page of 100 contacts with many properties (≈ 400 KB) has a median of 250 + 368 × 2.5 = 1,170 ms.
    expect(read.p50 * sizeFactor(read, 400)).toBeCloseTo(1170, 6);
    // A single small record is quicker than a page, down to the floor share.
    expect(read.p50 * sizeFactor(read, 1)).toBeCloseTo(172.5, 6);
    expect(sizeFactor(read, 0)).toBeGreaterThanOrEqual(0.2);
  });

  it('makes a SOQL page of 2,000 rows take ≈ 800 ms and a page of a few rows about a REST call', () => {
    const query = salesforceProfile('realistic').kinds.query;
    expect(query.p50 * sizeFactor(query, 800)).toBe(800);
    expect(query.p50 * sizeFactor(query, 4)).toBeGreaterThan(150);
    expect(query.p50 * sizeFactor(query, 4)).toBeLessThan(260);
  });
});

describe('LatencyModel: percentiles over 2,000 sampled calls', () => {
  // Nearest-rank estimates over 2,000 draws: p50 within ±8 %, p95 within ±15 %, p99 within ±25 % (the 20th-largest value).
  const within = (value: number, target: number, share: number): void => {
    expect(value).toBeGreaterThanOrEqual(target * (1 - share));
    expect(value).toBeLessThanOrEqual(target * (1 + share));
  };

  const hubspotKinds: HubspotCallKind[] = ['read', 'search', 'batchWrite', 'write', 'oauth', 'rejected'];
  it.each(hubspotKinds)('HubSpot %s (realistic) matches its p50 / p95 / p99', (kind) => {
    const model = new LatencyModel(hubspotProfile, 'realistic', 1);
    const spec = model.profile.kinds[kind];
    const sorted = draw(model, kind, 2000);
    within(percentile(sorted, 50), spec.p50, 0.08);
    within(percentile(sorted, 95), spec.p95, 0.15);
    within(percentile(sorted, 99), spec.p99, 0.25);
  });

  it('HubSpot reads: p50 ≈ 250 ms, p95 ≈ 700 ms, p99 ≈ 1.5 s, over several seeds', () => {
    for (const seed of [1, 2, 3, 42]) {
      const sorted = draw(new LatencyModel(hubspotProfile, 'realistic', seed), 'read', 2000);
      within(percentile(sorted, 50), 250, 0.08);
      within(percentile(sorted, 95), 700, 0.15);
      within(percentile(sorted, 99), 1500, 0.25);
    }
  });

  const salesforceKinds: SalesforceCallKind[] = ['rest', 'query', 'composite', 'oauth', 'rejected'];
  it.each(salesforceKinds)('Salesforce %s (realistic) matches its p50 / p95 / p99', (kind) => {
    const model = new LatencyModel<SalesforceCallKind, SalesforceLatencyProfile>(salesforceProfile, 'realistic', 7);
    const spec = model.profile.kinds[kind];
    const sorted = draw(model, kind, 2000);
    within(percentile(sorted, 50), spec.p50, 0.08);
    within(percentile(sorted, 95), spec.p95, 0.15);
    within(percentile(sorted, 99), spec.p99, 0.25);
  });

  it('slow is 3 × realistic; instant is 0', () => {
    const slow = draw(new LatencyModel(hubspotProfile, 'slow', 5), 'read', 2000);
    within(percentile(slow, 50), 750, 0.08);
    within(percentile(slow, 99), 4500, 0.25);
    expect(draw(new LatencyModel(hubspotProfile, 'instant', 5), 'read', 100).every((v) => v === 0)).toBe(true);
    const sf = salesforceProfile('slow');
    expect(sf.bulk).toEqual({ queuedMs: 3000, processingMs: 3000, msPer100kRows: 3000 });
    expect(sf.kinds.query.p50).toBe(2400);
  });

  it('has rare slow outliers: about 1 call in 1,000 beyond 2 × p99', () => {
    const sorted = draw(new LatencyModel(hubspotProfile, 'realistic', 9), 'read', 20_000);
    const beyond = sorted.filter((v) => v > 3000).length;
    expect(beyond).toBeGreaterThan(5);
    expect(beyond).toBeLessThan(60);
  });

  it('bigger responses take longer at the same draw', () => {
    const small = draw(new LatencyModel(hubspotProfile, 'realistic', 4), 'read', 500, 1024);
    const big = draw(new LatencyModel(hubspotProfile, 'realistic', 4), 'read', 500, 400 * 1024);
    expect(percentile(big, 50) / percentile(small, 50)).toBeCloseTo(1170 / 172.5, 1);
  });
});

describe('LatencyModel: seeded and switchable', () => {
  it('the same seed and call order give the same times; another seed differs', () => {
    const a = new LatencyModel(hubspotProfile, 'realistic', 11);
    const b = new LatencyModel(hubspotProfile, 'realistic', 11);
    const c = new LatencyModel(hubspotProfile, 'realistic', 12);
    const seqA = Array.from({ length: 50 }, () => a.sample('read', 4096));
    expect(Array.from({ length: 50 }, () => b.sample('read', 4096))).toEqual(seqA);
    expect(Array.from({ length: 50 }, () => c.sample('read', 4096))).not.toEqual(seqA);
  });

  it('set() switches the profile at run time and restarts the sequence', () => {
    const model = new LatencyModel(hubspotProfile, 'instant', 3);
    expect(model.sample('search')).toBe(0);
    model.set('realistic');
    const first = model.sample('search');
    expect(first).toBeGreaterThan(0);
    model.set('realistic');
    expect(model.sample('search')).toBe(first);
    expect(model.describe()).toMatchObject({ profile: 'realistic', seed: 3, kinds: { search: { p50: 300 } } });
    model.set('slow', 4);
    expect(model.describe()).toMatchObject({ profile: 'slow', seed: 4, kinds: { search: { p50: 900 } } });
  });
});
