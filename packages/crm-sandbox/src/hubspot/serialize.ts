import { OBJECT_TYPE_INFO, associationTypes, type ObjectType } from './object-types.js';
import type { HsRecord, HubspotStore } from './store.js';

export interface ApiObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
}

const ALWAYS: Record<ObjectType, string[]> = Object.fromEntries(
  Object.entries(OBJECT_TYPE_INFO).map(([type, info]) => [type, ['hs_object_id', info.lastModifiedProperty, type === 'contacts' || type === 'companies' || type === 'deals' ? 'createdate' : 'hs_createdate']]),
) as Record<ObjectType, string[]>;

/** Query parameters repeat (?properties=a&properties=b) and may also be comma-separated. */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const out = parts.map((p) => p.trim()).filter((p) => p !== '');
  return out;
}

/** v3 association type name, e.g. contact_to_company / contact_to_company_unlabeled. */
export function v3AssociationName(from: ObjectType, to: ObjectType, typeId: number): string {
  const defs = associationTypes(from, to);
  const def = defs.find((d) => d.typeId === typeId);
  const base = `${OBJECT_TYPE_INFO[from].singular}_to_${OBJECT_TYPE_INFO[to].singular}`;
  if (def === undefined) return base;
  const hasPrimary = defs.some((d) => d.primary);
  return def.label === null && hasPrimary ? `${base}_unlabeled` : base;
}

/**
 * The v3 JSON of a record. `properties` undefined → the type's defaults; requested
 * properties that are unset come back as null, as in HubSpot.
 */
export function toApiObject(
  store: HubspotStore,
  record: HsRecord,
  properties: string[] | 'all' | undefined,
  associations?: ObjectType[],
): ApiObject {
  const names = properties === 'all'
    ? Object.keys(record.properties)
    : [...new Set([...(properties === undefined || properties.length === 0 ? OBJECT_TYPE_INFO[record.type].defaultProperties : properties), ...ALWAYS[record.type]])];
  const props: Record<string, string | null> = {};
  for (const name of names) props[name] = record.properties[name] ?? null;
  const out: ApiObject = {
    id: record.id,
    properties: props,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: record.archived,
    ...(record.archivedAt !== undefined ? { archivedAt: new Date(record.archivedAt).toISOString() } : {}),
  };
  if (associations !== undefined && associations.length > 0) {
    const assoc: Record<string, { results: { id: string; type: string }[] }> = {};
    for (const toType of associations) {
      const results = store.associated(record.type, record.id, toType)
        .flatMap(({ toId, typeIds }) => typeIds.map((tid) => ({ id: toId, type: v3AssociationName(record.type, toType, tid) })));
      if (results.length > 0) assoc[toType] = { results };
    }
    if (Object.keys(assoc).length > 0) out.associations = assoc;
  }
  return out;
}
