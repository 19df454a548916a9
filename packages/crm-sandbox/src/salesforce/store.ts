import { keyPrefixOf, makeId, normalizeId } from './ids.js';
import { PERSON_OBJECTS, STAGE_PROBABILITY, buildSchema, indexFields, makeField, type FieldDef, type FieldSpec, type SObjectDef } from './schema.js';
import { coerceValue, sfError, toSfDateTime, type SfError, type SfRecord, type SfValue } from './values.js';

export type DuplicateRuleMode = 'block' | 'allow' | 'off';

export interface WriteContext {
  userId: string;
  source: 'json' | 'csv';
  /** Sforce-Duplicate-Rule-Header: allowSave=true. */
  allowSave?: boolean;
}

export type WriteResult =
  | { ok: true; id: string; created: boolean }
  | { ok: false; errors: SfError[]; /** HTTP status for single-record REST calls. */ status: number };

interface Table {
  def: SObjectDef;
  rows: Map<string, SfRecord>;
  /** lower-cased field name → lower-cased value → ids (Email, external ids, unique fields). */
  indexes: Map<string, Map<string, Set<string>>>;
}

function indexedField(def: SObjectDef, field: FieldDef): boolean {
  return field.externalId || field.unique || (field.type === 'email' && (def.name === 'Lead' || def.name === 'Contact')) || (def.name === 'Account' && field.name === 'Name');
}

function indexKey(value: SfValue): string | undefined {
  if (value === null || value === '') return undefined;
  return String(value).toLowerCase();
}

/**
 * The org's data: one Map per sObject plus value indexes, and the write path that
 * applies Salesforce's validation, defaults, computed fields and audit stamps.
 */
export class SalesforceStore {
  schema = buildSchema();
  private tables = new Map<string, Table>();
  private lowerTypes = new Map<string, string>();
  private counters = new Map<string, number>();
  private lastStamp = 0;
  duplicateRule: DuplicateRuleMode = 'block';
  /** Called after every successful write (persistence hooks in here). */
  onChange: (() => void) | undefined;
  /** Undo steps while an all-or-none batch runs. */
  private journal: (() => void)[] | undefined;

  constructor() {
    this.rebuildTables();
  }

  private rebuildTables(): void {
    this.tables.clear();
    this.lowerTypes.clear();
    for (const def of this.schema.values()) {
      this.tables.set(def.name, { def, rows: new Map(), indexes: this.emptyIndexes(def) });
      this.lowerTypes.set(def.name.toLowerCase(), def.name);
    }
  }

  private emptyIndexes(def: SObjectDef): Map<string, Map<string, Set<string>>> {
    const indexes = new Map<string, Map<string, Set<string>>>();
    for (const f of def.fields) if (indexedField(def, f)) indexes.set(f.name.toLowerCase(), new Map());
    return indexes;
  }

  /**
   * Run a batch; when `commit` says no, undo every write it made (allOrNone). Ids and
   * timestamps consumed by rolled-back records are not reused, as in Salesforce.
   */
  transaction<T>(fn: () => T, commit: (result: T) => boolean): T {
    const journal: (() => void)[] = [];
    this.journal = journal;
    try {
      const result = fn();
      if (!commit(result)) for (const undo of journal.reverse()) undo();
      return result;
    } finally {
      this.journal = undefined;
    }
  }

  /** Drop all data and metadata changes (reset). */
  clear(): void {
    this.schema = buildSchema();
    this.counters.clear();
    this.rebuildTables();
  }

  /** Strictly increasing timestamps, so SystemModstamp orders every write deterministically. */
  stamp(atLeast?: number): string {
    const ms = Math.max(atLeast ?? Date.now(), this.lastStamp + 1);
    this.lastStamp = ms;
    return toSfDateTime(ms);
  }

  resolveType(name: string): SObjectDef | undefined {
    const canonical = this.lowerTypes.get(name.toLowerCase());
    return canonical === undefined ? undefined : this.schema.get(canonical);
  }

  typeOfId(id: string): SObjectDef | undefined {
    const prefix = keyPrefixOf(id);
    for (const def of this.schema.values()) if (def.keyPrefix === prefix) return def;
    return undefined;
  }

  private table(type: string): Table {
    const t = this.tables.get(type);
    if (t === undefined) throw new Error(`Unknown sObject ${type}`);
    return t;
  }

