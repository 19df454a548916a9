import type { CrmKind, CrmObjectType, CrmRecord } from '@conduit/crm';
import {
  type ConduitFieldRef,
  type ConduitRecord,
  type CurrentValueOrigin,
  type FieldChange,
  type FieldSourceRule,
  type ImportSourceOfTruth,
  isBlank,
  isFreeMailDomain,
  type MappedObject,
  type MappingRow,
  mergeOnImport,
  normalizeDomain,
  normalizeEmail,
  resolveRowField,
  standardFields,
  CUSTOM_PREFIX,
} from '@conduit/mapping';
import type { SampleDiff } from './sync-run.entity.js';

/**
 * The pure half of the import engine: given one page of CRM records and what the database already holds for
 * them, decide what to create, update, link and record. No I/O, so every identity and priority rule is unit-tested.
 */

export type EntityKind = 'person' | 'company';

export const ENGAGEMENT_STATES = ['not_contacted', 'contacted', 'replied', 'replied_positive', 'replied_negative'];

export function entityFor(object: CrmObjectType): EntityKind {
  switch (object) {
    case 'contact':
    case 'lead':
      return 'person';
    case 'company':
      return 'company';
    case 'deal':
      throw new Error('Deals are not imported as people or companies');
  }
}

export function mappedObjectFor(entity: EntityKind): MappedObject {
  return entity === 'person' ? 'contact' : 'company';
}

/**
 * Salesforce people live in two objects with one mapping (written for Leads by default): a Contact has the
 * Mailing address instead of the Lead's address fields, and no Company or Status.
 */
const LEAD_TO_CONTACT: Record<string, string | null> = {
  City: 'MailingCity',
  Country: 'MailingCountry',
  State: 'MailingState',
  PostalCode: 'MailingPostalCode',
  Street: 'MailingStreet',
  Company: null,
  Status: null,
};

export function rowsForCrmObject(crm: CrmKind, object: CrmObjectType, rows: readonly MappingRow[]): MappingRow[] {
  if (crm !== 'salesforce' || object !== 'contact') return [...rows];
  return rows.flatMap((r) => {
    if (!(r.crmField in LEAD_TO_CONTACT)) return [r];
    const field = LEAD_TO_CONTACT[r.crmField];
    return field ? [{ ...r, crmField: field }] : [];
  });
}

/** What the database holds for the records of one page (loaded by the service, scoped by workspace). */
export interface PageState {
  /** crmId → linked person/company id (live or archived links). */
  linkedByCrmId: ReadonlyMap<string, string>;
  /** Current rows of every linked or matched entity, by id, as Conduit records (camelCase fields). */
  entitiesById: ReadonlyMap<string, ConduitRecord>;
  /** Normalised email (people) or domain (companies) → entity id. */
  entityByKey: ReadonlyMap<string, string>;
  /** People only: CRM company id → Conduit company id (links of the same connection). */
  companyByCrmId: ReadonlyMap<string, string>;
  /** People only: normalised company domain → Conduit company id (for people the CRM does not associate). */
  companyByDomain: ReadonlyMap<string, string>;
}

/**
 * Several CRMs connected: the per-field rules and what Conduit knows about the page's records (loaded by the service).
 * A field without a rule keeps its row's import priority.
 */
export interface PageSourceOfTruth {
  rules: ReadonlyMap<string, FieldSourceRule>;
  /** entity id → field → who set the current value and when its source changed it. */
  origins: ReadonlyMap<string, ReadonlyMap<string, CurrentValueOrigin>>;
  /** entity id → field → the value last taken from this connection. */
  lastImported: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /** CRM record id → whether a CRM field's value (as the CRM sends it) is the one Conduit last wrote there. */
  isEcho: (crmId: string, crmField: string, raw: unknown) => boolean;
}

export interface PlanInput {
  entity: EntityKind;
  crm: CrmKind;
  connectionId: string;
  rows: readonly MappingRow[];
  records: readonly CrmRecord[];
  state: PageState;
  now: Date;
  newId: () => string;
  /** How many field diffs to keep as a sample (dry runs). */
  sampleSize?: number;
  /**
   * Receives each planned record's provenance entries as soon as the record is planned; when given, the plan's
   * `provenance` stays empty. The import renders them at once, so the entries die young instead of being held (and
   * copied by the garbage collector) until the whole page is planned.
   */
  onProvenance?: (entries: readonly ProvenanceEntry[], crmModifiedAt: string | null) => void;
  /** Several CRMs connected: sources of truth per field (see PageSourceOfTruth). */
  sourceOfTruth?: PageSourceOfTruth | null;
}

