import { describe, expect, it } from '@jest/globals';
import { makeId } from './ids.js';
import { buildSchema, type SObjectDef } from './schema.js';
import { parseSoql, SoqlError } from './soql.js';
import { compileQuery, runQuery, type SoqlContext } from './soql-eval.js';
import type { SfRecord } from './values.js';

const schema = buildSchema();
const users: SfRecord[] = [{ Id: makeId('005', 1), Email: 'owner@example.com', Name: 'Owner One', IsActive: true }];
const ctx: SoqlContext = {
  resolveType: (name) => [...schema.values()].find((d) => d.name.toLowerCase() === name.toLowerCase()),
  lookup: (id) => {
    const record = users.find((u) => u['Id'] === id);
    return record ? { def: schema.get('User') as SObjectDef, record } : undefined;
  },
  now: () => Date.now(),
};

const leads: SfRecord[] = [
  { Id: makeId('00Q', 1), LastName: 'Alpha', Company: 'Acme', Email: 'a@acme.com', Status: 'Open - Not Contacted', IsConverted: false, Conduit_Score__c: 10, SystemModstamp: '2024-01-01T00:00:00.000+0000', ConvertedDate: null, OwnerId: makeId('005', 1) },
  { Id: makeId('00Q', 2), LastName: 'beta', Company: "O'Reilly 100%", Email: null, Status: 'Working - Contacted', IsConverted: false, Conduit_Score__c: 55.5, SystemModstamp: '2024-03-01T12:30:00.000+0000', ConvertedDate: null, OwnerId: makeId('005', 1) },
  { Id: makeId('00Q', 3), LastName: 'Gamma', Company: 'Globex', Email: 'g@globex.io', Status: 'Closed - Converted', IsConverted: true, Conduit_Score__c: null, SystemModstamp: '2024-06-15T08:00:00.000+0000', ConvertedDate: '2024-06-15', OwnerId: makeId('005', 1) },
  { Id: makeId('00Q', 4), LastName: 'Delta', Company: 'Acme', Email: 'd@ACME.com', Status: 'Open - Not Contacted', IsConverted: false, Conduit_Score__c: 90, SystemModstamp: '2024-06-15T08:00:00.001+0000', ConvertedDate: null, IsDeleted: true, OwnerId: makeId('005', 1) },
];

function run(soql: string, includeDeleted = false): string[] {
  const compiled = compileQuery(parseSoql(soql), ctx);
  return runQuery(compiled, leads, includeDeleted).rows.map((r) => String(r['LastName']));
}

function error(soql: string): SoqlError {
  try {
    compileQuery(parseSoql(soql), ctx);
  } catch (err) {
    if (err instanceof SoqlError) return err;
    throw err;
  }
  throw new Error(`expected ${soql} to fail`);
}

describe('SOQL parser', () => {
  it('parses fields, conditions, ordering and paging', () => {
    const q = parseSoql("SELECT Id, Email FROM Lead WHERE (Status = 'Open' OR Email != null) AND NOT Company LIKE 'A%' ORDER BY LastName DESC NULLS LAST, Id LIMIT 10 OFFSET 5");
    expect(q.from).toBe('Lead');
    expect(q.select).toHaveLength(2);
    expect(q.where?.kind).toBe('and');
    expect(q.orderBy).toEqual([
      { field: expect.objectContaining({ path: 'LastName' }), desc: true, nullsLast: true },
      { field: expect.objectContaining({ path: 'Id' }), desc: false, nullsLast: false },
    ]);
    expect(q.limit).toBe(10);
    expect(q.offset).toBe(5);
  });

  it('decodes string escapes and keeps LIKE wildcards escapable', () => {
    const q = parseSoql("SELECT Id FROM Lead WHERE Company = 'O\\'Reilly \\\\ \\n' AND Company LIKE '100\\%'");
    const where = q.where;
    expect(where?.kind).toBe('and');
    if (where?.kind !== 'and') return;
    expect(where.items[0]).toMatchObject({ kind: 'cmp', value: { kind: 'string', value: "O'Reilly \\ \n" } });
    expect(where.items[1]).toMatchObject({ kind: 'like', pattern: '100\\%' });
  });

  it('reads date, datetime, range and numeric literals', () => {
    const q = parseSoql('SELECT Id FROM Lead WHERE ConvertedDate = 2024-06-15 AND SystemModstamp > 2024-01-01T00:00:00Z AND CreatedDate = LAST_N_DAYS:30 AND Conduit_Score__c >= -1.5');
    if (q.where?.kind !== 'and') throw new Error('expected and');
    expect(q.where.items.map((i) => (i.kind === 'cmp' ? i.value : null))).toEqual([
      { kind: 'date', value: '2024-06-15' },
      { kind: 'datetime', value: '2024-01-01T00:00:00Z' },
      { kind: 'range', name: 'LAST_N_DAYS', n: 30 },
      { kind: 'number', value: -1.5 },
    ]);
  });

  it('reports malformed queries with Salesforce row/column positions', () => {
    const err = error('SELECT Id FRM Lead');
    expect(err.errorCode).toBe('MALFORMED_QUERY');
    expect(err.message).toContain('ERROR at Row:1:Column:11');
    expect(err.message).toContain('unexpected token: FRM');
    expect(error("SELECT Id FROM Lead WHERE Company = 'open").errorCode).toBe('MALFORMED_QUERY');
    expect(error('SELECT Id FROM Lead WHERE').errorCode).toBe('MALFORMED_QUERY');
    expect(error('SELECT Id FROM Lead GROUP BY Status').errorCode).toBe('MALFORMED_QUERY');
  });
});

