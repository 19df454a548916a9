import { describe, expect, it } from '@jest/globals';
import { listViewListId, membershipQuery, parseListViewId, toListViewList } from './salesforce.list-views.js';

describe('Salesforce list views as lists', () => {
  it('keep the object in the list id, and tell a list view from a Campaign', () => {
    const id = listViewListId('Contact', '00B8d000000001AEAQ');
    expect(id).toBe('Contact/00B8d000000001AEAQ');
    expect(parseListViewId(id)).toEqual({ sobject: 'Contact', viewId: '00B8d000000001AEAQ' });
    expect(parseListViewId('Lead/00B8d000000001A')).toEqual({ sobject: 'Lead', viewId: '00B8d000000001A' });
    expect(parseListViewId('7018d000000001AAAQ')).toBeNull();
    expect(parseListViewId('Account/00B8d000000001AEAQ')).toBeNull();
    expect(parseListViewId('Lead/00B8d; DROP')).toBeNull();
  });

  it('are dynamic lists of their object; views Salesforce cannot run as SOQL are left out', () => {
    expect(toListViewList('Lead', { id: '00BA', label: 'Technology industry', soqlCompatible: true })).toEqual({
      id: 'Lead/00BA', name: 'Technology industry', kind: 'dynamic', size: null, updatedAt: null, source: 'list_view', object: 'lead',
    });
    expect(toListViewList('Lead', { id: '00BB', label: 'Recently Viewed Leads', soqlCompatible: false })).toBeNull();
  });
});

describe('membershipQuery', () => {
  it('selects only Id and keeps the object, scope and filter, without the sort', () => {
    expect(membershipQuery("SELECT Name, Company, toLabel(Status), Owner.Alias, Id FROM Lead USING SCOPE mine WHERE IsConverted = false AND Status LIKE 'Open%' ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST")).toBe(
      "SELECT Id FROM Lead USING SCOPE mine WHERE IsConverted = false AND Status LIKE 'Open%'",
    );
    expect(membershipQuery('SELECT name, id FROM Contact ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST')).toBe('SELECT Id FROM Contact');
    expect(membershipQuery('select Id from Contact where MailingState = \'CA\'')).toBe("SELECT Id from Contact where MailingState = 'CA'");
  });

  it('is not fooled by keywords inside string literals, escaped quotes or semi-joins', () => {
    expect(membershipQuery("SELECT Name, Id FROM Lead WHERE Description = 'met FROM the ORDER desk \\' ORDER BY' AND Id IN (SELECT WhoId FROM Task ORDER BY CreatedDate) ORDER BY Name ASC")).toBe(
      "SELECT Id FROM Lead WHERE Description = 'met FROM the ORDER desk \\' ORDER BY' AND Id IN (SELECT WhoId FROM Task ORDER BY CreatedDate)",
    );
    expect(membershipQuery('SELECT Id, FromAddress__c FROM Lead ORDER BY Name LIMIT 500')).toBe('SELECT Id FROM Lead LIMIT 500');
    expect(membershipQuery('SELECT Id')).toBeNull();
  });
});
