/**
 * Salesforce records ↔ neutral records. Pure: tested on recorded payloads in __fixtures__.
 */
import type {
  CrmDealSchema,
  CrmActivityInput,
  CrmFieldDescriptor,
  CrmList,
  CrmListMember,
  CrmObjectType,
  CrmOwner,
  CrmRecord,
  CrmValue,
  SalesforceFieldType,
} from '../contract.js';
import { ACTIVITY_ID_FIELD } from '../contract.js';

export interface SalesforceRecord {
  attributes?: { type: string; url: string };
  Id?: string;
  [field: string]: unknown;
}

export interface SalesforceField {
  name: string;
  label: string;
  type: string;
  length?: number;
  custom?: boolean;
  createable?: boolean;
  updateable?: boolean;
  nillable?: boolean;
  defaultedOnCreate?: boolean;
  calculated?: boolean;
  autoNumber?: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: Array<{ value: string; label: string | null; active?: boolean }>;
  referenceTo?: string[];
}

const SF_TYPES: ReadonlySet<string> = new Set<SalesforceFieldType>([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'boolean',
  'double',
  'int',
  'currency',
  'percent',
  'date',
  'datetime',
  'id',
  'reference',
]);

/** Describe types that cannot be selected in a multi-row SOQL query, or are parts-of-a-whole duplicates. */
const NOT_QUERYABLE_TYPES: ReadonlySet<string> = new Set(['address', 'location', 'base64', 'complexvalue']);

function neutralType(t: string): SalesforceFieldType {
  if (SF_TYPES.has(t)) return t as SalesforceFieldType;
  switch (t) {
    case 'combobox':
      return 'picklist';
    case 'long':
      return 'int';
    case 'time':
    case 'encryptedstring':
    default:
      return 'string';
  }
}

export function toFieldDescriptor(f: SalesforceField): CrmFieldDescriptor {
  const type = neutralType(f.type);
  const isPicklist = type === 'picklist' || type === 'multipicklist';
  const options = (f.picklistValues ?? []).filter((p) => p.active !== false).map((p) => ({ value: p.value, label: p.label ?? p.value }));
  const createable = f.createable === true;
  const updateable = f.updateable === true;
  return {
    name: f.name,
    label: f.label,
    type,
    crmType: f.type,
    ...(isPicklist ? { options, restricted: f.restrictedPicklist === true } : {}),
    ...(type === 'multipicklist' ? { multiValued: true } : {}),
    ...(f.length && f.length > 0 ? { length: f.length } : {}),
    readOnly: (!createable && !updateable) || f.calculated === true || f.autoNumber === true,
    required: createable && f.nillable === false && f.defaultedOnCreate !== true && f.type !== 'boolean',
    custom: f.custom === true,
    ...(f.referenceTo && f.referenceTo.length > 0 ? { referenceTo: f.referenceTo } : {}),
  };
}

/** Field names a changed-since / lookup query selects when the caller names none. */
export function queryableFieldNames(fields: SalesforceField[]): string[] {
  return fields.filter((f) => !NOT_QUERYABLE_TYPES.has(f.type)).map((f) => f.name);
}

const META_FIELDS = new Set(['attributes']);

export function toRecord(object: CrmObjectType, r: SalesforceRecord): CrmRecord {
  const properties: Record<string, CrmValue> = {};
  for (const [k, v] of Object.entries(r)) {
    if (META_FIELDS.has(k)) continue;
    if (v === null || v === undefined) properties[k] = null;
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') properties[k] = v;
    // Compound (address) values and relationship sub-objects are skipped: their parts are fields of their own.
  }
  const updatedAt = isoOrNull(r['SystemModstamp']) ?? isoOrNull(r['LastModifiedDate']) ?? new Date(0).toISOString();
  const createdAt = isoOrNull(r['CreatedDate']);
  return {
    id: String(r.Id ?? ''),
    object,
    properties,
    updatedAt,
    ...(createdAt ? { createdAt } : {}),
    ...(r['IsDeleted'] === true ? { archived: true } : {}),
  };
}

