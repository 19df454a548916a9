import type { ActivityType, EngagementState, ReplySentiment } from '@conduit/contracts';
import { capabilitiesOf, type CrmActivityInput, type CrmActivityTarget, type CrmActivityType } from '@conduit/crm';

/** An activity as stored: the common columns plus the type-specific fields as received. */
export interface StoredActivity {
  id: string;
  type: ActivityType;
  occurredAt: Date;
  details: ActivityDetails;
}

/** The type-specific fields of CreateActivityDto (everything after occurredAt). */
export interface ActivityDetails {
  subject?: string;
  bodyText?: string;
  bodyHtml?: string;
  from?: string;
  to?: string[];
  threadId?: string;
  sentiment?: ReplySentiment;
  direction?: 'incoming' | 'sent' | 'received' | 'outbound' | 'inbound';
  state?: 'sent' | 'accepted';
  body?: string;
  durationSeconds?: number;
  disposition?: string;
  outcome?: string;
  notes?: string;
  recordingUrl?: string;
  title?: string;
  start?: string;
  end?: string;
  attendees?: string[];
  location?: string;
  dueDate?: string;
  priority?: 'low' | 'medium' | 'high';
  status?: 'not_started' | 'completed';
}

export const DETAIL_FIELDS = [
  'subject', 'bodyText', 'bodyHtml', 'from', 'to', 'threadId', 'sentiment', 'direction', 'state', 'body', 'durationSeconds', 'disposition',
  'outcome', 'notes', 'recordingUrl', 'title', 'start', 'end', 'attendees', 'location', 'dueDate', 'priority', 'status',
] as const satisfies readonly (keyof ActivityDetails)[];

const CALL_STATUSES = ['completed', 'no_answer', 'busy', 'failed', 'canceled'] as const;
const MEETING_OUTCOMES = ['scheduled', 'completed', 'rescheduled', 'no_show', 'canceled'] as const;

