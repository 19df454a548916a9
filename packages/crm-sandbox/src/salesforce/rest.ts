import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeGlobal, describeSObject, objectInfo } from './describe.js';
import { compositeErrors, getAuth, headerValue, isObject, originOf, queryParam, restErrors, sendError } from './http.js';
import { keyPrefixOf, normalizeId } from './ids.js';
import type { SalesforceOrg } from './org.js';
import type { SObjectDef } from './schema.js';
import { parseSoql, SoqlError } from './soql.js';
import { compileQuery, runQuery, shapeRecord, type CompiledQuery, type SoqlContext } from './soql-eval.js';
import type { WriteContext, WriteResult } from './store.js';
import { asText, parseDateTime, sfError, toSfDateTime, type SfError, type SfRecord } from './values.js';

const MAX_COLLECTION = 200;

type Params = Record<string, string>;

export function versionOf(request: FastifyRequest): string {
  const params = request.params as Params;
  return (params['version'] ?? 'v62.0').slice(1);
}

export function soqlContext(org: SalesforceOrg, userId?: string): SoqlContext {
  return {
    resolveType: (name) => org.store.resolveType(name),
    lookup: (id) => org.store.getAny(id),
    now: () => Date.now(),
    ...(userId === undefined ? {} : { userId }),
  };
}

/** Parse + compile SOQL (as `userId` when given: USING SCOPE mine); errors come back as Salesforce error bodies. */
export function compileSoql(org: SalesforceOrg, text: string, userId?: string): CompiledQuery | { error: SoqlError } {
  try {
    return compileQuery(parseSoql(text), soqlContext(org, userId));
  } catch (err) {
    if (err instanceof SoqlError) return { error: err };
    throw err;
  }
}

function writeContext(request: FastifyRequest, source: 'json' | 'csv' = 'json'): WriteContext {
  const dupHeader = headerValue(request, 'sforce-duplicate-rule-header') ?? '';
  return { userId: getAuth(request).userId, source, allowSave: /allowSave\s*=\s*true/i.test(dupHeader) };
}

function fullRecord(def: SObjectDef, row: SfRecord, version: string, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: def.name, url: `/services/data/v${version}/sobjects/${def.name}/${String(row['Id'])}` } };
  const names = fields ?? def.fields.map((f) => f.name);
  for (const name of names) out[name] = row[name] ?? null;
  return out;
}

/** ?fields=A,B → canonical names, or an INVALID_FIELD error. */
function fieldList(def: SObjectDef, raw: string | undefined): string[] | SfError | undefined {
  if (raw === undefined || raw === '') return undefined;
  const out: string[] = [];
  for (const name of raw.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const f = def.byLowerName.get(name.toLowerCase());
    if (f === undefined) return sfError('INVALID_FIELD', `No such column '${name}' on sobject of type ${def.name}`);
    out.push(f.name);
  }
  return out;
}

function saveResult(result: WriteResult, withCreated = false): Record<string, unknown> {
  if (result.ok) return { id: result.id, success: true, errors: [], ...(withCreated ? { created: result.created } : {}) };
  return { id: null, success: false, errors: compositeErrors(result.errors), ...(withCreated ? { created: false } : {}) };
}

function rolledBack(): SfError {
  return sfError('ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back because not all records were valid and the request was using AllOrNone header');
}

