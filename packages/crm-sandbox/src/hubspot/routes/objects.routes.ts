import { text } from '../text.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { OBJECT_TYPES, OBJECT_TYPE_INFO, associationTypes, resolveObjectType, type ObjectType } from '../object-types.js';
import { HubspotError, badRequest, notFound, requireFields } from '../errors.js';
import { FILTER_OPERATORS, normalizeSorts, type FilterGroup } from '../search.js';
import { listParam, toApiObject } from '../serialize.js';
import type { HubspotContext } from '../context.js';
import type { HsRecord, InlineAssociation } from '../store.js';

const MAX_BATCH = 100;
const MAX_PAGE = 100;
const MAX_SEARCH_PAGE = 200;

type Query = Record<string, unknown>;
type Body = Record<string, unknown>;

function asBody(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}

export function objectTypeOf(name: string): ObjectType {
  const type = resolveObjectType(name);
  if (type === undefined) throw new HubspotError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${name}`);
  return type;
}

function intParam(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${name} must be a positive integer`);
  if (n > max) throw badRequest(`${name} must be at most ${max}`);
  return n;
}

function associationParam(value: unknown): ObjectType[] | undefined {
  const names = listParam(value);
  if (names === undefined) return undefined;
  return names.map((n) => objectTypeOf(n));
}

/**
 * The batch's inputs, each checked for the fields HubSpot's description requires of its model (a missing one fails the
 * whole request with 400, as HubSpot's JSON binding does, before any input is applied).
 */
function inputsOf(body: Body, required: { fields: string[]; model: string }): Body[] {
  const inputs = body['inputs'];
  if (!Array.isArray(inputs)) throw badRequest('inputs is required');
  if (inputs.length > MAX_BATCH) {
    throw badRequest(`Batch input limit exceeded: ${inputs.length} inputs were provided, the maximum is ${MAX_BATCH}.`, {
      context: { inputs: [text(inputs.length)], limit: [text(MAX_BATCH)] },
    });
  }
  const out = inputs.map(asBody);
  for (const input of out) requireFields(input, required.fields, required.model);
  return out;
}

/** The input's `properties` (required by HubSpot on every create, update and upsert input). */
function propertiesOf(input: Body, model = 'SimplePublicObjectInput'): Record<string, unknown> {
  requireFields(input, ['properties'], model);
  const props = input['properties'];
  if (typeof props !== 'object' || Array.isArray(props)) throw badRequest('properties must be an object');
  return props as Record<string, unknown>;
}

/** HubSpot's StandardError in a 207: status, category, message, context, links and errors are all required. */
interface BatchError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  links: Record<string, string>;
  errors: unknown[];
}

function batchErrorOf(err: unknown, traceId: string | undefined, extraContext: Record<string, string[]> = {}): { error: BatchError; httpStatus: number; original: HubspotError } {
  if (!(err instanceof HubspotError)) throw err;
  const body = err.body();
  const context: Record<string, string[]> = { ...(body.context ?? {}), ...extraContext };
  if (body.errors !== undefined) {
    for (const e of body.errors) for (const [k, v] of Object.entries(e.context ?? {})) context[k] = [...(context[k] ?? []), ...v];
  }
  if (traceId !== undefined) context['objectWriteTraceId'] = [traceId];
  return {
    error: { status: 'error', category: body.category, message: body.message, context, links: {}, errors: body.errors ?? [] },
    httpStatus: err.statusCode,
    original: err,
  };
}

/**
 * Send a batch result: 2xx when every input succeeded, 207 with per-input errors when some
 * failed, and the first error itself (400/404/409) when every input failed.
 */
function sendBatch(reply: FastifyReply, okStatus: number, startedAt: string, results: unknown[], failures: ReturnType<typeof batchErrorOf>[]): FastifyReply {
  const completedAt = new Date().toISOString();
  if (failures.length > 0 && results.length === 0) {
    const first = failures[0]!;
    return reply.code(first.httpStatus).send(first.original.body());
  }
  if (failures.length > 0) {
    return reply.code(207).send({ status: 'COMPLETE', results, numErrors: failures.length, errors: failures.map((f) => f.error), startedAt, completedAt });
  }
  return reply.code(okStatus).send({ status: 'COMPLETE', results, startedAt, completedAt });
}

