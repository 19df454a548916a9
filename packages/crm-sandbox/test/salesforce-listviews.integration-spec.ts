import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from 'jsforce';
import { failure, startSalesforce, type SalesforceHarness } from './salesforce-harness.js';

let sf: SalesforceHarness;
let conn: Connection;

beforeAll(async () => {
  sf = await startSalesforce({ seed: 5 });
  conn = sf.connect();
});
afterAll(async () => {
  await sf.close();
});

interface ListViewSummary {
  id: string;
  developerName: string;
  label: string;
  describeUrl: string;
  resultsUrl: string;
  soqlCompatible: boolean;
}
interface ListViewDescribe {
  id: string;
  query: string;
  scope: string | null;
  sobjectType: string;
  columns: { fieldNameOrPath: string; hidden: boolean; label: string }[];
  orderBy: { fieldNameOrPath: string }[];
  whereCondition: unknown;
}
interface ListViewResults {
  done: boolean;
  size: number;
  label: string;
  records: { columns: { fieldNameOrPath: string; value: string | null }[] }[];
}

const v = '/services/data/v62.0';
const get = <T>(path: string): Promise<T> => conn.request<T>(`${v}${path}`);
const listViews = async (type: string) => (await get<{ done: boolean; size: number; listviews: ListViewSummary[]; sobjectType: string }>(`/sobjects/${type}/listviews`));
const describeView = (type: string, id: string) => get<ListViewDescribe>(`/sobjects/${type}/listviews/${id}/describe`);
const results = (type: string, id: string, query = '') => get<ListViewResults>(`/sobjects/${type}/listviews/${id}/results${query}`);
const idsOfResults = (r: ListViewResults) => r.records.map((rec) => rec.columns.find((c) => c.fieldNameOrPath === 'Id')?.value).sort();
/** Every row of a SOQL query, following the locator. */
const queryAll = async (soql: string): Promise<string[]> => {
  const out: string[] = [];
  let res = await conn.query<{ Id: string }>(soql, { autoFetch: false });
  out.push(...res.records.map((r) => r.Id));
  while (!res.done && res.nextRecordsUrl) {
    res = await conn.queryMore<{ Id: string }>(res.nextRecordsUrl);
    out.push(...res.records.map((r) => r.Id));
  }
  return out.sort();
};
const control = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sf.url}/__sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown> };
};

