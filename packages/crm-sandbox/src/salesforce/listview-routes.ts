import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getAuth, queryParam, sendError } from './http.js';
import { listViewQuery, whereConditionOf, type ListViewDef } from './listviews.js';
import type { SalesforceOrg } from './org.js';
import type { SObjectDef } from './schema.js';
import { parseSoql } from './soql.js';
import { compileSoql, versionOf } from './rest.js';
import { runQuery } from './soql-eval.js';
import { asText } from './values.js';

type Params = Record<string, string>;

/** The results resource answers at most this many rows a call (`limit` 1–2,000, default 25). */
const RESULTS_MAX = 2000;
const RESULTS_DEFAULT = 25;
/** Like a SOQL OFFSET, the results resource does not page past 2,000 rows: a larger view is read with its query. */
const RESULTS_MAX_OFFSET = 2000;

const HIDDEN = new Set(['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp']);

function urls(version: string, view: ListViewDef): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${view.sobjectType}/listviews/${view.id}`;
  return { describeUrl: `${base}/describe`, resultsUrl: `${base}/results`, url: base };
}

function summary(version: string, view: ListViewDef): Record<string, unknown> {
  const u = urls(version, view);
  return { describeUrl: u.describeUrl, developerName: view.developerName, id: view.id, label: view.label, resultsUrl: u.resultsUrl, soqlCompatible: true, url: u.url };
}

/** The columns of the view's query, visible ones first, as the describe and results resources list them. */
function columns(def: SObjectDef, view: ListViewDef): Record<string, unknown>[] {
  const names = [...view.columns, ...[...HIDDEN].filter((c) => !view.columns.includes(c))];
  return names.map((name, i) => {
    const field = def.byLowerName.get(name.toLowerCase());
    const numeric = field !== undefined && ['double', 'currency', 'percent', 'int'].includes(field.type);
    return {
      ascendingLabel: numeric ? '0-9' : 'A-Z',
      descendingLabel: numeric ? '9-0' : 'Z-A',
      fieldNameOrPath: name,
      hidden: HIDDEN.has(name) && !view.columns.includes(name),
      label: field?.label ?? name,
      selectListItem: name,
      sortDirection: i === 0 ? 'ascending' : null,
      sortIndex: i === 0 ? 0 : null,
      sortable: field !== undefined && field.type !== 'textarea',
      type: field?.type ?? 'string',
    };
  });
}

export function registerListViewRoutes(app: FastifyInstance, org: SalesforceOrg): void {
  const base = '/services/data/:version/sobjects/:type/listviews';

  /** The sObject of the path, or a 404 like Salesforce's for an unknown one. */
  const typeOf = (request: FastifyRequest, reply: FastifyReply): SObjectDef | undefined => {
    const def = org.store.resolveType((request.params as Params)['type'] ?? '');
    if (def === undefined) void sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
    return def;
  };

  /** The view of the path as the session's user may see it: deleted, private to someone else or on another object → 404. */
  const viewOf = (request: FastifyRequest, reply: FastifyReply): { def: SObjectDef; view: ListViewDef } | undefined => {
    const def = typeOf(request, reply);
    if (def === undefined) return undefined;
    const view = org.listViews.find(def.name, (request.params as Params)['id'] ?? '', getAuth(request).userId);
    if (view === undefined) {
      void sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
      return undefined;
    }
    return { def, view };
  };

  app.get(base, async (request, reply) => {
    const def = typeOf(request, reply);
    if (def === undefined) return reply;
    const v = versionOf(request);
    const views = org.listViews.visible(def.name, getAuth(request).userId);
    return { done: true, listviews: views.map((view) => summary(v, view)), nextRecordsUrl: null, size: views.length, sobjectType: def.name };
  });

  app.get(`${base}/:id`, async (request, reply) => {
    const found = viewOf(request, reply);
    if (found === undefined) return reply;
    return summary(versionOf(request), found.view);
  });

  app.get(`${base}/:id/describe`, async (request, reply) => {
    const found = viewOf(request, reply);
    if (found === undefined) return reply;
    const { def, view } = found;
    const where = view.where === null ? undefined : parseSoql(`SELECT Id FROM ${def.name} WHERE ${view.where}`).where;
    return {
      columns: columns(def, view),
      id: view.id,
      orderBy: [
        { fieldNameOrPath: 'Name', nullsPosition: 'first', sortDirection: 'ascending' },
        { fieldNameOrPath: 'Id', nullsPosition: 'first', sortDirection: 'ascending' },
      ],
      query: listViewQuery(view),
      relatedEntityId: null,
      scope: view.scope === 'mine' ? 'mine' : null,
      scopeEntityId: null,
      sobjectType: def.name,
      whereCondition: where === undefined ? null : whereConditionOf(where),
    };
  });

  app.get(`${base}/:id/results`, async (request, reply) => {
    const found = viewOf(request, reply);
    if (found === undefined) return reply;
    const { def, view } = found;
    const limitRaw = queryParam(request, 'limit');
    const offsetRaw = queryParam(request, 'offset');
    const limit = limitRaw === undefined ? RESULTS_DEFAULT : Number(limitRaw);
    const offset = offsetRaw === undefined ? 0 : Number(offsetRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > RESULTS_MAX) return sendError(reply, 400, 'INVALID_PARAMETER_VALUE', `limit must be between 1 and ${RESULTS_MAX}`);
    if (!Number.isInteger(offset) || offset < 0) return sendError(reply, 400, 'INVALID_PARAMETER_VALUE', 'offset must be 0 or more');
    if (offset > RESULTS_MAX_OFFSET) return sendError(reply, 400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${RESULTS_MAX_OFFSET}`);
    // The view's own query, as the session's user: a filter on a field they cannot read fails as the query would.
    const compiled = compileSoql(org, listViewQuery(view), getAuth(request).userId);
    if ('error' in compiled) return sendError(reply, 400, compiled.error.errorCode, compiled.error.message);
    const run = runQuery(compiled, org.store.rows(def.name), false);
    const rows = run.rows.slice(offset, offset + limit);
    const cols = columns(def, view);
    return {
      columns: cols,
      developerName: view.developerName,
      done: offset + rows.length >= run.rows.length,
      id: view.id,
      label: view.label,
      records: rows.map((row) => ({
        columns: cols.map((c) => {
          const name = String(c['fieldNameOrPath']);
          const value = row[name];
          return { fieldNameOrPath: name, value: value === null || value === undefined ? null : asText(value) };
        }),
      })),
      size: run.rows.length,
    };
  });
}
