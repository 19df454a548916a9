import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HubspotContext } from '../context.js';
import { badRequest, type HubspotError } from '../errors.js';
import { text } from '../text.js';
import { LEGAL_BASES, type LegalBasis, type SubscriptionDefinition, type TypeStatus } from '../subscriptions.js';
import type { ChangeSource, HubspotStore } from '../store.js';

/**
 * HubSpot's communication preferences (email subscription) API, the parts Conduit uses:
 * - v3 (the SDK's `communicationPreferences` clients): definitions, one address's statuses, unsubscribe from / subscribe
 *   to one subscription type with a legal basis and explanation;
 * - v4 (no client in @hubspot/api-client 14; called with `apiRequest`): one address's statuses, unsubscribe from all
 *   email, and the batch forms (statuses, unsubscribe-all, unsubscribe-all status).
 * Subscription changes are mirrored into the contact properties HubSpot manages (`hs_email_optout` for "opted out of
 * all email", `hs_email_optout_<subscriptionId>` per type), which a CRM write cannot set (READ_ONLY_VALUE).
 */

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Batch inputs per call accepted here (HubSpot's other batch endpoints take 100; Conduit sends ≤ 100). */
const MAX_BATCH = 1000;

type Body = Record<string, unknown>;

function bodyOf(value: unknown): Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : {};
}

function invalidEmail(email: string): HubspotError {
  return badRequest(`Invalid email address: '${email}'`, { subCategory: 'EmailAddressInvalid' });
}

function requireChannel(query: Record<string, unknown>): void {
  const channel = query['channel'];
  if (channel === undefined || channel === '') throw badRequest('Required query parameter channel is missing. Supported values: EMAIL');
  if (channel !== 'EMAIL') throw badRequest(`Unsupported channel ${text(channel)}. Supported values: EMAIL`);
}

function legalBasisOf(body: Body): { legalBasis?: LegalBasis; legalBasisExplanation?: string } {
  const basis = body['legalBasis'];
  const explanation = body['legalBasisExplanation'];
  if (basis !== undefined && basis !== null && !(LEGAL_BASES as readonly unknown[]).includes(basis)) {
    throw badRequest(`Invalid legalBasis ${JSON.stringify(basis)}. Valid values: ${LEGAL_BASES.join(', ')}`, { context: { legalBasis: [text(basis)] } });
  }
  if (explanation !== undefined && explanation !== null && typeof explanation !== 'string') throw badRequest('legalBasisExplanation must be a string');
  return {
    ...(typeof basis === 'string' ? { legalBasis: basis as LegalBasis } : {}),
    ...(typeof explanation === 'string' ? { legalBasisExplanation: explanation } : {}),
  };
}

function inputsOf(body: Body): string[] {
  const inputs = body['inputs'];
  if (!Array.isArray(inputs)) throw badRequest('inputs is required');
  if (inputs.length > MAX_BATCH) throw badRequest(`Batch input limit exceeded: ${inputs.length} inputs were provided, the maximum is ${MAX_BATCH}.`);
  return inputs.map((i) => text(i));
}

/** Mirrors a subscription change into the properties of the address's contact (if there is one). */
function mirror(store: HubspotStore, email: string, values: Record<string, string>, source: ChangeSource): void {
  const id = store.contactIdByEmail(email);
  const record = id !== undefined ? store.get('contacts', id) : undefined;
  if (record !== undefined) store.patch(record, values, source);
}

function v3Status(store: HubspotStore, email: string, def: SubscriptionDefinition): Record<string, unknown> {
  const s = store.subscriptions.effective(email, def);
  return {
    id: def.id,
    name: def.name,
    description: def.description,
    status: s.status,
    sourceOfStatus: s.wide ? 'PORTAL_WIDE_STATUS' : 'SUBSCRIPTION_STATUS',
    preferenceGroupName: def.purpose,
    ...(s.legalBasis !== undefined ? { legalBasis: s.legalBasis } : {}),
    ...(s.legalBasisExplanation !== undefined ? { legalBasisExplanation: s.legalBasisExplanation } : {}),
  };
}

function v4Status(store: HubspotStore, email: string, def: SubscriptionDefinition): Record<string, unknown> {
  const s = store.subscriptions.effective(email, def);
  const own = store.subscriptions.state(email)?.types[def.id];
  const status = s.wide ? 'UNSUBSCRIBED' : own === undefined ? 'NOT_SPECIFIED' : own.status === 'SUBSCRIBED' ? 'SUBSCRIBED' : 'UNSUBSCRIBED';
  return {
    channel: 'EMAIL',
    subscriberIdString: email,
    subscriptionId: Number(def.id),
    subscriptionName: def.name,
    status,
    source: s.source,
    timestamp: s.timestamp,
    businessUnitId: 0,
    ...(s.legalBasis !== undefined ? { legalBasis: s.legalBasis } : {}),
    ...(s.legalBasisExplanation !== undefined ? { legalBasisExplanation: s.legalBasisExplanation } : {}),
  };
}

