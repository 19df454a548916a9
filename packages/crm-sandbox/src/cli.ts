#!/usr/bin/env node
import { isLatencyProfile, LATENCY_PROFILES, type LatencyProfileName } from './common/latency.js';
import { parseAllowedRedirects } from './common/tokens.js';
import { HUBSPOT_DEMO_APP } from './hubspot/context.js';
import { SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET } from './salesforce/types.js';
import { startSandbox } from './sandbox.js';

/** Environment read once at boot into a typed config. */
interface CliConfig {
  host: string;
  hubspotPort: number;
  salesforcePort: number;
  seed: number;
  persistDir: string | undefined;
  publicHost: string | undefined;
  allowedRedirects: string[];
  profile: LatencyProfileName;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** The CLI is the sandbox people run by hand (`npm start`, `pnpm sandbox`, the benches): it answers like the real CRMs unless told otherwise. */
function profileFromEnv(): LatencyProfileName {
  const raw = process.env['CRM_SANDBOX_PROFILE'];
  if (raw === undefined || raw === '') return 'realistic';
  if (!isLatencyProfile(raw)) throw new Error(`CRM_SANDBOX_PROFILE must be one of ${LATENCY_PROFILES.join(', ')}, got "${raw}"`);
  return raw;
}

function readConfig(): CliConfig {
  return {
    host: process.env['SANDBOX_HOST'] || '127.0.0.1',
    hubspotPort: intFromEnv('HUBSPOT_PORT', 4010),
    salesforcePort: intFromEnv('SALESFORCE_PORT', 4020),
    seed: intFromEnv('SANDBOX_SEED', 1),
    persistDir: process.env['SANDBOX_PERSIST_DIR'] || undefined,
    publicHost: process.env['SANDBOX_PUBLIC_HOST'] || undefined,
    allowedRedirects: parseAllowedRedirects(process.env['SANDBOX_ALLOWED_REDIRECTS']),
    profile: profileFromEnv(),
  };
}

async function main(): Promise<void> {
  const config = readConfig();
  const sandbox = await startSandbox({
    host: config.host,
    hubspotPort: config.hubspotPort,
    salesforcePort: config.salesforcePort,
    seed: config.seed,
    profile: config.profile,
    ...(config.persistDir !== undefined ? { persistDir: config.persistDir } : {}),
    ...(config.publicHost !== undefined ? { publicHost: config.publicHost } : {}),
    hubspot: { allowedRedirects: config.allowedRedirects },
    salesforce: {
      allowedRedirects: config.allowedRedirects,
      ...(config.publicHost !== undefined ? { publicUrl: `http://${config.publicHost}:${config.salesforcePort}` } : {}),
    },
  });
  const lines = [
    `CRM sandbox (seed ${config.seed}${config.persistDir !== undefined ? `, state in ${config.persistDir}` : ', in memory'}; latency profile ${config.profile}, CRM_SANDBOX_PROFILE=instant|realistic|slow)`,
    `  HubSpot     ${sandbox.hubspot.url}   (portal ${sandbox.hubspot.control.portalId}; UI ${sandbox.hubspot.url}/__sandbox/ui)`,
    `              OAuth app: client_id ${HUBSPOT_DEMO_APP.clientId}  client_secret ${HUBSPOT_DEMO_APP.clientSecret}`,
    `              authorize: ${sandbox.hubspot.url}/oauth/authorize?client_id=${HUBSPOT_DEMO_APP.clientId}&redirect_uri=<http://localhost:...>&scope=<scopes>`,
    `  Salesforce  ${sandbox.salesforce.url}   (UI ${sandbox.salesforce.url}/__sandbox/ui; API version 62.0)`,
    `              OAuth app: client_id ${SALESFORCE_CLIENT_ID}  client_secret ${SALESFORCE_CLIENT_SECRET}`,
    `              authorize: ${sandbox.salesforce.url}/services/oauth2/authorize?response_type=code&client_id=${SALESFORCE_CLIENT_ID}&redirect_uri=<http://localhost:...>`,
    '  Redirect URIs: any http://localhost:* or http://127.0.0.1:* URL' + (config.allowedRedirects.length > 0 ? ` plus ${config.allowedRedirects.join(', ')}` : ''),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = (): void => {
    sandbox.stop().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`crm-sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
