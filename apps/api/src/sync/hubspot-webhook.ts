/** HubSpot webhook event (v3 payload is an array of these). */
export interface HubspotWebhookEvent {
  eventId: number | string;
  subscriptionType: string;
  portalId: number | string;
  objectId: number | string;
  occurredAt?: number;
  attemptNumber?: number;
  propertyName?: string;
}

export interface WebhookBatch {
  portalId: string;
  object: 'contact' | 'company';
  ids: string[];
  deletedIds: string[];
  eventKeys: string[];
}

/** Whether a parsed body is an array of events with the fields Conduit needs. */
export function parseHubspotEvents(body: unknown): HubspotWebhookEvent[] | null {
  if (!Array.isArray(body)) return null;
  const ok = body.every(
    (e: unknown) =>
      typeof e === 'object' &&
      e !== null &&
      ['eventId', 'portalId', 'objectId'].every((k) => ['string', 'number'].includes(typeof (e as Record<string, unknown>)[k])) &&
      typeof (e as Record<string, unknown>)['subscriptionType'] === 'string',
  );
  return ok ? (body as HubspotWebhookEvent[]) : null;
}

/** The dedupe key of one event: HubSpot resends an event with the same id (and a higher attemptNumber). */
export function eventKey(e: HubspotWebhookEvent): string {
  return `hubspot:${String(e.portalId)}:${String(e.eventId)}`;
}

/**
 * Groups events into one batch per (portal, object): the ids to re-read, and the ids deleted (their last event
 * is a deletion). Unknown subscription types are ignored.
 */
export function groupHubspotEvents(events: readonly HubspotWebhookEvent[]): WebhookBatch[] {
  const batches = new Map<string, WebhookBatch & { last: Map<string, boolean> }>();
  for (const e of events) {
    const [kind, action] = e.subscriptionType.split('.');
    if ((kind !== 'contact' && kind !== 'company') || !action) continue;
    const portalId = String(e.portalId);
    const key = `${portalId}:${kind}`;
    let b = batches.get(key);
    if (!b) {
      b = { portalId, object: kind, ids: [], deletedIds: [], eventKeys: [], last: new Map() };
      batches.set(key, b);
    }
    b.eventKeys.push(eventKey(e));
    b.last.set(String(e.objectId), action === 'deletion');
  }
  return [...batches.values()].map(({ last, ...b }) => ({
    ...b,
    ids: [...last].filter(([, deleted]) => !deleted).map(([id]) => id),
    deletedIds: [...last].filter(([, deleted]) => deleted).map(([id]) => id),
  }));
}
