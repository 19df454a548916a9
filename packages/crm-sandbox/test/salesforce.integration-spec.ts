import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from 'jsforce';
import { failure, startSalesforce, type SalesforceHarness } from './salesforce-harness.js';

interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
}

let sf: SalesforceHarness;
let conn: Connection;

beforeAll(async () => {
  sf = await startSalesforce();
  conn = sf.connect();
});
afterAll(async () => {
  await sf.close();
});

describe('Salesforce sandbox — describe and metadata', () => {
  it('lists API versions and the global describe', async () => {
    const res = await fetch(`${sf.url}/services/data`);
    const versions = (await res.json()) as { version: string }[];
    expect(versions.map((v) => v.version)).toContain('62.0');
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((s) => s.name);
    for (const t of ['Lead', 'Contact', 'Account', 'Opportunity', 'OpportunityContactRole', 'Task', 'Event', 'Campaign', 'CampaignMember', 'User']) expect(names).toContain(t);
    expect(global.sobjects.find((s) => s.name === 'Lead')?.keyPrefix).toBe('00Q');
  });

  it('describes Lead with 40+ fields, custom fields and real picklists', async () => {
    const d = await conn.sobject('Lead').describe();
    expect(d.fields.length).toBeGreaterThanOrEqual(40);
    const byName = new Map(d.fields.map((f) => [f.name, f]));
    expect(byName.get('Conduit_Notes__c')).toMatchObject({ type: 'textarea', length: 32768, custom: true });
    expect(byName.get('HubSpot_Contact_ID__c')).toMatchObject({ type: 'string', externalId: true, unique: true, custom: true });
    expect(byName.get('Conduit_Score__c')).toMatchObject({ type: 'double', custom: true });
    const status = byName.get('Status');
    expect(status?.restrictedPicklist).toBe(true);
    expect(status?.picklistValues?.map((p) => p.value)).toEqual(['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted']);
    expect(status?.picklistValues?.find((p) => p.defaultValue)?.value).toBe('Open - Not Contacted');
    expect(byName.get('IsConverted')).toMatchObject({ createable: false, updateable: false });
    expect(byName.get('OwnerId')).toMatchObject({ type: 'reference', referenceTo: ['User'] });
    expect(byName.get('LastName')).toMatchObject({ nillable: false, createable: true });
  });

  it('answers malformed JSON, unknown resources and unsupported versions like Salesforce', async () => {
    const headers = { Authorization: `Bearer ${conn.accessToken ?? ''}`, 'Content-Type': 'application/json' };
    const bad = await fetch(`${sf.url}/services/data/v62.0/sobjects/Lead`, { method: 'POST', headers, body: '{"LastName": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errorCode: string }[])[0]?.errorCode).toBe('JSON_PARSER_ERROR');
    const missing = await fetch(`${sf.url}/services/data/v62.0/nothing-here`, { headers });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errorCode: string }[])[0]?.errorCode).toBe('NOT_FOUND');
    const future = await fetch(`${sf.url}/services/data/v99.0/limits`, { headers });
    expect(future.status).toBe(404);
    const anonymous = await fetch(`${sf.url}/services/data/v62.0/limits`);
    expect(anonymous.status).toBe(401);
  });

  it('answers unknown sObjects with 404 NOT_FOUND', async () => {
    const err = await failure(conn.sobject('Nope__c').describe());
    expect(err.errorCode).toBe('NOT_FOUND');
  });
});

