import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Secret } from '../src/config/secret.js';
import { connectCrm } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, type TestWorkspace } from './support/fixtures.js';
import { type DocumentedOperation, jsonBodyOf, type OpenApiDocument, operationsOf, resolve, type Schema } from './support/openapi.js';
import { flushUsage } from './support/api-budget.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Fuzz suite driven by the OpenAPI document (issue #20): every operation, every body and query field, gets inputs
 * that must be refused — wrong types, nulls where the document does not allow them, NUL and unpaired surrogates,
 * huge, negative and fractional numbers, strings past their maxLength (and 1 MB ones), enum values that are not,
 * unknown fields, arrays where objects belong, empty bodies with required fields — and each must answer a 4xx
 * whose `errors` name the field, with nothing changed in the database (a trigger on every table counts its changes;
 * the counts before and after must be equal). Inputs that may legitimately be accepted (control characters, emoji, long strings without a documented
 * limit, garbage CSV) must only never answer 5xx. New routes are covered as soon as they are in the document.
 *
 * Deterministic: a fixed seed, every (field, kind of bad value) as an example, plus RANDOM_RUNS generated values per
 * field (fast-check shrinks a failure to its smallest input).
 */
const SEED = 20;
const RANDOM_RUNS = 2;
const MB = 1024 * 1024;
const OPERATOR_TOKEN = 'operator-token-for-the-fuzz-suite-0123456789abcdef';

let sandbox: Sandbox;
let t: TestApp;
let a: TestWorkspace;
let doc: OpenApiDocument;
let tables: string[];
const stats = { operations: 0, fields: 0, requests: 0 };

beforeAll(async () => {
  sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 3 });
  sandbox.hubspot.control.configure({ rateLimit: { enabled: false } });
  t = await startTestApp({ ...crmSandboxConfig(sandbox), operatorToken: new Secret(OPERATOR_TOKEN) });
  a = await createWorkspace(t.server, t.dataSource, 'Fuzzed');
  await connectCrm(t.server, a.adminCookie, 'hubspot');
  // The connect's discovery calls are counted (crm_api_usage) by a meter that writes every 2 s: in now, so no fuzzed
  // operation's before/after comparison sees them arrive.
  await flushUsage(t.app);
  await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send({ email: 'known@fuzz.test', firstName: 'Known' }).expect(201);
  await request(t.server).post('/api/companies').set('Cookie', a.adminCookie).send({ name: 'Known Co', domain: 'known.test' }).expect(201);
  doc = (await request(t.server).get('/api/docs-json').expect(200)).body as OpenApiDocument;
  tables = (
    await t.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
    )
  ).map((r) => r.table_name);
  await countChanges(tables);
  // The counter sees a stored change (else every "nothing changed" below would hold vacuously).
  const before = await databaseState();
  await request(t.server).post('/api/people').set('Cookie', a.adminCookie).send({ email: 'counted@fuzz.test' }).expect(201);
  expect(changedTables(before, await databaseState())).toContain('person');
}, 120_000);

afterAll(async () => {
  await t?.close();
  await sandbox?.stop();
});

/** Every table's content as one hash each: any insert, update or delete shows. */
/**
 * Counts every committed change of every table, per table (this test database only): a row inserted or deleted, a
 * row updated to a different content, a truncate. Hashing every table's content before and after each refusal did
 * the same at ~15 % of the suite's time (2,754 hashes of every table); a trigger also sees a row inserted and deleted
 * again, which a hash would not. A refused request's rolled-back writes roll their counts back with them.
 */
