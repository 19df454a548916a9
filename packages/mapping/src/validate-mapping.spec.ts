import { describe, expect, it } from '@jest/globals';
import { hubspotCompanyProperties, hubspotContactProperties } from './__fixtures__/hubspot-properties.fixture.js';
import { salesforceAccountDescribe, salesforceLeadDescribe } from './__fixtures__/salesforce-describe.fixture.js';
import { defaultMappings } from './default-mappings.js';
import { hubspotPropertiesToDescriptors } from './hubspot/hubspot.fields.js';
import { salesforceFieldsToDescriptors } from './salesforce/salesforce.fields.js';
import type { CrmFieldDescriptor, MappingRow } from './types.js';
import { validateMapping, type MappingIssue } from './validate-mapping.js';

const HS = hubspotPropertiesToDescriptors(hubspotContactProperties);
const SF = salesforceFieldsToDescriptors(salesforceLeadDescribe);
const row = (conduitField: string, crmField: string, extra: Partial<MappingRow> = {}): MappingRow => ({
  conduitField,
  crmField,
  importPriority: 'crm',
  exportBehaviour: 'fill_if_empty',
  ...extra,
});
const pick = (issues: MappingIssue[]) => issues.map((i) => [i.rowIndex, i.field, i.severity, i.code]);

describe('validateMapping: single-row rules', () => {
  it.each<[string, MappingRow, [number | null, string, string, string][]]>([
    ['a clean row', row('firstName', 'firstname'), []],
    ['a custom attribute', row('custom.tier', 'lifecyclestage', { conduitType: 'enumeration' }), []],
    ['unknown Conduit field', row('nickname', 'firstname'), [[0, 'nickname', 'error', 'unknown_conduit_field']]],
    ['invalid custom key', row('custom.', 'firstname'), [[0, 'custom.', 'error', 'unknown_conduit_field']]],
    ['unknown CRM field', row('firstName', 'first_name'), [[0, 'first_name', 'error', 'unknown_crm_field']]],
    ['both unknown', row('nickname', 'first_name'), [[0, 'nickname', 'error', 'unknown_conduit_field'], [0, 'first_name', 'error', 'unknown_crm_field']]],
    ['export into a read-only field', row('custom.created', 'createdate', { conduitType: 'datetime' }), [[0, 'createdate', 'error', 'read_only']]],
    ['export into a calculated field', row('custom.deals', 'num_associated_deals', { conduitType: 'number', exportBehaviour: 'overwrite' }), [[0, 'num_associated_deals', 'error', 'read_only']]],
    ['import-only from a read-only field', row('custom.created', 'createdate', { conduitType: 'datetime', exportBehaviour: 'do_not_export' }), []],
    ['text exported into a number', row('jobTitle', 'annualrevenue'), [[0, 'jobTitle', 'warning', 'type_mismatch']]],
    ['free text into an enumeration', row('jobTitle', 'lifecyclestage'), [[0, 'jobTitle', 'warning', 'type_mismatch']]],
    ['an enumeration imported into text, not exported', row('jobTitle', 'lifecyclestage', { exportBehaviour: 'do_not_export' }), []],
    ['a number imported into text but exported back', row('jobTitle', 'annualrevenue', { exportBehaviour: 'do_not_export' }), []],
    ['a datetime into a date', row('custom.d', 'createdate', { conduitType: 'date', exportBehaviour: 'do_not_export' }), [[0, 'custom.d', 'warning', 'type_mismatch']]],
    ['a boolean into a date', row('custom.d', 'hs_email_optout', { conduitType: 'date' }), [[0, 'custom.d', 'error', 'incompatible_types']]],
    ['a date into a number', row('custom.n', 'date_of_birth', { conduitType: 'number' }), [[0, 'custom.n', 'error', 'incompatible_types']]],
  ])('HubSpot: %s', (_t, r, expected) => {
    const result = validateMapping({ crm: 'hubspot', object: 'contact', rows: [r], fields: HS });
    expect(pick(result.issues)).toEqual(expected);
    expect(result.valid).toBe(!expected.some((e) => e[2] === 'error'));
  });

  it('matches Salesforce field names without regard to case', () => {
    const result = validateMapping({ crm: 'salesforce', object: 'contact', rows: [row('lastName', 'lastname'), row('companyName', 'COMPANY')], fields: SF });
    expect(result.issues).toEqual([]);
  });

  it('flags createable-only Salesforce fields as writable and read-only ones as not', () => {
    const result = validateMapping({
      crm: 'salesforce',
      object: 'contact',
      rows: [row('lastName', 'LastName'), row('companyName', 'Company'), row('custom.converted', 'IsConverted', { conduitType: 'boolean' }), row('custom.num', 'Conduit_Lead_Number__c')],
      fields: SF,
    });
    expect(pick(result.issues)).toEqual([[3, 'Conduit_Lead_Number__c', 'error', 'read_only']]);
  });
});

