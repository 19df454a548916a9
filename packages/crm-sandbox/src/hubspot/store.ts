import { SubscriptionStore, type SubscriptionsSnapshot } from './subscriptions.js';
import {
  OBJECT_TYPES, OBJECT_TYPE_INFO, associationTypes, defaultAssociationType, findAssociationType, isEngagement,
  type AssociationTypeDef, type ObjectType,
} from './object-types.js';
import { defaultProperties, normalizeValue, LIFECYCLE_STAGES, type PropertyDefinition, type PropertyValueError } from './properties.js';
import { text } from './text.js';
import { HubspotError, badRequest, conflict, notFound, propertyValidationError } from './errors.js';
import {
  compileFilterGroups, compileQuery, sortRecords, type FilterGroup, type Properties, type SearchFilter, type SearchSort, SearchFilterError,
} from './search.js';

export interface HsRecord {
  id: string;
  type: ObjectType;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** The version search still sees while the indexing lag has not passed. */
  indexed?: { properties: Record<string, string>; updatedAt: number };
}

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
  /** PERSON (a user) or QUEUE (a help-desk queue: no email or user id); absent in state saved before it existed = PERSON. */
  type?: 'PERSON' | 'QUEUE';
}

export type ListProcessingType = 'MANUAL' | 'SNAPSHOT' | 'DYNAMIC';

export interface HsList {
  listId: string;
  name: string;
  processingType: ListProcessingType;
  objectTypeId: string;
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
  filterGroups?: FilterGroup[];
  members: Map<string, number>;
  listVersion: number;
}

export interface StoreSnapshot {
  portalId: number;
  nextId: number;
  nextListId: number;
  records: HsRecord[];
  properties: Partial<Record<ObjectType, PropertyDefinition[]>>;
  associations: [string, [string, number[]][]][];
  owners: Owner[];
  lists: (Omit<HsList, 'members'> & { members: [string, number][] })[];
  /** Email subscription statuses (absent in files saved before they existed). */
  subscriptions?: SubscriptionsSnapshot;
}

export type ChangeSource = 'INTEGRATION' | 'CRM_UI' | 'IMPORT';

export type StoreEvent =
  | { kind: 'created'; type: ObjectType; id: string; at: number; source: ChangeSource; properties: Record<string, string> }
  | { kind: 'updated'; type: ObjectType; id: string; at: number; source: ChangeSource; changes: [string, string][] }
  | { kind: 'archived'; type: ObjectType; id: string; at: number; source: ChangeSource };

export interface InlineAssociation {
  to: { id: string };
  types: { associationCategory: string; associationTypeId: number }[];
}

export interface SearchRequest {
  filterGroups?: FilterGroup[];
  sorts?: SearchSort[];
  query?: string;
  after?: number;
  limit: number;
}

const SEARCHABLE: Record<ObjectType, string[]> = {
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company', 'hs_email_domain'],
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname'],
  emails: ['hs_email_subject', 'hs_email_text'], calls: ['hs_call_title', 'hs_call_body'], meetings: ['hs_meeting_title', 'hs_meeting_body'],
  notes: ['hs_note_body'], tasks: ['hs_task_subject', 'hs_task_body'], communications: ['hs_communication_body'],
};

const LIFECYCLE_ORDER = new Map(LIFECYCLE_STAGES.map(([value], i) => [value, i]));
const MAX_SEARCH_RESULTS = 10_000;

function key(type: ObjectType, id: string): string {
  return `${type}:${id}`;
}