async function countChanges(names: string[]): Promise<void> {
  await t.dataSource.query(`CREATE TABLE fuzz_changes (table_name text PRIMARY KEY, n bigint NOT NULL)`);
  await t.dataSource.query(`
    CREATE FUNCTION fuzz_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO fuzz_changes VALUES (TG_TABLE_NAME, 1) ON CONFLICT (table_name) DO UPDATE SET n = fuzz_changes.n + 1;
      RETURN NULL;
    END $$`);
  for (const name of names) {
    await t.dataSource.query(`CREATE TRIGGER fuzz_written AFTER INSERT OR DELETE ON "${name}" FOR EACH ROW EXECUTE FUNCTION fuzz_count_change()`);
    await t.dataSource.query(`CREATE TRIGGER fuzz_updated AFTER UPDATE ON "${name}" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION fuzz_count_change()`);
    await t.dataSource.query(`CREATE TRIGGER fuzz_truncated AFTER TRUNCATE ON "${name}" FOR EACH STATEMENT EXECUTE FUNCTION fuzz_count_change()`);
  }
}

/** Each table's count of committed changes so far (countChanges): any insert, update or delete shows. */
async function databaseState(): Promise<Map<string, string>> {
  const rows = await t.dataSource.query<{ table_name: string; n: string }[]>(`SELECT table_name, n::text AS n FROM fuzz_changes`);
  return new Map(rows.map((r) => [r.table_name, r.n]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([name, hash]) => before.get(name) !== hash).map(([name]) => name);
}

// ---------------------------------------------------------------------------------------------------------------
// Bad values by schema. Each kind has fixed examples (always run) and an arbitrary (random runs).

interface Bad {
  kind: string;
  examples: unknown[];
  arbitrary: fc.Arbitrary<unknown>;
}

const withNul = fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([x, y]) => `${x}\u0000${y}`);
const withLoneSurrogate = fc.tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0xd800, max: 0xdfff })).map(([x, cu]) => `${x}${String.fromCharCode(cu)}`);
const notAnObject = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));

/** Values that no field of this schema may accept. */
function badValuesFor(s: Schema): Bad[] {
  const out: Bad[] = [];
  if (!s.nullable) out.push({ kind: 'null', examples: [null], arbitrary: fc.constant(null) });
  const type = s.type ?? (s.properties ? 'object' : s.enum ? 'string' : undefined);
  switch (type ?? '') {
    case 'string': {
      out.push({ kind: 'wrong type', examples: [42, true, {}, ['x']], arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 })) });
      out.push({ kind: 'NUL', examples: ['\u0000', 'a\u0000b'], arbitrary: withNul });
      out.push({ kind: 'lone surrogate', examples: ['\ud800', 'x\udfff'], arbitrary: withLoneSurrogate });
      if (s.enum) out.push({ kind: 'not in enum', examples: ['not-a-listed-value'], arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((v) => !s.enum!.includes(v)) });
      if (s.maxLength !== undefined) out.push({ kind: 'too long', examples: ['x'.repeat(s.maxLength + 1), 'y'.repeat(MB)], arbitrary: fc.integer({ min: s.maxLength + 1, max: s.maxLength + 64 }).map((n) => 'z'.repeat(n)) });
      if (s.format === 'uuid') out.push({ kind: 'not a uuid', examples: ['not-a-uuid', '00000000-0000-0000-0000-00000000000g'], arbitrary: fc.string({ minLength: 1, maxLength: 20 }) });
      if (s.format === 'email') out.push({ kind: 'not an email', examples: ['not-an-email', '@x'], arbitrary: fc.string({ maxLength: 10 }).filter((v) => !v.includes('@')) });
      break;
    }
    case 'integer':
    case 'number': {
      out.push({ kind: 'wrong type', examples: ['12', true, {}, [1]], arbitrary: fc.oneof(fc.string({ maxLength: 6 }), fc.boolean()) });
      out.push({ kind: 'huge', examples: [1e20, -1e20, 2 ** 63, Number.MAX_VALUE], arbitrary: fc.double({ min: 1e16, max: 1e300, noNaN: true }) });
      if (type === 'integer') out.push({ kind: 'fraction', examples: [1.5], arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true, noInteger: true }) });
      if (s.maximum !== undefined) out.push({ kind: 'above maximum', examples: [s.maximum + 1], arbitrary: fc.integer({ min: s.maximum + 1, max: s.maximum + 1000 }) });
      if (s.minimum !== undefined) out.push({ kind: 'below minimum', examples: [s.minimum - 1, -1e20], arbitrary: fc.integer({ min: s.minimum - 1000, max: s.minimum - 1 }) });
      break;
    }
    case 'boolean':
      out.push({ kind: 'wrong type', examples: ['true', 1, {}, []], arbitrary: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant([])) });
      break;
    case 'array':
      out.push({ kind: 'object where an array belongs', examples: [{}, 'x', 1], arbitrary: fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }), fc.string({ maxLength: 4 })) });
      break;
    case 'object':
      // A bare `type: object` with neither properties nor additionalProperties is how an `unknown` property is documented.
      if (!s.properties && s.additionalProperties === undefined) break;
      out.push({ kind: 'array where an object belongs', examples: [[], [{}], 'x', 1], arbitrary: notAnObject });
      if (!s.properties && s.additionalProperties !== false) {
        out.push({ kind: 'unstorable key or value', examples: [{ 'k\u0000': 1 }, { k: 'v\u0000' }, { k: { deep: '\ud800' } }], arbitrary: withNul.map((v) => ({ k: v })) });
      }
      break;
    default:
      // No type documented: only null (above) is known to be wrong.
      break;
  }
  return out;
}

