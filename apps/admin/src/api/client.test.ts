import { afterEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../test/render';
import { ApiError, apiRequest, buildUrl } from './client';

afterEach(() => vi.unstubAllGlobals());

describe('buildUrl', () => {
  it('prefixes /api and leaves out empty values', () => {
    expect(buildUrl('/people', { search: 'ada lovelace', page: 2, leadStatus: '', sort: undefined, order: null })).toBe(
      '/api/people?search=ada+lovelace&page=2',
    );
  });
});

describe('apiRequest', () => {
  it('throws an ApiError that carries the field errors of a 400', async () => {
    const { fetchStub } = stubFetch(() => ({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'Validation failed', errors: [{ field: 'email', messages: ['email must be an email'] }] },
    }));
    vi.stubGlobal('fetch', fetchStub);
    const error: unknown = await apiRequest('/people', { method: 'POST', body: { email: 'nope' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.message).toBe('Validation failed');
    expect(apiError.fieldErrors).toEqual([{ field: 'email', messages: ['email must be an email'] }]);
  });

  it('sends JSON bodies and returns parsed JSON', async () => {
    const { fetchStub, calls } = stubFetch(({ method }) => {
      if (method !== 'POST') throw new Error(`unexpected ${method}`);
      return { status: 201, body: { id: 'p1' } };
    });
    vi.stubGlobal('fetch', fetchStub);
    await expect(apiRequest('/people', { method: 'POST', body: { firstName: 'Ada' } })).resolves.toEqual({ id: 'p1' });
    expect(calls[0]?.body).toBe('{"firstName":"Ada"}');
  });

  it('returns undefined for 204', async () => {
    vi.stubGlobal('fetch', stubFetch(() => ({ status: 204 })).fetchStub);
    await expect(apiRequest('/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('joins a Nest-style list of messages into one sentence', async () => {
    vi.stubGlobal('fetch', stubFetch(() => ({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: ['a is bad', 'b is bad'] } })).fetchStub);
    await expect(apiRequest('/x')).rejects.toThrow('a is bad, b is bad');
  });

  it('keeps a readable error when the answer is not JSON', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    const error = (await apiRequest('/x').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.message).toBe('The server had a problem. Please try again.');
  });

  it('turns a network failure into an ApiError with status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await apiRequest('/x').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
  });
});
