import type { SyncRunDto } from '@conduit/contracts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import request from 'supertest';
import { CrmLink } from '../src/sync/crm-link.entity.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionPort } from '../src/sync/sync-connection.port.js';
import { SyncService } from '../src/sync/sync.service.js';
import { connectedWorkspace, crmSandboxConfig } from './support/crm-test-app.js';
import type { TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

describe('Salesforce import sync (jsforce against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let connectionId: string;

  const finished = (id: string) =>
    waitFor(async () => {
      const run = (await request(t.server).get(`/api/sync/runs/${id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto & { failures: { crmId: string; reason: string }[] };
      return (run.status === 'done' || run.status === 'failed') && run;
    }, 60_000);
  const linkCount = (object: string) => t.dataSource.getRepository(CrmLink).countBy({ workspaceId: a.id, connectionId, object: object as CrmLink['object'] });

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    ({ workspace: a, connectionId } = await connectedWorkspace(t, 'Alpha', 'salesforce'));
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('backfills Accounts, Leads and Contacts: links per object, one person per email, contacts linked to their account', async () => {
    const settings = (await request(t.server).get(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).expect(200)).body as { objects: string[] };
    expect(settings.objects).toEqual(['company', 'lead', 'contact', 'deal', 'owner', 'list']);
    // People and companies only here (deals, users and campaigns: sync-related.integration-spec.ts).
    const res = await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({ objects: ['company', 'lead', 'contact'] }).expect(202);
    const run = await finished((res.body as SyncRunDto).id);
    expect(run.status).toBe('done');
    const sf = sandbox.salesforce.control;
    expect(await linkCount('company')).toBe(sf.count('Account'));
    expect(await linkCount('lead') + run.counts.failed).toBe(sf.count('Lead'));
    expect(await linkCount('contact')).toBe(sf.count('Contact'));
    // Query pages of up to 2,000 rows: a handful of calls for ~400 records.
    expect(run.apiCalls).toBeLessThan(15);

    // Emails are unique per workspace; converted leads share their contact's email, so both link to one person.
    const [shared] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (SELECT person_id FROM crm_link WHERE workspace_id = $1 AND person_id IS NOT NULL GROUP BY person_id HAVING count(DISTINCT object) > 1) s`,
      [a.id],
    );
    expect(shared!.n).toBeGreaterThan(0);
    const [{ linked, withAccount }] = await t.dataSource.query<{ linked: number; withAccount: number }[]>(
      `SELECT count(*) FILTER (WHERE p.company_id IS NOT NULL)::int AS linked, count(*)::int AS "withAccount"
         FROM crm_link l JOIN person p ON p.id = l.person_id WHERE l.workspace_id = $1 AND l.object = 'contact'`,
      [a.id],
    ) as [{ linked: number; withAccount: number }];
    expect(withAccount).toBe(sf.count('Contact'));
    expect(linked).toBeGreaterThan(0);
  });

  it('incremental sync notices a Lead deleted in Salesforce and marks its link archived', async () => {
    const [lead] = await t.dataSource.query<{ crm_id: string }[]>(`SELECT crm_id FROM crm_link WHERE workspace_id = $1 AND object = 'lead' AND archived_at IS NULL ORDER BY crm_id LIMIT 1`, [a.id]);
    const token = sandbox.salesforce.control.mintToken();
    const del = await fetch(`${sandbox.salesforce.url}/services/data/v62.0/sobjects/Lead/${lead!.crm_id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token.accessToken}` } });
    expect(del.status).toBe(204);
    const info = (await t.app.get<SyncConnectionPort>(SYNC_CONNECTION_PORT).get(a.id, connectionId))!;
    const started = (await t.app.get(SyncService).startIncremental(info))!;
    const run = await finished(started.id);
    expect(run.status).toBe('done');
    expect(run.counts.archived).toBe(1);
    const link = await t.dataSource.getRepository(CrmLink).findOneByOrFail({ connectionId, object: 'lead', crmId: lead!.crm_id });
    expect(link.archivedAt).toBeInstanceOf(Date);
  });
});
