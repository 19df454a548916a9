import type { CrmKind } from '@conduit/contracts';
import { crmAccountName } from '@conduit/crm';
import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { type ConnectedAccount, ConnectionsService } from '../connections/connections.service.js';
import { hubspotEndpoints, salesforceEndpoints } from '../connections/crm-endpoints.js';
import { DiscoveryService } from '../connections/discovery.service.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { DEMO_USERS, DEMO_WORKSPACE } from './demo-data.js';

export type SandboxConnectOutcome = 'connected' | 'already_connected' | 'skipped_not_sandbox' | 'skipped_unreachable' | 'skipped_no_workspace';

interface MintedToken {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scopes: string[];
  identityPath?: string;
}

const json = async <T>(res: Response, what: string): Promise<T> => {
  if (!res.ok) throw new Error(`${what} answered HTTP ${res.status}`);
  return (await res.json()) as T;
};

/**
 * Connects the demo workspace to the local CRM sandbox without the browser: tokens come from the sandbox control
 * API (`POST /__sandbox/tokens`), are sealed like OAuth tokens, and discovery + default mapping run as after a
 * real connect. Idempotent: a working connection is kept. Skips (with a reason) when the configured CRM is not a
 * sandbox or does not answer.
 */
export async function connectDemoToSandbox(app: INestApplicationContext, config: AppConfig, logger: Logger, { waitMs = 10_000 } = {}): Promise<Record<CrmKind, SandboxConnectOutcome>> {
  const dataSource = app.get(DataSource);
  const connections = app.get(ConnectionsService);
  const discovery = app.get(DiscoveryService);
  const workspace = await dataSource.getRepository(Workspace).findOneBy({ name: DEMO_WORKSPACE });
  const admin = workspace
    ? await dataSource.getRepository(User).createQueryBuilder('u').where('u.workspace_id = :ws AND lower(u.email) = lower(:email)', { ws: workspace.id, email: DEMO_USERS[0].email }).getOne()
    : null;
  const result = {} as Record<CrmKind, SandboxConnectOutcome>;
  for (const crm of ['hubspot', 'salesforce'] as const) {
    if (!workspace) {
      result[crm] = 'skipped_no_workspace';
      continue;
    }
    const sandbox = crm === 'hubspot' ? hubspotEndpoints(config).sandbox : salesforceEndpoints(config).sandbox;
    const base = (crm === 'hubspot' ? config.crm.hubspot.baseUrl : config.crm.salesforce.loginUrl).replace(/\/+$/, '');
    if (!sandbox) {
      result[crm] = 'skipped_not_sandbox';
      logger.info({ crm, url: base }, 'not a CRM sandbox: connect it from Settings → Integrations');
      continue;
    }
    if (!(await reachable(base, waitMs))) {
      result[crm] = 'skipped_unreachable';
      logger.info({ crm, url: base }, 'CRM sandbox not reachable: the demo workspace stays disconnected (start it with `pnpm sandbox`)');
      continue;
    }
    const existing = await dataSource.getRepository(CrmConnection).findOneBy({ workspaceId: workspace.id, crm });
    if (existing?.status === 'connected') {
      try {
        await discovery.discover(existing);
        result[crm] = 'already_connected';
        logger.info({ crm }, 'demo workspace already connected to the sandbox');
        continue;
      } catch (err) {
        // A sandbox restarted without persistence forgot our tokens: mint new ones below.
        logger.info({ crm, error: (err as Error).message }, 'stored sandbox connection no longer works; reconnecting');
      }
    }
    const account = await mintAccount(crm, base);
    const connection = await connections.store(workspace.id, admin?.id ?? null, crm, account);
    await connections.afterConnect(connection);
    result[crm] = 'connected';
    logger.info({ crm, account: connection.accountName }, 'demo workspace connected to the CRM sandbox');
  }
  return result;
}

async function reachable(base: string, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const res = await fetch(`${base}/__sandbox/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not up (yet)
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function mintAccount(crm: CrmKind, base: string): Promise<ConnectedAccount> {
  const minted = await json<MintedToken>(
    await fetch(`${base}/__sandbox/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
    'sandbox token mint',
  );
  const headers = { Authorization: `Bearer ${minted.accessToken}`, Accept: 'application/json' };
  if (crm === 'hubspot') {
    const info = await json<{ hub_id: number; hub_domain?: string; scopes?: string[] }>(
      await fetch(`${base}/oauth/v1/access-tokens/${encodeURIComponent(minted.accessToken)}`),
      'HubSpot access-token info',
    );
    return {
      accountId: String(info.hub_id),
      accountName: crmAccountName('hubspot', { accountId: String(info.hub_id), organizationName: info.hub_domain ?? null, username: null }),
      organizationName: info.hub_domain ?? null,
      instanceUrl: null,
      scopes: info.scopes ?? minted.scopes,
      tokens: { accessToken: minted.accessToken, refreshToken: minted.refreshToken, expiresAt: new Date(Date.now() + minted.expiresIn * 1000) },
    };
  }
  const identity = await json<{ organization_id: string; username?: string }>(await fetch(`${base}${minted.identityPath ?? ''}`, { headers }), 'Salesforce identity');
  return {
    accountId: identity.organization_id,
    // Named by the org id until discovery (afterConnect) reads the org's Name, as for a connection it cannot name at connect.
    accountName: crmAccountName('salesforce', { accountId: identity.organization_id, organizationName: null, username: identity.username ?? null }),
    username: identity.username ?? null,
    instanceUrl: base,
    scopes: minted.scopes,
    tokens: { accessToken: minted.accessToken, refreshToken: minted.refreshToken, expiresAt: null },
  };
}