export interface ProvenanceEntry {
  entity: EntityKind;
  entityId: string;
  field: string;
  crmRecordId: string;
  crmField: string | null;
  rule: string;
  previousValue: unknown;
  value: unknown;
}

export interface PlannedWrite {
  id: string;
  /** The full record after the import (what the row should hold). */
  record: ConduitRecord;
}

export interface ImportPlan {
  creates: PlannedWrite[];
  updates: PlannedWrite[];
  /** (crmId → entity id) links to upsert as live. */
  links: { crmId: string; entityId: string }[];
  /** crmIds whose records are archived/deleted in the CRM. */
  archivedCrmIds: string[];
  provenance: ProvenanceEntry[];
  failures: ImportFailure[];
  /** Values of fixed-vocabulary fields the value map does not translate, per record (the field was left alone). */
  unmapped: { crmId: string; field: string; crmField: string; value: string }[];
  counts: { created: number; updated: number; unchanged: number; failed: number; archived: number };
  sample: SampleDiff[];
}

/** A record the plan could not import: the reason, and the record in words (its name as read) for the admin. */
export interface ImportFailure {
  crmId: string;
  reason: string;
  name?: string | null;
  /** The CRM object of the page (set by the import, which knows it). */
  object?: CrmObjectType;
}

/** What writing one page (or batch) of a plan did: its counts, sample diffs and per-record failures. */
export type PageOutcome = Pick<ImportPlan, 'counts' | 'sample' | 'failures'>;

