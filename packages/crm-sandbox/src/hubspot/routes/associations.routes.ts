import { text } from '../text.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { OBJECT_TYPE_INFO, associationTypes, type ObjectType } from '../object-types.js';
import { HubspotError, badRequest, requireFields } from '../errors.js';
import type { HubspotContext } from '../context.js';
import { objectTypeOf } from './objects.routes.js';

type Body = Record<string, unknown>;

function asBody(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}

/** AssociationSpec: `associationCategory` and `associationTypeId` are both required (HubSpot answers 400 without them). */
function typeSpecs(value: unknown): { category: string; typeId: number }[] {
  if (!Array.isArray(value) || value.length === 0) throw badRequest('At least one association type is required');
  const specs = value.map(asBody);
  for (const spec of specs) requireFields(spec, ['associationCategory', 'associationTypeId'], 'AssociationSpec');
  return specs.map((spec) => {
    const typeId = Number(spec['associationTypeId']);
    if (!Number.isInteger(typeId)) throw badRequest('associationTypeId must be an integer');
    const category = text(spec['associationCategory']);
    if (category !== 'HUBSPOT_DEFINED') throw badRequest(`The sandbox supports HUBSPOT_DEFINED association types only (got ${category})`);
    return { category, typeId };
  });
}

function labelsBetween(from: ObjectType, fromId: string, to: ObjectType, toId: string, typeIds: number[]): Record<string, unknown> {
  const defs = associationTypes(from, to);
  return {
    fromObjectTypeId: OBJECT_TYPE_INFO[from].objectTypeId,
    fromObjectId: Number(fromId),
    toObjectTypeId: OBJECT_TYPE_INFO[to].objectTypeId,
    toObjectId: Number(toId),
    labels: typeIds.map((t) => defs.find((d) => d.typeId === t)?.label).filter((l): l is string => typeof l === 'string'),
  };
}

function associationTypesJson(from: ObjectType, to: ObjectType, typeIds: number[]): { category: string; typeId: number; label: string | null }[] {
  const defs = associationTypes(from, to);
  return typeIds.map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId, label: defs.find((d) => d.typeId === typeId)?.label ?? null }));
}

function batchReply(reply: FastifyReply, okStatus: number, results: unknown[], errors: unknown[]): FastifyReply {
  const times = { startedAt: new Date().toISOString(), completedAt: new Date().toISOString() };
  if (errors.length > 0) return reply.code(207).send({ status: 'COMPLETE', results, numErrors: errors.length, errors, ...times });
  return reply.code(okStatus).send({ status: 'COMPLETE', results, ...times });
}

/** A 207 per-input error in HubSpot's StandardError shape (links and errors are required there). */
function errorEntry(err: unknown, context: Record<string, string[]>): Record<string, unknown> {
  if (!(err instanceof HubspotError)) throw err;
  return { status: 'error', category: err.category, message: err.message, context, links: {}, errors: err.extra.errors ?? [] };
}