/** Values a field may accept or refuse, but never with a 5xx. */
function oddValuesFor(s: Schema): unknown[] {
  if (s.type === 'string' || s.enum) return ['\u0001\u0002\u001f\u007f', 'tab\there\nnewline\r', '😀 זה RTL ‮', '\u2028\ufeff', s.maxLength === undefined ? 'm'.repeat(MB) : 'ok', ''];
  if (s.type === 'integer' || s.type === 'number') return [0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53];
  if (s.type === 'array') return [[], Array.from({ length: 2000 }, () => 'x')];
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Cases

interface Case {
  /** Where the bad value sits: a dotted body path, a query parameter, or null for the whole body. */
  field: string | null;
  kind: string;
  body?: unknown;
  query?: Record<string, string>;
}

/** Each body field (and the fields of nested DTOs and of array items, one level down) with its schema. */
function bodyFields(schema: Schema, prefix = '', depth = 0): { path: string; schema: Schema; wrap: (v: unknown) => unknown }[] {
  const out: { path: string; schema: Schema; wrap: (v: unknown) => unknown }[] = [];
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const s = resolve(doc, raw);
    const path = prefix ? `${prefix}.${key}` : key;
    out.push({ path, schema: s, wrap: (v) => ({ [key]: v }) });
    if (depth < 2) {
      const items = s.type === 'array' ? resolve(doc, s.items) : undefined;
      if (s.properties) for (const f of bodyFields(s, path, depth + 1)) out.push({ ...f, wrap: (v) => ({ [key]: f.wrap(v) }) });
      if (items?.properties) for (const f of bodyFields(items, `${path}.0`, depth + 1)) out.push({ ...f, wrap: (v) => ({ [key]: [f.wrap(v)] }) });
      else if (items && (items.type || items.enum)) out.push({ path: `${path}.0`, schema: items, wrap: (v) => ({ [key]: [v] }) });
    }
  }
  return out;
}

function pathOf(op: DocumentedOperation): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const p = op.op.parameters?.find((x) => x.in === 'path' && x.name === name);
    const s = resolve(doc, p?.schema);
    if (s.enum?.length) return String(s.enum[0]);
    if (name === 'crm') return 'hubspot';
    if (name === 'object') return 'contacts';
    if (name === 'kind') return 'mql-handoff';
    return randomUUID();
  });
}

