import type { FieldDef, SObjectDef } from './schema.js';

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID', reference: 'tns:ID', string: 'xsd:string', textarea: 'xsd:string', email: 'xsd:string', phone: 'xsd:string', url: 'xsd:string',
  picklist: 'xsd:string', multipicklist: 'xsd:string', combobox: 'xsd:string', boolean: 'xsd:boolean', double: 'xsd:double', currency: 'xsd:double',
  percent: 'xsd:double', int: 'xsd:int', date: 'xsd:date', datetime: 'xsd:dateTime',
};

function objectUrls(def: SObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}`, defaultValues: `${base}/defaultValues?recordTypeId&fields` };
}

function objectSummary(def: SObjectDef, version: string): Record<string, unknown> {
  return {
    activateable: false, createable: def.createable, custom: false, customSetting: false, deletable: def.deletable, deprecatedAndHidden: false,
    feedEnabled: true, hasSubtypes: false, isSubtype: false, keyPrefix: def.keyPrefix, label: def.label, labelPlural: def.labelPlural,
    layoutable: true, mergeable: def.name === 'Lead' || def.name === 'Contact' || def.name === 'Account', mruEnabled: true, name: def.name,
    queryable: true, replicateable: true, retrieveable: true, searchable: true, triggerable: true, undeletable: true, updateable: def.updateable,
    urls: objectUrls(def, version),
  };
}

export function describeField(f: FieldDef): Record<string, unknown> {
  const text = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox'].includes(f.type);
  return {
    aggregatable: f.type !== 'textarea' || f.length <= 255, autoNumber: false, byteLength: text || f.type === 'id' || f.type === 'reference' ? f.length * 3 : 0,
    calculated: f.calculated, caseSensitive: false, createable: f.createable, custom: f.custom, defaultValue: f.picklistValues.length > 0 ? null : f.type === 'boolean' ? f.defaultValue : null,
    defaultedOnCreate: f.defaultedOnCreate, dependentPicklist: false, deprecatedAndHidden: false, digits: f.type === 'int' ? f.precision : 0,
    externalId: f.externalId, filterable: !(f.type === 'textarea' && f.length > 255), groupable: f.type !== 'textarea' && f.type !== 'double' && f.type !== 'currency',
    htmlFormatted: false, idLookup: f.idLookup, inlineHelpText: null, label: f.label, length: f.length, name: f.name, nameField: f.nameField,
    namePointing: f.referenceTo.length > 1, nillable: f.nillable, permissionable: f.custom || (f.nillable && f.updateable), picklistValues: f.picklistValues,
    polymorphicForeignKey: f.referenceTo.length > 1, precision: f.type === 'int' ? 0 : f.precision, referenceTo: f.referenceTo,
    relationshipName: f.relationshipName, restrictedPicklist: f.restrictedPicklist, scale: f.scale, soapType: SOAP_TYPES[f.type],
    sortable: !(f.type === 'textarea' && f.length > 255), type: f.type, unique: f.unique, updateable: f.updateable,
  };
}

export function describeSObject(def: SObjectDef, version: string): Record<string, unknown> {
  return {
    ...objectSummary(def, version),
    actionOverrides: [], childRelationships: [], compactLayoutable: true, fields: def.fields.map(describeField), listviewable: null,
    lookupLayoutable: null, namedLayoutInfos: [], networkScopeFieldName: null, recordTypeInfos: [], searchLayoutable: true, supportedScopes: [],
    sobjectDescribeOption: 'FULL',
  };
}

export function describeGlobal(defs: Iterable<SObjectDef>, version: string): Record<string, unknown> {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: [...defs].map((d) => objectSummary(d, version)) };
}

export function objectInfo(def: SObjectDef, version: string): Record<string, unknown> {
  return { objectDescribe: objectSummary(def, version), recentItems: [] };
}
