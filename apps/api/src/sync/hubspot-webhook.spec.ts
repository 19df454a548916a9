import { describe, expect, it } from '@jest/globals';
import { eventKey, groupHubspotEvents, parseHubspotEvents } from './hubspot-webhook.js';

const ev = (eventId: number, subscriptionType: string, objectId: number, portalId = 42) => ({ eventId, subscriptionType, objectId, portalId, attemptNumber: 0 });

describe('HubSpot webhook events', () => {
  it('accepts only arrays of events with ids and a subscription type', () => {
    expect(parseHubspotEvents([ev(1, 'contact.creation', 5)])).toHaveLength(1);
    expect(parseHubspotEvents({ eventId: 1 })).toBeNull();
    expect(parseHubspotEvents([{ eventId: 1, portalId: 2 }])).toBeNull();
  });

  it('groups per portal and object; the last event of a record decides whether it was deleted', () => {
    const batches = groupHubspotEvents([
      ev(1, 'contact.creation', 5),
      ev(2, 'contact.propertyChange', 6),
      ev(3, 'contact.deletion', 6),
      ev(4, 'contact.deletion', 7),
      ev(5, 'contact.creation', 7),
      ev(6, 'company.propertyChange', 9),
      ev(7, 'deal.creation', 11),
      ev(8, 'contact.creation', 5, 43),
    ]);
    expect(batches).toEqual([
      { portalId: '42', object: 'contact', ids: ['5', '7'], deletedIds: ['6'], eventKeys: ['hubspot:42:1', 'hubspot:42:2', 'hubspot:42:3', 'hubspot:42:4', 'hubspot:42:5'] },
      { portalId: '42', object: 'company', ids: ['9'], deletedIds: [], eventKeys: ['hubspot:42:6'] },
      { portalId: '43', object: 'contact', ids: ['5'], deletedIds: [], eventKeys: ['hubspot:43:8'] },
    ]);
  });

  it('keys retries of one event alike', () => {
    expect(eventKey({ ...ev(9, 'contact.creation', 1), attemptNumber: 3 })).toBe(eventKey(ev(9, 'contact.creation', 1)));
  });
});
