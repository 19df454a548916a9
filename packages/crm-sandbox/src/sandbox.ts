import type { FastifyInstance } from 'fastify';
import { createHubspotServer, type HubspotControl, type HubspotOptions } from './hubspot/server.js';

export interface SandboxOptions {
  host?: string;
  /** 0 = a random free port (tests always pass 0). Default 4010. */
  hubspotPort?: number;
  /** 0 = a random free port. Default 4020. */
  salesforcePort?: number;
  /** Seed for demo data and fault injection (default 1). */
  seed?: number;
  /** Directory for JSON state files; memory only when unset. */
  persistDir?: string;
  /** Host name put in the printed/returned URLs when it differs from the bind host (e.g. in a container). */
  publicHost?: string;
  hubspot?: HubspotOptions;
  // TODO(salesforce): add `salesforce?: SalesforceOptions` once src/salesforce/server.ts exists.
}

export interface Sandbox {
  hubspot: { url: string; control: HubspotControl; app: FastifyInstance };
  // TODO(salesforce): add `salesforce: { url, control, app }`.
  stop(): Promise<void>;
}

async function listen(app: FastifyInstance, host: string, port: number, publicHost: string | undefined): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  return `http://${publicHost ?? host}:${actualPort}`;
}

/** Start the sandbox CRMs, each on its own origin. `stop()` closes them all. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const hubspot = await createHubspotServer({
    seed,
    ...(options.persistDir !== undefined ? { persistDir: options.persistDir } : {}),
    ...options.hubspot,
  });
  let hubspotUrl: string;
  try {
    hubspotUrl = await listen(hubspot.app, host, options.hubspotPort ?? 4010, options.publicHost);
  } catch (err) {
    await hubspot.app.close();
    throw err;
  }
  // TODO(salesforce): start createSalesforceServer here on options.salesforcePort ?? 4020.
  return {
    hubspot: { url: hubspotUrl, control: hubspot.control, app: hubspot.app },
    stop: async () => {
      await hubspot.app.close();
    },
  };
}
