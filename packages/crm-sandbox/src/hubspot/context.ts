import type { TokenStore } from '../common/tokens.js';
import type { RateLimitConfig } from './rate-limiter.js';
import type { HubspotStore } from './store.js';
import type { WebhookConfig, WebhookDispatcher } from './webhooks.js';

/** The demo OAuth app (documented in the package README). */
export const HUBSPOT_DEMO_APP = {
  clientId: 'conduit-sandbox-hubspot',
  clientSecret: 'sandbox-hubspot-secret',
  appId: 1_234_567,
  name: 'Conduit (sandbox)',
} as const;

export interface HubspotConfig {
  /** Access token lifetime (HubSpot: 30 minutes). */
  accessTokenTtlSec: number;
  rateLimit: RateLimitConfig;
  /** Search does not see writes younger than this (HubSpot's index lags a few seconds). */
  searchLagMs: number;
  webhooks: WebhookConfig;
}

/** What every route module gets: the portal state and its collaborators. `store` is replaced on reset. */
export interface HubspotContext {
  readonly store: HubspotStore;
  readonly tokens: TokenStore;
  readonly config: HubspotConfig;
  readonly webhooks: WebhookDispatcher;
  readonly allowedRedirects: readonly string[];
}
