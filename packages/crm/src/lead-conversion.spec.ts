import { describe, expect, it } from '@jest/globals';
import type { CrmRecord } from './contract.js';
import { CrmError } from './errors.js';
import { isConvertedLeadError, leadConversionOf } from './lead-conversion.js';

const lead = (properties: CrmRecord['properties'], extra: Partial<CrmRecord> = {}): CrmRecord => ({ id: '00Q1', object: 'lead', properties, updatedAt: '2026-12-06T10:00:00.000Z', ...extra });

describe('leadConversionOf', () => {
  it('reads the Contact and Account of a converted Lead', () => {
    expect(leadConversionOf(lead({ IsConverted: true, ConvertedContactId: '0031', ConvertedAccountId: '0011' }))).toEqual({ leadId: '00Q1', contactId: '0031', accountId: '0011' });
    expect(leadConversionOf(lead({ IsConverted: true, ConvertedContactId: '0031', ConvertedAccountId: null }))).toEqual({ leadId: '00Q1', contactId: '0031', accountId: null });
  });

  it('is null for open Leads, deleted Leads, conversions without a Contact and other objects', () => {
    expect(leadConversionOf(lead({ IsConverted: false, ConvertedContactId: null }))).toBeNull();
    expect(leadConversionOf(lead({ IsConverted: true, ConvertedContactId: '0031' }, { archived: true }))).toBeNull();
    expect(leadConversionOf(lead({ IsConverted: true, ConvertedContactId: null }))).toBeNull();
    expect(leadConversionOf(lead({ IsConverted: true, ConvertedContactId: '0031' }, { object: 'contact' }))).toBeNull();
  });
});

describe('isConvertedLeadError', () => {
  it('knows Salesforce\'s "cannot reference converted lead" and nothing else', () => {
    const init = { crm: 'salesforce' as const, message: 'cannot reference converted lead' };
    expect(isConvertedLeadError(new CrmError({ kind: 'validation', fields: [] }, { ...init, crmCode: 'CANNOT_UPDATE_CONVERTED_LEAD' }))).toBe(true);
    expect(isConvertedLeadError(new CrmError({ kind: 'validation', fields: [] }, { ...init, crmCode: 'REQUIRED_FIELD_MISSING' }))).toBe(false);
    expect(isConvertedLeadError(new Error('cannot reference converted lead'))).toBe(false);
  });
});