function send(op: DocumentedOperation, c: { body?: unknown; query?: Record<string, string>; contentType?: string }): Promise<request.Response> {
  stats.requests++;
  let req = request(t.server)[op.method](pathOf(op));
  req = op.path.startsWith('/api/operator/') ? req.set('Authorization', `Bearer ${OPERATOR_TOKEN}`) : req.set('Cookie', a.adminCookie);
  // A network of its own per request, so the login throttle answers for the body, not for earlier fuzz cases.
  req = req.set('X-Forwarded-For', `10.${(stats.requests >> 16) & 255}.${(stats.requests >> 8) & 255}.${stats.requests & 255}`);
  if (c.query) req = req.query(c.query);
  if (c.contentType) return req.set('Content-Type', c.contentType).send(c.body as string);
  if (c.body !== undefined) return req.set('Content-Type', 'application/json').send(JSON.stringify(c.body));
  return req;
}

type ErrorBody = { errors?: { field: string }[]; message?: unknown };

/** The answer to a refused input: a 4xx whose errors name the field (or a parent of it, for keys and nesting). */
function refusalProblem(res: request.Response, field: string | null): string | null {
  if (res.status >= 500) return `answered ${res.status}`;
  if (res.status < 400) return refusedRow(res, field) ? null : `accepted (${res.status})`;
  if (field === null) return null;
  const named = ((res.body as ErrorBody).errors ?? []).map((e) => e.field);
  const ok = named.some((n) => n === field || n.startsWith(`${field}.`) || field.startsWith(`${n}.`) || (n === '' && !field.includes('.')));
  return ok ? null : `answered ${res.status} naming ${JSON.stringify(named)} (message ${JSON.stringify((res.body as ErrorBody).message)}), not ${field}`;
}

/**
 * Bulk and CSV routes answer 200 with per-row results (the good rows stored): a bad value in row 0 is refused when
 * nothing was created and row 0's errors name the rest of the path.
 */
function refusedRow(res: request.Response, field: string | null): boolean {
  const m = field ? /^\w+\.0\.(.+)$/.exec(field) : null;
  const result = res.body as { created?: number; errors?: { index?: number; errors?: { field: string }[] }[] };
  if (!m || result.created !== 0) return false;
  const rest = m[1]!;
  return (result.errors ?? []).some((row) => row.index === 0 && (row.errors ?? []).some((e) => e.field === rest || rest.startsWith(`${e.field}.`) || e.field.startsWith(`${rest}.`)));
}

async function mustRefuse(op: DocumentedOperation, field: string | null, kind: string, arb: fc.Arbitrary<Case>, examples: Case[]): Promise<void> {
  stats.fields++;
  const before = await databaseState();
  let last = '';
  try {
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const res = await send(op, c);
        const problem = refusalProblem(res, c.field);
        if (problem) {
          last = `${op.method.toUpperCase()} ${op.path} ${c.field ?? '(body)'} [${c.kind}] ${JSON.stringify(c.body ?? c.query).slice(0, 120)}: ${problem}`;
          throw new Error(last);
        }
      }),
      { seed: SEED, numRuns: RANDOM_RUNS, examples: examples.map((e) => [e]), endOnFailure: true },
    );
  } catch (err) {
    throw new Error(last || (err as Error).message, { cause: err });
  }
  const changed = changedTables(before, await databaseState());
  if (changed.length > 0) throw new Error(`${op.method.toUpperCase()} ${op.path} ${field ?? '(body)'} [${kind}]: refused inputs changed ${changed.join(', ')}`);
}

type OddCase = { body?: unknown; query?: Record<string, string>; contentType?: string };
/** Inputs that may be accepted run after every refusal check, so what they store does not slow the hashing. */
const deferred: (() => Promise<void>)[] = [];

function neverFails(op: DocumentedOperation, label: string, cases: OddCase[]): Promise<void> {
  deferred.push(() => runNeverFails(op, label, cases));
  return Promise.resolve();
}