/** One HubSpot portal's state: records with indexes, properties, associations, owners and lists. */
export class HubspotStore {
  readonly records = new Map<ObjectType, Map<string, HsRecord>>();
  /** Ids in creation order (ascending) per type, for cheap `after` paging. Archived ids are skipped when read. */
  private readonly order = new Map<ObjectType, string[]>();
  private readonly ascendingChecked = new Map<ObjectType, { version: number; length: number; ascending: boolean }>();
  readonly archived = new Map<ObjectType, Map<string, HsRecord>>();
  readonly properties = new Map<ObjectType, Map<string, PropertyDefinition>>();
  private readonly emailIndex = new Map<string, string>();
  private readonly associations = new Map<string, Map<string, Set<number>>>();
  readonly owners = new Map<string, Owner>();
  readonly lists = new Map<string, HsList>();
  /** Email subscription statuses by address (communication preferences API). */
  readonly subscriptions = new SubscriptionStore();
  private readonly listeners: ((event: StoreEvent) => void)[] = [];
  private nextId = 1001;
  private nextListId = 1;
  private lastStamp = 0;
  /** Bumped on every write; search caches sorted results per version. */
  version = 0;
  private searchCache = new Map<string, { version: number; ids: string[] }>();
  searchLagMs = 0;

  constructor(readonly portalId: number) {
    for (const type of OBJECT_TYPES) {
      this.records.set(type, new Map());
      this.archived.set(type, new Map());
      this.order.set(type, []);
      this.properties.set(type, new Map(defaultProperties(type).map((p) => [p.name, p])));
    }
  }

