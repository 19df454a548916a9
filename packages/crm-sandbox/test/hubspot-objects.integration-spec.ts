import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { startHubspot, sdkError, type HubspotHarness } from './hubspot-harness.js';

describe('HubSpot sandbox: CRM v3 objects through @hubspot/api-client', () => {
  let hs: HubspotHarness;
  let client: Client;

  beforeAll(async () => {
    hs = await startHubspot();
    client = hs.client();
  });
  afterAll(async () => {
    await hs.close();
  });

  describe('basic CRUD', () => {
    it('creates (201), reads, updates (200) and archives (204) a contact', async () => {
      const created = await client.crm.contacts.basicApi.create({ properties: { email: 'ada@lovelace.example', firstname: 'Ada', lastname: 'Lovelace', lifecyclestage: 'lead' }, associations: [] });
      expect(created.id).toMatch(/^\d+$/);
      expect(created.properties['hs_object_id']).toBe(created.id);
      expect(created.properties['createdate']).toBeDefined();

      const read = await client.crm.contacts.basicApi.getById(created.id, ['email', 'firstname', 'jobtitle']);
      expect(read.properties).toMatchObject({ email: 'ada@lovelace.example', firstname: 'Ada', jobtitle: null });

      const byEmail = await client.crm.contacts.basicApi.getById('ADA@lovelace.example', ['firstname'], undefined, undefined, false, 'email');
      expect(byEmail.id).toBe(created.id);

      const before = read.properties['lastmodifieddate'] ?? '';
      const updated = await client.crm.contacts.basicApi.update(created.id, { properties: { jobtitle: 'Analyst', conduit_score: '88' } });
      expect(updated.properties['jobtitle']).toBe('Analyst');
      expect(Date.parse(updated.properties['lastmodifieddate'] ?? '')).toBeGreaterThan(Date.parse(before));

      await client.crm.contacts.basicApi.archive(created.id);
      const gone = await sdkError(client.crm.contacts.basicApi.getById(created.id));
      expect(gone.code).toBe(404);
      expect(gone.body?.category).toBe('OBJECT_NOT_FOUND');
      // The email is free again after archiving.
      const again = await client.crm.contacts.basicApi.create({ properties: { email: 'ada@lovelace.example' }, associations: [] });
      expect(again.id).not.toBe(created.id);
    });

    it('serves the generic /crm/v3/objects/{type} API and engagements with hs_timestamp', async () => {
      const note = await client.crm.objects.basicApi.create('notes', { properties: { hs_timestamp: '2025-03-01T10:00:00Z', hs_note_body: 'Met at a conference' }, associations: [] });
      expect(note.properties['hs_timestamp']).toBe('2025-03-01T10:00:00.000Z');
      const missing = await sdkError(client.crm.objects.basicApi.create('notes', { properties: { hs_note_body: 'no timestamp' }, associations: [] }));
      expect(missing.code).toBe(400);
      expect(missing.body?.errors?.[0]?.code).toBe('REQUIRED_PROPERTY');
      const companies = await client.crm.objects.basicApi.getPage('0-2', 5, undefined, ['domain']);
      expect(companies.results).toHaveLength(5);
      expect(companies.results[0]?.properties['domain']).toMatch(/\./);
    });

    it('rejects a duplicate email with 409 and the existing id', async () => {
      const first = await client.crm.contacts.basicApi.create({ properties: { email: 'dup@example.org' }, associations: [] });
      const err = await sdkError(client.crm.contacts.basicApi.create({ properties: { email: 'Dup@Example.org' }, associations: [] }));
      expect(err.code).toBe(409);
      expect(err.body?.category).toBe('CONFLICT');
      expect(err.body?.message).toBe(`Contact already exists. Existing ID: ${first.id}`);
    });

    it('validates writes against property definitions like HubSpot', async () => {
      const invalidOption = await sdkError(client.crm.contacts.basicApi.create({ properties: { email: 'opt@example.org', lifecyclestage: 'hot' }, associations: [] }));
      expect(invalidOption.code).toBe(400);
      expect(invalidOption.body?.category).toBe('VALIDATION_ERROR');
      expect(invalidOption.body?.message).toMatch(/^Property values were not valid: \[/);
      const embedded = JSON.parse((invalidOption.body?.message ?? '').replace('Property values were not valid: ', '')) as { error: string; name: string }[];
      expect(embedded[0]).toMatchObject({ error: 'INVALID_OPTION', name: 'lifecyclestage' });
      expect(invalidOption.body?.errors?.[0]).toMatchObject({ code: 'INVALID_OPTION', context: { propertyName: ['lifecyclestage'] } });

      const unknown = await sdkError(client.crm.contacts.basicApi.create({ properties: { email: 'unk@example.org', favourite_colour: 'blue' }, associations: [] }));
      expect(unknown.code).toBe(400);
      expect(unknown.body?.errors?.[0]?.code).toBe('PROPERTY_DOESNT_EXIST');
      expect(unknown.body?.message).toContain('Property \\"favourite_colour\\" does not exist');

      const several = await sdkError(client.crm.contacts.basicApi.create({ properties: { email: 'not-an-email', conduit_score: 'lots', hs_object_id: '5', hs_lead_status: 'NEW' }, associations: [] }));
      expect(several.body?.errors?.map((e) => e.code).sort()).toEqual(['INVALID_DECIMAL', 'INVALID_EMAIL', 'READ_ONLY_VALUE']);

      const existing = (await client.crm.contacts.basicApi.getPage(1)).results[0];
      const badUpdate = await sdkError(client.crm.contacts.basicApi.update(existing?.id ?? '', { properties: { hubspot_owner_id: '42' } }));
      expect(badUpdate.body?.errors?.[0]?.code).toBe('INVALID_OPTION');
    });

    it('pages through every contact with getAll (paging.next.after)', async () => {
      const all = await client.crm.contacts.getAll(100, undefined, ['email']);
      const ids = new Set(all.map((c) => c.id));
      expect(ids.size).toBe(all.length);
      expect(all.length).toBe(hs.control.store().count('contacts'));
      expect(all.length).toBeGreaterThanOrEqual(300);
      const over = await sdkError(client.crm.contacts.basicApi.getPage(101));
      expect(over.code).toBe(400);
    });

    it('moves lifecycle stages forward only, like HubSpot', async () => {
      const c = await client.crm.contacts.basicApi.create({ properties: { email: 'stage@example.org', lifecyclestage: 'opportunity' }, associations: [] });
      await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'lead' } });
      expect((await client.crm.contacts.basicApi.getById(c.id, ['lifecyclestage'])).properties['lifecyclestage']).toBe('opportunity');
      await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: '' } });
      await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'lead' } });
      expect((await client.crm.contacts.basicApi.getById(c.id, ['lifecyclestage'])).properties['lifecyclestage']).toBe('lead');
    });
  });

  describe('batch', () => {
    it('batch create returns 201, or 207 with per-input errors', async () => {
      const ok = await client.crm.contacts.batchApi.create({ inputs: [
        { properties: { email: 'b1@batch.example' }, associations: [] },
        { properties: { email: 'b2@batch.example' }, associations: [] },
      ] });
      expect(ok.status).toBe('COMPLETE');
      expect(ok.results).toHaveLength(2);

      const partial = await client.crm.contacts.batchApi.create({ inputs: [
        { properties: { email: 'b3@batch.example' }, associations: [] },
        { properties: { email: 'b4@batch.example', lifecyclestage: 'nope' }, associations: [], objectWriteTraceId: 'row-4' },
        { properties: { email: 'b1@batch.example' }, associations: [] },
      ] });
      expect(partial.results).toHaveLength(1);
      const withErrors = partial as typeof partial & { numErrors?: number; errors?: { category: string; context?: Record<string, string[]> }[] };
      expect(withErrors.numErrors).toBe(2);
      expect(withErrors.errors?.map((e) => e.category)).toEqual(['VALIDATION_ERROR', 'CONFLICT']);
      expect(withErrors.errors?.[0]?.context?.['objectWriteTraceId']).toEqual(['row-4']);
    });

    it('batch read returns 207 with the missing ids', async () => {
      const page = await client.crm.contacts.basicApi.getPage(2);
      const ids = page.results.map((r) => ({ id: r.id }));
      const res = await client.crm.contacts.batchApi.read({ inputs: [...ids, { id: '999999999' }], properties: ['email'], propertiesWithHistory: [] });
      expect(res.results).toHaveLength(2);
      const errors = (res as typeof res & { errors?: { category: string; context: { ids: string[] } }[] }).errors;
      expect(errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999999'] } });
      const byEmail = await client.crm.contacts.batchApi.read({ idProperty: 'email', inputs: [{ id: 'b1@batch.example' }], properties: ['email'], propertiesWithHistory: [] });
      expect(byEmail.results[0]?.properties['email']).toBe('b1@batch.example');
    });

    it('batch update and upsert (idProperty email, new: true|false)', async () => {
      const b1 = await client.crm.contacts.basicApi.getById('b1@batch.example', ['email'], undefined, undefined, false, 'email');
      const updated = await client.crm.contacts.batchApi.update({ inputs: [{ id: b1.id, properties: { jobtitle: 'CTO' } }] });
      expect(updated.results[0]?.properties['jobtitle']).toBe('CTO');
      const dupIds = await sdkError(client.crm.contacts.batchApi.update({ inputs: [{ id: b1.id, properties: {} }, { id: b1.id, properties: {} }] }));
      expect(dupIds.code).toBe(400);

      const upserted = await client.crm.contacts.batchApi.upsert({ inputs: [
        { idProperty: 'email', id: 'b1@batch.example', properties: { firstname: 'Existing' } },
        { idProperty: 'email', id: 'fresh@batch.example', properties: { firstname: 'Fresh' } },
      ] });
      const byEmail = new Map(upserted.results.map((r) => [r.properties['email'], r]));
      expect(byEmail.get('b1@batch.example')).toMatchObject({ id: b1.id, _new: false });
      expect(byEmail.get('fresh@batch.example')?._new).toBe(true);
      expect(byEmail.get('fresh@batch.example')?.properties['firstname']).toBe('Fresh');
    });

    it('rejects more than 100 inputs with 400 and archives in batch (204)', async () => {
      const tooMany = Array.from({ length: 101 }, (_, i) => ({ properties: { email: `many${i}@batch.example` }, associations: [] }));
      const err = await sdkError(client.crm.contacts.batchApi.create({ inputs: tooMany }));
      expect(err.code).toBe(400);
      expect(err.body?.category).toBe('VALIDATION_ERROR');
      const b2 = await client.crm.contacts.basicApi.getById('b2@batch.example', undefined, undefined, undefined, false, 'email');
      await client.crm.contacts.batchApi.archive({ inputs: [{ id: b2.id }, { id: '123456789' }] });
      expect((await sdkError(client.crm.contacts.basicApi.getById(b2.id))).code).toBe(404);
    });
  });

  describe('search', () => {
    const eq = (propertyName: string, value: string): { propertyName: string; operator: FilterOperatorEnum; value: string } =>
      ({ propertyName, operator: FilterOperatorEnum.Eq, value });

    it('filters with AND inside a group and OR across groups, sorts, and pages', async () => {
      const res = await client.crm.contacts.searchApi.doSearch({
        filterGroups: [{ filters: [eq('country', 'Germany'), eq('lifecyclestage', 'lead')] }, { filters: [eq('country', 'Spain')] }],
        sorts: [JSON.stringify({ propertyName: 'email', direction: 'ASCENDING' })].map((s) => JSON.parse(s) as string),
        properties: ['email', 'country', 'lifecyclestage'],
        limit: 200,
        after: '0',
      });
      expect(res.total).toBeGreaterThan(0);
      for (const r of res.results) {
        const p = r.properties;
        expect((p['country'] === 'Germany' && p['lifecyclestage'] === 'lead') || p['country'] === 'Spain').toBe(true);
      }
      const emails = res.results.map((r) => r.properties['email'] ?? '');
      expect(emails).toEqual([...emails].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));
    });

    it('supports IN, CONTAINS_TOKEN with wildcards, HAS_PROPERTY, NOT_HAS_PROPERTY, BETWEEN and the free-text query', async () => {
      const search = (filters: object[], extra: object = {}): Promise<{ total: number; results: { properties: Record<string, string | null> }[] }> =>
        client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: filters as never }], sorts: [], properties: ['email', 'country', 'linkedin_url', 'conduit_score', 'firstname'], limit: 100, after: '0', ...extra });
      const inRes = await search([{ propertyName: 'country', operator: 'IN', values: ['germany', 'france'] }]);
      expect(inRes.results.every((r) => ['Germany', 'France'].includes(r.properties['country'] ?? ''))).toBe(true);
      const domain = await search([{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@acme-analytics.com' }]);
      expect(domain.total).toBeGreaterThan(0);
      expect(domain.results.every((r) => r.properties['email']?.endsWith('@acme-analytics.com'))).toBe(true);
      const has = await search([{ propertyName: 'linkedin_url', operator: 'HAS_PROPERTY' }]);
      const hasNot = await search([{ propertyName: 'linkedin_url', operator: 'NOT_HAS_PROPERTY' }]);
      expect(has.total + hasNot.total).toBe(hs.control.store().count('contacts'));
      const between = await search([{ propertyName: 'conduit_score', operator: 'BETWEEN', value: '40', highValue: '60' }]);
      expect(between.results.every((r) => Number(r.properties['conduit_score']) >= 40 && Number(r.properties['conduit_score']) <= 60)).toBe(true);
      const first = (await client.crm.contacts.basicApi.getPage(1, undefined, ['firstname'])).results[0]?.properties['firstname'] ?? '';
      const byQuery = await search([], { filterGroups: [], query: first });
      expect(byQuery.results.some((r) => r.properties['firstname'] === first)).toBe(true);
    });

    it('rejects more than 200 per page and unknown operators', async () => {
      const tooBig = await sdkError(client.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: [], properties: [], limit: 201, after: '0' }));
      expect(tooBig.code).toBe(400);
      const badOp = await sdkError(client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE' as FilterOperatorEnum, value: 'x' }] }], sorts: [], properties: [], limit: 10, after: '0' }));
      expect(badOp.code).toBe(400);
    });

    it('supports incremental sync: GT lastmodifieddate ascending pages through every change exactly once', async () => {
      const since = new Date(Date.now() - 60_000).toISOString();
      const touched: string[] = [];
      for (const c of (await client.crm.contacts.basicApi.getPage(30)).results) {
        await client.crm.contacts.basicApi.update(c.id, { properties: { conduit_qualification_reasoning: `touched ${c.id}` } });
        touched.push(c.id);
      }
      const seen: string[] = [];
      let after: string | undefined = '0';
      let last = '';
      while (after !== undefined) {
        const page = await client.crm.contacts.searchApi.doSearch({
          filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gt, value: String(Date.parse(since)) }] }],
          sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' } as unknown as string],
          properties: ['lastmodifieddate'],
          limit: 7,
          after,
        });
        for (const r of page.results) {
          const lm = r.properties['lastmodifieddate'] ?? '';
          expect(lm >= last).toBe(true);
          last = lm;
          seen.push(r.id);
        }
        after = page.paging?.next?.after;
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of touched) expect(seen).toContain(id);
    });

    it('caps paging at 10,000 results', async () => {
      const err = await sdkError(client.crm.contacts.searchApi.doSearch({ filterGroups: [], sorts: [], properties: [], limit: 10, after: '10000' }));
      expect(err.code).toBe(400);
    });

    it('hides fresh writes from search while the indexing lag lasts', async () => {
      hs.control.configure({ searchLagMs: 400 });
      try {
        const c = await client.crm.contacts.basicApi.create({ properties: { email: 'lagging@example.org' }, associations: [] });
        const find = (): Promise<{ total: number }> => client.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters: [eq('email', 'lagging@example.org')] }], sorts: [], properties: [], limit: 1, after: '0' });
        expect((await find()).total).toBe(0);
        await new Promise((r) => setTimeout(r, 500));
        expect((await find()).total).toBe(1);
        expect(c.id).toBeDefined();
      } finally {
        hs.control.configure({ searchLagMs: 0 });
      }
    });
  });

  describe('properties v3', () => {
    it('lists 90+ contact properties with HubSpot metadata and real enumeration options', async () => {
      const all = await client.crm.properties.coreApi.getAll('contacts');
      expect(all.results.length).toBeGreaterThanOrEqual(90);
      const lifecycle = all.results.find((p) => p.name === 'lifecyclestage');
      expect(lifecycle?.options.map((o) => o.value)).toEqual(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']);
      const leadStatus = await client.crm.properties.coreApi.getByName('contacts', 'hs_lead_status');
      expect(leadStatus.options.map((o) => o.value)).toContain('ATTEMPTED_TO_CONTACT');
      const objectId = all.results.find((p) => p.name === 'hs_object_id');
      expect(objectId?.modificationMetadata?.readOnlyValue).toBe(true);
      const custom = all.results.find((p) => p.name === 'conduit_qualification_reasoning');
      expect(custom).toMatchObject({ fieldType: 'textarea', hubspotDefined: false });
    });

    it('creates (201), updates and archives (204) a custom property; duplicates are 409', async () => {
      const created = await client.crm.properties.coreApi.create('contacts', {
        name: 'conduit_tier', label: 'Conduit tier', type: 'enumeration' as never, fieldType: 'select' as never, groupName: 'conduit',
        options: [{ label: 'A', value: 'a', hidden: false, displayOrder: 0 }, { label: 'B', value: 'b', hidden: false, displayOrder: 1 }],
      });
      expect(created.name).toBe('conduit_tier');
      const dup = await sdkError(client.crm.properties.coreApi.create('contacts', { name: 'conduit_tier', label: 'x', type: 'string' as never, fieldType: 'text' as never, groupName: 'conduit' }));
      expect(dup.code).toBe(409);
      const c = await client.crm.contacts.basicApi.create({ properties: { email: 'tier@example.org', conduit_tier: 'a' }, associations: [] });
      expect(c.properties['conduit_tier']).toBe('a');
      const updated = await client.crm.properties.coreApi.update('contacts', 'conduit_tier', { label: 'Tier' });
      expect(updated.label).toBe('Tier');
      await client.crm.properties.coreApi.archive('contacts', 'conduit_tier');
      const write = await sdkError(client.crm.contacts.basicApi.update(c.id, { properties: { conduit_tier: 'b' } }));
      expect(write.body?.errors?.[0]?.code).toBe('PROPERTY_DOESNT_EXIST');
      const builtin = await sdkError(client.crm.properties.coreApi.archive('contacts', 'email'));
      expect(builtin.code).toBe(400);
    });

    it('control.addProperty/removeProperty simulate schema drift', async () => {
      hs.control.addProperty('contacts', { name: 'drift_field', label: 'Drift', type: 'string', fieldType: 'text' });
      const c = await client.crm.contacts.basicApi.create({ properties: { email: 'drift@example.org', drift_field: 'x' }, associations: [] });
      hs.control.removeProperty('contacts', 'drift_field');
      const err = await sdkError(client.crm.contacts.basicApi.update(c.id, { properties: { drift_field: 'y' } }));
      expect(err.body?.errors?.[0]?.code).toBe('PROPERTY_DOESNT_EXIST');
    });
  });
});
