/**
 * Salesforce OAuth transport (jsforce OAuth2): authorize URL, code exchange (+ identity: org and
 * user), refresh, revoke. State, storage, encryption and single-flight belong to the API.
 */
import type { Connection, OAuth2 } from 'jsforce';
import { jsforce } from './jsforce.js';
import type { CrmOAuth } from '../contract.js';
import { CrmError } from '../errors.js';
import { crmAccountName } from '../registry.js';
import { mapSalesforceError, mapSalesforceOAuthError } from './salesforce.errors.js';
import { SALESFORCE_API_VERSION, SALESFORCE_SCOPES, type SalesforceEndpoints, salesforceOAuthUrls } from './salesforce.metadata.js';

export interface SalesforceOAuthConfig {
  endpoints: SalesforceEndpoints;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes?: readonly string[];
  apiVersion?: string;
}

export interface SalesforceTokenSet {
  accessToken: string;
  /** Refresh answers usually carry no new refresh token: keep the stored one then. */
  refreshToken: string | null;
  instanceUrl: string;
  /** Identity URL: {loginUrl}/id/{orgId}/{userId}. */
  identityUrl: string;
  issuedAt: string | null;
}

export interface SalesforceConnectedAccount extends SalesforceTokenSet {
  organizationId: string;
  /** The org's Name (Organization, one row); null when it could not be read. */
  organizationName: string | null;
  userId: string;
  username: string | null;
  displayName: string | null;
  email: string | null;
  scopes: string[];
}

interface TokenResponseLike {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  id: string;
  issued_at?: string;
  scope?: string;
}

function oauth2(cfg: SalesforceOAuthConfig): OAuth2 {
  return new jsforce.OAuth2({ loginUrl: cfg.endpoints.loginUrl, clientId: cfg.clientId, clientSecret: cfg.clientSecret, redirectUri: cfg.redirectUri });
}

/**
 * Salesforce's OAuth behind the contract: the account is the org (named with the consenting user's username), the
 * tokens carry the instance URL and no lifetime (an expired session is noticed as a 401).
 */
export function salesforceOAuthFlow(cfg: SalesforceOAuthConfig): CrmOAuth {
  const urls = salesforceOAuthUrls(cfg.endpoints);
  return {
    kind: 'salesforce',
    urls: { authorize: urls.authorize, token: urls.token },
    scopes: cfg.scopes ?? SALESFORCE_SCOPES,
    authorizeUrl: (state) => salesforceAuthorizeUrl(cfg, state),
    async exchange(code) {
      const a = await exchangeSalesforceCode(cfg, code);
      return {
        accountId: a.organizationId,
        accountName: crmAccountName('salesforce', { accountId: a.organizationId, organizationName: a.organizationName, username: a.username }),
        organizationName: a.organizationName,
        username: a.username,
        instanceUrl: a.instanceUrl,
        scopes: a.scopes,
        tokens: { accessToken: a.accessToken, refreshToken: a.refreshToken, expiresAt: null },
      };
    },
    async refresh(refreshToken) {
      const t = await refreshSalesforceToken(cfg, refreshToken);
      return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: null, instanceUrl: t.instanceUrl };
    },
    revoke: (refreshToken) => revokeSalesforceToken(cfg, refreshToken),
  };
}

/** jsforce builds it from loginUrl, so it follows configuration (sandbox or login/test.salesforce.com). */
export function salesforceAuthorizeUrl(cfg: SalesforceOAuthConfig, state: string): string {
  return oauth2(cfg).getAuthorizationUrl({ scope: (cfg.scopes ?? SALESFORCE_SCOPES).join(' '), state });
}

export async function exchangeSalesforceCode(cfg: SalesforceOAuthConfig, code: string): Promise<SalesforceConnectedAccount> {
  let res: TokenResponseLike;
  try {
    res = await oauth2(cfg).requestToken(code);
  } catch (e) {
    throw mapSalesforceOAuthError(e);
  }
  const tokens = toTokenSet(res);
  // The identity URL (ids in its path) is read with the new token in a header, not in the query string.
  const m = /\/id\/([^/]+)\/([^/?]+)/.exec(tokens.identityUrl);
  const conn = new jsforce.Connection({ instanceUrl: tokens.instanceUrl, accessToken: tokens.accessToken, version: cfg.apiVersion ?? SALESFORCE_API_VERSION });
  let identity: { organization_id?: string; user_id?: string; username?: string; display_name?: string; email?: string };
  try {
    identity = await conn.request({ method: 'GET', url: tokens.identityUrl, headers: { Accept: 'application/json' } });
  } catch (e) {
    throw mapSalesforceError(e) ?? e;
  }
  const organizationId = identity.organization_id ?? m?.[1];
  const userId = identity.user_id ?? m?.[2];
  if (!organizationId || !userId) throw new CrmError({ kind: 'transient', cause: 'server_error' }, { crm: 'salesforce', message: 'Salesforce identity did not name the org and user' });
  return {
    ...tokens,
    organizationId,
    organizationName: await readOrganizationName(conn),
    userId,
    username: identity.username ?? null,
    displayName: identity.display_name ?? null,
    email: identity.email ?? null,
    scopes: res.scope ? res.scope.split(' ') : [...(cfg.scopes ?? SALESFORCE_SCOPES)],
  };
}

/**
 * The org's Name, which people know it by (the identity names only its id). Only a label: an org that does not answer
 * keeps the connect going, named by its id until field discovery reads the name (SalesforceAdapter.readOrganizationName).
 */
async function readOrganizationName(conn: Connection): Promise<string | null> {
  try {
    const res = await conn.query<{ Name?: unknown }>('SELECT Name FROM Organization');
    const name = res.records[0]?.Name;
    return typeof name === 'string' && name.trim() !== '' ? name : null;
  } catch {
    return null;
  }
}

/** invalid_grant (revoked/expired refresh token) → CrmError auth_revoked ("needs reconnect"). */
export async function refreshSalesforceToken(cfg: SalesforceOAuthConfig, refreshToken: string): Promise<SalesforceTokenSet> {
  try {
    return toTokenSet(await oauth2(cfg).refreshToken(refreshToken));
  } catch (e) {
    throw mapSalesforceOAuthError(e);
  }
}

/** Revokes the refresh token (and with it the access tokens issued from it). */
export async function revokeSalesforceToken(cfg: SalesforceOAuthConfig, token: string): Promise<void> {
  try {
    await oauth2(cfg).revokeToken(token);
  } catch (e) {
    const mapped = mapSalesforceOAuthError(e);
    // Already invalid: nothing left to revoke.
    if (mapped.kind === 'auth_revoked' || mapped.kind === 'validation') return;
    throw mapped;
  }
}

function toTokenSet(r: TokenResponseLike): SalesforceTokenSet {
  const issued = r.issued_at ? Number(r.issued_at) : NaN;
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token ?? null,
    instanceUrl: r.instance_url,
    identityUrl: r.id,
    issuedAt: Number.isFinite(issued) ? new Date(issued).toISOString() : null,
  };
}
