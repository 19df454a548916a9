import { describe, expect, it } from '@jest/globals';
import { COMPANY_FIELDS, PERSON_FIELDS } from './conduit-fields.js';
import { defaultMappings } from './default-mappings.js';
import { HUBSPOT_CONTACT_DEFAULTS } from './hubspot/hubspot.defaults.js';
import type { CrmKind, MappedObject } from './types.js';

describe('defaultMappings', () => {
  it.each<[CrmKind, MappedObject, Record<string, string>]>([
    [
      'hubspot',
      'contact',
      {
        firstName: 'firstname',
        lastName: 'lastname',
        email: 'email',
        phone: 'phone',
        jobTitle: 'jobtitle',
        city: 'city',
        country: 'country',
        companyName: 'company',
        linkedinUrl: 'hs_linkedin_url',
        leadStatus: 'hs_lead_status',
        qualificationReasoning: 'conduit_qualification_reasoning',
      },
    ],
    ['hubspot', 'company', { name: 'name', domain: 'domain', website: 'website', industry: 'industry', employeeCount: 'numberofemployees', city: 'city', country: 'country' }],
    [
      'salesforce',
      'contact',
      {
        firstName: 'FirstName',
        lastName: 'LastName',
        email: 'Email',
        phone: 'Phone',
        jobTitle: 'Title',
        city: 'City',
        country: 'Country',
        companyName: 'Company',
        leadStatus: 'Status',
        qualificationReasoning: 'Description',
      },
    ],
    ['salesforce', 'company', { name: 'Name', website: 'Website', industry: 'Industry', employeeCount: 'NumberOfEmployees', city: 'BillingCity', country: 'BillingCountry' }],
    ['hubspot', 'activity', {}],
    ['salesforce', 'activity', {}],
  ])('%s %s', (crm, object, expected) => {
    const rows = defaultMappings(crm, object);
    expect(Object.fromEntries(rows.map((r) => [r.conduitField, r.crmField]))).toEqual(expected);
    const known = (object === 'company' ? COMPANY_FIELDS : PERSON_FIELDS).map((f) => f.name);
    for (const r of rows) {
      expect(known).toContain(r.conduitField);
      expect(r.crmType).toBeDefined();
    }
  });

  it('maps a Salesforce person as a Contact on request', () => {
    const rows = defaultMappings('salesforce', 'contact', { salesforcePersonObject: 'Contact' });
    expect(rows.map((r) => r.crmField)).toEqual(['FirstName', 'LastName', 'Email', 'Phone', 'Title', 'MailingCity', 'MailingCountry', 'Description']);
  });

  it('follows the policy: CRM wins, Conduit fills blanks; Conduit owns qualification reasoning; status goes through the status mapping', () => {
    for (const crm of ['hubspot', 'salesforce'] as const) {
      const rows = defaultMappings(crm, 'contact');
      for (const r of rows) {
        const expected = r.conduitField === 'qualificationReasoning' ? 'conduit' : 'crm';
        expect([r.conduitField, r.importPriority]).toEqual([r.conduitField, expected]);
      }
      expect(rows.find((r) => r.conduitField === 'leadStatus')?.exportBehaviour).toBe('do_not_export');
    }
    expect(defaultMappings('hubspot', 'contact').find((r) => r.conduitField === 'qualificationReasoning')?.exportBehaviour).toBe('overwrite');
    expect(defaultMappings('salesforce', 'contact').find((r) => r.conduitField === 'qualificationReasoning')?.exportBehaviour).toBe('fill_if_empty');
  });

  it('returns fresh copies', () => {
    const rows = defaultMappings('hubspot', 'contact');
    rows[0]!.crmField = 'changed';
    expect(HUBSPOT_CONTACT_DEFAULTS[0]?.crmField).toBe('firstname');
    expect(defaultMappings('hubspot', 'contact')[0]?.crmField).toBe('firstname');
  });
});

describe('defaultMappings with the account’s discovered fields', () => {
  const field = (name: string, label: string, readOnly = false) => ({ name, label, readOnly });

  it('leaves out rows whose CRM field the account lacks, and maps LinkedIn to the account’s own linkedin_url property', () => {
    const fields = [field('firstname', 'First Name'), field('email', 'Email'), field('hs_linkedinid', 'LinkedIn ID', true), field('linkedin_url', 'LinkedIn URL')];
    expect(defaultMappings('hubspot', 'contact', { fields }).map((r) => [r.conduitField, r.crmField])).toEqual([
      ['firstName', 'firstname'],
      ['email', 'email'],
      ['linkedinUrl', 'linkedin_url'],
    ]);
  });

  it('keeps the standard LinkedIn property when the account has it, and finds a Salesforce custom field by name or label', () => {
    const withStandard = defaultMappings('hubspot', 'contact', { fields: [field('hs_linkedin_url', 'LinkedIn URL'), field('linkedin_url', 'LinkedIn URL')] });
    expect(withStandard.filter((r) => r.conduitField === 'linkedinUrl').map((r) => r.crmField)).toEqual(['hs_linkedin_url']);
    const salesforce = defaultMappings('salesforce', 'contact', { fields: [field('LastName', 'Last Name'), field('LinkedIn_URL__c', 'LinkedIn URL')] });
    expect(salesforce.find((r) => r.conduitField === 'linkedinUrl')).toEqual({ conduitField: 'linkedinUrl', crmField: 'LinkedIn_URL__c', importPriority: 'crm', exportBehaviour: 'fill_if_empty' });
    const byLabel = defaultMappings('salesforce', 'contact', { fields: [field('Profile_Link__c', 'LinkedIn Profile')] });
    expect(byLabel.map((r) => r.crmField)).toEqual(['Profile_Link__c']);
    // Read-only fields and other objects get nothing.
    expect(defaultMappings('hubspot', 'contact', { fields: [field('linkedin_url', 'LinkedIn URL', true)] })).toEqual([]);
    expect(defaultMappings('hubspot', 'company', { fields: [field('linkedin_url', 'LinkedIn URL')] })).toEqual([]);
  });
});
