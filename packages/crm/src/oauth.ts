import type { CrmOAuth } from './contract.js';
import { UnsupportedCrmError } from './errors.js';
import { hubspotOAuthFlow, type HubspotOAuthConfig } from './hubspot/hubspot.oauth.js';
import { salesforceOAuthFlow, type SalesforceOAuthConfig } from './salesforce/salesforce.oauth.js';

/** Each CRM's OAuth app as configured (client id and secret, redirect URI, endpoints). */
export interface CrmOAuthConfigs {
  hubspot: HubspotOAuthConfig;
  salesforce: SalesforceOAuthConfig;
}

/**
 * CRM kind → its OAuth (authorize URL, token URL, scopes, exchange, refresh, revoke), the one place the API asks.
 * `kind` is a string because it comes from stored data and requests.
 */
export function crmOAuth(kind: string, configs: CrmOAuthConfigs): CrmOAuth {
  switch (kind) {
    case 'hubspot':
      return hubspotOAuthFlow(configs.hubspot);
    case 'salesforce':
      return salesforceOAuthFlow(configs.salesforce);
    default:
      throw new UnsupportedCrmError(`Unsupported CRM: ${JSON.stringify(kind)}`);
  }
}
