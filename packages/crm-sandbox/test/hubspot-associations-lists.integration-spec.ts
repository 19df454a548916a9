import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { AssociationTypes, type Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/index.js';
import { startHubspot, sdkError, type HubspotHarness } from './hubspot-harness.js';

const HUBSPOT_DEFINED = AssociationSpecAssociationCategoryEnum.HubspotDefined;

describe('HubSpot sandbox: associations v4, timelines, lists v3 and owners', () => {
  let hs: HubspotHarness;
  let client: Client;

  beforeAll(async () => {
    hs = await startHubspot();
    client = hs.client();
  });
  afterAll(async () => {
    await hs.close();
  });

  const newContact = async (email: string): Promise<string> =>
    (await client.crm.contacts.basicApi.create({ properties: { email }, associations: [] })).id;

  describe('associations v4', () => {
    it('creates a labelled association (201) with the real type ids and reads it back', async () => {
      const contactId = await newContact('assoc1@example.org');
      const company = (await client.crm.companies.basicApi.getPage(1)).results[0];
      const res = await client.crm.associations.v4.basicApi.create('contacts', contactId, 'companies', company?.id ?? '', [
        { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypes.contactToCompany },
      ]);
      expect(res.fromObjectId).toBe(Number(contactId));
      expect(res.toObjectId).toBe(Number(company?.id));
      const page = await client.crm.associations.v4.basicApi.getPage('companies', company?.id ?? '', 'contacts');
      const back = page.results.find((r) => String(r.toObjectId) === contactId);
      expect(back?.associationTypes.map((t) => t.typeId)).toContain(280);
      const v3 = await client.crm.contacts.basicApi.getById(contactId, ['email'], undefined, ['companies']);
      expect(v3.associations?.['companies']?.results[0]?.id).toBe(company?.id);
      const wrong = await sdkError(client.crm.associations.v4.basicApi.create('contacts', contactId, 'companies', company?.id ?? '', [
        { associationCategory: HUBSPOT_DEFINED, associationTypeId: 3 },
      ]));
      expect(wrong.code).toBe(400);
    });

    it('creates default associations and engagement associations that appear on the timeline', async () => {
      const contactId = await newContact('timeline@example.org');
      const note = await client.crm.objects.notes.basicApi.create({ properties: { hs_timestamp: '2025-02-01T09:00:00Z', hs_note_body: 'Called, left voicemail' }, associations: [] });
      await client.crm.associations.v4.basicApi.create('notes', note.id, 'contacts', contactId, [
        { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypes.noteToContact },
      ]);
      const email = await client.crm.objects.emails.basicApi.create({ properties: { hs_timestamp: '2025-02-03T09:00:00Z', hs_email_subject: 'Hello', hs_email_direction: 'EMAIL', hs_email_status: 'SENT' }, associations: [] });
      const def = await client.crm.associations.v4.basicApi.createDefault('emails', email.id, 'contacts', contactId);
      expect(def.results[0]?.associationSpec.associationTypeId).toBe(198);
      const linkedin = await client.crm.objects.communications.basicApi.create({
        properties: { hs_timestamp: '2025-02-05T09:00:00Z', hs_communication_channel_type: 'LINKEDIN_MESSAGE', hs_communication_logged_from: 'CRM', hs_communication_body: 'Hi!' },
        associations: [{ to: { id: contactId }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 81 }] }],
      });
      const record = hs.control.getRecord('contacts', contactId);
      expect(record?.timeline.map((e) => e.id)).toEqual([linkedin.id, email.id, note.id]);
      expect(record?.timeline.map((e) => e.type)).toEqual(['communications', 'emails', 'notes']);
      const http = await (await fetch(`${hs.url}/__sandbox/records/contacts/${contactId}`)).json() as { timeline: unknown[] };
      expect(http.timeline).toHaveLength(3);
    });

    it('batch create (201), batch read (207 for ids without associations) and batch archive (204)', async () => {
      const a = await newContact('batch-assoc-a@example.org');
      const b = await newContact('batch-assoc-b@example.org');
      const deal = await client.crm.deals.basicApi.create({ properties: { dealname: 'Batch deal', dealstage: 'qualifiedtobuy', pipeline: 'default' }, associations: [] });
      const created = await client.crm.associations.v4.batchApi.create('deals', 'contacts', { inputs: [
        { _from: { id: deal.id }, to: { id: a }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypes.dealToContact }] },
        { _from: { id: deal.id }, to: { id: b }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypes.dealToContact }] },
      ] });
      expect(created.results).toHaveLength(2);
      const read = await client.crm.associations.v4.batchApi.getPage('contacts', 'deals', { inputs: [{ id: a }, { id: b }, { id: await newContact('lonely@example.org') }] });
      expect(read.results.map((r) => r._from.id).sort()).toEqual([a, b].sort());
      expect(read.results[0]?.to[0]?.associationTypes[0]?.typeId).toBe(4);
      expect((read as typeof read & { numErrors?: number }).numErrors).toBe(1);
      await client.crm.associations.v4.batchApi.archive('deals', 'contacts', { inputs: [{ _from: { id: deal.id }, to: [{ id: a }] }] });
      const after = await client.crm.associations.v4.basicApi.getPage('deals', deal.id, 'contacts');
      expect(after.results.map((r) => String(r.toObjectId))).toEqual([b]);
    });
  });

  describe('lists v3', () => {
    it('searches lists and reads one with its size', async () => {
      const res = await client.crm.lists.listsApi.doSearch({ query: '', processingTypes: [], additionalProperties: [], listIds: [], offset: 0, count: 50 });
      expect(res.total).toBeGreaterThanOrEqual(6);
      const types = new Set(res.lists.map((l) => l.processingType));
      expect(types).toEqual(new Set(['MANUAL', 'SNAPSHOT', 'DYNAMIC']));
      const germany = await client.crm.lists.listsApi.doSearch({ query: 'germany', processingTypes: ['DYNAMIC'], additionalProperties: [], listIds: [], offset: 0, count: 10 });
      expect(germany.lists).toHaveLength(1);
      const fetched = await client.crm.lists.listsApi.getById(germany.lists[0]?.listId ?? '', true);
      expect(fetched.list.processingType).toBe('DYNAMIC');
      expect(fetched.list.size).toBeGreaterThan(0);
      expect(fetched.list.filterBranch).toBeDefined();
    });

    it('pages memberships with after/limit', async () => {
      const lists = await client.crm.lists.listsApi.doSearch({ query: 'hand-picked', processingTypes: [], additionalProperties: [], listIds: [], offset: 0, count: 10 });
      const listId = lists.lists[0]?.listId ?? '';
      const size = (await client.crm.lists.listsApi.getById(listId)).list.size ?? 0;
      const ids: string[] = [];
      let after: string | undefined;
      do {
        const page = await client.crm.lists.membershipsApi.getPage(listId, after, undefined, 25);
        ids.push(...page.results.map((r) => r.recordId));
        after = page.paging?.next?.after;
      } while (after !== undefined);
      expect(ids).toHaveLength(size);
      expect(new Set(ids).size).toBe(size);
      expect((await sdkError(client.crm.lists.membershipsApi.getPage(listId, undefined, undefined, 251))).code).toBe(400);
    });

    it('adds and removes members of a MANUAL list but not of a DYNAMIC one', async () => {
      const created = await client.crm.lists.listsApi.create({ name: 'Sandbox test list', objectTypeId: '0-1', processingType: 'MANUAL' });
      const listId = created.list.listId;
      const x = await newContact('member-x@example.org');
      const y = await newContact('member-y@example.org');
      const added = await client.crm.lists.membershipsApi.add(listId, [x, y, '999999999']);
      expect(added.recordsIdsAdded.sort()).toEqual([x, y].sort());
      expect(added.recordIdsMissing).toEqual(['999999999']);
      const removed = await client.crm.lists.membershipsApi.remove(listId, [x]);
      expect(removed.recordIdsRemoved).toEqual([x]);
      const page = await client.crm.lists.membershipsApi.getPage(listId);
      expect(page.results.map((r) => r.recordId)).toEqual([y]);
      const dynamic = await client.crm.lists.listsApi.doSearch({ query: 'All leads', processingTypes: [], additionalProperties: [], listIds: [], offset: 0, count: 10 });
      const err = await sdkError(client.crm.lists.membershipsApi.add(dynamic.lists[0]?.listId ?? '', [x]));
      expect(err.code).toBe(400);
    });

    it('re-evaluates a DYNAMIC list when a contact changes', async () => {
      const found = await client.crm.lists.listsApi.doSearch({ query: 'Germany', processingTypes: ['DYNAMIC'], additionalProperties: [], listIds: [], offset: 0, count: 10 });
      const listId = found.lists[0]?.listId ?? '';
      const memberIds = async (): Promise<string[]> => {
        const out: string[] = [];
        let after: string | undefined;
        do {
          const page = await client.crm.lists.membershipsApi.getPage(listId, after, undefined, 250);
          out.push(...page.results.map((r) => r.recordId));
          after = page.paging?.next?.after;
        } while (after !== undefined);
        return out;
      };
      const c = await client.crm.contacts.basicApi.create({ properties: { email: 'berlin@example.de', country: 'France' }, associations: [] });
      expect(await memberIds()).not.toContain(c.id);
      await client.crm.contacts.basicApi.update(c.id, { properties: { country: 'Germany' } });
      expect(await memberIds()).toContain(c.id);
      await client.crm.contacts.basicApi.update(c.id, { properties: { country: 'Austria' } });
      expect(await memberIds()).not.toContain(c.id);
      // A salesperson's edit in the CRM counts too.
      hs.control.updateRecord('contacts', c.id, { country: 'Germany' });
      expect(await memberIds()).toContain(c.id);
      await client.crm.contacts.basicApi.archive(c.id);
      expect(await memberIds()).not.toContain(c.id);
    });

    it('creates a DYNAMIC list from a filterBranch and 404s a deleted list', async () => {
      const created = await client.crm.lists.listsApi.create({
        name: 'CEOs', objectTypeId: '0-1', processingType: 'DYNAMIC',
        filterBranch: { filterBranchType: 'OR', filterBranches: [{ filterBranchType: 'AND', filterBranches: [], filters: [{ filterType: 'PROPERTY', property: 'jobtitle', operation: { operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', values: ['CEO'] } }] }], filters: [] },
      } as never);
      expect(created.list.size).toBeGreaterThan(0);
      await client.crm.lists.listsApi.remove(created.list.listId);
      const err = await sdkError(client.crm.lists.listsApi.getById(created.list.listId));
      expect(err.code).toBe(404);
      expect((await sdkError(client.crm.lists.membershipsApi.getPage(created.list.listId))).code).toBe(404);
      const search = await client.crm.lists.listsApi.doSearch({ query: 'CEOs', processingTypes: [], additionalProperties: [], listIds: [], offset: 0, count: 10 });
      expect(search.lists).toHaveLength(0);
    });
  });

  describe('owners v3', () => {
    it('lists owners at /crm/v3/owners/ (trailing slash) with paging and reads one', async () => {
      const page = await client.crm.owners.ownersApi.getPage(undefined, undefined, 2);
      expect(page.results).toHaveLength(2);
      expect(page.paging?.next?.after).toBeDefined();
      const all = (await client.crm.owners.ownersApi.getPage(undefined, undefined, 100)).results;
      expect(all.length).toBeGreaterThanOrEqual(5);
      const one = await client.crm.owners.ownersApi.getById(Number(all[0]?.id));
      expect(one.email).toBe(all[0]?.email);
      const byEmail = await client.crm.owners.ownersApi.getPage(all[1]?.email);
      expect(byEmail.results.map((o) => o.id)).toEqual([all[1]?.id]);
      const log = hs.control.requests().filter((e) => e.path.startsWith('/crm/v3/owners'));
      expect(log.some((e) => e.path === '/crm/v3/owners/')).toBe(true);
      const noSlash = await hs.raw('/crm/v3/owners?limit=1');
      expect(noSlash.status).toBe(200);
    });
  });
});