  onChange(listener: (event: StoreEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Strictly increasing millisecond clock, so "last modified" never ties between two writes. */
  stamp(): number {
    const now = Date.now();
    this.lastStamp = now > this.lastStamp ? now : this.lastStamp + 1;
    return this.lastStamp;
  }

  allocateId(): string {
    return String(this.nextId++);
  }

  allocateListId(): string {
    return String(this.nextListId++);
  }

  // ---------- properties ----------

  propertyMap(type: ObjectType): Map<string, PropertyDefinition> {
    const map = this.properties.get(type);
    if (map === undefined) throw new Error(`No property map for ${type}`);
    return map;
  }

  propertyType(type: ObjectType): (name: string) => PropertyDefinition['type'] | undefined {
    const map = this.propertyMap(type);
    return (name) => (name === 'hs_object_id' ? 'number' : map.get(name)?.type);
  }

  /** Validates written values against the definitions; returns normalised values or throws HubSpot's 400. */
  validate(type: ObjectType, input: Record<string, unknown>, mode: 'create' | 'update'): Record<string, string> {
    const defs = this.propertyMap(type);
    const errors: PropertyValueError[] = [];
    const out: Record<string, string> = {};
    for (const [name, rawValue] of Object.entries(input)) {
      const def = defs.get(name);
      if (def === undefined || def.archived) {
        errors.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
        continue;
      }
      if (def.modificationMetadata.readOnlyValue) {
        errors.push({ name, code: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
        continue;
      }
      const raw = text(rawValue);
      const result = normalizeValue(def, raw);
      if ('error' in result) errors.push(result.error);
      else out[name] = result.value;
    }
    if (mode === 'create') {
      for (const def of defs.values()) {
        if (def.requiredOnCreate && (out[def.name] === undefined || out[def.name] === '') && !errors.some((e) => e.name === def.name)) {
          errors.push({ name: def.name, code: 'REQUIRED_PROPERTY', message: `${def.name} is required` });
        }
      }
    }
    if (errors.length > 0) throw propertyValidationError(errors, this.portalId);
    return out;
  }

  // ---------- records ----------

  get(type: ObjectType, id: string): HsRecord | undefined {
    return this.records.get(type)?.get(id);
  }

  getIncludingArchived(type: ObjectType, id: string): HsRecord | undefined {
    return this.get(type, id) ?? this.archived.get(type)?.get(id);
  }

  contactIdByEmail(email: string): string | undefined {
    return this.emailIndex.get(email.trim().toLowerCase());
  }

  /** Resolve an id or, with idProperty, a unique property value (email uses the index). */
  resolve(type: ObjectType, idOrValue: string, idProperty?: string): HsRecord | undefined {
    if (idProperty === undefined || idProperty === '' || idProperty === 'hs_object_id') return this.get(type, idOrValue);
    if (type === 'contacts' && idProperty === 'email') {
      const id = this.contactIdByEmail(idOrValue);
      return id === undefined ? undefined : this.get(type, id);
    }
    const def = this.propertyMap(type).get(idProperty);
    if (def === undefined || !def.hasUniqueValue) {
      throw badRequest(`${idProperty} is not a unique property on ${type}`);
    }
    for (const record of this.records.get(type)?.values() ?? []) if (record.properties[idProperty] === idOrValue) return record;
    return undefined;
  }

  private checkUniqueEmail(type: ObjectType, values: Record<string, string>, selfId?: string): void {
    if (type !== 'contacts') return;
    const email = values['email'];
    if (email === undefined || email === '') return;
    const existing = this.contactIdByEmail(email);
    if (existing !== undefined && existing !== selfId) throw conflict(existing);
  }

  /** Values HubSpot calculates itself when a record is written. */
  private applyCalculated(record: HsRecord, changed: Record<string, string>, at: string): void {
    const p = record.properties;
    if (record.type === 'contacts') {
      if (changed['email'] !== undefined) {
        const domain = changed['email'].split('@')[1];
        if (domain !== undefined) p['hs_email_domain'] = domain.toLowerCase();
        else delete p['hs_email_domain'];
      }
      const stage = changed['lifecyclestage'];
      if (stage !== undefined && stage !== '' && p[`hs_lifecyclestage_${stage}_date`] === undefined) p[`hs_lifecyclestage_${stage}_date`] = at;
      if (changed['hubspot_owner_id'] !== undefined) p['hubspot_owner_assigneddate'] = at;
      if (changed['phone'] !== undefined) p['hs_calculated_phone_number'] = changed['phone'];
    }
    if (record.type === 'deals' && changed['dealstage'] !== undefined) {
      const stage = changed['dealstage'];
      p['hs_is_closed'] = String(stage === 'closedwon' || stage === 'closedlost');
      p['hs_is_closed_won'] = String(stage === 'closedwon');
    }
    if (record.type === 'companies' && changed['lifecyclestage'] !== undefined) {
      // nothing extra
    }
  }

  /**
   * Create a record from already-validated values (the routes validate first so batch
   * endpoints can collect per-input errors).
   */
  insert(type: ObjectType, values: Record<string, string>, opts: { source?: ChangeSource; at?: number; id?: string; silent?: boolean } = {}): HsRecord {
    this.checkUniqueEmail(type, values);
    const at = opts.at ?? this.stamp();
    const iso = new Date(at).toISOString();
    const id = opts.id ?? this.allocateId();
    const lastModified = OBJECT_TYPE_INFO[type].lastModifiedProperty;
    const createdProp = isEngagement(type) ? 'hs_createdate' : 'createdate';
    const properties: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (v !== '') properties[k] = v;
    if (properties[createdProp] === undefined) properties[createdProp] = iso;
    properties[lastModified] = iso;
    properties['hs_object_id'] = id;
    if (type === 'contacts' && properties['lifecyclestage'] === undefined) properties['lifecyclestage'] = 'lead';
    if (type === 'deals' && properties['pipeline'] === undefined) properties['pipeline'] = 'default';
    const createdAt = values[createdProp] !== undefined ? Date.parse(values[createdProp]) : at;
    const record: HsRecord = { id, type, properties, createdAt: Number.isNaN(createdAt) ? at : createdAt, updatedAt: at, archived: false };
    this.applyCalculated(record, properties, iso);
    this.records.get(type)?.set(id, record);
    this.order.get(type)?.push(id);
    if (type === 'contacts' && properties['email'] !== undefined) this.emailIndex.set(properties['email'].toLowerCase(), id);
    this.version += 1;
    if (!opts.silent) this.emit({ kind: 'created', type, id, at, source: opts.source ?? 'INTEGRATION', properties: { ...properties } });
    return record;
  }

  /** Apply validated values; returns the changed property names (HubSpot ignores unchanged values). */
  patch(record: HsRecord, values: Record<string, string>, source: ChangeSource = 'INTEGRATION'): [string, string][] {
    this.checkUniqueEmail(record.type, values, record.id);
    const changes: [string, string][] = [];
    for (const [name, value] of Object.entries(values)) {
      const current = record.properties[name] ?? '';
      if (current === value) continue;
      if (record.type === 'contacts' && name === 'lifecyclestage' && value !== '' && current !== '') {
        // HubSpot only moves lifecycle stages forward; a backwards value is ignored unless the stage is cleared first.
        if ((LIFECYCLE_ORDER.get(value) ?? 0) < (LIFECYCLE_ORDER.get(current) ?? 0)) continue;
      }
      changes.push([name, value]);
    }
    if (changes.length === 0) return changes;
    if (this.searchLagMs > 0) record.indexed = { properties: { ...record.properties }, updatedAt: record.updatedAt };
    const at = this.stamp();
    const iso = new Date(at).toISOString();
    const changed: Record<string, string> = {};
    for (const [name, value] of changes) {
      changed[name] = value;
      if (name === 'email' && record.type === 'contacts') {
        const old = record.properties['email'];
        if (old !== undefined) this.emailIndex.delete(old.toLowerCase());
        if (value !== '') this.emailIndex.set(value.toLowerCase(), record.id);
      }
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
    }
    this.applyCalculated(record, changed, iso);
    record.properties[OBJECT_TYPE_INFO[record.type].lastModifiedProperty] = iso;
    record.updatedAt = at;
    this.version += 1;
    this.emit({ kind: 'updated', type: record.type, id: record.id, at, source, changes });
    return changes;
  }

  archive(type: ObjectType, id: string, source: ChangeSource = 'INTEGRATION'): boolean {
    const record = this.get(type, id);
    if (record === undefined) return false;
    this.records.get(type)?.delete(id);
    const at = this.stamp();
    record.archived = true;
    record.archivedAt = at;
    this.archived.get(type)?.set(id, record);
    if (type === 'contacts' && record.properties['email'] !== undefined) this.emailIndex.delete(record.properties['email'].toLowerCase());
    this.removeAllAssociations(type, id);
    this.version += 1;
    this.emit({ kind: 'archived', type, id, at, source });
    return true;
  }

  /**
   * GDPR delete: the record is gone for good (not in the archived list either, so it cannot be restored), with its
   * associations and list memberships. Listeners see it archived.
   */
  purge(type: ObjectType, id: string, source: ChangeSource = 'INTEGRATION'): boolean {
    const record = this.get(type, id) ?? this.archived.get(type)?.get(id);
    if (record === undefined) return false;
    const wasLive = this.records.get(type)?.delete(id) ?? false;
    this.archived.get(type)?.delete(id);
    if (type === 'contacts' && record.properties['email'] !== undefined && this.emailIndex.get(record.properties['email'].toLowerCase()) === id) {
      this.emailIndex.delete(record.properties['email'].toLowerCase());
    }
    this.removeAllAssociations(type, id);
    for (const list of this.lists.values()) list.members.delete(id);
    this.version += 1;
    if (wasLive) this.emit({ kind: 'archived', type, id, at: this.stamp(), source });
    return true;
  }

  /** A page of live records in id order: ids ≥ `after`. */
  page(type: ObjectType, after: string | undefined, limit: number, archived = false): { results: HsRecord[]; nextAfter?: string } {
    if (archived) {
      const all = [...(this.archived.get(type)?.values() ?? [])].sort((a, b) => Number(a.id) - Number(b.id));
      const start = after === undefined ? 0 : all.findIndex((r) => Number(r.id) >= Number(after));
      const slice = start < 0 ? [] : all.slice(start, start + limit + 1);
      const more = slice.length > limit;
      const results = slice.slice(0, limit);
      const last = results[results.length - 1];
      return { results, ...(more && last ? { nextAfter: String(Number(last.id) + 1) } : {}) };
    }
    const ids = this.order.get(type) ?? [];
    const map = this.records.get(type) ?? new Map<string, HsRecord>();
    let lo = 0;
    if (after !== undefined) {
      const target = Number(after);
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (Number(ids[mid]) < target) lo = mid + 1;
        else hi = mid;
      }
    }
    const results: HsRecord[] = [];
    let i = lo;
    for (; i < ids.length && results.length < limit; i++) {
      const record = map.get(ids[i] ?? '');
      if (record !== undefined) results.push(record);
    }
    // Is there another live record after this page?
    let more = false;
    for (let j = i; j < ids.length; j++) {
      if (map.has(ids[j] ?? '')) {
        more = true;
        break;
      }
    }
    const last = results[results.length - 1];
    return { results, ...(more && last ? { nextAfter: String(Number(last.id) + 1) } : {}) };
  }

  count(type: ObjectType): number {
    return this.records.get(type)?.size ?? 0;
  }

  // ---------- search ----------

  search(type: ObjectType, req: SearchRequest): { total: number; results: HsRecord[]; nextAfter?: string } {
    const after = req.after ?? 0;
    if (after + req.limit > MAX_SEARCH_RESULTS && after >= MAX_SEARCH_RESULTS) {
      throw badRequest(`Paging beyond ${MAX_SEARCH_RESULTS} results is not supported. Use a filter to narrow the search.`);
    }
    const lag = this.searchLagMs;
    const cacheKey = `${type}|${JSON.stringify(req.filterGroups ?? [])}|${JSON.stringify(req.sorts ?? [])}|${req.query ?? ''}`;
    let ids: string[];
    const cached = lag === 0 ? this.searchCache.get(cacheKey) : undefined;
    const map = this.records.get(type) ?? new Map<string, HsRecord>();
    if (cached !== undefined && cached.version === this.version) {
      ids = cached.ids;
    } else {
      const typeOf = this.propertyType(type);
      let matches: (props: Properties) => boolean;
      try {
        const byFilters = compileFilterGroups(req.filterGroups ?? [], typeOf);
        const byQuery = compileQuery(req.query, SEARCHABLE[type]);
        matches = (props) => byFilters(props) && byQuery(props);
      } catch (err) {
        if (err instanceof SearchFilterError) throw badRequest(err.message);
        throw err;
      }
      const now = Date.now();
      const hits: { id: string; properties: Properties }[] = [];
      for (const record of this.candidates(type, req.filterGroups ?? [], map)) {
        let props: Properties | undefined = record.properties;
        if (lag > 0 && now - record.updatedAt < lag) {
          // Not indexed yet: search sees the previous version, or nothing for a new record.
          props = record.indexed && now - record.indexed.updatedAt >= lag ? record.indexed.properties : undefined;
        }
        if (props !== undefined && matches(props)) hits.push({ id: record.id, properties: props });
      }
      sortRecords(hits, req.sorts ?? [], typeOf);
      ids = hits.map((h) => h.id);
      if (lag === 0) {
        if (this.searchCache.size > 50) this.searchCache.clear();
        this.searchCache.set(cacheKey, { version: this.version, ids });
      }
    }
    const end = Math.min(after + req.limit, ids.length, MAX_SEARCH_RESULTS);
    const results: HsRecord[] = [];
    for (let i = after; i < end; i++) {
      const record = map.get(ids[i] ?? '');
      if (record !== undefined) results.push(record);
    }
    const hasMore = end < Math.min(ids.length, MAX_SEARCH_RESULTS);
    return { total: ids.length, results, ...(hasMore ? { nextAfter: String(end) } : {}) };
  }

  /**
   * The records a search has to look at: all of them, or — when its one filter group bounds hs_object_id — only those
   * in that id range, found by binary search in the id-ordered list (HubSpot's search is indexed; a scan of 100,000
   * records per call made the sandbox's CPU, not the latency profile, the pace of id-range reads). Every filter is
   * still applied to each candidate, so the answer is the same.
   */
  private *candidates(type: ObjectType, groups: FilterGroup[], map: Map<string, HsRecord>): Iterable<HsRecord> {
    const range = groups.length === 1 ? idRange(groups[0]?.filters ?? []) : null;
    const ids = this.order.get(type) ?? [];
    if (!range || !this.idsAscending(type, ids)) {
      yield* map.values();
      return;
    }
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Number(ids[mid]) < range.from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < ids.length && Number(ids[i]) <= range.to; i++) {
      const record = map.get(ids[i] ?? '');
      if (record !== undefined) yield record;
    }
  }

  /** Whether a type's id list is in ascending numeric order (checked once per store version). */
  private idsAscending(type: ObjectType, ids: string[]): boolean {
    const known = this.ascendingChecked.get(type);
    if (known && known.version === this.version && known.length === ids.length) return known.ascending;
    let ascending = true;
    for (let i = 1; i < ids.length && ascending; i++) ascending = Number(ids[i - 1]) < Number(ids[i]);
    this.ascendingChecked.set(type, { version: this.version, length: ids.length, ascending });
    return ascending;
  }

  // ---------- associations ----------

  private assocBucket(type: ObjectType, id: string, create: true): Map<string, Set<number>>;
  private assocBucket(type: ObjectType, id: string, create: false): Map<string, Set<number>> | undefined;
  private assocBucket(type: ObjectType, id: string, create: boolean): Map<string, Set<number>> | undefined {
    const k = key(type, id);
    let bucket = this.associations.get(k);
    if (bucket === undefined && create) {
      bucket = new Map();
      this.associations.set(k, bucket);
    }
    return bucket;
  }

  /** Associate two records with a HubSpot-defined type id (the inverse direction is recorded too). */
  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeId: number): AssociationTypeDef {
    if (this.get(fromType, fromId) === undefined) throw notFound(`${OBJECT_TYPE_INFO[fromType].singular} ${fromId} not found`);
    if (this.get(toType, toId) === undefined) throw notFound(`${OBJECT_TYPE_INFO[toType].singular} ${toId} not found`);
    const def = findAssociationType(fromType, toType, typeId);
    if (def === undefined) {
      throw badRequest(`${typeId} is not a valid association type id between ${fromType} and ${toType}. Valid ids: ${associationTypes(fromType, toType).map((d) => d.typeId).join(', ') || 'none'}`);
    }
    const add = (aType: ObjectType, aId: string, bType: ObjectType, bId: string, tid: number): void => {
      const bucket = this.assocBucket(aType, aId, true);
      const k = key(bType, bId);
      const set = bucket.get(k) ?? new Set<number>();
      set.add(tid);
      bucket.set(k, set);
    };
    add(fromType, fromId, toType, toId, def.typeId);
    add(toType, toId, fromType, fromId, def.inverse);
    if (def.primary) {
      // A primary association is also an unlabeled one, as in HubSpot.
      const plain = defaultAssociationType(fromType, toType);
      if (plain) {
        add(fromType, fromId, toType, toId, plain.typeId);
        add(toType, toId, fromType, fromId, plain.inverse);
      }
      if (fromType === 'contacts' && toType === 'companies') {
        const contact = this.get('contacts', fromId);
        if (contact) contact.properties['associatedcompanyid'] = toId;
      }
    }
    this.version += 1;
    return def;
  }

  associateDefault(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): AssociationTypeDef {
    const def = defaultAssociationType(fromType, toType);
    if (def === undefined) throw badRequest(`No default association between ${fromType} and ${toType}`);
    return this.associate(fromType, fromId, toType, toId, def.typeId);
  }

  /** Remove all association types between two records (both directions). */
  dissociate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    this.assocBucket(fromType, fromId, false)?.delete(key(toType, toId));
    this.assocBucket(toType, toId, false)?.delete(key(fromType, fromId));
    this.version += 1;
  }

