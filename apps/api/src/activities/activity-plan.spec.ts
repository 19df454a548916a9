import { describe, expect, it } from '@jest/globals';
import { callGroup, hubspotTarget, nextEngagementState, planCall, salesforceTarget, toCrmActivity, type StoredActivity } from './activity-plan.js';

const target = { person: { object: 'contact' as const, id: '101' }, companyId: '7' };
const at = new Date('2026-03-01T10:00:00.000Z');
const act = (type: StoredActivity['type'], details: StoredActivity['details']): StoredActivity => ({ id: 'a1', type, occurredAt: at, details });

describe('toCrmActivity', () => {
  it('email sent → outbound email with label, owner and headers', () => {
    const input = toCrmActivity(act('email_sent', { subject: 'Hi', bodyText: 'Body', from: 'rep@x.io', to: ['p@y.io'], threadId: 't1' }), target, { label: '[Conduit]', ownerId: '55' });
    expect(input).toEqual({
      ...target,
      // The activity id travels with the create, so a lost answer can be looked up instead of created twice.
      externalId: 'a1',
      type: 'email',
      direction: 'outbound',
      subject: 'Hi',
      bodyText: 'Body',
      from: 'rep@x.io',
      to: ['p@y.io'],
      threadId: 't1',
      status: 'sent',
      occurredAt: at.toISOString(),
      ownerId: '55',
      label: '[Conduit]',
    });
    expect(hubspotTarget(input)).toEqual({ objectType: 'emails', timestamp: at.toISOString() });
    expect(salesforceTarget(input)).toEqual({ sobject: 'Task', subtype: 'Email' });
  });

  it('email reply is inbound; an empty label and no owner are left out', () => {
    const input = toCrmActivity(act('email_reply', { subject: 'Re: Hi', sentiment: 'positive', direction: 'incoming' }), target, { label: '' });
    expect(input).toMatchObject({ type: 'email', direction: 'inbound' });
    expect(input).not.toHaveProperty('label');
    expect(input).not.toHaveProperty('ownerId');
  });

  it('LinkedIn message received, connection request accepted → communications / LinkedIn tasks', () => {
    const m = toCrmActivity(act('linkedin_message', { direction: 'received', body: 'Thanks!' }), target, { label: 'L' });
    expect(m).toMatchObject({ type: 'linkedin_message', direction: 'inbound', body: 'Thanks!' });
    const c = toCrmActivity(act('linkedin_connection_request', { state: 'accepted' }), target, { label: 'L' });
    expect(c).toMatchObject({ type: 'linkedin_connection_request', state: 'accepted' });
    expect(hubspotTarget(c).objectType).toBe('communications');
    expect(salesforceTarget(c)).toEqual({ sobject: 'Task', subtype: 'LinkedIn' });
  });

  it('call: seconds → ms, outcome → status, notes → body, recording url', () => {
    const input = toCrmActivity(
      act('call', { direction: 'outbound', durationSeconds: 95, outcome: 'no_answer', disposition: 'Left voicemail', notes: 'n', recordingUrl: 'https://rec.example/1' }),
      target,
      { label: '' },
    );
    expect(input).toMatchObject({ type: 'call', direction: 'outbound', durationMs: 95_000, status: 'no_answer', disposition: 'Left voicemail', body: 'n', recordingUrl: 'https://rec.example/1' });
    expect(salesforceTarget(input)).toEqual({ sobject: 'Task', subtype: 'Call' });
  });

  it('meeting: start/end, attendees, outcome; HubSpot timestamp is the start; Salesforce Event', () => {
    const input = toCrmActivity(
      act('meeting', { title: 'Demo', start: '2026-03-05T15:00:00.000Z', end: '2026-03-05T15:30:00.000Z', attendees: ['a@x.io'], location: 'https://meet', outcome: 'scheduled' }),
      target,
      { label: '[C]' },
    );
    expect(input).toMatchObject({ type: 'meeting', title: 'Demo', startAt: '2026-03-05T15:00:00.000Z', endAt: '2026-03-05T15:30:00.000Z', attendees: ['a@x.io'], location: 'https://meet', outcome: 'scheduled' });
    expect(hubspotTarget(input).timestamp).toBe('2026-03-05T15:00:00.000Z');
    expect(salesforceTarget(input)).toEqual({ sobject: 'Event', subtype: null });
  });

  it('note and task', () => {
    expect(toCrmActivity(act('note', { body: 'b' }), target, { label: '' })).toMatchObject({ type: 'note', body: 'b' });
    const t = toCrmActivity(act('task', { subject: 'Follow up', body: 'x', dueDate: '2026-03-09T09:00:00.000Z', priority: 'high' }), target, { label: '' });
    expect(t).toMatchObject({ type: 'task', subject: 'Follow up', body: 'x', dueAt: '2026-03-09T09:00:00.000Z', priority: 'high', status: 'not_started' });
    expect(hubspotTarget(t).timestamp).toBe('2026-03-09T09:00:00.000Z');
  });
});

