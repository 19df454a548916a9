/**
 * sObject metadata: the field definitions behind describe, validation, SOQL and the
 * seed. Built fresh per server because addField/removeField (drift tests) mutate it.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'reference';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  custom: boolean;
  externalId: boolean;
  unique: boolean;
  /** Required on create (describe shows nillable false + createable + not defaulted). */
  required: boolean;
  defaultedOnCreate: boolean;
  defaultValue: unknown;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  relationshipName: string | null;
  calculated: boolean;
  idLookup: boolean;
  nameField: boolean;
}

export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  fields: FieldDef[];
  /** Lower-cased field name → definition (field names are case-insensitive in the API). */
  byLowerName: Map<string, FieldDef>;
}

export type FieldSpec = Partial<Omit<FieldDef, 'picklistValues'>> & {
  name: string;
  type: FieldType;
  picklist?: readonly string[];
  /** Picklist default value. */
  picklistDefault?: string;
};

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  string: 255,
  textarea: 255,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
  multipicklist: 4099,
  combobox: 255,
  reference: 18,
};

function labelFromName(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/ Id$/, ' ID');
}

export function makeField(spec: FieldSpec): FieldDef {
  const readOnly = spec.createable === false && spec.updateable === false;
  const picklistValues = (spec.picklist ?? []).map((value) => ({
    value,
    label: value,
    active: true,
    defaultValue: value === spec.picklistDefault,
  }));
  const numeric = spec.type === 'double' || spec.type === 'currency' || spec.type === 'percent';
  return {
    name: spec.name,
    label: spec.label ?? labelFromName(spec.name),
    type: spec.type,
    length: spec.length ?? DEFAULT_LENGTH[spec.type] ?? 0,
    precision: spec.precision ?? (numeric ? 18 : 0),
    scale: spec.scale ?? (numeric ? 2 : 0),
    nillable: spec.nillable ?? (spec.type !== 'boolean' && !spec.required),
    createable: spec.createable ?? true,
    updateable: spec.updateable ?? !readOnly,
    custom: spec.custom ?? spec.name.endsWith('__c'),
    externalId: spec.externalId ?? false,
    unique: spec.unique ?? false,
    required: spec.required ?? false,
    defaultedOnCreate: spec.defaultedOnCreate ?? (spec.type === 'boolean' || spec.picklistDefault !== undefined),
    defaultValue: spec.defaultValue ?? (spec.type === 'boolean' ? false : (spec.picklistDefault ?? null)),
    picklistValues,
    restrictedPicklist: spec.restrictedPicklist ?? false,
    referenceTo: spec.referenceTo ?? [],
    relationshipName: spec.relationshipName ?? null,
    calculated: spec.calculated ?? false,
    idLookup: spec.idLookup ?? (spec.type === 'id' || spec.externalId === true || spec.type === 'email'),
    nameField: spec.nameField ?? false,
  };
}

const RO = { createable: false, updateable: false } as const;

