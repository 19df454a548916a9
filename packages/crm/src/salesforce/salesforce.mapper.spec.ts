import { describe, expect, it } from '@jest/globals';
import { fixture } from '../../test/support/replay-server.js';
import { type SalesforceField, type SalesforceRecord, isoOrNull, queryableFieldNames, toActivityRecord, toFieldDescriptor, toList, toListMember, toOwner, toRecord } from './salesforce.mapper.js';
import { SALESFORCE_PRODUCTION, salesforceOAuthUrls, salesforceRecordUrl, salesforceSandboxEndpoints } from './salesforce.metadata.js';
import { salesforceAuthorizeUrl } from './salesforce.oauth.js';

const fx = (name: string): URL => new URL(`./__fixtures__/${name}`, import.meta.url);

describe('salesforce mapper: records', () => {
  it('maps a recorded query page: typed values kept, attributes and compound address dropped, IsDeleted → archived', async () => {
    const page = await fixture<{ records: SalesforceRecord[] }>(fx('lead-query-page.json'));
    const [grace, alan] = page.records.map((r) => toRecord('lead', r));
    expect(grace).toEqual({
      id: '00Q5g00000AbCdEEAV',
      object: 'lead',
      updatedAt: '2024-05-02T11:30:15.000Z',
      createdAt: '2024-02-01T09:00:00.000Z',
      properties: expect.objectContaining({ Email: 'grace@navy.example', NumberOfEmployees: 5000, AnnualRevenue: 1250000.5, HasOptedOutOfEmail: false, City: 'Arlington', ConvertedContactId: null }),
    });
    expect(grace?.properties).not.toHaveProperty('attributes');
    expect(grace?.properties).not.toHaveProperty('Address');
    expect(alan).toMatchObject({ archived: true, properties: { IsConverted: true, ConvertedContactId: '0035g00000XyZaBAAV' } });
  });

  it('reads Salesforce datetimes (+0000 offsets)', () => {
    expect(isoOrNull('2024-05-02T11:30:15.000+0000')).toBe('2024-05-02T11:30:15.000Z');
    expect(isoOrNull('2024-05-02T13:30:15.000+0200')).toBe('2024-05-02T11:30:15.000Z');
    expect(isoOrNull(null)).toBeNull();
  });
});

describe('salesforce mapper: describe', () => {
  it('describes recorded Lead fields: required, restricted picklists (inactive values dropped), read-only, custom, lengths', async () => {
    const { fields } = await fixture<{ fields: SalesforceField[] }>(fx('describe-lead.json'));
    const d = Object.fromEntries(fields.map((f) => [f.name, toFieldDescriptor(f)]));
    expect(d['LastName']).toEqual({ name: 'LastName', label: 'Last Name', type: 'string', crmType: 'string', length: 80, readOnly: false, required: true, custom: false });
    expect(d['Company']?.required).toBe(true);
    expect(d['Status']).toMatchObject({
      type: 'picklist',
      restricted: true,
      required: false,
      options: [
        { value: 'Open - Not Contacted', label: 'Open - Not Contacted' },
        { value: 'Working - Contacted', label: 'Working - Contacted' },
      ],
    });
    expect(d['HasOptedOutOfEmail']?.required).toBe(false);
    expect(d['IsConverted']?.readOnly).toBe(true);
    expect(d['Id']).toMatchObject({ type: 'id', readOnly: true, required: false });
    expect(d['OwnerId']).toMatchObject({ type: 'reference', referenceTo: ['Group', 'User'] });
    expect(d['Qualification_Reasoning__c']).toMatchObject({ custom: true, type: 'textarea', length: 32768 });
    expect(d['Tier__c']).toMatchObject({ type: 'multipicklist', multiValued: true, restricted: false });
    expect(queryableFieldNames(fields)).not.toContain('Address');
    expect(queryableFieldNames(fields)).toContain('Status');
  });
});

describe('salesforce mapper: owners, campaigns, members', () => {
  it('maps Users, Campaigns and CampaignMembers', () => {
    expect(toOwner({ Id: '005A', Email: 'rep@x.example', FirstName: 'Rita', LastName: 'Rep', IsActive: false })).toEqual({ id: '005A', email: 'rep@x.example', firstName: 'Rita', lastName: 'Rep', active: false });
    expect(toList({ Id: '701A', Name: 'Spring event', NumberOfLeads: 3, NumberOfContacts: 2, LastModifiedDate: '2024-05-01T10:00:00.000+0000' })).toEqual({
      id: '701A',
      name: 'Spring event',
      kind: 'static',
      size: 5,
      updatedAt: '2024-05-01T10:00:00.000Z',
      source: 'campaign',
    });
    expect(toListMember({ Id: '00vA', LeadId: '00QA', ContactId: null, Status: 'Sent', CreatedDate: '2024-05-01T10:00:00.000+0000' })).toEqual({ recordId: '00QA', object: 'lead', addedAt: '2024-05-01T10:00:00.000Z', status: 'Sent' });
    expect(toListMember({ Id: '00vB', LeadId: '00QA', ContactId: '003A', Status: 'Responded' }).object).toBe('contact');
  });
});