describe('Salesforce sandbox — CRUD and validation', () => {
  it('creates, reads, updates and deletes a Lead with 18-char ids', async () => {
    const created = (await conn.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical Engines', Email: 'ada@engines.example' })) as SaveResult;
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^00Q[a-zA-Z0-9]{15}$/);
    const id = created.id as string;
    const lead = (await conn.sobject('Lead').retrieve(id)) as Record<string, unknown>;
    expect(lead).toMatchObject({ Name: 'Ada Lovelace', Status: 'Open - Not Contacted', IsConverted: false, HasOptedOutOfEmail: false });
    expect(lead['SystemModstamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    const before = String(lead['SystemModstamp']);
    await conn.sobject('Lead').update({ Id: id, Title: 'Countess', Conduit_Score__c: 88.5 });
    const after = (await conn.sobject('Lead').retrieve(id)) as Record<string, unknown>;
    expect(after).toMatchObject({ Title: 'Countess', Conduit_Score__c: 88.5 });
    expect(String(after['SystemModstamp']) > before).toBe(true);
    await conn.sobject('Lead').destroy(id);
    expect((await failure(conn.sobject('Lead').retrieve(id))).errorCode).toBe('NOT_FOUND');
  });

  it('rejects a Lead without Company: REQUIRED_FIELD_MISSING', async () => {
    const err = await failure(conn.sobject('Lead').create({ LastName: 'NoCompany' }));
    expect(err.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(err.message).toBe('Required fields are missing: [Company]');
    expect((err.data as { fields: string[] }).fields).toEqual(['Company']);
  });

  it('rejects too-long strings, bad restricted picklist values, bad emails and unknown fields', async () => {
    expect((await failure(conn.sobject('Lead').create({ LastName: 'x'.repeat(81), Company: 'C' }))).errorCode).toBe('STRING_TOO_LONG');
    const pick = await failure(conn.sobject('Lead').create({ LastName: 'P', Company: 'C', Status: 'Hot Lead' }));
    expect(pick.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(pick.message).toContain('bad value for restricted picklist field: Hot Lead');
    expect((await failure(conn.sobject('Lead').create({ LastName: 'P', Company: 'C', Industry: 'Space Mining' }))).errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect((await failure(conn.sobject('Lead').create({ LastName: 'P', Company: 'C', Email: 'not-an-email' }))).errorCode).toBe('INVALID_EMAIL_ADDRESS');
    const unknown = await failure(conn.sobject('Lead').create({ LastName: 'P', Company: 'C', Favourite_Colour__c: 'blue' }));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
  });

  it('rejects writes to read-only IsConverted: INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const err = await failure(conn.sobject('Lead').create({ LastName: 'R', Company: 'C', IsConverted: true }));
    expect(err.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect((err.data as { fields: string[] }).fields).toEqual(['IsConverted']);
  });

  it('rejects malformed ids and unknown records', async () => {
    const err = await failure(conn.sobject('Lead').update({ Id: 'not-an-id', LastName: 'X' }));
    expect(err.errorCode).toBe('MALFORMED_ID');
    const badOwner = await failure(conn.sobject('Lead').create({ LastName: 'O', Company: 'C', OwnerId: '00Qxx' }));
    expect(badOwner.errorCode).toBe('MALFORMED_ID');
    const ghost = await failure(conn.sobject('Lead').update({ Id: '00Q8d0000zzzzzz', LastName: 'X' }));
    expect(ghost.errorCode).toBe('NOT_FOUND');
  });

  it('upserts by external id: 201 created, 204 updated, 300 multiple', async () => {
    const first = (await conn.sobject('Lead').upsert({ HubSpot_Contact_ID__c: 'hs-1001', LastName: 'Upsert', Company: 'U Inc' }, 'HubSpot_Contact_ID__c')) as SaveResult;
    expect(first).toMatchObject({ success: true, created: true });
    const second = (await conn.sobject('Lead').upsert({ HubSpot_Contact_ID__c: 'hs-1001', Title: 'CTO' }, 'HubSpot_Contact_ID__c')) as SaveResult;
    expect(second).toMatchObject({ success: true });
    expect(second.created).toBeUndefined();
    const row = (await conn.sobject('Lead').retrieve(first.id as string)) as Record<string, unknown>;
    expect(row['Title']).toBe('CTO');
    // Legacy_CRM_ID__c is an external id without a unique constraint → two matches → 300.
    await conn.sobject('Lead').create([{ LastName: 'L1', Company: 'C', Legacy_CRM_ID__c: 'dup-7' }, { LastName: 'L2', Company: 'C', Legacy_CRM_ID__c: 'dup-7' }]);
    const multiple = await failure(conn.sobject('Lead').upsert({ Legacy_CRM_ID__c: 'dup-7', Title: 'x' }, 'Legacy_CRM_ID__c'));
    expect(multiple.errorCode).toBe('MULTIPLE_CHOICES');
    const raw = await fetch(`${sf.url}/services/data/v62.0/sobjects/Lead/Legacy_CRM_ID__c/dup-7`, {
      method: 'PATCH', headers: { Authorization: `Bearer ${conn.accessToken ?? ''}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ Title: 'y' }),
    });
    expect(raw.status).toBe(300);
    expect(((await raw.json()) as string[]).length).toBe(2);
  });

  it('enforces unique external ids: DUPLICATE_VALUE', async () => {
    await conn.sobject('Lead').create({ LastName: 'U1', Company: 'C', HubSpot_Contact_ID__c: 'uniq-1' });
    const err = await failure(conn.sobject('Lead').create({ LastName: 'U2', Company: 'C', HubSpot_Contact_ID__c: 'UNIQ-1' }));
    expect(err.errorCode).toBe('DUPLICATE_VALUE');
  });

  it('runs composite collections with per-record statusCode errors', async () => {
    const results = (await conn.sobject('Lead').create([
      { LastName: 'Good1', Company: 'C1' },
      { LastName: 'Bad1' },
      { LastName: 'Good2', Company: 'C2', Status: 'Working - Contacted' },
      { LastName: 'Bad2', Company: 'C3', Status: 'Nope' },
    ])) as SaveResult[];
    expect(results.map((r) => r.success)).toEqual([true, false, true, false]);
    expect(results[1]?.errors[0]).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Company'] });
    expect(results[3]?.errors[0]?.statusCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const ids = results.filter((r) => r.success).map((r) => r.id as string);
    const updated = (await conn.sobject('Lead').update([{ Id: ids[0] as string, Title: 'T1' }, { Id: ids[1] as string, IsConverted: true }])) as SaveResult[];
    expect(updated[0]?.success).toBe(true);
    expect(updated[1]?.errors[0]?.statusCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const fetched = (await conn.sobject('Lead').retrieve(ids, { fields: ['Id', 'Title'] })) as ({ Title: string } | null)[];
    expect(fetched[0]?.Title).toBe('T1');
    const deleted = (await conn.sobject('Lead').destroy([ids[0] as string, 'bogus'])) as SaveResult[];
    expect(deleted[0]?.success).toBe(true);
    expect(deleted[1]?.errors[0]?.statusCode).toBe('MALFORMED_ID');
  });

  it('rolls the whole collection back with allOrNone', async () => {
    const before = sf.control.count('Lead');
    const results = (await conn.sobject('Lead').create([{ LastName: 'A', Company: 'C' }, { LastName: 'B' }], { allOrNone: true })) as SaveResult[];
    expect(results.every((r) => !r.success)).toBe(true);
    expect(results[0]?.errors[0]?.statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(results[1]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect(sf.control.count('Lead')).toBe(before);
  });

  it('upserts collections by external id with created flags', async () => {
    const res = (await conn.sobject('Lead').upsert([
      { HubSpot_Contact_ID__c: 'coll-1', LastName: 'C1', Company: 'X' },
      { HubSpot_Contact_ID__c: 'hs-1001', Title: 'VP' },
      { HubSpot_Contact_ID__c: 'coll-2', LastName: 'C2' },
    ], 'HubSpot_Contact_ID__c')) as SaveResult[];
    expect(res.map((r) => [r.success, r.created])).toEqual([[true, true], [true, false], [false, false]]);
    expect(res[2]?.errors[0]?.statusCode).toBe('REQUIRED_FIELD_MISSING');
  });

  it('rejects more than 200 records in a collection', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({ attributes: { type: 'Lead' }, LastName: `N${i}`, Company: 'C' }));
    const res = await fetch(`${sf.url}/services/data/v62.0/composite/sobjects`, {
      method: 'POST', headers: { Authorization: `Bearer ${conn.accessToken ?? ''}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ records }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorCode: string }[])[0]?.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });
});

describe('Salesforce sandbox — Lead duplicate rule', () => {
  it('blocks a duplicate email with the matched record ids, allows with the header or in allow mode', async () => {
    sf.control.setDuplicateRule('block');
    const first = (await conn.sobject('Lead').create({ LastName: 'Dup', Company: 'D', Email: 'dup.rule@example.org' })) as SaveResult;
    const err = await failure(conn.sobject('Lead').create({ LastName: 'Dup2', Company: 'D', Email: 'DUP.rule@example.org' }));
    expect(err.errorCode).toBe('DUPLICATES_DETECTED');
    const data = err.data as { duplicateResult: { matchResults: { matchRecords: { record: { Id: string } }[] }[] } };
    expect(data.duplicateResult.matchResults[0]?.matchRecords[0]?.record.Id).toBe(first.id);
    const batch = (await conn.sobject('Lead').create([{ LastName: 'Dup3', Company: 'D', Email: 'dup.rule@example.org' }, { LastName: 'Other', Company: 'D' }])) as SaveResult[];
    expect(batch[0]?.errors[0]?.statusCode).toBe('DUPLICATES_DETECTED');
    const allowSave = (await conn.sobject('Lead').create({ LastName: 'Dup4', Company: 'D', Email: 'dup.rule@example.org' }, { headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' } })) as SaveResult;
    expect(allowSave.success).toBe(true);
    sf.control.setDuplicateRule('allow');
    const allowed = (await conn.sobject('Lead').create({ LastName: 'Dup5', Company: 'D', Email: 'dup.rule@example.org' })) as SaveResult;
    expect(allowed.success).toBe(true);
    sf.control.setDuplicateRule('block');
  });
});

describe('Salesforce sandbox — SOQL', () => {
  it('runs the jsforce query builder', async () => {
    const rows = (await conn.sobject('Lead')
      .find({ Status: { $in: ['Open - Not Contacted', 'Working - Contacted'] }, Email: { $ne: null }, IsConverted: false }, ['Id', 'Email', 'Status', 'LastName'])
      .sort({ LastName: 1, Id: -1 })
      .limit(25)) as { Email: string; Status: string; LastName: string }[];
    expect(rows.length).toBe(25);
    for (const r of rows) {
      expect(['Open - Not Contacted', 'Working - Contacted']).toContain(r.Status);
      expect(r.Email).toBeTruthy();
    }
    const names = rows.map((r) => r.LastName.toLowerCase());
    expect([...names].sort()).toEqual(names);
  });

  it('handles LIKE, NOT, OR, parentheses, escapes and COUNT()', async () => {
    await conn.sobject('Lead').create({ LastName: "O'Hara", Company: 'Tara 100% Cotton', Email: 'scarlett@tara.example' });
    const res = await conn.query<{ LastName: string; Company: string }>("SELECT Id, LastName, Company FROM Lead WHERE LastName = 'O\\'Hara' AND (Company LIKE '%100\\% Cotton' OR Company = 'none') AND NOT Email LIKE '%@gmail.com'");
    expect(res.totalSize).toBe(1);
    expect(res.records[0]?.Company).toBe('Tara 100% Cotton');
    const count = await conn.query('SELECT COUNT() FROM Lead WHERE IsConverted = true');
    expect(count.totalSize).toBe(25);
    expect(count.records).toEqual([]);
    const converted = await conn.query<{ ConvertedContactId: string; ConvertedAccountId: string }>('SELECT Id, ConvertedContactId, ConvertedAccountId, ConvertedDate FROM Lead WHERE IsConverted = true LIMIT 3');
    for (const r of converted.records) {
      const contact = (await conn.sobject('Contact').retrieve(r.ConvertedContactId)) as { AccountId: string };
      expect(contact.AccountId).toBe(r.ConvertedAccountId);
    }
  });

  it('compares datetimes on SystemModstamp for incremental sync', async () => {
    const marker = (await conn.sobject('Lead').create({ LastName: 'Marker', Company: 'M' })) as SaveResult;
    const markerRow = (await conn.sobject('Lead').retrieve(marker.id as string)) as { SystemModstamp: string };
    const since = markerRow.SystemModstamp.replace('+0000', 'Z');
    const touched = (await conn.sobject('Lead').create({ LastName: 'After', Company: 'M' })) as SaveResult;
    const res = await conn.query<{ Id: string }>(`SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp > ${since} ORDER BY SystemModstamp ASC, Id ASC`);
    expect(res.records.map((r) => r.Id)).toEqual([touched.id]);
    const inclusive = await conn.query<{ Id: string }>(`SELECT Id FROM Lead WHERE SystemModstamp >= ${since.replace('Z', '+00:00')} ORDER BY SystemModstamp`);
    expect(inclusive.records.map((r) => r.Id)).toEqual([marker.id, touched.id]);
    const seeded = await conn.query('SELECT COUNT() FROM Lead WHERE CreatedDate < 2026-01-01T00:00:00Z');
    expect(seeded.totalSize).toBeGreaterThanOrEqual(250);
    const today = await conn.query('SELECT COUNT() FROM Lead WHERE LastModifiedDate = TODAY');
    expect(today.totalSize).toBeGreaterThan(0);
    const recent = await conn.query('SELECT COUNT() FROM Lead WHERE CreatedDate = LAST_N_DAYS:1');
    expect(recent.totalSize).toBe(today.totalSize);
    const dates = await conn.query('SELECT COUNT() FROM Lead WHERE ConvertedDate >= 2025-01-01');
    expect(dates.totalSize).toBe(25);
  });

  it('orders with NULLS FIRST/LAST, offsets, and reads parent fields', async () => {
    const res = await conn.query<{ Rating: string | null }>('SELECT Id, Rating FROM Lead ORDER BY Rating DESC NULLS FIRST LIMIT 5 OFFSET 0');
    expect(res.records[0]?.Rating).toBeNull();
    const paged = await conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY CreatedDate LIMIT 3 OFFSET 2');
    const all = await conn.query<{ Id: string }>('SELECT Id FROM Lead ORDER BY CreatedDate LIMIT 5');
    expect(paged.records.map((r) => r.Id)).toEqual(all.records.slice(2, 5).map((r) => r.Id));
    const owners = await conn.query<{ Owner: { Email: string } }>("SELECT Id, Owner.Email FROM Lead WHERE Owner.Email LIKE '%@northwind-demo.com' LIMIT 2");
    expect(owners.records[0]?.Owner.Email).toMatch(/@northwind-demo\.com$/);
  });

  it('returns MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE like Salesforce', async () => {
    expect((await failure(conn.query('SELECT Id FRM Lead'))).errorCode).toBe('MALFORMED_QUERY');
    const field = await failure(conn.query('SELECT Id, Nope__c FROM Lead'));
    expect(field.errorCode).toBe('INVALID_FIELD');
    expect(field.message).toContain("No such column 'Nope__c' on entity 'Lead'");
    expect((await failure(conn.query('SELECT Id FROM Nope'))).errorCode).toBe('INVALID_TYPE');
    expect((await failure(conn.query("SELECT Id FROM Lead WHERE CreatedDate > '2024-01-01'"))).errorCode).toBe('INVALID_FIELD');
  });

  it('answers SELECT Name FROM Organization with the org itself: one row, its Id the org id, and refuses writes to it', async () => {
    const res = await conn.query<{ attributes: { type: string; url: string }; Id: string; Name: string }>('SELECT Id, Name FROM Organization');
    expect(res).toMatchObject({ totalSize: 1, done: true });
    expect(res.records).toEqual([{ attributes: { type: 'Organization', url: `/services/data/v62.0/sobjects/Organization/${sf.control.orgId}` }, Id: sf.control.orgId, Name: 'Northwind Demo Org' }]);
    const d = await conn.sobject('Organization').describe();
    expect(d).toMatchObject({ name: 'Organization', keyPrefix: '00D', createable: false, deletable: false });
    expect(d.fields.find((f) => f.name === 'Name')).toMatchObject({ createable: false, updateable: false });
    expect((await failure(conn.sobject('Organization').create({ Name: 'Another org' }))).errorCode).toBe('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY');
    expect((await conn.query('SELECT Name FROM Organization')).totalSize).toBe(1);
  });

  it('lists the Opportunity stages in OpportunityStage, saying which close the deal (the StageName describe does not)', async () => {
    const res = await conn.query<{ ApiName: string; MasterLabel: string; IsClosed: boolean; IsWon: boolean }>('SELECT ApiName, MasterLabel, IsClosed, IsWon FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder');
    const stages = (await conn.sobject('Opportunity').describe()).fields.find((f) => f.name === 'StageName')?.picklistValues?.map((p) => p.value);
    expect(res.records.map((r) => r.ApiName)).toEqual(stages);
    expect(res.records.filter((r) => r.IsClosed).map((r) => [r.MasterLabel, r.IsWon])).toEqual([['Closed Won', true], ['Closed Lost', false]]);
    expect((await failure(conn.sobject('OpportunityStage').create({ MasterLabel: 'Won big' }))).errorCode).toBe('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY');
  });

  it('answers 414 past 16,384 URI characters', async () => {
    const ids = (n: number): string => Array.from({ length: n }, (_, i) => `'00Q8d0000${String(i).padStart(6, '0')}'`).join(', ');
    const ok = await conn.query(`SELECT Id FROM Lead WHERE Id IN (${ids(300)})`);
    expect(ok.totalSize).toBeGreaterThanOrEqual(0);
    const tooLong = await failure(conn.query(`SELECT Id FROM Lead WHERE Id IN (${ids(700)})`));
    expect(tooLong.name).toBe('ERROR_HTTP_414');
  });

  it('includes deleted rows only with queryAll', async () => {
    const created = (await conn.sobject('Lead').create({ LastName: 'Gone', Company: 'G' })) as SaveResult;
    await conn.sobject('Lead').destroy(created.id as string);
    const live = await conn.query(`SELECT Id FROM Lead WHERE Id = '${created.id ?? ''}'`);
    expect(live.totalSize).toBe(0);
    const all = await conn.query<{ IsDeleted: boolean }>(`SELECT Id, IsDeleted FROM Lead WHERE Id = '${created.id ?? ''}'`, { scanAll: true });
    expect(all.records[0]?.IsDeleted).toBe(true);
  });
});

describe('Salesforce sandbox — limits', () => {
  it('reports DailyApiRequests and Sforce-Limit-Info', async () => {
    const limits = (await conn.limits()) as { DailyApiRequests: { Max: number; Remaining: number } };
    expect(limits.DailyApiRequests.Max).toBe(100_000);
    expect(limits.DailyApiRequests.Remaining).toBeLessThan(100_000);
    expect(conn.limitInfo.apiUsage?.limit).toBe(100_000);
    expect(conn.limitInfo.apiUsage?.used).toBe(sf.control.apiUsage().used);
  });

  it('answers 403 REQUEST_LIMIT_EXCEEDED once the daily budget is spent', async () => {
    const used = sf.control.apiUsage().used;
    sf.control.configure({ dailyApiLimit: used + 1 });
    await conn.sobject('Lead').describe();
    const err = await failure(conn.sobject('Lead').describe());
    expect(err.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    sf.control.configure({ dailyApiLimit: 100_000 });
    await expect(conn.sobject('Lead').describe()).resolves.toBeTruthy();
  });
});

describe('Salesforce sandbox — activities, campaigns and conversion', () => {
  it('logs Tasks and Events on a Lead (events derive end/duration) and shows them on the timeline', async () => {
    const lead = (await conn.sobject('Lead').create({ LastName: 'Timeline', Company: 'T' })) as SaveResult;
    const task = (await conn.sobject('Task').create({ WhoId: lead.id, Subject: 'Email: hello', TaskSubtype: 'Email', Status: 'Completed', ActivityDate: '2026-01-05', Description: 'Hi!' })) as SaveResult;
    expect(task.success).toBe(true);
    const storedTask = (await conn.sobject('Task').retrieve(task.id as string)) as Record<string, unknown>;
    expect(storedTask).toMatchObject({ IsClosed: true, Priority: 'Normal', TaskSubtype: 'Email' });
    const event = (await conn.sobject('Event').create({ WhoId: lead.id, Subject: 'Demo', StartDateTime: '2026-01-06T15:00:00Z', DurationInMinutes: 45 })) as SaveResult;
    const storedEvent = (await conn.sobject('Event').retrieve(event.id as string)) as Record<string, unknown>;
    expect(storedEvent).toMatchObject({ EndDateTime: '2026-01-06T15:45:00.000+0000', ActivityDate: '2026-01-06' });
    expect((await failure(conn.sobject('Event').create({ WhoId: lead.id, Subject: 'No time' }))).errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect((await failure(conn.sobject('Task').create({ WhoId: lead.id, Subject: 'x', Status: 'Done-ish' }))).errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const view = sf.control.getRecord('Lead', lead.id as string);
    expect(view?.timeline.map((t) => t.type)).toEqual(['Event', 'Task']);
  });

  it('adds campaign members once', async () => {
    const [campaign] = (await conn.query<{ Id: string; NumberOfLeads: number }>('SELECT Id, NumberOfLeads FROM Campaign LIMIT 1')).records;
    const lead = (await conn.sobject('Lead').create({ LastName: 'Member', Company: 'M' })) as SaveResult;
    const member = (await conn.sobject('CampaignMember').create({ CampaignId: campaign?.Id, LeadId: lead.id, Status: 'Responded' })) as SaveResult;
    expect(member.success).toBe(true);
    expect(((await conn.sobject('CampaignMember').retrieve(member.id as string)) as Record<string, unknown>)['HasResponded']).toBe(true);
    expect((await failure(conn.sobject('CampaignMember').create({ CampaignId: campaign?.Id, LeadId: lead.id }))).errorCode).toBe('DUPLICATE_VALUE');
    const after = (await conn.sobject('Campaign').retrieve(campaign?.Id ?? '')) as { NumberOfLeads: number };
    expect(after.NumberOfLeads).toBe((campaign?.NumberOfLeads ?? 0) + 1);
    await conn.sobject('CampaignMember').destroy(member.id as string);
    expect(((await conn.sobject('Campaign').retrieve(campaign?.Id ?? '')) as { NumberOfLeads: number }).NumberOfLeads).toBe(campaign?.NumberOfLeads);
  });

  it('converts a lead through the control API; converted leads reject updates', async () => {
    const lead = (await conn.sobject('Lead').create({ FirstName: 'Conv', LastName: 'Erted', Company: 'Conversion Co', Email: 'conv@conversion.example' })) as SaveResult;
    const { contactId, accountId } = sf.control.convertLead(lead.id as string);
    const row = (await conn.sobject('Lead').retrieve(lead.id as string)) as Record<string, unknown>;
    expect(row).toMatchObject({ IsConverted: true, Status: 'Closed - Converted', ConvertedContactId: contactId, ConvertedAccountId: accountId });
    const contact = (await conn.sobject('Contact').retrieve(contactId)) as Record<string, unknown>;
    expect(contact).toMatchObject({ Email: 'conv@conversion.example', AccountId: accountId });
    const err = await failure(conn.sobject('Lead').update({ Id: lead.id as string, Title: 'x' }));
    expect(err.errorCode).toBe('CANNOT_UPDATE_CONVERTED_LEAD');
  });
});
