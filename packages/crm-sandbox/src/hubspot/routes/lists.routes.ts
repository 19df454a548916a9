import { text } from '../text.js';
import type { FastifyInstance } from 'fastify';
import { HubspotError, badRequest, requireFields } from '../errors.js';
import type { HubspotContext } from '../context.js';
import type { HsList, ListProcessingType } from '../store.js';
import type { FilterGroup, FilterOperator, SearchFilter } from '../search.js';

type Body = Record<string, unknown>;

function asBody(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}

// Lists v3 filter operators ↔ the search operators the sandbox evaluates.
const TO_LIST_OPERATOR: Record<FilterOperator, string> = {
  EQ: 'IS_EQUAL_TO', NEQ: 'IS_NOT_EQUAL_TO', LT: 'IS_LESS_THAN', LTE: 'IS_LESS_THAN_OR_EQUAL_TO', GT: 'IS_GREATER_THAN',
  GTE: 'IS_GREATER_THAN_OR_EQUAL_TO', BETWEEN: 'IS_BETWEEN', IN: 'IS_ANY_OF', NOT_IN: 'IS_NONE_OF', HAS_PROPERTY: 'IS_KNOWN',
  NOT_HAS_PROPERTY: 'IS_UNKNOWN', CONTAINS_TOKEN: 'CONTAINS', NOT_CONTAINS_TOKEN: 'DOES_NOT_CONTAIN',
};
const FROM_LIST_OPERATOR = new Map(Object.entries(TO_LIST_OPERATOR).map(([k, v]) => [v, k as FilterOperator]));

const listNotFound = (id: string): HubspotError => new HubspotError(404, 'OBJECT_NOT_FOUND', `List ${id} does not exist.`);

/** HubSpot's filterBranch (OR of AND branches) for a list defined by filter groups. */
export function toFilterBranch(groups: FilterGroup[], typeOf: (name: string) => string | undefined): unknown {
  return {
    filterBranchType: 'OR',
    filterBranchOperator: 'OR',
    filters: [],
    filterBranches: groups.map((g) => ({
      filterBranchType: 'AND',
      filterBranchOperator: 'AND',
      filterBranches: [],
      filters: g.filters.map((f) => {
        const ptype = typeOf(f.propertyName);
        const known = f.operator === 'HAS_PROPERTY' || f.operator === 'NOT_HAS_PROPERTY';
        const operationType = known ? 'ALL_PROPERTY' : ptype === 'number' ? (f.operator === 'BETWEEN' ? 'NUMBER_RANGED' : 'NUMBER') : ptype === 'enumeration' ? 'ENUMERATION' : ptype === 'datetime' || ptype === 'date' ? 'TIME_POINT' : 'MULTISTRING';
        // Enumerations only know set operators: a single-value equality is IS_ANY_OF / IS_NONE_OF of one value.
        const operator = operationType === 'ENUMERATION' && (f.operator === 'EQ' || f.operator === 'NEQ') ? (f.operator === 'EQ' ? 'IS_ANY_OF' : 'IS_NONE_OF') : TO_LIST_OPERATOR[f.operator];
        const operation: Record<string, unknown> = { operationType, operator, includeObjectsWithNoValueSet: false };
        const values = f.values ?? (f.value !== undefined ? [f.value] : undefined);
        // The shapes of HubSpot's operation models: MULTISTRING and ENUMERATION carry `values` (strings), NUMBER a
        // numeric `value`, NUMBER_RANGED numeric `lowerBound` / `upperBound`.
        if (operationType === 'NUMBER_RANGED') {
          operation['lowerBound'] = Number(f.value);
          operation['upperBound'] = Number(f.highValue);
        } else if (operationType === 'NUMBER') {
          if (f.value !== undefined) operation['value'] = Number(f.value);
        } else if (operationType === 'MULTISTRING' || operationType === 'ENUMERATION') {
          if (values !== undefined) operation['values'] = values;
        } else if (!known) {
          if (f.value !== undefined) operation['value'] = f.value;
          if (f.highValue !== undefined) operation['highValue'] = f.highValue;
        }
        return { filterType: 'PROPERTY', property: f.propertyName, operation };
      }),
    })),
  };
}

