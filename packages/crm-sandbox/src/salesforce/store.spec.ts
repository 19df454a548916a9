import { describe, expect, it } from '@jest/globals';
import { checksum, makeId, normalizeId } from './ids.js';
import { SalesforceStore, type WriteContext } from './store.js';

const ctx = (store: SalesforceStore): WriteContext => {
  const user = makeId('005', 1);
  if (store.get('User', user) === undefined) {
    store.insertRaw('User', { Id: user, IsDeleted: false, LastName: 'Admin', Email: 'admin@example.com', IsActive: true, Username: 'admin@example.com', Alias: 'admin' });
  }
  return { userId: user, source: 'json' };
};

describe('Salesforce ids', () => {
  it('builds 18-char ids whose suffix encodes the case of the 15-char id', () => {
    const id = makeId('00Q', 123_456);
    expect(id).toMatch(/^00Q8d0[0-9A-Za-z]{12}$/);
    expect(id.slice(15)).toBe(checksum(id.slice(0, 15)));
    expect(normalizeId(id.slice(0, 15))).toBe(id);
    expect(normalizeId(id.slice(0, 15) + id.slice(15).toLowerCase())).toBe(id);
    expect(normalizeId(`${id.slice(0, 15)}ZZZ`)).toBeUndefined();
    expect(normalizeId('00Q-bad')).toBeUndefined();
    expect(checksum('001000000000000')).toBe('AAA');
    expect(checksum('00100000000000A')).toBe('AAQ');
  });
});

