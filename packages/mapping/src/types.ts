export type CrmKind = 'hubspot' | 'salesforce';
export const CRM_KINDS: readonly CrmKind[] = ['hubspot', 'salesforce'];

export type MappedObject = 'contact' | 'company' | 'activity';

/** Which side wins on import when both Conduit and the CRM hold a value. */
export type ImportPriority = 'crm' | 'conduit';

/** What an export does with a field. */
export type ExportBehaviour = 'fill_if_empty' | 'overwrite' | 'do_not_export';

/** Conduit-side value types. See README "Value representation" for the JS shape of each. */
export type FieldType =
  | 'string'
  | 'text'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'enumeration'
  | 'multi_enumeration'
  | 'email'
  | 'phone'
  | 'url';

export const FIELD_TYPES: readonly FieldType[] = [
  'string',
  'text',
  'number',
  'boolean',
  'date',
  'datetime',
  'enumeration',
  'multi_enumeration',
  'email',
  'phone',
  'url',
];

/** HubSpot property `type` values. `phone_number` is the newer dedicated phone type. */
export type HubSpotFieldType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';

/** Salesforce describe `type` values that Conduit can read and write. */
export type SalesforceFieldType =
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'double'
  | 'int'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'id'
  | 'reference';

export type CrmFieldType = HubSpotFieldType | SalesforceFieldType;

export interface FieldOption {
  value: string;
  label: string;
}

/** A CRM field as discovered from HubSpot's properties API or Salesforce's describe. */
export interface CrmFieldDescriptor {
  name: string;
  label: string;
  type: CrmFieldType;
  options?: FieldOption[];
  /** Values outside `options` are rejected (HubSpot enumerations always; restricted Salesforce picklists). */
  restricted?: boolean;
  /** Maximum length of a string value (Salesforce). */
  length?: number;
  readOnly: boolean;
  /** Must be present when creating a record (e.g. Salesforce Lead LastName, Company). */
  required?: boolean;
  custom: boolean;
  /** HubSpot enumeration with fieldType `checkbox`: several ';'-separated values. */
  multiValued?: boolean;
}

/** One row of a property mapping (Settings → Property mapping). */
export interface MappingRow {
  /** A standard Person/Company field (`firstName`) or a custom attribute (`custom.<key>`). */
  conduitField: string;
  crmField: string;
  importPriority: ImportPriority;
  exportBehaviour: ExportBehaviour;
  /** Type of a custom attribute; standard fields have a fixed type and ignore this. */
  conduitType?: FieldType;
  /** Used when no discovered descriptor for `crmField` is passed in. */
  crmType?: CrmFieldType;
  /**
   * Fields with a fixed Conduit vocabulary (lead status, industry): CRM option value → Conduit value, applied on
   * import (see value-maps.ts). Values it does not translate are left alone and reported as unmapped.
   */
  valueMap?: Readonly<Record<string, string>>;
}

/**
 * The JS shape of a typed value, both in Conduit and between decoding and encoding:
 * strings for string-like, enumeration, date (`YYYY-MM-DD`) and datetime (UTC ISO) values,
 * numbers, booleans, and string arrays for multi-enumerations.
 */
export type TypedValue = string | number | boolean | string[];

/** A CRM record as plain properties: HubSpot `properties`, or a Salesforce record without `attributes`. */
export type CrmProperties = Record<string, unknown>;

/** A Conduit Person or Company as plain data; custom attributes live under `customAttributes`. */
export type ConduitRecord = Record<string, unknown>;

/** A value as sent to a CRM: always a string for HubSpot, JSON-typed for Salesforce. */
export type CrmWireValue = string | number | boolean | null;
