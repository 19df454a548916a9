import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { CampaignDto, CrmListDto, ExcludedPageDto, RecipientCountsDto } from '@conduit/contracts';
import request from 'supertest';
import type { TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { connectedWorkspace, crmSandboxConfig, salesforceRest, type SalesforceRest } from './support/crm-test-app.js';

/**
 * Salesforce Campaigns as lists: the adapter (jsforce) reads the Campaign catalog and CampaignMember pages from the
 * sandbox org; members are Leads and Contacts. The test changes the org through its REST API, like a user would.
 */
describe('Salesforce Campaigns as audiences and suppression lists (jsforce against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let connectionId: string;
  let rest: SalesforceRest;

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 1 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    ({ workspace: a, connectionId } = await connectedWorkspace(t, 'Sf lists', 'salesforce'));
    rest = salesforceRest(sandbox);
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  const soql = async <T>(q: string) => (await rest<{ records: T[] }>('GET', `/query?q=${encodeURIComponent(q)}`)).records;
  const members = (campaignId: string) => soql<{ Id: string; LeadId: string | null; ContactId: string | null }>(`SELECT Id, LeadId, ContactId FROM CampaignMember WHERE CampaignId = '${campaignId}'`);
  const browse = async () => (await request(t.server).get('/api/crm-lists?crm=salesforce').set('Cookie', a.memberCookie).expect(200)).body as CrmListDto[];
  const getList = async (id: string) => (await request(t.server).get(`/api/crm-lists/${id}`).set('Cookie', a.memberCookie).expect(200)).body as CrmListDto;
  const waitForSync = (id: string, since: number) =>
    waitFor(async () => {
      const list = await getList(id);
      if (list.syncStatus === 'failed') throw new Error(`list sync failed: ${list.lastError}`);
      return list.syncStatus === 'ok' && list.lastSyncedAt !== null && Date.parse(list.lastSyncedAt) >= since - 1000 ? list : null;
    }, 60_000);
  const sync = async (id: string) => {
    const since = Date.now();
    await request(t.server).post(`/api/crm-lists/${id}/sync`).set('Cookie', a.memberCookie).expect(202);
    return waitForSync(id, since);
  };
  const linkedPeople = async (ids: string[]) =>
    (await t.dataSource.query<{ person_id: string }[]>(`SELECT person_id FROM crm_link WHERE connection_id = $1 AND crm_id = ANY($2::text[]) AND person_id IS NOT NULL AND archived_at IS NULL`, [connectionId, ids])).map((r) => r.person_id);

  it('lists Campaigns as static lists with their size, imports Lead and Contact members, and follows member changes', async () => {
    const campaigns = await soql<{ Id: string; Name: string; NumberOfLeads: number; NumberOfContacts: number }>('SELECT Id, Name, NumberOfLeads, NumberOfContacts FROM Campaign');
    // The catalog also offers list views (lists-salesforce-views.integration-spec.ts); here only Campaigns.
    const lists = (await browse()).filter((l) => l.source === 'campaign');
    expect(lists.map((l) => l.crmListId).sort()).toEqual(campaigns.map((c) => c.Id).sort());
    for (const c of campaigns) expect(lists.find((l) => l.crmListId === c.Id)).toMatchObject({ name: c.Name, crm: 'salesforce', kind: 'static', source: 'campaign', crmObject: null, size: c.NumberOfLeads + c.NumberOfContacts });

    const booth = campaigns.find((c) => c.Name === 'SaaStr Annual Booth')!;
    const list = lists.find((l) => l.crmListId === booth.Id)!;
    const since = Date.now();
    await request(t.server).post('/api/campaigns').set('Cookie', a.memberCookie).send({ name: 'Booth follow-up', audienceListIds: [list.id] }).expect(201);
    const before = await members(booth.Id);
    const synced = await waitForSync(list.id, since);
    expect(synced.memberCount).toBe(before.length);
    const objects = await t.dataSource.query<{ object: string; n: number }[]>(
      `SELECT l.object, count(*)::int AS n FROM crm_list_member m JOIN crm_link l ON l.person_id = m.person_id AND l.connection_id = $2 WHERE m.list_id = $1 GROUP BY l.object ORDER BY l.object`,
      [list.id, connectionId],
    );
    expect(objects).toEqual([
      { object: 'contact', n: before.filter((m) => m.ContactId).length },
      { object: 'lead', n: before.filter((m) => !m.ContactId).length },
    ]);
    const runs = await t.dataSource.query<{ kind: string; objects: string[] }[]>(`SELECT kind, objects FROM sync_run WHERE workspace_id = $1 ORDER BY objects`, [a.id]);
    expect(new Set(runs.map((r) => r.kind))).toEqual(new Set(['list']));
    expect(runs.map((r) => r.objects[0]).sort()).toEqual(['contact', 'lead']);

    // A member leaves the Campaign and another Lead joins: the next sync follows; nobody is deleted.
    const leaving = before.find((m) => m.LeadId)!;
    const [leavingPerson] = await linkedPeople([leaving.LeadId!]);
    await rest('DELETE', `/sobjects/CampaignMember/${leaving.Id}`);
    const inBooth = new Set(before.map((m) => m.LeadId));
    const [joiner] = (await soql<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false ORDER BY Id')).filter((l) => !inBooth.has(l.Id));
    await rest('POST', '/sobjects/CampaignMember', { CampaignId: booth.Id, LeadId: joiner!.Id, Status: 'Sent' });
    const refreshed = await sync(list.id);
    expect(refreshed.memberCount).toBe(before.length);
    const stored = (await t.dataSource.query<{ person_id: string }[]>(`SELECT person_id FROM crm_list_member WHERE list_id = $1`, [list.id])).map((r) => r.person_id);
    const [joinerPerson] = await linkedPeople([joiner!.Id]);
    expect(stored).toContain(joinerPerson);
    expect(stored).not.toContain(leavingPerson);
    expect((await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM person WHERE id = $1`, [leavingPerson]))[0]!.n).toBe(1);
  });

  it('another Campaign as suppression list removes its members from the recipients, with the Campaign as reason', async () => {
    const lists = await browse();
    const audience = lists.find((l) => l.name === 'SaaStr Annual Booth')!;
    const suppression = lists.find((l) => l.name === 'Spring Webinar: Pipeline Hygiene')!;
    // Make sure the two overlap: a Booth member joins the webinar Campaign too.
    const boothMembers = await members(audience.crmListId);
    const webinar = new Set((await members(suppression.crmListId)).map((m) => m.LeadId ?? m.ContactId));
    const shared = boothMembers.find((m) => m.LeadId && !webinar.has(m.LeadId))!;
    await rest('POST', '/sobjects/CampaignMember', { CampaignId: suppression.crmListId, LeadId: shared.LeadId, Status: 'Sent' });
    const overlap = boothMembers.filter((m) => webinar.has(m.LeadId ?? m.ContactId) || m.Id === shared.Id).length;

    const since = Date.now();
    const campaign = (await request(t.server).post('/api/campaigns').set('Cookie', a.memberCookie).send({ name: 'Booth minus webinar', audienceListIds: [audience.id], suppressionListIds: [suppression.id] }).expect(201))
      .body as CampaignDto;
    await waitForSync(suppression.id, since);
    const counts = (await request(t.server).get(`/api/campaigns/${campaign.id}/recipients/counts`).set('Cookie', a.memberCookie).expect(200)).body as RecipientCountsDto;
    expect(counts.audience).toBe(boothMembers.length);
    expect(counts.suppressed).toBe(overlap);
    const excluded = (await request(t.server).get(`/api/campaigns/${campaign.id}/recipients/excluded?pageSize=500`).set('Cookie', a.memberCookie).expect(200)).body as ExcludedPageDto;
    const [sharedPerson] = await linkedPeople([shared.LeadId!]);
    expect(excluded.items.find((p) => p.personId === sharedPerson)?.reasons).toContainEqual({ reason: 'suppressed', detail: 'Spring Webinar: Pipeline Hygiene' });
  });

  it('a Campaign deleted in Salesforce is flagged and keeps its last members', async () => {
    const list = (await browse()).find((l) => l.name === 'SaaStr Annual Booth')!;
    const synced = await sync(list.id);
    await rest('DELETE', `/sobjects/Campaign/${list.crmListId}`);
    const flagged = await sync(list.id);
    expect(flagged.deletedInCrmAt).not.toBeNull();
    expect(flagged.memberCount).toBe(synced.memberCount);
    const campaigns = (await request(t.server).get('/api/campaigns').set('Cookie', a.memberCookie).expect(200)).body as CampaignDto[];
    for (const c of campaigns.filter((x) => x.audiences.some((au) => au.list?.id === list.id))) {
      expect(c.deletedLists).toEqual([{ id: list.id, name: list.name }]);
      expect(c.unavailableLists).toEqual([expect.objectContaining({ id: list.id, state: 'deleted', reason: 'This Campaign was deleted in Salesforce.' })]);
    }
  });
});
