/**
 * The closed loop's decision layer (Opportunity → HubSpot deal, Account → HubSpot company): pure functions of
 * (Salesforce record, HubSpot record, config), no I/O. The executor reads both CRMs, asks these what to write and
 * how to say it, writes, and records the answer in the run log.
 */
import type { AccountCompanyConfigDto, DealPipelineDto, OpportunityDealConfigDto } from '@conduit/contracts';
import type { CrmValue } from '@conduit/crm';
import { isBlank, normalizeDomain } from '@conduit/mapping';
import { type Decision, GENERIC_VALUES, hygieneGate } from './workflow-rules.js';

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '').trim();
const same = (a: unknown, b: unknown): boolean => text(a).toLowerCase() === text(b).toLowerCase();

// ---- Opportunity → deal: stage table -------------------------------------------------------------

/** The HubSpot deal stage (id) a Salesforce StageName maps to, or null when the table has no row for it. */
export function dealStageFor(config: OpportunityDealConfigDto, stageName: CrmValue | undefined): string | null {
  if (isBlank(stageName)) return null;
  return config.stages.find((r) => same(r.stage, stageName))?.dealstage ?? null;
}

/** A stage's label in the pipeline (the id when the pipeline does not know it). */
export function stageLabel(pipeline: DealPipelineDto | undefined, stageId: string): string {
  return pipeline?.stages.find((s) => s.id === stageId)?.label ?? stageId;
}

// ---- Opportunity → deal: owner ------------------------------------------------------------------

export interface OwnerDirectory {
  /** Salesforce users (id, email). */
  salesforce: readonly { id: string; email: string | null }[];
  /** HubSpot owners (id, email, active). */
  hubspot: readonly { id: string; email: string | null; active: boolean }[];
}

/**
 * The HubSpot owner of a deal whose Opportunity belongs to Salesforce user `ownerId`: the owner table first, then a
 * HubSpot owner with the same email (when allowed). `null` with the reason when there is none (the deal then keeps
 * the owner it has).
 */
export function hubspotOwnerFor(config: OpportunityDealConfigDto, ownerId: CrmValue | undefined, directory: OwnerDirectory): Decision<string> {
  if (isBlank(ownerId)) return { ok: false, code: 'no_owner', reason: 'the Opportunity has no owner' };
  const id = text(ownerId);
  // Salesforce ids come as 15 or 18 characters; the 15 first identify the record.
  const row = config.ownerTable.find((r) => r.from.slice(0, 15) === id.slice(0, 15));
  if (row) return { ok: true, value: row.to };
  if (config.matchOwnersByEmail) {
    const email = directory.salesforce.find((u) => u.id.slice(0, 15) === id.slice(0, 15))?.email;
    const owner = email ? directory.hubspot.find((o) => o.active && o.email && same(o.email, email)) : undefined;
    if (owner) return { ok: true, value: owner.id };
    return { ok: false, code: 'owner_unmapped', reason: email ? `no HubSpot owner has the email ${email} of the Opportunity's owner` : 'the Opportunity owner is not a Salesforce user Conduit can read' };
  }
  return { ok: false, code: 'owner_unmapped', reason: 'the Opportunity owner has no row in the owner table' };
}

// ---- Opportunity → deal: properties and changes ----------------------------------------------------

export interface DealPlan {
  /** HubSpot deal properties the Opportunity gives (every mapped one, changed or not). */
  properties: Record<string, string>;
  /** Why the owner was left alone, when it was. */
  ownerNote: string | null;
}

/**
 * The HubSpot deal an Opportunity describes: name, pipeline and stage (through the table), amount, close date and
 * owner. A stage the table does not map refuses the run (a deal in a wrong stage is worse than a Needs attention
 * entry); a stage the pipeline does not have is refused the same way.
 */
export function planDeal(args: { config: OpportunityDealConfigDto; opportunity: Record<string, CrmValue>; pipeline: DealPipelineDto | undefined; owner: Decision<string> }): Decision<DealPlan> {
  const { config, opportunity } = args;
  const stage = dealStageFor(config, opportunity['StageName']);
  if (!stage) return { ok: false, code: 'stage_unmapped', reason: `Salesforce stage ${JSON.stringify(opportunity['StageName'] ?? null)} has no row in the stage table` };
  if (args.pipeline && !args.pipeline.stages.some((s) => s.id === stage)) {
    return { ok: false, code: 'stage_unknown', reason: `HubSpot pipeline "${args.pipeline.label}" has no stage "${stage}" (stage table row for ${JSON.stringify(opportunity['StageName'])})` };
  }
  const properties: Record<string, string> = { pipeline: config.pipeline, dealstage: stage };
  const name = text(opportunity['Name']);
  if (name) properties['dealname'] = name.slice(0, 255);
  const amount = numberOf(opportunity['Amount']);
  if (amount !== null) properties['amount'] = String(amount);
  const close = text(opportunity['CloseDate']);
  if (/^\d{4}-\d{2}-\d{2}/.test(close)) properties['closedate'] = `${close.slice(0, 10)}T00:00:00.000Z`;
  if (args.owner.ok) properties['hubspot_owner_id'] = args.owner.value;
  return { ok: true, value: { properties, ownerNote: args.owner.ok ? null : args.owner.reason } };
}

