import type { SyncRunDto } from '@conduit/contracts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import { normalizeEmail } from '@conduit/mapping';
import request from 'supertest';
import { ImportService } from '../src/sync/import.service.js';
import { connectedWorkspace, crmSandboxConfig } from './support/crm-test-app.js';
import type { TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';

/**
 * A backfill writes two batches at once (each in its own transaction) when the pages are read faster than they are
 * written. Here every write is held back a little, so they always overlap, and the CRM holds the same people twice in
 * different batches (HubSpot keeps `ada@acme.com.` and `mailto:ada@acme.com` apart from `ada@acme.com`; Conduit's
 * normalised email does not): the later CRM record must update the earlier one's person (its batch waits for the
 * earlier batch to commit), never create a second person or lose the change.
 */
describe('HubSpot backfill with batches written side by side (real SDK against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let connectionId: string;
  const writes = { open: 0, maxOpen: 0, calls: 0 };

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    sandbox.hubspot.control.seedContacts(5700);
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    ({ workspace: a, connectionId } = await connectedWorkspace(t, 'Parallel', 'hubspot'));
    // Count the batches being written at once. Each batch's transaction stays open 300 ms after its writes, so the next
    // batch is planned and written while it is still uncommitted.
    const importer = t.app.get(ImportService);
    const writePage = importer.writePage.bind(importer);
    importer.writePage = async (...args) => {
      writes.calls++;
      writes.maxOpen = Math.max(writes.maxOpen, ++writes.open);
      try {
        const outcome = await writePage(...args);
        await new Promise((r) => setTimeout(r, 300));
        return outcome;
      } finally {
        writes.open--;
      }
    };
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  it('imports every contact once, with cross-batch duplicates merged into one person, while two batches are written at once', async () => {
    const contacts = () => [...(sandbox.hubspot.control.store().records.get('contacts')?.values() ?? [])].filter((c) => !c.archived).sort((x, y) => Number(x.id) - Number(y.id));
    const all = contacts();
    expect(all.length).toBe(6000);
    // Later records carrying an earlier record's email in another form, 150 records apart (so, whatever the batch
    // boundaries, some pairs straddle two batches written side by side), each with a job title of its own.
    const variants = [(e: string) => `${e.toUpperCase()}.`, (e: string) => `mailto:${e}`, (e: string) => `MAILTO:${e.toUpperCase()}.`];
    const pairs = Array.from({ length: 20 }, (_, k): [number, number] => [100 + 300 * k, 250 + 300 * k]);
    pairs.forEach(([first, later], k) => {
      sandbox.hubspot.control.updateRecord('contacts', all[later]!.id, { email: variants[k % variants.length]!(all[first]!.properties['email']!), jobtitle: `Duplicate of ${first}` });
    });
    await request(t.server).put(`/api/sync/connections/${connectionId}/settings`).set('Cookie', a.adminCookie).send({ objects: ['contact'] }).expect(200);

    const started = await request(t.server).post(`/api/sync/connections/${connectionId}/backfill`).set('Cookie', a.adminCookie).send({}).expect(202);
    const run = await waitFor(async () => {
      const r = (await request(t.server).get(`/api/sync/runs/${(started.body as SyncRunDto).id}`).set('Cookie', a.adminCookie).expect(200)).body as SyncRunDto & { failures: unknown[] };
      return (r.status === 'done' || r.status === 'failed') && r;
    }, 80_000);
    expect(run).toMatchObject({ status: 'done', failures: [] });
    // In one attempt: a batch that wrote an open batch's rows would fail (and be retried from the last checkpoint).
    const [job] = await t.dataSource.query<{ attempts: number; last_error: string | null }[]>(
      `SELECT attempts, last_error FROM outbox_job WHERE name = 'sync.backfill' AND payload->>'runId' = $1`,
      [run.id],
    );
    expect(job).toEqual({ attempts: 1, last_error: null });
    expect(writes.maxOpen).toBe(2);
    expect(writes.calls).toBeGreaterThanOrEqual(4);

    const imported = contacts();
    const normalized = imported.map((c) => normalizeEmail(c.properties['email']));
    const emails = new Set(normalized.flatMap((r) => (r.ok ? [r.value] : [])));
    expect(emails.size).toBe(imported.filter((c) => c.properties['email']).length - pairs.length);
    expect(run.counts.created + run.counts.updated + run.counts.unchanged + run.counts.failed).toBe(6000);
    expect(run.counts.created).toBe(emails.size + imported.filter((c) => !c.properties['email']).length);
    expect(run.counts.updated).toBe(pairs.length);
    expect(run.progress.done).toBe(6000);

    const [people] = await t.dataSource.query<{ n: number; distinct_emails: number }[]>(
      `SELECT count(*)::int AS n, count(DISTINCT lower(email))::int AS distinct_emails FROM person WHERE workspace_id = $1`,
      [a.id],
    );
    expect(people).toEqual({ n: run.counts.created, distinct_emails: emails.size });
    const [links] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM crm_link WHERE connection_id = $1 AND object = 'contact'`, [connectionId]);
    expect(links!.n).toBe(6000);

    // Each duplicate pair is one person, linked from both CRM records, holding the job title of the record imported
    // last (its newest provenance set): no change lost. Which one that is depends on the read order — list pages from
    // the lowest id and search ranges from the top are read at once — so it is read from the provenance, not assumed.
    const byId = new Map(imported.map((c) => [c.id, c]));
    for (const [first, later] of pairs) {
      const ids = [all[first]!.id, all[later]!.id];
      const rows = await t.dataSource.query<{ crm_id: string; person_id: string; job_title: string | null }[]>(
        `SELECT l.crm_id, l.person_id, p.job_title FROM crm_link l JOIN person p ON p.id = l.person_id WHERE l.connection_id = $1 AND l.crm_id = ANY($2::text[])`,
        [connectionId, ids],
      );
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((r) => r.person_id)).size).toBe(1);
      const [last] = await t.dataSource.query<{ crm_record_id: string }[]>(
        `SELECT crm_record_id FROM field_provenance_set WHERE workspace_id = $1 AND entity = 'person' AND entity_id = $2 AND fields::jsonb ? 'jobTitle' ORDER BY seq DESC LIMIT 1`,
        [a.id, rows[0]!.person_id],
      );
      expect(ids).toContain(last!.crm_record_id);
      expect(rows[0]!.job_title).toBe(byId.get(last!.crm_record_id)!.properties['jobtitle']);
      // The two records' titles differ, so the person's title names the one applied last.
      expect(byId.get(ids[0]!)!.properties['jobtitle']).not.toBe(byId.get(ids[1]!)!.properties['jobtitle']);
    }
  }, 90_000);
});
