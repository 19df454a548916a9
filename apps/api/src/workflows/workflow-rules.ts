/**
 * The workflows' decision layer: pure functions of (record, config), no I/O. The executor reads the CRMs, asks
 * these what to write, writes, and records the answer in the run log.
 */
import type {
  AccountCompanyConfigDto,
  AccountHygieneConfigDto,
  EmailChangeConfigDto,
  FieldMaster,
  FilterConditionDto,
  MqlHandoffConfigDto,
  OwnerRuleDto,
  StageLifecycleConfigDto,
  ValueTableRowDto,
  WorkflowConfigDto,
  WorkflowKind,
} from '@conduit/contracts';
import type { CrmFieldDescriptor, CrmValue } from '@conduit/crm';
import { decodeCrmValue, encodeCrmValue, isBlank, normalizeDomain } from '@conduit/mapping';

export type Decision<T> = { ok: true; value: T } | { ok: false; code: string; reason: string };

// ---- Filters --------------------------------------------------------------------------------

const num = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || !/^-?\d+(\.\d+)?$/.test(v.trim())) return null;
  return Number(v.trim());
};
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').trim().toLowerCase();

/** Whether one condition holds for a HubSpot record's properties (HubSpot values are strings). */
export function conditionHolds(c: FilterConditionDto, properties: Record<string, CrmValue>): boolean {
  const raw = properties[c.property];
  const blank = isBlank(raw);
  const list = (Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [String(c.value)]).map(text);
  switch (c.operator) {
    case 'is_known':
      return !blank;
    case 'is_unknown':
      return blank;
    case 'eq':
      return !blank && text(raw) === text(c.value);
    case 'neq':
      return blank || text(raw) !== text(c.value);
    case 'in':
      return !blank && list.includes(text(raw));
    case 'not_in':
      return blank || !list.includes(text(raw));
    case 'contains':
      return !blank && text(raw).includes(text(c.value));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const a = num(raw);
      const b = num(c.value);
      if (a === null || b === null) return false;
      return c.operator === 'gt' ? a > b : c.operator === 'gte' ? a >= b : c.operator === 'lt' ? a < b : a <= b;
    }
  }
}

/** All conditions must hold; the answer names the first one that does not. */
export function evaluateFilter(conditions: readonly FilterConditionDto[], properties: Record<string, CrmValue>): Decision<'passed'> {
  for (const c of conditions) {
    if (!conditionHolds(c, properties)) {
      const value = properties[c.property];
      return { ok: false, code: 'filter_rejected', reason: `${c.property} ${c.operator}${c.value === undefined ? '' : ` ${JSON.stringify(c.value)}`} failed (value: ${isBlank(value) ? 'empty' : JSON.stringify(value)})` };
    }
  }
  return { ok: true, value: 'passed' };
}

// ---- Value tables -----------------------------------------------------------------------------

/** Case-insensitive lookup in an editable from → to table. */
export function lookup(table: readonly ValueTableRowDto[], from: CrmValue | undefined): string | null {
  if (isBlank(from)) return null;
  const key = text(from);
  return table.find((r) => text(r.from) === key)?.to ?? null;
}

// ---- Owner rule -------------------------------------------------------------------------------

export function resolveOwner(rule: OwnerRuleDto, properties: Record<string, CrmValue>): string | null {
  switch (rule.kind) {
    case 'none':
      return null;
    case 'owner_mapping':
      return lookup(rule.ownerMapping ?? [], properties['hubspot_owner_id']) ?? rule.defaultOwnerId ?? null;
    case 'territory': {
      const country = text(properties['country']);
      const state = text(properties['state']);
      const rows = (rule.territories ?? []).filter((t) => text(t.country) === country);
      // A state-specific row wins over a whole-country row.
      const hit = rows.find((t) => !isBlank(t.state) && text(t.state) === state) ?? rows.find((t) => isBlank(t.state));
      return hit?.ownerId ?? rule.defaultOwnerId ?? null;
    }
  }
}

// ---- MQL → Lead payload -----------------------------------------------------------------------

export interface LeadPlan {
  properties: Record<string, CrmValue>;
  /** Lead fields whose values came from defaults (for the run log). */
  defaulted: string[];
}

