import type { CrmRecord } from './contract.js';
import { CrmError } from './errors.js';

/** A Salesforce Lead converted into a Contact (and Account): where the person lives now. */
export interface LeadConversion {
  leadId: string;
  contactId: string;
  /** The Account the Contact was put under (null when the conversion named none). */
  accountId: string | null;
}

/** Lead fields that tell a conversion (read-only in Salesforce, set by convertLead). */
export const LEAD_CONVERSION_FIELDS = ['IsConverted', 'ConvertedContactId', 'ConvertedAccountId'] as const;

/** The conversion a Lead record states, or null (not a Lead, not converted, or converted without a Contact). */
export function leadConversionOf(record: CrmRecord): LeadConversion | null {
  if (record.object !== 'lead' || record.archived) return null;
  const p = record.properties;
  if (p['IsConverted'] !== true || typeof p['ConvertedContactId'] !== 'string' || p['ConvertedContactId'] === '') return null;
  const account = p['ConvertedAccountId'];
  return { leadId: record.id, contactId: p['ConvertedContactId'], accountId: typeof account === 'string' && account !== '' ? account : null };
}

/** Salesforce refused a write because it names a converted Lead ("cannot reference converted lead"). */
export function isConvertedLeadError(err: unknown): boolean {
  return err instanceof CrmError && err.crmCode === 'CANNOT_UPDATE_CONVERTED_LEAD';
}
