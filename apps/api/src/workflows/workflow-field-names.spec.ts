import { describe, expect, it } from '@jest/globals';
import type { CrmFieldDto, MqlHandoffConfigDto } from '@conduit/contracts';
import { DEFAULT_MQL_HANDOFF, DEFAULT_STAGE_LIFECYCLE } from './workflow-defaults.js';
import { fieldNameProblems } from './workflow-field-names.js';

const f = (name: string, extra: Partial<CrmFieldDto> = {}): CrmFieldDto => ({ name, label: name, type: 'string', crmType: 'string', readOnly: false, custom: false, ...extra });

const HUBSPOT: CrmFieldDto[] = [
  ...['firstname', 'lastname', 'email', 'company', 'jobtitle', 'phone', 'city', 'state', 'country', 'website'].map((n) => f(n)),
  f('hubspotscore', { type: 'number', readOnly: true }),
  f('lifecyclestage', { options: ['lead', 'marketingqualifiedlead', 'customer'].map((v) => ({ value: v, label: v })) }),
];
const LEAD: CrmFieldDto[] = [
  ...['FirstName', 'LastName', 'Email', 'Company', 'Title', 'Phone', 'City', 'State', 'Country', 'Website'].map((n) => f(n)),
  f('HubSpot_Contact_ID__c', { custom: true }),
  f('CreatedDate', { readOnly: true }),
];
const BOTH = { hubspotContact: HUBSPOT, salesforceLead: LEAD };

describe('fieldNameProblems', () => {
  it('accepts the defaults and discovered names (Salesforce case-insensitively, read-only HubSpot sources too)', () => {
    expect(fieldNameProblems('mql_handoff', DEFAULT_MQL_HANDOFF, BOTH)).toEqual([]);
    const config: MqlHandoffConfigDto = {
      ...DEFAULT_MQL_HANDOFF,
      conditions: [{ property: 'hubspotscore', operator: 'gt', value: 10 }],
      fieldMap: [{ hubspot: 'hubspotscore', salesforce: 'title' }, { hubspot: null, salesforce: 'Company', default: 'Unknown' }],
      externalIdField: 'hubspot_contact_id__c',
    };
    expect(fieldNameProblems('mql_handoff', config, BOTH)).toEqual([]);
  });

  it('names each unknown or read-only name by its setting', () => {
    const config: MqlHandoffConfigDto = {
      ...DEFAULT_MQL_HANDOFF,
      triggerStage: 'mql',
      conditions: [{ property: 'country', operator: 'eq', value: 'Germany' }, { property: 'Country', operator: 'eq', value: 'Germany' }, { property: 'made_up', operator: 'is_known' }],
      fieldMap: [{ hubspot: 'nope', salesforce: 'Nope__c' }, { hubspot: 'email', salesforce: 'CreatedDate' }],
      externalIdField: 'Missing_Id__c',
    };
    expect(fieldNameProblems('mql_handoff', config, BOTH)).toEqual([
      { field: 'config.conditions.1.property', message: 'HubSpot has no contact property "Country" (did you mean "country"?)' },
      { field: 'config.conditions.2.property', message: expect.stringMatching(/^HubSpot has no contact property "made_up"; re-discover fields/) as unknown as string },
      { field: 'config.fieldMap.0.hubspot', message: expect.stringContaining('"nope"') as unknown as string },
      { field: 'config.fieldMap.0.salesforce', message: expect.stringMatching(/^Salesforce Lead has no field "Nope__c"/) as unknown as string },
      { field: 'config.fieldMap.1.salesforce', message: 'Lead.CreatedDate is read-only in Salesforce' },
      { field: 'config.externalIdField', message: expect.stringContaining('"Missing_Id__c"') as unknown as string },
      { field: 'config.triggerStage', message: '"mql" is not a HubSpot lifecycle stage (lead, marketingqualifiedlead, customer)' },
    ]);
  });

  it('does not check a CRM whose fields were never discovered, nor other workflows', () => {
    const config: MqlHandoffConfigDto = { ...DEFAULT_MQL_HANDOFF, conditions: [{ property: 'made_up', operator: 'is_known' }], fieldMap: [{ hubspot: 'email', salesforce: 'Nope__c' }] };
    expect(fieldNameProblems('mql_handoff', config, {})).toEqual([]);
    expect(fieldNameProblems('mql_handoff', config, { salesforceLead: LEAD }).map((p) => p.field)).toEqual(['config.fieldMap.0.salesforce']);
    expect(fieldNameProblems('mql_handoff', config, { hubspotContact: HUBSPOT, salesforceLead: [] }).map((p) => p.field)).toEqual(['config.conditions.0.property']);
    expect(fieldNameProblems('stage_lifecycle', DEFAULT_STAGE_LIFECYCLE, BOTH)).toEqual([]);
  });
});
