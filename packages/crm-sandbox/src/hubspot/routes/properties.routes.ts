import { text } from '../text.js';
import type { FastifyInstance } from 'fastify';
import { HubspotError, badRequest } from '../errors.js';
import { defineProperty, makeOptions, serializeProperty, type FieldType, type PropertyDefinition, type PropertyType } from '../properties.js';
import type { HubspotContext } from '../context.js';
import type { ObjectType } from '../object-types.js';
import { objectTypeOf } from './objects.routes.js';

const TYPES: PropertyType[] = ['string', 'number', 'enumeration', 'datetime', 'date', 'bool', 'phone_number'];
const FIELD_TYPES: FieldType[] = ['text', 'textarea', 'html', 'number', 'select', 'radio', 'checkbox', 'booleancheckbox', 'date', 'calculation_equation', 'phonenumber', 'file'];

type Body = Record<string, unknown>;

function asBody(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}

function optionsOf(value: unknown): PropertyDefinition['options'] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((o, i) => {
    const opt = asBody(o);
    return {
      label: text(opt['label'] ?? opt['value'] ?? ''),
      value: text(opt['value'] ?? ''),
      displayOrder: typeof opt['displayOrder'] === 'number' ? opt['displayOrder'] : i,
      hidden: opt['hidden'] === true,
      ...(typeof opt['description'] === 'string' ? { description: opt['description'] } : {}),
    };
  });
}

const propertyNotFound = (type: ObjectType, name: string): HubspotError =>
  new HubspotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name} for object type ${type}`);

/** Create a custom property definition (shared with the control API's addProperty). */
export function createPropertyDefinition(ctx: HubspotContext, type: ObjectType, body: Body): PropertyDefinition {
  const name = body['name'];
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(name)) throw badRequest('name is required and must be lower-case letters, digits and underscores');
  for (const field of ['label', 'type', 'fieldType', 'groupName']) {
    if (typeof body[field] !== 'string') throw badRequest(`${field} is required`);
  }
  const ptype = body['type'] as PropertyType;
  const fieldType = body['fieldType'] as FieldType;
  if (!TYPES.includes(ptype)) throw badRequest(`type must be one of ${TYPES.join(', ')}`);
  if (!FIELD_TYPES.includes(fieldType)) throw badRequest(`fieldType must be one of ${FIELD_TYPES.join(', ')}`);
  const map = ctx.store.propertyMap(type);
  const existing = map.get(name);
  if (existing !== undefined && !existing.archived) {
    throw new HubspotError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${name}' already exists.`);
  }
  const def = defineProperty(name, { custom: true, label: body['label'] as string, type: ptype, fieldType, group: body['groupName'] as string,
    ...(typeof body['description'] === 'string' ? { description: body['description'] } : {}) });
  const options = optionsOf(body['options']);
  if (ptype === 'enumeration') {
    if (options === undefined || options.length === 0) throw badRequest('enumeration properties need options');
    def.options = options;
  } else if (ptype === 'bool') {
    def.options = options ?? makeOptions([['true', 'Yes'], ['false', 'No']]);
  }
  if (body['hasUniqueValue'] === true) def.hasUniqueValue = true;
  if (body['hidden'] === true) def.hidden = true;
  if (typeof body['displayOrder'] === 'number') def.displayOrder = body['displayOrder'];
  if (typeof body['formField'] === 'boolean') def.formField = body['formField'];
  const now = new Date().toISOString();
  def.createdAt = now;
  def.updatedAt = now;
  map.set(name, def);
  ctx.store.bulkDone();
  return def;
}

/** Archive a custom property (HubSpot refuses for its own properties). */
export function archivePropertyDefinition(ctx: HubspotContext, type: ObjectType, name: string, force = false): void {
  const map = ctx.store.propertyMap(type);
  const def = map.get(name);
  if (def === undefined || def.archived) throw propertyNotFound(type, name);
  if (!def.modificationMetadata.archivable && !force) throw badRequest(`Property ${name} is a HubSpot-defined property and cannot be archived`);
  def.archived = true;
  def.updatedAt = new Date().toISOString();
  ctx.store.bulkDone();
}

