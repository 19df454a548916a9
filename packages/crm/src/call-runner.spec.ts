import { describe, expect, it, jest } from '@jest/globals';
import { CallRunner } from './call-runner.js';
import type { CrmCredentials } from './contract.js';
import { CrmError } from './errors.js';

const expired = (): CrmError => new CrmError({ kind: 'auth_expired' }, { crm: 'hubspot', message: 'expired', status: 401 });

function runner(opts: { refresh?: () => Promise<CrmCredentials>; beforeRequest?: (cost: number) => Promise<void>; timeoutMs?: number } = {}) {
  const applied: CrmCredentials[] = [];
  const refresh = jest.fn(opts.refresh ?? (() => Promise.resolve({ accessToken: 'new' })));
  const r = new CallRunner({
    crm: 'hubspot',
    options: { ...(opts.beforeRequest ? { beforeRequest: opts.beforeRequest } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) },
    refresh,
    mapError: (e) => (e instanceof CrmError ? e : null),
    applyCredentials: (c) => applied.push(c),
  });
  return { r, refresh, applied };
}

describe('CallRunner', () => {
  it('awaits beforeRequest with the cost before every attempt', async () => {
    const costs: number[] = [];
    const { r } = runner({ beforeRequest: async (c) => void costs.push(c) });
    let n = 0;
    await r.run(async () => {
      n += 1;
      if (n === 1) throw expired();
      return 'ok';
    }, 2);
    expect(costs).toEqual([2, 2]);
  });

  it('refreshes once on an expired token, installs the new credentials and retries once', async () => {
    const { r, refresh, applied } = runner();
    let n = 0;
    const out = await r.run(async () => {
      n += 1;
      if (n === 1) throw expired();
      return 'done';
    });
    expect(out).toBe('done');
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(applied).toEqual([{ accessToken: 'new' }]);
  });

  it('gives up with auth_expired when the refreshed token is refused too', async () => {
    const { r, refresh } = runner();
    await expect(r.run(() => Promise.reject(expired()))).rejects.toMatchObject({ kind: 'auth_expired' });
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('passes the refresh callback error through (e.g. auth_revoked)', async () => {
    const revoked = new CrmError({ kind: 'auth_revoked' }, { crm: 'hubspot', message: 'revoked' });
    const { r } = runner({ refresh: () => Promise.reject(revoked) });
    await expect(r.run(() => Promise.reject(expired()))).rejects.toBe(revoked);
  });

  it('does not refresh for other errors', async () => {
    const { r, refresh } = runner();
    const notFound = new CrmError({ kind: 'not_found' }, { crm: 'hubspot', message: 'nf' });
    await expect(r.run(() => Promise.reject(notFound))).rejects.toBe(notFound);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('turns a call with no answer into transient/timeout', async () => {
    const { r } = runner({ timeoutMs: 30 });
    await expect(r.run(() => new Promise(() => undefined))).rejects.toMatchObject({ kind: 'transient', details: { kind: 'transient', cause: 'timeout' } });
  });

  it('rethrows errors the mapper does not recognise', async () => {
    const { r } = runner();
    await expect(r.run(() => Promise.reject(new TypeError('bug')))).rejects.toThrow(TypeError);
  });
});