/**
 * Builds the Salesforce Lead payload of an MQL: mapped fields converted through @conduit/mapping (HubSpot wire
 * value → typed value → Salesforce wire value), defaults for blanks, Lead Source from the value table, owner from
 * the rule, the external id. A value that cannot convert or is not an allowed option refuses the whole handoff
 * with the exact reason (a half-filled Lead is worse than a Needs attention entry).
 */
export function planLead(args: {
  config: MqlHandoffConfigDto;
  hubspotId: string;
  properties: Record<string, CrmValue>;
  hubspotFields: readonly CrmFieldDescriptor[];
  leadFields: readonly CrmFieldDescriptor[];
}): Decision<LeadPlan> {
  const { config, properties } = args;
  const hsField = (name: string) => args.hubspotFields.find((f) => f.name === name) ?? { name, label: name, type: 'string' as const, crmType: 'text', readOnly: false, custom: true };
  const sfField = (name: string) => args.leadFields.find((f) => f.name === name);
  const out: Record<string, CrmValue> = {};
  const defaulted: string[] = [];

  const put = (target: string, value: unknown, origin: string): Decision<null> => {
    const field = sfField(target);
    if (!field) return { ok: false, code: 'unknown_field', reason: `Lead.${target} does not exist in Salesforce (${origin})` };
    if (field.readOnly) return { ok: false, code: 'read_only', reason: `Lead.${target} is read-only (${origin})` };
    const encoded = encodeCrmValue('salesforce', field, value);
    if (!encoded.ok) return { ok: false, code: encoded.error.code, reason: `Lead.${target}: ${encoded.error.message} (${origin})` };
    out[target] = encoded.value;
    return { ok: true, value: null };
  };

  for (const row of config.fieldMap) {
    let value: unknown = null;
    if (row.hubspot) {
      const decoded = decodeCrmValue('hubspot', hsField(row.hubspot), properties[row.hubspot] ?? null);
      if (!decoded.ok) return { ok: false, code: decoded.error.code, reason: `HubSpot ${row.hubspot}: ${decoded.error.message}` };
      value = decoded.value;
    }
    if (isBlank(value)) {
      if (row.default === undefined || row.default === null || row.default === '') continue;
      value = row.default;
      defaulted.push(row.salesforce);
    }
    const r = put(row.salesforce, value, row.hubspot ? `from ${row.hubspot}` : 'default');
    if (!r.ok) return r;
  }

  const source = lookup(config.leadSourceTable, properties['hs_analytics_source']) ?? config.leadSourceDefault;
  if (source !== null) {
    const r = put('LeadSource', source, `Lead Source table, hs_analytics_source ${JSON.stringify(properties['hs_analytics_source'] ?? null)}`);
    if (!r.ok) return r;
  }
  const owner = resolveOwner(config.owner, properties);
  if (owner !== null) {
    const r = put('OwnerId', owner, `owner rule ${config.owner.kind}`);
    if (!r.ok) return r;
  }
  // Salesforce refuses a Lead without these; the placeholders say where the gap is.
  if (isBlank(out['LastName'])) {
    out['LastName'] = '[not provided]';
    defaulted.push('LastName');
  }
  if (isBlank(out['Company'])) {
    out['Company'] = '[not provided]';
    defaulted.push('Company');
  }
  out[config.externalIdField] = args.hubspotId;
  return { ok: true, value: { properties: out, defaulted } };
}

/** Lead fields a Contact also has (by name), for updating the Contact a Lead was converted into. */
export function contactPropertiesOf(lead: Record<string, CrmValue>, contactFields: readonly CrmFieldDescriptor[], drop: readonly string[]): Record<string, CrmValue> {
  const writable = new Set(contactFields.filter((f) => !f.readOnly).map((f) => f.name));
  return Object.fromEntries(Object.entries(lead).filter(([k]) => writable.has(k) && !drop.includes(k)));
}

// ---- Stage → lifecycle --------------------------------------------------------------------------

/** HubSpot's default lifecycle stages, earliest first. */
export const LIFECYCLE_ORDER = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'] as const;

export function lifecycleRank(stage: string | null | undefined): number {
  if (isBlank(stage)) return -1;
  return (LIFECYCLE_ORDER as readonly string[]).indexOf(String(stage).toLowerCase());
}

