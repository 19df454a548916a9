/** HubSpot CRM object types the sandbox serves, with their ids and naming. */
export const OBJECT_TYPES = [
  'contacts', 'companies', 'deals', 'emails', 'calls', 'meetings', 'notes', 'tasks', 'communications',
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export const ENGAGEMENT_TYPES: readonly ObjectType[] = ['emails', 'calls', 'meetings', 'notes', 'tasks', 'communications'];

interface ObjectTypeInfo {
  objectTypeId: string;
  singular: string;
  /** The property HubSpot maintains as "last modified" for this type. */
  lastModifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
  /** Returned when a request names no properties. */
  defaultProperties: string[];
}

export const OBJECT_TYPE_INFO: Record<ObjectType, ObjectTypeInfo> = {
  contacts: { objectTypeId: '0-1', singular: 'contact', lastModifiedProperty: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'] },
  companies: { objectTypeId: '0-2', singular: 'company', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'] },
  deals: { objectTypeId: '0-3', singular: 'deal', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'] },
  emails: { objectTypeId: '0-49', singular: 'email', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'] },
  calls: { objectTypeId: '0-48', singular: 'call', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'] },
  meetings: { objectTypeId: '0-47', singular: 'meeting', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'] },
  notes: { objectTypeId: '0-46', singular: 'note', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'] },
  tasks: { objectTypeId: '0-27', singular: 'task', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'] },
  communications: { objectTypeId: '0-18', singular: 'communication', lastModifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'] },
};

const ALIASES = new Map<string, ObjectType>();
for (const type of OBJECT_TYPES) {
  const info = OBJECT_TYPE_INFO[type];
  ALIASES.set(type, type);
  ALIASES.set(info.singular, type);
  ALIASES.set(info.objectTypeId, type);
}

/** 'contacts', 'contact' and '0-1' all name the contacts object, as in HubSpot's paths. */
export function resolveObjectType(name: string): ObjectType | undefined {
  return ALIASES.get(name.toLowerCase());
}

export function isEngagement(type: ObjectType): boolean {
  return ENGAGEMENT_TYPES.includes(type);
}

export interface AssociationTypeDef {
  typeId: number;
  category: 'HUBSPOT_DEFINED';
  label: string | null;
  /** The type id HubSpot records for the opposite direction. */
  inverse: number;
  primary?: boolean;
}

// HubSpot-defined association type ids (SDK enum AssociationTypes), both directions.
const PAIRS: [ObjectType, ObjectType, number, number, string | null][] = [
  ['contacts', 'companies', 279, 280, null],
  ['contacts', 'companies', 1, 2, 'Primary'],
  ['deals', 'contacts', 3, 4, null],
  ['deals', 'companies', 341, 342, null],
  ['deals', 'companies', 5, 6, 'Primary'],
  ['notes', 'contacts', 202, 201, null], ['notes', 'companies', 190, 189, null], ['notes', 'deals', 214, 213, null],
  ['emails', 'contacts', 198, 197, null], ['emails', 'companies', 186, 185, null], ['emails', 'deals', 210, 209, null],
  ['calls', 'contacts', 194, 193, null], ['calls', 'companies', 182, 181, null], ['calls', 'deals', 206, 205, null],
  ['meetings', 'contacts', 200, 199, null], ['meetings', 'companies', 188, 187, null], ['meetings', 'deals', 212, 211, null],
  ['tasks', 'contacts', 204, 203, null], ['tasks', 'companies', 192, 191, null], ['tasks', 'deals', 216, 215, null],
  ['communications', 'contacts', 81, 82, null], ['communications', 'companies', 87, 88, null], ['communications', 'deals', 85, 86, null],
];

const ASSOCIATION_TYPES = new Map<string, AssociationTypeDef[]>();
function addDef(from: ObjectType, to: ObjectType, def: AssociationTypeDef): void {
  const key = `${from}->${to}`;
  const list = ASSOCIATION_TYPES.get(key) ?? [];
  list.push(def);
  ASSOCIATION_TYPES.set(key, list);
}
for (const [from, to, forward, backward, label] of PAIRS) {
  const primary = label === 'Primary';
  addDef(from, to, { typeId: forward, category: 'HUBSPOT_DEFINED', label, inverse: backward, ...(primary ? { primary } : {}) });
  addDef(to, from, { typeId: backward, category: 'HUBSPOT_DEFINED', label, inverse: forward, ...(primary ? { primary } : {}) });
}

export function associationTypes(from: ObjectType, to: ObjectType): AssociationTypeDef[] {
  return ASSOCIATION_TYPES.get(`${from}->${to}`) ?? [];
}

/** The unlabeled ("default") association type between two object types. */
export function defaultAssociationType(from: ObjectType, to: ObjectType): AssociationTypeDef | undefined {
  return associationTypes(from, to).find((d) => d.label === null);
}

export function findAssociationType(from: ObjectType, to: ObjectType, typeId: number): AssociationTypeDef | undefined {
  return associationTypes(from, to).find((d) => d.typeId === typeId);
}
