import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CampaignDto, ExcludedPageDto, RecipientCountsDto, RecipientsPageDto } from '@conduit/contracts';
import request from 'supertest';
import { type AudienceEnv, browseLists, personIdsOf, sandboxMembers, startAudienceEnv, syncList } from './support/audiences.js';

describe('Campaigns: audiences, suppression and recipients', () => {
  let env: AudienceEnv;
  let campaign: CampaignDto;
  let audienceIds: string[];
  let overlapIds: string[];
  let suppressionName: string;

  beforeAll(async () => {
    env = await startAudienceEnv();
  });

  afterAll(async () => {
    await env?.close();
  });

  const get = <T>(path: string, cookie = env.a.memberCookie) => request(env.t.server).get(path).set('Cookie', cookie).expect(200).then((r) => r.body as T);

  it('creates a campaign with a list audience and a suppression list; recipients exclude suppressed people with the reason', async () => {
    const lists = await browseLists(env);
    const store = env.sandbox.hubspot.control.store();
    // The pair of lists with the largest overlap that still leaves recipients.
    let best: { audience: string; suppression: string; overlap: number } | null = null;
    for (const x of store.lists.values())
      for (const y of store.lists.values()) {
        if (x === y) continue;
        const overlap = [...x.members.keys()].filter((id) => y.members.has(id)).length;
        if (overlap > 0 && overlap < x.members.size && (!best || overlap > best.overlap)) best = { audience: x.listId, suppression: y.listId, overlap };
      }
    expect(best).not.toBeNull();
    const audience = lists.find((l) => l.crmListId === best!.audience)!;
    const suppression = lists.find((l) => l.crmListId === best!.suppression)!;
    suppressionName = suppression.name;

    const res = await request(env.t.server)
      .post('/api/campaigns')
      .set('Cookie', env.a.memberCookie)
      .send({ name: 'Q3 outbound', audienceListIds: [audience.id], suppressionListIds: [suppression.id] })
      .expect(201);
    campaign = res.body as CampaignDto;
    expect(campaign).toMatchObject({ name: 'Q3 outbound', status: 'draft', deletedLists: [] });
    expect(campaign.audiences.map((a) => a.list?.id)).toEqual([audience.id]);
    expect(campaign.suppressions.map((s) => s.list.id)).toEqual([suppression.id]);
    // First use enqueued the syncs; make sure both finished.
    await syncList(env, audience.id);
    await syncList(env, suppression.id);

    const members = sandboxMembers(env, audience.crmListId);
    const suppressed = members.filter((id) => sandboxMembers(env, suppression.crmListId).includes(id));
    audienceIds = await personIdsOf(env, members);
    overlapIds = await personIdsOf(env, suppressed);
    const counts = await get<RecipientCountsDto>(`/api/campaigns/${campaign.id}/recipients/counts`);
    expect(counts).toEqual({ audience: members.length, suppressed: suppressed.length, dnc: 0, consent: 0, final: members.length - suppressed.length });

    const excluded = await get<ExcludedPageDto>(`/api/campaigns/${campaign.id}/recipients/excluded?pageSize=500`);
    expect(excluded.total).toBe(suppressed.length);
    expect(excluded.items.map((i) => i.personId).sort()).toEqual([...overlapIds].sort());
    for (const item of excluded.items) expect(item.reasons).toEqual([{ reason: 'suppressed', detail: suppressionName }]);
  });

  it('pages recipients; hand-picked people join the audience; DNC domains exclude with their reason', async () => {
    const counts = await get<RecipientCountsDto>(`/api/campaigns/${campaign.id}/recipients/counts`);
    const p1 = await get<RecipientsPageDto>(`/api/campaigns/${campaign.id}/recipients?page=1&pageSize=3`);
    const p2 = await get<RecipientsPageDto>(`/api/campaigns/${campaign.id}/recipients?page=2&pageSize=3`);
    expect(p1.total).toBe(counts.final);
    expect(p1.items).toHaveLength(Math.min(3, counts.final));
    expect(new Set([...p1.items, ...p2.items].map((i) => i.personId)).size).toBe(p1.items.length + p2.items.length);
    const all = await get<RecipientsPageDto>(`/api/campaigns/${campaign.id}/recipients?pageSize=500`);
    expect(all.items.every((i) => audienceIds.includes(i.personId) && !overlapIds.includes(i.personId))).toBe(true);

    // A hand-picked person outside the lists.
    const extra = (await request(env.t.server).post('/api/people').set('Cookie', env.a.memberCookie).send({ email: 'picked@handpicked-example.org', firstName: 'Pat' }).expect(201)).body as { id: string };
    await request(env.t.server).patch(`/api/campaigns/${campaign.id}`).set('Cookie', env.a.memberCookie).send({ audiencePersonIds: [extra.id], status: 'active' }).expect(200);
    const withExtra = await get<RecipientCountsDto>(`/api/campaigns/${campaign.id}/recipients/counts`);
    expect(withExtra).toEqual({ ...counts, audience: counts.audience + 1, final: counts.final + 1 });

    // The admin's DNC domain list takes them out again, with the reason.
    await request(env.t.server).put('/api/dnc/settings').set('Cookie', env.a.adminCookie).send({ domains: ['https://www.Handpicked-Example.org/'] }).expect(200);
    const withDnc = await get<RecipientCountsDto>(`/api/campaigns/${campaign.id}/recipients/counts`);
    expect(withDnc).toEqual({ ...withExtra, dnc: 1, final: counts.final });
    const excluded = await get<ExcludedPageDto>(`/api/campaigns/${campaign.id}/recipients/excluded?pageSize=500`);
    expect(excluded.items.find((i) => i.personId === extra.id)?.reasons).toEqual([{ reason: 'dnc_domain', detail: 'handpicked-example.org' }]);
    const dnc = await get<{ dnc: boolean; reasons: unknown[] }>(`/api/people/${extra.id}/dnc`);
    expect(dnc).toMatchObject({ dnc: true, reasons: [{ reason: 'domain', detail: 'handpicked-example.org', dealId: null }] });
  });

  it('workspace-wide suppression lists apply to every campaign', async () => {
    const lists = await browseLists(env);
    const audience = campaign.audiences[0]!.list!;
    await request(env.t.server).put('/api/suppression-lists').set('Cookie', env.a.memberCookie).send({ listIds: [audience.id] }).expect(403);
    const set = await request(env.t.server).put('/api/suppression-lists').set('Cookie', env.a.adminCookie).send({ listIds: [audience.id] }).expect(200);
    expect((set.body as { campaignId: null }[])[0]).toMatchObject({ campaignId: null, list: { id: audience.id } });
    const counts = await get<RecipientCountsDto>(`/api/campaigns/${campaign.id}/recipients/counts`);
    // Everyone from the list is suppressed now; only the hand-picked (DNC) person is left in the audience besides.
    expect(counts).toEqual({ audience: audienceIds.length + 1, suppressed: audienceIds.length, dnc: 1, consent: 0, final: 0 });
    expect(lists.find((l) => l.id === audience.id)).toBeDefined();
    await request(env.t.server).put('/api/suppression-lists').set('Cookie', env.a.adminCookie).send({ listIds: [] }).expect(200);
    expect((await get<RecipientCountsDto>(`/api/campaigns/${campaign.id}/recipients/counts`)).suppressed).toBe(overlapIds.length);
  });

  it('bad input is 400 naming the field', async () => {
    const fields = async (body: object, method: 'post' | 'patch' = 'post', path = '/api/campaigns') => {
      const res = await request(env.t.server)[method](path).set('Cookie', env.a.memberCookie).send(body).expect(400);
      return (res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    };
    expect(await fields({})).toEqual(['name']);
    expect(await fields({ name: 'x', status: 'sending' })).toEqual(['status']);
    expect(await fields({ name: 'x', audienceListIds: ['nope'] })).toEqual(['audienceListIds']);
    expect(await fields({ name: 'x', suppressionListIds: ['00000000-0000-4000-8000-000000000000'] })).toEqual(['suppressionListIds']);
    expect(await fields({ name: 'x', colour: 'red' })).toEqual(['colour']);
    expect(await fields({ name: '' }, 'patch', `/api/campaigns/${campaign.id}`)).toEqual(['name']);
    const q = await request(env.t.server).get(`/api/campaigns/${campaign.id}/recipients?pageSize=5000`).set('Cookie', env.a.memberCookie).expect(400);
    expect((q.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['pageSize']);
    const d = await request(env.t.server).put('/api/dnc/settings').set('Cookie', env.a.adminCookie).send({ domains: ['not a domain'] }).expect(400);
    expect((d.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['domains']);
  });

  it('workspace isolation on every campaign endpoint', async () => {
    const b = env.b.adminCookie;
    expect(await get<CampaignDto[]>('/api/campaigns', b)).toEqual([]);
    for (const path of ['', '/recipients', '/recipients/counts', '/recipients/excluded']) await request(env.t.server).get(`/api/campaigns/${campaign.id}${path}`).set('Cookie', b).expect(404);
    await request(env.t.server).patch(`/api/campaigns/${campaign.id}`).set('Cookie', b).send({ name: 'mine' }).expect(404);
    await request(env.t.server).delete(`/api/campaigns/${campaign.id}`).set('Cookie', b).expect(404);
    expect(await get<unknown[]>('/api/suppression-lists', b)).toEqual([]);
    const people = await request(env.t.server).post('/api/campaigns').set('Cookie', b).send({ name: 'x', audiencePersonIds: [audienceIds[0]] }).expect(400);
    expect((people.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['audiencePersonIds']);
    await request(env.t.server).get(`/api/people/${audienceIds[0]}/dnc`).set('Cookie', b).expect(404);
    expect((await get<{ domains: string[] }>('/api/dnc/settings', b)).domains).toEqual([]);

    expect((await get<CampaignDto[]>('/api/campaigns')).map((c) => c.id)).toEqual([campaign.id]);
    await request(env.t.server).delete(`/api/campaigns/${campaign.id}`).set('Cookie', env.a.memberCookie).expect(204);
    await request(env.t.server).get(`/api/campaigns/${campaign.id}`).set('Cookie', env.a.memberCookie).expect(404);
  });
});
