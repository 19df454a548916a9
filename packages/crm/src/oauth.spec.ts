import { describe, expect, it } from '@jest/globals';
import { UnsupportedCrmError } from './errors.js';
import { HUBSPOT_PRODUCTION, HUBSPOT_SCOPES, hubspotSandboxEndpoints } from './hubspot/hubspot.metadata.js';
import { crmOAuth, type CrmOAuthConfigs } from './oauth.js';
import { SALESFORCE_PRODUCTION, SALESFORCE_SCOPES, salesforceSandboxEndpoints } from './salesforce/salesforce.metadata.js';

const app = { clientId: 'client-1', clientSecret: 'secret-1' };
const production: CrmOAuthConfigs = {
  hubspot: { ...app, endpoints: HUBSPOT_PRODUCTION, redirectUri: 'https://conduit.test/api/connections/hubspot/callback' },
  salesforce: { ...app, endpoints: SALESFORCE_PRODUCTION, redirectUri: 'https://conduit.test/api/connections/salesforce/callback' },
};
const sandbox: CrmOAuthConfigs = {
  hubspot: { ...production.hubspot, endpoints: hubspotSandboxEndpoints('http://127.0.0.1:4010/') },
  salesforce: { ...production.salesforce, endpoints: salesforceSandboxEndpoints('http://127.0.0.1:4020/') },
};

describe('crmOAuth', () => {
  it('names each CRM\'s authorize and token URLs from its endpoints', () => {
    expect(crmOAuth('hubspot', production).urls).toEqual({ authorize: 'https://app.hubspot.com/oauth/authorize', token: 'https://api.hubapi.com/oauth/v1/token' });
    expect(crmOAuth('salesforce', production).urls).toEqual({
      authorize: 'https://login.salesforce.com/services/oauth2/authorize',
      token: 'https://login.salesforce.com/services/oauth2/token',
    });
    expect(crmOAuth('hubspot', sandbox).urls.token).toBe('http://127.0.0.1:4010/oauth/v1/token');
    expect(crmOAuth('salesforce', sandbox).urls.authorize).toBe('http://127.0.0.1:4020/services/oauth2/authorize');
  });

  it('asks for the CRM\'s scopes unless the configuration names others', () => {
    expect(crmOAuth('hubspot', production).scopes).toEqual(HUBSPOT_SCOPES);
    expect(crmOAuth('salesforce', production).scopes).toEqual(SALESFORCE_SCOPES);
    expect(crmOAuth('salesforce', { ...production, salesforce: { ...production.salesforce, scopes: ['api'] } }).scopes).toEqual(['api']);
  });

  it.each(['hubspot', 'salesforce'] as const)('builds the %s consent page with the state, client, redirect and scopes', (kind) => {
    const oauth = crmOAuth(kind, sandbox);
    expect(oauth.kind).toBe(kind);
    const url = new URL(oauth.authorizeUrl('state-1'));
    expect(url.origin + url.pathname).toBe(oauth.urls.authorize);
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('client_id')).toBe('client-1');
    expect(url.searchParams.get('redirect_uri')).toBe(sandbox[kind].redirectUri);
    expect(url.searchParams.get('scope')).toBe(oauth.scopes.join(' '));
  });

  it.each(['pipedrive', '', 'HubSpot'])('throws UnsupportedCrmError for %j', (kind) => {
    expect(() => crmOAuth(kind, production)).toThrow(UnsupportedCrmError);
  });
});