describe('Salesforce sandbox — list views (REST list view resources through jsforce)', () => {
  it('lists the seeded Lead and Contact views with their describe and results URLs; other objects have none', async () => {
    const leads = await listViews('Lead');
    expect(leads).toMatchObject({ done: true, sobjectType: 'Lead', size: 2 });
    expect(leads.listviews.map((l) => l.label)).toEqual(['My open leads', 'Technology industry']);
    for (const view of leads.listviews) {
      expect(view.id).toMatch(/^00B[A-Za-z0-9]{15}$/);
      expect(view.describeUrl).toBe(`${v}/sobjects/Lead/listviews/${view.id}/describe`);
      expect(view.resultsUrl).toBe(`${v}/sobjects/Lead/listviews/${view.id}/results`);
      expect(view.soqlCompatible).toBe(true);
    }
    const contacts = await listViews('Contact');
    expect(contacts.listviews.map((l) => [l.label, l.developerName])).toEqual([['Contacts in California', 'Contacts_In_California']]);
    expect((await listViews('Account')).listviews).toEqual([]);
    // jsforce's own list view helpers read the same resources.
    const viaJsforce = (await conn.sobject('Lead').listviews()) as { listviews: ListViewSummary[] };
    expect(viaJsforce.listviews.map((l) => l.id)).toEqual(leads.listviews.map((l) => l.id));
    const first = leads.listviews[0]!;
    expect(((await conn.sobject('Lead').listview(first.id).describe()) as ListViewDescribe).id).toBe(first.id);
    expect(((await conn.sobject('Lead').listview(first.id).results()) as ListViewResults).label).toBe(first.label);
  });

  it("describes each view with a query that, run through /query, gives the same records as /results", async () => {
    const all = [...(await listViews('Lead')).listviews.map((l) => ['Lead', l] as const), ...(await listViews('Contact')).listviews.map((l) => ['Contact', l] as const)];
    for (const [type, view] of all) {
      const d = await describeView(type, view.id);
      expect(d).toMatchObject({ id: view.id, sobjectType: type });
      expect(d.query).toMatch(new RegExp(`^SELECT .* FROM ${type}( USING SCOPE mine)? WHERE .* ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST$`));
      expect(d.columns.find((c) => c.fieldNameOrPath === 'Id')).toMatchObject({ hidden: true });
      expect(d.orderBy.map((o) => o.fieldNameOrPath)).toEqual(['Name', 'Id']);
      const viaQuery = await queryAll(d.query);
      const r = await results(type, view.id, '?limit=2000');
      expect(viaQuery.length).toBeGreaterThan(0);
      expect(r).toMatchObject({ done: true, size: viaQuery.length, label: view.label });
      expect(idsOfResults(r)).toEqual(viaQuery);
    }
  });

  it('evaluates the filters: a "My" view holds the running user\'s records only; the where condition is described', async () => {
    const mine = (await listViews('Lead')).listviews.find((l) => l.label === 'My open leads')!;
    const d = await describeView('Lead', mine.id);
    expect(d.scope).toBe('mine');
    expect(d.query).toContain('FROM Lead USING SCOPE mine WHERE');
    expect(d.whereCondition).toEqual({
      conjunction: 'and',
      conditions: [
        { field: 'IsConverted', operator: 'equals', values: ['false'] },
        { field: 'Status', operator: 'like', values: ['Open%'] },
      ],
    });
    const me = (await conn.identity()).user_id;
    const expected = await queryAll(`SELECT Id FROM Lead WHERE OwnerId = '${me}' AND IsConverted = false AND Status LIKE 'Open%'`);
    expect(idsOfResults(await results('Lead', mine.id, '?limit=2000'))).toEqual(expected);
    // Another user sees their own open leads through the same view.
    const other = sf.control.users().find((u) => u.active && u.id !== me)!;
    const theirs = sf.connect({});
    theirs.accessToken = sf.control.mintToken({ userId: other.id }).accessToken;
    const theirRows = await theirs.request<ListViewResults>(`${v}/sobjects/Lead/listviews/${mine.id}/results?limit=2000`);
    const theirExpected = await queryAll(`SELECT Id FROM Lead WHERE OwnerId = '${other.id}' AND IsConverted = false AND Status LIKE 'Open%'`);
    expect(idsOfResults(theirRows)).toEqual(theirExpected);
    expect(theirExpected.some((id) => expected.includes(id))).toBe(false);
  });

  it('answers at most 2,000 rows a call and no offset past 2,000: a larger view is read in full only through its query', async () => {
    const made = await control('POST', '/listviews', { sobjectType: 'Lead', label: 'Trade show 2026', where: "LeadSource = 'Trade Show 2026'" });
    expect(made.status).toBe(201);
    const id = String(made.body['id']);
    expect((await control('POST', '/seed/leads', { count: 2_600, fields: { LeadSource: 'Trade Show 2026', Industry: 'Technology' } })).status).toBe(200);
    const first = await results('Lead', id, '?limit=2000');
    expect(first.records).toHaveLength(2_000);
    expect(first).toMatchObject({ done: false, size: 2_600 });
    const second = await results('Lead', id, '?limit=2000&offset=2000');
    expect(second.records).toHaveLength(600);
    expect(second.done).toBe(true);
    expect((await results('Lead', id)).records).toHaveLength(25);
    expect((await failure(results('Lead', id, '?limit=2001'))).errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect((await failure(results('Lead', id, '?limit=10&offset=2001'))).errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    const d = await describeView('Lead', id);
    expect(await queryAll(d.query)).toHaveLength(2_600);
    expect(new Set([...idsOfResults(first), ...idsOfResults(second)]).size).toBe(2_600);
  });

  it('follows a filter change, answers NOT_FOUND once deleted or private to another user, and INVALID_FIELD once its filter field is gone', async () => {
    const made = await control('POST', '/listviews', { sobjectType: 'Contact', label: 'Contacts in New York', where: "MailingState = 'NY'" });
    const id = String(made.body['id']);
    const ny = await queryAll(`SELECT Id FROM Contact WHERE MailingState = 'NY'`);
    expect(idsOfResults(await results('Contact', id, '?limit=2000'))).toEqual(ny);

    const changed = await control('PATCH', `/listviews/${id}`, { where: "MailingState IN ('NY', 'MA')" });
    expect(changed.status).toBe(200);
    expect(changed.body['query']).toContain("WHERE MailingState IN ('NY', 'MA')");
    const nyMa = await queryAll(`SELECT Id FROM Contact WHERE MailingState = 'NY' OR MailingState = 'MA'`);
    expect(nyMa.length).toBeGreaterThan(ny.length);
    expect(idsOfResults(await results('Contact', id, '?limit=2000'))).toEqual(nyMa);
    expect((await describeView('Contact', id)).whereCondition).toEqual({ field: 'MailingState', operator: 'in', values: ['NY', 'MA'] });

    // Bad control input names the field.
    expect(await control('PATCH', `/listviews/${id}`, { where: 'MailingState = ' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^where: /) } });
    expect(await control('POST', '/listviews', { sobjectType: 'Account', label: 'x' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('sobjectType') } });

    // The view on another object's path, or private to another user: Salesforce does not tell it apart from a missing one.
    expect((await failure(describeView('Lead', id))).errorCode).toBe('NOT_FOUND');
    const other = sf.control.users().find((u) => u.active && u.email.startsWith('priya'))!;
    await control('PATCH', `/listviews/${id}`, { visibility: 'private', ownerId: other.id });
    expect((await failure(describeView('Contact', id))).errorCode).toBe('NOT_FOUND');
    expect((await listViews('Contact')).listviews.map((l) => l.id)).not.toContain(id);
    await control('PATCH', `/listviews/${id}`, { visibility: 'public' });
    expect((await describeView('Contact', id)).id).toBe(id);

    // A filter on a field the user can no longer read: the describe still answers, its query and the results do not.
    sf.control.addField('Contact', { name: 'Segment__c', type: 'string' });
    await control('PATCH', `/listviews/${id}`, { where: "Segment__c = 'Enterprise'" });
    sf.control.removeField('Contact', 'Segment__c');
    const d = await describeView('Contact', id);
    expect(d.query).toContain("WHERE Segment__c = 'Enterprise'");
    expect((await failure(results('Contact', id))).errorCode).toBe('INVALID_FIELD');
    expect((await failure(conn.query(d.query))).errorCode).toBe('INVALID_FIELD');

    expect((await control('DELETE', `/listviews/${id}`)).status).toBe(204);
    expect((await failure(describeView('Contact', id))).errorCode).toBe('NOT_FOUND');
    expect((await failure(results('Contact', id))).errorCode).toBe('NOT_FOUND');
    expect((await control('DELETE', `/listviews/${id}`)).status).toBe(404);
  });

  it('keeps list views across a restart (persistDir) and re-seeds them on reset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-listviews-'));
    try {
      const a = await startSalesforce({ seed: 3, persistDir: dir });
      const made = a.control.createListView({ sobjectType: 'Lead', label: 'Kept', where: "Industry = 'Banking'" });
      await a.close();
      const b = await startSalesforce({ seed: 3, persistDir: dir });
      expect(b.control.listViews().map((l) => l.label)).toContain('Kept');
      expect(b.control.listViews().find((l) => l.id === made.id)?.query).toContain("WHERE Industry = 'Banking'");
      b.control.reset();
      expect(b.control.listViews().map((l) => l.label).sort()).toEqual(['Contacts in California', 'My open leads', 'Technology industry']);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