export function registerPropertyRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  app.get<{ Params: { objectType: string }; Querystring: Record<string, unknown> }>('/crm/v3/properties/:objectType', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const archived = text(request.query['archived']) === 'true';
    const results = [...ctx.store.propertyMap(type).values()].filter((p) => p.archived === archived).map(serializeProperty);
    return { results };
  });

  app.get<{ Params: { objectType: string } }>('/crm/v3/properties/:objectType/groups', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const names = [...new Set([...ctx.store.propertyMap(type).values()].map((p) => p.groupName))];
    return { results: names.map((name, i) => ({ name, label: name.replace(/_/g, ' '), displayOrder: i, archived: false })) };
  });

  app.get<{ Params: { objectType: string; propertyName: string }; Querystring: Record<string, unknown> }>('/crm/v3/properties/:objectType/:propertyName', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const def = ctx.store.propertyMap(type).get(request.params.propertyName);
    const archived = text(request.query['archived']) === 'true';
    if (def === undefined || def.archived !== archived) throw propertyNotFound(type, request.params.propertyName);
    return serializeProperty(def);
  });

  app.post<{ Params: { objectType: string } }>('/crm/v3/properties/:objectType', async (request, reply) => {
    const type = objectTypeOf(request.params.objectType);
    return reply.code(201).send(serializeProperty(createPropertyDefinition(ctx, type, asBody(request.body))));
  });

  app.post<{ Params: { objectType: string } }>('/crm/v3/properties/:objectType/batch/read', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const body = asBody(request.body);
    const inputs = Array.isArray(body['inputs']) ? body['inputs'] : [];
    const map = ctx.store.propertyMap(type);
    const results = inputs
      .map((i) => map.get(text(asBody(i)['name'] as string)))
      .filter((d): d is PropertyDefinition => d !== undefined && d.archived === (body['archived'] === true))
      .map(serializeProperty);
    return { status: 'COMPLETE', results, startedAt: new Date().toISOString(), completedAt: new Date().toISOString() };
  });

  app.patch<{ Params: { objectType: string; propertyName: string } }>('/crm/v3/properties/:objectType/:propertyName', async (request) => {
    const type = objectTypeOf(request.params.objectType);
    const def = ctx.store.propertyMap(type).get(request.params.propertyName);
    if (def === undefined || def.archived) throw propertyNotFound(type, request.params.propertyName);
    const body = asBody(request.body);
    if (def.modificationMetadata.readOnlyDefinition && (body['type'] !== undefined || body['fieldType'] !== undefined || body['options'] !== undefined)) {
      throw badRequest(`Property ${def.name} is a HubSpot-defined property: its type, field type and options cannot be changed`);
    }
    if (typeof body['label'] === 'string') def.label = body['label'];
    if (typeof body['description'] === 'string') def.description = body['description'];
    if (typeof body['groupName'] === 'string') def.groupName = body['groupName'];
    if (typeof body['hidden'] === 'boolean') def.hidden = body['hidden'];
    if (typeof body['displayOrder'] === 'number') def.displayOrder = body['displayOrder'];
    if (typeof body['formField'] === 'boolean') def.formField = body['formField'];
    if (typeof body['type'] === 'string') {
      if (!TYPES.includes(body['type'] as PropertyType)) throw badRequest(`type must be one of ${TYPES.join(', ')}`);
      def.type = body['type'] as PropertyType;
    }
    if (typeof body['fieldType'] === 'string') {
      if (!FIELD_TYPES.includes(body['fieldType'] as FieldType)) throw badRequest(`fieldType must be one of ${FIELD_TYPES.join(', ')}`);
      def.fieldType = body['fieldType'] as FieldType;
    }
    const options = optionsOf(body['options']);
    if (options !== undefined) def.options = options;
    def.updatedAt = new Date().toISOString();
    ctx.store.bulkDone();
    return serializeProperty(def);
  });

  app.delete<{ Params: { objectType: string; propertyName: string } }>('/crm/v3/properties/:objectType/:propertyName', async (request, reply) => {
    archivePropertyDefinition(ctx, objectTypeOf(request.params.objectType), request.params.propertyName);
    return reply.code(204).send();
  });
}
