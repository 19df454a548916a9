import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SyncRunDto } from '@conduit/contracts';
import { startSandbox, type Sandbox } from '@conduit/crm-sandbox';
import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Secret } from '../src/config/secret.js';
import { authorizeAndConsent, connectCrm, followCallback } from './support/crm-oauth.js';
import { crmSandboxConfig } from './support/crm-test-app.js';
import { createWorkspace, login, type TestWorkspace } from './support/fixtures.js';
import { type DocumentedOperation, jsonBodyOf, type OpenApiDocument, operationsOf, resolve, type Schema } from './support/openapi.js';
import { startContext, startTestApp, type TestApp, waitFor } from './support/test-app.js';

/**
 * Cross-tenant sweep (issue #20). Workspace A ("the victim") holds a row in every table a request can name; workspace
 * B ("the intruder") is created the way a platform adds a customer (OPERATOR_TOKEN + POST /api/operator/workspaces) and,
 * as its admin, tries every operation of the OpenAPI document with A's ids:
 * - every path id, with ids of every one of A's tables (so a new route is covered as soon as it is in the document,
 *   and a route that looks an id up in the wrong table is caught too);
 * - every query parameter and body field that names a record (`…Id`, `…Ids`, `format: uuid`), one id of each of A's
 *   tables in turn;
 * - every other read (lists, settings, catalogs, counts), once: B's answer must show nothing of A's;
 * each with a body that passes validation, checked by a control request with an unknown id that must reach the
 * lookup (404, not 400) — otherwise the sweep would be testing the validation pipe.
 * A 2xx fails when its body carries any of A's ids or A's marker text, when any of A's rows changed (A's rows of every
 * table hashed before and after each operation, as the fuzz suite does), or when any of B's rows now holds an id of A's.
 * Routes outside the document (OAuth callback, webhooks, the queue dashboard, docs) are listed from the running
 * Express app: each has its own check below, and a route that is in neither fails the sweep until it gets one.
 */
const OPERATOR_TOKEN = 'operator-token-for-the-cross-tenant-sweep-0123456789';
/** Text only A's own rows hold (names, emails): seeing it in B's answer is a leak. */
const MARKER = 'victimzq7';
/** Ids per table of A tried at each path id (a route that looks an id up in the wrong table is caught by the others). */
const IDS_PER_TABLE = 1;

let sandbox: Sandbox;
let t: TestApp;
let a: TestWorkspace;
let b: { id: string; adminCookie: string; apiKey: string; own: Record<string, string> };
let doc: OpenApiDocument;
/** Tables and how a row of them belongs to a workspace. */
let scoped: { table: string; where: string }[];
/** Every id of A's rows (the leak check), and a few per table (the ids tried). */
let allIdsOfA: Set<string>;
let triedIds: { table: string; id: string }[];
const stats = { operations: 0, requests: 0 };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