/** A record in words for previews: a person's name (else email), a company's name (else domain). */
export function recordName(entity: EntityKind, record: ConduitRecord): string | null {
  const text = (key: string) => {
    const v = record[key];
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  if (entity === 'company') return text('name') ?? text('domain');
  const name = [text('firstName'), text('lastName')].filter((x): x is string => x !== null).join(' ');
  return name || text('email');
}

const CRM_NAMES: Record<CrmKind, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

/**
 * A field a record could not import, in words for the admin (#21): the Conduit field by its label, the CRM field it came
 * from, the reason — 'Employees, from HubSpot field numemployees: "12 people" is not a number' (it read
 * 'numemployees → employees: numemployees: "12 people" is not a number').
 */
export function fieldErrorWords(object: MappedObject, crm: CrmKind, e: { field: string; crmField: string; message: string }): string {
  const label = e.field.startsWith(CUSTOM_PREFIX) ? `${e.field.slice(CUSTOM_PREFIX.length)} (custom attribute)` : (standardFields(object).find((f) => f.name === e.field)?.label ?? e.field);
  const message = e.message.startsWith(`${e.crmField}: `) ? e.message.slice(e.crmField.length + 2) : e.message;
  return `${label}, from ${CRM_NAMES[crm]} field ${e.crmField}: ${message}`;
}

/** Rule label stored in provenance for a change: the source-of-truth rule that decided it, or the row's priority. */
function changeRule(c: FieldChange): string {
  return c.sourceRule ?? ruleLabel(c.rule);
}

/** Rule label stored in provenance: which side the mapping row lets win. */
export function ruleLabel(row: MappingRow): string {
  return row.importPriority === 'crm' ? 'crm_wins' : 'conduit_wins_fill_empty';
}

/** The record's identity key: normalised email for people, normalised non-free-mail domain for companies. */
export function identityKey(entity: EntityKind, rows: readonly MappingRow[], record: CrmRecord): string | null {
  return identityKeyOf(entity, identityRow(entity, rows), record);
}

/** The mapping row that carries the identity field (email / domain), looked up once per page. */
export function identityRow(entity: EntityKind, rows: readonly MappingRow[]): MappingRow | undefined {
  if (entity === 'person') return rows.find((r) => r.conduitField === 'email');
  // Salesforce Accounts have no domain field: their Website's domain identifies them (e.g. the Account a Lead
  // conversion creates for a company Conduit already has).
  return rows.find((r) => r.conduitField === 'domain') ?? rows.find((r) => r.conduitField === 'website');
}

export function identityKeyOf(entity: EntityKind, row: MappingRow | undefined, record: CrmRecord): string | null {
  const raw = row ? record.properties[row.crmField] : undefined;
  if (typeof raw !== 'string' || isBlank(raw)) return null;
  if (entity === 'person') {
    const email = normalizeEmail(raw);
    return email.ok ? email.value : null;
  }
  const domain = normalizeDomain(raw);
  return domain && !isFreeMailDomain(domain) ? domain : null;
}

/** The CRM company a person record points at: HubSpot associations, Salesforce Contact.AccountId. */
export function associatedCompanyCrmId(record: CrmRecord): string | null {
  const assoc = record.associations?.company?.[0];
  if (assoc) return assoc;
  const accountId = record.properties['AccountId'];
  return typeof accountId === 'string' && accountId !== '' ? accountId : null;
}

/** The company domain of an email (null for free mail); `cache` holds the page's domains (a page has few). */
function companyDomainOf(email: unknown, cache: Map<string, string | null>): string | null {
  if (typeof email !== 'string') return null;
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  const raw = email.slice(at + 1);
  let domain = cache.get(raw);
  if (domain === undefined) {
    const normalized = normalizeDomain(raw);
    domain = normalized && !isFreeMailDomain(normalized) ? normalized : null;
    cache.set(raw, domain);
  }
  return domain;
}

/** Why a would-be new record cannot be created (Conduit's own rules), or null. */
function createBlocker(entity: EntityKind, record: ConduitRecord): string | null {
  if (entity === 'person') {
    return isBlank(record['email']) && isBlank(record['firstName']) && isBlank(record['lastName']) ? 'A person needs a name or an email; the CRM record has neither' : null;
  }
  return isBlank(record['name']) && isBlank(record['domain']) ? 'A company needs a name or a domain; the CRM record has neither' : null;
}

/**
 * A copy of a person/company record with one fixed shape (an object literal). Adding the mapped fields one by one to
 * a spread copy turns it into a dictionary object in V8 (≈ 6 µs per record, the largest cost of a page); a literal
 * of known fields keeps every record on one hidden class. The standard fields of @conduit/mapping plus companyId
 * (people) and the row id; a field outside them still works, only slower.
 */
function copyRecord(entity: EntityKind, b: ConduitRecord): ConduitRecord {
  return entity === 'person'
    ? {
        id: b['id'],
        firstName: b['firstName'],
        lastName: b['lastName'],
        email: b['email'],
        phone: b['phone'],
        jobTitle: b['jobTitle'],
        city: b['city'],
        country: b['country'],
        linkedinUrl: b['linkedinUrl'],
        companyName: b['companyName'],
        companyId: b['companyId'],
        qualificationReasoning: b['qualificationReasoning'],
        leadStatus: b['leadStatus'],
        engagementState: b['engagementState'],
        customAttributes: b['customAttributes'],
      }
    : {
        id: b['id'],
        name: b['name'],
        domain: b['domain'],
        website: b['website'],
        industry: b['industry'],
        employeeCount: b['employeeCount'],
        city: b['city'],
        country: b['country'],
        customAttributes: b['customAttributes'],
      };
}

/** `before` with the merge's changes applied, as one copy (custom attributes copied once, when one changes). */
function applyAll(entity: EntityKind, before: ConduitRecord, changes: readonly FieldChange[], refs: ReadonlyMap<MappingRow, ConduitFieldRef | null>): ConduitRecord {
  if (changes.length === 0) return before;
  const next = copyRecord(entity, before);
  let custom: Record<string, unknown> | null = null;
  for (const change of changes) {
    const ref = refs.get(change.rule);
    if (!ref) continue;
    if (ref.kind === 'standard') next[ref.name] = change.newValue;
    else {
      if (custom === null) {
        const attrs = before['customAttributes'];
        custom = attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs) ? { ...(attrs as Record<string, unknown>) } : {};
        next['customAttributes'] = custom;
      }
      custom[ref.key] = change.newValue;
    }
  }
  return next;
}

/**
 * A new record as its row will hold it: the columns' defaults filled in where the CRM gave nothing (a person's
 * engagement state, custom attributes). The planned record is also what later batches see of it before it commits
 * (PageOverlay), and an update planned from it writes every column, so it must not leave a default out.
 */
function withCreateDefaults(entity: EntityKind, record: ConduitRecord): ConduitRecord {
  if (entity === 'person' && (record['engagementState'] === null || record['engagementState'] === undefined)) record['engagementState'] = 'not_contacted';
  if (record['customAttributes'] === null || record['customAttributes'] === undefined) record['customAttributes'] = {};
  return record;
}