function numberOf(v: CrmValue | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || !/^-?\d+(\.\d+)?$/.test(v.trim())) return null;
  return Number(v.trim());
}

/** Whether a HubSpot value already says what `planned` says (numbers as numbers, dates by day, text without case). */
export function sameDealValue(property: string, current: CrmValue | undefined, planned: string): boolean {
  if (property === 'amount') {
    const a = numberOf(current ?? null);
    return a !== null && a === Number(planned);
  }
  if (property === 'closedate') return text(current).slice(0, 10) === planned.slice(0, 10);
  return same(current, planned);
}

/** The planned properties that differ from the deal's current ones (all of them for a new deal). */
export function changedProperties(planned: Record<string, string>, current: Record<string, CrmValue> | null, equal: (property: string, current: CrmValue | undefined, planned: string) => boolean = (_p, c, v) => same(c, v)): Record<string, string> {
  if (!current) return { ...planned };
  return Object.fromEntries(Object.entries(planned).filter(([k, v]) => !equal(k, current[k], v)));
}

const money = (v: string): string => {
  const n = Number(v);
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : v;
};

/**
 * The run log's sentence for a deal write: "Deal 'Acme — renewal' created in Appointment Scheduled (amount 1,000,
 * closes 2026-12-31)", "Deal 'Acme — renewal' moved to Closed Won", "… amount 1,000 → 2,500".
 */
