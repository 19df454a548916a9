import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { CampaignDto, CrmListDto, RecipientCountsDto } from '@conduit/contracts';
import request from 'supertest';
import { CrmListsService } from '../src/crm-lists/crm-lists.service.js';
import type { TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp, waitFor } from './support/test-app.js';
import { connectedWorkspace, crmSandboxConfig, salesforceRest, type SalesforceRest } from './support/crm-test-app.js';

/**
 * Salesforce list views (Lead and Contact) as campaign audiences and suppression lists: the adapter (jsforce) reads
 * the views from the REST list view resources of the sandbox org, and each view's members by running its describe
 * query (only Id) through the query locator — every member, not the results resource's first 2,000. The sandbox's
 * control API changes views the way an admin would in Salesforce (new filter, deleted, made private, a filter field
 * the user cannot read).
 */
describe('Salesforce list views as audiences and suppression lists (jsforce against the sandbox)', () => {
  let sandbox: Sandbox;
  let t: TestApp;
  let a: TestWorkspace;
  let connectionId: string;
  let rest: SalesforceRest;
  let alex: string;
  let tradeShowView: string;
  let campaignId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 3 });
    t = await startTestApp({ runProcessors: true, ...crmSandboxConfig(sandbox) });
    ({ workspace: a, connectionId } = await connectedWorkspace(t, 'Sf list views', 'salesforce'));
    rest = salesforceRest(sandbox);
    alex = sandbox.salesforce.control.users().find((u) => u.email.startsWith('alex.'))!.id;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  /** Every Id a SOQL query selects (following the locator). */
  const soqlIds = async (q: string): Promise<string[]> => {
    const out: string[] = [];
    let page = await rest<{ records: { Id: string }[]; done: boolean; nextRecordsUrl?: string }>('GET', `/query?q=${encodeURIComponent(q)}`);
    out.push(...page.records.map((r) => r.Id));
    while (!page.done && page.nextRecordsUrl) {
      page = await rest('GET', page.nextRecordsUrl.replace('/services/data/v62.0', ''));
      out.push(...page.records.map((r) => r.Id));
    }
    return out.sort();
  };
  const browse = async () => (await request(t.server).get('/api/crm-lists?crm=salesforce').set('Cookie', a.memberCookie).expect(200)).body as CrmListDto[];
  /** The catalog re-read now (a browse reads it at most every 15 s). */
  const browseFresh = async () => {
    await t.app.get(CrmListsService).refreshCatalog(a.id, connectionId);
    return browse();
  };
  const getList = async (id: string) => (await request(t.server).get(`/api/crm-lists/${id}`).set('Cookie', a.memberCookie).expect(200)).body as CrmListDto;
  const getCampaign = async (id: string) => (await request(t.server).get(`/api/campaigns/${id}`).set('Cookie', a.memberCookie).expect(200)).body as CampaignDto;
  const waitForSync = (id: string, since: number) =>
    waitFor(async () => {
      const list = await getList(id);
      if (list.syncStatus === 'failed') throw new Error(`list sync failed: ${list.lastError}`);
      return list.syncStatus === 'ok' && list.lastSyncedAt !== null && Date.parse(list.lastSyncedAt) >= since - 1000 ? list : null;
    }, 120_000);
  const sync = async (id: string) => {
    const since = Date.now();
    await request(t.server).post(`/api/crm-lists/${id}/sync`).set('Cookie', a.memberCookie).expect(202);
    return waitForSync(id, since);
  };
  /** The CRM record ids of a list's stored members (their live links). */
  const storedCrmIds = async (listId: string) =>
    (
      await t.dataSource.query<{ crm_id: string }[]>(
        `SELECT l.crm_id FROM crm_list_member m JOIN crm_link l ON l.person_id = m.person_id AND l.connection_id = $2 AND l.archived_at IS NULL
          WHERE m.list_id = $1 ORDER BY l.crm_id`,
        [listId, connectionId],
      )
    ).map((r) => r.crm_id).sort();

  it('offers the Lead and Contact list views beside the Campaigns, as dynamic lists of their object', async () => {
    const lists = await browse();
    const views = lists.filter((l) => l.source === 'list_view');
    expect(views.map((l) => [l.name, l.crmObject, l.kind]).sort()).toEqual([
      ['Contacts in California', 'contact', 'dynamic'],
      ['My open leads', 'lead', 'dynamic'],
      ['Technology industry', 'lead', 'dynamic'],
    ]);
    for (const v of views) expect(v.crmListId).toMatch(/^(Lead|Contact)\/00B[A-Za-z0-9]{15}$/);
    expect(lists.filter((l) => l.source === 'campaign').length).toBeGreaterThan(0);
  });

  it('a view of 2,600 Leads as a campaign audience: every member is read through its query, pages fetched ahead, never the 2,000-row results', async () => {
    sandbox.salesforce.control.seedLeads(2_600, { LeadSource: 'Trade Show 2026' });
    const view = sandbox.salesforce.control.createListView({ sobjectType: 'Lead', label: 'Trade show 2026', where: "LeadSource = 'Trade Show 2026'" });
    tradeShowView = view.id;
    const list = (await browseFresh()).find((l) => l.crmListId === `Lead/${view.id}`)!;
    expect(list).toMatchObject({ name: 'Trade show 2026', source: 'list_view', crmObject: 'lead', kind: 'dynamic', syncStatus: 'never' });

    const since = Date.now();
    sandbox.salesforce.control.clearRequests();
    campaignId = ((await request(t.server).post('/api/campaigns').set('Cookie', a.memberCookie).send({ name: 'Trade show follow-up', audienceListIds: [list.id] }).expect(201)).body as CampaignDto).id;
    const synced = await waitForSync(list.id, since);
    expect(synced.memberCount).toBe(2_600);
    expect(synced.size).toBe(2_600);
    expect(await storedCrmIds(list.id)).toEqual(await soqlIds(`SELECT Id FROM Lead WHERE LeadSource = 'Trade Show 2026'`));

    const calls = sandbox.salesforce.control.requests().filter((r) => r.path.startsWith('/services/data/'));
    expect(calls.filter((r) => r.path.endsWith(`/listviews/${view.id}/describe`))).toHaveLength(1);
    expect(calls.filter((r) => r.path.includes('/listviews/') && r.path.endsWith('/results'))).toHaveLength(0);
    // The member query's second page (rows 2,001–2,600) came through its locator (the incremental sync may read one too).
    expect(calls.filter((r) => /\/query\/01g[A-Za-z0-9]+-2000$/.test(r.path)).length).toBeGreaterThanOrEqual(1);

    const counts = (await request(t.server).get(`/api/campaigns/${campaignId}/recipients/counts`).set('Cookie', a.memberCookie).expect(200)).body as RecipientCountsDto;
    expect(counts.audience).toBe(2_600);
  }, 300_000);

  it('after a filter change, the membership follows on the list\'s next scheduled refresh; leavers stay people', async () => {
    const list = (await browse()).find((l) => l.crmListId === `Lead/${tradeShowView}`)!;
    const before = await storedCrmIds(list.id);
    sandbox.salesforce.control.updateListView(tradeShowView, { where: `LeadSource = 'Trade Show 2026' AND OwnerId = '${alex}'` });
    const joiner = await rest<{ id: string }>('POST', '/sobjects/Lead', { LastName: 'Joiner', Company: 'Booth Co', Email: 'joiner@booth.example', LeadSource: 'Trade Show 2026', OwnerId: alex });
    const expected = await soqlIds(`SELECT Id FROM Lead WHERE LeadSource = 'Trade Show 2026' AND OwnerId = '${alex}'`);
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.length).toBeLessThan(before.length);
    expect(expected).toContain(joiner.id);

    // Not due yet: a dynamic list is re-read every refreshMinutes (15 by default).
    const scheduler = t.app.get(CrmListsService);
    await scheduler.scheduleDue(new Date());
    expect((await getList(list.id)).syncStatus).toBe('ok');
    await t.dataSource.query(`UPDATE crm_list SET last_synced_at = now() - interval '16 minutes' WHERE id = $1`, [list.id]);
    const since = Date.now();
    expect(await scheduler.scheduleDue(new Date())).toBeGreaterThanOrEqual(1);
    const refreshed = await waitForSync(list.id, since);
    expect(refreshed.memberCount).toBe(expected.length);
    expect(await storedCrmIds(list.id)).toEqual(expected);
    const people = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM crm_link WHERE connection_id = $1 AND crm_id = ANY($2::text[]) AND person_id IS NOT NULL`, [connectionId, before]);
    expect(people[0]!.n).toBe(before.length);
  }, 180_000);

  it('a view made unreadable (its filter field hidden from the user) keeps its members and says why on the campaign; readable again, it recovers', async () => {
    const list = (await browse()).find((l) => l.crmListId === `Lead/${tradeShowView}`)!;
    const members = list.memberCount;
    sandbox.salesforce.control.addField('Lead', { name: 'Segment__c', type: 'string' });
    sandbox.salesforce.control.updateListView(tradeShowView, { where: `LeadSource = 'Trade Show 2026' AND OwnerId = '${alex}' AND Segment__c = null` });
    expect((await sync(list.id)).memberCount).toBe(members);
    sandbox.salesforce.control.removeField('Lead', 'Segment__c');

    const flagged = await sync(list.id);
    expect(flagged.memberCount).toBe(members);
    expect(flagged.unavailable).toMatchObject({ state: 'unreadable', reason: expect.stringContaining('its filter uses the field Segment__c, which the connected Salesforce user cannot read') });
    const campaign = await getCampaign(campaignId);
    expect(campaign.unavailableLists).toEqual([
      expect.objectContaining({ id: list.id, name: 'Trade show 2026', source: 'list_view', crmObject: 'lead', state: 'unreadable' }),
    ]);
    expect(campaign.audiences[0]!.list!.unavailable?.state).toBe('unreadable');
    const counts = (await request(t.server).get(`/api/campaigns/${campaignId}/recipients/counts`).set('Cookie', a.memberCookie).expect(200)).body as RecipientCountsDto;
    expect(counts.audience).toBe(members);

    sandbox.salesforce.control.addField('Lead', { name: 'Segment__c', type: 'string' });
    const back = await sync(list.id);
    expect(back.unavailable).toBeNull();
    expect(back.memberCount).toBe(members);
    expect((await getCampaign(campaignId)).unavailableLists).toEqual([]);
  }, 180_000);

  it('a deleted view, or one made private to another user, shows as deleted on the campaigns that use it and keeps its last members', async () => {
    const lists = await browse();
    const california = lists.find((l) => l.name === 'Contacts in California')!;
    const technology = lists.find((l) => l.name === 'Technology industry')!;
    const since = Date.now();
    const campaign = (
      await request(t.server).post('/api/campaigns').set('Cookie', a.memberCookie).send({ name: 'Tech minus California', audienceListIds: [technology.id], suppressionListIds: [california.id] }).expect(201)
    ).body as CampaignDto;
    const [tech, ca] = await Promise.all([waitForSync(technology.id, since), waitForSync(california.id, since)]);
    expect(tech.memberCount).toBe((await soqlIds(`SELECT Id FROM Lead WHERE IsConverted = false AND Industry = 'Technology'`)).length);
    expect(ca.memberCount).toBe((await soqlIds(`SELECT Id FROM Contact WHERE MailingState = 'CA'`)).length);
    expect(ca.memberCount).toBeGreaterThan(0);

    // Deleted in Salesforce: the describe answers 404.
    expect(sandbox.salesforce.control.deleteListView(california.crmListId.split('/')[1]!)).toBe(true);
    const deleted = await sync(california.id);
    expect(deleted.deletedInCrmAt).not.toBeNull();
    expect(deleted.memberCount).toBe(ca.memberCount);
    expect(deleted.unavailable).toMatchObject({ state: 'deleted', reason: 'This list view was deleted in Salesforce, or is no longer shared with the connected Salesforce user.' });

    // Made private to another user: Salesforce answers 404 too, and leaves it out of the catalog.
    const priya = sandbox.salesforce.control.users().find((u) => u.email.startsWith('priya.'))!.id;
    const techViewId = technology.crmListId.split('/')[1]!;
    sandbox.salesforce.control.updateListView(techViewId, { visibility: 'private', ownerId: priya });
    const hidden = await sync(technology.id);
    expect(hidden.deletedInCrmAt).not.toBeNull();
    expect(hidden.memberCount).toBe(tech.memberCount);

    const shown = await getCampaign(campaign.id);
    expect(shown.unavailableLists.map((l) => [l.name, l.state]).sort()).toEqual([
      ['Contacts in California', 'deleted'],
      ['Technology industry', 'deleted'],
    ]);
    expect(shown.deletedLists.map((l) => l.name).sort()).toEqual(['Contacts in California', 'Technology industry']);
    const campaigns = (await request(t.server).get('/api/campaigns').set('Cookie', a.memberCookie).expect(200)).body as CampaignDto[];
    expect(campaigns.find((c) => c.id === campaign.id)?.unavailableLists).toHaveLength(2);

    // Shared again: the catalog lists it, which clears the flag.
    sandbox.salesforce.control.updateListView(techViewId, { visibility: 'public' });
    await t.app.get(CrmListsService).refreshCatalog(a.id, connectionId);
    expect((await getList(technology.id)).unavailable).toBeNull();
    expect((await getList(california.id)).unavailable?.state).toBe('deleted');
  }, 180_000);
});