/** Salesforce datetimes look like 2024-05-01T10:00:00.000+0000, which Date.parse does not read everywhere. */
export function isoOrNull(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return null;
  const fixed = v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const t = Date.parse(fixed);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Neutral values → Salesforce JSON. Salesforce takes typed JSON values; null clears a field. */
export function toSalesforceFields(props: Record<string, CrmValue>): Record<string, CrmValue> {
  const out: Record<string, CrmValue> = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined) out[k] = v;
  return out;
}

export function toOwner(u: SalesforceRecord): CrmOwner {
  return {
    id: String(u.Id),
    email: str(u['Email']),
    firstName: str(u['FirstName']),
    lastName: str(u['LastName']),
    active: u['IsActive'] !== false,
  };
}

export function toList(c: SalesforceRecord): CrmList {
  const leads = num(c['NumberOfLeads']);
  const contacts = num(c['NumberOfContacts']);
  return {
    id: String(c.Id),
    name: str(c['Name']) ?? '',
    kind: 'static',
    size: leads === null && contacts === null ? null : (leads ?? 0) + (contacts ?? 0),
    updatedAt: isoOrNull(c['LastModifiedDate']) ?? isoOrNull(c['SystemModstamp']),
    source: 'campaign',
  };
}

export function toListMember(m: SalesforceRecord): CrmListMember {
  const contactId = str(m['ContactId']);
  const leadId = str(m['LeadId']);
  return {
    recordId: contactId ?? leadId ?? '',
    object: contactId ? 'contact' : 'lead',
    addedAt: isoOrNull(m['CreatedDate']),
    status: str(m['Status']),
  };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const dealText = (v: CrmValue | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const dealNumber = (v: CrmValue | undefined): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** Salesforce Opportunities: typed values, the company is AccountId; Accounts are customers by Type. */
export const SALESFORCE_DEALS: CrmDealSchema = {
  fields: ['Name', 'StageName', 'Amount', 'CloseDate', 'IsClosed', 'IsWon', 'AccountId'],
  inlineAssociations: [],
  customerField: 'Type',
  toDeal(r) {
    const p = r.properties;
    const closeDate = dealText(p['CloseDate']);
    return {
      id: r.id,
      name: dealText(p['Name']),
      stage: dealText(p['StageName']),
      amount: dealNumber(p['Amount']),
      closeDate: closeDate ? closeDate.slice(0, 10) : null,
      isClosed: p['IsClosed'] === true || p['IsClosed'] === 'true',
      isWon: p['IsWon'] === true || p['IsWon'] === 'true',
      companyId: dealText(p['AccountId']),
      updatedAt: r.updatedAt,
    };
  },
};

// ---- Activities ----------------------------------------------------------------------------

export interface SalesforceActivityRecord {
  sobject: 'Task' | 'Event';
  fields: Record<string, CrmValue>;
}

function labelled(label: string | undefined, text: string): string {
  return label ? `${label} ${text}` : text;
}

/** Task Subject and Event Subject hold at most 255 characters. */
function subject(s: string): string {
  return s.length > 255 ? `${s.slice(0, 254)}…` : s;
}

function dateOnly(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso.slice(0, 10) : new Date(t).toISOString().slice(0, 10);
}

const PRIORITY = { low: 'Low', medium: 'Normal', high: 'High' } as const;

function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .trim();
}

/**
 * One activity → a Task (email, LinkedIn, call, note, task) or an Event (meeting). WhatId
 * (deal, else company) is set only for Contacts: Salesforce refuses WhatId with a Lead WhoId.
 */
export function toActivityRecord(a: CrmActivityInput): SalesforceActivityRecord {
  const f: Record<string, CrmValue> = { WhoId: a.person.id };
  if (a.ownerId) f['OwnerId'] = a.ownerId;
  if (a.externalId) f[ACTIVITY_ID_FIELD.salesforce] = a.externalId;
  if (a.person.object === 'contact') {
    const what = a.dealId ?? a.companyId;
    if (what) f['WhatId'] = what;
  }
  const completed = { Status: 'Completed', ActivityDate: dateOnly(a.occurredAt) };

  switch (a.type) {
    case 'email': {
      const header = [a.from ? `From: ${a.from}` : null, a.to?.length ? `To: ${a.to.join(', ')}` : null].filter((x): x is string => x !== null);
      const body = a.bodyText ?? (a.bodyHtml ? htmlToText(a.bodyHtml) : '');
      const prefix = a.direction === 'inbound' ? 'Email received: ' : '';
      return {
        sobject: 'Task',
        fields: {
          ...f,
          ...completed,
          TaskSubtype: 'Email',
          Subject: subject(labelled(a.label, `${prefix}${a.subject}`)),
          Description: [...header, header.length ? '' : null, body].filter((x): x is string => x !== null).join('\n'),
          Priority: 'Normal',
        },
      };
    }
    case 'linkedin_message':
      return {
        sobject: 'Task',
        fields: {
          ...f,
          ...completed,
          TaskSubtype: 'LinkedIn',
          Subject: subject(labelled(a.label, a.direction === 'inbound' ? 'LinkedIn message received' : 'LinkedIn message sent')),
          Description: a.body,
          Priority: 'Normal',
        },
      };
    case 'linkedin_connection_request':
      return {
        sobject: 'Task',
        fields: {
          ...f,
          ...completed,
          TaskSubtype: 'LinkedIn',
          Subject: subject(labelled(a.label, a.state === 'accepted' ? 'LinkedIn connection request accepted' : 'LinkedIn connection request sent')),
          ...(a.body ? { Description: a.body } : {}),
          Priority: 'Normal',
        },
      };
    case 'call': {
      const description = [a.body ?? null, a.recordingUrl ? `Recording: ${a.recordingUrl}` : null].filter((x): x is string => x !== null).join('\n\n');
      return {
        sobject: 'Task',
        fields: {
          ...f,
          ...completed,
          TaskSubtype: 'Call',
          Subject: subject(labelled(a.label, a.title ?? (a.direction === 'inbound' ? 'Inbound call' : 'Outbound call'))),
          CallType: a.direction === 'inbound' ? 'Inbound' : 'Outbound',
          ...(a.durationMs !== undefined ? { CallDurationInSeconds: Math.round(a.durationMs / 1000) } : {}),
          ...(a.disposition || a.status ? { CallDisposition: a.disposition ?? a.status ?? null } : {}),
          ...(description ? { Description: description } : {}),
          Priority: 'Normal',
        },
      };
    }
    case 'meeting': {
      const description = [a.body ?? null, a.attendees?.length ? `Attendees: ${a.attendees.join(', ')}` : null, a.outcome ? `Outcome: ${a.outcome}` : null]
        .filter((x): x is string => x !== null)
        .join('\n\n');
      return {
        sobject: 'Event',
        fields: {
          ...f,
          Subject: subject(labelled(a.label, a.title)),
          StartDateTime: new Date(a.startAt).toISOString(),
          EndDateTime: new Date(a.endAt).toISOString(),
          ...(a.location ? { Location: a.location } : {}),
          ...(description ? { Description: description } : {}),
        },
      };
    }
    case 'note':
      return {
        sobject: 'Task',
        fields: { ...f, ...completed, TaskSubtype: 'Task', Subject: subject(labelled(a.label, 'Note')), Description: a.body, Priority: 'Normal' },
      };
    case 'task':
      return {
        sobject: 'Task',
        fields: {
          ...f,
          TaskSubtype: 'Task',
          Subject: subject(labelled(a.label, a.subject)),
          ...(a.body !== undefined ? { Description: a.body } : {}),
          ActivityDate: dateOnly(a.dueAt ?? a.occurredAt),
          Status: a.status === 'completed' ? 'Completed' : 'Not Started',
          Priority: PRIORITY[a.priority ?? 'medium'],
        },
      };
  }
}
