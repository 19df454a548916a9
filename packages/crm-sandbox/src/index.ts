export { startSandbox, type Sandbox, type SandboxCrm, type SandboxOptions } from './sandbox.js';
export {
  createHubspotServer, defaultHubspotConfig,
  type HubspotControl, type HubspotOptions, type HubspotConfigPatch, type SandboxRecord,
} from './hubspot/server.js';
export { HUBSPOT_DEMO_APP, type HubspotConfig } from './hubspot/context.js';
export { signV3, type WebhookEvent, type WebhookConfig, type WebhookDelivery } from './hubspot/webhooks.js';
export type { RateLimitConfig } from './hubspot/rate-limiter.js';
export { createSalesforceServer, type SalesforceControl, type SalesforceOptions, type SalesforceConfig } from './salesforce/server.js';
export { SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET } from './salesforce/types.js';
export type { FaultRule } from './common/faults.js';
export type { ListViewDef, ListViewInput } from './salesforce/listviews.js';
export type { RequestLogEntry, RequestStats } from './common/request-log.js';
export type { MintedToken } from './common/tokens.js';
export {
  LATENCY_PROFILES, hubspotProfile, salesforceProfile, latencyQuantile, sizeFactor,
  type LatencyProfileName, type LatencySpec, type HubspotCallKind, type SalesforceCallKind, type BulkJobSpec,
} from './common/latency.js';
export { HUBSPOT_ACCOUNT_TYPES, type HubspotAccountType } from './hubspot/rate-limiter.js';
export { dailyApiAllocation, type SalesforceEdition } from './salesforce/types.js';
