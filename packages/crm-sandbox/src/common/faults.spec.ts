import { describe, it, expect } from '@jest/globals';
import { FaultInjector } from './faults.js';
import { createRng } from './rng.js';

describe('createRng', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => createRng(8).next())).not.toEqual(seqA);
    const r = createRng(1);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
    }
    expect(createRng(3).shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('FaultInjector', () => {
  const run = (injector: FaultInjector, n: number, path = '/crm/v3/objects/contacts'): (number | undefined)[] =>
    Array.from({ length: n }, () => injector.decide('GET', path)?.status);

  it('is deterministic for a seed, and set() with the same seed restarts the sequence', () => {
    const a = new FaultInjector(5);
    a.set([{ status: 503, share: 0.3 }]);
    const first = run(a, 200);
    const hits = first.filter((s) => s === 503).length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
    const b = new FaultInjector(5);
    b.set([{ status: 503, share: 0.3 }]);
    expect(run(b, 200)).toEqual(first);
    a.set([{ status: 503, share: 0.3 }]);
    expect(run(a, 200)).toEqual(first);
    a.set([{ status: 503, share: 0.3 }], 6);
    expect(run(a, 200)).not.toEqual(first);
  });

  it('matches method, path prefix and /regex/, and never faults control paths', () => {
    const f = new FaultInjector(1);
    f.set([{ method: 'post', path: '/crm/v3/objects', status: 500 }, { path: '/^\\/oauth\\/v1\\/token$/', status: 502 }]);
    expect(f.decide('POST', '/crm/v3/objects/contacts/batch/create')?.status).toBe(500);
    expect(f.decide('GET', '/crm/v3/objects/contacts')).toBeUndefined();
    expect(f.decide('POST', '/oauth/v1/token')?.status).toBe(502);
    expect(f.decide('POST', '/oauth/v1/token/x')).toBeUndefined();
    f.set([{ status: 503 }]);
    expect(f.decide('GET', '/__sandbox/stats')).toBeUndefined();
  });

  it('applies `times` to the next N matches, adds latency across rules, and prefers drop/hang', () => {
    const f = new FaultInjector(1);
    f.set([{ status: 429, times: 2 }]);
    expect(run(f, 4)).toEqual([429, 429, undefined, undefined]);
    expect(f.active()).toEqual([]);
    f.set([{ latencyMs: 100 }, { latencyMs: 50, status: 500 }, { drop: true, path: '/crm/v3/owners' }]);
    expect(f.decide('GET', '/crm/v3/objects/contacts')).toEqual({ latencyMs: 150, status: 500 });
    expect(f.decide('GET', '/crm/v3/owners')).toMatchObject({ latencyMs: 150, status: 500 });
    f.set([{ hang: true, path: '/a' }, { status: 503 }]);
    expect(f.decide('GET', '/a')).toMatchObject({ hang: true });
    f.clear();
    expect(f.decide('GET', '/a')).toBeUndefined();
  });
});
