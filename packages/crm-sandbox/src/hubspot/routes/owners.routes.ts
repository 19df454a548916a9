import { text } from '../text.js';
import type { FastifyInstance } from 'fastify';
import { HubspotError, badRequest } from '../errors.js';
import type { HubspotContext } from '../context.js';
import type { Owner } from '../store.js';

/** HubSpot's PublicOwner: `type` is required (PERSON or QUEUE). */
function ownerJson(owner: Owner): Owner & { type: 'PERSON' | 'QUEUE' } {
  return { ...owner, type: owner.type ?? 'PERSON' };
}

export function registerOwnerRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  // The SDK calls /crm/v3/owners/ with a trailing slash; the router ignores trailing slashes, so both forms work.
  const list = async (request: { query: Record<string, unknown> }): Promise<unknown> => {
    const q = request.query;
    const limit = q['limit'] === undefined ? 100 : Number(q['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('limit must be between 1 and 500');
    const archived = text(q['archived']) === 'true';
    const email = typeof q['email'] === 'string' ? q['email'].toLowerCase() : undefined;
    const all = [...ctx.store.owners.values()]
      .filter((o) => o.archived === archived && (email === undefined || o.email.toLowerCase() === email))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const after = q['after'] === undefined ? 0 : Number(q['after']);
    const start = Number.isInteger(after) && after > 0 ? all.findIndex((o) => Number(o.id) >= after) : 0;
    const page = start < 0 ? [] : all.slice(start, start + limit);
    const next = start >= 0 ? all[start + limit] : undefined;
    return { results: page.map(ownerJson), ...(next !== undefined ? { paging: { next: { after: next.id, link: `?after=${next.id}` } } } : {}) };
  };
  app.get<{ Querystring: Record<string, unknown> }>('/crm/v3/owners', list);

  app.get<{ Params: { ownerId: string }; Querystring: Record<string, unknown> }>('/crm/v3/owners/:ownerId', async (request) => {
    const byUserId = request.query['idProperty'] === 'userId';
    const owner = [...ctx.store.owners.values()].find((o) => (byUserId ? text(o.userId) : o.id) === request.params.ownerId);
    if (owner === undefined) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `Owner ${request.params.ownerId} not found`);
    return ownerJson(owner);
  });
}