function parseFilterGroups(value: unknown): FilterGroup[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('filterGroups must be an array');
  if (value.length > 5) throw badRequest('Too many filter groups: the maximum is 5');
  let total = 0;
  const groups = value.map((g) => {
    const filters = asBody(g)['filters'];
    if (!Array.isArray(filters)) throw badRequest('Each filter group needs filters');
    if (filters.length > 6) throw badRequest('Too many filters in a group: the maximum is 6');
    total += filters.length;
    return {
      filters: filters.map((f) => {
        const filter = asBody(f);
        const operator = typeof filter['operator'] === 'string' ? filter['operator'] : 'EQ';
        if (!(FILTER_OPERATORS as readonly string[]).includes(operator)) {
          throw badRequest(`Invalid input JSON on line 1: Cannot deserialize value of type FilterOperatorEnum from String "${operator}"`);
        }
        if (typeof filter['propertyName'] !== 'string') throw badRequest('propertyName is required on every filter');
        return {
          propertyName: filter['propertyName'],
          operator: operator as (typeof FILTER_OPERATORS)[number],
          ...(filter['value'] !== undefined && filter['value'] !== null ? { value: text(filter['value']) } : {}),
          ...(filter['highValue'] !== undefined && filter['highValue'] !== null ? { highValue: text(filter['highValue']) } : {}),
          ...(Array.isArray(filter['values']) ? { values: (filter['values'] as unknown[]).map((v) => text(v as string)) } : {}),
        };
      }),
    };
  });
  if (total > 18) throw badRequest('Too many filters: the maximum is 18 across all groups');
  return groups;
}

