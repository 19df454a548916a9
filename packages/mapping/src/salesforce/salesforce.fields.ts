import type { CrmFieldDescriptor, CrmProperties, SalesforceFieldType } from '../types.js';
import { isSalesforceFieldType } from './salesforce.codec.js';

/** The parts of a describe field (`GET sobjects/{T}/describe` → `fields[]`) Conduit reads. */
export interface SalesforceDescribeField {
  name: string;
  label: string;
  type: string;
  length?: number;
  nillable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  defaultedOnCreate?: boolean;
  calculated?: boolean;
  autoNumber?: boolean;
  custom?: boolean;
  restrictedPicklist?: boolean;
  picklistValues?: { active: boolean; label: string; value: string; defaultValue?: boolean }[];
}

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist']);

/**
 * A describe field → descriptor, or null for types Conduit does not map (address,
 * location, base64, ...). A field neither createable nor updateable is read-only. It is
 * required on create when createable, not nillable and not defaulted (booleans are never
 * nillable but always defaulted). Only active picklist values become options.
 */
export function salesforceFieldToDescriptor(f: SalesforceDescribeField): CrmFieldDescriptor | null {
  if (!isSalesforceFieldType(f.type)) return null;
  const type: SalesforceFieldType = f.type;
  const createable = f.createable === true;
  const writable = (createable || f.updateable === true) && f.calculated !== true && f.autoNumber !== true;
  const descriptor: CrmFieldDescriptor = {
    name: f.name,
    label: f.label,
    type,
    readOnly: !writable,
    required: writable && createable && f.nillable === false && f.defaultedOnCreate !== true && type !== 'boolean',
    custom: f.custom === true,
  };
  if (TEXT_TYPES.has(type) && f.length !== undefined && f.length > 0) descriptor.length = f.length;
  if (type === 'picklist' || type === 'multipicklist') {
    descriptor.options = (f.picklistValues ?? []).filter((p) => p.active).map((p) => ({ value: p.value, label: p.label }));
    descriptor.restricted = f.restrictedPicklist === true;
  }
  return descriptor;
}

export function salesforceFieldsToDescriptors(fields: readonly SalesforceDescribeField[]): CrmFieldDescriptor[] {
  return fields.map(salesforceFieldToDescriptor).filter((d): d is CrmFieldDescriptor => d !== null);
}

/** A record from the REST API or a SOQL query. */
export interface SalesforceRecord {
  attributes?: { type: string; url?: string };
  [field: string]: unknown;
}

/** The record's fields without `attributes`. */
export function salesforceRecordFields(record: SalesforceRecord): CrmProperties {
  const { attributes: _attributes, ...fields } = record;
  return fields;
}
