/**
 * HubSpot objects ↔ neutral records. Pure: tested on recorded payloads in __fixtures__.
 * Accepts both raw JSON (dates as ISO strings) and SDK models (dates as Date objects).
 */
import type {
  CrmActivityInput,
  CrmDealSchema,
  CrmFieldDescriptor,
  CrmList,
  CrmListMember,
  CrmObjectType,
  CrmOwner,
  CrmRecord,
  CrmValue,
  HubSpotFieldType,
} from '../contract.js';
import { ACTIVITY_ID_FIELD } from '../contract.js';
import { UnsupportedCrmError } from '../errors.js';
import { HUBSPOT_ASSOCIATION_TYPES } from './hubspot.metadata.js';

type DateLike = Date | string | number | null | undefined;

const text = (v: CrmValue | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const flag = (v: CrmValue | undefined): boolean => v === true || v === 'true';
const amount = (v: CrmValue | undefined): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * HubSpot deals: string values, the company from the deal's associations, closed/won from the calculated flags or the
 * default pipeline's closedwon/closedlost stages. Companies are customers by lifecycle stage.
 */
export const HUBSPOT_DEALS: CrmDealSchema = {
  fields: ['dealname', 'dealstage', 'amount', 'closedate', 'hs_is_closed', 'hs_is_closed_won', 'pipeline'],
  inlineAssociations: ['contact', 'company'],
  customerField: 'lifecyclestage',
  toDeal(r) {
    const p = r.properties;
    const closeDate = text(p['closedate']);
    return {
      id: r.id,
      name: text(p['dealname']),
      stage: text(p['dealstage']),
      amount: amount(p['amount']),
      closeDate: closeDate ? closeDate.slice(0, 10) : null,
      isClosed: flag(p['hs_is_closed']) || ['closedwon', 'closedlost'].includes(String(p['dealstage'])),
      isWon: flag(p['hs_is_closed_won']) || p['dealstage'] === 'closedwon',
      companyId: r.associations?.company?.[0] ?? null,
      updatedAt: r.updatedAt,
    };
  },
};

export interface HubspotObject {
  id: string;
  properties: Record<string, string | null | undefined>;
  associations?: Record<string, { results?: Array<{ id: string; type?: string }> }>;
  createdAt?: DateLike;
  updatedAt?: DateLike;
  archived?: boolean;
  objectWriteTraceId?: string;
}

export interface HubspotProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  options?: Array<{ label: string; value: string; hidden?: boolean }>;
  modificationMetadata?: { readOnlyValue?: boolean };
  hubspotDefined?: boolean;
  calculated?: boolean;
  hidden?: boolean;
}

export interface HubspotOwner {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  userId?: number | null;
  archived?: boolean;
}

export interface HubspotListSearchResult {
  listId: string;
  name: string;
  processingType: string;
  updatedAt?: DateLike;
  additionalProperties?: Record<string, string | undefined>;
  /** Not in the search schema; some answers (GET /lists/{id}) carry it. */
  size?: number;
}

export interface HubspotMembership {
  recordId: string;
  membershipTimestamp?: DateLike;
}

export type HubspotObjectType = 'contacts' | 'companies' | 'deals';
export type HubspotEngagementType = 'emails' | 'calls' | 'meetings' | 'notes' | 'tasks' | 'communications';

export function hubspotObjectType(object: CrmObjectType): HubspotObjectType {
  switch (object) {
    case 'contact':
      return 'contacts';
    case 'company':
      return 'companies';
    case 'deal':
      return 'deals';
    case 'lead':
      throw new UnsupportedCrmError("HubSpot has no 'lead' object in Conduit's contract: use 'contact'");
  }
}

