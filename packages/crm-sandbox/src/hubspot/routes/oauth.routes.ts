import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { escapeHtml, htmlPage } from '../../common/control.js';
import { isAllowedRedirect } from '../../common/tokens.js';
import { HUBSPOT_DEMO_APP, type HubspotContext } from '../context.js';

type Form = Record<string, unknown>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** HubSpot's OAuth error body: `status` carries the error code. */
function oauthError(reply: FastifyReply, status: string, message: string, code = 400): FastifyReply {
  return reply.code(code).type('application/json').send({ status, message, correlationId: randomUUID(), requestId: randomUUID() });
}

export function hubspotUserEmail(): string {
  return 'sarah.connor@conduit-demo.example';
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const scopesOf = (value: unknown): string[] => (str(value) ?? '').split(/[\s+]+/).filter((s) => s !== '');

  app.get<{ Querystring: Form }>('/oauth/authorize', async (request, reply) => {
    const q = request.query;
    const clientId = str(q['client_id']);
    const redirectUri = str(q['redirect_uri']);
    // Never redirect to an unchecked URI: bad client or redirect is an error page.
    if (clientId !== HUBSPOT_DEMO_APP.clientId) {
      return reply.code(400).type('text/html').send(htmlPage('Authorization error', `<h1>Authorization error</h1><p>Unknown client_id <code>${escapeHtml(clientId ?? '')}</code>.</p>`));
    }
    if (redirectUri === undefined || !isAllowedRedirect(redirectUri, ctx.allowedRedirects)) {
      return reply.code(400).type('text/html').send(htmlPage('Authorization error', `<h1>Authorization error</h1><p>redirect_uri <code>${escapeHtml(redirectUri ?? '')}</code> is not allowed for this app.</p>`));
    }
    const scopes = [...scopesOf(q['scope']), ...scopesOf(q['optional_scope'])];
    const state = str(q['state']) ?? '';
    const hidden = (name: string, value: string): string => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    const fields = hidden('client_id', clientId) + hidden('redirect_uri', redirectUri) + hidden('scope', scopes.join(' ')) + hidden('state', state);
    const body = `<h1>${escapeHtml(HUBSPOT_DEMO_APP.name)} wants to connect to HubSpot portal ${ctx.store.portalId}</h1>
<p class="muted">Signed in as ${escapeHtml(hubspotUserEmail())} (sandbox)</p>
<p>The app is requesting:</p><ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
<form method="post" action="/oauth/authorize/decision">${fields}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`;
    return reply.type('text/html').send(htmlPage(`Connect ${HUBSPOT_DEMO_APP.name}`, body));
  });

  app.post<{ Body: Form }>('/oauth/authorize/decision', async (request, reply) => {
    const form = request.body ?? {};
    const clientId = str(form['client_id']);
    const redirectUri = str(form['redirect_uri']);
    if (clientId !== HUBSPOT_DEMO_APP.clientId || redirectUri === undefined || !isAllowedRedirect(redirectUri, ctx.allowedRedirects)) {
      return reply.code(400).type('text/html').send(htmlPage('Authorization error', '<h1>Authorization error</h1><p>Invalid client or redirect URI.</p>'));
    }
    const url = new URL(redirectUri);
    const state = str(form['state']);
    if (form['decision'] === 'approve') {
      url.searchParams.set('code', ctx.tokens.issueCode({ clientId, redirectUri, scopes: scopesOf(form['scope']), userId: '9100001' }));
    } else {
      url.searchParams.set('error', 'access_denied');
      url.searchParams.set('error_description', 'The user denied the request');
    }
    if (state !== undefined) url.searchParams.set('state', state);
    return reply.redirect(url.toString(), 302);
  });

  app.post<{ Body: Form }>('/oauth/v1/token', async (request, reply) => {
    const form = request.body ?? {};
    const grantType = str(form['grant_type']);
    const clientId = str(form['client_id']);
    const clientSecret = str(form['client_secret']);
    if (clientId !== HUBSPOT_DEMO_APP.clientId) return oauthError(reply, 'BAD_CLIENT_ID', 'missing or unknown client id');
    if (clientSecret !== HUBSPOT_DEMO_APP.clientSecret) return oauthError(reply, 'BAD_CLIENT_SECRET', 'missing or invalid client secret');
    const respond = (minted: { accessToken: string; refreshToken: string; expiresIn: number }): FastifyReply =>
      reply.code(200).send({ token_type: 'bearer', refresh_token: minted.refreshToken, access_token: minted.accessToken, expires_in: minted.expiresIn });
    switch (grantType) {
      case 'authorization_code': {
        const code = str(form['code']);
        const record = code === undefined ? undefined : ctx.tokens.redeemCode(code);
        if (record === undefined || record.clientId !== clientId) return oauthError(reply, 'BAD_AUTH_CODE', 'missing or unknown auth code');
        if (str(form['redirect_uri']) !== record.redirectUri) return oauthError(reply, 'BAD_REDIRECT_URI', 'redirect_uri does not match initial redirect_uri');
        return respond(ctx.tokens.mint({ clientId, scopes: record.scopes, ...(record.userId !== undefined ? { userId: record.userId } : {}), expiresInSec: ctx.config.accessTokenTtlSec }));
      }
      case 'refresh_token': {
        const refreshToken = str(form['refresh_token']);
        const minted = refreshToken === undefined ? undefined : ctx.tokens.refresh(refreshToken, clientId);
        if (minted === undefined) return oauthError(reply, 'BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
        return respond(minted);
      }
      case undefined:
      default:
        return oauthError(reply, 'BAD_GRANT_TYPE', `unsupported grant_type ${grantType ?? '(missing)'}`);
    }
  });

  app.get<{ Params: { token: string } }>('/oauth/v1/access-tokens/:token', async (request, reply) => {
    const check = ctx.tokens.check(request.params.token);
    if (!check.ok) {
      return oauthError(reply, check.reason === 'expired' ? 'EXPIRED_AUTHENTICATION' : 'BAD_ACCESS_TOKEN', check.reason === 'expired' ? 'The access token is expired' : 'missing or unknown access token', check.reason === 'expired' ? 401 : 404);
    }
    const t = check.token;
    return {
      token: t.accessToken,
      user: hubspotUserEmail(),
      hub_domain: `sandbox-${ctx.store.portalId}.conduit.example`,
      scopes: t.scopes,
      scope_to_scope_group_pks: [],
      hub_id: ctx.store.portalId,
      app_id: HUBSPOT_DEMO_APP.appId,
      expires_in: Math.max(0, Math.floor((t.expiresAt - Date.now()) / 1000)),
      user_id: Number(t.userId ?? 9100001),
      token_type: 'access',
    };
  });

  app.get<{ Params: { token: string } }>('/oauth/v1/refresh-tokens/:token', async (request, reply) => {
    const record = ctx.tokens.getRefresh(request.params.token);
    if (record === undefined) return oauthError(reply, 'BAD_REFRESH_TOKEN', 'missing or unknown refresh token', 404);
    return {
      token: record.refreshToken, user: hubspotUserEmail(), hub_domain: `sandbox-${ctx.store.portalId}.conduit.example`, scopes: record.scopes,
      hub_id: ctx.store.portalId, client_id: record.clientId, user_id: Number(record.userId ?? 9100001), token_type: 'refresh',
    };
  });

  app.delete<{ Params: { token: string } }>('/oauth/v1/refresh-tokens/:token', async (request, reply) => {
    if (!ctx.tokens.revokeRefresh(request.params.token)) return oauthError(reply, 'BAD_REFRESH_TOKEN', 'missing or unknown refresh token', 404);
    return reply.code(204).send();
  });
}