describe('SalesforceStore', () => {
  it('applies defaults, computed fields and increasing stamps', () => {
    const store = new SalesforceStore();
    const c = ctx(store);
    const a = store.create('Lead', { LastName: 'One', FirstName: 'Lead', Company: 'A' }, c);
    const b = store.create('Lead', { LastName: 'Two', Company: 'B' }, c);
    if (!a.ok || !b.ok) throw new Error('create failed');
    const rowA = store.get('Lead', a.id);
    const rowB = store.get('Lead', b.id);
    expect(rowA).toMatchObject({ Name: 'Lead One', Status: 'Open - Not Contacted', IsConverted: false, OwnerId: c.userId });
    expect(String(rowB?.['SystemModstamp']) > String(rowA?.['SystemModstamp'])).toBe(true);
  });

  it('rolls an all-or-none batch back, indexes included', () => {
    const store = new SalesforceStore();
    const c = ctx(store);
    const results = store.transaction(
      () => [
        store.create('Lead', { LastName: 'Keep', Company: 'K', Email: 'k@example.com', HubSpot_Contact_ID__c: 'x-1' }, c),
        store.create('Lead', { LastName: 'Broken' }, c),
      ],
      (rs) => rs.every((r) => r.ok),
    );
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(store.count('Lead')).toBe(0);
    expect(store.findBy('Lead', 'HubSpot_Contact_ID__c', 'x-1')).toEqual([]);
  });

  it('reports every value error of a record in field order (required fields are checked once values are valid)', () => {
    const store = new SalesforceStore();
    const res = store.create('Lead', { LastName: 'x'.repeat(90), Email: 'nope', Status: 'Bad' }, ctx(store));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors.map((e) => e.statusCode)).toEqual(['STRING_TOO_LONG', 'INVALID_EMAIL_ADDRESS', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST']);
  });

  it('treats empty CSV cells as "leave unchanged" and #N/A as null', () => {
    const store = new SalesforceStore();
    const c = ctx(store);
    const created = store.create('Lead', { Id: '', LastName: 'Csv', Company: 'C', Title: 'CEO', Conduit_Score__c: '7.5' }, { ...c, source: 'csv' });
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(store.get('Lead', created.id)?.['Conduit_Score__c']).toBe(7.5);
    store.update('Lead', created.id, { Title: '', Conduit_Score__c: '#N/A' }, { ...c, source: 'csv' });
    expect(store.get('Lead', created.id)).toMatchObject({ Title: 'CEO', Conduit_Score__c: null });
  });
});

describe('demo org seed', () => {
  it('is deterministic per seed and differs across seeds', async () => {
    const { SalesforceOrg } = await import('./org.js');
    const a = new SalesforceOrg({ seed: 5 }).store.snapshot();
    const b = new SalesforceOrg({ seed: 5 }).store.snapshot();
    const c = new SalesforceOrg({ seed: 6 }).store.snapshot();
    expect(JSON.stringify(a.tables)).toBe(JSON.stringify(b.tables));
    expect(JSON.stringify(a.tables)).not.toBe(JSON.stringify(c.tables));
    expect(a.tables['Lead']).toHaveLength(250);
    expect(a.tables['User']?.filter((u) => u['IsActive'] === true).length).toBeGreaterThanOrEqual(5);
    const converted = (a.tables['Lead'] ?? []).filter((l) => l['IsConverted'] === true);
    const contacts = new Map((a.tables['Contact'] ?? []).map((c2) => [c2['Id'], c2]));
    expect(converted.length).toBe(25);
    for (const lead of converted) expect(contacts.get(lead['ConvertedContactId'] ?? '')?.['AccountId']).toBe(lead['ConvertedAccountId']);
  });
});

describe('Lead conversion', () => {
  it('moves the Lead\'s activities to the new Contact and refuses anything new that points at the converted Lead', () => {
    const store = new SalesforceStore();
    const c = ctx(store);
    const lead = store.create('Lead', { LastName: 'Lovelace', Company: 'Analytical Engines', Email: 'ada@engines.test' }, c);
    if (!lead.ok) throw new Error('create failed');
    const task = store.create('Task', { WhoId: lead.id, Subject: 'Call before conversion', Status: 'Completed' }, c);
    if (!task.ok) throw new Error('task create failed');

    const converted = store.convertLead(lead.id, c);
    if (!converted.ok) throw new Error('convert failed');
    expect(store.get('Lead', lead.id)).toMatchObject({ IsConverted: true, ConvertedContactId: converted.contactId, ConvertedAccountId: converted.accountId });
    expect(store.get('Contact', converted.contactId)).toMatchObject({ AccountId: converted.accountId, Email: 'ada@engines.test' });
    expect(store.get('Task', task.id)?.['WhoId']).toBe(converted.contactId);

    const late = store.create('Task', { WhoId: lead.id, Subject: 'After conversion' }, c);
    expect(late.ok).toBe(false);
    expect(!late.ok && late.errors[0]).toMatchObject({ statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead' });
    const update = store.update('Lead', lead.id, { Title: 'CTO' }, c);
    expect(!update.ok && update.errors[0]?.statusCode).toBe('CANNOT_UPDATE_CONVERTED_LEAD');
    expect(store.create('Task', { WhoId: converted.contactId, Subject: 'On the Contact' }, c).ok).toBe(true);
  });
});

describe('Account duplicate rule', () => {
  it('blocks a second Account of the same name (any case) with DUPLICATES_DETECTED naming the first; allowSave passes', () => {
    const store = new SalesforceStore();
    const c = ctx(store);
    store.duplicateRule = 'block';
    const first = store.create('Account', { Name: 'Initech' }, c);
    if (!first.ok) throw new Error('create failed');
    const second = store.create('Account', { Name: 'INITECH' }, c);
    expect(second.ok).toBe(false);
    const error = !second.ok ? second.errors[0] : undefined;
    expect(error?.statusCode).toBe('DUPLICATES_DETECTED');
    expect(JSON.stringify(error?.duplicateResult)).toContain(first.id);
    expect(store.create('Account', { Name: 'Initech' }, { ...c, allowSave: true }).ok).toBe(true);
    store.duplicateRule = 'allow';
    expect(store.create('Account', { Name: 'Initech' }, c).ok).toBe(true);
  });
});
