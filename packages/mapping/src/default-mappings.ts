import { HUBSPOT_COMPANY_DEFAULTS, HUBSPOT_CONTACT_DEFAULTS } from './hubspot/hubspot.defaults.js';
import { SALESFORCE_ACCOUNT_DEFAULTS, SALESFORCE_CONTACT_DEFAULTS, SALESFORCE_LEAD_DEFAULTS } from './salesforce/salesforce.defaults.js';
import type { CrmFieldDescriptor, CrmKind, MappedObject, MappingRow } from './types.js';

export interface DefaultMappingOptions {
  /** Which Salesforce object a Conduit person is exported as (default Lead). */
  salesforcePersonObject?: 'Lead' | 'Contact';
  /**
   * The account's discovered fields of the object: rows whose CRM field the account lacks are left out (saving the
   * defaults must pass validation), and a Conduit field without a standard CRM field is mapped to the account's own
   * field of that meaning when it has one (a custom `linkedin_url` property, a `LinkedIn_URL__c` field).
   */
  fields?: readonly Pick<CrmFieldDescriptor, 'name' | 'label' | 'readOnly'>[];
}

/** Conduit fields a CRM account often has a custom field for: what its name or label reads, squeezed ("linkedinurl"). */
const CONVENTIONAL_FIELDS: Partial<Record<MappedObject, Record<string, readonly string[]>>> = {
  contact: { linkedinUrl: ['linkedinurl', 'linkedinprofileurl', 'linkedinprofile', 'linkedin'] },
};

/** "LinkedIn_URL__c", "linkedin_url", "LinkedIn URL" → "linkedinurl". */
const squeeze = (s: string) => s.toLowerCase().replace(/__c$/, '').replace(/[^a-z0-9]/g, '');

/**
 * Fresh copies of the default rows for a CRM object. Activities map no property rows by
 * default: the activity exporter builds engagements/tasks itself.
 */
export function defaultMappings(crm: CrmKind, object: MappedObject, options: DefaultMappingOptions = {}): MappingRow[] {
  const rows = pick(crm, object, options).map((r) => ({ ...r }));
  const fields = options.fields;
  if (!fields) return rows;
  const known = new Set(fields.map((f) => f.name));
  const kept = rows.filter((r) => known.has(r.crmField));
  const mapped = new Set(kept.map((r) => r.conduitField));
  const used = new Set(kept.map((r) => r.crmField));
  for (const [conduitField, names] of Object.entries(CONVENTIONAL_FIELDS[object] ?? {})) {
    if (mapped.has(conduitField)) continue;
    // Best name first: a field named like it beats one only labelled like it.
    const found =
      names.map((n) => fields.find((f) => !f.readOnly && !used.has(f.name) && squeeze(f.name) === n)).find(Boolean) ??
      names.map((n) => fields.find((f) => !f.readOnly && !used.has(f.name) && squeeze(f.label) === n)).find(Boolean);
    // Its CRM type comes with the field when the row is saved (like any row the admin picks).
    if (found) kept.push({ conduitField, crmField: found.name, importPriority: 'crm', exportBehaviour: 'fill_if_empty' });
  }
  return kept;
}

function pick(crm: CrmKind, object: MappedObject, options: DefaultMappingOptions): readonly MappingRow[] {
  switch (object) {
    case 'activity':
      return [];
    case 'contact':
      if (crm === 'hubspot') return HUBSPOT_CONTACT_DEFAULTS;
      return options.salesforcePersonObject === 'Contact' ? SALESFORCE_CONTACT_DEFAULTS : SALESFORCE_LEAD_DEFAULTS;
    case 'company':
      return crm === 'hubspot' ? HUBSPOT_COMPANY_DEFAULTS : SALESFORCE_ACCOUNT_DEFAULTS;
  }
}
