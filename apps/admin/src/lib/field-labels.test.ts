import { describe, expect, it } from 'vitest';
import { fieldLabel, humanizeKey } from './field-labels';

describe('field labels', () => {
  it('names standard fields by their label, per entity', () => {
    expect(fieldLabel('leadStatus')).toBe('Lead status');
    expect(fieldLabel('linkedinUrl')).toBe('LinkedIn URL');
    expect(fieldLabel('employeeCount', 'company')).toBe('Employee count');
    expect(fieldLabel('name', 'company')).toBe('Name');
  });

  it('names custom attributes, nested and indexed paths in words', () => {
    expect(fieldLabel('custom.tier_level')).toBe('Tier level (custom attribute)');
    expect(fieldLabel('customAttributes.accountTier')).toBe('Account tier (custom attribute)');
    expect(fieldLabel('rows[2].crmField')).toBe('CRM field (row 3)');
    expect(fieldLabel('crmListIds[0]')).toBe('CRM lists, row 1');
    expect(fieldLabel('filter.leadStatus')).toBe('Lead status');
  });

  it('turns unknown keys into words', () => {
    expect(humanizeKey('someNewField')).toBe('Some new field');
    expect(fieldLabel('hs_lead_status')).toBe('Hs lead status');
  });
});
