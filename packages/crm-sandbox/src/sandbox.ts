import type { FastifyInstance } from 'fastify';
import type { LatencyProfileName } from './common/latency.js';
import { createHubspotServer, type HubspotControl, type HubspotOptions } from './hubspot/server.js';
import { createSalesforceServer, type SalesforceControl, type SalesforceOptions } from './salesforce/server.js';

export interface SandboxOptions {
  host?: string;
  /** 0 = a random free port (tests always pass 0). Default 4010. */
  hubspotPort?: number;
  /** 0 = a random free port. Default 4020. */
  salesforcePort?: number;
  /** Seed for demo data and fault injection (default 1). */
  seed?: number;
  /** Directory for JSON state files (hubspot.json, salesforce.json); memory only when unset. */
  persistDir?: string;
  /** Host name put in the returned URLs when it differs from the bind host (e.g. in a container). */
  publicHost?: string;
  /**
   * Latency profile of both CRMs (default 'instant', what tests want; `npm start` and the benches use 'realistic').
   * A CRM's own `latencyProfile` wins. Switch at run time with `control.setLatencyProfile` or PUT /__sandbox/latency.
   */
  profile?: LatencyProfileName;
  hubspot?: HubspotOptions;
  salesforce?: SalesforceOptions;
}

export interface SandboxCrm<C> {
  url: string;
  control: C;
  app: FastifyInstance;
}

export interface Sandbox {
  hubspot: SandboxCrm<HubspotControl>;
  salesforce: SandboxCrm<SalesforceControl>;
  stop(): Promise<void>;
}

async function listen(app: FastifyInstance, host: string, port: number, publicHost: string | undefined): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  return `http://${publicHost ?? host}:${actualPort}`;
}

/** Start both sandbox CRMs, each on its own origin (jsforce's Bulk 2.0 needs Salesforce at an origin's root). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const persist = options.persistDir !== undefined ? { persistDir: options.persistDir } : {};
  const started: FastifyInstance[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(started.map((app) => app.close()));
  };
  try {
    const latency = options.profile !== undefined ? { latencyProfile: options.profile } : {};
    const hubspot = await createHubspotServer({ seed, ...persist, ...latency, ...options.hubspot });
    started.push(hubspot.app);
    const hubspotUrl = await listen(hubspot.app, host, options.hubspotPort ?? 4010, options.publicHost);

    const salesforce = await createSalesforceServer({ seed, ...persist, ...latency, ...options.salesforce });
    started.push(salesforce.app);
    const salesforceUrl = await listen(salesforce.app, host, options.salesforcePort ?? 4020, options.publicHost);

    return {
      hubspot: { url: hubspotUrl, control: hubspot.control, app: hubspot.app },
      salesforce: { url: salesforceUrl, control: salesforce.control, app: salesforce.app },
      stop: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