describe('nextEngagementState', () => {
  it('replies set the replied state of their sentiment; a later sentiment wins', () => {
    expect(nextEngagementState('contacted', 'email_reply', { sentiment: 'positive' })).toBe('replied_positive');
    expect(nextEngagementState('contacted', 'email_reply', { sentiment: 'negative' })).toBe('replied_negative');
    expect(nextEngagementState('not_contacted', 'email_reply', { sentiment: 'neutral' })).toBe('replied');
    expect(nextEngagementState('replied_positive', 'email_reply', { sentiment: 'negative' })).toBe('replied_negative');
    expect(nextEngagementState('replied_positive', 'email_reply', { sentiment: 'neutral' })).toBeNull();
    expect(nextEngagementState('replied', 'email_reply', { sentiment: 'neutral' })).toBeNull();
  });

  it('a booked or held meeting is a positive reply; a canceled or no-show meeting is only a touch', () => {
    expect(nextEngagementState('contacted', 'meeting', { outcome: 'scheduled' })).toBe('replied_positive');
    expect(nextEngagementState('replied_negative', 'meeting', { outcome: 'completed' })).toBe('replied_positive');
    expect(nextEngagementState('not_contacted', 'meeting', {})).toBe('replied_positive');
    expect(nextEngagementState('replied_positive', 'meeting', { outcome: 'scheduled' })).toBeNull();
    expect(nextEngagementState('contacted', 'meeting', { outcome: 'canceled' })).toBeNull();
    expect(nextEngagementState('not_contacted', 'meeting', { outcome: 'no_show' })).toBe('contacted');
  });

  it('outbound touches move not contacted → contacted and never back', () => {
    expect(nextEngagementState('not_contacted', 'email_sent', {})).toBe('contacted');
    expect(nextEngagementState('not_contacted', 'linkedin_message', { direction: 'sent' })).toBe('contacted');
    expect(nextEngagementState('replied', 'email_sent', {})).toBeNull();
    expect(nextEngagementState('not_contacted', 'note', {})).toBeNull();
    expect(nextEngagementState('not_contacted', 'task', {})).toBeNull();
  });
});

describe('planCall', () => {
  const row = (id: string, person_id: string, type: StoredActivity['type']) => ({ id, person_id, type });

  it('takes the oldest delivery’s call group, skipping people with an older delivery of another group', () => {
    const pending = [row('1', 'p1', 'email_sent'), row('2', 'p2', 'note'), row('3', 'p2', 'email_sent'), row('4', 'p3', 'email_reply'), row('5', 'p1', 'email_sent')];
    expect(planCall('hubspot', pending, 100).map((r) => r.id)).toEqual(['1', '4', '5']);
    // Salesforce: notes and emails are both Tasks, so they share one call.
    expect(planCall('salesforce', pending, 100).map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('caps the call at max and is empty without deliveries', () => {
    const pending = [row('1', 'p1', 'call'), row('2', 'p2', 'call'), row('3', 'p3', 'call')];
    expect(planCall('hubspot', pending, 2).map((r) => r.id)).toEqual(['1', '2']);
    expect(planCall('hubspot', [], 2)).toEqual([]);
  });

  it('leaves out people with a call in flight, and takes the group of the oldest delivery of someone else', () => {
    const pending = [row('1', 'p1', 'note'), row('2', 'p2', 'call'), row('3', 'p3', 'call'), row('4', 'p1', 'call')];
    expect(planCall('hubspot', pending, 100, new Set(['p1'])).map((r) => r.id)).toEqual(['2', '3']);
    expect(planCall('hubspot', pending, 100, new Set(['p1', 'p2', 'p3']))).toEqual([]);
  });

  it('keeps a meeting (Salesforce Event) out of a Task call', () => {
    expect(callGroup('salesforce', 'meeting')).toBe('Event');
    expect(planCall('salesforce', [row('1', 'p1', 'meeting'), row('2', 'p2', 'task')], 10).map((r) => r.id)).toEqual(['1']);
  });
});