/** The lifecycle stage an Opportunity's stage (and amount) maps to, or null when no rule applies. */
export function lifecycleForStage(config: StageLifecycleConfigDto, stageName: CrmValue | undefined, amount: CrmValue | undefined): string | null {
  const a = num(amount) ?? 0;
  for (const rule of config.rules) {
    if (text(rule.stage) !== text(stageName)) continue;
    if (rule.minAmountExclusive !== undefined && rule.minAmountExclusive !== null && !(a > rule.minAmountExclusive)) continue;
    return rule.lifecycle;
  }
  return null;
}

/** Whether a contact moves from `current` to `target`: never backwards unless allowed, never to the same stage. */
export function lifecycleMove(current: CrmValue | undefined, target: string, allowBackwards: boolean): Decision<'forward' | 'backward'> {
  const from = lifecycleRank(current === undefined || current === null ? null : String(current));
  const to = lifecycleRank(target);
  if (to < 0) return { ok: false, code: 'unknown_stage', reason: `${target} is not a HubSpot lifecycle stage Conduit knows` };
  if (from === to) return { ok: false, code: 'unchanged', reason: `already ${target}` };
  if (to > from) return { ok: true, value: 'forward' };
  if (allowBackwards) return { ok: true, value: 'backward' };
  return { ok: false, code: 'backwards_refused', reason: `${String(current)} → ${target} would move backwards (not allowed)` };
}

// ---- Email change -------------------------------------------------------------------------------

export function emailDirectionAllows(config: EmailChangeConfigDto, from: 'hubspot' | 'salesforce'): boolean {
  return from === 'hubspot' || config.direction === 'both';
}

// ---- Account hygiene ----------------------------------------------------------------------------

/** Placeholder values that carry no information (never overwrite a real value with them). */
export const GENERIC_VALUES = ['n/a', 'na', 'none', 'null', 'unknown', 'other', 'test', 'tbd', '-', '--', '?', '[not provided]', 'not provided', 'company', 'default', 'various'];

export function isGeneric(value: CrmValue | undefined, extra: readonly string[] = []): boolean {
  if (isBlank(value)) return true;
  const v = text(value);
  return GENERIC_VALUES.includes(v) || extra.some((e) => text(e) === v);
}

export interface GateOutcome {
  properties: Record<string, string>;
  refused: { field: string; reason: string }[];
}

const HYGIENE_TARGETS = { name: { sf: 'Name', hs: 'name' }, industry: { sf: 'Industry', hs: 'industry' }, numberofemployees: { sf: 'NumberOfEmployees', hs: 'numberofemployees' } } as const;

/**
 * The quality gate: which HubSpot company properties a Salesforce Account change may write. Never an empty or
 * generic value, never a value equal to the current one; industry through the normalization table and checked
 * against HubSpot's options; employee counts must be positive integers.
 */
export function hygieneGate(args: {
  config: AccountHygieneConfigDto;
  account: Record<string, CrmValue>;
  company: Record<string, CrmValue>;
  industryOptions: readonly string[];
  /** HubSpot numberofemployees options when it is an enumeration of ranges ('1-5', '1000+'); empty = a number property. */
  employeeOptions?: readonly string[];
}): GateOutcome {
  const out: GateOutcome = { properties: {}, refused: [] };
  for (const key of args.config.fields) {
    const { sf, hs } = HYGIENE_TARGETS[key];
    const raw = args.account[sf];
    if (isGeneric(raw, args.config.genericValues)) {
      out.refused.push({ field: hs, reason: `Salesforce ${sf} is ${isBlank(raw) ? 'empty' : `generic (${JSON.stringify(raw)})`}` });
      continue;
    }
    let value: string;
    if (key === 'industry') {
      const mapped = lookup(args.config.industryTable, raw);
      const candidate = mapped ?? String(raw);
      const option = args.industryOptions.find((o) => text(o) === text(candidate) || text(o) === text(candidate).replace(/[^a-z0-9]+/g, '_'));
      if (!option) {
        out.refused.push({ field: hs, reason: `industry ${JSON.stringify(candidate)} is not a HubSpot industry option; add it to the industry table` });
        continue;
      }
      value = option;
    } else if (key === 'numberofemployees') {
      const n = num(raw);
      if (n === null || n <= 0 || !Number.isInteger(n)) {
        out.refused.push({ field: hs, reason: `NumberOfEmployees ${JSON.stringify(raw)} is not a positive whole number` });
        continue;
      }
      const bucket = args.employeeOptions?.length ? employeeBucket(n, args.employeeOptions) : String(n);
      if (bucket === null) {
        out.refused.push({ field: hs, reason: `no HubSpot numberofemployees option covers ${n}` });
        continue;
      }
      value = bucket;
    } else {
      value = String(raw).trim();
    }
    if (text(args.company[hs]) === text(value)) continue;
    out.properties[hs] = value;
  }
  return out;
}

