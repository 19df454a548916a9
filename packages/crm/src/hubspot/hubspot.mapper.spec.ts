import { describe, expect, it } from '@jest/globals';
import { fixture } from '../../test/support/replay-server.js';
import type { CrmActivityInput } from '../contract.js';
import { UnsupportedCrmError } from '../errors.js';
import {
  type HubspotListSearchResult,
  type HubspotObject,
  type HubspotOwner,
  type HubspotProperty,
  hubspotObjectType,
  lastModifiedProperty,
  toEngagement,
  toFieldDescriptor,
  toHubspotProperties,
  toIso,
  toList,
  toListMember,
  toOwner,
  toRecord,
} from './hubspot.mapper.js';

const fx = (name: string): URL => new URL(`./__fixtures__/${name}`, import.meta.url);

describe('hubspot mapper: records', () => {
  it('maps a recorded contact, keeping HubSpot string values and nulls', async () => {
    const c = await fixture<HubspotObject>(fx('contact.json'));
    const r = toRecord('contact', c);
    expect(r).toEqual({
      id: '151',
      object: 'contact',
      updatedAt: '2024-05-01T10:00:00.123Z',
      createdAt: '2024-03-04T09:12:33.512Z',
      properties: expect.objectContaining({ email: 'Ada.Lovelace@Analytical.example', numemployees: '42', jobtitle: null }),
    });
    expect(r.archived).toBeUndefined();
  });

  it('accepts SDK models (Date objects) and archived records', () => {
    const r = toRecord('company', { id: '7', properties: { name: 'Acme' }, updatedAt: new Date('2024-01-02T03:04:05Z'), archived: true });
    expect(r).toMatchObject({ id: '7', object: 'company', updatedAt: '2024-01-02T03:04:05.000Z', archived: true });
  });

  it('falls back to the last-modified property when updatedAt is missing', () => {
    const r = toRecord('company', { id: '8', properties: { hs_lastmodifieddate: '1714557600000' } });
    expect(r.updatedAt).toBe('2024-05-01T10:00:00.000Z');
  });

  it('reads inline associations (several association types per pair collapse to one id)', () => {
    const r = toRecord('contact', {
      id: '1',
      properties: {},
      associations: { companies: { results: [{ id: '77', type: 'contact_to_company' }, { id: '77', type: 'contact_to_company_unlabeled' }] }, tickets: { results: [{ id: '5' }] } },
    });
    expect(r.associations).toEqual({ company: ['77'] });
    expect(toRecord('contact', { id: '2', properties: {} }).associations).toBeUndefined();
  });

  it('converts neutral values to HubSpot strings (null clears)', () => {
    expect(toHubspotProperties({ a: 'x', n: 42, b: true, f: false, z: null })).toEqual({ a: 'x', n: '42', b: 'true', f: 'false', z: '' });
  });

  it('names objects and last-modified properties', () => {
    expect(hubspotObjectType('contact')).toBe('contacts');
    expect(hubspotObjectType('company')).toBe('companies');
    expect(hubspotObjectType('deal')).toBe('deals');
    expect(() => hubspotObjectType('lead')).toThrow(UnsupportedCrmError);
    expect(lastModifiedProperty('contact')).toBe('lastmodifieddate');
    expect(lastModifiedProperty('company')).toBe('hs_lastmodifieddate');
  });

  it('reads HubSpot dates: ISO, epoch ms strings, Date, empty', () => {
    expect(toIso('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00.000Z');
    expect(toIso('1714557600000')).toBe('2024-05-01T10:00:00.000Z');
    expect(toIso(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(toIso('')).toBeNull();
    expect(toIso('nope')).toBeNull();
  });
});

describe('hubspot mapper: properties', () => {
  it('describes recorded properties: types, options (hidden ones dropped), read-only, custom, multi-valued', async () => {
    const { results } = await fixture<{ results: HubspotProperty[] }>(fx('properties-contacts.json'));
    const byName = Object.fromEntries(results.map((p) => [p.name, toFieldDescriptor(p)]));
    expect(byName['email']).toEqual({ name: 'email', label: 'Email', type: 'string', crmType: 'text', readOnly: false, required: false, custom: false });
    expect(byName['hs_lead_status']).toMatchObject({
      type: 'enumeration',
      restricted: true,
      options: [
        { value: 'NEW', label: 'New' },
        { value: 'OPEN', label: 'Open' },
        { value: 'IN_PROGRESS', label: 'In Progress' },
      ],
    });
    expect(byName['hs_lead_status']?.multiValued).toBeUndefined();
    expect(byName['conduit_interests']).toMatchObject({ custom: true, multiValued: true, crmType: 'checkbox' });
    expect(byName['num_associated_deals']).toMatchObject({ type: 'number', readOnly: true });
    expect(byName['hs_object_coordinates']?.type).toBe('string');
  });
});

describe('hubspot mapper: owners, lists, memberships', () => {
  it('maps recorded owners', async () => {
    const { results } = await fixture<{ results: HubspotOwner[] }>(fx('owners.json'));
    expect(results.map((o) => toOwner(o))).toEqual([
      { id: '41629779', email: 'rep@conduit-demo.example', firstName: 'Rita', lastName: 'Rep', active: true, userId: '9586504' },
      { id: '41629780', email: 'queue@conduit-demo.example', firstName: null, lastName: null, active: true, userId: null },
    ]);
  });

  it('maps recorded lists: processing type → kind, hs_list_size → size', async () => {
    const { lists } = await fixture<{ lists: HubspotListSearchResult[] }>(fx('lists-search.json'));
    expect(lists.map((l) => toList(l))).toEqual([
      { id: '12', name: 'Conference leads', kind: 'static', size: 250, updatedAt: '2024-04-01T10:00:00.000Z' },
      { id: '13', name: 'Replied, not customers', kind: 'dynamic', size: null, updatedAt: '2024-04-02T10:00:00.000Z' },
    ]);
  });

  it('maps recorded memberships', async () => {
    const { results } = await fixture<{ results: Array<{ recordId: string; membershipTimestamp: string }> }>(fx('memberships.json'));
    expect(results.map((m) => toListMember(m))[0]).toEqual({ recordId: '151', object: 'contact', addedAt: '2024-04-01T10:00:00.000Z' });
  });
});

describe('hubspot mapper: activities → engagements', () => {
  const base = { occurredAt: '2024-05-01T10:00:00Z', person: { object: 'contact' as const, id: '151' }, ownerId: '41629779', label: '[Conduit]' };

  it('email → emails with direction, status, headers, label on subject and real association ids', () => {
    const e = toEngagement({ ...base, type: 'email', direction: 'outbound', subject: 'Hello', bodyText: 'Hi Ada', from: 'rep@x.example', to: ['ada@y.example'], companyId: '77', dealId: '88' });
    expect(e.objectType).toBe('emails');
    expect(e.properties).toMatchObject({
      hs_timestamp: '2024-05-01T10:00:00.000Z',
      hubspot_owner_id: '41629779',
      hs_email_direction: 'EMAIL',
      hs_email_status: 'SENT',
      hs_email_subject: '[Conduit] Hello',
      hs_email_text: 'Hi Ada',
    });
    expect(JSON.parse(e.properties['hs_email_headers'] ?? '{}')).toEqual({ from: { email: 'rep@x.example' }, to: [{ email: 'ada@y.example' }] });
    expect(e.associations.map((a) => [a.to.id, a.types[0]?.associationTypeId])).toEqual([
      ['151', 198],
      ['77', 186],
      ['88', 210],
    ]);
  });

  it('inbound email is INCOMING_EMAIL', () => {
    expect(toEngagement({ ...base, type: 'email', direction: 'inbound', subject: 'Re: Hello' }).properties['hs_email_direction']).toBe('INCOMING_EMAIL');
  });

  it('LinkedIn message and connection request → communications (LINKEDIN_MESSAGE, logged from CRM, 81)', () => {
    const m = toEngagement({ ...base, type: 'linkedin_message', direction: 'outbound', body: 'Hi' });
    expect(m.objectType).toBe('communications');
    expect(m.properties).toMatchObject({ hs_communication_channel_type: 'LINKEDIN_MESSAGE', hs_communication_logged_from: 'CRM', hs_communication_body: '[Conduit] Hi' });
    expect(m.associations[0]?.types[0]?.associationTypeId).toBe(81);
    const c = toEngagement({ ...base, type: 'linkedin_connection_request', state: 'sent' });
    expect(c.properties['hs_communication_body']).toBe('[Conduit] LinkedIn connection request sent');
  });

  it('call → calls with duration in ms, status, recording URL (194)', () => {
    const c = toEngagement({ ...base, type: 'call', direction: 'outbound', durationMs: 125_400, status: 'no_answer', recordingUrl: 'https://rec.example/1.mp3', disposition: 'Left voicemail' });
    expect(c.objectType).toBe('calls');
    expect(c.properties).toMatchObject({ hs_call_direction: 'OUTBOUND', hs_call_duration: '125400', hs_call_status: 'NO_ANSWER', hs_call_recording_url: 'https://rec.example/1.mp3', hs_call_body: 'Outcome: Left voicemail' });
    expect(c.associations[0]?.types[0]?.associationTypeId).toBe(194);
  });

  it('meeting → meetings with start/end/outcome, hs_timestamp = start (200)', () => {
    const m = toEngagement({ ...base, type: 'meeting', title: 'Demo', startAt: '2024-05-02T15:00:00Z', endAt: '2024-05-02T15:30:00Z', outcome: 'scheduled', attendees: ['ada@y.example'] });
    expect(m.properties).toMatchObject({ hs_timestamp: '2024-05-02T15:00:00.000Z', hs_meeting_start_time: '2024-05-02T15:00:00.000Z', hs_meeting_end_time: '2024-05-02T15:30:00.000Z', hs_meeting_outcome: 'SCHEDULED', hs_meeting_title: '[Conduit] Demo' });
    expect(m.associations[0]?.types[0]?.associationTypeId).toBe(200);
  });

  it('note → notes (202); task → tasks with due date as hs_timestamp (204)', () => {
    const n = toEngagement({ ...base, type: 'note', body: 'Met at the fair' });
    expect(n).toMatchObject({ objectType: 'notes', properties: { hs_note_body: '[Conduit] Met at the fair' } });
    expect(n.associations[0]?.types[0]?.associationTypeId).toBe(202);
    const t = toEngagement({ ...base, type: 'task', subject: 'Follow up', status: 'not_started', priority: 'high', dueAt: '2024-05-10T09:00:00Z', taskType: 'call' });
    expect(t.properties).toMatchObject({ hs_timestamp: '2024-05-10T09:00:00.000Z', hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH', hs_task_type: 'CALL', hs_task_subject: '[Conduit] Follow up' });
    expect(t.associations[0]?.types[0]?.associationTypeId).toBe(204);
  });

  it('refuses a lead as the person (HubSpot activities attach to contacts)', () => {
    const a: CrmActivityInput = { ...base, person: { object: 'lead', id: '1' }, type: 'note', body: 'x' };
    expect(() => toEngagement(a)).toThrow(UnsupportedCrmError);
  });
});
