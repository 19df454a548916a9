import type {
  AccountCompanyConfigDto,
  AccountHygieneConfigDto,
  EmailChangeConfigDto,
  FieldError,
  FilterOperator,
  MqlHandoffConfigDto,
  OpportunityDealConfigDto,
  StageLifecycleConfigDto,
  WorkflowConfigDto,
  WorkflowKind,
  WorkflowRunDto,
  WorkflowRunResult,
} from '@conduit/contracts';

export const WORKFLOW_INFO: Record<WorkflowKind, { name: string; description: string }> = {
  mql_handoff: {
    name: 'MQL handoff',
    description: 'A HubSpot contact that becomes a marketing qualified lead and passes the filter is upserted as a Salesforce Lead.',
  },
  stage_lifecycle: {
    name: 'Stage → lifecycle',
    description: "A Salesforce Opportunity's stage change moves the associated HubSpot contacts' lifecycle stage.",
  },
  email_change: {
    name: 'Email change',
    description: "A HubSpot contact's new email updates the linked Salesforce Lead or Contact (matched by stored ids).",
  },
  account_hygiene: {
    name: 'Account hygiene',
    description: 'Salesforce Account name, industry and employee count update the HubSpot company with the same domain, through a quality gate.',
  },
  opportunity_deal: {
    name: 'Opportunity → HubSpot deal',
    description: "A new or changed Salesforce Opportunity creates or updates its HubSpot deal (stage through the stage table, amount, close date, owner), associated with its contacts and company, so marketing sees the pipeline it made.",
  },
  account_company: {
    name: 'Account → HubSpot company',
    description: 'A new or changed Salesforce Account creates or updates the HubSpot company with its website domain, for account-based marketing. Accounts without a usable domain or with a placeholder name are refused.',
  },
};

/** Workflows triggered by Salesforce changes, which Conduit polls (email change only with both directions). */
export const SALESFORCE_TRIGGERED: readonly WorkflowKind[] = ['stage_lifecycle', 'account_hygiene', 'opportunity_deal', 'account_company', 'email_change'];

export const RESULT_LABELS: Record<WorkflowRunResult, string> = {
  pending: 'Pending',
  success: 'Success',
  filtered: 'Filtered',
  skipped: 'Skipped',
  ignored_echo: 'Own write (ignored)',
  needs_attention: 'Needs attention',
  failed: 'Failed',
};

export const RESULT_COLORS: Record<WorkflowRunResult, string> = {
  pending: 'blue',
  success: 'teal',
  filtered: 'gray',
  skipped: 'gray',
  ignored_echo: 'violet',
  needs_attention: 'orange',
  failed: 'red',
};

export const OPERATOR_LABELS: Record<FilterOperator, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is any of',
  not_in: 'is none of',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  contains: 'contains',
  is_known: 'is known',
  is_unknown: 'is unknown',
};

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];

/** HubSpot's lifecycle stages by their labels in HubSpot. */
const LIFECYCLE_LABELS: Record<string, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketingqualifiedlead: 'Marketing Qualified Lead',
  salesqualifiedlead: 'Sales Qualified Lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
  other: 'Other',
};

/** A HubSpot lifecycle stage by its label ("marketingqualifiedlead" → "Marketing Qualified Lead"); a custom one as HubSpot names it. */
export const lifecycleLabel = (value: string): string => LIFECYCLE_LABELS[value] ?? value;

/** The HubSpot properties that trigger workflows, by their labels. */
const TRIGGER_PROPERTY_LABELS: Record<string, string> = { lifecyclestage: 'Lifecycle stage', email: 'Email', hs_lead_status: 'Lead status' };

/** "Lifecycle stage → Marketing Qualified Lead", "Email → ada@x.io"; a property without a known label as it is named. */
function describeChange(property: string, value: unknown): string {
  const shown =
    value === null || value === undefined || value === ''
      ? 'empty'
      : typeof value === 'string'
        ? property === 'lifecyclestage'
          ? (LIFECYCLE_LABELS[value] ?? value)
          : value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : JSON.stringify(value);
  return `${TRIGGER_PROPERTY_LABELS[property] ?? property} → ${shown}`;
}