describe('salesforce mapper: activities → Task / Event', () => {
  const base = { occurredAt: '2024-05-01T10:00:00Z', ownerId: '005A', label: '[Conduit]' };
  const contact = { object: 'contact' as const, id: '003A' };
  const lead = { object: 'lead' as const, id: '00QA' };

  it('email → completed Task (Email subtype), WhatId only for contacts', () => {
    const t = toActivityRecord({ ...base, person: contact, companyId: '001A', type: 'email', direction: 'outbound', subject: 'Hello', bodyHtml: '<p>Hi&nbsp;Ada</p>', to: ['ada@y.example'] });
    expect(t).toEqual({
      sobject: 'Task',
      fields: { WhoId: '003A', WhatId: '001A', OwnerId: '005A', Status: 'Completed', ActivityDate: '2024-05-01', TaskSubtype: 'Email', Subject: '[Conduit] Hello', Description: 'To: ada@y.example\n\nHi Ada', Priority: 'Normal' },
    });
    const l = toActivityRecord({ ...base, person: lead, companyId: '001A', dealId: '006A', type: 'email', direction: 'inbound', subject: 'Re: Hello' });
    expect(l.fields).not.toHaveProperty('WhatId');
    expect(l.fields['Subject']).toBe('[Conduit] Email received: Re: Hello');
  });

  it('call → Task (Call subtype) with duration in seconds, type, disposition and recording link', () => {
    const t = toActivityRecord({ ...base, person: contact, dealId: '006A', companyId: '001A', type: 'call', direction: 'inbound', durationMs: 90_600, disposition: 'Interested', body: 'Talked pricing', recordingUrl: 'https://rec.example/1' });
    expect(t.fields).toMatchObject({ TaskSubtype: 'Call', CallType: 'Inbound', CallDurationInSeconds: 91, CallDisposition: 'Interested', WhatId: '006A', Description: 'Talked pricing\n\nRecording: https://rec.example/1' });
  });

  it('LinkedIn message / connection request → Task (LinkedIn subtype)', () => {
    expect(toActivityRecord({ ...base, person: lead, type: 'linkedin_message', direction: 'outbound', body: 'Hi' }).fields).toMatchObject({ TaskSubtype: 'LinkedIn', Subject: '[Conduit] LinkedIn message sent', Description: 'Hi' });
    expect(toActivityRecord({ ...base, person: lead, type: 'linkedin_connection_request', state: 'accepted' }).fields['Subject']).toBe('[Conduit] LinkedIn connection request accepted');
  });

  it('meeting → Event with start/end; task → open Task with due date and priority; note → completed Task', () => {
    const e = toActivityRecord({ ...base, person: contact, type: 'meeting', title: 'Demo', startAt: '2024-05-02T15:00:00Z', endAt: '2024-05-02T15:30:00Z', location: 'Zoom' });
    expect(e).toEqual({ sobject: 'Event', fields: { WhoId: '003A', OwnerId: '005A', Subject: '[Conduit] Demo', StartDateTime: '2024-05-02T15:00:00.000Z', EndDateTime: '2024-05-02T15:30:00.000Z', Location: 'Zoom' } });
    const t = toActivityRecord({ ...base, person: lead, type: 'task', subject: 'Follow up', status: 'not_started', priority: 'high', dueAt: '2024-05-10T09:00:00Z' });
    expect(t.fields).toMatchObject({ TaskSubtype: 'Task', Status: 'Not Started', Priority: 'High', ActivityDate: '2024-05-10', Subject: '[Conduit] Follow up' });
    expect(toActivityRecord({ ...base, person: lead, type: 'note', body: 'Met' }).fields).toMatchObject({ Status: 'Completed', Description: 'Met' });
  });
});

describe('salesforce metadata', () => {
  it('builds the authorize URL (jsforce, from loginUrl) with scopes and state', () => {
    const cfg = { endpoints: salesforceSandboxEndpoints('http://127.0.0.1:4020'), clientId: 'cid', clientSecret: 's', redirectUri: 'http://localhost:3000/cb' };
    const url = new URL(salesforceAuthorizeUrl(cfg, 'st'));
    expect(url.origin + url.pathname).toBe(salesforceOAuthUrls(cfg.endpoints).authorize);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: 'cid', redirect_uri: 'http://localhost:3000/cb', state: 'st', scope: 'api refresh_token id' });
    expect(salesforceOAuthUrls(SALESFORCE_PRODUCTION).token).toBe('https://login.salesforce.com/services/oauth2/token');
  });

  it('builds record links: Lightning vs sandbox UI', () => {
    expect(salesforceRecordUrl(SALESFORCE_PRODUCTION, 'https://acme.my.salesforce.com', 'lead', '00QA')).toBe('https://acme.my.salesforce.com/lightning/r/Lead/00QA/view');
    expect(salesforceRecordUrl(salesforceSandboxEndpoints('http://127.0.0.1:4020'), 'http://127.0.0.1:4020', 'company', '001A')).toBe('http://127.0.0.1:4020/__sandbox/ui/Account/001A');
  });
});