beforeAll(async () => {
  sandbox = await startSandbox({ hubspotPort: 0, salesforcePort: 0, seed: 4, hubspot: { demoContacts: 20 } });
  sandbox.hubspot.control.configure({ rateLimit: { enabled: false } });
  t = await startTestApp({ ...crmSandboxConfig(sandbox), operatorToken: new Secret(OPERATOR_TOKEN) });
  a = await createWorkspace(t.server, t.dataSource, `Alpha ${MARKER}`);
  await populateVictim();

  // B: the operator path a platform uses to add a customer.
  const created = await request(t.server)
    .post('/api/operator/workspaces')
    .set('Authorization', `Bearer ${OPERATOR_TOKEN}`)
    .send({ name: 'Beta intruder', adminName: 'Mallory', adminEmail: 'mallory@beta-intruder.test', adminPassword: 'intruder-password-1' })
    .expect(201);
  const bAdminCookie = await login(t.server, 'mallory@beta-intruder.test', 'intruder-password-1');
  for (const crm of ['hubspot', 'salesforce'] as const) await connectCrm(t.server, bAdminCookie, crm);
  const key = (await request(t.server).post('/api/api-keys').set('Cookie', bAdminCookie).send({ name: 'intruder key' }).expect(201)).body as { key: string };
  const bId = (created.body as { workspace: { id: string } }).workspace.id;
  const bCompany = (await request(t.server).post('/api/companies').set('Cookie', bAdminCookie).send({ name: 'Intruder Co' }).expect(201)).body as { id: string };
  const bPerson = (await request(t.server).post('/api/people').set('Cookie', bAdminCookie).send({ email: 'someone@beta-intruder.test', companyId: bCompany.id }).expect(201)).body as { id: string };
  const one = async (sql: string) => (await t.dataSource.query<{ id: string }[]>(sql, [bId]))[0]!.id;
  // B's own records, for the other reference fields of a body (an activity names B's person while its performer is A's member).
  const own = {
    person: bPerson.id,
    company: bCompany.id,
    user: await one(`SELECT id FROM app_user WHERE workspace_id = $1`),
    connection: await one(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = 'hubspot'`),
  };
  b = { id: bId, adminCookie: bAdminCookie, apiKey: key.key, own };

  doc = (await request(t.server).get('/api/docs-json').expect(200)).body as OpenApiDocument;
  scoped = await scopedTables();
  allIdsOfA = new Set();
  triedIds = [];
  for (const { table, where } of scoped) {
    const hasId = await t.dataSource.query<unknown[]>(`SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'id'`, [table]);
    if (!hasId.length) continue;
    const ids = (await t.dataSource.query<{ id: string }[]>(`SELECT x.id::text AS id FROM "${table}" x WHERE ${where} ORDER BY x.id`, [a.id])).map((r) => r.id);
    for (const id of ids) allIdsOfA.add(id);
    for (const id of ids.slice(0, IDS_PER_TABLE)) triedIds.push({ table, id });
  }
}, 240_000);

afterAll(async () => {
  await t?.close();
  await sandbox?.stop();
});

/**
 * A with data in every table a request can name: both CRMs connected and backfilled (people, companies, links,
 * deals, owners, lists, runs), a campaign on a list, an activity and a consent event delivered, an export run, an
 * API key, a team member, a workflow with a run, a Needs-attention row, a job.
 */
async function populateVictim(): Promise<void> {
  const admin = a.adminCookie;
  const connectionIds: Record<string, string> = {};
  for (const crm of ['hubspot', 'salesforce'] as const) {
    await connectCrm(t.server, admin, crm);
    connectionIds[crm] = (await t.dataSource.query<{ id: string }[]>(`SELECT id FROM crm_connection WHERE workspace_id = $1 AND crm = $2`, [a.id, crm]))[0]!.id;
  }
  const worker: INestApplicationContext = await startContext(t.config, { processors: true });
  try {
    for (const crm of ['hubspot', 'salesforce'] as const) {
      const run = (await request(t.server).post(`/api/sync/connections/${connectionIds[crm]}/backfill`).set('Cookie', admin).send({}).expect(202)).body as SyncRunDto;
      await waitFor(async () => {
        const r = (await request(t.server).get(`/api/sync/runs/${run.id}`).set('Cookie', admin).expect(200)).body as SyncRunDto;
        if (r.status === 'failed') throw new Error(`A's ${crm} backfill failed`);
        return r.status === 'done';
      }, 120_000);
      // A's own schedules must not move A's rows during the sweep.
      await request(t.server).put(`/api/sync/connections/${connectionIds[crm]}/settings`).set('Cookie', admin).send({ importEnabled: false }).expect(200);
    }
    const company = (await request(t.server).post('/api/companies').set('Cookie', admin).send({ name: `Company ${MARKER}`, domain: `${MARKER}.test` }).expect(201)).body as { id: string };
    const person = (
      await request(t.server)
        .post('/api/people')
        .set('Cookie', admin)
        .send({ email: `person@${MARKER}.test`, firstName: `First ${MARKER}`, companyId: company.id, assignedUserId: a.member.id })
        .expect(201)
    ).body as { id: string };
    const listIds = ((await request(t.server).get('/api/crm-lists').set('Cookie', admin).expect(200)).body as { id: string }[]).map((l) => l.id);
    await request(t.server)
      .post('/api/campaigns')
      .set('Cookie', admin)
      .send({ name: `Campaign ${MARKER}`, audienceListIds: listIds.slice(0, 1), audiencePersonIds: [person.id], suppressionListIds: listIds.slice(1, 2) })
      .expect(201);
    await request(t.server).put('/api/suppression-lists').set('Cookie', admin).send({ listIds: listIds.slice(1, 2) }).expect(200);
    await request(t.server).put('/api/dnc/settings').set('Cookie', admin).send({ domains: [`${MARKER}-dnc.test`] }).expect(200);
    await request(t.server).post('/api/api-keys').set('Cookie', admin).send({ name: `Key ${MARKER}` }).expect(201);
    await request(t.server).post('/api/team').set('Cookie', admin).send({ name: `Member ${MARKER}`, email: `member@${MARKER}.test`, role: 'member', password: 'victim-password-1' }).expect(201);
    await request(t.server)
      .post('/api/activities')
      .set('Cookie', admin)
      .send({ idempotencyKey: `${MARKER}-1`, type: 'email_sent', personId: person.id, occurredAt: new Date().toISOString(), subject: `Subject ${MARKER}` })
      .expect(201);
    const consent = await request(t.server).post('/api/consent/events').set('Cookie', admin).send({ idempotencyKey: `${MARKER}-c1`, type: 'unsubscribe', personId: person.id, reason: `Reason ${MARKER}` });
    expect(consent.status).toBeLessThan(300);
    await request(t.server).post('/api/export/hubspot').set('Cookie', admin).send({ personIds: [person.id] }).expect(202);
    await request(t.server).post('/api/jobs/recount-workspace').set('Cookie', admin).expect(202);
    await request(t.server).put('/api/workflows/email-change').set('Cookie', admin).send({ enabled: false }).expect(200);
    // Let the worker deliver what was queued (the activity, the export, the consent event, the recount).
    await waitFor(async () => {
      const open = await t.dataSource.query<unknown[]>(`SELECT 1 FROM outbox_job WHERE workspace_id = $1 AND status IN ('pending', 'running') LIMIT 1`, [a.id]);
      return open.length === 0;
    }, 120_000);
  } finally {
    await worker.close();
  }
  // Rows no request of the setup makes on its own: a workflow run and a Needs-attention entry.
  const [workflow] = await t.dataSource.query<{ id: string }[]>(`SELECT id FROM workflow WHERE workspace_id = $1 LIMIT 1`, [a.id]);
  await t.dataSource.query(
    `INSERT INTO workflow_run (workspace_id, workflow_id, trigger_key, trigger, result, reason, triggered_at) VALUES ($1, $2, $3, '{}', 'failed', $4, now())`,
    [a.id, workflow!.id, `${MARKER}-trigger`, `Reason ${MARKER}`],
  );
  const [somePerson] = await t.dataSource.query<{ id: string }[]>(`SELECT id FROM person WHERE workspace_id = $1 LIMIT 1`, [a.id]);
  await t.dataSource.query(
    `INSERT INTO export_needs_attention (workspace_id, connection_id, crm, person_id, code, reason, source) VALUES ($1, $2, 'hubspot', $3, 'validation', $4, 'preflight')`,
    [a.id, connectionIds['hubspot'], somePerson!.id, `Reason ${MARKER}`],
  );
}