/** The range option ('25-50', '1000+') a head count falls in. */
export function employeeBucket(n: number, options: readonly string[]): string | null {
  for (const o of options) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(o.trim());
    if (range && n >= Number(range[1]) && n <= Number(range[2])) return o;
    const open = /^(\d+)\+$/.exec(o.trim());
    if (open && n >= Number(open[1])) return o;
  }
  return null;
}

/** The domain an Account is matched on (Website; the sandbox also has Domain__c). */
export function accountDomain(account: Record<string, CrmValue>): string | null {
  for (const k of ['Domain__c', 'Website']) {
    const v = account[k];
    if (typeof v === 'string' && v.trim()) {
      const d = normalizeDomain(v);
      if (d) return d;
    }
  }
  return null;
}

// ---- No ping-pong -----------------------------------------------------------------------------

/** How a written value is compared with a change event's value (case and whitespace do not matter). */
export function fingerprintValue(value: CrmValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).trim().toLowerCase();
}

// ---- One master per field ---------------------------------------------------------------------

export type FieldDirection = 'hubspot_to_salesforce' | 'salesforce_to_hubspot';

/** One field pair a workflow definition writes, in one direction, and the master it names (if any). */
export interface FieldMapping {
  kind: WorkflowKind;
  /** Where the master is set in that definition's body (for a 400 naming the field). */
  path: string;
  /** HubSpot side, `object.property` (contact.email). */
  hubspot: string;
  /** Salesforce side; `person.` stands for both Lead and Contact (the handoff writes either). */
  salesforce: string;
  direction: FieldDirection;
  master: FieldMaster | null;
}

export const WORKFLOW_LABELS: Record<WorkflowKind, string> = {
  mql_handoff: 'MQL handoff',
  stage_lifecycle: 'stage → lifecycle',
  email_change: 'email change',
  account_hygiene: 'account hygiene',
  opportunity_deal: 'Opportunity → HubSpot deal',
  account_company: 'Account → HubSpot company',
};

const HYGIENE_PAIRS = { name: ['company.name', 'company.Name'], industry: ['company.industry', 'company.Industry'], numberofemployees: ['company.numberofemployees', 'company.NumberOfEmployees'] } as const;

/** What Opportunity → deal writes: HubSpot deal property ← Opportunity field. */
const DEAL_PAIRS = [
  ['deal.dealname', 'deal.Name'],
  ['deal.dealstage', 'deal.StageName'],
  ['deal.amount', 'deal.Amount'],
  ['deal.closedate', 'deal.CloseDate'],
  ['deal.hubspot_owner_id', 'deal.OwnerId'],
] as const;