/** The identity key a Conduit record answers to (its email, or its non-free-mail domain). */
export function keyOfRecord(entity: EntityKind, record: ConduitRecord): string | null {
  if (entity === 'person') return typeof record['email'] === 'string' ? record['email'] : null;
  const domain = record['domain'];
  return typeof domain === 'string' && !isFreeMailDomain(domain) ? domain : null;
}

export function planImport(input: PlanInput): ImportPlan {
  const steps = planSteps(input, Number.POSITIVE_INFINITY);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * planImport in slices of `every` records, giving the event loop a turn between slices: the runner plans the next
 * batch while the previous one is being written, and the writes' round trips must not wait for a whole plan. 32
 * records are ≈ 1 ms of planning, the longest a statement's answer (or a drained socket during COPY) waits for the
 * writer to go on; 32 rather than 128 measured 3-5 % more records/s in interleaved runs of the pipeline bench.
 */
export async function planImportAsync(input: PlanInput, every = 32): Promise<ImportPlan> {
  const steps = planSteps(input, every);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((r) => setImmediate(r));
  }
}

function* planSteps(input: PlanInput, every: number): Generator<void, ImportPlan> {
  const { entity, crm, connectionId, rows, state, now, onProvenance } = input;
  const object = mappedObjectFor(entity);
  const sampleSize = input.sampleSize ?? 0;
  // Per page, not per record: the identity row and every row's resolved Conduit field.
  const keyRow = identityRow(entity, rows);
  const domains = new Map<string, string | null>();
  const refs = new Map<MappingRow, ConduitFieldRef | null>();
  for (const row of rows) {
    const ref = resolveRowField(object, row);
    refs.set(row, ref.ok ? ref.value : null);
  }
  const plan: ImportPlan = {
    creates: [],
    updates: [],
    links: [],
    archivedCrmIds: [],
    provenance: [],
    failures: [],
    unmapped: [],
    counts: { created: 0, updated: 0, unchanged: 0, failed: 0, archived: 0 },
    sample: [],
  };

  // A record can appear twice in a page (boundary repeats): the last version wins.
  const latest = new Map<string, CrmRecord>();
  for (const r of input.records) latest.set(r.id, r);

  // Working copies: records created or updated earlier in this page are seen by later records.
  const current = new Map<string, ConduitRecord>(state.entitiesById);
  const byKey = new Map(state.entityByKey);
  const planned = new Map<string, PlannedWrite & { isNew: boolean }>();

  let sliced = 0;
  for (const record of latest.values()) {
    if (++sliced >= every) {
      sliced = 0;
      yield;
    }
    if (record.archived) {
      if (state.linkedByCrmId.has(record.id)) {
        plan.archivedCrmIds.push(record.id);
        plan.counts.archived++;
      } else {
        plan.counts.unchanged++;
      }
      continue;
    }

    const key = identityKeyOf(entity, keyRow, record);
    const linkedId = state.linkedByCrmId.get(record.id);
    const matchedId = linkedId ?? (key ? byKey.get(key) : undefined);
    const existing = matchedId ? current.get(matchedId) : undefined;
    const isNew = existing === undefined;
    const before: ConduitRecord = existing ?? (entity === 'person' ? { customAttributes: {} } : {});

    const sot = input.sourceOfTruth;
    const modifiedAt = record.updatedAt === '' ? null : record.updatedAt;
    const sourceOfTruth: ImportSourceOfTruth | undefined = sot
      ? {
          rules: sot.rules,
          modifiedAt,
          ...(matchedId && sot.origins.get(matchedId) ? { origins: sot.origins.get(matchedId) } : {}),
          ...(matchedId && sot.lastImported.get(matchedId) ? { lastImported: sot.lastImported.get(matchedId) } : {}),
          isEcho: (crmField, raw) => sot.isEcho(record.id, crmField, raw),
        }
      : undefined;
    const source = { crm, connectionId, crmRecordId: record.id };
    // Two literals, not a spread: the single-CRM path (every backfill of a workspace with one CRM) stays as it was.
    const merge = sourceOfTruth
      ? mergeOnImport({ object, rows, conduitRecord: before, crmRecord: record.properties, now, source, sourceOfTruth })
      : mergeOnImport({ object, rows, conduitRecord: before, crmRecord: record.properties, now, source });
    for (const u of merge.unmapped) plan.unmapped.push({ crmId: record.id, field: u.field, crmField: u.crmField, value: u.value });
    const errors = merge.errors.map((e) => fieldErrorWords(object, crm, e));
    let changes = merge.changes;

    // Conduit rules the mapping package does not know: engagement states are a closed set, emails unique per workspace.
    changes = changes.filter((c) => {
      if (entity === 'person' && c.field === 'engagementState' && !ENGAGEMENT_STATES.includes(String(c.newValue))) {
        errors.push(`${c.crmField} → engagementState: "${String(c.newValue)}" is not an engagement state`);
        return false;
      }
      if (entity === 'person' && c.field === 'email' && matchedId) {
        const owner = byKey.get(String(c.newValue));
        if (owner && owner !== matchedId) {
          errors.push(`${c.crmField} → email: ${String(c.newValue)} already belongs to another person`);
          return false;
        }
      }
      if (entity === 'company' && c.field === 'employeeCount' && !Number.isInteger(c.newValue)) {
        errors.push(`${c.crmField} → employeeCount: ${String(c.newValue)} is not a whole number`);
        return false;
      }
      return true;
    });

    let after = applyAll(entity, before, changes, refs);
    const extra: ProvenanceEntry[] = [];
    const id = matchedId ?? input.newId();

    if (entity === 'company' && isBlank(after['name']) && !isBlank(after['domain'])) {
      extra.push({ entity, entityId: id, field: 'name', crmRecordId: record.id, crmField: null, rule: 'name_from_domain', previousValue: null, value: after['domain'] });
      if (after === before) after = copyRecord(entity, before);
      after['name'] = after['domain'];
    }
    if (entity === 'person') {
      const companyCrmId = associatedCompanyCrmId(record);
      const viaCrm = companyCrmId ? state.companyByCrmId.get(companyCrmId) : undefined;
      const viaDomain = !viaCrm && isBlank(after['companyId']) ? companyDomainOf(after['email'], domains) : null;
      const companyId = viaCrm ?? (viaDomain ? state.companyByDomain.get(viaDomain) : undefined);
      if (companyId && companyId !== after['companyId']) {
        extra.push({
          entity,
          entityId: id,
          field: 'companyId',
          crmRecordId: record.id,
          crmField: viaCrm ? 'association:company' : null,
          rule: viaCrm ? 'crm_association' : 'email_domain',
          previousValue: after['companyId'] ?? null,
          value: companyId,
        });
        if (after === before) after = copyRecord(entity, before);
        after['companyId'] = companyId;
      }
    }

    if (isNew) {
      const blocker = createBlocker(entity, after);
      if (blocker) {
        plan.failures.push({ crmId: record.id, reason: [blocker, ...errors].join('; '), name: recordName(entity, after) });
        plan.counts.failed++;
        continue;
      }
      after = withCreateDefaults(entity, after === before ? copyRecord(entity, before) : after);
    }
    for (const reason of errors) plan.failures.push({ crmId: record.id, reason, name: recordName(entity, after) });

    // The record's provenance entries, together (the writer stores them as one set).
    const entries: ProvenanceEntry[] = [];
    for (const c of changes) {
      entries.push({
        entity,
        entityId: id,
        field: c.field,
        crmRecordId: record.id,
        crmField: c.crmField,
        rule: changeRule(c),
        previousValue: c.previousValue ?? null,
        value: c.newValue,
      });
    }
    for (const e of extra) entries.push(e);
    const changed = entries.length;
    plan.links.push({ crmId: record.id, entityId: id });

    const prior = planned.get(id);
    if (prior) {
      prior.record = after;
    } else if (isNew || changed > 0) {
      planned.set(id, { id, record: after, isNew });
    }
    current.set(id, after);
    const newKey = keyOfRecord(entity, after);
    if (newKey) byKey.set(newKey, id);

    if (isNew && !prior) plan.counts.created++;
    else if (changed > 0 || !linkedId) plan.counts.updated++;
    else plan.counts.unchanged++;

    for (let i = 0; i < entries.length && plan.sample.length < sampleSize; i++) {
      const p = entries[i]!;
      plan.sample.push({ entity, crmId: record.id, name: recordName(entity, after), entityId: isNew ? null : id, action: isNew ? 'create' : 'update', field: p.field, from: p.previousValue, to: p.value, rule: p.rule });
    }
    if (changed > 0) {
      if (onProvenance) onProvenance(entries, modifiedAt);
      else for (const e of entries) plan.provenance.push(e);
    }
  }

  for (const w of planned.values()) (w.isNew ? plan.creates : plan.updates).push({ id: w.id, record: w.record });
  return plan;
}