/** Every table with rows of a workspace, and the condition that picks one workspace's rows ($1). */
async function scopedTables(): Promise<{ table: string; where: string }[]> {
  const columns = await t.dataSource.query<{ table_name: string; column_name: string }[]>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables tb USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'`,
  );
  const byTable = new Map<string, Set<string>>();
  for (const c of columns) byTable.set(c.table_name, (byTable.get(c.table_name) ?? new Set()).add(c.column_name));
  const out: { table: string; where: string }[] = [];
  for (const [table, cols] of [...byTable].sort(([x], [y]) => x.localeCompare(y))) {
    if (cols.has('workspace_id')) out.push({ table, where: 'x.workspace_id = $1' });
    else if (table === 'workspace') out.push({ table, where: 'x.id = $1' });
    else if (cols.has('connection_id')) out.push({ table, where: 'x.connection_id IN (SELECT id FROM crm_connection WHERE workspace_id = $1)' });
    else if (cols.has('deal_id')) out.push({ table, where: 'x.deal_id IN (SELECT id FROM deal WHERE workspace_id = $1)' });
    // Left: instance tables (migrations, webhook event keys) that belong to no workspace.
  }
  return out;
}

/** A hash of each table's rows of one workspace: any insert, update or delete shows. */
async function stateOf(workspaceId: string): Promise<Map<string, string>> {
  const sql = scoped
    .map(({ table, where }) => `SELECT '${table}' AS t, (SELECT md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), '')) FROM "${table}" x WHERE ${where}) AS h`)
    .join(' UNION ALL ');
  return new Map((await t.dataSource.query<{ t: string; h: string }[]>(sql, [workspaceId])).map((r) => [r.t, r.h]));
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([name, hash]) => before.get(name) !== hash).map(([name]) => name);
}

/** B's rows that hold an id of A's (a reference across workspaces). */
async function bRowsNamingA(): Promise<string[]> {
  const found: string[] = [];
  for (const { table, where } of scoped) {
    const rows = await t.dataSource.query<{ r: string }[]>(`SELECT x::text AS r FROM "${table}" x WHERE ${where}`, [b.id]);
    for (const { r } of rows) {
      const hit = (r.match(UUID) ?? []).find((id) => allIdsOfA.has(id.toLowerCase()));
      if (hit) found.push(`${table} row names A's ${hit}`);
    }
  }
  return found;
}

