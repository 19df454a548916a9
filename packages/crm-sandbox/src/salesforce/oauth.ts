import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml, htmlPage } from '../common/control.js';
import { isAllowedRedirect, type AccessTokenRecord } from '../common/tokens.js';
import { headerValue, isObject, originOf, queryParam } from './http.js';
import type { SalesforceOrg } from './org.js';
import { LATEST_API_VERSION, SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET } from './types.js';

const APP_NAME = 'Conduit (sandbox connected app)';
const SCOPE_LABELS: Record<string, string> = {
  api: 'Access and manage your data (api)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  offline_access: 'Perform requests at any time (refresh_token, offline_access)',
  id: 'Access your basic information (id, profile, email, address, phone)',
  full: 'Full access (full)',
  openid: 'Access unique user identifiers (openid)',
  web: 'Provide access to your data via the Web (web)',
};

type Form = Record<string, string>;

function formOf(request: FastifyRequest): Form {
  const out: Form = {};
  const sources = [request.query, request.body];
  for (const src of sources) {
    if (!isObject(src)) continue;
    for (const [k, v] of Object.entries(src)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function tokenError(reply: FastifyReply, error: string, description: string, status = 400): FastifyReply {
  return reply.code(status).type('application/json').send({ error, error_description: description });
}

function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** Bearer header or ?oauth_token= (jsforce's identity() sends both). */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = headerValue(request, 'authorization');
  if (header !== undefined) {
    const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
    if (m !== null) return m[1];
  }
  return queryParam(request, 'oauth_token');
}

export function registerOAuthRoutes(app: FastifyInstance, org: SalesforceOrg): void {
  const identityUrl = (request: FastifyRequest, userId: string): string => `${originOf(request, org.config.publicUrl)}/id/${org.orgId}/${userId}`;

  const tokenResponse = (request: FastifyRequest, accessToken: string, issuedAt: number, userId: string, scopes: string[], refreshToken?: string): Record<string, unknown> => {
    const id = identityUrl(request, userId);
    const issued = String(issuedAt);
    const signature = createHmac('sha256', SALESFORCE_CLIENT_SECRET).update(id + issued).digest('base64');
    return {
      access_token: accessToken,
      ...(refreshToken !== undefined ? { refresh_token: refreshToken } : {}),
      signature,
      scope: scopes.join(' '),
      instance_url: originOf(request, org.config.publicUrl),
      id,
      token_type: 'Bearer',
      issued_at: issued,
    };
  };

  const validRedirect = (uri: string | undefined): uri is string => uri !== undefined && isAllowedRedirect(uri, org.config.allowedRedirects);

  // Authorize page: shows the app and scopes with Approve / Deny.
  app.get('/services/oauth2/authorize', async (request, reply) => {
    const q = formOf(request);
    if (q['client_id'] !== SALESFORCE_CLIENT_ID) {
      return reply.code(400).type('text/html').send(htmlPage('OAuth error', `<h1>error=invalid_client_id</h1><p>client identifier invalid</p>`));
    }
    if (!validRedirect(q['redirect_uri'])) {
      return reply.code(400).type('text/html').send(htmlPage('OAuth error', `<h1>error=redirect_uri_mismatch</h1><p>redirect_uri must match configuration</p>`));
    }
    if (q['response_type'] !== 'code') {
      return reply.redirect(redirectWith(q['redirect_uri'], { error: 'unsupported_response_type', error_description: 'response type not supported', state: q['state'] }), 302);
    }
    const scopes = (q['scope'] ?? 'api refresh_token id').split(/[\s+]+/).filter((s) => s !== '');
    const users = [...org.store.rows('User')].filter((u) => u['IsActive'] === true);
    const hidden = ['client_id', 'redirect_uri', 'state', 'scope', 'code_challenge']
      .filter((k) => q[k] !== undefined)
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k])}">`)
      .join('');
    const body = `<h1>Allow Access?</h1>
<p><strong>${escapeHtml(APP_NAME)}</strong> is asking to:</p>
<ul>${scopes.map((s) => `<li>${escapeHtml(SCOPE_LABELS[s] ?? s)}</li>`).join('')}</ul>
<form method="post" action="/services/oauth2/authorize">${hidden}
<p><label>Log in as <select name="user_id">${users.map((u) => `<option value="${escapeHtml(String(u['Id']))}">${escapeHtml(String(u['Name']))} (${escapeHtml(String(u['Username']))})</option>`).join('')}</select></label></p>
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p class="muted">Salesforce sandbox — org ${escapeHtml(org.orgId)}</p>`;
    return reply.type('text/html').send(htmlPage('Salesforce — Allow Access?', body));
  });

  app.post('/services/oauth2/authorize', async (request, reply) => {
    const f = formOf(request);
    if (f['client_id'] !== SALESFORCE_CLIENT_ID || !validRedirect(f['redirect_uri'])) {
      return reply.code(400).type('text/html').send(htmlPage('OAuth error', '<h1>error=invalid_request</h1>'));
    }
    if (f['decision'] !== 'approve') {
      return reply.redirect(redirectWith(f['redirect_uri'], { error: 'access_denied', error_description: 'end-user denied authorization', state: f['state'] }), 302);
    }
    const userId = f['user_id'] !== undefined && org.store.get('User', f['user_id'])?.['IsActive'] === true ? f['user_id'] : org.seedSummary.defaultUserId;
    const scopes = (f['scope'] ?? 'api refresh_token id').split(/[\s+]+/).filter((s) => s !== '');
    const code = org.tokens.issueCode({ clientId: SALESFORCE_CLIENT_ID, redirectUri: f['redirect_uri'], scopes, userId });
    return reply.redirect(redirectWith(f['redirect_uri'], { code, state: f['state'] }), 302);
  });

  app.post('/services/oauth2/token', async (request, reply) => {
    const f = formOf(request);
    // Client credentials may also come as HTTP Basic (client_id:client_secret), as OAuth 2.0 allows.
    const basic = /^Basic\s+(.+)$/i.exec(headerValue(request, 'authorization') ?? '');
    if (basic !== null) {
      const [id, ...secret] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':');
      f['client_id'] ??= decodeURIComponent(id ?? '');
      f['client_secret'] ??= decodeURIComponent(secret.join(':'));
    }
    const grant = f['grant_type'];
    if (f['client_id'] !== SALESFORCE_CLIENT_ID) return tokenError(reply, 'invalid_client_id', 'client identifier invalid');
    if (grant === 'authorization_code') {
      if (f['client_secret'] !== SALESFORCE_CLIENT_SECRET) return tokenError(reply, 'invalid_client', 'invalid client credentials');
      const code = org.tokens.redeemCode(f['code'] ?? '');
      if (code === undefined) return tokenError(reply, 'invalid_grant', 'invalid authorization code');
      if (code.redirectUri !== f['redirect_uri']) return tokenError(reply, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      const userId = code.userId ?? org.seedSummary.defaultUserId;
      const minted = org.tokens.mint({ clientId: SALESFORCE_CLIENT_ID, scopes: code.scopes, userId });
      const offline = code.scopes.includes('refresh_token') || code.scopes.includes('offline_access') || code.scopes.includes('full');
      return tokenResponse(request, minted.accessToken, minted.issuedAt, userId, code.scopes, offline ? minted.refreshToken : undefined);
    }
    if (grant === 'refresh_token') {
      if (f['client_secret'] !== undefined && f['client_secret'] !== SALESFORCE_CLIENT_SECRET) return tokenError(reply, 'invalid_client', 'invalid client credentials');
      const minted = org.tokens.refresh(f['refresh_token'] ?? '', SALESFORCE_CLIENT_ID);
      if (minted === undefined) return tokenError(reply, 'invalid_grant', 'expired access/refresh token');
      // Salesforce does not rotate refresh tokens: the response carries none.
      return tokenResponse(request, minted.accessToken, minted.issuedAt, minted.userId ?? org.seedSummary.defaultUserId, minted.scopes);
    }
    return tokenError(reply, 'unsupported_grant_type', 'grant type not supported');
  });

  const revoke = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const token = formOf(request)['token'] ?? '';
    const done = org.tokens.revokeRefresh(token) || org.tokens.revokeAccess(token);
    // The revoke endpoint answers errors form-encoded (jsforce parses them with querystring).
    if (!done) return reply.code(400).type('application/x-www-form-urlencoded').send('error=unsupported_token_type&error_description=this+token+type+is+not+supported');
    return reply.code(200).send();
  };
  app.post('/services/oauth2/revoke', revoke);
  app.get('/services/oauth2/revoke', revoke);

  const checkToken = (request: FastifyRequest): AccessTokenRecord | undefined => {
    const check = org.tokens.check(bearerToken(request));
    return check.ok ? check.token : undefined;
  };

  const identity = (request: FastifyRequest, userId: string): Record<string, unknown> | undefined => {
    const user = org.store.get('User', userId);
    if (user === undefined) return undefined;
    const origin = originOf(request, org.config.publicUrl);
    const v = LATEST_API_VERSION;
    const rest = `${origin}/services/data/v{version}/`;
    return {
      id: identityUrl(request, userId), asserted_user: true, user_id: userId, organization_id: org.orgId,
      username: user['Username'], nick_name: String(user['Alias'] ?? ''), display_name: user['Name'], email: user['Email'], email_verified: true,
      first_name: user['FirstName'], last_name: user['LastName'], timezone: user['TimeZoneSidKey'], photos: { picture: `${origin}/img/userprofile/default_profile_200_v2.png`, thumbnail: `${origin}/img/userprofile/default_profile_45_v2.png` },
      addr_street: null, addr_city: null, addr_state: null, addr_country: null, addr_zip: null, mobile_phone: null, mobile_phone_verified: false, is_lightning_login_user: false,
      status: { created_date: null, body: null },
      urls: {
        enterprise: `${origin}/services/Soap/c/{version}/${org.orgId}`, metadata: `${origin}/services/Soap/m/{version}/${org.orgId}`, partner: `${origin}/services/Soap/u/{version}/${org.orgId}`,
        rest, sobjects: `${rest}sobjects/`, search: `${rest}search/`, query: `${rest}query/`, recent: `${rest}recent/`, tooling_rest: `${rest}tooling/`,
        profile: `${origin}/${userId}`, feeds: `${rest}chatter/feeds`, groups: `${rest}chatter/groups`, users: `${rest}chatter/users`, feed_items: `${rest}chatter/feed-items`,
        custom_domain: origin,
      },
      active: user['IsActive'], user_type: 'STANDARD', language: 'en_US', locale: 'en_US', utcOffset: -28800000, last_modified_date: user['LastModifiedDate'],
      is_app_installed: true, api_version: v,
    };
  };

  // Identity URL: a bad or expired token gets 403 Bad_OAuth_Token (text), as on login.salesforce.com.
  app.get('/id/:orgId/:userId', async (request, reply) => {
    const token = checkToken(request);
    if (token === undefined) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    const { orgId, userId } = request.params as Record<string, string>;
    if (orgId !== org.orgId) return reply.code(404).type('text/plain').send('Bad_Id');
    const body = identity(request, userId ?? '');
    if (body === undefined) return reply.code(404).type('text/plain').send('Bad_Id');
    return body;
  });

  app.get('/services/oauth2/userinfo', async (request, reply) => {
    const token = checkToken(request);
    if (token === undefined) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    const body = identity(request, token.userId ?? org.seedSummary.defaultUserId);
    if (body === undefined) return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    return {
      sub: body['id'], user_id: body['user_id'], organization_id: body['organization_id'], preferred_username: body['username'], nickname: body['nick_name'],
      name: body['display_name'], email: body['email'], email_verified: true, given_name: body['first_name'], family_name: body['last_name'],
      zoneinfo: body['timezone'], photos: body['photos'], profile: (body['urls'] as Record<string, string>)['profile'], picture: (body['photos'] as Record<string, string>)['picture'],
      address: {}, is_salesforce_integration_user: false, urls: body['urls'], active: body['active'], user_type: 'STANDARD', language: 'en_US', locale: 'en_US',
      utcOffset: -28800000, updated_at: body['last_modified_date'], is_app_installed: true,
    };
  });
}