  private removeAllAssociations(type: ObjectType, id: string): void {
    const bucket = this.assocBucket(type, id, false);
    if (bucket === undefined) return;
    const self = key(type, id);
    for (const other of bucket.keys()) this.associations.get(other)?.delete(self);
    this.associations.delete(self);
  }

  /** Associated records of one type: [{toId, typeIds}] in id order. */
  associated(type: ObjectType, id: string, toType: ObjectType): { toId: string; typeIds: number[] }[] {
    const bucket = this.assocBucket(type, id, false);
    if (bucket === undefined) return [];
    const prefix = `${toType}:`;
    const out: { toId: string; typeIds: number[] }[] = [];
    for (const [k, set] of bucket) {
      if (k.startsWith(prefix) && set.size > 0) out.push({ toId: k.slice(prefix.length), typeIds: [...set].sort((a, b) => a - b) });
    }
    return out.sort((a, b) => Number(a.toId) - Number(b.toId));
  }

  /** Engagements associated with a record, newest first: its timeline. */
  timeline(type: ObjectType, id: string): HsRecord[] {
    const out: HsRecord[] = [];
    for (const engagementType of OBJECT_TYPES.filter(isEngagement)) {
      for (const { toId } of this.associated(type, id, engagementType)) {
        const record = this.get(engagementType, toId);
        if (record) out.push(record);
      }
    }
    const ts = (r: HsRecord): number => Date.parse(r.properties['hs_timestamp'] ?? '') || r.createdAt;
    return out.sort((a, b) => ts(b) - ts(a));
  }