  nextId(def: SObjectDef): string {
    const n = (this.counters.get(def.keyPrefix) ?? 0) + 1;
    this.counters.set(def.keyPrefix, n);
    return makeId(def.keyPrefix, n);
  }

  /** All rows of a type (deleted ones too; callers filter on IsDeleted). */
  rows(type: string): IterableIterator<SfRecord> {
    return this.table(type).rows.values();
  }

  count(type: string): number {
    let n = 0;
    for (const r of this.table(type).rows.values()) if (r['IsDeleted'] !== true) n += 1;
    return n;
  }

  get(type: string, id: string): SfRecord | undefined {
    const row = this.table(type).rows.get(id);
    return row === undefined || row['IsDeleted'] === true ? undefined : row;
  }

  /** Any live record by id, whatever its type. */
  getAny(id: string): { def: SObjectDef; record: SfRecord } | undefined {
    const def = this.typeOfId(id);
    if (def === undefined) return undefined;
    const record = this.get(def.name, id);
    return record === undefined ? undefined : { def, record };
  }

  findBy(type: string, fieldName: string, value: string): string[] {
    const t = this.table(type);
    const field = t.def.byLowerName.get(fieldName.toLowerCase());
    if (field === undefined) return [];
    if (field.type === 'id') {
      const id = normalizeId(value);
      return id !== undefined && this.get(type, id) ? [id] : [];
    }
    const index = t.indexes.get(field.name.toLowerCase());
    if (index !== undefined) return [...(index.get(value.toLowerCase()) ?? [])];
    const out: string[] = [];
    for (const row of t.rows.values()) {
      if (row['IsDeleted'] !== true && indexKey(row[field.name] ?? null) === value.toLowerCase()) out.push(String(row['Id']));
    }
    return out;
  }

  private indexRow(t: Table, row: SfRecord, add: boolean): void {
    const id = String(row['Id']);
    for (const [lower, index] of t.indexes) {
      const field = t.def.byLowerName.get(lower);
      if (field === undefined) continue;
      const key = indexKey(row[field.name] ?? null);
      if (key === undefined) continue;
      let ids = index.get(key);
      if (add) {
        if (ids === undefined) index.set(key, (ids = new Set()));
        ids.add(id);
      } else if (ids !== undefined) {
        ids.delete(id);
        if (ids.size === 0) index.delete(key);
      }
    }
  }

  /** Insert already-valid rows without validation (seeding; 100k leads in well under a second). */
  insertRaw(type: string, row: SfRecord): void {
    const t = this.table(type);
    t.rows.set(String(row['Id']), row);
    this.indexRow(t, row, true);
  }

