import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { CrmListDto } from '@conduit/contracts';
import request from 'supertest';
import { loadConfig } from '../../src/config/app-config.js';
import { CrmConnection } from '../../src/connections/connection.entity.js';
import { connectCrm } from './crm-oauth.js';
import { stopSyncScheduler } from './crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './fixtures.js';
import { startTestApp, type TestApp, waitFor } from './test-app.js';

/** The app with processors, two workspaces, and workspace A connected to the in-process HubSpot sandbox. */
export interface AudienceEnv {
  sandbox: Sandbox;
  t: TestApp;
  a: TestWorkspace;
  b: TestWorkspace;
  connectionId: string;
  close: () => Promise<void>;
}

export async function startAudienceEnv(): Promise<AudienceEnv> {
  const sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
  const base = loadConfig();
  const t = await startTestApp({
    runProcessors: true,
    crm: { ...base.crm, hubspot: { ...base.crm.hubspot, baseUrl: sandbox.hubspot.url }, salesforce: { ...base.crm.salesforce, loginUrl: sandbox.salesforce.url }, oauthRedirectBase: 'http://127.0.0.1:5173' },
  });
  // List syncs and their imports are what these suites measure (runs, pages read, people linked): no backfill or
  // incremental sync of the connection runs beside them unless a test starts one.
  await stopSyncScheduler(t);
  const a = await createWorkspace(t.server, t.dataSource, 'Alpha');
  const b = await createWorkspace(t.server, t.dataSource, 'Beta');
  await connectCrm(t.server, a.adminCookie, 'hubspot');
  const connectionId = (await t.dataSource.getRepository(CrmConnection).findOneByOrFail({ workspaceId: a.id, crm: 'hubspot' })).id;
  return {
    sandbox,
    t,
    a,
    b,
    connectionId,
    close: async () => {
      await t.close();
      await sandbox.stop();
    },
  };
}

export async function browseLists(env: AudienceEnv, query = '', ws = env.a): Promise<CrmListDto[]> {
  return (await request(env.t.server).get(`/api/crm-lists${query}`).set('Cookie', ws.memberCookie).expect(200)).body as CrmListDto[];
}

/** Requests a membership sync and waits until the list shows a sync that finished after the request. */
export async function syncList(env: AudienceEnv, listId: string): Promise<CrmListDto> {
  const before = Date.now();
  await request(env.t.server).post(`/api/crm-lists/${listId}/sync`).set('Cookie', env.a.memberCookie).expect(202);
  return waitForListSync(env, listId, before);
}

export async function waitForListSync(env: AudienceEnv, listId: string, since: number): Promise<CrmListDto> {
  return waitFor(async () => {
    const list = (await request(env.t.server).get(`/api/crm-lists/${listId}`).set('Cookie', env.a.memberCookie).expect(200)).body as CrmListDto;
    if (list.syncStatus === 'failed') throw new Error(`list sync failed: ${list.lastError}`);
    return list.syncStatus === 'ok' && list.lastSyncedAt !== null && Date.parse(list.lastSyncedAt) >= since - 1000 ? list : null;
  }, 60_000);
}

/** The sandbox's current members of a HubSpot list (contact ids). */
export function sandboxMembers(env: AudienceEnv, crmListId: string): string[] {
  const list = env.sandbox.hubspot.control.store().lists.get(crmListId);
  if (!list) throw new Error(`no sandbox list ${crmListId}`);
  return [...list.members.keys()];
}

/** Conduit person ids linked to these HubSpot contact ids (absent ids are left out). */
export async function personIdsOf(env: AudienceEnv, contactIds: string[]): Promise<string[]> {
  const rows = await env.t.dataSource.query<{ person_id: string }[]>(
    `SELECT person_id FROM crm_link WHERE connection_id = $1 AND object = 'contact' AND crm_id = ANY($2::text[]) AND person_id IS NOT NULL`,
    [env.connectionId, contactIds],
  );
  return rows.map((r) => r.person_id);
}
