import { decodeHubSpotValue, encodeHubSpotValue, HUBSPOT_BLANK } from './hubspot/hubspot.codec.js';
import { err, ok, type Result } from './result.js';
import { decodeSalesforceValue, encodeSalesforceValue, SALESFORCE_BLANK } from './salesforce/salesforce.codec.js';
import type { CrmFieldDescriptor, CrmKind, CrmProperties, CrmWireValue, MappingRow, TypedValue } from './types.js';

/** A CRM wire value → typed value (null when blank). */
export function decodeCrmValue(crm: CrmKind, field: CrmFieldDescriptor, raw: unknown): Result<TypedValue | null> {
  switch (crm) {
    case 'hubspot':
      return decodeHubSpotValue(field, raw);
    case 'salesforce':
      return decodeSalesforceValue(field, raw);
  }
}

/** A non-blank value → the CRM wire value for `field`. */
export function encodeCrmValue(crm: CrmKind, field: CrmFieldDescriptor, value: unknown): Result<Exclude<CrmWireValue, null>> {
  switch (crm) {
    case 'hubspot':
      return encodeHubSpotValue(field, value);
    case 'salesforce':
      return encodeSalesforceValue(field, value);
  }
}

/** The value that clears a field: '' for HubSpot, null for Salesforce. */
export function blankCrmValue(crm: CrmKind): CrmWireValue {
  switch (crm) {
    case 'hubspot':
      return HUBSPOT_BLANK;
    case 'salesforce':
      return SALESFORCE_BLANK;
  }
}

/** Salesforce API names are case-insensitive; HubSpot property names are not. */
function sameName(crm: CrmKind, a: string, b: string): boolean {
  return crm === 'salesforce' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

export function findCrmField(crm: CrmKind, fields: readonly CrmFieldDescriptor[], name: string): CrmFieldDescriptor | undefined {
  return fields.find((f) => f.name === name) ?? fields.find((f) => sameName(crm, f.name, name));
}

/**
 * The descriptor a row converts with: the discovered field when `fields` is given (unknown
 * names fail), otherwise one built from the row's `crmType` (plain string when absent).
 */
export function descriptorForRow(crm: CrmKind, row: MappingRow, fields?: readonly CrmFieldDescriptor[]): Result<CrmFieldDescriptor> {
  if (fields) {
    const found = findCrmField(crm, fields, row.crmField);
    return found ? ok(found) : err('unknown_field', `${row.crmField} is not a ${crm} field of this object`);
  }
  const type = row.crmType ?? 'string';
  const descriptor: CrmFieldDescriptor = { name: row.crmField, label: row.crmField, type, readOnly: false, custom: false };
  // Without discovery a HubSpot multi-select is only known from the Conduit side's type.
  if (type === 'enumeration' && row.conduitType === 'multi_enumeration') descriptor.multiValued = true;
  return ok(descriptor);
}

/** A property's raw value from a CRM record (Salesforce names matched case-insensitively). */
export function getCrmValue(crm: CrmKind, record: CrmProperties, name: string): unknown {
  if (name in record) return record[name];
  const key = Object.keys(record).find((k) => sameName(crm, k, name));
  return key === undefined ? undefined : record[key];
}