  /**
   * Validate and coerce an input body. Mirrors Salesforce's order: unknown field and
   * read-only field are request-level errors; then per-field value errors.
   */
  private coerceInput(def: SObjectDef, input: Record<string, unknown>, mode: 'create' | 'update', ctx: WriteContext): { values: SfRecord; errors: SfError[] } {
    const values: SfRecord = {};
    const readOnly: string[] = [];
    const errors: SfError[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const field = def.byLowerName.get(key.toLowerCase());
      if (field === undefined) {
        return { values, errors: [sfError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, [key])] };
      }
      // Bulk CSV: an empty cell leaves the field alone ('#N/A' is the explicit null).
      if (ctx.source === 'csv' && raw === '') continue;
      if (field.type === 'id') {
        if (mode === 'create') return { values, errors: [sfError('INVALID_FIELD_FOR_INSERT_UPDATE', 'Record ID: cannot specify Id in an insert call', ['Id'])] };
        continue;
      }
      if (mode === 'create' ? !field.createable : !field.updateable) {
        readOnly.push(field.name);
        continue;
      }
      const coerced = coerceValue(field, ctx.source === 'csv' && raw === '#N/A' ? null : raw, ctx.source);
      if (!coerced.ok) {
        errors.push(coerced.error);
        continue;
      }
      values[field.name] = coerced.value;
    }
    if (readOnly.length > 0) {
      return {
        values,
        errors: [sfError('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, readOnly)],
      };
    }
    return { values, errors };
  }

  /** References must be well-formed ids of an allowed type that exist; owners must be active. */
  private checkReferences(def: SObjectDef, values: SfRecord, errors: SfError[]): void {
    for (const [name, value] of Object.entries(values)) {
      if (value === null) continue;
      const field = def.byLowerName.get(name.toLowerCase());
      if (field === undefined || field.type !== 'reference') continue;
      const id = normalizeId(String(value));
      const target = id === undefined ? undefined : this.typeOfId(id);
      if (id === undefined || target === undefined || !field.referenceTo.includes(target.name)) {
        errors.push(sfError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${String(value)}`, [field.name]));
        continue;
      }
      const record = this.get(target.name, id);
      if (record === undefined) {
        errors.push(sfError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]));
        continue;
      }
      // A converted Lead is frozen: nothing new may point at it (Tasks, Events, campaign members), as in Salesforce.
      if (target.name === 'Lead' && def.name !== 'Lead' && record['IsConverted'] === true) {
        errors.push(sfError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', [field.name]));
        continue;
      }
      if (target.name === 'User' && name === 'OwnerId' && record['IsActive'] === false) {
        errors.push(sfError('INACTIVE_OWNER_OR_USER', `operation performed with inactive user [${id}] as owner of ${def.name.toLowerCase()}`, [field.name]));
        continue;
      }
      values[name] = id;
    }
  }

  private checkRequired(def: SObjectDef, merged: SfRecord, touched: Iterable<string> | undefined, errors: SfError[]): void {
    const touchedSet = touched === undefined ? undefined : new Set(touched);
    const missing: string[] = [];
    for (const field of def.fields) {
      if (touchedSet !== undefined && !touchedSet.has(field.name)) continue;
      const v = merged[field.name];
      if (v !== null && v !== undefined) continue;
      if (field.required) missing.push(field.name);
      else if (!field.nillable && field.type === 'picklist' && field.restrictedPicklist) {
        errors.push(sfError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: null`, [field.name]));
      } else if (!field.nillable && field.createable && field.type !== 'boolean') missing.push(field.name);
    }
    if (missing.length > 0) errors.push(sfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing));
  }

  private checkUnique(t: Table, values: SfRecord, selfId: string | undefined, errors: SfError[]): void {
    for (const field of t.def.fields) {
      if (!field.unique || !(field.name in values)) continue;
      const key = indexKey(values[field.name] ?? null);
      if (key === undefined) continue;
      const ids = t.indexes.get(field.name.toLowerCase())?.get(key);
      const other = ids === undefined ? undefined : [...ids].find((id) => id !== selfId);
      if (other !== undefined) {
        errors.push(sfError('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${other}`, [field.name]));
      }
    }
  }

  /** Lead duplicate rule (standard "Leads with the same email"). */
  private checkDuplicates(t: Table, values: SfRecord, selfId: string | undefined, ctx: WriteContext, apiVersion: string): SfError | undefined {
    // The standard rules: Leads by email, Accounts by name (Salesforce's Account rule matches names fuzzily; exact here).
    const rule = t.def.name === 'Lead' ? { field: 'Email', index: 'email', name: 'Standard_Rule_for_Leads_with_Duplicate_Leads', match: 'Standard_Lead_Match_Rule_v1_0' }
      : t.def.name === 'Account' ? { field: 'Name', index: 'name', name: 'Standard_Account_Duplicate_Rule', match: 'Standard_Account_Match_Rule_v1_0' }
        : undefined;
    if (rule === undefined || this.duplicateRule !== 'block' || ctx.allowSave === true) return undefined;
    const key = indexKey(values[rule.field] ?? null);
    if (key === undefined) return undefined;
    const matches = [...(t.indexes.get(rule.index)?.get(key) ?? [])].filter((id) => id !== selfId);
    if (matches.length === 0) return undefined;
    const type = t.def.name;
    return {
      statusCode: 'DUPLICATES_DETECTED',
      message: 'Use one of these records?',
      fields: [],
      duplicateResult: {
        allowSave: false,
        duplicateRule: rule.name,
        duplicateRuleEntityType: type,
        errorMessage: 'Use one of these records?',
        matchResults: [
          {
            entityType: type,
            errors: [],
            matchEngine: 'ExactMatchEngine',
            matchRecords: matches.map((id) => ({
              additionalInformation: [],
              fieldDiffs: [],
              matchConfidence: 100,
              record: { attributes: { type, url: `/services/data/v${apiVersion}/sobjects/${type}/${id}` }, Id: id },
            })),
            rule: rule.match,
            size: matches.length,
            success: true,
          },
        ],
      },
    };
  }

  /**
   * Object-specific rules Salesforce enforces beyond field metadata: an Event needs a
   * time (start + end/duration, or an all-day date); a campaign member needs a lead or
   * contact and may join a campaign once.
   */
  private checkObjectRules(def: SObjectDef, merged: SfRecord, selfId: string | undefined, errors: SfError[]): void {
    if (def.name === 'Event') {
      const start = merged['StartDateTime'] ?? merged['ActivityDateTime'] ?? null;
      if (merged['IsAllDayEvent'] === true) {
        if (merged['ActivityDate'] === null || merged['ActivityDate'] === undefined) {
          if (typeof start === 'string') merged['ActivityDate'] = start.slice(0, 10);
          else errors.push(sfError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDate]', ['ActivityDate']));
        }
        return;
      }
      if (typeof start !== 'string') {
        errors.push(sfError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDateTime]', ['ActivityDateTime']));
        return;
      }
      const startMs = Date.parse(start.replace('+0000', 'Z'));
      const end = merged['EndDateTime'];
      const duration = merged['DurationInMinutes'];
      if (typeof end === 'string') {
        const minutes = Math.round((Date.parse(end.replace('+0000', 'Z')) - startMs) / 60_000);
        if (minutes < 0) {
          errors.push(sfError('FIELD_INTEGRITY_EXCEPTION', 'End Date Time: End Date Time cannot be before Start Date Time', ['EndDateTime']));
          return;
        }
        merged['DurationInMinutes'] = minutes;
      } else if (typeof duration === 'number') {
        merged['EndDateTime'] = toSfDateTime(startMs + duration * 60_000);
      } else {
        errors.push(sfError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [DurationInMinutes]', ['DurationInMinutes']));
        return;
      }
      merged['StartDateTime'] = start;
      merged['ActivityDateTime'] = start;
      merged['ActivityDate'] = start.slice(0, 10);
    }
    if (def.name === 'CampaignMember' && selfId === undefined) {
      const who = merged['LeadId'] ?? merged['ContactId'] ?? null;
      if (who === null) {
        errors.push(sfError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ContactId, LeadId]', ['ContactId', 'LeadId']));
        return;
      }
      for (const row of this.table('CampaignMember').rows.values()) {
        if (row['IsDeleted'] !== true && row['CampaignId'] === merged['CampaignId'] && (row['LeadId'] ?? row['ContactId']) === who) {
          errors.push(sfError('DUPLICATE_VALUE', 'Already a campaign member.', []));
          return;
        }
      }
    }
  }

  /** Campaign roll-ups (NumberOfLeads / NumberOfContacts) follow member inserts and deletes. */
  private rollUpCampaign(campaignId: SfValue | undefined): void {
    if (typeof campaignId !== 'string') return;
    const campaigns = this.table('Campaign');
    const campaign = campaigns.rows.get(campaignId);
    if (campaign === undefined) return;
    let leads = 0;
    let contacts = 0;
    for (const row of this.table('CampaignMember').rows.values()) {
      if (row['IsDeleted'] === true || row['CampaignId'] !== campaignId) continue;
      if (typeof row['LeadId'] === 'string') leads += 1;
      else if (typeof row['ContactId'] === 'string') contacts += 1;
    }
    campaigns.rows.set(campaignId, { ...campaign, NumberOfLeads: leads, NumberOfContacts: contacts });
  }

  /** Fields Salesforce computes: Name on person objects, Opportunity/Task/CampaignMember flags. */
  private computeFields(def: SObjectDef, row: SfRecord, changed: SfRecord): void {
    if (PERSON_OBJECTS.has(def.name) && ('FirstName' in changed || 'LastName' in changed || !('Name' in row))) {
      row['Name'] = [row['FirstName'], row['LastName']].filter((v) => v !== null && v !== undefined && v !== '').join(' ');
    }
    if (def.name === 'Opportunity' && 'StageName' in changed) {
      const stage = String(row['StageName'] ?? '');
      row['IsClosed'] = stage.startsWith('Closed');
      row['IsWon'] = stage === 'Closed Won';
      if (!('Probability' in changed)) row['Probability'] = STAGE_PROBABILITY[stage] ?? null;
    }
    if (def.name === 'Task' && 'Status' in changed) {
      row['IsClosed'] = row['Status'] === 'Completed';
      row['CompletedDateTime'] = row['IsClosed'] === true ? (row['LastModifiedDate'] ?? null) : null;
    }
    if (def.name === 'CampaignMember' && 'Status' in changed) {
      const responded = row['Status'] === 'Responded' || row['Status'] === 'Attended';
      if (responded && row['HasResponded'] !== true) row['FirstRespondedDate'] = String(row['LastModifiedDate']).slice(0, 10);
      row['HasResponded'] = responded;
    }
  }

  create(type: string, input: Record<string, unknown>, ctx: WriteContext, apiVersion = '62.0'): WriteResult {
    const t = this.table(type);
    const def = t.def;
    if (!def.createable) return { ok: false, status: 400, errors: [sfError('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY', `entity type cannot be inserted: ${def.name}`)] };
    const { values, errors } = this.coerceInput(def, input, 'create', ctx);
    if (errors.length > 0) return { ok: false, status: 400, errors };
    const merged: SfRecord = {};
    for (const f of def.fields) if (f.defaultedOnCreate && f.defaultValue !== null && f.defaultValue !== undefined) merged[f.name] = f.defaultValue as SfValue;
    if (def.byLowerName.has('ownerid')) merged['OwnerId'] = ctx.userId;
    Object.assign(merged, values);
    this.checkReferences(def, merged, errors);
    this.checkRequired(def, merged, undefined, errors);
    this.checkUnique(t, merged, undefined, errors);
    if (errors.length === 0) this.checkObjectRules(def, merged, undefined, errors);
    if (errors.length > 0) return { ok: false, status: 400, errors };
    const dup = this.checkDuplicates(t, merged, undefined, ctx, apiVersion);
    if (dup !== undefined) return { ok: false, status: 400, errors: [dup] };
    const id = this.nextId(def);
    const now = this.stamp();
    const row: SfRecord = { Id: id, IsDeleted: false, ...merged, CreatedDate: now, CreatedById: ctx.userId, LastModifiedDate: now, LastModifiedById: ctx.userId, SystemModstamp: now };
    this.computeFields(def, row, row);
    t.rows.set(id, row);
    this.indexRow(t, row, true);
    this.journal?.push(() => {
      this.indexRow(t, row, false);
      t.rows.delete(id);
      if (def.name === 'CampaignMember') this.rollUpCampaign(row['CampaignId']);
    });
    if (def.name === 'CampaignMember') this.rollUpCampaign(row['CampaignId']);
    this.onChange?.();
    return { ok: true, id, created: true };
  }

  update(type: string, rawId: string, input: Record<string, unknown>, ctx: WriteContext, apiVersion = '62.0'): WriteResult {
    const t = this.table(type);
    const def = t.def;
    const id = normalizeId(rawId);
    if (id === undefined || keyPrefixOf(id) !== def.keyPrefix) {
      return { ok: false, status: 400, errors: [sfError('MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${rawId}`, ['Id'])] };
    }
    const existing = this.get(type, id);
    if (existing === undefined) {
      return t.rows.has(id)
        ? { ok: false, status: 404, errors: [sfError('ENTITY_IS_DELETED', 'entity is deleted')] }
        : { ok: false, status: 404, errors: [sfError('NOT_FOUND', 'The requested resource does not exist')] };
    }
    if (def.name === 'Lead' && existing['IsConverted'] === true) {
      return { ok: false, status: 400, errors: [sfError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead', [])] };
    }
    const { values, errors } = this.coerceInput(def, input, 'update', ctx);
    if (errors.length > 0) return { ok: false, status: 400, errors };
    const merged: SfRecord = { ...existing, ...values };
    this.checkReferences(def, values, errors);
    Object.assign(merged, values);
    this.checkRequired(def, merged, Object.keys(values), errors);
    this.checkUnique(t, values, id, errors);
    if (errors.length === 0 && def.name === 'Event' && ['StartDateTime', 'EndDateTime', 'DurationInMinutes', 'ActivityDateTime', 'IsAllDayEvent'].some((k) => k in values)) {
      // A new start with only a duration (or only an end) recomputes the other end.
      if ('DurationInMinutes' in values && !('EndDateTime' in values)) delete merged['EndDateTime'];
      if ('StartDateTime' in values && !('ActivityDateTime' in values)) delete merged['ActivityDateTime'];
      this.checkObjectRules(def, merged, id, errors);
    }
    if (errors.length > 0) return { ok: false, status: 400, errors };
    if ('Email' in values && indexKey(values['Email'] ?? null) !== indexKey(existing['Email'] ?? null)) {
      const dup = this.checkDuplicates(t, values, id, ctx, apiVersion);
      if (dup !== undefined) return { ok: false, status: 400, errors: [dup] };
    }
    const now = this.stamp();
    this.indexRow(t, existing, false);
    const row: SfRecord = { ...merged, LastModifiedDate: now, LastModifiedById: ctx.userId, SystemModstamp: now };
    this.computeFields(def, row, values);
    t.rows.set(id, row);
    this.indexRow(t, row, true);
    this.journal?.push(() => {
      this.indexRow(t, row, false);
      t.rows.set(id, existing);
      this.indexRow(t, existing, true);
    });
    this.onChange?.();
    return { ok: true, id, created: false };
  }

  /** Upsert by an external id field (or Id): 0 matches → create, 1 → update, more → 300. */
  upsert(type: string, fieldName: string, value: string, input: Record<string, unknown>, ctx: WriteContext, apiVersion = '62.0'): WriteResult | { ok: false; multiple: string[] } {
    const def = this.table(type).def;
    const field = def.byLowerName.get(fieldName.toLowerCase());
    if (field === undefined || !(field.externalId || field.type === 'id')) {
      return { ok: false, status: 404, errors: [sfError('NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${fieldName}`)] };
    }
    const matches = this.findBy(type, field.name, value);
    if (matches.length > 1) return { ok: false, multiple: matches };
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) if (k.toLowerCase() !== field.name.toLowerCase()) body[k] = v;
    const [match] = matches;
    if (match !== undefined) return this.update(type, match, body, ctx, apiVersion);
    if (field.type === 'id') return { ok: false, status: 404, errors: [sfError('NOT_FOUND', 'The requested resource does not exist')] };
    return this.create(type, { ...body, [field.name]: value }, ctx, apiVersion);
  }

  delete(type: string, rawId: string, ctx: WriteContext): WriteResult {
    const t = this.table(type);
    const id = normalizeId(rawId);
    if (id === undefined || keyPrefixOf(id) !== t.def.keyPrefix) {
      return { ok: false, status: 400, errors: [sfError('MALFORMED_ID', `malformed id ${rawId}`, [])] };
    }
    const existing = t.rows.get(id);
    if (existing === undefined) return { ok: false, status: 404, errors: [sfError('NOT_FOUND', 'The requested resource does not exist')] };
    if (existing['IsDeleted'] === true) return { ok: false, status: 404, errors: [sfError('ENTITY_IS_DELETED', 'entity is deleted')] };
    this.indexRow(t, existing, false);
    const now = this.stamp();
    t.rows.set(id, { ...existing, IsDeleted: true, LastModifiedDate: now, LastModifiedById: ctx.userId, SystemModstamp: now });
    this.journal?.push(() => {
      t.rows.set(id, existing);
      this.indexRow(t, existing, true);
      if (t.def.name === 'CampaignMember') this.rollUpCampaign(existing['CampaignId']);
    });
    if (t.def.name === 'CampaignMember') this.rollUpCampaign(existing['CampaignId']);
    this.onChange?.();
    return { ok: true, id, created: false };
  }

  /**
   * Lead conversion is SOAP-only in Salesforce (convertLead); tests and demos drive it
   * through the control API instead. Creates (or reuses) the Account and a Contact and
   * stamps the Lead as converted. Like Salesforce, the Lead's activities (Tasks, Events) move to the new Contact;
   * campaign memberships keep their LeadId.
   */
  convertLead(rawId: string, ctx: WriteContext, accountId?: string): { ok: true; contactId: string; accountId: string } | { ok: false; errors: SfError[] } {
    const id = normalizeId(rawId);
    const lead = id === undefined ? undefined : this.get('Lead', id);
    if (lead === undefined || id === undefined) return { ok: false, errors: [sfError('NOT_FOUND', 'The requested resource does not exist')] };
    if (lead['IsConverted'] === true) return { ok: false, errors: [sfError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead')] };
    let account = accountId;
    if (account === undefined) {
      // The convert dialog lets the user save past the Account duplicate rule.
      const created = this.create('Account', { Name: lead['Company'], Website: lead['Website'] ?? null, Industry: lead['Industry'] ?? null, OwnerId: lead['OwnerId'] }, { ...ctx, allowSave: true });
      if (!created.ok) return { ok: false, errors: created.errors };
      account = created.id;
    }
    const contact = this.create('Contact', {
      AccountId: account, FirstName: lead['FirstName'] ?? null, LastName: lead['LastName'], Email: lead['Email'] ?? null, Title: lead['Title'] ?? null,
      Phone: lead['Phone'] ?? null, MobilePhone: lead['MobilePhone'] ?? null, LeadSource: lead['LeadSource'] ?? null, OwnerId: lead['OwnerId'],
      HasOptedOutOfEmail: lead['HasOptedOutOfEmail'] ?? false, DoNotCall: lead['DoNotCall'] ?? false,
    }, ctx);
    if (!contact.ok) return { ok: false, errors: contact.errors };
    const t = this.table('Lead');
    const now = this.stamp();
    t.rows.set(id, {
      ...lead, IsConverted: true, Status: 'Closed - Converted', ConvertedContactId: contact.id, ConvertedAccountId: account,
      ConvertedDate: now.slice(0, 10), LastModifiedDate: now, LastModifiedById: ctx.userId, SystemModstamp: now,
    });
    // Its campaign memberships now name the Contact too (the LeadId stays), as Salesforce does on conversion.
    const campaignMembers = this.table('CampaignMember');
    for (const row of [...campaignMembers.rows.values()]) {
      if (row['IsDeleted'] === true || row['LeadId'] !== id || row['ContactId']) continue;
      this.indexRow(campaignMembers, row, false);
      const moved: SfRecord = { ...row, ContactId: contact.id, SystemModstamp: now };
      campaignMembers.rows.set(String(row['Id']), moved);
      this.indexRow(campaignMembers, moved, true);
    }
    for (const kind of ['Task', 'Event'] as const) {
      const activities = this.table(kind);
      for (const row of [...activities.rows.values()]) {
        if (row['IsDeleted'] === true || row['WhoId'] !== id) continue;
        this.indexRow(activities, row, false);
        const moved: SfRecord = { ...row, WhoId: contact.id, SystemModstamp: now };
        activities.rows.set(String(row['Id']), moved);
        this.indexRow(activities, moved, true);
      }
    }
    this.onChange?.();
    return { ok: true, contactId: contact.id, accountId: account };
  }

  /** Drift tests: add a custom field at runtime (existing rows read it as null). */
  addField(type: string, spec: FieldSpec): FieldDef {
    const t = this.table(type);
    const field = makeField({ ...spec, custom: spec.custom ?? true });
    t.def.fields = [...t.def.fields.filter((f) => f.name.toLowerCase() !== field.name.toLowerCase()), field];
    indexFields(t.def);
    if (indexedField(t.def, field)) {
      const index = new Map<string, Set<string>>();
      t.indexes.set(field.name.toLowerCase(), index);
      for (const row of t.rows.values()) if (row['IsDeleted'] !== true) this.indexRow(t, row, true);
    }
    return field;
  }

  removeField(type: string, name: string): boolean {
    const t = this.table(type);
    const field = t.def.byLowerName.get(name.toLowerCase());
    if (field === undefined) return false;
    t.def.fields = t.def.fields.filter((f) => f !== field);
    indexFields(t.def);
    t.indexes.delete(field.name.toLowerCase());
    for (const row of t.rows.values()) delete row[field.name];
    return true;
  }

  /** Serializable state for persistence. */
  snapshot(): { counters: [string, number][]; lastStamp: number; tables: Record<string, SfRecord[]> } {
    const tables: Record<string, SfRecord[]> = {};
    for (const [name, t] of this.tables) tables[name] = [...t.rows.values()];
    return { counters: [...this.counters], lastStamp: this.lastStamp, tables };
  }

  load(snapshot: ReturnType<SalesforceStore['snapshot']>): void {
    this.rebuildTables();
    this.counters = new Map(snapshot.counters);
    this.lastStamp = snapshot.lastStamp;
    for (const [name, rows] of Object.entries(snapshot.tables)) {
      if (!this.tables.has(name)) continue;
      for (const row of rows) {
        if (row['IsDeleted'] === true) this.table(name).rows.set(String(row['Id']), row);
        else this.insertRaw(name, row);
      }
    }
  }
}
