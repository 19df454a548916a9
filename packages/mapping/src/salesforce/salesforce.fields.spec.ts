import { describe, expect, it } from '@jest/globals';
import { salesforceAccountDescribe, salesforceLeadDescribe } from '../__fixtures__/salesforce-describe.fixture.js';
import { salesforceAccount, salesforceLead } from '../__fixtures__/salesforce-lead.fixture.js';
import { salesforceFieldsToDescriptors, salesforceFieldToDescriptor, salesforceRecordFields } from './salesforce.fields.js';

describe('salesforceFieldToDescriptor', () => {
  const descriptors = salesforceFieldsToDescriptors(salesforceLeadDescribe);
  const get = (name: string) => descriptors.find((d) => d.name === name);

  it('drops compound and unsupported types (Address)', () => {
    expect(get('Address')).toBeUndefined();
    expect(descriptors).toHaveLength(salesforceLeadDescribe.length - 1);
  });

  it('describes a text field with its length', () => {
    expect(get('FirstName')).toEqual({ name: 'FirstName', label: 'First Name', type: 'string', length: 40, readOnly: false, required: false, custom: false });
  });

  it.each([
    ['LastName', true],
    ['Company', true],
    ['FirstName', false],
    ['Status', false], // defaulted on create
    ['OwnerId', false], // defaulted on create
    ['HasOptedOutOfEmail', false], // boolean
    ['Id', false], // read-only
  ])('%s required on create: %p', (name, required) => {
    expect(get(name)?.required).toBe(required);
  });

  it.each([
    ['Id', true],
    ['CreatedDate', true],
    ['SystemModstamp', true],
    ['ConvertedDate', true],
    ['Conduit_Lead_Number__c', true], // auto-number
    ['IsConverted', false], // createable only
    ['Email', false],
  ])('%s read-only: %p', (name, readOnly) => {
    expect(get(name)?.readOnly).toBe(readOnly);
  });

  it('keeps only active picklist values and the restricted flag', () => {
    expect(get('Status')?.options?.map((o) => o.value)).toEqual(['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted']);
    expect(get('Status')?.restricted).toBe(true);
    expect(get('LeadSource')?.restricted).toBe(false);
    expect(get('Conduit_Sequences__c')).toMatchObject({ type: 'multipicklist', restricted: true, custom: true, length: 4099 });
  });

  it('gives no length to non-text fields', () => {
    expect(get('NumberOfEmployees')?.length).toBeUndefined();
    expect(get('Id')?.length).toBeUndefined();
  });

  it('handles a minimal field', () => {
    expect(salesforceFieldToDescriptor({ name: 'X__c', label: 'X', type: 'picklist' })).toEqual({
      name: 'X__c',
      label: 'X',
      type: 'picklist',
      readOnly: true,
      required: false,
      custom: false,
      options: [],
      restricted: false,
    });
    expect(salesforceFieldToDescriptor({ name: 'Loc__c', label: 'Loc', type: 'location' })).toBeNull();
  });

  it('reads Account describe', () => {
    expect(salesforceFieldsToDescriptors(salesforceAccountDescribe).filter((d) => d.required).map((d) => d.name)).toEqual(['Name']);
  });
});

describe('salesforceRecordFields', () => {
  it('drops attributes and keeps every field', () => {
    const fields = salesforceRecordFields(salesforceLead);
    expect(fields).not.toHaveProperty('attributes');
    expect(fields['LastName']).toBe('Hopper');
    expect(Object.keys(fields)).toHaveLength(Object.keys(salesforceLead).length - 1);
    expect(salesforceRecordFields({ Id: '1' })).toEqual({ Id: '1' });
    expect(salesforceRecordFields(salesforceAccount)['Website']).toBe('www.navy-compilers.com');
  });
});
