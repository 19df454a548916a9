import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BulkResult, CompanyDto, Page, PersonDto } from '@conduit/contracts';
import request from 'supertest';
import { Company } from '../src/companies/company.entity.js';
import { Person } from '../src/people/person.entity.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
let a: TestWorkspace;
let b: TestWorkspace;

beforeAll(async () => {
  t = await startTestApp();
  a = await createWorkspace(t.server, t.dataSource, 'Alpha');
  b = await createWorkspace(t.server, t.dataSource, 'Beta');
});

afterAll(async () => {
  await t?.close();
});

const api = (cookie: string) => ({
  get: (url: string) => request(t.server).get(url).set('Cookie', cookie),
  post: (url: string, body: object | string = {}) => request(t.server).post(url).set('Cookie', cookie).send(body),
  patch: (url: string, body: object) => request(t.server).patch(url).set('Cookie', cookie).send(body),
  delete: (url: string) => request(t.server).delete(url).set('Cookie', cookie),
});

const fieldsOf = (body: unknown) => (body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();

/** Row counts of the whole database, to prove a rejected request changed nothing. */
async function snapshot(): Promise<string> {
  const people = await t.dataSource.getRepository(Person).find({ order: { id: 'ASC' } });
  const companies = await t.dataSource.getRepository(Company).find({ order: { id: 'ASC' } });
  return JSON.stringify({ people, companies });
}

describe('people', () => {
  let globex: CompanyDto;

  beforeAll(async () => {
    globex = (await api(a.adminCookie).post('/api/companies', { name: 'Globex', domain: 'Globex.com', employeeCount: 250 }).expect(201)).body as CompanyDto;
  });

  it('creates a person, splitting `name`, linking the company by name, and reads it back', async () => {
    const res = await api(a.memberCookie)
      .post('/api/people', { name: 'Ada King Lovelace', email: 'ada@globex.com', companyName: 'globex', customAttributes: { tier: 'A' }, assignedUserId: a.member.id })
      .expect(201);
    const person = res.body as PersonDto;
    expect(person).toMatchObject({ firstName: 'Ada', lastName: 'King Lovelace', email: 'ada@globex.com', companyName: 'globex', companyId: globex.id, engagementState: 'not_contacted', customAttributes: { tier: 'A' }, assignedUserId: a.member.id });
    expect((await api(a.memberCookie).get(`/api/people/${person.id}`).expect(200)).body).toEqual(person);

    const explicit = (await api(a.memberCookie).post('/api/people', { name: 'Ignored Name', firstName: 'Grace', email: 'grace@x.test' }).expect(201)).body as PersonDto;
    expect(explicit).toMatchObject({ firstName: 'Grace', lastName: null });
  });

  it('updates and deletes', async () => {
    const p = (await api(a.memberCookie).post('/api/people', { email: 'patch.me@x.test', companyId: globex.id }).expect(201)).body as PersonDto;
    expect(p.companyName).toBe('Globex');
    const patched = (await api(a.memberCookie).patch(`/api/people/${p.id}`, { engagementState: 'replied_positive', leadStatus: 'Qualified', jobTitle: 'CTO' }).expect(200)).body as PersonDto;
    expect(patched).toMatchObject({ id: p.id, engagementState: 'replied_positive', leadStatus: 'Qualified', jobTitle: 'CTO', email: 'patch.me@x.test' });
    const cleared = (await api(a.memberCookie).patch(`/api/people/${p.id}`, { jobTitle: null, companyId: null }).expect(200)).body as PersonDto;
    expect(cleared).toMatchObject({ jobTitle: null, companyId: null });
    await api(a.memberCookie).delete(`/api/people/${p.id}`).expect(204);
    await api(a.memberCookie).get(`/api/people/${p.id}`).expect(404);
    await api(a.memberCookie).delete(`/api/people/${p.id}`).expect(404);
  });

  it('refuses a duplicate email in the workspace (409) but allows it in another workspace', async () => {
    await api(a.memberCookie).post('/api/people', { email: 'dup@x.test' }).expect(201);
    const dup = await api(a.memberCookie).post('/api/people', { email: 'DUP@x.test' }).expect(409);
    expect(dup.body).toMatchObject({ statusCode: 409, errors: [{ field: 'email' }] });
    await api(b.memberCookie).post('/api/people', { email: 'dup@x.test' }).expect(201);
  });

  it('lists with pagination, search, filters and sorting', async () => {
    const bulk = (await api(a.memberCookie)
      .post('/api/people/bulk', {
        people: [
          { firstName: 'Zed', lastName: 'Alpha', email: 'zed@list.test', leadStatus: 'Open', engagementState: 'replied' },
          { firstName: 'Yan', lastName: 'Beta', email: 'yan@list.test', leadStatus: 'Open', companyName: 'Globex' },
          { firstName: 'Xia', lastName: 'Gamma', email: 'xia@list.test', leadStatus: 'New', assignedUserId: a.admin.id },
        ],
      })
      .expect(200)).body as BulkResult;
    expect(bulk).toEqual({ created: 3, failed: 0, errors: [] });

    const page = (await api(a.memberCookie).get('/api/people?search=list.test&sort=firstName&order=asc&pageSize=2').expect(200)).body as Page<PersonDto>;
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page.items.map((p) => p.firstName)).toEqual(['Xia', 'Yan']);
    const page2 = (await api(a.memberCookie).get('/api/people?search=list.test&sort=firstName&order=asc&pageSize=2&page=2').expect(200)).body as Page<PersonDto>;
    expect(page2.items.map((p) => p.firstName)).toEqual(['Zed']);

    const names = async (qs: string) => ((await api(a.memberCookie).get(`/api/people?${qs}`).expect(200)).body as Page<PersonDto>).items.map((p) => p.firstName).sort();
    expect(await names('search=zed%20alpha')).toEqual(['Zed']);
    expect(await names('engagementState=replied')).toEqual(['Zed']);
    expect(await names('search=list.test&leadStatus=open')).toEqual(['Yan', 'Zed']);
    expect(await names(`assignedUserId=${a.admin.id}`)).toEqual(['Xia']);
    expect(await names(`search=list.test&companyId=${globex.id}`)).toEqual(['Yan']);
    expect(await names('search=%25')).toEqual([]); // % is a literal, not a wildcard
  });

  it('bulk-creates valid rows and reports invalid ones by index with nested field paths', async () => {
    const res = await api(a.memberCookie)
      .post('/api/people/bulk', {
        people: [
          { name: 'Ok One', email: 'ok1@bulk.test' },
          { name: 'Bad Email', email: 'nope' },
          { name: 'Unknown', email: 'ok2@bulk.test', favouriteColour: 'blue' },
          { email: 'ok1@bulk.test' },
          { companyId: b.id, email: 'ok3@bulk.test' },
          { phone: '+1 415 555 0100' },
          { name: 'Ok Two', email: 'ok4@bulk.test', engagementState: 'contacted' },
          { name: 'Bad Phone', email: 'phone@bulk.test', phone: '555-0100' },
        ],
      })
      .expect(200);
    const result = res.body as BulkResult;
    expect(result.created).toBe(2);
    expect(result.failed).toBe(6);
    expect(result.errors.map((e) => [e.index, e.errors.map((f) => f.field)])).toEqual([
      [1, ['email']],
      [2, ['favouriteColour']],
      [3, ['email']],
      [4, ['companyId']],
      [5, ['name']],
      [7, ['phone']],
    ]);
    // The phone library's reason, naming the field (#21).
    expect(result.errors.at(-1)!.errors[0]!.messages).toEqual(['phone needs its country code: write it in international format, e.g. +1 415 555 0100 or +49 30 1234567']);
    const emails = ((await api(a.memberCookie).get('/api/people?search=bulk.test').expect(200)).body as Page<PersonDto>).items.map((p) => p.email).sort();
    expect(emails).toEqual(['ok1@bulk.test', 'ok4@bulk.test']);
  });

  it('imports CSV (text/csv and multipart) with some bad rows', async () => {
    const csv = ['First Name,Last Name,E-mail,Company,Job Title,Favourite Colour', 'Alan,Turing,alan@csv.test,Globex,Cryptanalyst,green', 'Bad,Row,not-an-email,,,', ',,,,,', 'Joan,Clarke,joan@csv.test,,,'].join('\n');
    const res = await request(t.server).post('/api/people/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send(csv).expect(200);
    const result = res.body as BulkResult;
    expect(result).toMatchObject({ created: 2, failed: 2 });
    expect(result.errors.map((e) => [e.index, e.errors.map((f) => f.field)])).toEqual([
      [1, ['email']],
      [2, ['name']],
    ]);
    const alan = ((await api(a.memberCookie).get('/api/people?search=alan@csv.test').expect(200)).body as Page<PersonDto>).items[0];
    expect(alan).toMatchObject({ firstName: 'Alan', lastName: 'Turing', companyId: globex.id, jobTitle: 'Cryptanalyst', customAttributes: { 'Favourite Colour': 'green' } });

    const multipart = await request(t.server)
      .post('/api/people/import-csv')
      .set('Cookie', a.memberCookie)
      .attach('file', Buffer.from('name,email\nKatherine Johnson,katherine@csv.test\n'), { filename: 'people.csv', contentType: 'text/csv' })
      .expect(200);
    expect(multipart.body).toEqual({ created: 1, failed: 0, errors: [] });
  });
});

describe('companies', () => {
  it('creates, lists, updates and deletes; people keep their companyName', async () => {
    const c = (await api(a.adminCookie).post('/api/companies', { name: 'Initech', domain: 'INITECH.com', industry: 'Software', city: 'Austin' }).expect(201)).body as CompanyDto;
    expect(c).toMatchObject({ name: 'Initech', domain: 'initech.com', industry: 'Software', employeeCount: null });
    const person = (await api(a.adminCookie).post('/api/people', { email: 'peter@initech.com', companyId: c.id }).expect(201)).body as PersonDto;

    const list = (await api(a.adminCookie).get('/api/companies?search=initech&industry=software').expect(200)).body as Page<CompanyDto>;
    expect(list.items.map((x) => x.id)).toEqual([c.id]);
    const patched = (await api(a.adminCookie).patch(`/api/companies/${c.id}`, { employeeCount: 120, website: 'https://initech.com' }).expect(200)).body as CompanyDto;
    expect(patched).toMatchObject({ name: 'Initech', employeeCount: 120, website: 'https://initech.com' });

    await api(a.adminCookie).delete(`/api/companies/${c.id}`).expect(204);
    await api(a.adminCookie).get(`/api/companies/${c.id}`).expect(404);
    const after = (await api(a.adminCookie).get(`/api/people/${person.id}`).expect(200)).body as PersonDto;
    expect(after).toMatchObject({ companyId: null, companyName: 'Initech' });
  });

  it('bulk-creates with per-row errors', async () => {
    const res = await api(a.adminCookie).post('/api/companies/bulk', { companies: [{ name: 'Hooli', domain: 'hooli.xyz' }, { domain: 'no-name.test' }, { name: 'Bad', employeeCount: -1 }] }).expect(200);
    expect((res.body as BulkResult).created).toBe(1);
    expect((res.body as BulkResult).errors.map((e) => [e.index, e.errors.map((f) => f.field)])).toEqual([
      [1, ['name']],
      [2, ['employeeCount']],
    ]);
  });
});

describe('companies CSV', () => {
  it('imports companies from CSV with per-row errors', async () => {
    const csv = 'Account Name,Domain,Employees,Industry,Notes\nUmbrella,umbrella.test,5000,Pharma,ignored\n,nameless.test,3,,\nCyberdyne,cyberdyne.test,lots,,\nTyrell,tyrell.test,,,\n';
    const res = await request(t.server).post('/api/companies/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send(csv).expect(200);
    const result = res.body as BulkResult;
    expect(result).toMatchObject({ created: 2, failed: 2 });
    expect(result.errors.map((e) => [e.index, e.errors.map((f) => f.field)])).toEqual([
      [1, ['name']],
      [2, ['employeeCount']],
    ]);
    const umbrella = ((await api(a.memberCookie).get('/api/companies?search=umbrella').expect(200)).body as Page<CompanyDto>).items[0];
    expect(umbrella).toMatchObject({ name: 'Umbrella', domain: 'umbrella.test', employeeCount: 5000, industry: 'Pharma' });
  });
});

describe('bad input', () => {
  it('answers 400 with field errors on every endpoint and changes nothing', async () => {
    const person = (await api(a.memberCookie).post('/api/people', { email: 'stable@bad.test', firstName: 'Stable' }).expect(201)).body as PersonDto;
    const company = (await api(a.memberCookie).post('/api/companies', { name: 'Stable Co' }).expect(201)).body as CompanyDto;
    const before = await snapshot();

    const cases: [string, () => request.Test, string[]][] = [
      ['POST /people', () => api(a.memberCookie).post('/api/people', { email: 'x', engagementState: 'hot', linkedinUrl: 'nope', extra: 1 }), ['email', 'engagementState', 'extra', 'linkedinUrl']],
      ['POST /people assignee', () => api(a.memberCookie).post('/api/people', { email: 'new@bad.test', assignedUserId: b.member.id }), ['assignedUserId']],
      ['PATCH /people', () => api(a.memberCookie).patch(`/api/people/${person.id}`, { engagementState: null, customAttributes: 'x', companyId: 'nope' }), ['companyId', 'customAttributes', 'engagementState']],
      ['POST /people/bulk not array', () => api(a.memberCookie).post('/api/people/bulk', { people: 'x' }), ['people']],
      ['POST /people/bulk empty', () => api(a.memberCookie).post('/api/people/bulk', { people: [] }), ['people']],
      ['POST /people/bulk too many', () => api(a.memberCookie).post('/api/people/bulk', { people: Array.from({ length: 1001 }, (_, i) => ({ email: `r${i}@bad.test` })) }), ['people']],
      ['POST /people/bulk non-object rows', () => api(a.memberCookie).post('/api/people/bulk', { people: [1, 'x'] }), ['people']],
      ['POST /people/import-csv json', () => api(a.memberCookie).post('/api/people/import-csv', { csv: 'x' }), ['file']],
      ['POST /people/import-csv no header', () => request(t.server).post('/api/people/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send('foo,bar\n1,2\n'), ['file']],
      ['POST /people/import-csv no rows', () => request(t.server).post('/api/people/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send('email\n'), ['file']],
      ['GET /people query', () => api(a.memberCookie).get('/api/people?pageSize=1000&page=0&sort=salary&engagementState=hot&companyId=x&bogus=1'), ['bogus', 'companyId', 'engagementState', 'page', 'pageSize', 'sort']],
      ['POST /companies', () => api(a.memberCookie).post('/api/companies', { domain: 'not a domain', employeeCount: 'many' }), ['domain', 'employeeCount', 'name']],
      ['PATCH /companies', () => api(a.memberCookie).patch(`/api/companies/${company.id}`, { name: null, website: 'ftp://x' }), ['name', 'website']],
      ['POST /companies/bulk', () => api(a.memberCookie).post('/api/companies/bulk', { companies: {} }), ['companies']],
      ['POST /companies/import-csv no body', () => api(a.memberCookie).post('/api/companies/import-csv'), ['file']],
      ['POST /companies/import-csv no known header', () => request(t.server).post('/api/companies/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send('foo\n1\n'), ['file']],
      ['GET /companies query', () => api(a.memberCookie).get('/api/companies?sort=revenue&order=sideways'), ['order', 'sort']],
    ];
    for (const [name, send, fields] of cases) {
      const res = await send();
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'Validation failed' });
      expect({ name, fields: [...new Set(fieldsOf(res.body))] }).toEqual({ name, fields });
    }
    const malformed = await request(t.server).post('/api/people').set('Cookie', a.memberCookie).set('Content-Type', 'application/json').send('{"email":');
    expect(malformed.status).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('rejects unknown fields next to the bulk rows', async () => {
    const res = await api(a.memberCookie).post('/api/people/bulk', { people: [{ email: 'ok@nested.test' }], extra: true }).expect(400);
    expect(fieldsOf(res.body)).toEqual(['extra']);
  });
});

describe('workspace isolation', () => {
  it("cannot read, update or delete another workspace's people (404) nor see them in lists", async () => {
    const theirs = (await api(b.memberCookie).post('/api/people', { name: 'Beta Secret', email: 'secret@beta.test' }).expect(201)).body as PersonDto;
    await api(a.adminCookie).get(`/api/people/${theirs.id}`).expect(404);
    await api(a.adminCookie).patch(`/api/people/${theirs.id}`, { firstName: 'Hacked' }).expect(404);
    await api(a.adminCookie).delete(`/api/people/${theirs.id}`).expect(404);
    const list = (await api(a.adminCookie).get('/api/people?search=secret@beta.test').expect(200)).body as Page<PersonDto>;
    expect(list.total).toBe(0);
    const unchanged = (await api(b.memberCookie).get(`/api/people/${theirs.id}`).expect(200)).body as PersonDto;
    expect(unchanged).toEqual(theirs);
  });

  it("cannot read, update or delete another workspace's companies (404) nor link people to them", async () => {
    const theirs = (await api(b.memberCookie).post('/api/companies', { name: 'Beta Corp', domain: 'betacorp.test' }).expect(201)).body as CompanyDto;
    await api(a.adminCookie).get(`/api/companies/${theirs.id}`).expect(404);
    await api(a.adminCookie).patch(`/api/companies/${theirs.id}`, { name: 'Hacked' }).expect(404);
    await api(a.adminCookie).delete(`/api/companies/${theirs.id}`).expect(404);
    const list = (await api(a.adminCookie).get('/api/companies?search=betacorp').expect(200)).body as Page<CompanyDto>;
    expect(list.total).toBe(0);
    await api(a.adminCookie).post('/api/people', { email: 'link@alpha.test', companyId: theirs.id }).expect(400);
    const byName = (await api(a.adminCookie).post('/api/people', { email: 'byname@alpha.test', companyName: 'Beta Corp' }).expect(201)).body as PersonDto;
    expect(byName.companyId).toBeNull();
    expect(((await api(b.memberCookie).get(`/api/companies/${theirs.id}`).expect(200)).body as CompanyDto).name).toBe('Beta Corp');
  });
});
