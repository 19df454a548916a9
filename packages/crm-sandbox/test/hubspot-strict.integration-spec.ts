import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AssociationTypes, type Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec.js';
import { sdkError, startHubspot, type HubspotHarness } from './hubspot-harness.js';

/**
 * Strict where HubSpot is strict: fields its API description requires are required here (400, nothing applied), and
 * answers have the shapes of its models — through @hubspot/api-client, and raw HTTP where the SDK's types cannot send
 * the bad shape.
 */
let hs: HubspotHarness;
let client: Client;
const HUBSPOT_DEFINED = AssociationSpecAssociationCategoryEnum.HubspotDefined;

beforeAll(async () => {
  hs = await startHubspot({ seed: 12 });
  client = hs.client();
});
afterAll(async () => {
  await hs.close();
});

const contactCount = (): number => hs.control.store().records.get('contacts')?.size ?? 0;
const newContact = async (email: string): Promise<string> => (await client.crm.contacts.basicApi.create({ properties: { email }, associations: [] })).id;

/** A raw request that HubSpot answers 400 for a missing required field: returns the body, checks nothing was written. */
async function rejected(path: string, method: string, body: unknown, missing: string): Promise<Record<string, unknown>> {
  const before = contactCount();
  const res = await hs.raw(path, { method, body: JSON.stringify(body) });
  expect(res.status).toBe(400);
  const json = (await res.json()) as Record<string, unknown>;
  expect(json).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  expect(String(json['message'])).toContain(`some of required attributes are not set [${missing}]`);
  expect(contactCount()).toBe(before);
  return json;
}

describe('HubSpot sandbox: required fields (HubSpot answers 400, nothing is applied)', () => {
  it('batch upsert inputs without id (the sandbox used to create a contact with no email)', async () => {
    const good = { idProperty: 'email', id: 'strict-upsert@example.org', properties: { firstname: 'Kept out' } };
    const json = await rejected('/crm/v3/objects/contacts/batch/upsert', 'POST', { inputs: [good, { idProperty: 'email', properties: { firstname: 'No id' } }] }, 'id');
    expect(String(json['message'])).toContain('SimplePublicObjectBatchInputUpsert');
    // The valid input of the same batch was not applied either.
    expect((await sdkError(client.crm.contacts.basicApi.getById('strict-upsert@example.org', undefined, undefined, undefined, false, 'email'))).code).toBe(404);
  });

  it('objects created or updated without properties (single and batch)', async () => {
    await rejected('/crm/v3/objects/contacts', 'POST', { associations: [] }, 'properties');
    const id = await newContact('strict-props@example.org');
    await rejected(`/crm/v3/objects/contacts/${id}`, 'PATCH', {}, 'properties');
    await rejected('/crm/v3/objects/contacts/batch/create', 'POST', { inputs: [{ properties: { email: 'strict-batch@example.org' } }, { associations: [] }] }, 'properties');
    await rejected('/crm/v3/objects/contacts/batch/update', 'POST', { inputs: [{ id }] }, 'properties');
    await rejected('/crm/v3/objects/contacts/batch/upsert', 'POST', { inputs: [{ idProperty: 'email', id: 'x@example.org' }] }, 'properties');
    // The SDK always sends properties: its calls pass.
    await client.crm.contacts.basicApi.update(id, { properties: { firstname: 'Strict' } });
  });

  it('batch read and batch archive inputs without id', async () => {
    await rejected('/crm/v3/objects/contacts/batch/read', 'POST', { properties: [], propertiesWithHistory: [], inputs: [{}] }, 'id');
    const id = await newContact('strict-archive@example.org');
    await rejected('/crm/v3/objects/contacts/batch/archive', 'POST', { inputs: [{ id }, {}] }, 'id');
    expect(hs.control.store().get('contacts', id)).toBeDefined();
    await client.crm.contacts.batchApi.archive({ inputs: [{ id }] });
    expect(hs.control.store().get('contacts', id)).toBeUndefined();
  });

  it('v4 association creates without associationCategory (single and batch)', async () => {
    const contactId = await newContact('strict-assoc@example.org');
    const companyId = [...(hs.control.store().records.get('companies')?.keys() ?? [])][0] ?? '';
    await rejected(`/crm/v4/objects/contacts/${contactId}/associations/companies/${companyId}`, 'PUT', [{ associationTypeId: AssociationTypes.contactToCompany }], 'associationCategory');
    await rejected('/crm/v4/associations/contacts/companies/batch/create', 'POST', {
      inputs: [{ from: { id: contactId }, to: { id: companyId }, types: [{ associationTypeId: AssociationTypes.contactToCompany }] }],
    }, 'associationCategory');
    expect(hs.control.store().associated('contacts', contactId, 'companies')).toEqual([]);
    const ok = await client.crm.associations.v4.basicApi.create('contacts', contactId, 'companies', companyId, [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypes.contactToCompany }]);
    expect(ok.labels).toEqual([]);
  });

  it('v4 batch archive and batch associate-default without from / to', async () => {
    const contactId = await newContact('strict-archive-assoc@example.org');
    const companyId = [...(hs.control.store().records.get('companies')?.keys() ?? [])][1] ?? '';
    await rejected('/crm/v4/associations/contacts/companies/batch/archive', 'POST', { inputs: [{ to: [{ id: companyId }] }] }, 'from');
    await rejected('/crm/v4/associations/contacts/companies/batch/archive', 'POST', { inputs: [{ from: { id: contactId } }] }, 'to');
    await rejected('/crm/v4/associations/contacts/companies/batch/associate/default', 'POST', { inputs: [{ to: { id: companyId } }] }, 'from');
    await rejected('/crm/v4/associations/contacts/companies/batch/associate/default', 'POST', { inputs: [{ from: { id: contactId } }] }, 'to');
    await rejected('/crm/v4/associations/contacts/companies/batch/create', 'POST', { inputs: [{ to: { id: companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] }] }, 'from');
    expect(hs.control.store().associated('contacts', contactId, 'companies')).toEqual([]);
  });

  it('list creation without objectTypeId or processingType (no invented defaults)', async () => {
    const before = hs.control.store().lists.size;
    await rejected('/crm/v3/lists', 'POST', { name: 'No object type', processingType: 'MANUAL' }, 'objectTypeId');
    await rejected('/crm/v3/lists', 'POST', { name: 'No processing type', objectTypeId: '0-1' }, 'processingType');
    expect(hs.control.store().lists.size).toBe(before);
    const created = await client.crm.lists.listsApi.create({ name: 'Strict list', objectTypeId: '0-1', processingType: 'MANUAL' });
    expect(created.list.processingType).toBe('MANUAL');
  });
});