/** Accepts HubSpot's filterBranch (PROPERTY filters in AND branches under an OR root). */
export function fromFilterBranch(branch: unknown): FilterGroup[] {
  const root = asBody(branch);
  const andBranches = Array.isArray(root['filterBranches']) && root['filterBranches'].length > 0 ? root['filterBranches'] : [root];
  return andBranches.map((b) => {
    const filters = Array.isArray(asBody(b)['filters']) ? (asBody(b)['filters'] as unknown[]) : [];
    return {
      filters: filters.map((raw): SearchFilter => {
        const f = asBody(raw);
        const operation = asBody(f['operation']);
        const operator = FROM_LIST_OPERATOR.get(text(operation['operator']));
        if (f['filterType'] !== 'PROPERTY' || typeof f['property'] !== 'string' || operator === undefined) {
          throw badRequest('The sandbox supports PROPERTY filters with IS_EQUAL_TO, IS_NOT_EQUAL_TO, IS_ANY_OF, IS_NONE_OF, CONTAINS, DOES_NOT_CONTAIN, IS_KNOWN, IS_UNKNOWN, IS_(GREATER|LESS)_THAN[_OR_EQUAL_TO], IS_BETWEEN');
        }
        const values = Array.isArray(operation['values']) ? (operation['values'] as unknown[]).map((v) => text(v as string)) : undefined;
        // NUMBER_RANGED carries lowerBound / upperBound; the others value (a number for NUMBER) or values.
        const value = operation['value'] !== undefined ? text(operation['value']) : operation['lowerBound'] !== undefined ? text(operation['lowerBound']) : undefined;
        const highValue = operation['highValue'] ?? operation['upperBound'];
        if ((operator === 'EQ' || operator === 'NEQ' || operator === 'CONTAINS_TOKEN' || operator === 'NOT_CONTAINS_TOKEN') && values !== undefined && values.length > 1) {
          return { propertyName: f['property'], operator: operator === 'EQ' || operator === 'CONTAINS_TOKEN' ? 'IN' : 'NOT_IN', values };
        }
        return {
          propertyName: f['property'],
          operator,
          ...(value !== undefined ? { value } : values?.[0] !== undefined && operator !== 'IN' && operator !== 'NOT_IN' ? { value: values[0] } : {}),
          ...(values !== undefined && (operator === 'IN' || operator === 'NOT_IN') ? { values } : {}),
          ...(highValue !== undefined ? { highValue: text(highValue) } : {}),
        };
      }),
    };
  });
}

function listJson(ctx: HubspotContext, list: HsList, includeFilters: boolean): Record<string, unknown> {
  return {
    listId: list.listId,
    listVersion: list.listVersion,
    name: list.name,
    objectTypeId: list.objectTypeId,
    processingType: list.processingType,
    processingStatus: 'COMPLETE',
    size: list.members.size,
    createdAt: new Date(list.createdAt).toISOString(),
    updatedAt: new Date(list.updatedAt).toISOString(),
    filtersUpdatedAt: new Date(list.createdAt).toISOString(),
    createdById: '9100001',
    updatedById: '9100001',
    ...(list.deletedAt !== undefined ? { deletedAt: new Date(list.deletedAt).toISOString() } : {}),
    ...(includeFilters && list.filterGroups !== undefined && list.processingType !== 'MANUAL'
      ? { filterBranch: toFilterBranch(list.filterGroups, ctx.store.propertyType('contacts')) } : {}),
  };
}

function searchResultJson(list: HsList): Record<string, unknown> {
  const last = Math.max(0, ...list.members.values());
  return {
    listId: list.listId,
    listVersion: list.listVersion,
    name: list.name,
    objectTypeId: list.objectTypeId,
    processingType: list.processingType,
    processingStatus: 'COMPLETE',
    createdAt: new Date(list.createdAt).toISOString(),
    updatedAt: new Date(list.updatedAt).toISOString(),
    filtersUpdatedAt: new Date(list.createdAt).toISOString(),
    createdById: '9100001',
    updatedById: '9100001',
    additionalProperties: {
      hs_list_size: text(list.members.size),
      hs_last_record_added_at: last > 0 ? text(last) : null,
      hs_list_reference_count: '0',
    },
  };
}

