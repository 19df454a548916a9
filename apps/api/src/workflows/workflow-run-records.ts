import type { CrmKind, WorkflowKind, WorkflowRunDto } from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import { type CrmRecordKey, isCrmObject } from '../sync/crm-record-refs.js';

/** Salesforce ids say their object in their first three characters. */
const SALESFORCE_PREFIX: Readonly<Record<string, CrmObjectType>> = { '00Q': 'lead', '003': 'contact', '001': 'company', '006': 'deal' };

/** What a workflow writes to in HubSpot (its Salesforce targets say their object in their ids). */
const HUBSPOT_TARGET: Readonly<Record<WorkflowKind, CrmObjectType | null>> = {
  mql_handoff: null,
  stage_lifecycle: 'contact',
  email_change: 'contact',
  account_hygiene: 'company',
  opportunity_deal: 'deal',
  account_company: 'company',
};

/**
 * Workflows that mirror one record in the other CRM (a person, an Opportunity as a deal, an Account as a company): the
 * record that changed and the one written are the same thing, so either's name names the other.
 */
const SAME_RECORD: ReadonlySet<WorkflowKind> = new Set(['mql_handoff', 'email_change', 'opportunity_deal', 'account_company']);

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/**
 * A record's name from CRM properties (either CRM's spelling): a person's first and last name, else a record's Name
 * (Account, Opportunity, HubSpot deal or company), else an email.
 */
export function nameOfProperties(props: Readonly<Record<string, unknown>> | null | undefined): string | null {
  if (!props) return null;
  const person = [text(props['FirstName'] ?? props['firstname']), text(props['LastName'] ?? props['lastname'])].filter((x): x is string => x !== null).join(' ');
  return person || text(props['Name']) || text(props['dealname']) || text(props['name']) || text(props['Email']) || text(props['email']);
}

/** The name a run's payload gives its written record: the properties written, or those of its lead / contact / deal / company part. */
function payloadName(payload: Readonly<Record<string, unknown>> | null): string | null {
  if (!payload) return null;
  const part = (key: string): Record<string, unknown> | null => {
    const v = payload[key];
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : null;
  };
  return nameOfProperties(payload) ?? nameOfProperties(part('lead')) ?? nameOfProperties(part('contact')) ?? nameOfProperties(part('deal')) ?? nameOfProperties(part('company'));
}

export const triggerCrm = (trigger: WorkflowRunDto['trigger']): CrmKind => (trigger.source === 'salesforce_poll' ? 'salesforce' : 'hubspot');

/**
 * The records of a workflow run, to be named for the admin (#21): the record whose change triggered it, and the
 * records it wrote to in the other CRM (`targetId`, comma-separated when it wrote several).
 */
export function runRecordKeys(
  kind: WorkflowKind,
  run: { trigger: WorkflowRunDto['trigger']; target_id: string | null; payload: Record<string, unknown> | null },
): { trigger: CrmRecordKey; targets: CrmRecordKey[] } {
  const from = triggerCrm(run.trigger);
  const to: CrmKind = from === 'hubspot' ? 'salesforce' : 'hubspot';
  const triggerObject = isCrmObject(run.trigger.object) ? run.trigger.object : null;
  const ids = (run.target_id ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  // A run that wrote one record names it from what it wrote; several (account hygiene) are named by Conduit only.
  const written = ids.length === 1 ? payloadName(run.payload) : null;
  const changed = nameOfProperties(run.trigger.detail);
  const same = SAME_RECORD.has(kind);
  return {
    trigger: { crm: from, object: triggerObject, crmId: run.trigger.recordId, name: changed ?? (same ? written : null) },
    targets: ids.map((crmId) => ({ crm: to, object: to === 'salesforce' ? (SALESFORCE_PREFIX[crmId.slice(0, 3)] ?? null) : HUBSPOT_TARGET[kind], crmId, name: written ?? (same && ids.length === 1 ? changed : null) })),
  };
}
