import type { CrmKind } from '@conduit/contracts';
import {
  crmOAuth,
  type CrmOAuth,
  HUBSPOT_PRODUCTION,
  hubspotRecordUrl,
  hubspotSandboxEndpoints,
  salesforceRecordUrl,
  salesforceSandboxEndpoints,
  type CrmObjectType,
  type CreateCrmAdapterOptions,
  type HubspotEndpoints,
  type HubspotOAuthConfig,
  type SalesforceEndpoints,
  type SalesforceOAuthConfig,
} from '@conduit/crm';
import type { AppConfig } from '../config/app-config.js';

/** The real HubSpot API host; any other base URL is a CRM sandbox (dev default, tests). */
export function hubspotEndpoints(config: AppConfig): HubspotEndpoints {
  const base = config.crm.hubspot.baseUrl.replace(/\/+$/, '');
  return new URL(base).hostname === 'api.hubapi.com' ? HUBSPOT_PRODUCTION : hubspotSandboxEndpoints(base);
}

/** login.salesforce.com / test.salesforce.com (or a My Domain) are real; anything else is the sandbox. */
export function salesforceEndpoints(config: AppConfig): SalesforceEndpoints {
  const base = config.crm.salesforce.loginUrl.replace(/\/+$/, '');
  return new URL(base).hostname.endsWith('.salesforce.com') ? { loginUrl: base, sandbox: false } : salesforceSandboxEndpoints(base);
}

/** The page of a CRM record in the CRM's own UI (HubSpot portal, Salesforce instance). */
export function crmRecordUrl(config: AppConfig, connection: { crm: CrmKind; accountId: string; instanceUrl: string | null }, object: CrmObjectType, id: string): string {
  return connection.crm === 'hubspot'
    ? hubspotRecordUrl(hubspotEndpoints(config), connection.accountId, object, id)
    : salesforceRecordUrl(salesforceEndpoints(config), connection.instanceUrl ?? config.crm.salesforce.loginUrl, object, id);
}

/** Where the CRM sends the browser back: through the admin's /api proxy, so the session cookie comes along. */
export function redirectUri(config: AppConfig, crm: CrmKind): string {
  return `${config.crm.oauthRedirectBase}/api/connections/${crm}/callback`;
}

export function hubspotOAuth(config: AppConfig): HubspotOAuthConfig {
  return {
    endpoints: hubspotEndpoints(config),
    clientId: config.crm.hubspot.clientId,
    clientSecret: config.crm.hubspot.clientSecret.reveal(),
    redirectUri: redirectUri(config, 'hubspot'),
  };
}

export function salesforceOAuth(config: AppConfig): SalesforceOAuthConfig {
  return {
    endpoints: salesforceEndpoints(config),
    clientId: config.crm.salesforce.clientId,
    clientSecret: config.crm.salesforce.clientSecret.reveal(),
    redirectUri: redirectUri(config, 'salesforce'),
  };
}

/** The CRM's OAuth (authorize URL, token URL, scopes, exchange, refresh, revoke) with this instance's apps. */
export function oauthOf(config: AppConfig, crm: string): CrmOAuth {
  return crmOAuth(crm, { hubspot: hubspotOAuth(config), salesforce: salesforceOAuth(config) });
}

/** Adapter options shared by every adapter the API builds. */
export function adapterEndpoints(config: AppConfig): Pick<CreateCrmAdapterOptions, 'hubspot' | 'salesforce'> {
  return { hubspot: { endpoints: hubspotEndpoints(config) }, salesforce: { endpoints: salesforceEndpoints(config) } };
}