/** How a run was triggered, in words ("HubSpot webhook · Lifecycle stage → Marketing Qualified Lead"); the record is named beside it. */
export function triggerSummary(trigger: WorkflowRunDto['trigger']): string {
  const source = trigger.source === 'hubspot_webhook' ? 'HubSpot webhook' : trigger.source === 'hubspot_poll' ? 'HubSpot poll' : 'Salesforce poll';
  const detail = trigger.detail as { property?: unknown; value?: unknown; change?: unknown } | undefined;
  const change = typeof detail?.property === 'string' ? ` · ${describeChange(detail.property, detail.value)}` : typeof detail?.change === 'string' ? ` · ${detail.change} changed` : '';
  // The record itself is named beside this line (its name and links); the id stays in the run's details.
  return `${source}${change}`;
}

/** What each action of the run log did, in words (the API's action codes, e.g. `lead_created`, stay for machines). */
const ACTION_WORDS: Record<string, string> = {
  lead_created: 'created Lead in Salesforce',
  lead_updated: 'updated Lead in Salesforce',
  opportunity_created: 'created Opportunity in Salesforce',
  contact_updated: 'updated Contact in Salesforce',
  converted_lead_contact_updated: 'updated Contact in Salesforce (its Lead had been converted)',
  duplicate_matched_updated: 'matched an existing Salesforce record and updated it',
  lifecycle_moved: 'moved the lifecycle stage in HubSpot',
  hubspot_email_updated: 'updated the email in HubSpot',
  deal_created: 'created deal in HubSpot',
  deal_updated: 'updated deal in HubSpot',
  company_created: 'created company in HubSpot',
  company_updated: 'updated company in HubSpot',
};

/**
 * What a run did, in words: its summary ("Deal 'Acme — renewal' moved to Closed Won"), or, for runs that predate
 * summaries, its action in words ("lead_created+opportunity_created" → "Created Lead in Salesforce, created Opportunity in Salesforce").
 */
export function runAction(run: Pick<WorkflowRunDto, 'summary' | 'action'>): string | null {
  if (run.summary) return run.summary;
  if (!run.action) return null;
  const words = run.action.split('+').map((part) => ACTION_WORDS[part.trim()] ?? part.replace(/_/g, ' ').trim());
  const text = words.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

// ---- Drafts: what the editors hold (filter values and defaults as typed text) -----------------------

export interface ConditionDraft {
  property: string;
  operator: FilterOperator;
  value: string;
}

export type MqlDraft = Omit<MqlHandoffConfigDto, 'conditions' | 'fieldMap'> & {
  conditions: ConditionDraft[];
  fieldMap: { hubspot: string; salesforce: string; default: string; master: 'hubspot' | 'salesforce' | null }[];
};

export type WorkflowDraft =
  | { kind: 'mql_handoff'; config: MqlDraft }
  | { kind: 'stage_lifecycle'; config: StageLifecycleConfigDto }
  | { kind: 'email_change'; config: EmailChangeConfigDto }
  | { kind: 'account_hygiene'; config: AccountHygieneConfigDto }
  | { kind: 'opportunity_deal'; config: OpportunityDealConfigDto }
  | { kind: 'account_company'; config: AccountCompanyConfigDto };

const NUMERIC = /^-?\d+(\.\d+)?$/;
export const NUMBER_OPERATORS: readonly FilterOperator[] = ['gt', 'gte', 'lt', 'lte'];
export const LIST_OPERATORS: readonly FilterOperator[] = ['in', 'not_in'];
export const VALUELESS_OPERATORS: readonly FilterOperator[] = ['is_known', 'is_unknown'];

export function toDraft(kind: WorkflowKind, config: WorkflowConfigDto): WorkflowDraft {
  switch (kind) {
    case 'mql_handoff': {
      const c = config as MqlHandoffConfigDto;
      return {
        kind,
        config: {
          ...c,
          conditions: c.conditions.map((x) => ({ property: x.property, operator: x.operator, value: Array.isArray(x.value) ? x.value.join(', ') : x.value === undefined ? '' : String(x.value) })),
          fieldMap: c.fieldMap.map((r) => ({ hubspot: r.hubspot ?? '', salesforce: r.salesforce, default: r.default === undefined || r.default === null ? '' : String(r.default), master: r.master ?? null })),
          owner: { ...c.owner, ownerMapping: c.owner.ownerMapping ?? [], territories: c.owner.territories ?? [], defaultOwnerId: c.owner.defaultOwnerId ?? null },
        },
      };
    }
    case 'stage_lifecycle':
      return { kind, config: config as StageLifecycleConfigDto };
    case 'email_change':
      return { kind, config: { master: null, ...(config as EmailChangeConfigDto) } };
    case 'account_hygiene':
      return { kind, config: config as AccountHygieneConfigDto };
    case 'opportunity_deal':
      return { kind, config: config as OpportunityDealConfigDto };
    case 'account_company':
      return { kind, config: config as AccountCompanyConfigDto };
  }
}

/**
 * The body the API validates. Typed text becomes a number for numeric operators only when it is one (otherwise the
 * API answers 400 naming the field, shown next to it) and a list for in / not in.
 */
export function fromDraft(draft: WorkflowDraft): WorkflowConfigDto {
  if (draft.kind !== 'mql_handoff') return draft.config;
  const c = draft.config;
  return {
    ...c,
    conditions: c.conditions.map(({ property, operator, value }) => {
      const v = value.trim();
      if (VALUELESS_OPERATORS.includes(operator)) return { property, operator };
      if (LIST_OPERATORS.includes(operator)) return { property, operator, value: v.split(',').map((s) => s.trim()).filter(Boolean) };
      if (NUMBER_OPERATORS.includes(operator)) return { property, operator, value: NUMERIC.test(v) ? Number(v) : v };
      return { property, operator, value: v };
    }),
    fieldMap: c.fieldMap.map((r) => ({
      hubspot: r.hubspot.trim() || null,
      salesforce: r.salesforce.trim(),
      ...(r.default.trim() ? { default: NUMERIC.test(r.default.trim()) ? Number(r.default.trim()) : r.default } : {}),
      ...(r.master ? { master: r.master } : {}),
    })),
    owner: { ...c.owner, defaultOwnerId: c.owner.defaultOwnerId?.trim() ? c.owner.defaultOwnerId.trim() : null },
  };
}

/** The API's field errors as `{ path: message }` (paths like `config.conditions.0.value`). */
export function errorsByPath(errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.field] = out[e.field] ? `${out[e.field]}. ${e.messages.join('. ')}` : e.messages.join('. ');
  return out;
}