/** What of A's a response body shows: A's ids or marker text. */
function leakIn(res: request.Response): string | null {
  const text = typeof res.text === 'string' && res.text.length ? res.text : JSON.stringify(res.body ?? '');
  if (text.toLowerCase().includes(MARKER)) return `A's marker text`;
  const id = (text.match(UUID) ?? []).find((u) => allIdsOfA.has(u.toLowerCase()));
  return id ? `A's id ${id}` : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests built from the document

/**
 * B's own record for a reference field, by the field's name (only to build bodies that pass; the ids of A's tried
 * do not depend on it). A new kind of reference falls back to an unknown id, and the control request says so.
 */
function ownIdFor(name: string): string {
  if (/person/i.test(name)) return b.own['person']!;
  if (/company/i.test(name)) return b.own['company']!;
  if (/user|member|performer/i.test(name)) return b.own['user']!;
  if (/connection/i.test(name)) return b.own['connection']!;
  return randomUUID();
}

/** A value that passes the schema's validation (B's own records where it must name something). */
function sample(schema: Schema | undefined, depth = 0, name = ''): unknown {
  const s = resolve(doc, schema);
  if (s.enum?.length) return s.enum[0];
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (type === 'object' && !s.properties && s.nullable) return null;
  switch (type ?? '') {
    case 'string':
      if (s.format === 'email') return `sweep-${stats.requests}@beta-intruder.test`;
      if (s.format === 'uuid' || /Id$/.test(name)) return ownIdFor(name);
      if (s.format === 'date-time' || /At$/.test(name)) return new Date().toISOString();
      return `${name || 's'}-${stats.requests}`.slice(0, s.maxLength ?? 200).padEnd(s.minLength ?? 1, 's');
    case 'integer':
    case 'number':
      return s.minimum ?? Math.min(1, s.maximum ?? 1);
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const key of s.required ?? []) if (s.properties?.[key]) out[key] = sample(s.properties[key], depth + 1, key);
      return out;
    }
    default:
      return undefined;
  }
}

/**
 * Bodies to try with an operation, best first: for a PATCH or PUT its required fields plus one optional plain text
 * field (so the request would change something), then its required fields alone.
 */
function candidateBodies(op: DocumentedOperation): (Record<string, unknown> | undefined)[] {
  const schema = jsonBodyOf(doc, op.op);
  if (!schema) return [undefined];
  const base = (sample(schema) ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown>[] = [];
  if (op.method === 'patch' || op.method === 'put') {
    for (const [key, raw] of Object.entries(schema.properties ?? {})) {
      const s = resolve(doc, raw);
      if (!(key in base) && s.type === 'string' && !s.format && !s.enum) out.push({ ...base, [key]: `Changed by B ${Date.now()}`.slice(0, s.maxLength ?? 200) });
    }
  }
  return [...out, base];
}

function pathWith(op: DocumentedOperation, ids: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? nonIdValue(op, name) ?? randomUUID());
}

/** Path parameters that are not ids take B's own values (its CRM, an object, a workflow kind). */
function nonIdValue(op: DocumentedOperation, name: string): string | undefined {
  const p = op.op.parameters?.find((x) => x.in === 'path' && x.name === name);
  const s = resolve(doc, p?.schema);
  if (s.enum?.length) return String(s.enum[0]);
  return { crm: 'hubspot', object: 'contacts', kind: 'email-change' }[name];
}

function idParams(op: DocumentedOperation): string[] {
  return (op.op.parameters ?? []).filter((p) => p.in === 'path' && nonIdValue(op, p.name) === undefined).map((p) => p.name);
}

function send(op: DocumentedOperation, path: string, c: { body?: unknown; query?: Record<string, string> }): Promise<request.Response> {
  stats.requests++;
  let req = request(t.server)[op.method](path).set('Cookie', b.adminCookie);
  if (c.query) req = req.query(c.query);
  if (c.body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(c.body));
  return req;
}

/** Names a record: `…Id`, `…Ids` or a uuid (a CRM's own ids, `crm…Id`, name CRM records, not Conduit's). */
function namesRecord(name: string, s: Schema): boolean {
  if (/^crm[A-Z]/.test(name) || /owner/i.test(name) || name === 'threadId' || name === 'eventId' || name === 'idempotencyKey') return false;
  return s.format === 'uuid' || resolve(doc, s.items).format === 'uuid' || /(Id|Ids)$/.test(name);
}