  // ---------- lists ----------

  /** Re-evaluate every DYNAMIC list for one contact (called on each contact write). */
  refreshDynamicMembership(record: HsRecord, at: number): void {
    for (const list of this.lists.values()) {
      if (list.processingType !== 'DYNAMIC' || list.deletedAt !== undefined || list.objectTypeId !== '0-1') continue;
      const matches = !record.archived && this.listMatcher(list)(record.properties);
      const isMember = list.members.has(record.id);
      if (matches && !isMember) list.members.set(record.id, at);
      else if (!matches && isMember) list.members.delete(record.id);
      else continue;
      list.updatedAt = at;
      list.listVersion += 1;
    }
  }

  private readonly matchers = new Map<string, { groups: FilterGroup[] | undefined; fn: (props: Properties) => boolean }>();

  private listMatcher(list: HsList): (props: Properties) => boolean {
    const cached = this.matchers.get(list.listId);
    if (cached !== undefined && cached.groups === list.filterGroups) return cached.fn;
    const fn = compileFilterGroups(list.filterGroups ?? [], this.propertyType('contacts'));
    this.matchers.set(list.listId, { groups: list.filterGroups, fn });
    return fn;
  }

  /** Full evaluation of one dynamic list (on creation and after bulk seeding). */
  evaluateList(list: HsList, at: number): void {
    if (list.processingType !== 'DYNAMIC' && list.processingType !== 'SNAPSHOT') return;
    if (list.filterGroups === undefined) return;
    const match = this.listMatcher(list);
    const members = new Map<string, number>();
    for (const record of this.records.get('contacts')?.values() ?? []) {
      if (match(record.properties)) members.set(record.id, list.members.get(record.id) ?? at);
    }
    list.members = members;
  }

