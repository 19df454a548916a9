import type { SalesforceDescribeField } from '../salesforce/salesforce.fields.js';

type F = SalesforceDescribeField;
const base = { nillable: true, createable: true, updateable: true, defaultedOnCreate: false, calculated: false, autoNumber: false, custom: false };
const text = (name: string, label: string, length: number, extra: Partial<F> = {}): F => ({ ...base, name, label, type: 'string', length, ...extra });
const pick = (value: string, active = true) => ({ active, label: value, value, defaultValue: false });

/** Excerpt of GET /services/data/v60.0/sobjects/Lead/describe → `fields`, trimmed to the keys Conduit reads. */
export const salesforceLeadDescribe: F[] = [
  { ...base, name: 'Id', label: 'Lead ID', type: 'id', length: 18, nillable: false, createable: false, updateable: false, defaultedOnCreate: true },
  { ...base, name: 'IsDeleted', label: 'Deleted', type: 'boolean', length: 0, nillable: false, createable: false, updateable: false, defaultedOnCreate: true },
  text('FirstName', 'First Name', 40),
  text('LastName', 'Last Name', 80, { nillable: false }),
  text('Title', 'Title', 128),
  text('Company', 'Company', 255, { nillable: false }),
  text('City', 'City', 40),
  text('Country', 'Country', 80),
  { ...base, name: 'Address', label: 'Address', type: 'address', length: 0, createable: false, updateable: false },
  { ...base, name: 'Phone', label: 'Phone', type: 'phone', length: 40 },
  { ...base, name: 'Email', label: 'Email', type: 'email', length: 80 },
  { ...base, name: 'Website', label: 'Website', type: 'url', length: 255 },
  { ...base, name: 'Description', label: 'Description', type: 'textarea', length: 32000 },
  { ...base, name: 'LeadSource', label: 'Lead Source', type: 'picklist', length: 255, restrictedPicklist: false, picklistValues: [pick('Web'), pick('Phone Inquiry'), pick('Partner Referral'), pick('Purchased List'), pick('Other')] },
  {
    ...base,
    name: 'Status',
    label: 'Status',
    type: 'picklist',
    length: 255,
    nillable: false,
    defaultedOnCreate: true,
    restrictedPicklist: true,
    picklistValues: [pick('Open - Not Contacted'), pick('Working - Contacted'), pick('Closed - Converted'), pick('Closed - Not Converted'), pick('Nurturing', false)],
  },
  { ...base, name: 'Industry', label: 'Industry', type: 'picklist', length: 255, restrictedPicklist: false, picklistValues: [pick('Banking'), pick('Technology'), pick('Telecommunications')] },
  { ...base, name: 'Rating', label: 'Rating', type: 'picklist', length: 255, restrictedPicklist: true, picklistValues: [pick('Hot'), pick('Warm'), pick('Cold')] },
  { ...base, name: 'AnnualRevenue', label: 'Annual Revenue', type: 'currency', length: 0 },
  { ...base, name: 'NumberOfEmployees', label: 'Employees', type: 'int', length: 0 },
  { ...base, name: 'OwnerId', label: 'Owner ID', type: 'reference', length: 18, nillable: false, defaultedOnCreate: true },
  { ...base, name: 'HasOptedOutOfEmail', label: 'Email Opt Out', type: 'boolean', length: 0, nillable: false, defaultedOnCreate: true },
  { ...base, name: 'IsConverted', label: 'Converted', type: 'boolean', length: 0, nillable: false, createable: true, updateable: false, defaultedOnCreate: true },
  { ...base, name: 'ConvertedDate', label: 'Converted Date', type: 'date', length: 0, createable: false, updateable: false },
  { ...base, name: 'CreatedDate', label: 'Created Date', type: 'datetime', length: 0, nillable: false, createable: false, updateable: false, defaultedOnCreate: true },
  { ...base, name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime', length: 0, nillable: false, createable: false, updateable: false, defaultedOnCreate: true },
  { ...base, name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime', length: 0, nillable: false, createable: false, updateable: false, defaultedOnCreate: true },
  { ...base, name: 'Conduit_Last_Replied__c', label: 'Conduit Last Replied', type: 'date', length: 0, custom: true },
  {
    ...base,
    name: 'Conduit_Sequences__c',
    label: 'Conduit Sequences',
    type: 'multipicklist',
    length: 4099,
    custom: true,
    restrictedPicklist: true,
    picklistValues: [pick('Q2 Outbound'), pick('Founders'), pick('Re-engage')],
  },
  { ...base, name: 'Conduit_Score__c', label: 'Conduit Score', type: 'double', length: 0, custom: true },
  { ...base, name: 'Conduit_Lead_Number__c', label: 'Conduit Lead Number', type: 'string', length: 30, custom: true, calculated: false, autoNumber: true, createable: false, updateable: false },
];

/** Excerpt of GET /services/data/v60.0/sobjects/Account/describe → `fields`. */
export const salesforceAccountDescribe: F[] = [
  { ...base, name: 'Id', label: 'Account ID', type: 'id', length: 18, nillable: false, createable: false, updateable: false, defaultedOnCreate: true },
  text('Name', 'Account Name', 255, { nillable: false }),
  { ...base, name: 'Website', label: 'Website', type: 'url', length: 255 },
  { ...base, name: 'Industry', label: 'Industry', type: 'picklist', length: 255, restrictedPicklist: false, picklistValues: [pick('Banking'), pick('Technology'), pick('Telecommunications')] },
  { ...base, name: 'NumberOfEmployees', label: 'Employees', type: 'int', length: 0 },
  text('BillingCity', 'Billing City', 40),
  text('BillingCountry', 'Billing Country', 80),
];