function pick<T extends string>(values: readonly T[], v: string | undefined): T | undefined {
  return v !== undefined && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

const inbound = (d: ActivityDetails) => d.direction === 'incoming' || d.direction === 'received' || d.direction === 'inbound';

/**
 * What the CRM adapter writes for an activity: the neutral CrmActivityInput (the adapter turns it into a HubSpot
 * engagement or a Salesforce Task/Event). Pure, so every type's mapping is tested without a CRM.
 */
export function toCrmActivity(a: StoredActivity, target: CrmActivityTarget, options: { label: string; ownerId?: string | null }): CrmActivityInput {
  const d = a.details;
  const base = {
    ...target,
    externalId: a.id,
    occurredAt: a.occurredAt.toISOString(),
    ...(options.ownerId ? { ownerId: options.ownerId } : {}),
    ...(options.label ? { label: options.label } : {}),
  };
  switch (a.type) {
    case 'email_sent':
    case 'email_reply':
      return {
        ...base,
        type: 'email',
        direction: a.type === 'email_reply' ? 'inbound' : 'outbound',
        subject: d.subject ?? '',
        ...(d.bodyText !== undefined ? { bodyText: d.bodyText } : {}),
        ...(d.bodyHtml !== undefined ? { bodyHtml: d.bodyHtml } : {}),
        ...(d.from ? { from: d.from } : {}),
        ...(d.to ? { to: d.to } : {}),
        ...(d.threadId ? { threadId: d.threadId } : {}),
        status: 'sent',
      };
    case 'linkedin_message':
      return { ...base, type: 'linkedin_message', direction: inbound(d) ? 'inbound' : 'outbound', body: d.body ?? '' };
    case 'linkedin_connection_request':
      return { ...base, type: 'linkedin_connection_request', state: d.state ?? 'sent', ...(d.body ? { body: d.body } : {}) };
    case 'call': {
      const status = pick(CALL_STATUSES, d.outcome);
      return {
        ...base,
        type: 'call',
        direction: inbound(d) ? 'inbound' : 'outbound',
        ...(d.title ? { title: d.title } : {}),
        ...(d.durationSeconds !== undefined ? { durationMs: d.durationSeconds * 1000 } : {}),
        ...(status ? { status } : {}),
        ...(d.disposition ? { disposition: d.disposition } : {}),
        ...(d.notes ? { body: d.notes } : {}),
        ...(d.recordingUrl ? { recordingUrl: d.recordingUrl } : {}),
      };
    }
    case 'meeting': {
      const outcome = pick(MEETING_OUTCOMES, d.outcome);
      return {
        ...base,
        type: 'meeting',
        title: d.title ?? '',
        startAt: d.start ?? base.occurredAt,
        endAt: d.end ?? d.start ?? base.occurredAt,
        ...(d.body ? { body: d.body } : {}),
        ...(d.location ? { location: d.location } : {}),
        ...(outcome ? { outcome } : {}),
        ...(d.attendees?.length ? { attendees: d.attendees } : {}),
      };
    }
    case 'note':
      return { ...base, type: 'note', body: d.body ?? '' };
    case 'task':
      return {
        ...base,
        type: 'task',
        subject: d.subject ?? '',
        ...(d.body ?? d.bodyText ? { body: d.body ?? d.bodyText } : {}),
        ...(d.dueDate ? { dueAt: d.dueDate } : {}),
        ...(d.priority ? { priority: d.priority } : {}),
        status: d.status ?? 'not_started',
      };
  }
}

/** The HubSpot engagement object an activity becomes, and the timestamp HubSpot stores for it (the create-check matches on both). */
export function hubspotTarget(input: CrmActivityInput): { objectType: 'emails' | 'communications' | 'calls' | 'meetings' | 'notes' | 'tasks'; timestamp: string } {
  switch (input.type) {
    case 'email':
      return { objectType: 'emails', timestamp: input.occurredAt };
    case 'linkedin_message':
    case 'linkedin_connection_request':
      return { objectType: 'communications', timestamp: input.occurredAt };
    case 'call':
      return { objectType: 'calls', timestamp: input.occurredAt };
    case 'meeting':
      return { objectType: 'meetings', timestamp: input.startAt };
    case 'note':
      return { objectType: 'notes', timestamp: input.occurredAt };
    case 'task':
      return { objectType: 'tasks', timestamp: input.dueAt ?? input.occurredAt };
  }
}

/** The Salesforce object and TaskSubtype an activity becomes. */
export function salesforceTarget(input: CrmActivityInput): { sobject: 'Task' | 'Event'; subtype: 'Email' | 'Call' | 'LinkedIn' | 'Task' | null } {
  switch (input.type) {
    case 'email':
      return { sobject: 'Task', subtype: 'Email' };
    case 'linkedin_message':
    case 'linkedin_connection_request':
      return { sobject: 'Task', subtype: 'LinkedIn' };
    case 'call':
      return { sobject: 'Task', subtype: 'Call' };
    case 'meeting':
      return { sobject: 'Event', subtype: null };
    case 'note':
    case 'task':
      return { sobject: 'Task', subtype: 'Task' };
  }
}

/** Meeting outcomes that mean it did not happen: such a meeting is a touch, not a yes. */
const MEETING_NOT_HELD = new Set(['canceled', 'no_show']);

const RANK: Record<EngagementState, number> = { not_contacted: 0, contacted: 1, replied: 2, replied_positive: 3, replied_negative: 3 };

/**
 * The person's engagement state after an activity, or null when it does not change. A reply sets the replied state
 * its sentiment says (a later reply's sentiment wins); a booked meeting (not canceled, no-show) is a positive reply;
 * an outbound touch moves a not-contacted person to contacted.
 * Nothing moves a person back.
 */
export function nextEngagementState(current: EngagementState, type: ActivityType, details: ActivityDetails): EngagementState | null {
  let next: EngagementState | null = null;
  if (type === 'email_reply' || (type === 'linkedin_message' && inbound(details))) {
    const s = type === 'email_reply' ? details.sentiment : undefined;
    next = s === 'positive' ? 'replied_positive' : s === 'negative' ? 'replied_negative' : 'replied';
    if (next === 'replied' && RANK[current] >= RANK.replied) return null;
    return next === current ? null : next;
  }
  if (type === 'meeting' && !MEETING_NOT_HELD.has(details.outcome ?? '')) {
    // A booked (or held) meeting is the prospect saying yes, whatever an earlier reply's sentiment was.
    return current === 'replied_positive' ? null : 'replied_positive';
  }
  const outbound = type === 'email_sent' || type === 'call' || type === 'meeting' || (type === 'linkedin_message' && !inbound(details)) || type === 'linkedin_connection_request';
  if (outbound && current === 'not_contacted') next = 'contacted';
  return next;
}

/**
 * Which CRM call an activity rides in: HubSpot batch-creates one engagement object type per call, Salesforce one
 * sObject (Task / Event) per sObject collection. Activities of one group share a call.
 */
export function callGroup(crm: 'hubspot' | 'salesforce', type: ActivityType): string {
  return capabilitiesOf(crm).activityObjects[CRM_ACTIVITY_TYPE[type]];
}

/** The CRM contract's activity type of each of Conduit's (both email kinds are an email; a reply is inbound). */
const CRM_ACTIVITY_TYPE: Record<ActivityType, CrmActivityType> = {
  email_sent: 'email',
  email_reply: 'email',
  linkedin_message: 'linkedin_message',
  linkedin_connection_request: 'linkedin_connection_request',
  call: 'call',
  meeting: 'meeting',
  note: 'note',
  task: 'task',
};

/**
 * What one CRM call carries, from the pending deliveries oldest first: the group of the oldest, and of that group
 * every delivery whose person has no older pending delivery in another group (so each person's activities still
 * reach the timeline in order), up to `max`. People in `busy` (a call with their deliveries is in flight) wait.
 */
export function planCall<T extends { person_id: string; type: ActivityType }>(crm: 'hubspot' | 'salesforce', pending: T[], max: number, busy: ReadonlySet<string> = new Set()): T[] {
  const blocked = new Set(busy);
  const first = pending.find((r) => !blocked.has(r.person_id));
  if (!first) return [];
  const group = callGroup(crm, first.type);
  const out: T[] = [];
  for (const row of pending) {
    if (out.length >= max) break;
    if (callGroup(crm, row.type) !== group) blocked.add(row.person_id);
    else if (!blocked.has(row.person_id)) out.push(row);
  }
  return out;
}
