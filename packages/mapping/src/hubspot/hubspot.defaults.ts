import type { MappingRow } from '../types.js';

/**
 * Defaults follow "the CRM is the source of truth, Conduit only fills blanks": import
 * priority `crm`, export `fill_if_empty`. Exceptions:
 * - qualification reasoning is produced by Conduit and lives in a property Conduit owns
 *   (`conduit_qualification_reasoning`, created on connect), so Conduit wins and overwrites;
 * - the lead status is written through the status mapping, never by a property row.
 */
export const HUBSPOT_CONTACT_DEFAULTS: readonly MappingRow[] = [
  { conduitField: 'firstName', crmField: 'firstname', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'lastName', crmField: 'lastname', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'email', crmField: 'email', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'phone', crmField: 'phone', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'jobTitle', crmField: 'jobtitle', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'city', crmField: 'city', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'country', crmField: 'country', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'companyName', crmField: 'company', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'linkedinUrl', crmField: 'hs_linkedin_url', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'leadStatus', crmField: 'hs_lead_status', importPriority: 'crm', exportBehaviour: 'do_not_export', crmType: 'enumeration' },
  {
    conduitField: 'qualificationReasoning',
    crmField: 'conduit_qualification_reasoning',
    importPriority: 'conduit',
    exportBehaviour: 'overwrite',
    crmType: 'string',
  },
];

export const HUBSPOT_COMPANY_DEFAULTS: readonly MappingRow[] = [
  { conduitField: 'name', crmField: 'name', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'domain', crmField: 'domain', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'website', crmField: 'website', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'industry', crmField: 'industry', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'enumeration' },
  { conduitField: 'employeeCount', crmField: 'numberofemployees', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'number' },
  { conduitField: 'city', crmField: 'city', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'country', crmField: 'country', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
];