describe('validateMapping: rules across rows', () => {
  it('errors when two exporting rows write one CRM field', () => {
    const result = validateMapping({ crm: 'hubspot', object: 'contact', rows: [row('firstName', 'firstname'), row('custom.first', 'firstname')], fields: HS });
    expect(pick(result.issues)).toEqual([[1, 'firstname', 'error', 'duplicate_crm_target']]);
    expect(result.valid).toBe(false);
  });

  it('only warns when one CRM field is imported into two Conduit fields', () => {
    const result = validateMapping({
      crm: 'hubspot',
      object: 'contact',
      rows: [row('companyName', 'company'), row('custom.employer', 'company', { exportBehaviour: 'do_not_export' })],
      fields: HS,
    });
    expect(pick(result.issues)).toEqual([[1, 'company', 'warning', 'duplicate_crm_source']]);
    expect(result.valid).toBe(true);
  });

  it('treats Salesforce duplicates case-insensitively', () => {
    const result = validateMapping({ crm: 'salesforce', object: 'contact', rows: [row('lastName', 'LastName'), row('firstName', 'lastname'), row('companyName', 'Company')], fields: SF });
    expect(pick(result.issues)).toEqual([[1, 'lastname', 'error', 'duplicate_crm_target']]);
  });

  it('errors when two rows fill one Conduit field', () => {
    const result = validateMapping({ crm: 'hubspot', object: 'contact', rows: [row('companyName', 'company'), row('companyName', 'jobtitle')], fields: HS });
    expect(pick(result.issues)).toEqual([[1, 'companyName', 'error', 'duplicate_conduit_field']]);
  });

  it('warns about required Salesforce fields no exported row fills', () => {
    const result = validateMapping({ crm: 'salesforce', object: 'contact', rows: [row('lastName', 'LastName'), row('companyName', 'Company', { exportBehaviour: 'do_not_export' })], fields: SF });
    expect(pick(result.issues)).toEqual([[null, 'Company', 'warning', 'required_not_mapped']]);
  });

  it('sorts issues by row, mapping-wide ones last', () => {
    const result = validateMapping({ crm: 'salesforce', object: 'contact', rows: [row('firstName', 'FirstName'), row('nickname', 'Title')], fields: SF });
    expect(result.issues.map((i) => i.rowIndex)).toEqual([1, null, null]);
  });
});

describe('default mappings validate against recorded fields', () => {
  it.each<[string, 'hubspot' | 'salesforce', 'contact' | 'company', CrmFieldDescriptor[], [number | null, string, string, string][]]>([
    ['HubSpot contacts', 'hubspot', 'contact', HS, []],
    // HubSpot's industry is an enumeration: free-text Conduit industries may not match an option.
    ['HubSpot companies', 'hubspot', 'company', hubspotPropertiesToDescriptors(hubspotCompanyProperties), [[3, 'industry', 'warning', 'type_mismatch']]],
    ['Salesforce leads', 'salesforce', 'contact', SF, []],
    ['Salesforce accounts', 'salesforce', 'company', salesforceFieldsToDescriptors(salesforceAccountDescribe), [[2, 'industry', 'warning', 'type_mismatch']]],
  ])('%s', (_t, crm, object, fields, expected) => {
    const result = validateMapping({ crm, object, rows: defaultMappings(crm, object), fields });
    expect(pick(result.issues)).toEqual(expected);
    expect(result.valid).toBe(true);
  });
});