async function runNeverFails(op: DocumentedOperation, label: string, cases: OddCase[]): Promise<void> {
  for (const c of cases) {
    const res = await send(op, c);
    if (res.status >= 500) throw new Error(`${op.method.toUpperCase()} ${op.path} ${label}: answered ${res.status} to ${JSON.stringify(c).slice(0, 200)}`);
  }
}

async function fuzzOperation(op: DocumentedOperation): Promise<void> {
  const body = jsonBodyOf(doc, op.op);
  const queryParams = (op.op.parameters ?? []).filter((p) => p.in === 'query');
  const csv = op.op.requestBody?.content['text/csv'];
  if (!body && queryParams.length === 0 && !csv) return;
  stats.operations++;

  if (body) {
    const fields = bodyFields(body);
    for (const f of fields) {
      for (const bad of badValuesFor(f.schema)) {
        const toCase = (v: unknown): Case => ({ field: f.path, kind: bad.kind, body: f.wrap(v) });
        await mustRefuse(op, f.path, bad.kind, bad.arbitrary.map(toCase), bad.examples.map(toCase));
      }
      await neverFails(op, `${f.path} odd values`, oddValuesFor(f.schema).map((v) => ({ body: f.wrap(v) })));
    }
    const known = new Set(Object.keys(body.properties ?? {}));
    const unknownKey = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !known.has(k) && !['__proto__', 'constructor'].includes(k) && /^[\w-]+$/.test(k));
    await mustRefuse(
      op,
      null,
      'unknown field',
      unknownKey.map((k): Case => ({ field: k, kind: 'unknown field', body: { [k]: 1 } })),
      [{ field: 'fuzzUnknownField', kind: 'unknown field', body: { fuzzUnknownField: 1 } }],
    );
    const notObject = notAnObject.map((v): Case => ({ field: null, kind: 'body not an object', body: v }));
    await mustRefuse(op, null, 'body not an object', notObject, [[], [{}], 'text', 7, true].map((v) => ({ field: null, kind: 'body not an object', body: v })));
    const required = (body.required ?? []).filter((k) => known.has(k));
    if (required.length > 0) {
      await mustRefuse(op, required[0]!, 'empty body', fc.constant({ field: required[0]!, kind: 'empty body', body: {} }), [{ field: required[0]!, kind: 'empty body' }]);
    } else {
      await neverFails(op, 'empty body', [{ body: {} }, {}]);
    }
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i++) deep = { n: deep };
    await neverFails(op, 'deep nesting', [{ body: { [required[0] ?? 'x']: deep } }]);
  }

  for (const p of queryParams) {
    const s = resolve(doc, p.schema);
    for (const bad of badQueryValues(s)) {
      const toCase = (v: string): Case => ({ field: p.name, kind: bad.kind, query: { [p.name]: v } });
      await mustRefuse(op, p.name, bad.kind, bad.arbitrary.map(toCase), bad.examples.map(toCase));
    }
    await neverFails(op, `?${p.name} odd values`, ['', ' ', '\u0001', '😀', '%', 'x'.repeat(2000)].map((v) => ({ query: { [p.name]: v } })));
  }
  if (queryParams.length > 0) await neverFails(op, 'unknown query parameter', [{ query: { fuzzUnknown: '1' } }]);

  if (csv) {
    // Every row bad: nothing may be stored, whatever the status.
    const rows = ['a\u0000b@x.test,Ada', 'b@x.test,Gr\u0000ace'];
    await mustStoreNothing(op, [`email,first name\n${rows.join('\n')}\n`, `name,domain\nBad\u0000 Co,bad.test\n`, '', '\u0000', 'a,b\n"unterminated\n']);
    await neverFails(op, 'garbage CSV', [{ body: 'x'.repeat(MB), contentType: 'text/csv' }, { body: '\ufeffemail\n😀\n', contentType: 'text/csv' }]);
  }
}

