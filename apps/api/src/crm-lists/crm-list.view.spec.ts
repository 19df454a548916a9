import { describe, expect, it } from '@jest/globals';
import { unavailableOf, unreadableReason } from './crm-list.view.js';

describe('unavailableOf', () => {
  const at = new Date('2026-12-06T10:00:00Z');
  it('says a deleted list view may also be one no longer shared (Salesforce answers both 404), and that its last members stay', () => {
    expect(unavailableOf({ source: 'list_view', deletedInCrmAt: at, unreadableAt: null, unreadableReason: null })).toEqual({
      state: 'deleted',
      since: '2026-12-06T10:00:00.000Z',
      reason: 'This list view was deleted in Salesforce, or is no longer shared with the connected Salesforce user.',
    });
    expect(unavailableOf({ source: 'campaign', deletedInCrmAt: at.toISOString(), unreadableAt: null, unreadableReason: null })?.reason).toBe('This Campaign was deleted in Salesforce.');
    expect(unavailableOf({ source: 'list', deletedInCrmAt: at, unreadableAt: null, unreadableReason: null })?.reason).toBe('This list was deleted in HubSpot.');
  });

  it('gives the stored reason of an unreadable list; deleted wins; a readable list is null', () => {
    expect(unavailableOf({ source: 'list_view', deletedInCrmAt: null, unreadableAt: at, unreadableReason: 'Salesforce no longer lets Conduit read this list view: x.' })).toEqual({
      state: 'unreadable',
      since: '2026-12-06T10:00:00.000Z',
      reason: 'Salesforce no longer lets Conduit read this list view: x.',
    });
    expect(unavailableOf({ source: 'list_view', deletedInCrmAt: at, unreadableAt: at, unreadableReason: 'x' })?.state).toBe('deleted');
    expect(unavailableOf({ source: 'list_view', deletedInCrmAt: null, unreadableAt: null, unreadableReason: null })).toBeNull();
  });
});

describe('unreadableReason', () => {
  it("turns Salesforce's INVALID_FIELD answer into a sentence naming the field, without the SOQL position", () => {
    const message = "\nSELECT Id FROM Contact WHERE Segment__c = 'Enterprise'\n                             ^\nERROR at Row:1:Column:30\nNo such column 'Segment__c' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.";
    expect(unreadableReason('list_view', 'Salesforce', message)).toBe(
      'Salesforce no longer lets Conduit read this list view: its filter uses the field Segment__c, which the connected Salesforce user cannot read.',
    );
  });
  it("keeps any other CRM message's first line", () => {
    expect(unreadableReason('list', 'HubSpot', 'This app lacks the crm.lists.read scope.\nMore text')).toBe('HubSpot no longer lets Conduit read this list: This app lacks the crm.lists.read scope.');
  });
});