function wideStatuses(store: HubspotStore, email: string): Record<string, unknown>[] {
  const wide = store.subscriptions.state(email)?.optedOutOfAll;
  return wide === undefined ? [] : [{ channel: 'EMAIL', subscriberIdString: email, wideStatusType: 'PORTAL_WIDE', status: 'UNSUBSCRIBED', timestamp: wide.timestamp, businessUnitId: 0 }];
}

/** v4's batch answer: 200 when every input worked, 207 with `errors` otherwise. */
function batchAnswer(reply: FastifyReply, startedAt: string, results: unknown[], errors: { message: string; input: string }[]): FastifyReply {
  const completedAt = new Date().toISOString();
  const body: Record<string, unknown> = { status: 'COMPLETE', results, requestedAt: startedAt, startedAt, completedAt };
  if (errors.length) {
    body['numErrors'] = errors.length;
    body['errors'] = errors.map((e) => ({ status: 'error', category: 'VALIDATION_ERROR', message: e.message, context: { subscriberIdString: [e.input] } }));
  }
  return reply.code(errors.length ? 207 : 200).type('application/json').send(body);
}

/** Opts an address out of all email (idempotent) and mirrors it into `hs_email_optout`. */
export function unsubscribeFromAll(store: HubspotStore, email: string, source: string, changeSource: ChangeSource): void {
  const at = new Date().toISOString();
  if (store.subscriptions.optOutOfAll(email, source, at)) mirror(store, email, { hs_email_optout: 'true' }, changeSource);
}

export function registerCommunicationPreferencesRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  // ---- v3 ----
  app.get('/communication-preferences/v3/definitions', async () => ({ subscriptionDefinitions: ctx.store.subscriptions.definitions }));

  app.get<{ Params: { email: string } }>('/communication-preferences/v3/status/email/:email', async (request) => {
    const email = request.params.email.trim();
    if (!EMAIL_RE.test(email)) throw invalidEmail(email);
    const store = ctx.store;
    return { recipient: email, subscriptionStatuses: store.subscriptions.definitions.map((d) => v3Status(store, email, d)) };
  });

  const v3Change = (target: 'SUBSCRIBED' | 'NOT_SUBSCRIBED') => async (request: { body: unknown }): Promise<unknown> => {
    const body = bodyOf(request.body);
    const email = typeof body['emailAddress'] === 'string' ? body['emailAddress'].trim() : '';
    if (email === '') throw badRequest('emailAddress is required', { context: { emailAddress: [] } });
    if (!EMAIL_RE.test(email)) throw invalidEmail(email);
    const subscriptionId = text(body['subscriptionId']);
    if (subscriptionId === '') throw badRequest('subscriptionId is required', { context: { subscriptionId: [] } });
    const legal = legalBasisOf(body);
    const store = ctx.store;
    const def = store.subscriptions.definition(subscriptionId);
    if (def === undefined) throw badRequest(`Subscription ${subscriptionId} does not exist in portal ${store.portalId}`, { context: { subscriptionId: [subscriptionId] } });
    const state = store.subscriptions.state(email);
    if (target === 'SUBSCRIBED' && state?.optedOutOfAll !== undefined) {
      // v3 cannot resubscribe an address that opted out of all email (v4 can, with a legal basis).
      throw badRequest(`${email} has opted out of all email and cannot be resubscribed through this API`, { subCategory: 'OptedOutOfAll' });
    }
    const current = store.subscriptions.effective(email, def);
    if (target === 'NOT_SUBSCRIBED' && state?.types[def.id]?.status === 'NOT_SUBSCRIBED') {
      throw badRequest(`${email} is already unsubscribed from subscription ${def.id}`, { subCategory: 'AlreadyUnsubscribed' });
    }
    if (target === 'SUBSCRIBED' && current.status === 'SUBSCRIBED') throw badRequest(`${email} is already subscribed to subscription ${def.id}`, { subCategory: 'AlreadySubscribed' });
    const status: TypeStatus = { status: target, source: 'API', timestamp: new Date().toISOString(), ...legal };
    store.subscriptions.setType(email, def.id, status);
    mirror(store, email, { [`hs_email_optout_${def.id}`]: target === 'NOT_SUBSCRIBED' ? 'true' : 'false' }, 'INTEGRATION');
    return v3Status(store, email, def);
  };
  app.post('/communication-preferences/v3/unsubscribe', v3Change('NOT_SUBSCRIBED'));
  app.post('/communication-preferences/v3/subscribe', v3Change('SUBSCRIBED'));

  // ---- v4 (static batch paths are registered before the :subscriberIdString ones; the router prefers them anyway) ----
  app.post<{ Querystring: Record<string, unknown> }>('/communication-preferences/v4/statuses/batch/read', async (request, reply) => {
    requireChannel(request.query);
    const started = new Date().toISOString();
    const store = ctx.store;
    const results: unknown[] = [];
    const errors: { message: string; input: string }[] = [];
    for (const email of inputsOf(bodyOf(request.body))) {
      if (!EMAIL_RE.test(email)) errors.push({ message: `Invalid email address: '${email}'`, input: email });
      else results.push({ subscriberIdString: email, statuses: store.subscriptions.definitions.map((d) => v4Status(store, email, d)) });
    }
    return batchAnswer(reply, started, results, errors);
  });

  app.post<{ Querystring: Record<string, unknown> }>('/communication-preferences/v4/statuses/batch/unsubscribe-all/read', async (request, reply) => {
    requireChannel(request.query);
    const started = new Date().toISOString();
    const store = ctx.store;
    const results: unknown[] = [];
    const errors: { message: string; input: string }[] = [];
    for (const email of inputsOf(bodyOf(request.body))) {
      if (!EMAIL_RE.test(email)) errors.push({ message: `Invalid email address: '${email}'`, input: email });
      else results.push({ subscriberIdString: email, wideStatuses: wideStatuses(store, email) });
    }
    return batchAnswer(reply, started, results, errors);
  });

  app.post<{ Querystring: Record<string, unknown> }>('/communication-preferences/v4/statuses/batch/unsubscribe-all', async (request, reply) => {
    requireChannel(request.query);
    const started = new Date().toISOString();
    const store = ctx.store;
    const results: unknown[] = [];
    const errors: { message: string; input: string }[] = [];
    for (const email of inputsOf(bodyOf(request.body))) {
      if (!EMAIL_RE.test(email)) {
        errors.push({ message: `Invalid email address: '${email}'`, input: email });
        continue;
      }
      unsubscribeFromAll(store, email, 'API', 'INTEGRATION');
      results.push({ subscriberIdString: email, statuses: store.subscriptions.definitions.map((d) => v4Status(store, email, d)) });
    }
    return batchAnswer(reply, started, results, errors);
  });

  app.get<{ Params: { subscriberIdString: string }; Querystring: Record<string, unknown> }>('/communication-preferences/v4/statuses/:subscriberIdString', async (request) => {
    requireChannel(request.query);
    const email = request.params.subscriberIdString.trim();
    if (!EMAIL_RE.test(email)) throw invalidEmail(email);
    const store = ctx.store;
    const at = new Date().toISOString();
    return { status: 'COMPLETE', results: store.subscriptions.definitions.map((d) => v4Status(store, email, d)), requestedAt: at, startedAt: at, completedAt: at };
  });

  app.get<{ Params: { subscriberIdString: string }; Querystring: Record<string, unknown> }>('/communication-preferences/v4/statuses/:subscriberIdString/unsubscribe-all', async (request) => {
    requireChannel(request.query);
    const email = request.params.subscriberIdString.trim();
    if (!EMAIL_RE.test(email)) throw invalidEmail(email);
    const at = new Date().toISOString();
    return { status: 'COMPLETE', results: wideStatuses(ctx.store, email), requestedAt: at, startedAt: at, completedAt: at };
  });

  app.post<{ Params: { subscriberIdString: string }; Querystring: Record<string, unknown> }>('/communication-preferences/v4/statuses/:subscriberIdString/unsubscribe-all', async (request) => {
    requireChannel(request.query);
    const email = request.params.subscriberIdString.trim();
    if (!EMAIL_RE.test(email)) throw invalidEmail(email);
    const store = ctx.store;
    unsubscribeFromAll(store, email, 'API', 'INTEGRATION');
    const at = new Date().toISOString();
    // Without verbose=true HubSpot answers with an empty result list.
    const verbose = request.query['verbose'] === 'true' || request.query['verbose'] === true;
    return { status: 'COMPLETE', results: verbose ? store.subscriptions.definitions.map((d) => v4Status(store, email, d)) : [], requestedAt: at, startedAt: at, completedAt: at };
  });
}
