import type { AddressInfo } from 'node:net';
import jsforce, { type Connection } from 'jsforce';
import { createSalesforceServer, type SalesforceControl, type SalesforceOptions } from '../src/salesforce/server.js';

export const REDIRECT_URI = 'http://localhost:3999/oauth/salesforce/callback';

export interface SalesforceHarness {
  url: string;
  control: SalesforceControl;
  /** A jsforce Connection with a freshly minted session (and refresh token). */
  connect(opts?: { expiresInSec?: number; scopes?: string[] }): Connection;
  close(): Promise<void>;
}

/** Start the Salesforce sandbox on a random port and hand out real jsforce connections. */
export async function startSalesforce(options: SalesforceOptions = {}): Promise<SalesforceHarness> {
  const { app, control } = await createSalesforceServer({ seed: 7, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    control,
    connect(opts = {}) {
      const token = control.mintToken(opts);
      return new jsforce.Connection({
        instanceUrl: url,
        loginUrl: url,
        accessToken: token.accessToken,
        refreshToken: token.refreshToken,
        version: '62.0',
        oauth2: { clientId: control.clientId, clientSecret: control.clientSecret, redirectUri: REDIRECT_URI, loginUrl: url },
      });
    },
    close: () => app.close(),
  };
}

/** jsforce rejects with an Error carrying errorCode/data; this narrows it for assertions. */
export async function failure(promise: PromiseLike<unknown>): Promise<Error & { errorCode?: string; name: string; data?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { errorCode?: string; data?: unknown };
  }
  throw new Error('expected the call to fail');
}