/** The property search sorts and filters on for incremental sync (contacts have their own name for it). */
export function lastModifiedProperty(object: CrmObjectType): string {
  return object === 'contact' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

export function toIso(d: DateLike): string | null {
  if (d === null || d === undefined || d === '') return null;
  if (d instanceof Date) return Number.isNaN(d.getTime()) ? null : d.toISOString();
  if (typeof d === 'number') return new Date(d).toISOString();
  // HubSpot sends ISO strings, and epoch milliseconds as strings in some properties.
  if (/^\d{10,}$/.test(d)) return new Date(Number(d)).toISOString();
  const t = Date.parse(d);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function toRecord(object: CrmObjectType, o: HubspotObject): CrmRecord {
  const properties: Record<string, CrmValue> = {};
  for (const [k, v] of Object.entries(o.properties ?? {})) properties[k] = v ?? null;
  const updatedAt = toIso(o.updatedAt) ?? toIso(o.properties?.[lastModifiedProperty(object)]) ?? new Date(0).toISOString();
  const createdAt = toIso(o.createdAt);
  const associations = toAssociations(o.associations);
  return {
    id: String(o.id),
    object,
    properties,
    updatedAt,
    ...(createdAt ? { createdAt } : {}),
    ...(o.archived ? { archived: true } : {}),
    ...(associations ? { associations } : {}),
  };
}

const NEUTRAL_BY_HUBSPOT: Record<string, CrmObjectType> = { contacts: 'contact', companies: 'company', deals: 'deal' };

/** v3 inline associations ({companies: {results: [{id, type}]}}) → neutral ids, one per record (several types per pair collapse). */
function toAssociations(a: HubspotObject['associations']): Partial<Record<CrmObjectType, string[]>> | undefined {
  if (!a) return undefined;
  const out: Partial<Record<CrmObjectType, string[]>> = {};
  for (const [key, value] of Object.entries(a)) {
    const neutral = NEUTRAL_BY_HUBSPOT[key];
    if (!neutral) continue;
    out[neutral] = [...new Set((value.results ?? []).map((r) => String(r.id)))];
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Neutral values → HubSpot's strings. null clears a property (HubSpot clears on empty string). */
export function toHubspotProperties(props: Record<string, CrmValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    out[k] = v === null ? '' : typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
  }
  return out;
}

const HUBSPOT_TYPES: ReadonlySet<string> = new Set<HubSpotFieldType>(['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number']);

export function toFieldDescriptor(p: HubspotProperty): CrmFieldDescriptor {
  const type = (HUBSPOT_TYPES.has(p.type) ? p.type : 'string') as HubSpotFieldType;
  const options = (p.options ?? []).filter((o) => !o.hidden).map((o) => ({ value: o.value, label: o.label }));
  const isEnum = type === 'enumeration';
  return {
    name: p.name,
    label: p.label,
    type,
    crmType: p.fieldType,
    ...(isEnum || options.length > 0 ? { options } : {}),
    ...(isEnum ? { restricted: true } : {}),
    ...(isEnum && p.fieldType === 'checkbox' ? { multiValued: true } : {}),
    readOnly: Boolean(p.modificationMetadata?.readOnlyValue) || Boolean(p.calculated),
    required: false,
    custom: p.hubspotDefined !== true,
  };
}

export function toOwner(o: HubspotOwner): CrmOwner {
  return {
    id: String(o.id),
    email: o.email ?? null,
    firstName: o.firstName ?? null,
    lastName: o.lastName ?? null,
    active: o.archived !== true,
    userId: o.userId === null || o.userId === undefined ? null : String(o.userId),
  };
}

export function toList(l: HubspotListSearchResult): CrmList {
  const rawSize = l.size ?? l.additionalProperties?.['hs_list_size'];
  const size = rawSize === undefined || rawSize === null || rawSize === '' ? null : Number(rawSize);
  return {
    id: String(l.listId),
    name: l.name,
    kind: l.processingType === 'DYNAMIC' ? 'dynamic' : 'static',
    size: size !== null && Number.isFinite(size) ? size : null,
    updatedAt: toIso(l.updatedAt),
  };
}

export function toListMember(m: HubspotMembership): CrmListMember {
  return { recordId: String(m.recordId), object: 'contact', addedAt: toIso(m.membershipTimestamp) };
}

// ---- Activities ----------------------------------------------------------------------------

export interface HubspotEngagementInput {
  objectType: HubspotEngagementType;
  properties: Record<string, string>;
  associations: Array<{ to: { id: string }; types: Array<{ associationCategory: 'HUBSPOT_DEFINED'; associationTypeId: number }> }>;
}

function labelled(label: string | undefined, text: string): string {
  return label ? `${label} ${text}` : text;
}

const CALL_STATUS = { completed: 'COMPLETED', no_answer: 'NO_ANSWER', busy: 'BUSY', failed: 'FAILED', canceled: 'CANCELED' } as const;
const MEETING_OUTCOME = { scheduled: 'SCHEDULED', completed: 'COMPLETED', rescheduled: 'RESCHEDULED', no_show: 'NO_SHOW', canceled: 'CANCELED' } as const;
const EMAIL_STATUS = { sent: 'SENT', bounced: 'BOUNCED', failed: 'FAILED', scheduled: 'SCHEDULED' } as const;

/** The engagement object an activity type becomes. */
export function engagementType(a: { type: CrmActivityInput['type'] }): HubspotEngagementType {
  switch (a.type) {
    case 'email':
      return 'emails';
    case 'linkedin_message':
    case 'linkedin_connection_request':
      return 'communications';
    case 'call':
      return 'calls';
    case 'meeting':
      return 'meetings';
    case 'note':
      return 'notes';
    case 'task':
      return 'tasks';
  }
}

/** One activity → an engagement object with inline v4 associations (real association type ids). */
export function toEngagement(a: CrmActivityInput): HubspotEngagementInput {
  const objectType = engagementType(a);
  const ts = toIso(a.occurredAt) ?? a.occurredAt;
  const p: Record<string, string> = { hs_timestamp: ts };
  if (a.ownerId) p['hubspot_owner_id'] = a.ownerId;
  if (a.externalId) p[ACTIVITY_ID_FIELD.hubspot] = a.externalId;

  switch (a.type) {
    case 'email': {
      p['hs_email_direction'] = a.direction === 'inbound' ? 'INCOMING_EMAIL' : 'EMAIL';
      p['hs_email_status'] = EMAIL_STATUS[a.status ?? 'sent'];
      p['hs_email_subject'] = labelled(a.label, a.subject);
      if (a.bodyText !== undefined) p['hs_email_text'] = a.bodyText;
      if (a.bodyHtml !== undefined) p['hs_email_html'] = a.bodyHtml;
      if (a.from || a.to) {
        p['hs_email_headers'] = JSON.stringify({
          ...(a.from ? { from: { email: a.from } } : {}),
          to: (a.to ?? []).map((email) => ({ email })),
        });
      }
      break;
    }
    case 'linkedin_message':
      p['hs_communication_channel_type'] = 'LINKEDIN_MESSAGE';
      p['hs_communication_logged_from'] = 'CRM';
      p['hs_communication_body'] = labelled(a.label, a.direction === 'inbound' ? `(received) ${a.body}` : a.body);
      break;
    case 'linkedin_connection_request': {
      const what = a.state === 'accepted' ? 'LinkedIn connection request accepted' : 'LinkedIn connection request sent';
      p['hs_communication_channel_type'] = 'LINKEDIN_MESSAGE';
      p['hs_communication_logged_from'] = 'CRM';
      p['hs_communication_body'] = labelled(a.label, a.body ? `${what}: ${a.body}` : what);
      break;
    }
    case 'call':
      p['hs_call_direction'] = a.direction === 'inbound' ? 'INBOUND' : 'OUTBOUND';
      p['hs_call_status'] = CALL_STATUS[a.status ?? 'completed'];
      p['hs_call_title'] = labelled(a.label, a.title ?? (a.direction === 'inbound' ? 'Inbound call' : 'Outbound call'));
      if (a.durationMs !== undefined) p['hs_call_duration'] = String(Math.round(a.durationMs));
      if (a.recordingUrl) p['hs_call_recording_url'] = a.recordingUrl;
      {
        const body = [a.disposition ? `Outcome: ${a.disposition}` : null, a.body ?? null].filter((x): x is string => x !== null).join('\n\n');
        if (body) p['hs_call_body'] = body;
      }
      break;
    case 'meeting':
      p['hs_timestamp'] = toIso(a.startAt) ?? a.startAt;
      p['hs_meeting_title'] = labelled(a.label, a.title);
      p['hs_meeting_start_time'] = toIso(a.startAt) ?? a.startAt;
      p['hs_meeting_end_time'] = toIso(a.endAt) ?? a.endAt;
      if (a.location) p['hs_meeting_location'] = a.location;
      if (a.outcome) p['hs_meeting_outcome'] = MEETING_OUTCOME[a.outcome];
      {
        const body = [a.body ?? null, a.attendees?.length ? `Attendees: ${a.attendees.join(', ')}` : null]
          .filter((x): x is string => x !== null)
          .join('\n\n');
        if (body) p['hs_meeting_body'] = body;
      }
      break;
    case 'note':
      p['hs_note_body'] = labelled(a.label, a.body);
      break;
    case 'task':
      // A task's hs_timestamp is its due date.
      p['hs_timestamp'] = toIso(a.dueAt ?? a.occurredAt) ?? a.occurredAt;
      p['hs_task_subject'] = labelled(a.label, a.subject);
      if (a.body !== undefined) p['hs_task_body'] = a.body;
      p['hs_task_status'] = a.status === 'completed' ? 'COMPLETED' : 'NOT_STARTED';
      if (a.priority) p['hs_task_priority'] = a.priority.toUpperCase();
      p['hs_task_type'] = (a.taskType ?? 'todo').toUpperCase();
      break;
  }

  if (a.person.object !== 'contact') throw new UnsupportedCrmError('HubSpot activities attach to contacts');
  const ids = HUBSPOT_ASSOCIATION_TYPES[objectType];
  const associations: HubspotEngagementInput['associations'] = [
    { to: { id: a.person.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ids.contact }] },
  ];
  if (a.companyId) associations.push({ to: { id: a.companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ids.company }] });
  if (a.dealId) associations.push({ to: { id: a.dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ids.deal }] });
  return { objectType, properties: p, associations };
}
