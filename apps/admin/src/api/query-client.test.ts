import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './client';
import { createQueryClient } from './query-client';

const unauthorized = () => new ApiError(401, { statusCode: 401, error: 'Unauthorized', message: 'Session expired' });

describe('createQueryClient', () => {
  it('reports a 401 from any query', async () => {
    const onUnauthorized = vi.fn();
    const client = createQueryClient(onUnauthorized);
    await client.fetchQuery({ queryKey: ['people'], queryFn: () => Promise.reject(unauthorized()) }).catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('reports a 401 from a mutation unless the mutation opts out', async () => {
    const onUnauthorized = vi.fn();
    const client = createQueryClient(onUnauthorized);
    const cache = client.getMutationCache();
    await cache.build(client, { mutationFn: () => Promise.reject(unauthorized()) }).execute(undefined).catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledOnce();
    await cache
      .build(client, { mutationFn: () => Promise.reject(unauthorized()), meta: { skipUnauthorizedRedirect: true } })
      .execute(undefined)
      .catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('retries network and server errors, never client errors', () => {
    const retry = createQueryClient(vi.fn()).getDefaultOptions().queries?.retry;
    if (typeof retry !== 'function') throw new Error('retry should be a function');
    const notFound = new ApiError(404, { statusCode: 404, error: 'Not Found', message: 'No such person' });
    const down = new ApiError(503, { statusCode: 503, error: 'Service Unavailable', message: 'down' });
    expect(retry(0, notFound)).toBe(false);
    expect(retry(0, down)).toBe(true);
    expect(retry(1, new TypeError('Failed to fetch'))).toBe(true);
    expect(retry(2, down)).toBe(false);
  });
});
