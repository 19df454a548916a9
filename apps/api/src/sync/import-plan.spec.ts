import { describe, expect, it } from '@jest/globals';
import type { CrmRecord } from '@conduit/crm';
import { defaultMappings, type MappingRow } from '@conduit/mapping';
import { associatedCompanyCrmId, identityKey, type PageState, planImport, recordName, rowsForCrmObject } from './import-plan.js';

const now = new Date('2026-01-02T03:04:05.000Z');
const rows = defaultMappings('hubspot', 'contact');
const companyRows = defaultMappings('hubspot', 'company');

function contact(id: string, properties: Record<string, string | null>, extra: Partial<CrmRecord> = {}): CrmRecord {
  return { id, object: 'contact', properties, updatedAt: now.toISOString(), ...extra };
}

function state(partial: Partial<PageState> = {}): PageState {
  return { linkedByCrmId: new Map(), entitiesById: new Map(), entityByKey: new Map(), companyByCrmId: new Map(), companyByDomain: new Map(), ...partial };
}

let n = 0;
const newId = () => `new-${++n}`;

describe('planImport (people)', () => {
  it('creates an unknown contact with provenance for every field it sets, and links it', () => {
    const plan = planImport({ entity: 'person', crm: 'hubspot', connectionId: 'c1', rows, records: [contact('101', { email: ' Ada@Example.COM ', firstname: 'Ada', lastname: 'Lovelace' })], state: state(), now, newId });
    expect(plan.counts).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 0, archived: 0 });
    expect(plan.creates).toHaveLength(1);
    expect(plan.creates[0]!.record).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    expect(plan.links).toEqual([{ crmId: '101', entityId: plan.creates[0]!.id }]);
    expect(plan.provenance.map((p) => [p.field, p.rule, p.previousValue, p.value])).toEqual([
      ['firstName', 'crm_wins', null, 'Ada'],
      ['lastName', 'crm_wins', null, 'Lovelace'],
      ['email', 'crm_wins', null, 'ada@example.com'],
    ]);
  });

  it('matches an unlinked record to an existing person by normalised email', () => {
    const person = { id: 'p1', email: 'ada@example.com', firstName: 'Augusta', lastName: null, customAttributes: {} };
    const plan = planImport({
      entity: 'person',
      crm: 'hubspot',
      connectionId: 'c1',
      rows,
      records: [contact('101', { email: 'ADA@example.com', firstname: 'Ada', lastname: 'Lovelace' })],
      state: state({ entitiesById: new Map([['p1', person]]), entityByKey: new Map([['ada@example.com', 'p1']]) }),
      now,
      newId,
    });
    expect(plan.creates).toEqual([]);
    expect(plan.updates.map((u) => u.id)).toEqual(['p1']);
    expect(plan.updates[0]!.record).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(plan.counts.updated).toBe(1);
  });

  it('prefers the stored link over the email, and counts an identical record as unchanged', () => {
    const person = { id: 'p1', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', customAttributes: {} };
    const plan = planImport({
      entity: 'person',
      crm: 'hubspot',
      connectionId: 'c1',
      rows,
      records: [contact('101', { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' })],
      state: state({ linkedByCrmId: new Map([['101', 'p1']]), entitiesById: new Map([['p1', person]]) }),
      now,
      newId,
    });
    expect(plan.counts).toEqual({ created: 0, updated: 0, unchanged: 1, failed: 0, archived: 0 });
    expect(plan.updates).toEqual([]);
    expect(plan.provenance).toEqual([]);
  });

  it('keeps a Conduit value under conduit priority and fills it when blank', () => {
    const conduitWins: MappingRow[] = rows.map((r) => (r.conduitField === 'jobTitle' ? { ...r, importPriority: 'conduit' } : r));
    const base = { id: 'p1', email: 'ada@example.com', customAttributes: {} };
    const keep = planImport({
      entity: 'person', crm: 'hubspot', connectionId: 'c1', rows: conduitWins,
      records: [contact('101', { email: 'ada@example.com', jobtitle: 'CTO' })],
      state: state({ linkedByCrmId: new Map([['101', 'p1']]), entitiesById: new Map([['p1', { ...base, jobTitle: 'Founder' }]]) }), now, newId,
    });
    expect(keep.updates).toEqual([]);
    const fill = planImport({
      entity: 'person', crm: 'hubspot', connectionId: 'c1', rows: conduitWins,
      records: [contact('101', { email: 'ada@example.com', jobtitle: 'CTO' })],
      state: state({ linkedByCrmId: new Map([['101', 'p1']]), entitiesById: new Map([['p1', { ...base, jobTitle: null }]]) }), now, newId,
    });
    expect(fill.updates[0]!.record['jobTitle']).toBe('CTO');
    expect(fill.provenance).toEqual([expect.objectContaining({ field: 'jobTitle', rule: 'conduit_wins_fill_empty', value: 'CTO' })]);
  });

  it('marks linked archived records and ignores archived records it never imported', () => {
    const plan = planImport({
      entity: 'person', crm: 'hubspot', connectionId: 'c1', rows,
      records: [contact('101', {}, { archived: true }), contact('102', {}, { archived: true })],
      state: state({ linkedByCrmId: new Map([['101', 'p1']]) }), now, newId,
    });
    expect(plan.archivedCrmIds).toEqual(['101']);
    expect(plan.counts).toMatchObject({ archived: 1, unchanged: 1 });
    expect(plan.links).toEqual([]);
  });

  it('fails a new record with neither name nor email, with the reason', () => {
    const plan = planImport({ entity: 'person', crm: 'hubspot', connectionId: 'c1', rows, records: [contact('101', { phone: '+1 555' })], state: state(), now, newId });
    expect(plan.counts.failed).toBe(1);
    expect(plan.creates).toEqual([]);
    expect(plan.failures[0]).toMatchObject({ crmId: '101', reason: expect.stringContaining('name or an email') });
  });

  it('creates one person for two records sharing an email in one page', () => {
    const plan = planImport({
      entity: 'person', crm: 'hubspot', connectionId: 'c1', rows,
      records: [contact('101', { email: 'a@x.io', firstname: 'A' }), contact('102', { email: 'a@x.io', lastname: 'B' })],
      state: state(), now, newId,
    });
    expect(plan.creates).toHaveLength(1);
    expect(plan.creates[0]!.record).toMatchObject({ firstName: 'A', lastName: 'B' });
    expect(new Set(plan.links.map((l) => l.entityId)).size).toBe(1);
  });

  it('refuses an email change onto another person’s email', () => {
    const plan = planImport({
      entity: 'person', crm: 'hubspot', connectionId: 'c1', rows,
      records: [contact('101', { email: 'taken@x.io' })],
      state: state({
        linkedByCrmId: new Map([['101', 'p1']]),
        entitiesById: new Map([['p1', { id: 'p1', email: 'mine@x.io' }], ['p2', { id: 'p2', email: 'taken@x.io' }]]),
        entityByKey: new Map([['taken@x.io', 'p2'], ['mine@x.io', 'p1']]),
      }),
      now, newId,
    });
    expect(plan.updates).toEqual([]);
    expect(plan.failures[0]!.reason).toContain('already belongs to another person');
  });

  it('links people to companies through the CRM association, else by email domain (never free mail)', () => {
    const plan = planImport({
      entity: 'person', crm: 'hubspot', connectionId: 'c1', rows,
      records: [
        contact('101', { email: 'a@acme.io' }, { associations: { company: ['900'] } }),
        contact('102', { email: 'b@globex.io' }),
        contact('103', { email: 'c@gmail.com' }),
      ],
      state: state({ companyByCrmId: new Map([['900', 'co-acme']]), companyByDomain: new Map([['globex.io', 'co-globex'], ['gmail.com', 'co-gmail']]) }),
      now, newId,
    });
    expect(plan.creates.map((c) => c.record['companyId'] ?? null)).toEqual(['co-acme', 'co-globex', null]);
    expect(plan.provenance.filter((p) => p.field === 'companyId').map((p) => p.rule)).toEqual(['crm_association', 'email_domain']);
  });

  it('reports conversion errors per field and still imports the rest', () => {
    const withScore: MappingRow[] = [...rows, { conduitField: 'custom.score', conduitType: 'number', crmField: 'conduit_score', importPriority: 'crm', exportBehaviour: 'do_not_export', crmType: 'number' }];
    const plan = planImport({ entity: 'person', crm: 'hubspot', connectionId: 'c1', rows: withScore, records: [contact('101', { email: 'a@x.io', conduit_score: '1,000' })], state: state(), now, newId });
    expect(plan.counts.created).toBe(1);
    expect(plan.failures).toEqual([{ crmId: '101', reason: 'score (custom attribute), from HubSpot field conduit_score: "1,000" is not a number', name: 'a@x.io' }]);
  });

  it('names the record of a sample diff in words: a person by name else email, a company by name else domain', () => {
    expect(recordName('person', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.io' })).toBe('Ada Lovelace');
    expect(recordName('person', { firstName: ' ', email: 'ada@x.io' })).toBe('ada@x.io');
    expect(recordName('person', {})).toBeNull();
    expect(recordName('company', { name: 'Acme', domain: 'acme.io' })).toBe('Acme');
    expect(recordName('company', { domain: 'acme.io' })).toBe('acme.io');
  });

  it('keeps a sample of diffs for dry runs', () => {
    const plan = planImport({ entity: 'person', crm: 'hubspot', connectionId: 'c1', rows, records: [contact('101', { email: 'a@x.io', firstname: 'A' })], state: state(), now, newId, sampleSize: 1 });
    expect(plan.sample).toEqual([{ entity: 'person', crmId: '101', name: 'A', entityId: null, action: 'create', field: 'firstName', from: null, to: 'A', rule: 'crm_wins' }]);
  });
});

describe('planImport (companies)', () => {
  const company = (id: string, properties: Record<string, string | null>): CrmRecord => ({ id, object: 'company', properties, updatedAt: now.toISOString() });

  it('matches companies by normalised domain and names nameless ones after their domain', () => {
    const plan = planImport({
      entity: 'company', crm: 'hubspot', connectionId: 'c1', rows: companyRows,
      records: [company('1', { domain: 'https://www.Acme.io/about', name: 'Acme' }), company('2', { domain: 'globex.io' })],
      state: state({ entitiesById: new Map([['co1', { id: 'co1', name: 'Acme Inc', domain: 'acme.io' }]]), entityByKey: new Map([['acme.io', 'co1']]) }),
      now, newId,
    });
    expect(plan.updates).toEqual([{ id: 'co1', record: expect.objectContaining({ name: 'Acme' }) }]);
    expect(plan.creates[0]!.record).toMatchObject({ name: 'globex.io', domain: 'globex.io' });
  });

  it('never matches by a free-mail domain', () => {
    expect(identityKey('company', companyRows, company('1', { domain: 'gmail.com' }))).toBeNull();
    expect(identityKey('company', companyRows, company('1', { domain: 'www.acme.io' }))).toBe('acme.io');
  });
});

describe('associatedCompanyCrmId', () => {
  it('reads HubSpot associations and Salesforce AccountId', () => {
    expect(associatedCompanyCrmId(contact('1', {}, { associations: { company: ['7', '8'] } }))).toBe('7');
    expect(associatedCompanyCrmId({ id: '1', object: 'contact', properties: { AccountId: '001xx' }, updatedAt: '' })).toBe('001xx');
    expect(associatedCompanyCrmId(contact('1', {}))).toBeNull();
  });
});

describe('rowsForCrmObject', () => {
  it('moves Lead address rows to the Contact mailing fields for Salesforce Contacts and drops Lead-only fields', () => {
    const leadRows = defaultMappings('salesforce', 'contact');
    const contactRows = rowsForCrmObject('salesforce', 'contact', leadRows);
    expect(contactRows.find((r) => r.conduitField === 'city')?.crmField).toBe('MailingCity');
    expect(contactRows.some((r) => r.crmField === 'Company')).toBe(false);
    expect(rowsForCrmObject('salesforce', 'lead', leadRows)).toEqual(leadRows);
    expect(rowsForCrmObject('hubspot', 'contact', rows)).toEqual(rows);
  });
});