export function describeDealWrite(args: {
  name: string;
  created: boolean;
  changes: Record<string, string>;
  current: Record<string, CrmValue> | null;
  pipeline: DealPipelineDto | undefined;
  ownerLabel?: string | null;
}): string {
  const { changes, current } = args;
  const label = (id: string) => stageLabel(args.pipeline, id);
  if (args.created) {
    const extras = [
      changes['amount'] !== undefined ? `amount ${money(changes['amount'])}` : null,
      changes['closedate'] !== undefined ? `closes ${changes['closedate'].slice(0, 10)}` : null,
      args.ownerLabel ? `owner ${args.ownerLabel}` : null,
    ].filter(Boolean);
    return `Deal '${args.name}' created in ${label(changes['dealstage'] ?? '')}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  }
  const parts: string[] = [];
  if (changes['dealstage'] !== undefined) parts.push(`moved to ${label(changes['dealstage'])}`);
  if (changes['amount'] !== undefined) parts.push(isBlank(current?.['amount']) ? `amount set to ${money(changes['amount'])}` : `amount ${money(text(current?.['amount']))} → ${money(changes['amount'])}`);
  if (changes['closedate'] !== undefined) parts.push(`close date ${changes['closedate'].slice(0, 10)}`);
  if (changes['dealname'] !== undefined) parts.push(`renamed from '${text(current?.['dealname'])}'`);
  if (changes['hubspot_owner_id'] !== undefined) parts.push(`owner ${args.ownerLabel ?? changes['hubspot_owner_id']}`);
  if (changes['pipeline'] !== undefined && changes['dealstage'] === undefined) parts.push('moved to another pipeline');
  return parts.length ? `Deal '${args.name}' ${joinWords(parts)}` : `Deal '${args.name}' already up to date`;
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

// ---- Account → company: quality gate ----------------------------------------------------------------

/** Domains that never identify a company: free mail, placeholders and documentation domains. */
export const BLOCKED_DOMAINS = [
  'gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com',
  'mail.com', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 't-online.de', 'yandex.ru', 'proton.me', 'protonmail.com', 'zoho.com',
  'example.com', 'example.org', 'example.net', 'test.com', 'localhost', 'salesforce.com', 'force.com', 'linkedin.com', 'facebook.com',
];

/** Account names that are placeholders, not companies (besides the generic values list: N/A, unknown, test, …). */
const PLACEHOLDER_NAME = /^(test|dummy|sample|placeholder|tbd|unknown|none|n\/?a|asdf+|x+|\?+|-+|\[.*\]|new account|account \d+|company \d+)$/i;

export interface AccountGateOutcome {
  domain: string;
}

/**
 * Whether a Salesforce Account may create or update a HubSpot company: it needs a usable website domain (a valid
 * host, not free mail, a placeholder or a blocked domain) and a name that is not a placeholder ("Test", "Unknown",
 * "[not provided]", the generic values). The reason names what is wrong, for the run log.
 */
export function accountGate(config: AccountCompanyConfigDto, account: Record<string, CrmValue>): Decision<AccountGateOutcome> {
  const name = text(account['Name']);
  if (!name) return { ok: false, code: 'no_name', reason: 'the Account has no name' };
  if (PLACEHOLDER_NAME.test(name) || GENERIC_VALUES.includes(name.toLowerCase()) || config.genericValues.some((g) => same(g, name))) {
    return { ok: false, code: 'placeholder_name', reason: `the Account name "${name}" looks like a placeholder` };
  }
  const raw = [account['Domain__c'], account['Website']].map(text).find(Boolean);
  if (!raw) return { ok: false, code: 'no_domain', reason: `Account "${name}" has no website to match a HubSpot company on` };
  const domain = normalizeDomain(raw);
  if (!domain || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) || /^[\d.]+$/.test(domain)) return { ok: false, code: 'bad_domain', reason: `Account "${name}" has a website "${raw}" that is not a usable domain` };
  const blocked = [...BLOCKED_DOMAINS, ...config.blockedDomains.map((d) => d.trim().toLowerCase())];
  if (blocked.some((b) => domain === b || domain.endsWith(`.${b}`))) return { ok: false, code: 'blocked_domain', reason: `Account "${name}" has the website domain ${domain}, which does not identify a company` };
  return { ok: true, value: { domain } };
}

export interface CompanyPlan {
  /** Properties to write (only those that differ from the company's current values). */
  properties: Record<string, string>;
  /** Values the hygiene gate refused (empty, generic, not an option), with the reason. */
  refused: { field: string; reason: string }[];
}

/**
 * The HubSpot company properties an Account gives, through the same gate as account hygiene (no empty or generic
 * values, industry through the table and HubSpot's options, positive head counts), plus the domain. A new company
 * always gets the Account's name; an existing one only the values that differ.
 */
export function planCompany(args: {
  config: AccountCompanyConfigDto;
  account: Record<string, CrmValue>;
  domain: string;
  company: Record<string, CrmValue> | null;
  industryOptions: readonly string[];
  employeeOptions?: readonly string[];
}): CompanyPlan {
  const fields = args.company ? args.config.fields : [...new Set(['name' as const, ...args.config.fields])];
  const gate = hygieneGate({
    config: { fields, industryTable: args.config.industryTable, genericValues: args.config.genericValues },
    account: args.account,
    company: args.company ?? {},
    industryOptions: args.industryOptions,
    ...(args.employeeOptions ? { employeeOptions: args.employeeOptions } : {}),
  });
  const properties = { ...gate.properties };
  if (!args.company || isBlank(args.company['domain'])) properties['domain'] = args.domain;
  return { properties, refused: gate.refused };
}

const COMPANY_LABELS: Record<string, string> = { name: 'name', industry: 'industry', numberofemployees: 'employee count', domain: 'domain' };

/** The run log's sentence for a company write. */
export function describeCompanyWrite(args: { name: string; domain: string; created: boolean; changes: Record<string, string>; current: Record<string, CrmValue> | null }): string {
  if (args.created) return `Company '${args.name}' created for ${args.domain}`;
  const parts = Object.entries(args.changes).map(([k, v]) => (k === 'name' ? `renamed from '${text(args.current?.['name'])}'` : `${COMPANY_LABELS[k] ?? k} set to ${v}`));
  return parts.length ? `Company '${args.name}' (${args.domain}) updated: ${parts.join(', ')}` : `Company '${args.name}' (${args.domain}) already up to date`;
}

// ---- No ping-pong: change detection -------------------------------------------------------------------

/**
 * The Salesforce fields whose change the closed loop reacts to, and that decide whether a change is Conduit's own
 * write coming back (the MQL handoff creates Opportunities). OwnerId is read but not part of the decision: Salesforce
 * sets it on every create, so it never matches a fingerprint.
 */
export const CLOSED_LOOP_WATCHED = {
  deal: ['Name', 'StageName', 'Amount', 'CloseDate'],
  company: ['Name', 'Website', 'Industry', 'NumberOfEmployees'],
} as const satisfies Record<'deal' | 'company', readonly string[]>;

/**
 * Whether a polled Salesforce record is exactly what Conduit wrote: Conduit wrote it (there are fingerprints), every
 * watched field Conduit wrote still holds Conduit's latest value, and every watched field it did not write is empty.
 * Anything else means a person changed the record since, and the change is real. `fingerprints` come newest first.
 */
export function isOwnEcho(watched: readonly string[], fingerprints: readonly { field: string; value: string }[], current: Record<string, CrmValue>, fingerprint: (v: CrmValue | undefined) => string): boolean {
  if (!fingerprints.length) return false;
  const latest = new Map<string, string>();
  for (const f of fingerprints) if (!latest.has(f.field)) latest.set(f.field, f.value);
  return watched.every((field) => {
    const wrote = latest.get(field);
    return wrote === undefined ? isBlank(current[field]) : fingerprint(current[field]) === wrote;
  });
}
