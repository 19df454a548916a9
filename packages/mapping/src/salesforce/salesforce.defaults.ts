import type { MappingRow } from '../types.js';

/**
 * Same policy as HubSpot (CRM wins on import, Conduit fills blanks on export), except that
 * qualification reasoning goes to the standard `Description`: Conduit still wins on import,
 * but only fills it when blank because reps use that field too. LinkedIn has no standard
 * Lead/Contact field, so it is not mapped by default.
 */
export const SALESFORCE_LEAD_DEFAULTS: readonly MappingRow[] = [
  { conduitField: 'firstName', crmField: 'FirstName', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'lastName', crmField: 'LastName', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'email', crmField: 'Email', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'email' },
  { conduitField: 'phone', crmField: 'Phone', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'phone' },
  { conduitField: 'jobTitle', crmField: 'Title', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'city', crmField: 'City', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'country', crmField: 'Country', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'companyName', crmField: 'Company', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'leadStatus', crmField: 'Status', importPriority: 'crm', exportBehaviour: 'do_not_export', crmType: 'picklist' },
  { conduitField: 'qualificationReasoning', crmField: 'Description', importPriority: 'conduit', exportBehaviour: 'fill_if_empty', crmType: 'textarea' },
];

/** A Contact has no Company (it belongs to an Account) nor Status, and a Mailing address. */
export const SALESFORCE_CONTACT_DEFAULTS: readonly MappingRow[] = [
  { conduitField: 'firstName', crmField: 'FirstName', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'lastName', crmField: 'LastName', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'email', crmField: 'Email', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'email' },
  { conduitField: 'phone', crmField: 'Phone', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'phone' },
  { conduitField: 'jobTitle', crmField: 'Title', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'city', crmField: 'MailingCity', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'country', crmField: 'MailingCountry', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'qualificationReasoning', crmField: 'Description', importPriority: 'conduit', exportBehaviour: 'fill_if_empty', crmType: 'textarea' },
];

/** Accounts have no domain field: companies are matched and written by Website. */
export const SALESFORCE_ACCOUNT_DEFAULTS: readonly MappingRow[] = [
  { conduitField: 'name', crmField: 'Name', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'website', crmField: 'Website', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'url' },
  { conduitField: 'industry', crmField: 'Industry', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'picklist' },
  { conduitField: 'employeeCount', crmField: 'NumberOfEmployees', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'int' },
  { conduitField: 'city', crmField: 'BillingCity', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
  { conduitField: 'country', crmField: 'BillingCountry', importPriority: 'crm', exportBehaviour: 'fill_if_empty', crmType: 'string' },
];
