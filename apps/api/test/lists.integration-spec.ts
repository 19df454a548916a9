import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CampaignDto, CampaignListsRefreshDto, CrmListDto } from '@conduit/contracts';
import request from 'supertest';
import { CrmListsService } from '../src/crm-lists/crm-lists.service.js';
import { ListMembershipService } from '../src/crm-lists/list-membership.service.js';
import { type AudienceEnv, browseLists, personIdsOf, sandboxMembers, startAudienceEnv, syncList, waitForListSync } from './support/audiences.js';
import { waitFor } from './support/test-app.js';

describe('CRM lists as audiences (real HubSpot SDK against the sandbox)', () => {
  let env: AudienceEnv;

  beforeAll(async () => {
    env = await startAudienceEnv();
  });

  afterAll(async () => {
    await env?.close();
  });

  const hsLists = () => [...env.sandbox.hubspot.control.store().lists.values()].filter((l) => l.deletedAt === undefined);
  const byCrmId = async (crmListId: string) => (await browseLists(env)).find((l) => l.crmListId === crmListId)!;

  it('browses HubSpot lists with type, size and search; bad filters are 400 naming the field', async () => {
    const lists = await browseLists(env);
    const sandbox = hsLists();
    expect(lists).toHaveLength(sandbox.length);
    for (const hs of sandbox) {
      const l = lists.find((x) => x.crmListId === hs.listId)!;
      expect(l).toMatchObject({ name: hs.name, crm: 'hubspot', kind: hs.processingType === 'DYNAMIC' ? 'dynamic' : 'static', size: hs.members.size, syncStatus: 'never', usedBy: [] });
    }
    expect(lists.filter((l) => l.kind === 'dynamic').length).toBe(sandbox.filter((l) => l.processingType === 'DYNAMIC').length);

    const word = sandbox[0]!.name.split(' ')[0]!.toLowerCase();
    const found = await browseLists(env, `?search=${encodeURIComponent(word)}`);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((l) => l.name.toLowerCase().includes(word))).toBe(true);
    expect(await browseLists(env, '?crm=salesforce')).toEqual([]);

    const bad = await request(env.t.server).get('/api/crm-lists?crm=pipedrive').set('Cookie', env.a.memberCookie).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['crm']);
  });

  it('a static list used as an audience imports its members through the import engine', async () => {
    const hs = hsLists().find((l) => l.processingType === 'MANUAL' && l.members.size > 0)!;
    const list = await byCrmId(hs.listId);
    const since = Date.now();
    const created = await request(env.t.server).post('/api/campaigns').set('Cookie', env.a.memberCookie).send({ name: 'Static audience', audienceListIds: [list.id] }).expect(201);
    const synced = await waitForListSync(env, list.id, since);
    const members = sandboxMembers(env, hs.listId);
    expect(synced.memberCount).toBe(members.length);
    expect(synced.usedBy).toEqual([{ campaignId: (created.body as CampaignDto).id, campaignName: 'Static audience', role: 'audience' }]);

    // Every member is a linked person with the CRM's email, and provenance says where the values came from.
    const people = await personIdsOf(env, members);
    expect(people).toHaveLength(members.length);
    const stored = await env.t.dataSource.query<{ person_id: string }[]>(`SELECT person_id FROM crm_list_member WHERE list_id = $1`, [list.id]);
    expect(stored.map((r) => r.person_id).sort()).toEqual([...people].sort());
    const contact = env.sandbox.hubspot.control.store().records.get('contacts')!.get(members[0]!)!;
    const [person] = await env.t.dataSource.query<{ email: string; id: string }[]>(
      `SELECT p.id, p.email FROM person p JOIN crm_link l ON l.person_id = p.id WHERE l.connection_id = $1 AND l.crm_id = $2`,
      [env.connectionId, members[0]],
    );
    expect(person!.email.toLowerCase()).toBe(String(contact.properties['email']).toLowerCase());
    const prov = await env.t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM field_provenance WHERE entity_id = $1 AND source = 'crm'`, [person!.id]);
    expect(prov[0]!.n).toBeGreaterThan(0);
    // The import shows in the sync history as a list run, not a webhook run.
    const kinds = await env.t.dataSource.query<{ kind: string; status: string }[]>(`SELECT DISTINCT kind, status FROM sync_run WHERE workspace_id = $1`, [env.a.id]);
    expect(kinds).toEqual([{ kind: 'list', status: 'done' }]);

    // A re-sync with nothing changed reads the membership only: no batch reads.
    const runsBefore = await env.t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM sync_run WHERE workspace_id = $1`, [env.a.id]);
    await syncList(env, list.id);
    const runsAfter = await env.t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM sync_run WHERE workspace_id = $1`, [env.a.id]);
    expect(runsAfter[0]!.n).toBe(runsBefore[0]!.n);
  });

  it('a dynamic list reflects a contact leaving and another joining after a refresh; people are not deleted', async () => {
    const hs = hsLists().find((l) => l.processingType === 'DYNAMIC' && /germany/i.test(l.name))!;
    expect(hs).toBeDefined();
    const list = await byCrmId(hs.listId);
    const first = await syncList(env, list.id);
    const before = sandboxMembers(env, hs.listId);
    expect(first.memberCount).toBe(before.length);
    expect(before.length).toBeGreaterThan(1);

    const control = env.sandbox.hubspot.control;
    const leaver = before[0]!;
    const joiner = [...control.store().records.get('contacts')!.values()].find((c) => !c.archived && c.properties['country'] !== 'Germany' && c.properties['email'])!.id;
    control.updateRecord('contacts', leaver, { country: 'France' });
    control.updateRecord('contacts', joiner, { country: 'Germany' });
    const after = sandboxMembers(env, hs.listId);
    expect(after).not.toContain(leaver);
    expect(after).toContain(joiner);

    const refreshed = await syncList(env, list.id);
    expect(refreshed.memberCount).toBe(after.length);
    const [leaverPerson] = await personIdsOf(env, [leaver]);
    const [joinerPerson] = await personIdsOf(env, [joiner]);
    expect(joinerPerson).toBeDefined();
    const stored = (await env.t.dataSource.query<{ person_id: string }[]>(`SELECT person_id FROM crm_list_member WHERE list_id = $1`, [list.id])).map((r) => r.person_id);
    expect(stored).toContain(joinerPerson);
    expect(stored).not.toContain(leaverPerson);
    const still = await env.t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM person WHERE id = $1`, [leaverPerson]);
    expect(still[0]!.n).toBe(1);
  });

  it('a list deleted in the CRM is flagged on the campaigns using it and keeps its last members', async () => {
    const hs = hsLists().find((l) => l.processingType === 'SNAPSHOT' && l.members.size > 0) ?? hsLists().find((l) => l.processingType !== 'DYNAMIC' && l.members.size > 0)!;
    const list = await byCrmId(hs.listId);
    const synced = await syncList(env, list.id);
    const campaign = (await request(env.t.server).post('/api/campaigns').set('Cookie', env.a.memberCookie).send({ name: 'Uses a doomed list', audienceListIds: [list.id] }).expect(201)).body as CampaignDto;

    env.sandbox.hubspot.control.store().lists.get(hs.listId)!.deletedAt = Date.now();
    const flagged = await syncList(env, list.id);
    expect(flagged.deletedInCrmAt).not.toBeNull();
    expect(flagged.memberCount).toBe(synced.memberCount);
    const view = (await request(env.t.server).get(`/api/campaigns/${campaign.id}`).set('Cookie', env.a.memberCookie).expect(200)).body as CampaignDto;
    expect(view.deletedLists).toEqual([{ id: list.id, name: list.name }]);
    const counts = (await request(env.t.server).get(`/api/campaigns/${campaign.id}/recipients/counts`).set('Cookie', env.a.memberCookie).expect(200)).body as { audience: number };
    expect(counts.audience).toBe(synced.memberCount);
  });

  it("a campaign's Refresh re-reads the members of its CRM lists; a list deleted in the CRM is skipped with the reason", async () => {
    const hs = hsLists().find((l) => l.processingType === 'DYNAMIC' && /germany/i.test(l.name))!;
    const list = await byCrmId(hs.listId);
    const deleted = (await browseLists(env)).find((l) => l.deletedInCrmAt !== null)!;
    expect(deleted).toBeDefined();
    const campaign = (await request(env.t.server).post('/api/campaigns').set('Cookie', env.a.memberCookie).send({ name: 'Refreshed by hand', audienceListIds: [list.id], suppressionListIds: [deleted.id] }).expect(201))
      .body as CampaignDto;
    await waitForListSync(env, list.id, Date.now() - 60_000);
    const countsOf = async () => ((await request(env.t.server).get(`/api/campaigns/${campaign.id}/recipients/counts`).set('Cookie', env.a.memberCookie).expect(200)).body as { audience: number }).audience;
    const before = await countsOf();

    // Someone else moves to Germany in HubSpot: the dynamic list gains a member, Conduit does not know yet.
    const joiner = [...env.sandbox.hubspot.control.store().records.get('contacts')!.values()].find((c) => !c.archived && c.properties['country'] !== 'Germany' && c.properties['email'])!;
    env.sandbox.hubspot.control.updateRecord('contacts', joiner.id, { country: 'Germany' });
    expect(await countsOf()).toBe(before);

    await request(env.t.server).post(`/api/campaigns/${campaign.id}/refresh-lists`).set('Cookie', env.b.memberCookie).expect(404);
    const since = Date.now();
    const refreshed = (await request(env.t.server).post(`/api/campaigns/${campaign.id}/refresh-lists`).set('Cookie', env.a.memberCookie).expect(202)).body as CampaignListsRefreshDto;
    expect(refreshed).toEqual({
      campaignId: campaign.id,
      queued: [{ listId: list.id, name: list.name, alreadySyncing: false }],
      skipped: [{ listId: deleted.id, name: deleted.name, reason: 'Deleted in HubSpot' }],
    });
    const synced = await waitForListSync(env, list.id, since);
    expect(synced.memberCount).toBe(sandboxMembers(env, hs.listId).length);
    expect(await countsOf()).toBe(before + 1);
  });

  it('a sync requested while another sync of the list holds its lock waits for it, then reads the membership afresh', async () => {
    const hs = hsLists().find((l) => l.processingType === 'MANUAL' && l.members.size > 0)!;
    const list = await byCrmId(hs.listId);
    await syncList(env, list.id);
    // Another run (a sync that is finishing) holds the list's lock.
    const holder = env.t.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('crm-list-sync:' || $1))`, [list.id]);
      const since = Date.now();
      await request(env.t.server).post(`/api/crm-lists/${list.id}/sync`).set('Cookie', env.a.memberCookie).expect(202);
      await waitFor(async () => {
        const [job] = await env.t.dataSource.query<{ status: string }[]>(
          `SELECT status FROM outbox_job WHERE name = 'crm-lists.sync' AND payload->>'listId' = $1 ORDER BY created_at DESC LIMIT 1`,
          [list.id],
        );
        return job?.status === 'running' ? job : null;
      }, 30_000);
      // The job is waiting for the lock, not skipped: the list stays queued. Meanwhile a contact joins the list.
      expect((await byCrmId(hs.listId)).syncStatus).toBe('pending');
      const joiner = [...env.sandbox.hubspot.control.store().records.get('contacts')!.values()].find((c) => !c.archived && c.properties['email'] && !hs.members.has(c.id))!;
      hs.members.set(joiner.id, Date.now());
      await holder.query(`SELECT pg_advisory_unlock(hashtext('crm-list-sync:' || $1))`, [list.id]);
      const synced = await waitForListSync(env, list.id, since);
      expect(synced.memberCount).toBe(hs.members.size);
      const [joinerPerson] = await personIdsOf(env, [joiner.id]);
      const stored = (await env.t.dataSource.query<{ person_id: string }[]>(`SELECT person_id FROM crm_list_member WHERE list_id = $1`, [list.id])).map((r) => r.person_id);
      expect(stored).toContain(joinerPerson);
    } finally {
      await holder.release();
    }
  });

  it('a second run of a job another run already finished does nothing (Bull re-running a stalled job)', async () => {
    const hs = hsLists().find((l) => l.processingType === 'MANUAL' && l.members.size > 0)!;
    const list = await byCrmId(hs.listId);
    const before = env.sandbox.hubspot.control.stats().total;
    const result = await env.t.app.get(ListMembershipService).sync(env.a.id, list.id, () => Promise.resolve(false));
    expect(result).toEqual({ skipped: 'done_elsewhere' });
    expect(env.sandbox.hubspot.control.stats().total).toBe(before);
  });

  it('the refresh schedule is set per list: 400 naming the field, admins only, and the scheduler follows it', async () => {
    const hs = hsLists().find((l) => l.processingType === 'DYNAMIC' && l.members.size > 0)!;
    const list = await byCrmId(hs.listId);
    expect(list.refreshMinutes).toBe(15);
    const bad = await request(env.t.server).patch(`/api/crm-lists/${list.id}`).set('Cookie', env.a.adminCookie).send({ refreshMinutes: 2 }).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['refreshMinutes']);
    await request(env.t.server).patch(`/api/crm-lists/${list.id}`).set('Cookie', env.a.memberCookie).send({ refreshMinutes: 60 }).expect(403);
    await request(env.t.server).patch(`/api/crm-lists/${list.id}`).set('Cookie', env.b.adminCookie).send({ refreshMinutes: 60 }).expect(404);
    const updated = (await request(env.t.server).patch(`/api/crm-lists/${list.id}`).set('Cookie', env.a.adminCookie).send({ refreshMinutes: 60 }).expect(200)).body as CrmListDto;
    expect(updated.refreshMinutes).toBe(60);

    // In use and last synced 30 minutes ago: not due at 60 minutes, due at 15.
    await request(env.t.server).post('/api/campaigns').set('Cookie', env.a.memberCookie).send({ name: 'Scheduled audience', audienceListIds: [list.id] }).expect(201);
    await waitForListSync(env, list.id, 0);
    await env.t.dataSource.query(`UPDATE crm_list SET last_synced_at = now() - interval '30 minutes' WHERE id = $1`, [list.id]);
    const scheduler = env.t.app.get(CrmListsService);
    await scheduler.scheduleDue(new Date());
    expect((await byCrmId(hs.listId)).syncStatus).toBe('ok');
    await request(env.t.server).patch(`/api/crm-lists/${list.id}`).set('Cookie', env.a.adminCookie).send({ refreshMinutes: 15 }).expect(200);
    const since = Date.now();
    await scheduler.scheduleDue(new Date());
    expect(['pending', 'running', 'ok']).toContain((await byCrmId(hs.listId)).syncStatus);
    await waitForListSync(env, list.id, since);
  });

  it('a large dynamic list is re-read in record-id ranges at once, through 429s and 5xx: every member once, the stored set equal to the CRM\'s', async () => {
    const control = env.sandbox.hubspot.control;
    const store = control.store();
    const seeded = control.seedContacts(6_000);
    const fresh = [...store.records.get('contacts')!.values()].filter((c) => Number(c.id) >= Number(seeded.firstId));
    // Every other contact is a member, so contacts that join later fall inside every range, not only after the last.
    const members = fresh.filter((_, i) => i % 2 === 0);
    const outsiders = fresh.filter((_, i) => i % 2 === 1);
    const tag = 'ranges-audience';
    for (const c of members) c.properties['conduit_personalized_opener'] = tag;
    const at = Date.now();
    const hs = {
      listId: store.allocateListId(), name: 'Ranges dynamic', processingType: 'DYNAMIC' as const, objectTypeId: '0-1', createdAt: at, updatedAt: at,
      members: new Map<string, number>(), listVersion: 1, filterGroups: [{ filters: [{ propertyName: 'conduit_personalized_opener', operator: 'EQ' as const, value: tag }] }],
    };
    store.lists.set(hs.listId, hs);
    store.evaluateList(hs, at);
    expect(hs.members.size).toBe(3_000);
    await env.t.app.get(CrmListsService).refreshCatalog(env.a.id, env.connectionId);
    const list = await byCrmId(hs.listId);
    // The first sync has no earlier members to cut ranges at: page after page.
    expect((await syncList(env, list.id)).memberCount).toBe(3_000);

    for (const c of [members[3]!, members[1_100]!, members[2_999]!]) control.updateRecord('contacts', c.id, { conduit_personalized_opener: 'left' });
    for (const c of [outsiders[0]!, outsiders[700]!, outsiders[1_600]!, outsiders[2_999]!]) control.updateRecord('contacts', c.id, { conduit_personalized_opener: tag });
    expect(hs.members.size).toBe(3_001);

    const memberships = `/crm/v3/lists/${hs.listId}/memberships`;
    control.setFaults(
      [
        // A little latency so reads that run at once overlap in the request log.
        { method: 'GET', path: memberships, latencyMs: 40 },
        { method: 'GET', path: memberships, status: 429, times: 2 },
        { method: 'GET', path: memberships, status: 503, share: 0.2, times: 2 },
      ],
      3,
    );
    const since = Date.now();
    let refreshed: CrmListDto;
    try {
      refreshed = await syncList(env, list.id);
    } finally {
      control.clearFaults();
    }
    expect(refreshed.memberCount).toBe(3_001);
    const expected = await personIdsOf(env, sandboxMembers(env, hs.listId));
    expect(expected).toHaveLength(3_001);
    const stored = (await env.t.dataSource.query<{ person_id: string }[]>(`SELECT person_id FROM crm_list_member WHERE list_id = $1`, [list.id])).map((r) => r.person_id);
    expect(stored.sort()).toEqual(expected.sort());

    // The reads ran in ranges at once: several membership reads overlapped, and only a few more pages than the 13 a
    // page-by-page read takes (one partly wasted page per range, plus the faults' retries).
    const reads = control.requests(since).filter((r) => r.path === memberships);
    const ok = reads.filter((r) => r.status === 200);
    let inFlight = 0;
    let most = 0;
    for (const [, d] of reads.flatMap((r) => [[r.at - r.ms, 1], [r.at, -1]] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1])) most = Math.max(most, (inFlight += d));
    expect(most).toBeGreaterThan(1);
    expect(ok.length).toBeGreaterThanOrEqual(13);
    expect(ok.length).toBeLessThanOrEqual(13 + 8);
    expect(reads.length - ok.length).toBeGreaterThanOrEqual(2);
  });

  it('workspace isolation: another workspace sees no lists and gets 404 for these ids', async () => {
    const [list] = await browseLists(env);
    expect(await browseLists(env, '', env.b)).toEqual([]);
    await request(env.t.server).get(`/api/crm-lists/${list!.id}`).set('Cookie', env.b.adminCookie).expect(404);
    await request(env.t.server).post(`/api/crm-lists/${list!.id}/sync`).set('Cookie', env.b.adminCookie).expect(404);
    await request(env.t.server).get('/api/crm-lists/not-a-uuid').set('Cookie', env.a.adminCookie).expect(404);
    await request(env.t.server).get('/api/crm-lists').expect(401);
    const used = (await request(env.t.server).post('/api/campaigns').set('Cookie', env.b.adminCookie).send({ name: 'Steal', audienceListIds: [list!.id] }).expect(400)).body as { errors: { field: string }[] };
    expect(used.errors.map((e) => e.field)).toEqual(['audienceListIds']);
  });
});
