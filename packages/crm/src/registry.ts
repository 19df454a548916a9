import type { CrmAdapter, CrmAdapterOptions, CrmCapabilities, CrmCredentials, CrmDealSchema, CrmRateLimits, RefreshCredentials } from './contract.js';
import { UnsupportedCrmError } from './errors.js';
import { HubspotAdapter } from './hubspot/hubspot.adapter.js';
import { HUBSPOT_DEALS } from './hubspot/hubspot.mapper.js';
import { HUBSPOT_CAPABILITIES, HUBSPOT_RATE_LIMITS, type HubspotEndpoints } from './hubspot/hubspot.metadata.js';
import { SalesforceAdapter } from './salesforce/salesforce.adapter.js';
import { SALESFORCE_DEALS } from './salesforce/salesforce.mapper.js';
import { SALESFORCE_CAPABILITIES, SALESFORCE_RATE_LIMITS, type SalesforceEndpoints } from './salesforce/salesforce.metadata.js';

export interface CreateCrmAdapterOptions extends CrmAdapterOptions {
  /** Called on an expired token, at most once per operation (see RefreshCredentials). */
  refresh: RefreshCredentials;
  hubspot?: { endpoints: HubspotEndpoints };
  salesforce?: { endpoints: SalesforceEndpoints; apiVersion?: string };
}

/** CRM kind → adapter. `kind` is a string because it comes from stored data and requests. */
export function createCrmAdapter(kind: string, credentials: CrmCredentials, options: CreateCrmAdapterOptions): CrmAdapter {
  const { refresh, hubspot, salesforce, ...common } = options;
  switch (kind) {
    case 'hubspot':
      return new HubspotAdapter(credentials, refresh, { ...common, ...(hubspot ? { endpoints: hubspot.endpoints } : {}) });
    case 'salesforce':
      return new SalesforceAdapter(credentials, refresh, {
        ...common,
        ...(salesforce ? { endpoints: salesforce.endpoints, ...(salesforce.apiVersion ? { apiVersion: salesforce.apiVersion } : {}) } : {}),
      });
    default:
      throw new UnsupportedCrmError(`Unsupported CRM: ${JSON.stringify(kind)}`);
  }
}

/** CRM kind → Conduit's request budgets for one connection (from that CRM's metadata). */
export function rateLimitsOf(kind: string): CrmRateLimits {
  switch (kind) {
    case 'hubspot':
      return HUBSPOT_RATE_LIMITS;
    case 'salesforce':
      return SALESFORCE_RATE_LIMITS;
    default:
      throw new UnsupportedCrmError(`Unsupported CRM: ${JSON.stringify(kind)}`);
  }
}

/** CRM kind → how its deals are read and mapped (the same schema its adapter's `deals` holds). */
export function dealSchemaOf(kind: string): CrmDealSchema {
  switch (kind) {
    case 'hubspot':
      return HUBSPOT_DEALS;
    case 'salesforce':
      return SALESFORCE_DEALS;
    default:
      throw new UnsupportedCrmError(`Unsupported CRM: ${JSON.stringify(kind)}`);
  }
}

/** CRM kind → what it does differently (the same capabilities its adapter holds), for code that has no adapter at hand. */
export function capabilitiesOf(kind: string): CrmCapabilities {
  switch (kind) {
    case 'hubspot':
      return HUBSPOT_CAPABILITIES;
    case 'salesforce':
      return SALESFORCE_CAPABILITIES;
    default:
      throw new UnsupportedCrmError(`Unsupported CRM: ${JSON.stringify(kind)}`);
  }
}

/** The CRM's name as people read it ('HubSpot', 'Salesforce'). */
export function crmLabel(kind: string): string {
  return capabilitiesOf(kind).label;
}

/**
 * The account as people read it, from what the CRM says of it: a Salesforce org by its name and the username that
 * connected it ('Northwind Demo Org (alex.morgan@northwind-demo.com)'; the org id only while its name is not known), a
 * HubSpot portal by its hub domain ('Portal 123' without one).
 */
export function crmAccountName(kind: string, account: { accountId: string; organizationName: string | null; username: string | null }): string {
  switch (kind) {
    case 'hubspot':
      return account.organizationName ?? `Portal ${account.accountId}`;
    case 'salesforce': {
      const org = account.organizationName ?? account.accountId;
      return account.username ? `${org} (${account.username})` : org;
    }
    default:
      throw new UnsupportedCrmError(`Unsupported CRM: ${JSON.stringify(kind)}`);
  }
}
