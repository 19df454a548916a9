import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BulkResult, CompanyDto, Page, PersonDto, ProvenanceDto } from '@conduit/contracts';
import request from 'supertest';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 5: values created in Conduit (POST, bulk, CSV import) and edits made in Conduit record provenance with source
 * `conduit`, one field_provenance_set row per created or edited record; companies carry custom attributes.
 */
let t: TestApp;
let a: TestWorkspace;
let b: TestWorkspace;

beforeAll(async () => {
  t = await startTestApp();
  a = await createWorkspace(t.server, t.dataSource, 'ProvAlpha');
  b = await createWorkspace(t.server, t.dataSource, 'ProvBeta');
});

afterAll(async () => {
  await t?.close();
});

const post = (url: string, body: object | string, cookie = a.memberCookie) => request(t.server).post(url).set('Cookie', cookie).send(body);
const patch = (url: string, body: object, cookie = a.memberCookie) => request(t.server).patch(url).set('Cookie', cookie).send(body);
const provenance = async (entity: 'people' | 'companies', id: string) => (await request(t.server).get(`/api/${entity}/${id}/provenance`).set('Cookie', a.memberCookie).expect(200)).body as ProvenanceDto;
const sets = async (entityId: string) =>
  t.dataSource.query<{ source: string; connection_id: string | null; fields: Record<string, { rule: string; crm_field: string | null; previous_value: unknown; value: unknown }> }[]>(
    `SELECT source, connection_id, fields FROM field_provenance_set WHERE workspace_id = $1 AND entity_id = $2 ORDER BY seq`,
    [a.id, entityId],
  );
const fieldsOf = (body: unknown) => (body as { errors: { field: string }[] }).errors.map((e) => e.field).sort();

