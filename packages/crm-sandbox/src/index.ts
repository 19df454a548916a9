export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export {
  createHubspotServer, defaultHubspotConfig,
  type HubspotControl, type HubspotOptions, type HubspotConfigPatch, type SandboxRecord,
} from './hubspot/server.js';
export { HUBSPOT_DEMO_APP, type HubspotConfig } from './hubspot/context.js';
export { signV3, type WebhookEvent, type WebhookConfig, type WebhookDelivery } from './hubspot/webhooks.js';
export type { RateLimitConfig } from './hubspot/rate-limiter.js';
export type { FaultRule } from './common/faults.js';
export type { RequestLogEntry, RequestStats } from './common/request-log.js';
export type { MintedToken } from './common/tokens.js';
// TODO(salesforce): export createSalesforceServer and its types once src/salesforce/server.ts exists.
