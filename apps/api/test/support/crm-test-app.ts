import type { Sandbox } from '@conduit/crm-sandbox';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { CrmConnection } from '../../src/connections/connection.entity.js';
import { SyncSchedulerService } from '../../src/sync/sync-scheduler.service.js';
import { connectCrm } from './crm-oauth.js';
import { createWorkspace, type TestWorkspace } from './fixtures.js';
import type { TestApp } from './test-app.js';

/** App config that points both CRMs at a running sandbox (only their base URLs change, as in production). */
export function crmSandboxConfig(sandbox: Sandbox): Partial<AppConfig> {
  const base = loadConfig();
  return {
    crm: {
      ...base.crm,
      hubspot: { ...base.crm.hubspot, baseUrl: sandbox.hubspot.url },
      salesforce: { ...base.crm.salesforce, loginUrl: sandbox.salesforce.url },
      oauthRedirectBase: 'http://127.0.0.1:5173',
    },
  };
}

/**
 * Stops the app's sync scheduler, for suites that start every sync run themselves. Its 30 s tick backfills each
 * connection that never synced and then runs incremental syncs: on a loaded machine a tick lands in the middle of a
 * test, and that test then sees a run (and CRM calls, imports and linked people) it did not ask for.
 */
export async function stopSyncScheduler(t: TestApp): Promise<void> {
  await t.app.get(SyncSchedulerService).onApplicationShutdown();
}

/** The sandbox Salesforce org's REST API (v62.0) as a user with a fresh token: how a test changes the org like a user would. */
export type SalesforceRest = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function salesforceRest(sandbox: Sandbox): SalesforceRest {
  const token = sandbox.salesforce.control.mintToken({ expiresInSec: 3600 }).accessToken;
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sandbox.salesforce.url}/services/data/v62.0${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
}

/** A new workspace connected to one sandbox CRM through the real OAuth flow, with its connection id. */
export async function connectedWorkspace(t: TestApp, name: string, crm: 'hubspot' | 'salesforce'): Promise<{ workspace: TestWorkspace; connectionId: string }> {
  const workspace = await createWorkspace(t.server, t.dataSource, name);
  await connectCrm(t.server, workspace.adminCookie, crm);
  const { id } = await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: workspace.id, crm });
  return { workspace, connectionId: id };
}