describe('company custom attributes (API)', () => {
  it('create, read, list and replace them; other workspaces do not see them', async () => {
    const created = (await post('/api/companies', { name: 'Attr Co', domain: 'attr.example', customAttributes: { tier: 'gold', seats: 12 } }).expect(201)).body as CompanyDto;
    expect(created.customAttributes).toEqual({ tier: 'gold', seats: 12 });
    const got = (await request(t.server).get(`/api/companies/${created.id}`).set('Cookie', a.memberCookie).expect(200)).body as CompanyDto;
    expect(got.customAttributes).toEqual({ tier: 'gold', seats: 12 });
    const listed = (await request(t.server).get('/api/companies?search=attr.example').set('Cookie', a.memberCookie).expect(200)).body as Page<CompanyDto>;
    expect(listed.items.map((c) => c.customAttributes)).toEqual([{ tier: 'gold', seats: 12 }]);
    // A company without any has an empty object.
    const plain = (await post('/api/companies', { name: 'Plain Co' }).expect(201)).body as CompanyDto;
    expect(plain.customAttributes).toEqual({});
    // PATCH replaces the whole object; a PATCH without it keeps it.
    await patch(`/api/companies/${created.id}`, { industry: 'Software' }).expect(200);
    expect(((await request(t.server).get(`/api/companies/${created.id}`).set('Cookie', a.memberCookie).expect(200)).body as CompanyDto).customAttributes).toEqual({ tier: 'gold', seats: 12 });
    const replaced = (await patch(`/api/companies/${created.id}`, { customAttributes: { tier: 'platinum' } }).expect(200)).body as CompanyDto;
    expect(replaced.customAttributes).toEqual({ tier: 'platinum' });
    await request(t.server).get(`/api/companies/${created.id}`).set('Cookie', b.memberCookie).expect(404);
  });

  it('refuses custom attributes that are not an object, naming the field, and changes nothing', async () => {
    for (const bad of ['gold', ['a'], 3]) {
      const res = await post('/api/companies', { name: 'Bad Attr Co', customAttributes: bad }).expect(400);
      expect(fieldsOf(res.body)).toEqual(['customAttributes']);
    }
    const co = (await post('/api/companies', { name: 'Null Attr Co', customAttributes: { a: 1 } }).expect(201)).body as CompanyDto;
    expect(fieldsOf((await patch(`/api/companies/${co.id}`, { customAttributes: null }).expect(400)).body)).toEqual(['customAttributes']);
    expect(fieldsOf((await patch(`/api/companies/${co.id}`, { customAttributes: 'x' }).expect(400)).body)).toEqual(['customAttributes']);
    const bulk = (await post('/api/companies/bulk', { companies: [{ name: 'Bulk Bad', customAttributes: 'x' }] }).expect(200)).body as BulkResult;
    expect(bulk).toMatchObject({ created: 0, failed: 1 });
    expect(bulk.errors[0]!.errors.map((e) => e.field)).toEqual(['customAttributes']);
    const names = ((await request(t.server).get('/api/companies?search=Bad').set('Cookie', a.memberCookie).expect(200)).body as Page<CompanyDto>).items.map((c) => c.name);
    expect(names).toEqual([]);
    expect(((await request(t.server).get(`/api/companies/${co.id}`).set('Cookie', a.memberCookie).expect(200)).body as CompanyDto).customAttributes).toEqual({ a: 1 });
  });

  it('CSV import: unknown columns become custom attributes', async () => {
    const csv = 'Account Name,Domain,Tier,Region\nCsv Attr Co,csv-attr.example,gold,EMEA\n';
    const res = (await request(t.server).post('/api/companies/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send(csv).expect(200)).body as BulkResult;
    expect(res).toMatchObject({ created: 1, failed: 0 });
    const [company] = ((await request(t.server).get('/api/companies?search=csv-attr').set('Cookie', a.memberCookie).expect(200)).body as Page<CompanyDto>).items;
    expect(company?.customAttributes).toEqual({ Tier: 'gold', Region: 'EMEA' });
  });
});

describe('provenance of values created in Conduit', () => {
  it('POST /people: one conduit set with the fields it was created with (blank ones left out)', async () => {
    const person = (await post('/api/people', { firstName: 'Grace', lastName: 'Hopper', email: 'grace@prov.example', jobTitle: '  ', city: 'Arlington', customAttributes: { score: 7 } }).expect(201)).body as PersonDto;
    const rows = await sets(person.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: 'conduit', connection_id: null });
    expect(Object.keys(rows[0]!.fields).sort()).toEqual(['city', 'custom.score', 'email', 'firstName', 'lastName']);
    expect(rows[0]!.fields['city']).toEqual({ crm_field: null, rule: 'conduit_create', previous_value: null, value: 'Arlington' });

    const prov = await provenance('people', person.id);
    expect(prov.current.find((p) => p.field === 'firstName')).toMatchObject({ source: 'conduit', rule: 'conduit_create', value: 'Grace', previousValue: null, connectionId: null });
    expect(prov.current.find((p) => p.field === 'custom.score')).toMatchObject({ source: 'conduit', rule: 'conduit_create', value: 7 });
    expect(prov.current.find((p) => p.field === 'jobTitle')).toBeUndefined();
    await request(t.server).get(`/api/people/${person.id}/provenance`).set('Cookie', b.memberCookie).expect(404);
  });

  it('an edit adds one set with only the changed fields and their previous values; the edit is then the current origin', async () => {
    const person = (await post('/api/people', { firstName: 'Edsger', email: 'edsger@prov.example', city: 'Austin' }).expect(201)).body as PersonDto;
    await patch(`/api/people/${person.id}`, { city: 'Nuenen', jobTitle: 'Professor', firstName: 'Edsger' }).expect(200);
    const rows = await sets(person.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.fields).toEqual({
      city: { crm_field: null, rule: 'conduit_edit', previous_value: 'Austin', value: 'Nuenen' },
      jobTitle: { crm_field: null, rule: 'conduit_edit', previous_value: null, value: 'Professor' },
    });
    const prov = await provenance('people', person.id);
    expect(prov.current.find((p) => p.field === 'city')).toMatchObject({ rule: 'conduit_edit', previousValue: 'Austin', value: 'Nuenen' });
    expect(prov.current.find((p) => p.field === 'firstName')).toMatchObject({ rule: 'conduit_create', value: 'Edsger' });
    // A PATCH that changes nothing writes no set.
    await patch(`/api/people/${person.id}`, { city: 'Nuenen' }).expect(200);
    expect(await sets(person.id)).toHaveLength(2);
  });

  it('bulk and CSV people: one set per created person; invalid rows record nothing', async () => {
    const bulk = (await post('/api/people/bulk', { people: [{ email: 'bulk1@prov.example', jobTitle: 'CTO' }, { email: 'not-an-email' }, { name: 'Bulk Two', country: 'France' }] }).expect(200)).body as BulkResult;
    expect(bulk).toMatchObject({ created: 2, failed: 1 });
    const csv = 'Email,First name,Favourite colour\ncsv1@prov.example,Csv,teal\n';
    expect((await request(t.server).post('/api/people/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send(csv).expect(200)).body).toMatchObject({ created: 1 });
    const people = await t.dataSource.query<{ id: string; email: string | null; last_name: string | null }[]>(
      `SELECT id, email, last_name FROM person WHERE workspace_id = $1 AND (email IN ('bulk1@prov.example', 'csv1@prov.example') OR last_name = 'Two')`,
      [a.id],
    );
    expect(people).toHaveLength(3);
    const byKey = new Map(people.map((p) => [p.email ?? p.last_name, p.id]));
    const bulk1 = await sets(byKey.get('bulk1@prov.example')!);
    expect(bulk1).toHaveLength(1);
    expect(Object.keys(bulk1[0]!.fields).sort()).toEqual(['email', 'jobTitle']);
    const two = await sets(byKey.get('Two')!);
    expect(two).toHaveLength(1);
    expect(Object.keys(two[0]!.fields).sort()).toEqual(['country', 'firstName', 'lastName']);
    const csv1 = await sets(byKey.get('csv1@prov.example')!);
    expect(csv1).toHaveLength(1);
    expect(csv1[0]!.fields['custom.Favourite colour']).toMatchObject({ rule: 'conduit_create', value: 'teal' });
    const [invalid] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM field_provenance WHERE workspace_id = $1 AND value = '"not-an-email"'::jsonb`, [a.id]);
    expect(invalid?.n).toBe(0);
  });

  it('companies: POST, bulk and CSV record a conduit set per company, custom attributes as custom.<key>; edits one set each', async () => {
    const co = (await post('/api/companies', { name: 'Prov Co', domain: 'prov-co.example', employeeCount: 40, customAttributes: { tier: 'gold' } }).expect(201)).body as CompanyDto;
    const rows = await sets(co.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields).toEqual({
      name: { crm_field: null, rule: 'conduit_create', previous_value: null, value: 'Prov Co' },
      domain: { crm_field: null, rule: 'conduit_create', previous_value: null, value: 'prov-co.example' },
      employeeCount: { crm_field: null, rule: 'conduit_create', previous_value: null, value: 40 },
      'custom.tier': { crm_field: null, rule: 'conduit_create', previous_value: null, value: 'gold' },
    });
    await patch(`/api/companies/${co.id}`, { customAttributes: { tier: 'silver', seats: 3 }, city: 'Oslo' }).expect(200);
    const after = await sets(co.id);
    expect(after).toHaveLength(2);
    expect(after[1]!.fields).toEqual({
      city: { crm_field: null, rule: 'conduit_edit', previous_value: null, value: 'Oslo' },
      'custom.seats': { crm_field: null, rule: 'conduit_edit', previous_value: null, value: 3 },
      'custom.tier': { crm_field: null, rule: 'conduit_edit', previous_value: 'gold', value: 'silver' },
    });
    const prov = await provenance('companies', co.id);
    expect(prov.current.find((p) => p.field === 'custom.tier')).toMatchObject({ source: 'conduit', rule: 'conduit_edit', previousValue: 'gold', value: 'silver' });
    expect(prov.current.find((p) => p.field === 'name')).toMatchObject({ source: 'conduit', rule: 'conduit_create', value: 'Prov Co' });

    const bulk = (await post('/api/companies/bulk', { companies: [{ name: 'Bulk Prov A', industry: 'Retail' }, { name: '' }, { name: 'Bulk Prov B', customAttributes: { tier: 'bronze' } }] }).expect(200)).body as BulkResult;
    expect(bulk).toMatchObject({ created: 2, failed: 1 });
    const csv = 'Company,Domain,Tier\nCsv Prov Co,csv-prov.example,gold\n';
    expect((await request(t.server).post('/api/companies/import-csv').set('Cookie', a.memberCookie).set('Content-Type', 'text/csv').send(csv).expect(200)).body).toMatchObject({ created: 1 });
    const made = await t.dataSource.query<{ id: string; name: string }[]>(`SELECT id, name FROM company WHERE workspace_id = $1 AND name IN ('Bulk Prov A', 'Bulk Prov B', 'Csv Prov Co') ORDER BY name`, [a.id]);
    expect(made.map((m) => m.name)).toEqual(['Bulk Prov A', 'Bulk Prov B', 'Csv Prov Co']);
    const docs = await Promise.all(made.map(async (m) => (await sets(m.id)).map((s) => Object.keys(s.fields).sort())));
    expect(docs).toEqual([[['industry', 'name']], [['custom.tier', 'name']], [['custom.Tier', 'domain', 'name']]]);
  });
});
