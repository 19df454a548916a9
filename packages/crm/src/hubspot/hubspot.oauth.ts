/**
 * HubSpot OAuth transport: authorize URL, code exchange, refresh, revoke. The API's connection
 * service owns state, storage, encryption and single-flight; these only talk to HubSpot.
 */
import type { CrmOAuth } from '../contract.js';
import { CrmError } from '../errors.js';
import { crmAccountName } from '../registry.js';
import { createHubspotClient } from './hubspot.adapter.js';
import { isApiException, mapHubspotError } from './hubspot.errors.js';
import { HUBSPOT_SCOPES, type HubspotEndpoints, hubspotOAuthUrls } from './hubspot.metadata.js';

export interface HubspotOAuthConfig {
  endpoints: HubspotEndpoints;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes?: readonly string[];
  optionalScopes?: readonly string[];
}

export interface HubspotTokenSet {
  accessToken: string;
  refreshToken: string;
  /** ISO time the access token expires. */
  expiresAt: string;
  tokenType: string;
}

export interface HubspotConnectedAccount extends HubspotTokenSet {
  /** The portal (hub) id: the account Conduit is connected to. */
  portalId: string;
  hubDomain: string | null;
  /** Email of the user who consented. */
  user: string | null;
  userId: string | null;
  scopes: string[];
}

/** HubSpot's OAuth behind the contract: the account is the portal, named by its hub domain; tokens live 30 minutes. */
export function hubspotOAuthFlow(cfg: HubspotOAuthConfig): CrmOAuth {
  const urls = hubspotOAuthUrls(cfg.endpoints);
  return {
    kind: 'hubspot',
    urls: { authorize: urls.authorize, token: urls.token },
    scopes: cfg.scopes ?? HUBSPOT_SCOPES,
    authorizeUrl: (state) => hubspotAuthorizeUrl(cfg, state),
    async exchange(code) {
      const a = await exchangeHubspotCode(cfg, code);
      return {
        accountId: a.portalId,
        accountName: crmAccountName('hubspot', { accountId: a.portalId, organizationName: a.hubDomain, username: a.user }),
        organizationName: a.hubDomain,
        username: a.user,
        instanceUrl: null,
        scopes: a.scopes,
        tokens: { accessToken: a.accessToken, refreshToken: a.refreshToken, expiresAt: new Date(a.expiresAt) },
      };
    },
    async refresh(refreshToken) {
      const t = await refreshHubspotToken(cfg, refreshToken);
      return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: new Date(t.expiresAt) };
    },
    revoke: (refreshToken) => revokeHubspotToken(cfg, refreshToken),
  };
}

/** Built from configuration: the SDK's getAuthorizationUrl always points at app.hubspot.com. */
export function hubspotAuthorizeUrl(cfg: HubspotOAuthConfig, state: string): string {
  const url = new URL(cfg.endpoints.authorizeUrl);
  url.searchParams.set('client_id', cfg.clientId);
  url.searchParams.set('redirect_uri', cfg.redirectUri);
  url.searchParams.set('scope', (cfg.scopes ?? HUBSPOT_SCOPES).join(' '));
  if (cfg.optionalScopes && cfg.optionalScopes.length > 0) url.searchParams.set('optional_scope', cfg.optionalScopes.join(' '));
  url.searchParams.set('state', state);
  return url.toString();
}

/** Exchanges the callback's code for tokens, then reads the token's portal and user. */
export async function exchangeHubspotCode(cfg: HubspotOAuthConfig, code: string): Promise<HubspotConnectedAccount> {
  const client = createHubspotClient(cfg.endpoints.apiBaseUrl);
  const tokens = await tokenCall(() => client.oauth.tokensApi.create('authorization_code', code, cfg.redirectUri, cfg.clientId, cfg.clientSecret));
  const info = await tokenCall(() => client.oauth.accessTokensApi.get(tokens.accessToken));
  return {
    ...toTokenSet(tokens),
    portalId: String(info.hubId),
    hubDomain: info.hubDomain ?? null,
    user: info.user ?? null,
    userId: info.userId === undefined || info.userId === null ? null : String(info.userId),
    scopes: info.scopes ?? [],
  };
}

/** A refresh token that HubSpot no longer knows → CrmError auth_revoked ("needs reconnect"). */
export async function refreshHubspotToken(cfg: HubspotOAuthConfig, refreshToken: string): Promise<HubspotTokenSet> {
  const client = createHubspotClient(cfg.endpoints.apiBaseUrl);
  const tokens = await tokenCall(() => client.oauth.tokensApi.create('refresh_token', undefined, cfg.redirectUri, cfg.clientId, cfg.clientSecret, refreshToken));
  return toTokenSet(tokens);
}

/** Deletes the refresh token (HubSpot's way to disconnect). Already gone counts as revoked. */
export async function revokeHubspotToken(cfg: HubspotOAuthConfig, refreshToken: string): Promise<void> {
  const client = createHubspotClient(cfg.endpoints.apiBaseUrl);
  try {
    await tokenCall(() => client.oauth.refreshTokensApi.archive(refreshToken));
  } catch (e) {
    if (e instanceof CrmError && (e.kind === 'not_found' || e.kind === 'auth_revoked')) return;
    throw e;
  }
}

function toTokenSet(t: { accessToken: string; refreshToken: string; expiresIn: number; tokenType: string }): HubspotTokenSet {
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: new Date(Date.now() + t.expiresIn * 1000).toISOString(),
    tokenType: t.tokenType,
  };
}

/** Token endpoint answers 400 BAD_AUTH_CODE / BAD_REFRESH_TOKEN (invalid_grant) for codes and tokens that are no good. */
async function tokenCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isApiException(e) && (e.code === 400 || e.code === 401)) {
      const mapped = mapHubspotError(e);
      throw new CrmError({ kind: 'auth_revoked' }, { crm: 'hubspot', message: mapped?.message ?? 'HubSpot refused the grant', status: e.code, ...(mapped?.crmCode ? { crmCode: mapped.crmCode } : {}), cause: e });
    }
    throw mapHubspotError(e) ?? e;
  }
}