async function mustStoreNothing(op: DocumentedOperation, bodies: string[]): Promise<void> {
  stats.fields++;
  const before = await databaseState();
  for (const body of bodies) {
    const res = await send(op, { body, contentType: 'text/csv' });
    if (res.status >= 500) throw new Error(`${op.method.toUpperCase()} ${op.path} CSV: answered ${res.status}`);
  }
  const changed = changedTables(before, await databaseState());
  if (changed.length > 0) throw new Error(`${op.method.toUpperCase()} ${op.path} CSV of bad rows changed ${changed.join(', ')}`);
}

function badQueryValues(s: Schema): { kind: string; examples: string[]; arbitrary: fc.Arbitrary<string> }[] {
  const out: { kind: string; examples: string[]; arbitrary: fc.Arbitrary<string> }[] = [];
  out.push({ kind: 'NUL', examples: ['\u0000', 'a\u0000'], arbitrary: withNul });
  if (s.type === 'integer' || s.type === 'number') {
    out.push({ kind: 'not a number', examples: ['abc', '1e400', 'NaN'], arbitrary: fc.string({ minLength: 1, maxLength: 6 }).filter((v) => !/^\s*-?[\d.]+\s*$/.test(v) && v.trim() !== '') });
    out.push({ kind: 'huge', examples: ['99999999999999999999', '-99999999999999999999', '9223372036854775808'], arbitrary: fc.bigInt({ min: 10n ** 16n, max: 10n ** 40n }).map(String) });
    if (s.type === 'integer') out.push({ kind: 'fraction', examples: ['1.5'], arbitrary: fc.constant('2.25') });
    if (s.maximum !== undefined) out.push({ kind: 'above maximum', examples: [String(s.maximum + 1)], arbitrary: fc.integer({ min: s.maximum + 1, max: s.maximum + 10_000 }).map(String) });
    if (s.minimum !== undefined) out.push({ kind: 'below minimum', examples: [String(s.minimum - 1), '-1'].filter((v) => Number(v) < s.minimum!), arbitrary: fc.integer({ min: s.minimum - 10_000, max: s.minimum - 1 }).map(String) });
  }
  if (s.type === 'boolean') out.push({ kind: 'not a boolean', examples: ['maybe', '2'], arbitrary: fc.string({ minLength: 1, maxLength: 5 }).filter((v) => !['true', 'false', '1', '0'].includes(v)) });
  if (s.enum) out.push({ kind: 'not in enum', examples: ['not-a-listed-value'], arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((v) => !s.enum!.includes(v) && v.trim() !== '') });
  if (s.maxLength !== undefined && s.maxLength < 4000) out.push({ kind: 'too long', examples: ['q'.repeat(s.maxLength + 1)], arbitrary: fc.integer({ min: s.maxLength + 1, max: s.maxLength + 50 }).map((n) => 'q'.repeat(n)) });
  if (s.format === 'uuid') out.push({ kind: 'not a uuid', examples: ['not-a-uuid'], arbitrary: fc.string({ minLength: 1, maxLength: 12 }).filter((v) => v.trim() !== '') });
  return out;
}

describe('fuzz: every operation of the OpenAPI document', () => {
  it('refuses bad bodies and query parameters with a 4xx naming the field, changes nothing, and never answers 5xx', async () => {
    const started = Date.now();
    const failures: string[] = [];
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(50);
    for (const op of operations) {
      try {
        await fuzzOperation(op);
      } catch (err) {
        failures.push((err as Error).message.split('\n')[0]!);
      }
    }
    const refusalSeconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const run of deferred) {
      try {
        await run();
      } catch (err) {
        failures.push((err as Error).message.split('\n')[0]!);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`fuzz: ${stats.operations} operations, ${stats.fields} field × kind batches, ${stats.requests} requests in ${seconds} s (refusals ${refusalSeconds} s; seed ${SEED})\n`);
    expect(failures).toEqual([]);
    // 52 operations took 608 s at load 19 (six helpers' suites at once) after #19's workflow routes were added.
  }, 1_200_000);
});