describe('SOQL evaluator', () => {
  it('compares strings case-insensitively and keeps nulls on !=', () => {
    expect(run("SELECT Id FROM Lead WHERE LastName = 'BETA'")).toEqual(['beta']);
    expect(run("SELECT Id FROM Lead WHERE Email != 'a@acme.com'")).toEqual(['beta', 'Gamma']);
    expect(run('SELECT Id FROM Lead WHERE Email = null')).toEqual(['beta']);
  });

  it('supports IN, NOT IN, LIKE with escapes, NOT and OR', () => {
    expect(run("SELECT Id FROM Lead WHERE Status IN ('open - not contacted', 'Closed - Converted')")).toEqual(['Alpha', 'Gamma']);
    expect(run("SELECT Id FROM Lead WHERE Status NOT IN ('Open - Not Contacted')")).toEqual(['beta', 'Gamma']);
    expect(run("SELECT Id FROM Lead WHERE Company LIKE '%100\\%'")).toEqual(['beta']);
    expect(run("SELECT Id FROM Lead WHERE Email LIKE '%@acme.COM'")).toEqual(['Alpha']);
    expect(run("SELECT Id FROM Lead WHERE NOT (Company = 'Acme' OR IsConverted = true)")).toEqual(['beta']);
    expect(run("SELECT Id FROM Lead WHERE (NOT Company LIKE 'A%')")).toEqual(['beta', 'Gamma']);
  });

  it('compares numbers, dates and datetimes in any offset notation', () => {
    expect(run('SELECT Id FROM Lead WHERE Conduit_Score__c > 10')).toEqual(['beta']);
    expect(run('SELECT Id FROM Lead WHERE Conduit_Score__c <= 10')).toEqual(['Alpha']);
    expect(run('SELECT Id FROM Lead WHERE SystemModstamp > 2024-03-01T12:30:00Z')).toEqual(['Gamma']);
    expect(run('SELECT Id FROM Lead WHERE SystemModstamp >= 2024-03-01T14:30:00+02:00')).toEqual(['beta', 'Gamma']);
    expect(run('SELECT Id FROM Lead WHERE ConvertedDate >= 2024-06-01')).toEqual(['Gamma']);
    expect(run('SELECT Id FROM Lead WHERE SystemModstamp < TODAY')).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(run('SELECT Id FROM Lead WHERE SystemModstamp = LAST_N_DAYS:7')).toEqual([]);
  });

  it('orders (case-insensitive, nulls first/last), offsets, limits and includes deleted rows on demand', () => {
    expect(run('SELECT Id FROM Lead ORDER BY LastName')).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(run('SELECT Id FROM Lead ORDER BY Conduit_Score__c DESC')).toEqual(['beta', 'Alpha', 'Gamma']);
    expect(run('SELECT Id FROM Lead ORDER BY Conduit_Score__c ASC NULLS LAST')).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(run('SELECT Id FROM Lead ORDER BY Conduit_Score__c NULLS FIRST LIMIT 2 OFFSET 1')).toEqual(['Alpha', 'beta']);
    expect(run('SELECT Id FROM Lead ORDER BY Company, LastName DESC', true)).toEqual(['Delta', 'Alpha', 'Gamma', 'beta']);
  });

  it('resolves parent relationship paths', () => {
    expect(run("SELECT Id, Owner.Email FROM Lead WHERE Owner.Email = 'OWNER@example.com' AND IsConverted = false")).toEqual(['Alpha', 'beta']);
  });

  it('rejects unknown fields, objects and mistyped literals', () => {
    expect(error('SELECT Id, Foo__c FROM Lead').errorCode).toBe('INVALID_FIELD');
    expect(error('SELECT Id FROM Foo').errorCode).toBe('INVALID_TYPE');
    expect(error("SELECT Id FROM Lead WHERE SystemModstamp > '2024-01-01'").message).toContain('must be of type dateTime and should not be enclosed in quotes');
    expect(error("SELECT Id FROM Lead WHERE Conduit_Score__c = '5'").errorCode).toBe('INVALID_FIELD');
    expect(error("SELECT Id FROM Lead WHERE Id = 'abc'").errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
    expect(error('SELECT Id, COUNT() FROM Lead').errorCode).toBe('MALFORMED_QUERY');
    expect(error("SELECT Id FROM Lead WHERE Conduit_Notes__c = 'x'").message).toContain("field 'Conduit_Notes__c' can not be filtered in a query call");
    expect(error('SELECT Id FROM Lead ORDER BY Description').message).toContain('can not be sorted');
    expect(error('SELECT FIELDS(ALL) FROM Lead').message).toContain('must have a LIMIT of at most 200');
    expect(error('SELECT Id FROM Lead LIMIT 10 OFFSET 2001').errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
  });

  it('filters and sorts 100k rows exactly (speed is measured by the benchmarks, not here)', () => {
    const many: SfRecord[] = [];
    for (let i = 0; i < 100_000; i++) many.push({ Id: makeId('00Q', i + 10), LastName: `L${i}`, Email: `user${i}@domain${i % 50}.com`, Status: i % 3 === 0 ? 'Working - Contacted' : 'Open - Not Contacted', Conduit_Score__c: i % 100 });
    const compiled = compileQuery(parseSoql("SELECT Id FROM Lead WHERE Email LIKE '%@domain7.com' AND Status != 'Working - Contacted' AND Conduit_Score__c >= 50 ORDER BY Email DESC"), ctx);
    const res = runQuery(compiled, many, false);
    // i % 50 = 7 and i % 100 >= 50 → i % 100 = 57 (1,000 rows); minus i % 3 = 0 (334 of them).
    expect(res.rows.length).toBe(666);
    const emails = res.rows.map((r) => String(r.Email));
    expect(emails).toEqual([...emails].sort().reverse());
  });
});

describe('USING SCOPE (list views of "My …" records)', () => {
  const other = makeId('005', 2);
  const mixed: SfRecord[] = [...leads, { ...leads[0], Id: makeId('00Q', 9), LastName: 'Theirs', OwnerId: other }];
  const asUser = (soql: string, userId?: string) =>
    runQuery(compileQuery(parseSoql(soql), { ...ctx, ...(userId ? { userId } : {}) }), mixed, false).rows.map((r) => String(r['LastName']));

  it('mine keeps the running user\'s rows; everything keeps every row; both sit between FROM and WHERE', () => {
    expect(asUser('SELECT Id FROM Lead USING SCOPE mine WHERE IsConverted = false ORDER BY LastName', other)).toEqual(['Theirs']);
    expect(asUser('SELECT Id FROM Lead USING SCOPE Mine WHERE IsConverted = false ORDER BY LastName', makeId('005', 1))).toEqual(['Alpha', 'beta']);
    expect(asUser('SELECT Id FROM Lead USING SCOPE everything WHERE IsConverted = false ORDER BY LastName', other)).toEqual(['Alpha', 'beta', 'Theirs']);
    expect(parseSoql('SELECT Id FROM Lead l USING SCOPE mine').scope).toBe('mine');
  });

  it('rejects scopes the sandbox cannot evaluate, and mine where no user runs the query', () => {
    expect(() => parseSoql('SELECT Id FROM Lead USING SCOPE team')).toThrow(SoqlError);
    expect(() => parseSoql('SELECT Id FROM Lead USING mine')).toThrow(SoqlError);
    expect(() => compileQuery(parseSoql('SELECT Id FROM Lead USING SCOPE mine'), ctx)).toThrow(/USING SCOPE is not supported/);
  });
});