/** Body fields that name a record, with a setter into a copy of the base body. */
function referenceFields(schema: Schema, prefix = '', depth = 0): { path: string; schema: Schema; put: (body: Record<string, unknown>, v: unknown) => Record<string, unknown> }[] {
  const out: { path: string; schema: Schema; put: (body: Record<string, unknown>, v: unknown) => Record<string, unknown> }[] = [];
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const s = resolve(doc, raw);
    const path = prefix ? `${prefix}.${key}` : key;
    if (namesRecord(key, s)) out.push({ path, schema: s, put: (body, v) => ({ ...body, [key]: v }) });
    if (depth < 2 && s.properties) {
      for (const f of referenceFields(s, path, depth + 1)) {
        out.push({ ...f, put: (body, v) => ({ ...body, [key]: f.put({ ...((sample(s) as Record<string, unknown> | undefined) ?? {}), ...((body[key] as Record<string, unknown> | undefined) ?? {}) }, v) }) });
      }
    }
    const items = s.type === 'array' ? resolve(doc, s.items) : undefined;
    if (depth < 2 && items?.properties) {
      for (const f of referenceFields(items, `${path}.0`, depth + 1)) {
        const itemOf = (body: Record<string, unknown>) => ({ ...((sample(items) as Record<string, unknown> | undefined) ?? {}), ...((body[key] as Record<string, unknown>[] | undefined)?.[0] ?? {}) });
        out.push({ ...f, put: (body, v) => ({ ...body, [key]: [f.put(itemOf(body), v)] }) });
      }
    }
  }
  return out;
}

/**
 * Bodies to carry a reference field, best first: the operation's body, then with one optional field filled in each
 * (a person needs an email or a name before its company is looked at).
 */
function referenceBodies(schema: Schema, body: Record<string, unknown> | undefined, fieldPath: string): Record<string, unknown>[] {
  const base = body ?? {};
  const out = [base];
  const withOne = (props: Record<string, Schema> | undefined, present: Record<string, unknown>, add: (key: string, v: unknown) => Record<string, unknown>) => {
    for (const [key, raw] of Object.entries(props ?? {})) {
      const s = resolve(doc, raw);
      if (key in present || namesRecord(key, s)) continue;
      if (s.type === 'string' || s.enum) out.push(add(key, sample(s, 0, key)));
    }
  };
  withOne(schema.properties, base, (key, v) => ({ ...base, [key]: v }));
  // A reference inside a list's item (`activities.0.personId`): the item gets the optional field.
  const [list] = /^(\w+)\.0\./.exec(fieldPath)?.slice(1) ?? [];
  const items = list ? resolve(doc, resolve(doc, schema.properties?.[list]).items) : undefined;
  if (list && items?.properties) {
    const item = (sample(items) ?? {}) as Record<string, unknown>;
    withOne(items.properties, item, (key, v) => ({ ...base, [list]: [{ ...item, [key]: v }] }));
  }
  return out;
}

/** A validation refusal that names other fields and not this one: the body did not get as far as the reference. */
function refusedForOtherFields(res: request.Response, field: string): boolean {
  if (res.status !== 400 && res.status !== 422) return res.status === 200 && /^\w+\.0\./.test(field) && !namesField(res, field) && (res.body as { created?: number }).created === 0;
  return !namesField(res, field);
}

/** Refused for this field alone (or not refused at all). */
function namesOnly(res: request.Response, field: string): boolean {
  const errors = (res.body as { errors?: { field?: string; errors?: { field?: string }[] }[] }).errors ?? [];
  const fields = res.status === 200 ? errors.flatMap((r) => (r.errors ?? []).map((e) => e.field)) : errors.map((e) => e.field);
  const leaf = field.replace(/^\w+\.0\./, '');
  return fields.every((f) => f !== undefined && (f === field || f === leaf || field.startsWith(`${f}.`) || f.startsWith(`${field}.`)));
}

/** How a request was answered, as far as the reference goes: the status, and whether the answer names the field. */
function answerShape(res: request.Response, field: string): string {
  return `${res.status}${namesField(res, field) ? ' naming the field' : ''}`;
}