export function registerRestRoutes(app: FastifyInstance, org: SalesforceOrg): void {
  const store = org.store;
  const base = '/services/data/:version';

  const typeOr404 = (request: FastifyRequest, reply: FastifyReply): SObjectDef | undefined => {
    const name = (request.params as Params)['type'] ?? '';
    const def = store.resolveType(name);
    if (def === undefined) {
      void sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
      return undefined;
    }
    return def;
  };

  app.get(`${base}`, async (request) => {
    const v = versionOf(request);
    const p = `/services/data/v${v}`;
    const { userId } = getAuth(request);
    return {
      sobjects: `${p}/sobjects`, query: `${p}/query`, queryAll: `${p}/queryAll`, limits: `${p}/limits`, composite: `${p}/composite`,
      jobs: `${p}/jobs`, search: `${p}/search`, recent: `${p}/recent`, tooling: `${p}/tooling`,
      identity: `${originOf(request, org.config.publicUrl)}/id/${org.orgId}/${userId}`,
    };
  });

  app.get(`${base}/limits`, async () => {
    const { used, max } = org.apiUsage();
    const limit = (m: number, r = m): { Max: number; Remaining: number } => ({ Max: m, Remaining: r });
    return {
      ConcurrentAsyncGetReportInstances: limit(200), ConcurrentSyncReportRuns: limit(20), DailyApiRequests: limit(max, Math.max(0, max - used)),
      DailyAsyncApexExecutions: limit(250_000), DailyBulkApiBatches: limit(15_000), DailyBulkV2QueryFileStorageMB: limit(976_562),
      DailyBulkV2QueryJobs: limit(10_000), DailyStreamingApiEvents: limit(1_000_000), DataStorageMB: limit(1024, 1000), FileStorageMB: limit(1024, 1020),
      HourlyDashboardRefreshes: limit(200), HourlyODataCallout: limit(10_000), MassEmail: limit(5000), SingleEmail: limit(5000),
    };
  });

  app.get(`${base}/sobjects`, async (request) => describeGlobal(store.schema.values(), versionOf(request)));

  app.get(`${base}/sobjects/:type`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    return objectInfo(def, versionOf(request));
  });

  app.get(`${base}/sobjects/:type/describe`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    return describeSObject(def, versionOf(request));
  });

  app.post(`${base}/sobjects/:type`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    if (!isObject(request.body)) return sendError(reply, 400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    const result = store.create(def.name, request.body, writeContext(request), versionOf(request));
    if (!result.ok) return reply.code(result.status).send(restErrors(result.errors.slice(0, 1)));
    return reply.code(201).send({ id: result.id, success: true, errors: [] });
  });

  // Replication API: ids changed / deleted in a window (minute precision, ≤ 30 days back).
  const replicationWindow = (request: FastifyRequest, reply: FastifyReply): [string, string] | undefined => {
    const startRaw = queryParam(request, 'start');
    const endRaw = queryParam(request, 'end');
    if (startRaw === undefined || endRaw === undefined) {
      void sendError(reply, 400, 'MISSING_ARGUMENT', 'start and end are required');
      return undefined;
    }
    const start = parseDateTime(startRaw);
    const end = parseDateTime(endRaw);
    if (start === undefined || end === undefined || end < start) {
      void sendError(reply, 400, 'INVALID_REPLICATION_DATE', 'Invalid start or end date');
      return undefined;
    }
    if (start < Date.now() - 30 * 86_400_000) {
      void sendError(reply, 400, 'INVALID_REPLICATION_DATE', 'start date cannot be more than 30 days ago');
      return undefined;
    }
    const minute = (ms: number): string => toSfDateTime(Math.floor(ms / 60_000) * 60_000);
    return [minute(start), minute(end)];
  };

  app.get(`${base}/sobjects/:type/updated`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    const window = replicationWindow(request, reply);
    if (window === undefined) return reply;
    const [start, end] = window;
    const ids: string[] = [];
    for (const row of store.rows(def.name)) {
      const stamp = String(row['SystemModstamp']);
      if (row['IsDeleted'] !== true && stamp >= start && stamp <= end) ids.push(String(row['Id']));
    }
    return { ids, latestDateCovered: end };
  });

  app.get(`${base}/sobjects/:type/deleted`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    const window = replicationWindow(request, reply);
    if (window === undefined) return reply;
    const [start, end] = window;
    const deletedRecords: { id: string; deletedDate: string }[] = [];
    let earliest: string | null = null;
    for (const row of store.rows(def.name)) {
      if (row['IsDeleted'] !== true) continue;
      const stamp = String(row['SystemModstamp']);
      if (earliest === null || stamp < earliest) earliest = stamp;
      if (stamp >= start && stamp <= end) deletedRecords.push({ id: String(row['Id']), deletedDate: stamp });
    }
    return { deletedRecords, earliestDateAvailable: earliest ?? start, latestDateCovered: end };
  });

  app.get(`${base}/sobjects/:type/:id`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    const rawId = (request.params as Params)['id'] ?? '';
    const fields = fieldList(def, queryParam(request, 'fields'));
    if (fields !== undefined && !Array.isArray(fields)) return reply.code(400).send(restErrors([fields]));
    const id = normalizeId(rawId);
    const row = id === undefined ? undefined : store.get(def.name, id);
    if (row === undefined) {
      if (id === undefined) return sendError(reply, 404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
      return sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return fullRecord(def, row, versionOf(request), fields);
  });

  app.patch(`${base}/sobjects/:type/:id`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    if (!isObject(request.body)) return sendError(reply, 400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    const result = store.update(def.name, (request.params as Params)['id'] ?? '', request.body, writeContext(request), versionOf(request));
    if (!result.ok) return reply.code(result.status).send(restErrors(result.errors.slice(0, 1)));
    return reply.code(204).send();
  });

  app.delete(`${base}/sobjects/:type/:id`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    const result = store.delete(def.name, (request.params as Params)['id'] ?? '', writeContext(request));
    if (!result.ok) return reply.code(result.status).send(restErrors(result.errors.slice(0, 1)));
    return reply.code(204).send();
  });

  // Upsert / read / delete by external id: sobjects/{T}/{ExtField}/{value}
  app.patch(`${base}/sobjects/:type/:field/:value`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    if (!isObject(request.body)) return sendError(reply, 400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    const params = request.params as Params;
    const result = store.upsert(def.name, params['field'] ?? '', params['value'] ?? '', request.body, writeContext(request), versionOf(request));
    if ('multiple' in result) {
      const v = versionOf(request);
      return reply.code(300).send(result.multiple.map((id) => `/services/data/v${v}/sobjects/${def.name}/${id}`));
    }
    if (!result.ok) return reply.code(result.status).send(restErrors(result.errors.slice(0, 1)));
    if (result.created) return reply.code(201).send({ id: result.id, success: true, errors: [], created: true });
    return reply.code(204).send();
  });

  const byExternalId = (request: FastifyRequest, reply: FastifyReply): { def: SObjectDef; ids: string[] } | undefined => {
    const def = typeOr404(request, reply);
    if (def === undefined) return undefined;
    const params = request.params as Params;
    const field = def.byLowerName.get((params['field'] ?? '').toLowerCase());
    if (field === undefined || !(field.externalId || field.idLookup)) {
      void sendError(reply, 404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${params['field'] ?? ''}`);
      return undefined;
    }
    return { def, ids: store.findBy(def.name, field.name, params['value'] ?? '') };
  };

  app.get(`${base}/sobjects/:type/:field/:value`, async (request, reply) => {
    const found = byExternalId(request, reply);
    if (found === undefined) return reply;
    const v = versionOf(request);
    if (found.ids.length > 1) return reply.code(300).send(found.ids.map((id) => `/services/data/v${v}/sobjects/${found.def.name}/${id}`));
    const row = found.ids[0] === undefined ? undefined : store.get(found.def.name, found.ids[0]);
    if (row === undefined) return sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    return fullRecord(found.def, row, v);
  });

  app.delete(`${base}/sobjects/:type/:field/:value`, async (request, reply) => {
    const found = byExternalId(request, reply);
    if (found === undefined) return reply;
    if (found.ids.length > 1) return reply.code(300).send(found.ids);
    const [id] = found.ids;
    if (id === undefined) return sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const result = store.delete(found.def.name, id, writeContext(request));
    if (!result.ok) return reply.code(result.status).send(restErrors(result.errors.slice(0, 1)));
    return reply.code(204).send();
  });

  // ---- SOQL ----
  const pageSizeFor = (request: FastifyRequest): number => {
    const options = headerValue(request, 'sforce-query-options') ?? '';
    const m = /batchSize\s*=\s*(\d+)/i.exec(options);
    if (m === null) return org.config.queryPageSize;
    return Math.min(2000, Math.max(200, Number(m[1])));
  };

  const page = (cursorRows: SfRecord[], compiled: CompiledQuery, start: number, pageSize: number, version: string, cursorId: string | undefined): Record<string, unknown> => {
    const ctx = soqlContext(org);
    const end = Math.min(cursorRows.length, start + pageSize);
    const records: Record<string, unknown>[] = [];
    for (let i = start; i < end; i++) records.push(shapeRecord(compiled, cursorRows[i] as SfRecord, version, ctx));
    const done = end >= cursorRows.length;
    return {
      totalSize: cursorRows.length,
      done,
      ...(done || cursorId === undefined ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${cursorId}-${end}` }),
      records,
    };
  };

  const runSoql = (includeDeleted: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const q = queryParam(request, 'q');
    if (q === undefined || q.trim() === '') {
      if (queryParam(request, 'explain') !== undefined) return sendError(reply, 400, 'MALFORMED_QUERY', 'Query plans are not supported by the sandbox');
      return sendError(reply, 400, 'MALFORMED_QUERY', 'A query string has to be specified');
    }
    const compiled = compileSoql(org, q, getAuth(request).userId);
    if ('error' in compiled) return sendError(reply, 400, compiled.error.errorCode, compiled.error.message);
    const run = runQuery(compiled, store.rows(compiled.def.name), includeDeleted);
    if (compiled.countOnly) return { totalSize: run.totalSize, done: true, records: [] };
    if (compiled.aggregate !== undefined) {
      const col = compiled.aggregate.column;
      const n = col === undefined ? run.rows.length : run.rows.filter((r) => col.get(r) !== null).length;
      return { totalSize: 1, done: true, records: [{ attributes: { type: 'AggregateResult' }, [compiled.aggregate.alias]: n }] };
    }
    const v = versionOf(request);
    const pageSize = pageSizeFor(request);
    if (run.rows.length <= pageSize) return page(run.rows, compiled, 0, pageSize, v, undefined);
    const cursor = org.openCursor(compiled, run.rows, pageSize, v);
    return page(run.rows, compiled, 0, pageSize, v, cursor.id);
  };

  const more = async (request: FastifyRequest, reply: FastifyReply) => {
    const locator = (request.params as Params)['locator'] ?? '';
    const m = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(locator);
    const cursor = m === null ? undefined : org.cursor(m[1] ?? '');
    if (m === null || cursor === undefined) return sendError(reply, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const start = Number(m[2]);
    const body = page(cursor.rows, cursor.compiled, start, pageSizeFor(request), versionOf(request), cursor.id);
    if (body['done'] === true) org.closeCursor(cursor.id);
    return body;
  };

  app.get(`${base}/query`, runSoql(false));
  app.get(`${base}/queryAll`, runSoql(true));
  app.get(`${base}/query/:locator`, more);
  app.get(`${base}/queryAll/:locator`, more);

  // ---- sObject Collections (composite/sobjects) ----
  const collectionBody = (request: FastifyRequest, reply: FastifyReply): { allOrNone: boolean; records: Record<string, unknown>[] } | undefined => {
    const body = request.body;
    if (!isObject(body) || !Array.isArray(body['records'])) {
      void sendError(reply, 400, 'JSON_PARSER_ERROR', 'The request body must be {"allOrNone": boolean, "records": [...]}');
      return undefined;
    }
    if (body['records'].length > MAX_COLLECTION) {
      void sendError(reply, 400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
      return undefined;
    }
    return { allOrNone: body['allOrNone'] === true, records: body['records'].map((r) => (isObject(r) ? r : {})) };
  };

  const recordType = (record: Record<string, unknown>): SObjectDef | undefined => {
    const attrs = record['attributes'];
    const type = isObject(attrs) && typeof attrs['type'] === 'string' ? attrs['type'] : undefined;
    return type === undefined ? undefined : store.resolveType(type);
  };

  /** Run a batch of writes; with allOrNone, any failure rolls every write back. */
  const batch = (allOrNone: boolean, count: number, one: (i: number) => WriteResult, withCreated = false): Record<string, unknown>[] => {
    const results = store.transaction(
      () => Array.from({ length: count }, (_, i) => one(i)),
      (rs) => !allOrNone || rs.every((r) => r.ok),
    );
    if (allOrNone && results.some((r) => !r.ok)) {
      return results.map((r) => saveResult(r.ok ? { ok: false, status: 400, errors: [rolledBack()] } : r, withCreated));
    }
    return results.map((r) => saveResult(r, withCreated));
  };

  const noType: WriteResult = { ok: false, status: 400, errors: [sfError('INVALID_TYPE', 'Must send a concrete entity type.')] };

  app.post(`${base}/composite/sobjects`, async (request, reply) => {
    const body = collectionBody(request, reply);
    if (body === undefined) return reply;
    const ctx = writeContext(request);
    const v = versionOf(request);
    return batch(body.allOrNone, body.records.length, (i) => {
      const record = body.records[i] ?? {};
      const def = recordType(record);
      return def === undefined ? noType : store.create(def.name, record, ctx, v);
    });
  });

  app.patch(`${base}/composite/sobjects`, async (request, reply) => {
    const body = collectionBody(request, reply);
    if (body === undefined) return reply;
    const ctx = writeContext(request);
    const v = versionOf(request);
    return batch(body.allOrNone, body.records.length, (i) => {
      const record = body.records[i] ?? {};
      const def = recordType(record);
      if (def === undefined) return noType;
      const id = Object.entries(record).find(([k]) => k.toLowerCase() === 'id')?.[1];
      if (typeof id !== 'string' || id === '') return { ok: false, status: 400, errors: [sfError('MISSING_ARGUMENT', 'Id not specified in an update call', [])] };
      const rest: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(record)) if (k.toLowerCase() !== 'id') rest[k] = val;
      return store.update(def.name, id, rest, ctx, v);
    });
  });

  app.delete(`${base}/composite/sobjects`, async (request, reply) => {
    const ids = (queryParam(request, 'ids') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (ids.length === 0) return sendError(reply, 400, 'MISSING_ARGUMENT', 'ids parameter is required');
    if (ids.length > MAX_COLLECTION) return sendError(reply, 400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`);
    const allOrNone = queryParam(request, 'allOrNone') === 'true';
    const ctx = writeContext(request);
    return batch(allOrNone, ids.length, (i) => {
      const raw = ids[i] ?? '';
      const id = normalizeId(raw);
      const def = id === undefined ? undefined : store.typeOfId(id);
      if (id === undefined || def === undefined) return { ok: false, status: 400, errors: [sfError('MALFORMED_ID', `malformed id ${raw}`, [])] };
      return store.delete(def.name, id, ctx);
    });
  });

  const retrieveMany = (request: FastifyRequest, reply: FastifyReply, def: SObjectDef, ids: string[], fieldsRaw: string | undefined): unknown => {
    if (ids.length > 2000) return sendError(reply, 400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 2000 records into this call');
    const fields = fieldList(def, fieldsRaw);
    if (fields !== undefined && !Array.isArray(fields)) return reply.code(400).send(restErrors([fields]));
    if (fields === undefined) return sendError(reply, 400, 'MISSING_ARGUMENT', 'fields parameter is required');
    const v = versionOf(request);
    return ids.map((raw) => {
      const id = normalizeId(raw);
      const row = id === undefined || keyPrefixOf(id) !== def.keyPrefix ? undefined : store.get(def.name, id);
      return row === undefined ? null : fullRecord(def, row, v, fields);
    });
  };

  app.get(`${base}/composite/sobjects/:type`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    const ids = (queryParam(request, 'ids') ?? '').split(',').filter((s) => s !== '');
    return retrieveMany(request, reply, def, ids, queryParam(request, 'fields'));
  });

  app.post(`${base}/composite/sobjects/:type`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    const body = isObject(request.body) ? request.body : {};
    const ids = Array.isArray(body['ids']) ? body['ids'].map(String) : [];
    const fields = Array.isArray(body['fields']) ? body['fields'].map(String).join(',') : undefined;
    return retrieveMany(request, reply, def, ids, fields);
  });

  app.patch(`${base}/composite/sobjects/:type/:field`, async (request, reply) => {
    const def = typeOr404(request, reply);
    if (def === undefined) return reply;
    const body = collectionBody(request, reply);
    if (body === undefined) return reply;
    const fieldName = (request.params as Params)['field'] ?? '';
    const field = def.byLowerName.get(fieldName.toLowerCase());
    if (field === undefined || !(field.externalId || field.type === 'id')) {
      return sendError(reply, 400, 'INVALID_FIELD', `Field name provided, ${fieldName} is not an External ID or indexed field for ${def.name}`);
    }
    const ctx = writeContext(request);
    const v = versionOf(request);
    return batch(body.allOrNone, body.records.length, (i) => {
      const record = body.records[i] ?? {};
      const recDef = recordType(record) ?? def;
      if (recDef.name !== def.name) return { ok: false, status: 400, errors: [sfError('INVALID_TYPE', `Record type ${recDef.name} does not match ${def.name}`)] };
      const value = Object.entries(record).find(([k]) => k.toLowerCase() === field.name.toLowerCase())?.[1];
      if (value === undefined || value === null || value === '') {
        return { ok: false, status: 400, errors: [sfError('MISSING_ARGUMENT', `${field.name} not specified`, [field.name])] };
      }
      const result = store.upsert(def.name, field.name, asText(value), record, ctx, v);
      if ('multiple' in result) {
        return { ok: false, status: 300, errors: [sfError('DUPLICATE_EXTERNAL_ID', `${field.name}: more than one record found for external id field: ${result.multiple.join(', ')}`, [field.name])] };
      }
      return result;
    }, true);
  });
}