  bulkDone(): void {
    this.version += 1;
    this.searchCache.clear();
  }

  /** Plain JSON of the whole portal, for the dev persistence file. */
  exportState(): StoreSnapshot {
    return {
      portalId: this.portalId,
      nextId: this.nextId,
      nextListId: this.nextListId,
      records: OBJECT_TYPES.flatMap((t) => [...(this.records.get(t)?.values() ?? []), ...(this.archived.get(t)?.values() ?? [])])
        .map(({ indexed: _indexed, ...r }) => r),
      properties: Object.fromEntries(OBJECT_TYPES.map((t) => [t, [...this.propertyMap(t).values()]])),
      associations: [...this.associations.entries()].map(([k, m]) => [k, [...m.entries()].map(([to, set]) => [to, [...set]])]),
      owners: [...this.owners.values()],
      lists: [...this.lists.values()].map((l) => ({ ...l, members: [...l.members.entries()] })),
      subscriptions: this.subscriptions.snapshot(),
    };
  }

  importState(snapshot: StoreSnapshot): void {
    this.nextId = snapshot.nextId;
    this.nextListId = snapshot.nextListId;
    for (const type of OBJECT_TYPES) {
      this.records.get(type)?.clear();
      this.archived.get(type)?.clear();
      this.order.set(type, []);
      const defs = snapshot.properties[type];
      if (defs !== undefined) this.properties.set(type, new Map(defs.map((d) => [d.name, d])));
    }
    this.emailIndex.clear();
    const sorted = [...snapshot.records].sort((a, b) => Number(a.id) - Number(b.id));
    for (const record of sorted) {
      if (record.archived) {
        this.archived.get(record.type)?.set(record.id, record);
        continue;
      }
      this.records.get(record.type)?.set(record.id, record);
      this.order.get(record.type)?.push(record.id);
      const email = record.properties['email'];
      if (record.type === 'contacts' && email !== undefined) this.emailIndex.set(email.toLowerCase(), record.id);
    }
    this.associations.clear();
    for (const [k, entries] of snapshot.associations) this.associations.set(k, new Map(entries.map(([to, ids]) => [to, new Set(ids)])));
    this.owners.clear();
    for (const owner of snapshot.owners) this.owners.set(owner.id, owner);
    this.lists.clear();
    for (const list of snapshot.lists) this.lists.set(list.listId, { ...list, members: new Map(list.members) });
    this.subscriptions.load(snapshot.subscriptions);
    this.bulkDone();
  }