/** A refusal of the field: 404, a 4xx whose errors name it, or a per-row result (bulk) whose row 0 names the rest of its path. */
function namesField(res: request.Response, field: string): boolean {
  if (res.status === 404) return true;
  const named = (errors: { field?: string }[] | undefined, path: string) => (errors ?? []).some((e) => e.field !== undefined && (e.field === path || path.startsWith(`${e.field}.`) || e.field.startsWith(`${path}.`)));
  const body = res.body as { errors?: { field?: string; index?: number; errors?: { field?: string }[] }[]; created?: number };
  if (res.status >= 400 && res.status < 500) return named(body.errors, field);
  const row = /^\w+\.0\.(.+)$/.exec(field);
  return res.status === 200 && row !== null && body.created === 0 && (body.errors ?? []).some((r) => r.index === 0 && named(r.errors, row[1]!));
}

interface Finding {
  op: string;
  problem: string;
}

/** One attempt: a 2xx must show nothing of A's. */
function judge(op: DocumentedOperation, label: string, res: request.Response, findings: Finding[]): void {
  if (res.status >= 500) findings.push({ op: `${op.method.toUpperCase()} ${op.path}`, problem: `${label}: answered ${res.status}` });
  if (res.status < 200 || res.status >= 300) return;
  const leak = leakIn(res);
  if (leak) findings.push({ op: `${op.method.toUpperCase()} ${op.path}`, problem: `${label}: ${res.status} showing ${leak}` });
}

async function sweepOperation(op: DocumentedOperation, findings: Finding[]): Promise<void> {
  if (op.path.startsWith('/api/operator/') || op.path.startsWith('/api/auth/')) return;
  const name = `${op.method.toUpperCase()} ${op.path}`;
  const idNames = idParams(op);
  const candidates = candidateBodies(op);
  let body = candidates[candidates.length - 1];
  const schema = jsonBodyOf(doc, op.op);
  const refFields = schema ? referenceFields(schema) : [];
  const refQuery = (op.op.parameters ?? []).filter((p) => p.in === 'query' && namesRecord(p.name, resolve(doc, p.schema)));
  // A read that names nothing of A's (a list, settings, a catalog, counts): B's answer must show nothing of A's.
  const plainRead = op.method === 'get' && !idNames.length;
  if (!idNames.length && !refFields.length && !refQuery.length && !plainRead) return;
  stats.operations++;
  const before = await stateOf(a.id);
  if (plainRead) judge(op, 'as B, naming nothing', await send(op, pathWith(op, {}), {}), findings);
  const referencesBefore = new Set(await bRowsNamingA());

  if (idNames.length) {
    // Control: with an unknown id the request reaches the lookup (404), so the ids of A's below are really tried.
    let control: request.Response | undefined;
    for (const candidate of candidates) {
      control = await send(op, pathWith(op, Object.fromEntries(idNames.map((n) => [n, randomUUID()]))), { body: candidate });
      body = candidate;
      if (control.status === 404) break;
    }
    if (control!.status !== 404) findings.push({ op: name, problem: `control with an unknown id answered ${control!.status} (${JSON.stringify(control!.body).slice(0, 160)}), not 404: the sweep cannot reach the lookup` });
    for (const param of idNames) {
      for (const { table, id } of triedIds) {
        const res = await send(op, pathWith(op, { [param]: id }), { body });
        judge(op, `{${param}} = A's ${table} ${id}`, res, findings);
        if (res.status >= 200 && res.status < 300) findings.push({ op: name, problem: `{${param}} = A's ${table} ${id}: answered ${res.status} (${JSON.stringify(res.body).slice(0, 160)})` });
      }
    }
  }
  const path = pathWith(op, {});
  for (const f of refFields) {
    const isArray = f.schema.type === 'array';
    const value = (id: string) => (isArray ? [id] : id);
    // Control: with an unknown id the body passes validation (it is refused naming this field, or taken as naming
    // nothing), so A's ids below are really looked up. Each must then be answered like the unknown id.
    // Best a body whose only refusal is this field (a person with an email, so a person would be created).
    let refBody: Record<string, unknown> | undefined;
    let control: request.Response | undefined;
    for (const candidate of referenceBodies(schema!, body, f.path)) {
      const res = await send(op, path, { body: f.put(candidate, value(randomUUID())) });
      if (refusedForOtherFields(res, f.path)) continue;
      if (!refBody) [refBody, control] = [candidate, res];
      if (namesOnly(res, f.path)) {
        [refBody, control] = [candidate, res];
        break;
      }
    }
    if (!refBody || !control) {
      findings.push({ op: name, problem: `body ${f.path}: an unknown id answered ${control?.status} (${JSON.stringify(control?.body).slice(0, 160)}): the sweep cannot build a body that reaches the check` });
      continue;
    }
    const unknownAnswer = answerShape(control, f.path);
    for (const { table, id } of triedIds) {
      const res = await send(op, path, { body: f.put(refBody, value(id)) });
      judge(op, `body ${f.path} = A's ${table} ${id}`, res, findings);
      const shape = answerShape(res, f.path);
      if (shape !== unknownAnswer) findings.push({ op: name, problem: `body ${f.path} = A's ${table} ${id}: answered ${shape} (${JSON.stringify(res.body).slice(0, 160)}), an unknown id ${unknownAnswer}` });
    }
  }
  for (const p of refQuery) {
    const s = resolve(doc, p.schema);
    const values = s.type === 'array' || /Ids$/.test(p.name) ? [triedIds.slice(0, 100).map((x) => x.id).join(',')] : triedIds.map((x) => x.id);
    for (const v of values) judge(op, `?${p.name} = A's ${v.slice(0, 40)}`, await send(op, path, { body, query: { [p.name]: v } }), findings);
  }

  const moved = changed(before, await stateOf(a.id));
  if (moved.length) findings.push({ op: name, problem: `changed A's rows in ${moved.join(', ')}` });
  for (const ref of await bRowsNamingA()) if (!referencesBefore.has(ref)) findings.push({ op: name, problem: ref });
}

