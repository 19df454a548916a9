/**
 * The hook the HubSpot webhook endpoint (sync feature) calls after verifying a delivery, so workflows see property
 * changes without a second webhook endpoint. Optional: without the workflows feature nothing listens.
 */
export interface HubspotChangeEvent {
  eventId: number | string;
  subscriptionType: string;
  portalId: number | string;
  objectId: number | string;
  occurredAt?: number;
  propertyName?: string;
  propertyValue?: string;
  changeSource?: string;
}

export interface HubspotChangeListener {
  onHubspotEvents(events: readonly HubspotChangeEvent[]): Promise<void>;
}

export const HUBSPOT_CHANGE_LISTENER = Symbol('HubspotChangeListener');
