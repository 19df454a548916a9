import type { AddressInfo } from 'node:net';
import { Client } from '@hubspot/api-client';
import { createHubspotServer, type HubspotControl, type HubspotOptions } from '../src/hubspot/server.js';

export const REDIRECT_URI = 'http://localhost:3999/oauth/hubspot/callback';

export interface HubspotHarness {
  url: string;
  control: HubspotControl;
  /** A real SDK client with a freshly minted access token. */
  client(opts?: { expiresInSec?: number }): Client;
  /** fetch against the sandbox with a bearer token (for raw bodies and headers). */
  raw(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

/** Start the HubSpot sandbox on a random port (rate limits off unless a test turns them on). */
export async function startHubspot(options: HubspotOptions = {}): Promise<HubspotHarness> {
  const { app, control } = await createHubspotServer({ seed: 1, ...options, rateLimit: { enabled: false, ...options.rateLimit } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let defaultToken: string | undefined;
  return {
    url,
    control,
    client(opts = {}) {
      const token = control.mintToken(opts);
      return new Client({ accessToken: token.accessToken, basePath: url });
    },
    async raw(path, init = {}) {
      defaultToken ??= control.mintToken().accessToken;
      const { token, headers, ...rest } = init;
      return fetch(`${url}${path}`, {
        ...rest,
        headers: { authorization: `Bearer ${token ?? defaultToken}`, ...(rest.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(headers as Record<string, string> | undefined) },
      });
    },
    close: () => app.close(),
  };
}

/** The SDK's ApiException: status code, deserialised body and headers. */
export interface SdkError {
  code: number;
  body: { category?: string; message?: string; errors?: { code?: string; message?: string; context?: Record<string, string[]> }[] } | undefined;
  headers: Record<string, string>;
}

/** Run an SDK call that must fail and return its ApiException. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (err) {
    const e = err as Partial<SdkError>;
    if (typeof e.code !== 'number') throw err;
    return e as SdkError;
  }
  throw new Error('Expected the SDK call to fail');
}