  findRecord(type: ObjectType, id: string): HsRecord {
    const record = this.get(type, id);
    if (record === undefined) throw notFound();
    return record;
  }
}

export { HubspotError };

/** The hs_object_id bounds a group of filters (ANDed) sets, as an inclusive numeric range; null when it sets none. */
function idRange(filters: readonly SearchFilter[]): { from: number; to: number } | null {
  let from = -Infinity;
  let to = Infinity;
  for (const f of filters) {
    if (f.propertyName !== 'hs_object_id') continue;
    const v = Number(f.value);
    if (f.value === undefined || f.value === null || !Number.isFinite(v)) continue;
    switch (f.operator) {
      case 'GT':
        from = Math.max(from, Math.floor(v) + 1);
        break;
      case 'GTE':
        from = Math.max(from, Math.ceil(v));
        break;
      case 'LT':
        to = Math.min(to, Math.ceil(v) - 1);
        break;
      case 'LTE':
        to = Math.min(to, Math.floor(v));
        break;
      case 'EQ':
        from = Math.max(from, v);
        to = Math.min(to, v);
        break;
      // The others do not bound the range (BETWEEN is left to the matcher).
      case 'NEQ':
      case 'BETWEEN':
      case 'IN':
      case 'NOT_IN':
      case 'HAS_PROPERTY':
      case 'NOT_HAS_PROPERTY':
      case 'CONTAINS_TOKEN':
      case 'NOT_CONTAINS_TOKEN':
        break;
    }
  }
  return from === -Infinity && to === Infinity ? null : { from, to };
}
