export * from './contract.js';
export * from './errors.js';
export * from './consent.js';
export * from './lead-conversion.js';
export { chunk, writeInBatches, type Indexed, type BatchWriteOptions } from './batching.js';
export { normalizeDomain, normalizeEmail } from './normalize.js';
export { capabilitiesOf, createCrmAdapter, crmAccountName, crmLabel, dealSchemaOf, rateLimitsOf, type CreateCrmAdapterOptions } from './registry.js';
export { crmOAuth, type CrmOAuthConfigs } from './oauth.js';

export { HubspotAdapter, type HubspotAdapterOptions } from './hubspot/hubspot.adapter.js';
export * from './hubspot/hubspot.metadata.js';
export * from './hubspot/hubspot.oauth.js';
export { mapHubspotError } from './hubspot/hubspot.errors.js';

export { SalesforceAdapter, type SalesforceAdapterOptions } from './salesforce/salesforce.adapter.js';
export * from './salesforce/salesforce.metadata.js';
export * from './salesforce/salesforce.oauth.js';
export { mapSalesforceError, mapSalesforceOAuthError } from './salesforce/salesforce.errors.js';
export * from './hubspot/hubspot.webhooks.js';