/** The field pairs a definition maps, per direction. */
export function fieldMappings(kind: WorkflowKind, config: WorkflowConfigDto): FieldMapping[] {
  switch (kind) {
    case 'mql_handoff': {
      const c = config as MqlHandoffConfigDto;
      return c.fieldMap.flatMap((row, i) =>
        row.hubspot ? [{ kind, path: `config.fieldMap.${i}.master`, hubspot: `contact.${row.hubspot}`, salesforce: `person.${row.salesforce}`, direction: 'hubspot_to_salesforce' as const, master: row.master ?? null }] : [],
      );
    }
    case 'stage_lifecycle':
      return [{ kind, path: 'config', hubspot: 'contact.lifecyclestage', salesforce: 'deal.StageName', direction: 'salesforce_to_hubspot', master: null }];
    case 'email_change': {
      const c = config as EmailChangeConfigDto;
      const base = { kind, path: 'config.master', hubspot: 'contact.email', salesforce: 'person.Email', master: c.master ?? null };
      return [{ ...base, direction: 'hubspot_to_salesforce' }, ...(c.direction === 'both' ? [{ ...base, direction: 'salesforce_to_hubspot' as const }] : [])];
    }
    case 'account_hygiene': {
      const c = config as AccountHygieneConfigDto;
      return c.fields.map((f) => ({ kind, path: 'config', hubspot: HYGIENE_PAIRS[f][0], salesforce: HYGIENE_PAIRS[f][1], direction: 'salesforce_to_hubspot' as const, master: null }));
    }
    case 'opportunity_deal':
      return DEAL_PAIRS.map(([hubspot, salesforce]) => ({ kind, path: 'config', hubspot, salesforce, direction: 'salesforce_to_hubspot' as const, master: null }));
    case 'account_company': {
      const c = config as AccountCompanyConfigDto;
      const fields = [...new Set(['name' as const, ...c.fields])];
      return [
        ...fields.map((f) => ({ kind, path: 'config', hubspot: HYGIENE_PAIRS[f][0], salesforce: HYGIENE_PAIRS[f][1], direction: 'salesforce_to_hubspot' as const, master: null })),
        { kind, path: 'config', hubspot: 'company.domain', salesforce: 'company.Website', direction: 'salesforce_to_hubspot' as const, master: null },
      ];
    }
  }
}

const pairKey = (m: Pick<FieldMapping, 'hubspot' | 'salesforce'>) => `${m.hubspot.toLowerCase()}|${m.salesforce.toLowerCase()}`;
const pairLabel = (m: Pick<FieldMapping, 'hubspot' | 'salesforce'>) => `HubSpot ${m.hubspot.split('.')[1] ?? m.hubspot} ↔ Salesforce ${m.salesforce.split('.')[1] ?? m.salesforce}`;

/**
 * Fields the definition of `kind` maps that some definition (this one included) also maps the other way, without
 * exactly one master between them. Answers one problem per offending setting of `kind`, by body path.
 */
export function masterProblems(kind: WorkflowKind, definitions: readonly { kind: WorkflowKind; config: WorkflowConfigDto }[]): { field: string; message: string }[] {
  const all = definitions.flatMap((d) => fieldMappings(d.kind, d.config));
  const problems = new Map<string, string>();
  for (const mine of all.filter((m) => m.kind === kind)) {
    const group = all.filter((m) => pairKey(m) === pairKey(mine));
    if (new Set(group.map((m) => m.direction)).size < 2) continue;
    const ways = [...new Set(group.map((m) => `${WORKFLOW_LABELS[m.kind]} ${m.direction === 'hubspot_to_salesforce' ? 'HubSpot → Salesforce' : 'Salesforce → HubSpot'}`))].join(', ');
    const masters = new Set(group.flatMap((m) => (m.master ? [m.master] : [])));
    if (masters.size === 1) continue;
    problems.set(
      mine.path,
      masters.size === 0
        ? `${pairLabel(mine)} is mapped both ways (${ways}): name which system is master`
        : `${pairLabel(mine)} names both HubSpot and Salesforce as master (${ways}): choose one`,
    );
  }
  return [...problems].map(([field, message]) => ({ field, message }));
}

/** The master of a field pair across definitions (the one named; null when none or they disagree). */
export function masterOf(definitions: readonly { kind: WorkflowKind; config: WorkflowConfigDto }[], hubspot: string, salesforce: string): FieldMaster | null {
  const key = pairKey({ hubspot, salesforce });
  const masters = new Set(definitions.flatMap((d) => fieldMappings(d.kind, d.config)).filter((m) => pairKey(m) === key && m.master).map((m) => m.master));
  return masters.size === 1 ? [...masters][0]! : null;
}

/** Whether a write from `source` may replace `current`: the non-master direction only fills an empty value. */
export function mayOverwrite(master: FieldMaster | null, source: FieldMaster, current: CrmValue | undefined): boolean {
  return master === null || master === source || isBlank(current);
}
