import type { CrmFieldDto, MqlHandoffConfigDto, WorkflowConfigDto, WorkflowKind } from '@conduit/contracts';

/** The discovered fields a definition's names are checked against; an object never discovered is not checked. */
export interface DiscoveredWorkflowFields {
  hubspotContact?: readonly CrmFieldDto[] | undefined;
  salesforceLead?: readonly CrmFieldDto[] | undefined;
}

export interface FieldNameProblem {
  field: string;
  message: string;
}

const REDISCOVER = 're-discover fields (Settings → Integrations) if it was just created';

/**
 * Names in a definition that the last field discovery does not know: HubSpot contact properties (filters, mapping
 * sources; exact, as HubSpot names are case-sensitive), Salesforce Lead fields (mapping targets, which must be
 * writable, and the external id; case-insensitive, as Salesforce's are) and the trigger lifecycle stage. Caught
 * on save, each names its setting; otherwise every run would end in Needs attention for a typo.
 */
export function fieldNameProblems(kind: WorkflowKind, config: WorkflowConfigDto, discovered: DiscoveredWorkflowFields): FieldNameProblem[] {
  if (kind !== 'mql_handoff') return [];
  const c = config as MqlHandoffConfigDto;
  const out: FieldNameProblem[] = [];
  const hubspot = discovered.hubspotContact?.length ? new Map(discovered.hubspotContact.map((f) => [f.name, f])) : null;
  const lead = discovered.salesforceLead?.length ? new Map(discovered.salesforceLead.map((f) => [f.name.toLowerCase(), f])) : null;

  const hubspotProperty = (path: string, name: string) => {
    if (!hubspot || hubspot.has(name)) return;
    const other = [...hubspot.keys()].find((n) => n.toLowerCase() === name.toLowerCase());
    out.push({ field: path, message: `HubSpot has no contact property "${name}"${other ? ` (did you mean "${other}"?)` : `; ${REDISCOVER}`}` });
  };
  const leadField = (path: string, name: string, writable: boolean) => {
    if (!lead) return;
    const f = lead.get(name.toLowerCase());
    if (!f) out.push({ field: path, message: `Salesforce Lead has no field "${name}"; ${REDISCOVER}` });
    else if (writable && f.readOnly) out.push({ field: path, message: `Lead.${f.name} is read-only in Salesforce` });
  };

  c.conditions.forEach((x, i) => hubspotProperty(`config.conditions.${i}.property`, x.property));
  c.fieldMap.forEach((r, i) => {
    if (r.hubspot !== null) hubspotProperty(`config.fieldMap.${i}.hubspot`, r.hubspot);
    leadField(`config.fieldMap.${i}.salesforce`, r.salesforce, true);
  });
  leadField('config.externalIdField', c.externalIdField, false);
  const stages = hubspot?.get('lifecyclestage')?.options;
  if (stages?.length && !stages.some((o) => o.value === c.triggerStage)) {
    out.push({ field: 'config.triggerStage', message: `"${c.triggerStage}" is not a HubSpot lifecycle stage (${stages.map((o) => o.value).join(', ')})` });
  }
  return out;
}