export function registerAssociationRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  type Pair = { Params: { fromObjectType: string; fromObjectId: string; toObjectType: string; toObjectId: string } };

  app.put<Pair>('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/:toObjectType/:toObjectId', async (request, reply) => {
    const from = objectTypeOf(request.params.fromObjectType);
    const to = objectTypeOf(request.params.toObjectType);
    const { fromObjectId, toObjectId } = request.params;
    const specs = typeSpecs(request.body);
    for (const spec of specs) ctx.store.associate(from, fromObjectId, to, toObjectId, spec.typeId);
    const typeIds = ctx.store.associated(from, fromObjectId, to).find((a) => a.toId === toObjectId)?.typeIds ?? [];
    return reply.code(201).send(labelsBetween(from, fromObjectId, to, toObjectId, typeIds));
  });

  app.put<Pair>('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId', async (request, reply) => {
    const from = objectTypeOf(request.params.fromObjectType);
    const to = objectTypeOf(request.params.toObjectType);
    const { fromObjectId, toObjectId } = request.params;
    const def = ctx.store.associateDefault(from, fromObjectId, to, toObjectId);
    const times = { startedAt: new Date().toISOString(), completedAt: new Date().toISOString() };
    return reply.code(200).send({
      status: 'COMPLETE',
      results: [
        { from: { id: fromObjectId }, to: { id: toObjectId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.typeId } },
        { from: { id: toObjectId }, to: { id: fromObjectId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.inverse } },
      ],
      ...times,
    });
  });

  app.delete<Pair>('/crm/v4/objects/:fromObjectType/:fromObjectId/associations/:toObjectType/:toObjectId', async (request, reply) => {
    const from = objectTypeOf(request.params.fromObjectType);
    const to = objectTypeOf(request.params.toObjectType);
    ctx.store.dissociate(from, request.params.fromObjectId, to, request.params.toObjectId);
    return reply.code(204).send();
  });

  app.get<{ Params: { objectType: string; objectId: string; toObjectType: string }; Querystring: Record<string, unknown> }>(
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType',
    async (request) => {
      const from = objectTypeOf(request.params.objectType);
      const to = objectTypeOf(request.params.toObjectType);
      const limit = Math.min(500, Number(request.query['limit'] ?? 500) || 500);
      const after = request.query['after'] === undefined ? undefined : Number(request.query['after']);
      const all = ctx.store.associated(from, request.params.objectId, to).filter((a) => after === undefined || Number(a.toId) > after);
      const page = all.slice(0, limit);
      const last = page[page.length - 1];
      return {
        results: page.map((a) => ({ toObjectId: Number(a.toId), associationTypes: associationTypesJson(from, to, a.typeIds) })),
        ...(all.length > limit && last ? { paging: { next: { after: last.toId } } } : {}),
      };
    },
  );

  type BatchParams = { Params: { fromObjectType: string; toObjectType: string } };
  /** The batch's inputs, each with the fields its model requires (else the whole request is a 400, nothing applied). */
  const batchInputs = (body: unknown, required: { fields: string[]; model: string }): Body[] => {
    const inputs = asBody(body)['inputs'];
    if (!Array.isArray(inputs)) throw badRequest('inputs is required');
    if (inputs.length > 1000) throw badRequest(`Batch input limit exceeded: ${inputs.length} inputs, the maximum is 1000.`);
    const out = inputs.map(asBody);
    for (const input of out) requireFields(input, required.fields, required.model);
    return out;
  };
  const idOf = (value: unknown): string => text(asBody(value)['id']);

  app.post<BatchParams>('/crm/v4/associations/:fromObjectType/:toObjectType/batch/create', async (request, reply) => {
    const from = objectTypeOf(request.params.fromObjectType);
    const to = objectTypeOf(request.params.toObjectType);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    const inputs = batchInputs(request.body, { fields: ['from', 'to', 'types'], model: 'PublicAssociationMultiPost' });
    for (const input of inputs) typeSpecs(input['types']);
    for (const input of inputs) {
      const fromId = idOf(input['from']);
      const toId = idOf(input['to']);
      try {
        for (const spec of typeSpecs(input['types'])) ctx.store.associate(from, fromId, to, toId, spec.typeId);
        const typeIds = ctx.store.associated(from, fromId, to).find((a) => a.toId === toId)?.typeIds ?? [];
        results.push(labelsBetween(from, fromId, to, toId, typeIds));
      } catch (err) {
        errors.push(errorEntry(err, { fromId: [fromId], toId: [toId] }));
      }
    }
    if (results.length === 0 && errors.length > 0) {
      return reply.code(400).send({ status: 'error', category: 'VALIDATION_ERROR', message: 'No associations could be created', correlationId: crypto.randomUUID(), errors });
    }
    return batchReply(reply, 201, results, errors);
  });

  app.post<BatchParams>('/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default', async (request, reply) => {
    const from = objectTypeOf(request.params.fromObjectType);
    const to = objectTypeOf(request.params.toObjectType);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of batchInputs(request.body, { fields: ['from', 'to'], model: 'PublicDefaultAssociationMultiPost' })) {
      const fromId = idOf(input['from']);
      const toId = idOf(input['to']);
      try {
        const def = ctx.store.associateDefault(from, fromId, to, toId);
        results.push({ from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.typeId } });
      } catch (err) {
        errors.push(errorEntry(err, { fromId: [fromId], toId: [toId] }));
      }
    }
    // HubSpot's description (and the SDK, which throws on anything else) has only 200 here: per-input errors ride
    // in the same 200 body (BatchResponsePublicDefaultAssociation has errors and numErrors).
    const times = { startedAt: new Date().toISOString(), completedAt: new Date().toISOString() };
    return reply.code(200).send({ status: 'COMPLETE', results, ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}), ...times });
  });

  app.post<BatchParams>('/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', async (request, reply) => {
    const from = objectTypeOf(request.params.fromObjectType);
    const to = objectTypeOf(request.params.toObjectType);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of batchInputs(request.body, { fields: ['id'], model: 'PublicFetchAssociationsBatchRequest' })) {
      const fromId = text(input['id']);
      const assoc = ctx.store.associated(from, fromId, to);
      if (assoc.length === 0) {
        errors.push({
          status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${OBJECT_TYPE_INFO[to].singular} is associated with ${OBJECT_TYPE_INFO[from].singular} ${fromId}.`,
          context: { fromObjectId: [fromId] }, links: {}, errors: [],
        });
        continue;
      }
      results.push({ from: { id: fromId }, to: assoc.map((a) => ({ toObjectId: Number(a.toId), associationTypes: associationTypesJson(from, to, a.typeIds) })) });
    }
    return batchReply(reply, 200, results, errors);
  });

  app.post<BatchParams>('/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive', async (request, reply) => {
    const from = objectTypeOf(request.params.fromObjectType);
    const to = objectTypeOf(request.params.toObjectType);
    for (const input of batchInputs(request.body, { fields: ['from', 'to'], model: 'PublicAssociationMultiArchive' })) {
      const fromId = idOf(input['from']);
      const targets = Array.isArray(input['to']) ? input['to'] : [input['to']];
      for (const target of targets) ctx.store.dissociate(from, fromId, to, idOf(target));
    }
    return reply.code(204).send();
  });

  app.post<BatchParams>('/crm/v4/associations/:fromObjectType/:toObjectType/batch/labels/archive', async (request, reply) => {
    const from = objectTypeOf(request.params.fromObjectType);
    const to = objectTypeOf(request.params.toObjectType);
    const inputs = batchInputs(request.body, { fields: ['from', 'to', 'types'], model: 'PublicAssociationMultiPost' });
    for (const input of inputs) typeSpecs(input['types']);
    for (const input of inputs) {
      const fromId = idOf(input['from']);
      const toId = idOf(input['to']);
      const remove = new Set(typeSpecs(input['types']).map((s) => s.typeId));
      const current = ctx.store.associated(from, fromId, to).find((a) => a.toId === toId)?.typeIds ?? [];
      ctx.store.dissociate(from, fromId, to, toId);
      for (const typeId of current) if (!remove.has(typeId)) ctx.store.associate(from, fromId, to, toId, typeId);
    }
    return reply.code(204).send();
  });
}
