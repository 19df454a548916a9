import { HUBSPOT_COMPANY_DEFAULTS, HUBSPOT_CONTACT_DEFAULTS } from './hubspot/hubspot.defaults.js';
import { SALESFORCE_ACCOUNT_DEFAULTS, SALESFORCE_CONTACT_DEFAULTS, SALESFORCE_LEAD_DEFAULTS } from './salesforce/salesforce.defaults.js';
import type { CrmKind, MappedObject, MappingRow } from './types.js';

export interface DefaultMappingOptions {
  /** Which Salesforce object a Conduit person is exported as (default Lead). */
  salesforcePersonObject?: 'Lead' | 'Contact';
}

/**
 * Fresh copies of the default rows for a CRM object. Activities map no property rows by
 * default: the activity exporter builds engagements/tasks itself.
 */
export function defaultMappings(crm: CrmKind, object: MappedObject, options: DefaultMappingOptions = {}): MappingRow[] {
  return pick(crm, object, options).map((r) => ({ ...r }));
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