export function registerObjectRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  /** Validate, create, then attach inline associations (all or nothing per input). */
  const createOne = (type: ObjectType, input: Body): HsRecord => {
    const { store } = ctx;
    const values = store.validate(type, propertiesOf(input, 'SimplePublicObjectInputForCreate'), 'create');
    const associations = (Array.isArray(input['associations']) ? input['associations'] : []) as InlineAssociation[];
    const planned = associations.map((a) => {
      const toId = text(a?.to?.id ?? '');
      const types = Array.isArray(a?.types) ? a.types : [];
      if (types.length === 0) throw badRequest('Each association needs at least one type');
      return types.map((t) => {
        const typeId = Number(t.associationTypeId);
        const toType = OBJECT_TYPES.find((candidate) => associationTypes(type, candidate).some((d) => d.typeId === typeId));
        if (toType === undefined) throw badRequest(`${typeId} is not a valid association type id for ${type}`);
        if (store.get(toType, toId) === undefined) throw badRequest(`Association target ${OBJECT_TYPE_INFO[toType].singular} ${toId} does not exist`);
        return { toType, toId, typeId };
      });
    }).flat();
    const record = store.insert(type, values);
    for (const a of planned) store.associate(type, record.id, a.toType, a.toId, a.typeId);
    return record;
  };

  // ----- basic -----
  app.get<{ Params: { objectType: string }; Querystring: Query }>('/crm/v3/objects/:objectType', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const q = request.query;
    const limit = intParam(q['limit'], 'limit', 10, MAX_PAGE);
    const after = q['after'] === undefined ? undefined : text(q['after']);
    const page = ctx.store.page(type, after, limit, text(q['archived']) === 'true');
    const properties = listParam(q['properties']);
    const associations = associationParam(q['associations']);
    return {
      results: page.results.map((r) => toApiObject(ctx.store, r, properties, associations)),
      ...(page.nextAfter !== undefined ? { paging: { next: { after: page.nextAfter, link: `?after=${page.nextAfter}` } } } : {}),
    };
  });

  app.get<{ Params: { objectType: string; objectId: string }; Querystring: Query }>('/crm/v3/objects/:objectType/:objectId', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const q = request.query;
    const idProperty = q['idProperty'] === undefined ? undefined : text(q['idProperty']);
    const record = text(q['archived']) === 'true'
      ? ctx.store.archived.get(type)?.get(request.params.objectId)
      : ctx.store.resolve(type, request.params.objectId, idProperty);
    if (record === undefined) throw notFound();
    return toApiObject(ctx.store, record, listParam(q['properties']), associationParam(q['associations']));
  });

  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType', async (request, reply) => {
    const type = objectTypeOf(request.params.objectType);
    const record = createOne(type, asBody(request.body));
    return reply.code(201).send(toApiObject(ctx.store, record, 'all'));
  });

  app.patch<{ Params: { objectType: string; objectId: string }; Querystring: Query }>('/crm/v3/objects/:objectType/:objectId', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const idProperty = request.query['idProperty'] === undefined ? undefined : text(request.query['idProperty']);
    const record = ctx.store.resolve(type, request.params.objectId, idProperty);
    if (record === undefined) throw notFound();
    const values = ctx.store.validate(type, propertiesOf(asBody(request.body)), 'update');
    ctx.store.patch(record, values);
    return toApiObject(ctx.store, record, 'all');
  });

  app.delete<{ Params: { objectType: string; objectId: string } }>('/crm/v3/objects/:objectType/:objectId', async (request, reply) => {
    const type = objectTypeOf(request.params.objectType);
    ctx.store.archive(type, request.params.objectId);
    return reply.code(204).send();
  });

  // ----- batch -----
  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType/batch/create', async (request, reply) => {
    const type = objectTypeOf(request.params.objectType);
    const startedAt = new Date().toISOString();
    const results: unknown[] = [];
    const failures: ReturnType<typeof batchErrorOf>[] = [];
    for (const input of inputsOf(asBody(request.body), { fields: ['properties'], model: 'SimplePublicObjectInputForCreate' })) {
      const traceId = typeof input['objectWriteTraceId'] === 'string' ? input['objectWriteTraceId'] : undefined;
      try {
        const record = createOne(type, input);
        results.push({ ...toApiObject(ctx.store, record, 'all'), ...(traceId !== undefined ? { objectWriteTraceId: traceId } : {}) });
      } catch (err) {
        failures.push(batchErrorOf(err, traceId));
      }
    }
    return sendBatch(reply, 201, startedAt, results, failures);
  });

  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType/batch/read', async (request, reply) => {
    const type = objectTypeOf(request.params.objectType);
    const startedAt = new Date().toISOString();
    const body = asBody(request.body);
    const inputs = inputsOf(body, { fields: ['id'], model: 'SimplePublicObjectId' });
    const idProperty = typeof body['idProperty'] === 'string' ? body['idProperty'] : undefined;
    const properties = Array.isArray(body['properties']) ? (body['properties'] as unknown[]).map(String) : undefined;
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const id = text(input['id']);
      const record = ctx.store.resolve(type, id, idProperty);
      if (record === undefined) missing.push(id);
      else results.push(toApiObject(ctx.store, record, properties));
    }
    const completedAt = new Date().toISOString();
    if (missing.length > 0) {
      return reply.code(207).send({
        status: 'COMPLETE', results, numErrors: 1, startedAt, completedAt,
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not get some ${OBJECT_TYPE_INFO[type].singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: missing }, links: {}, errors: [] }],
      });
    }
    return reply.code(200).send({ status: 'COMPLETE', results, startedAt, completedAt });
  });

  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType/batch/update', async (request, reply) => {
    const type = objectTypeOf(request.params.objectType);
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(asBody(request.body), { fields: ['id', 'properties'], model: 'SimplePublicObjectBatchInput' });
    const ids = inputs.map((i) => text(i['id'] as string));
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dupes.length > 0) throw badRequest(`Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`);
    const results: unknown[] = [];
    const failures: ReturnType<typeof batchErrorOf>[] = [];
    for (const input of inputs) {
      const traceId = typeof input['objectWriteTraceId'] === 'string' ? input['objectWriteTraceId'] : undefined;
      const id = text(input['id']);
      try {
        const idProperty = typeof input['idProperty'] === 'string' ? input['idProperty'] : undefined;
        const record = ctx.store.resolve(type, id, idProperty);
        if (record === undefined) throw notFound(`Object ${id} not found`);
        ctx.store.patch(record, ctx.store.validate(type, propertiesOf(input), 'update'));
        results.push(toApiObject(ctx.store, record, 'all'));
      } catch (err) {
        failures.push(batchErrorOf(err, traceId, { ids: [id] }));
      }
    }
    return sendBatch(reply, 200, startedAt, results, failures);
  });

  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType/batch/upsert', async (request, reply) => {
    const type = objectTypeOf(request.params.objectType);
    const startedAt = new Date().toISOString();
    const inputs = inputsOf(asBody(request.body), { fields: ['id', 'properties'], model: 'SimplePublicObjectBatchInputUpsert' });
    const keys = inputs.map((i) => text(i['id'] as string).toLowerCase());
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (dupes.length > 0) throw badRequest(`Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`);
    const results: unknown[] = [];
    const failures: ReturnType<typeof batchErrorOf>[] = [];
    for (const input of inputs) {
      const traceId = typeof input['objectWriteTraceId'] === 'string' ? input['objectWriteTraceId'] : undefined;
      const id = text(input['id']);
      try {
        const idProperty = typeof input['idProperty'] === 'string' ? input['idProperty'] : undefined;
        if (idProperty === undefined) throw badRequest('idProperty is required for upsert');
        const existing = ctx.store.resolve(type, id, idProperty);
        if (existing !== undefined) {
          ctx.store.patch(existing, ctx.store.validate(type, propertiesOf(input), 'update'));
          results.push({ ...toApiObject(ctx.store, existing, 'all'), new: false });
        } else {
          const record = createOne(type, { ...input, properties: { ...propertiesOf(input), [idProperty]: id } });
          results.push({ ...toApiObject(ctx.store, record, 'all'), new: true });
        }
      } catch (err) {
        failures.push(batchErrorOf(err, traceId, { ids: [id] }));
      }
    }
    return sendBatch(reply, 200, startedAt, results, failures);
  });

  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType/batch/archive', async (request, reply) => {
    const type = objectTypeOf(request.params.objectType);
    for (const input of inputsOf(asBody(request.body), { fields: ['id'], model: 'SimplePublicObjectId' })) ctx.store.archive(type, text(input['id']));
    return reply.code(204).send();
  });

  // ----- search -----
  app.post<{ Params: { objectType: string } }>('/crm/v3/objects/:objectType/search', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const body = asBody(request.body);
    const limit = body['limit'] === undefined ? 10 : Number(body['limit']);
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_SEARCH_PAGE) throw badRequest(`limit must be between 0 and ${MAX_SEARCH_PAGE}`);
    const after = body['after'] === undefined || body['after'] === null || body['after'] === '' ? 0 : Number(body['after']);
    if (!Number.isInteger(after) || after < 0) throw badRequest('after must be a non-negative integer');
    const filterGroups = parseFilterGroups(body['filterGroups']);
    const sorts = normalizeSorts(body['sorts']);
    const query = typeof body['query'] === 'string' ? body['query'] : undefined;
    const result = ctx.store.search(type, { filterGroups, sorts, after, limit, ...(query !== undefined ? { query } : {}) });
    const properties = Array.isArray(body['properties']) ? (body['properties'] as unknown[]).map(String) : undefined;
    return {
      total: result.total,
      results: result.results.map((r) => toApiObject(ctx.store, r, properties)),
      ...(result.nextAfter !== undefined ? { paging: { next: { after: result.nextAfter } } } : {}),
    };
  });
}