// ---------------------------------------------------------------------------------------------------------------

describe('cross-tenant sweep: workspace B against workspace A', () => {
  it('A has rows in the tables a request names, and nothing of A moves on its own during the sweep', async () => {
    const tablesWithIds = new Set(triedIds.map((x) => x.table));
    for (const table of ['person', 'company', 'campaign', 'crm_list', 'crm_connection', 'sync_run', 'export_run', 'export_needs_attention', 'workflow_run', 'activity', 'consent_event', 'consent_delivery', 'api_key', 'app_user', 'outbox_job', 'deal', 'crm_link']) {
      expect({ table, present: tablesWithIds.has(table) }).toEqual({ table, present: true });
    }
    const first = await stateOf(a.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(changed(first, await stateOf(a.id))).toEqual([]);
  });

  it('every operation of the OpenAPI document refuses A\'s ids in its path, query and body, shows nothing of A and changes nothing of A', async () => {
    const started = Date.now();
    const findings: Finding[] = [];
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(50);
    for (const op of operations) {
      try {
        await sweepOperation(op, findings);
      } catch (err) {
        findings.push({ op: `${op.method.toUpperCase()} ${op.path}`, problem: (err as Error).message.split('\n')[0]! });
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`cross-tenant sweep: ${stats.operations} operations, ${triedIds.length} ids of A from ${new Set(triedIds.map((x) => x.table)).size} tables, ${stats.requests} requests in ${seconds} s\n`);
    expect(findings).toEqual([]);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------------------------
// Routes outside the OpenAPI document

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
  name?: string;
  matchers?: ((path: string) => unknown)[];
  handle?: { stack?: ExpressLayer[] };
}

/** Every route the running app answers, as `METHOD /path` with `{param}`s (Nest's routes; mounted routers by their prefix). */
function appRoutes(): { routes: string[]; mounts: string[] } {
  const express = t.app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const routes: string[] = [];
  const mounts: string[] = [];
  for (const layer of express.router.stack) {
    if (layer.route) {
      if (layer.route.path.startsWith('/api/docs')) {
        routes.push(`DOCS ${layer.route.path}`);
        continue;
      }
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') routes.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
    } else if (layer.handle?.stack?.length && layer.name === 'router') {
      for (const probe of ['/api/admin/queues', '/api/docs']) if (layer.matchers?.some((m) => m(probe))) mounts.push(probe);
    }
  }
  return { routes, mounts };
}

/** Routes outside the document and the check of this file that covers each. */
const UNDOCUMENTED: Record<string, string> = {
  'GET /api/connections/{crm}/callback': 'the OAuth callback',
  'POST /api/webhooks/hubspot': 'webhooks',
};

describe('cross-tenant sweep: routes outside the OpenAPI document', () => {
  it('every route the app answers is in the document or has a check here', () => {
    const documented = new Set(operationsOf(doc).map((o) => `${o.method.toUpperCase()} ${o.path}`));
    const { routes } = appRoutes();
    expect(routes.length).toBeGreaterThan(50);
    // The Swagger UI and the document itself (`DOCS …`) have their check below.
    const unknown = routes.filter((r) => !documented.has(r) && !(r in UNDOCUMENTED) && !r.startsWith('DOCS '));
    expect(unknown).toEqual([]);
    expect(routes.filter((r) => r.startsWith('DOCS ')).length).toBeGreaterThan(0);
  });

  it("the queue dashboard refuses B's admin and B's API key on every route (read, pause, retry, clean, a job of A's)", async () => {
    const before = await stateOf(a.id);
    const [job] = await t.dataSource.query<{ id: string; queue: string }[]>(`SELECT id, queue FROM outbox_job WHERE workspace_id = $1 LIMIT 1`, [a.id]);
    const routes: [string, string][] = [
      ['get', ''],
      ['get', '/api/queues'],
      ['get', `/api/queues/${job!.queue}/${job!.id}`],
      ['get', `/api/queues/${job!.queue}/${job!.id}/logs`],
      ['put', `/api/queues/${job!.queue}/pause`],
      ['put', `/api/queues/${job!.queue}/resume`],
      ['put', `/api/queues/${job!.queue}/retry/failed`],
      ['put', `/api/queues/${job!.queue}/clean/completed`],
      ['put', `/api/queues/${job!.queue}/empty`],
      ['put', `/api/queues/${job!.queue}/${job!.id}/retry/failed`],
      ['put', `/api/queues/${job!.queue}/${job!.id}/promote`],
      ['put', `/api/queues/${job!.queue}/${job!.id}/clean`],
      ['post', `/api/queues/${job!.queue}/add`],
    ];
    for (const [method, path] of routes) {
      const url = `/api/admin/queues${path}`;
      const asAdmin = await request(t.server)[method as 'get'](url).set('Cookie', b.adminCookie);
      const asKey = await request(t.server)[method as 'get'](url).set('Authorization', `Bearer ${b.apiKey}`);
      const anonymous = await request(t.server)[method as 'get'](url);
      // An API key is not the operator token: refused like a wrong token (401) or as a workspace caller (403).
      expect({ url, method, admin: asAdmin.status, keyRefused: [401, 403].includes(asKey.status), anonymous: anonymous.status }).toEqual({ url, method, admin: 403, keyRefused: true, anonymous: 401 });
      expect(asAdmin.text).not.toContain(MARKER);
    }
    expect(changed(before, await stateOf(a.id))).toEqual([]);
  });

  it("a webhook naming A's HubSpot portal without a valid signature changes nothing and starts nothing", async () => {
    const before = await stateOf(a.id);
    const [conn] = await t.dataSource.query<{ account_id: string }[]>(`SELECT account_id FROM crm_connection WHERE workspace_id = $1 AND crm = 'hubspot'`, [a.id]);
    const events = [{ eventId: 1, subscriptionType: 'contact.deletion', objectId: 1, portalId: Number(conn!.account_id), occurredAt: Date.now() }];
    const ts = String(Date.now());
    for (const headers of [{}, { 'x-hubspot-signature-v3': 'Zm9yZ2Vk', 'x-hubspot-request-timestamp': ts }, { 'x-hubspot-signature': 'f'.repeat(64) }]) {
      await request(t.server).post('/api/webhooks/hubspot').set(headers).set('Cookie', b.adminCookie).send(events).expect(401);
    }
    expect(changed(before, await stateOf(a.id))).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM sync_webhook_event`)).toEqual([]);
  });

  it("B's session cannot complete, spoil or take over A's OAuth attempt; A completes it afterwards", async () => {
    const attempt = await authorizeAndConsent(t.server, a.adminCookie, 'hubspot');
    const before = await stateOf(a.id);
    const bConnectionsBefore = await t.dataSource.query(`SELECT id, account_id, status FROM crm_connection WHERE workspace_id = $1 ORDER BY id`, [b.id]);
    for (const cookie of [b.adminCookie, null]) {
      expect((await followCallback(t.server, cookie, attempt.callback)).searchParams.get('error')).toBe('session_mismatch');
    }
    expect(changed(before, await stateOf(a.id))).toEqual([]);
    expect(await t.dataSource.query(`SELECT id, account_id, status FROM crm_connection WHERE workspace_id = $1 ORDER BY id`, [b.id])).toEqual(bConnectionsBefore);
    expect((await followCallback(t.server, a.adminCookie, attempt.callback)).searchParams.get('connected')).toBe('hubspot');
  });

  it('the API docs (document and Swagger UI) carry no workspace data', async () => {
    for (const path of ['/api/docs-json', '/api/docs-yaml', '/api/docs/', '/api/docs/swagger-ui-init.js']) {
      const asB = await request(t.server).get(path).set('Cookie', b.adminCookie).expect(200);
      expect({ path, leak: leakIn(asB) }).toEqual({ path, leak: null });
    }
  });
});
