import type { CrmFieldDescriptor, CrmProperties, HubSpotFieldType } from '../types.js';
import { isHubSpotFieldType } from './hubspot.codec.js';

/** The parts of a HubSpot property definition (`GET /crm/v3/properties/{object}`) Conduit reads. */
export interface HubSpotPropertyDefinition {
  name: string;
  label: string;
  type: string;
  fieldType?: string;
  options?: { label: string; value: string; hidden?: boolean }[];
  calculated?: boolean;
  hubspotDefined?: boolean;
  hidden?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean; readOnlyDefinition?: boolean; archivable?: boolean };
}

/**
 * A property definition → descriptor, or null for types Conduit does not map
 * (`object_coordinates`, `json`). Calculated properties and those whose value is read-only
 * cannot be written. A `checkbox` enumeration is multi-valued.
 */
export function hubspotPropertyToDescriptor(def: HubSpotPropertyDefinition): CrmFieldDescriptor | null {
  if (!isHubSpotFieldType(def.type)) return null;
  const type: HubSpotFieldType = def.type;
  const descriptor: CrmFieldDescriptor = {
    name: def.name,
    label: def.label,
    type,
    readOnly: def.calculated === true || def.modificationMetadata?.readOnlyValue === true,
    custom: def.hubspotDefined !== true,
  };
  if (type === 'enumeration') {
    descriptor.options = (def.options ?? []).map((o) => ({ value: o.value, label: o.label }));
    descriptor.restricted = true;
    if (def.fieldType === 'checkbox') descriptor.multiValued = true;
  }
  return descriptor;
}

export function hubspotPropertiesToDescriptors(defs: readonly HubSpotPropertyDefinition[]): CrmFieldDescriptor[] {
  return defs.map(hubspotPropertyToDescriptor).filter((d): d is CrmFieldDescriptor => d !== null);
}

/** A HubSpot CRM object as the v3 API returns it. */
export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
}

export function hubspotObjectProperties(obj: HubSpotObject): CrmProperties {
  return { ...obj.properties };
}