describe('HubSpot sandbox: answers in the shapes of HubSpot’s models', () => {
  it('batch/associate/default answers 200 (the only code the SDK accepts there), per-input errors inside it', async () => {
    const contactId = await newContact('strict-default@example.org');
    const companyId = [...(hs.control.store().records.get('companies')?.keys() ?? [])][2] ?? '';
    const all = await client.crm.associations.v4.batchApi.createDefault('contacts', 'companies', { inputs: [{ _from: { id: contactId }, to: { id: companyId } }] });
    expect(all.results).toHaveLength(1);
    expect(all.errors ?? []).toEqual([]);
    const some = await client.crm.associations.v4.batchApi.createDefault('contacts', 'companies', {
      inputs: [{ _from: { id: contactId }, to: { id: companyId } }, { _from: { id: '987654321' }, to: { id: companyId } }],
    });
    expect(some.results).toHaveLength(1);
    expect(some.numErrors).toBe(1);
    expect(some.errors?.[0]).toMatchObject({ status: 'error', category: expect.any(String), message: expect.any(String), context: expect.any(Object), links: {}, errors: [] });
    const raw = await hs.raw('/crm/v4/associations/contacts/companies/batch/associate/default', { method: 'POST', body: JSON.stringify({ inputs: [{ from: { id: '987654321' }, to: { id: companyId } }] }) });
    expect(raw.status).toBe(200);
  });

  it('v4 association answers carry fromObjectId / toObjectId as numbers, as the live API sends them (the description types strings)', async () => {
    const contactId = await newContact('strict-ids@example.org');
    const companyId = [...(hs.control.store().records.get('companies')?.keys() ?? [])][3] ?? '';
    const created = await client.crm.associations.v4.batchApi.create('contacts', 'companies', {
      inputs: [{ _from: { id: contactId }, to: { id: companyId }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypes.contactToCompany }] }],
    });
    // The SDK types them as strings but passes the live numbers through: clients must read both (String(id)).
    expect(typeof created.results[0]?.toObjectId).toBe('number');
    expect(String(created.results[0]?.toObjectId)).toBe(companyId);
    expect(String(created.results[0]?.fromObjectId)).toBe(contactId);
    const read = await client.crm.associations.v4.basicApi.getPage('contacts', contactId, 'companies');
    expect(typeof read.results[0]?.toObjectId).toBe('number');
  });

  it('207 per-input errors carry links and errors (HubSpot’s StandardError), with context and the objectWriteTraceId', async () => {
    const id = await newContact('strict-207@example.org');
    const res = await client.crm.contacts.batchApi.update({
      inputs: [
        { id, properties: { firstname: 'Fine' }, objectWriteTraceId: 'a' },
        { id: '987654321', properties: { firstname: 'Missing' }, objectWriteTraceId: 'b' },
      ],
    });
    expect(res.results).toHaveLength(1);
    expect('errors' in res ? res.errors?.[0] : undefined).toMatchObject({
      status: 'error', category: 'OBJECT_NOT_FOUND', message: expect.any(String), links: {}, errors: [],
      context: { ids: ['987654321'], objectWriteTraceId: ['b'] },
    });
    const read = await client.crm.contacts.batchApi.read({ inputs: [{ id }, { id: '987654321' }], properties: [], propertiesWithHistory: [] });
    expect('errors' in read ? read.errors?.[0] : undefined).toMatchObject({ category: 'OBJECT_NOT_FOUND', links: {}, errors: [], context: { ids: ['987654321'] } });
  });

  it('owners carry type PERSON', async () => {
    const page = await client.crm.owners.ownersApi.getPage();
    expect(page.results.length).toBeGreaterThan(0);
    expect(new Set(page.results.map((o) => String(o.type)))).toEqual(new Set(['PERSON']));
    const one = await client.crm.owners.ownersApi.getById(Number(page.results[0]?.id));
    expect(String(one.type)).toBe('PERSON');
  });

  it('list memberships/add and /remove answer all three id arrays', async () => {
    const created = await client.crm.lists.listsApi.create({ name: 'Strict members', objectTypeId: '0-1', processingType: 'MANUAL' });
    const x = await newContact('strict-member@example.org');
    const added = await client.crm.lists.membershipsApi.add(created.list.listId, [x, '999999999']);
    expect(added).toEqual({ recordsIdsAdded: [x], recordIdsRemoved: [], recordIdsMissing: ['999999999'] });
    const removed = await client.crm.lists.membershipsApi.remove(created.list.listId, [x]);
    expect(removed).toEqual({ recordsIdsAdded: [], recordIdsRemoved: [x], recordIdsMissing: [] });
  });

  it('list filters: enumerations carry values (IS_ANY_OF), NUMBER operations numbers, ranges lowerBound / upperBound', async () => {
    const find = async (query: string): Promise<Record<string, unknown>> => {
      const found = await client.crm.lists.listsApi.doSearch({ query, processingTypes: [], additionalProperties: [], listIds: [], offset: 0, count: 5 });
      const raw = await hs.raw(`/crm/v3/lists/${found.lists[0]?.listId ?? ''}?includeFilters=true`);
      const body = (await raw.json()) as { list: { filterBranch: { filterBranches: { filters: { operation: Record<string, unknown> }[] }[] } } };
      return body.list.filterBranch.filterBranches[0]?.filters[0]?.operation ?? {};
    };
    expect(await find('All leads')).toEqual({ operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: ['lead'], includeObjectsWithNoValueSet: false });
    expect(await find('High Conduit score')).toEqual({ operationType: 'NUMBER', operator: 'IS_GREATER_THAN_OR_EQUAL_TO', value: 70, includeObjectsWithNoValueSet: false });
    expect(await find('Germany')).toEqual({ operationType: 'MULTISTRING', operator: 'IS_EQUAL_TO', values: ['Germany'], includeObjectsWithNoValueSet: false });
    // A NUMBER_RANGED filter written with HubSpot's lowerBound / upperBound round-trips.
    const ranged = await client.crm.lists.listsApi.create({
      name: 'Strict score range', objectTypeId: '0-1', processingType: 'DYNAMIC',
      filterBranch: {
        filterBranchType: 'OR', filterBranchOperator: 'OR', filters: [],
        filterBranches: [{ filterBranchType: 'AND', filterBranchOperator: 'AND', filterBranches: [], filters: [{ filterType: 'PROPERTY', property: 'conduit_score', operation: { operationType: 'NUMBER_RANGED', operator: 'IS_BETWEEN', lowerBound: 10, upperBound: 20, includeObjectsWithNoValueSet: false } }] }],
      } as never,
    });
    const again = await hs.raw(`/crm/v3/lists/${ranged.list.listId}?includeFilters=true`);
    const op = ((await again.json()) as { list: { filterBranch: { filterBranches: { filters: { operation: unknown }[] }[] } } }).list.filterBranch.filterBranches[0]?.filters[0]?.operation;
    expect(op).toEqual({ operationType: 'NUMBER_RANGED', operator: 'IS_BETWEEN', lowerBound: 10, upperBound: 20, includeObjectsWithNoValueSet: false });
  });
});