export function registerListRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const live = (id: string): HsList => {
    const list = ctx.store.lists.get(id);
    if (list === undefined || list.deletedAt !== undefined) throw listNotFound(id);
    return list;
  };
  const sortedMembers = (list: HsList): [string, number][] =>
    [...list.members.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));

  app.post('/crm/v3/lists/search', async (request) => {
    const body = asBody(request.body);
    const query = typeof body['query'] === 'string' ? body['query'].toLowerCase() : '';
    const types = Array.isArray(body['processingTypes']) ? (body['processingTypes'] as unknown[]).map(String) : undefined;
    const ids = Array.isArray(body['listIds']) ? (body['listIds'] as unknown[]).map(String) : undefined;
    const offset = Number(body['offset'] ?? 0) || 0;
    const count = Math.min(500, Number(body['count'] ?? 20) || 20);
    const matches = [...ctx.store.lists.values()]
      .filter((l) => l.deletedAt === undefined)
      .filter((l) => query === '' || l.name.toLowerCase().includes(query))
      .filter((l) => types === undefined || types.length === 0 || types.includes(l.processingType))
      .filter((l) => ids === undefined || ids.length === 0 || ids.includes(l.listId))
      .sort((a, b) => Number(a.listId) - Number(b.listId));
    const page = matches.slice(offset, offset + count);
    return { lists: page.map(searchResultJson), hasMore: offset + count < matches.length, offset: offset + page.length, total: matches.length };
  });

  const getLists = async (request: { query: Record<string, unknown> }): Promise<unknown> => {
    const raw = request.query['listIds'];
    const ids = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
    const lists = ids.map((id) => ctx.store.lists.get(id)).filter((l): l is HsList => l !== undefined && l.deletedAt === undefined);
    return { lists: lists.map((l) => listJson(ctx, l, text(request.query['includeFilters']) === 'true')) };
  };
  app.get<{ Querystring: Record<string, unknown> }>('/crm/v3/lists', getLists);

  const createList = async (request: { body: unknown }): Promise<unknown> => {
    const body = asBody(request.body);
    // ListCreateRequest requires name, objectTypeId and processingType: HubSpot invents no defaults.
    requireFields(body, ['name', 'objectTypeId', 'processingType'], 'ListCreateRequest');
    const name = body['name'];
    if (typeof name !== 'string' || name.trim() === '') throw badRequest('name is required');
    const processingType = text(body['processingType']) as ListProcessingType;
    if (!['MANUAL', 'SNAPSHOT', 'DYNAMIC'].includes(processingType)) throw badRequest('processingType must be MANUAL, SNAPSHOT or DYNAMIC');
    const objectTypeId = text(body['objectTypeId']);
    if (objectTypeId !== '0-1') throw badRequest('The sandbox supports contact lists (objectTypeId 0-1) only');
    if ([...ctx.store.lists.values()].some((l) => l.deletedAt === undefined && l.name === name)) {
      throw badRequest(`A list named '${name}' already exists.`);
    }
    let filterGroups: FilterGroup[] | undefined;
    if (processingType !== 'MANUAL') {
      if (Array.isArray(body['filterGroups'])) filterGroups = body['filterGroups'] as FilterGroup[];
      else if (body['filterBranch'] !== undefined) filterGroups = fromFilterBranch(body['filterBranch']);
      else throw badRequest(`${processingType} lists need a filterBranch`);
    }
    const at = Date.now();
    const list: HsList = {
      listId: ctx.store.allocateListId(), name, processingType, objectTypeId, createdAt: at, updatedAt: at, members: new Map(), listVersion: 1,
      ...(filterGroups !== undefined ? { filterGroups } : {}),
    };
    ctx.store.lists.set(list.listId, list);
    ctx.store.evaluateList(list, at);
    ctx.store.bulkDone();
    return { list: listJson(ctx, list, true) };
  };
  app.post('/crm/v3/lists', createList);

  app.get<{ Params: { listId: string }; Querystring: Record<string, unknown> }>('/crm/v3/lists/:listId', async (request) => {
    return { list: listJson(ctx, live(request.params.listId), text(request.query['includeFilters']) === 'true') };
  });

  app.delete<{ Params: { listId: string } }>('/crm/v3/lists/:listId', async (request, reply) => {
    const list = live(request.params.listId);
    list.deletedAt = Date.now();
    ctx.store.bulkDone();
    return reply.code(204).send();
  });

  app.put<{ Params: { listId: string } }>('/crm/v3/lists/:listId/restore', async (request, reply) => {
    const list = ctx.store.lists.get(request.params.listId);
    if (list === undefined || list.deletedAt === undefined) throw listNotFound(request.params.listId);
    delete list.deletedAt;
    ctx.store.bulkDone();
    return reply.code(204).send();
  });

  app.put<{ Params: { listId: string } }>('/crm/v3/lists/:listId/update-list-filters', async (request) => {
    const list = live(request.params.listId);
    if (list.processingType === 'MANUAL') throw badRequest('MANUAL lists have no filters');
    list.filterGroups = fromFilterBranch(asBody(request.body)['filterBranch']);
    list.listVersion += 1;
    list.updatedAt = Date.now();
    ctx.store.evaluateList(list, list.updatedAt);
    ctx.store.bulkDone();
    return { updatedList: listJson(ctx, list, true) };
  });

  app.get<{ Params: { listId: string }; Querystring: Record<string, unknown> }>('/crm/v3/lists/:listId/memberships', async (request) => {
    const list = live(request.params.listId);
    const limit = request.query['limit'] === undefined ? 100 : Number(request.query['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) throw badRequest('limit must be between 1 and 250');
    const all = sortedMembers(list);
    const after = request.query['after'] === undefined ? undefined : Number(request.query['after']);
    const start = after === undefined ? 0 : all.findIndex(([id]) => Number(id) > after);
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const hasMore = start >= 0 && start + limit < all.length;
    const last = page[page.length - 1];
    return {
      results: page.map(([recordId, at]) => ({ recordId, membershipTimestamp: new Date(at).toISOString() })),
      total: all.length,
      ...(hasMore && last ? { paging: { next: { after: last[0] } } } : {}),
    };
  });

  const editable = (list: HsList): void => {
    if (list.processingType === 'DYNAMIC') {
      throw badRequest(`List ${list.listId} is a DYNAMIC list: its memberships are managed by its filters`, { subCategory: 'ListMembershipsError.LIST_PROCESSING_TYPE_NOT_SUPPORTED' });
    }
  };
  const idsOf = (value: unknown): string[] => {
    if (!Array.isArray(value)) throw badRequest('Body must be an array of record ids');
    return value.map((v) => text(v as string));
  };
  const add = (list: HsList, ids: string[]): { added: string[]; missing: string[] } => {
    const added: string[] = [];
    const missing: string[] = [];
    const at = Date.now();
    for (const id of ids) {
      if (ctx.store.get('contacts', id) === undefined) missing.push(id);
      else if (!list.members.has(id)) {
        list.members.set(id, at);
        added.push(id);
      }
    }
    if (added.length > 0) {
      ctx.store.version += 1;
      list.updatedAt = at;
      list.listVersion += 1;
    }
    return { added, missing };
  };
  const remove = (list: HsList, ids: string[]): { removed: string[]; missing: string[] } => {
    const removed: string[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      if (list.members.delete(id)) removed.push(id);
      else missing.push(id);
    }
    if (removed.length > 0) {
      ctx.store.version += 1;
      list.updatedAt = Date.now();
      list.listVersion += 1;
    }
    return { removed, missing };
  };

  app.put<{ Params: { listId: string } }>('/crm/v3/lists/:listId/memberships/add', async (request) => {
    const list = live(request.params.listId);
    editable(list);
    const { added, missing } = add(list, idsOf(request.body));
    // MembershipsUpdateResponse: recordsIdsAdded (sic), recordIdsRemoved and recordIdsMissing are all required.
    return { recordsIdsAdded: added, recordIdsRemoved: [], recordIdsMissing: missing };
  });
  app.put<{ Params: { listId: string } }>('/crm/v3/lists/:listId/memberships/remove', async (request) => {
    const list = live(request.params.listId);
    editable(list);
    const { removed, missing } = remove(list, idsOf(request.body));
    return { recordsIdsAdded: [], recordIdsRemoved: removed, recordIdsMissing: missing };
  });
  app.put<{ Params: { listId: string } }>('/crm/v3/lists/:listId/memberships/add-and-remove', async (request) => {
    const list = live(request.params.listId);
    editable(list);
    const body = asBody(request.body);
    const a = add(list, idsOf(body['recordIdsToAdd'] ?? []));
    const r = remove(list, idsOf(body['recordIdsToRemove'] ?? []));
    return { recordsIdsAdded: a.added, recordIdsRemoved: r.removed, recordIdsMissing: [...a.missing, ...r.missing] };
  });
  app.delete<{ Params: { listId: string } }>('/crm/v3/lists/:listId/memberships', async (request, reply) => {
    const list = live(request.params.listId);
    editable(list);
    list.members.clear();
    list.listVersion += 1;
    ctx.store.version += 1;
    return reply.code(204).send();
  });

  app.get<{ Params: { objectTypeId: string; recordId: string } }>('/crm/v3/lists/records/:objectTypeId/:recordId/memberships', async (request) => {
    const results = [...ctx.store.lists.values()]
      .filter((l) => l.deletedAt === undefined && l.members.has(request.params.recordId))
      .map((l) => ({ listId: l.listId, listVersion: l.listVersion, firstAddedTimestamp: new Date(l.members.get(request.params.recordId) ?? 0).toISOString(), lastAddedTimestamp: new Date(l.members.get(request.params.recordId) ?? 0).toISOString() }));
    return { results, total: results.length };
  });
}