/** Every path the editor of `draft` shows an error next to (inputs and section-level lists). */
export function shownPaths(draft: WorkflowDraft): Set<string> {
  const paths: string[] = [];
  const rows = (base: string, n: number, keys: string[]) => {
    paths.push(base);
    for (let i = 0; i < n; i++) for (const k of keys) paths.push(`${base}.${i}.${k}`);
  };
  switch (draft.kind) {
    case 'mql_handoff': {
      const c = draft.config;
      paths.push('config.triggerStage', 'config.externalIdField', 'config.leadSourceDefault', 'config.owner.kind', 'config.owner.defaultOwnerId');
      rows('config.conditions', c.conditions.length, ['property', 'operator', 'value']);
      rows('config.fieldMap', c.fieldMap.length, ['hubspot', 'salesforce', 'default', 'master']);
      rows('config.leadSourceTable', c.leadSourceTable.length, ['from', 'to']);
      rows('config.owner.ownerMapping', c.owner.ownerMapping?.length ?? 0, ['from', 'to']);
      rows('config.owner.territories', c.owner.territories?.length ?? 0, ['country', 'state', 'ownerId']);
      paths.push('config.opportunity.enabled', 'config.opportunity.stageName', 'config.opportunity.amount', 'config.opportunity.closeInDays');
      break;
    }
    case 'stage_lifecycle':
      rows('config.rules', draft.config.rules.length, ['stage', 'lifecycle', 'minAmountExclusive']);
      paths.push('config.allowBackwards');
      break;
    case 'email_change':
      paths.push('config.direction', 'config.master');
      break;
    case 'account_hygiene':
      rows('config.industryTable', draft.config.industryTable.length, ['from', 'to']);
      paths.push('config.fields', 'config.genericValues');
      break;
    case 'opportunity_deal':
      rows('config.stages', draft.config.stages.length, ['stage', 'dealstage']);
      rows('config.ownerTable', draft.config.ownerTable.length, ['from', 'to']);
      paths.push('config.pipeline', 'config.matchOwnersByEmail');
      break;
    case 'account_company':
      rows('config.industryTable', draft.config.industryTable.length, ['from', 'to']);
      paths.push('config.create', 'config.fields', 'config.genericValues', 'config.blockedDomains');
      break;
  }
  return new Set(paths);
}

/** Errors no input shows (they go into the form's banner so none is swallowed). */
export function unshownErrors(errors: Record<string, string>, shown: Set<string>): string[] {
  return Object.entries(errors)
    .filter(([path]) => !shown.has(path))
    .map(([path, message]) => (path ? `${path}: ${message}` : message));
}
