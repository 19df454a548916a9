import type { FastifyInstance } from 'fastify';
import type { HubspotContext } from '../context.js';
import { badRequest, HubspotError } from '../errors.js';
import { text } from '../text.js';

/**
 * `POST /crm/v3/objects/contacts/gdpr-delete` {objectId, idProperty?}: permanently deletes a contact (it does not go to
 * the archived list, so it cannot be restored) → 204. `idProperty: 'email'` finds it by email. HubSpot answers 404 when
 * there is no such contact. The address's subscription statuses are kept: HubSpot keeps honouring an opt-out.
 */
export function registerGdprRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  app.post('/crm/v3/objects/contacts/gdpr-delete', async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const objectId = body['objectId'];
    if (objectId === undefined || objectId === null || objectId === '') throw badRequest('objectId is required', { context: { objectId: [] } });
    const idProperty = body['idProperty'];
    if (idProperty !== undefined && idProperty !== null && idProperty !== 'email' && idProperty !== 'hs_object_id') {
      throw badRequest(`Property ${text(idProperty)} is not a unique identifier for contacts`, { context: { idProperty: [text(idProperty)] } });
    }
    const store = ctx.store;
    const id = idProperty === 'email' ? store.contactIdByEmail(text(objectId)) : text(objectId);
    if (id === undefined || !store.purge('contacts', id)) {
      throw new HubspotError(404, 'OBJECT_NOT_FOUND', `Object not found.  objectId are usually numeric.`, { context: { id: [text(objectId)] } });
    }
    return reply.code(204).send();
  });
}