function systemFields(owner: boolean): FieldSpec[] {
  return [
    { name: 'Id', type: 'id', label: 'Record ID', nillable: false, ...RO },
    { name: 'IsDeleted', type: 'boolean', label: 'Deleted', ...RO },
    ...(owner ? [{ name: 'OwnerId', type: 'reference', label: 'Owner ID', referenceTo: ['User'], relationshipName: 'Owner', defaultedOnCreate: true, nillable: false } satisfies FieldSpec] : []),
    { name: 'CreatedDate', type: 'datetime', label: 'Created Date', nillable: false, defaultedOnCreate: true, ...RO },
    { name: 'CreatedById', type: 'reference', label: 'Created By ID', referenceTo: ['User'], relationshipName: 'CreatedBy', nillable: false, defaultedOnCreate: true, ...RO },
    { name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date', nillable: false, defaultedOnCreate: true, ...RO },
    { name: 'LastModifiedById', type: 'reference', label: 'Last Modified By ID', referenceTo: ['User'], relationshipName: 'LastModifiedBy', nillable: false, defaultedOnCreate: true, ...RO },
    { name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp', nillable: false, defaultedOnCreate: true, ...RO },
  ];
}

export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'] as const;
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other', 'Advertisement', 'Employee Referral', 'External Referral', 'Trade Show', 'Word of mouth', 'Outbound'] as const;
export const INDUSTRIES = ['Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction', 'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental', 'Finance', 'Food & Beverage', 'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery', 'Manufacturing', 'Media', 'Not For Profit', 'Recreation', 'Retail', 'Shipping', 'Technology', 'Telecommunications', 'Transportation', 'Utilities', 'Other'] as const;
export const RATINGS = ['Hot', 'Warm', 'Cold'] as const;
export const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.', 'Mx.'] as const;
export const ACCOUNT_TYPES = ['Prospect', 'Customer', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other'] as const;
export const OPPORTUNITY_STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'] as const;
export const STAGE_PROBABILITY: Record<string, number> = {
  Prospecting: 10, Qualification: 10, 'Needs Analysis': 20, 'Value Proposition': 50, 'Id. Decision Makers': 60,
  'Perception Analysis': 70, 'Proposal/Price Quote': 75, 'Negotiation/Review': 90, 'Closed Won': 100, 'Closed Lost': 0,
};
export const TASK_STATUSES = ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'] as const;
export const TASK_SUBTYPES = ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'] as const;
export const CAMPAIGN_MEMBER_STATUSES = ['Planned', 'Sent', 'Received', 'Responded', 'Attended'] as const;

const ADDRESS = (prefix: string): FieldSpec[] => [
  { name: `${prefix}Street`, type: 'textarea', label: `${prefix} Street`.trim() },
  { name: `${prefix}City`, type: 'string', length: 40 },
  { name: `${prefix}State`, type: 'string', length: 80 },
  { name: `${prefix}PostalCode`, type: 'string', length: 20 },
  { name: `${prefix}Country`, type: 'string', length: 80 },
];

interface ObjectSpec {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  owner: boolean;
  createable?: boolean;
  fields: FieldSpec[];
}

const OBJECTS: ObjectSpec[] = [
  {
    name: 'Lead', label: 'Lead', labelPlural: 'Leads', keyPrefix: '00Q', owner: true,
    fields: [
      { name: 'LastName', type: 'string', length: 80, required: true },
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'Salutation', type: 'picklist', picklist: SALUTATIONS },
      { name: 'Name', type: 'string', length: 121, label: 'Full Name', nameField: true, ...RO },
      { name: 'Title', type: 'string', length: 128 },
      { name: 'Company', type: 'string', length: 255, required: true },
      ...ADDRESS(''),
      { name: 'Phone', type: 'phone' },
      { name: 'MobilePhone', type: 'phone' },
      { name: 'Fax', type: 'phone' },
      { name: 'Email', type: 'email' },
      { name: 'Website', type: 'url' },
      { name: 'Description', type: 'textarea', length: 32000 },
      { name: 'LeadSource', type: 'picklist', picklist: LEAD_SOURCES },
      { name: 'Status', type: 'picklist', picklist: LEAD_STATUSES, picklistDefault: 'Open - Not Contacted', restrictedPicklist: true, nillable: false },
      { name: 'Industry', type: 'picklist', picklist: INDUSTRIES, restrictedPicklist: true },
      { name: 'Rating', type: 'picklist', picklist: RATINGS },
      { name: 'AnnualRevenue', type: 'currency' },
      { name: 'NumberOfEmployees', type: 'int', precision: 8 },
      { name: 'HasOptedOutOfEmail', type: 'boolean', label: 'Email Opt Out' },
      { name: 'HasOptedOutOfFax', type: 'boolean', label: 'Fax Opt Out' },
      { name: 'DoNotCall', type: 'boolean' },
      { name: 'IsConverted', type: 'boolean', label: 'Converted', ...RO },
      { name: 'ConvertedDate', type: 'date', ...RO },
      { name: 'ConvertedAccountId', type: 'reference', referenceTo: ['Account'], relationshipName: 'ConvertedAccount', ...RO },
      { name: 'ConvertedContactId', type: 'reference', referenceTo: ['Contact'], relationshipName: 'ConvertedContact', ...RO },
      { name: 'ConvertedOpportunityId', type: 'reference', referenceTo: ['Opportunity'], relationshipName: 'ConvertedOpportunity', ...RO },
      { name: 'IsUnreadByOwner', type: 'boolean', label: 'Unread By Owner' },
      { name: 'LastActivityDate', type: 'date', ...RO },
      { name: 'EmailBouncedReason', type: 'string', length: 255 },
      { name: 'EmailBouncedDate', type: 'datetime' },
      { name: 'Conduit_Notes__c', type: 'textarea', length: 32768, label: 'Conduit Notes' },
      { name: 'HubSpot_Contact_ID__c', type: 'string', length: 64, externalId: true, unique: true, label: 'HubSpot Contact ID' },
      { name: 'Conduit_Score__c', type: 'double', precision: 18, scale: 2, label: 'Conduit Score' },
      { name: 'Conduit_Last_Synced__c', type: 'datetime', label: 'Conduit Last Synced' },
      { name: 'Conduit_Sequence__c', type: 'string', length: 120, label: 'Conduit Sequence' },
      { name: 'LinkedIn_URL__c', type: 'url', label: 'LinkedIn URL' },
      { name: 'Legacy_CRM_ID__c', type: 'string', length: 40, externalId: true, label: 'Legacy CRM ID' },
    ],
  },
  {
    name: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003', owner: true,
    fields: [
      { name: 'AccountId', type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' },
      { name: 'LastName', type: 'string', length: 80, required: true },
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'Salutation', type: 'picklist', picklist: SALUTATIONS },
      { name: 'Name', type: 'string', length: 121, label: 'Full Name', nameField: true, ...RO },
      ...ADDRESS('Mailing'),
      { name: 'Phone', type: 'phone' },
      { name: 'MobilePhone', type: 'phone' },
      { name: 'Email', type: 'email' },
      { name: 'Title', type: 'string', length: 128 },
      { name: 'Department', type: 'string', length: 80 },
      { name: 'LeadSource', type: 'picklist', picklist: LEAD_SOURCES },
      { name: 'Birthdate', type: 'date' },
      { name: 'Description', type: 'textarea', length: 32000 },
      { name: 'HasOptedOutOfEmail', type: 'boolean', label: 'Email Opt Out' },
      { name: 'DoNotCall', type: 'boolean' },
      { name: 'EmailBouncedReason', type: 'string', length: 255 },
      { name: 'EmailBouncedDate', type: 'datetime' },
      { name: 'LastActivityDate', type: 'date', ...RO },
      { name: 'Conduit_Notes__c', type: 'textarea', length: 32768, label: 'Conduit Notes' },
      { name: 'HubSpot_Contact_ID__c', type: 'string', length: 64, externalId: true, unique: true, label: 'HubSpot Contact ID' },
      { name: 'LinkedIn_URL__c', type: 'url', label: 'LinkedIn URL' },
    ],
  },
  {
    name: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: '001', owner: true,
    fields: [
      { name: 'Name', type: 'string', length: 255, required: true, nameField: true, label: 'Account Name' },
      { name: 'Type', type: 'picklist', picklist: ACCOUNT_TYPES, label: 'Account Type' },
      { name: 'ParentId', type: 'reference', referenceTo: ['Account'], relationshipName: 'Parent' },
      ...ADDRESS('Billing'),
      { name: 'Phone', type: 'phone' },
      { name: 'Website', type: 'url' },
      { name: 'Industry', type: 'picklist', picklist: INDUSTRIES },
      { name: 'AnnualRevenue', type: 'currency' },
      { name: 'NumberOfEmployees', type: 'int', precision: 8 },
      { name: 'Description', type: 'textarea', length: 32000 },
      { name: 'Domain__c', type: 'string', length: 255, label: 'Domain' },
      { name: 'HubSpot_Company_ID__c', type: 'string', length: 64, externalId: true, unique: true, label: 'HubSpot Company ID' },
    ],
  },
  {
    name: 'Opportunity', label: 'Opportunity', labelPlural: 'Opportunities', keyPrefix: '006', owner: true,
    fields: [
      { name: 'AccountId', type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' },
      { name: 'Name', type: 'string', length: 120, required: true, nameField: true },
      { name: 'Description', type: 'textarea', length: 32000 },
      { name: 'StageName', type: 'picklist', picklist: OPPORTUNITY_STAGES, restrictedPicklist: true, required: true, label: 'Stage' },
      { name: 'Amount', type: 'currency' },
      { name: 'Probability', type: 'percent', precision: 3, scale: 0 },
      { name: 'CloseDate', type: 'date', required: true },
      { name: 'Type', type: 'picklist', picklist: ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer'] },
      { name: 'NextStep', type: 'string', length: 255 },
      { name: 'LeadSource', type: 'picklist', picklist: LEAD_SOURCES },
      { name: 'IsClosed', type: 'boolean', label: 'Closed', ...RO },
      { name: 'IsWon', type: 'boolean', label: 'Won', ...RO },
      { name: 'ForecastCategoryName', type: 'picklist', picklist: ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], label: 'Forecast Category' },
      { name: 'HubSpot_Deal_ID__c', type: 'string', length: 64, externalId: true, unique: true, label: 'HubSpot Deal ID' },
    ],
  },
  {
    name: 'OpportunityContactRole', label: 'Opportunity Contact Role', labelPlural: 'Opportunity Contact Roles', keyPrefix: '00K', owner: false,
    fields: [
      { name: 'OpportunityId', type: 'reference', referenceTo: ['Opportunity'], relationshipName: 'Opportunity', required: true, updateable: false },
      { name: 'ContactId', type: 'reference', referenceTo: ['Contact'], relationshipName: 'Contact', required: true },
      { name: 'Role', type: 'picklist', picklist: ['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other'] },
      { name: 'IsPrimary', type: 'boolean', label: 'Primary' },
    ],
  },
  {
    name: 'Task', label: 'Task', labelPlural: 'Tasks', keyPrefix: '00T', owner: true,
    fields: [
      { name: 'WhoId', type: 'reference', referenceTo: ['Contact', 'Lead'], relationshipName: 'Who', label: 'Name ID' },
      { name: 'WhatId', type: 'reference', referenceTo: ['Account', 'Opportunity', 'Campaign'], relationshipName: 'What', label: 'Related To ID' },
      { name: 'Subject', type: 'combobox', length: 255, picklist: ['Call', 'Send Letter', 'Send Quote', 'Other'] },
      { name: 'ActivityDate', type: 'date', label: 'Due Date Only' },
      { name: 'Status', type: 'picklist', picklist: TASK_STATUSES, picklistDefault: 'Not Started', restrictedPicklist: true, nillable: false },
      { name: 'Priority', type: 'picklist', picklist: ['High', 'Normal', 'Low'], picklistDefault: 'Normal', nillable: false },
      { name: 'Description', type: 'textarea', length: 32000, label: 'Comments' },
      { name: 'Type', type: 'picklist', picklist: ['Call', 'Email', 'Meeting', 'Other'] },
      { name: 'TaskSubtype', type: 'picklist', picklist: TASK_SUBTYPES, updateable: false },
      { name: 'IsClosed', type: 'boolean', label: 'Closed', ...RO },
      { name: 'CallDurationInSeconds', type: 'int', precision: 8, label: 'Call Duration' },
      { name: 'CallType', type: 'picklist', picklist: ['Internal', 'Inbound', 'Outbound'] },
      { name: 'CallDisposition', type: 'string', length: 255, label: 'Call Result' },
      { name: 'CompletedDateTime', type: 'datetime', ...RO },
      { name: 'Conduit_Activity_ID__c', type: 'string', length: 64, externalId: true, unique: true, label: 'Conduit Activity ID' },
    ],
  },
  {
    name: 'Event', label: 'Event', labelPlural: 'Events', keyPrefix: '00U', owner: true,
    fields: [
      { name: 'WhoId', type: 'reference', referenceTo: ['Contact', 'Lead'], relationshipName: 'Who', label: 'Name ID' },
      { name: 'WhatId', type: 'reference', referenceTo: ['Account', 'Opportunity', 'Campaign'], relationshipName: 'What', label: 'Related To ID' },
      { name: 'Subject', type: 'combobox', length: 255, picklist: ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'] },
      { name: 'Location', type: 'string', length: 255 },
      { name: 'IsAllDayEvent', type: 'boolean', label: 'All-Day Event' },
      { name: 'ActivityDateTime', type: 'datetime', label: 'Due Date Time' },
      { name: 'ActivityDate', type: 'date', label: 'Due Date Only' },
      { name: 'StartDateTime', type: 'datetime', label: 'Start Date Time' },
      { name: 'EndDateTime', type: 'datetime', label: 'End Date Time' },
      { name: 'DurationInMinutes', type: 'int', precision: 8, label: 'Duration' },
      { name: 'Description', type: 'textarea', length: 32000 },
      { name: 'Type', type: 'picklist', picklist: ['Call', 'Email', 'Meeting', 'Other'] },
      { name: 'Conduit_Activity_ID__c', type: 'string', length: 64, externalId: true, unique: true, label: 'Conduit Activity ID' },
    ],
  },
  {
    name: 'Campaign', label: 'Campaign', labelPlural: 'Campaigns', keyPrefix: '701', owner: true,
    fields: [
      { name: 'Name', type: 'string', length: 80, required: true, nameField: true },
      { name: 'Type', type: 'picklist', picklist: ['Advertisement', 'Email', 'Telemarketing', 'Banner Ads', 'Seminar / Conference', 'Public Relations', 'Partners', 'Referral Program', 'Webinar', 'Other'] },
      { name: 'Status', type: 'picklist', picklist: ['Planned', 'In Progress', 'Completed', 'Aborted'] },
      { name: 'StartDate', type: 'date' },
      { name: 'EndDate', type: 'date' },
      { name: 'IsActive', type: 'boolean', label: 'Active' },
      { name: 'Description', type: 'textarea', length: 32000 },
      { name: 'NumberOfLeads', type: 'int', label: 'Leads in Campaign', ...RO },
      { name: 'NumberOfContacts', type: 'int', label: 'Contacts in Campaign', ...RO },
    ],
  },
  {
    name: 'CampaignMember', label: 'Campaign Member', labelPlural: 'Campaign Members', keyPrefix: '00v', owner: false,
    fields: [
      { name: 'CampaignId', type: 'reference', referenceTo: ['Campaign'], relationshipName: 'Campaign', required: true, updateable: false },
      { name: 'LeadId', type: 'reference', referenceTo: ['Lead'], relationshipName: 'Lead', updateable: false },
      { name: 'ContactId', type: 'reference', referenceTo: ['Contact'], relationshipName: 'Contact', updateable: false },
      { name: 'Status', type: 'picklist', picklist: CAMPAIGN_MEMBER_STATUSES, picklistDefault: 'Sent' },
      { name: 'HasResponded', type: 'boolean', label: 'Responded', ...RO },
      { name: 'FirstRespondedDate', type: 'date', ...RO },
    ],
  },
  {
    name: 'User', label: 'User', labelPlural: 'Users', keyPrefix: '005', owner: false, createable: false,
    fields: [
      { name: 'Username', type: 'string', length: 80, required: true, unique: true, ...RO },
      { name: 'LastName', type: 'string', length: 80, required: true },
      { name: 'FirstName', type: 'string', length: 40 },
      { name: 'Name', type: 'string', length: 121, label: 'Full Name', nameField: true, ...RO },
      { name: 'Email', type: 'email', required: true },
      { name: 'Alias', type: 'string', length: 8, required: true },
      { name: 'Title', type: 'string', length: 80 },
      { name: 'Department', type: 'string', length: 80 },
      { name: 'CompanyName', type: 'string', length: 80 },
      { name: 'IsActive', type: 'boolean', label: 'Active' },
      { name: 'TimeZoneSidKey', type: 'picklist', picklist: ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Europe/Paris'], label: 'Time Zone' },
      { name: 'UserType', type: 'picklist', picklist: ['Standard'], ...RO },
    ],
  },
  {
    // The org's Opportunity stages as set up (one row per StageName value): whether a stage closes the deal and wins it,
    // which the StageName picklist's describe does not say. Read-only through the API, like Organization.
    name: 'OpportunityStage', label: 'Opportunity Stage', labelPlural: 'Opportunity Stages', keyPrefix: '01J', owner: false, createable: false,
    fields: [
      { name: 'MasterLabel', type: 'string', length: 255, label: 'Master Label', nameField: true, ...RO },
      { name: 'ApiName', type: 'string', length: 255, label: 'Api Name', ...RO },
      { name: 'IsActive', type: 'boolean', label: 'Active', ...RO },
      { name: 'SortOrder', type: 'int', label: 'Sort Order', ...RO },
      { name: 'IsClosed', type: 'boolean', label: 'Closed', ...RO },
      { name: 'IsWon', type: 'boolean', label: 'Won', ...RO },
      { name: 'ForecastCategoryName', type: 'picklist', picklist: ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], label: 'Forecast Category', ...RO },
      { name: 'DefaultProbability', type: 'percent', label: 'Probability (%)', ...RO },
      { name: 'Description', type: 'string', length: 255, ...RO },
    ],
  },
  {
    // The org itself: one row, read with `SELECT Name FROM Organization` (what an admin calls the org); nothing can
    // be inserted, and its fields are set in Salesforce's setup, not through the API.
    name: 'Organization', label: 'Organization', labelPlural: 'Organizations', keyPrefix: '00D', owner: false, createable: false,
    fields: [
      { name: 'Name', type: 'string', length: 80, nameField: true, ...RO },
      { name: 'OrganizationType', type: 'picklist', picklist: ['Developer Edition', 'Professional Edition', 'Enterprise Edition', 'Unlimited Edition'], label: 'Edition', ...RO },
      { name: 'InstanceName', type: 'string', length: 5, label: 'Instance Name', ...RO },
      { name: 'IsSandbox', type: 'boolean', ...RO },
      { name: 'Country', type: 'string', length: 80, ...RO },
      { name: 'TimeZoneSidKey', type: 'picklist', picklist: ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Europe/Paris'], label: 'Default Time Zone', ...RO },
    ],
  },
];

export const OBJECT_NAMES = OBJECTS.map((o) => o.name);

/** Objects whose records carry a compound Name computed from FirstName + LastName. */
export const PERSON_OBJECTS = new Set(['Lead', 'Contact', 'User']);

export function indexFields(def: SObjectDef): void {
  def.byLowerName = new Map(def.fields.map((f) => [f.name.toLowerCase(), f]));
}

export function buildSchema(): Map<string, SObjectDef> {
  const schema = new Map<string, SObjectDef>();
  for (const spec of OBJECTS) {
    const fields = [...systemFields(spec.owner), ...spec.fields].map(makeField);
    const def: SObjectDef = {
      name: spec.name,
      label: spec.label,
      labelPlural: spec.labelPlural,
      keyPrefix: spec.keyPrefix,
      createable: spec.createable ?? true,
      updateable: true,
      deletable: spec.createable ?? true,
      fields,
      byLowerName: new Map(),
    };
    indexFields(def);
    schema.set(spec.name, def);
  }
  return schema;
}
