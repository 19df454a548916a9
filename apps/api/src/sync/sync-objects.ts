import type { SyncObject } from '@conduit/contracts';
import type { CrmKind } from '@conduit/crm';

/**
 * What a full backfill imports besides people and companies: deals (HubSpot deals / Salesforce Opportunities, with
 * their contacts and company), owners (HubSpot owners / Salesforce Users) and list metadata (HubSpot lists /
 * Salesforce Campaigns).
 */
export const RELATED_OBJECTS = ['deal', 'owner', 'list'] as const;
export type RelatedObject = (typeof RELATED_OBJECTS)[number];
/** Everything the sync settings can select. */
export type { SyncObject } from '@conduit/contracts';

export const isRelatedObject = (o: string): o is RelatedObject => (RELATED_OBJECTS as readonly string[]).includes(o);
/** People and companies: the objects the import engine merges with a mapping. */
export const isRecordObject = (o: string): o is 'company' | 'contact' | 'lead' => o === 'company' || o === 'contact' || o === 'lead';

/** Read order per CRM: companies first (people link to them), deals after people (they point at both). */
export const SYNC_OBJECTS: Record<CrmKind, SyncObject[]> = {
  hubspot: ['company', 'contact', 'deal', 'owner', 'list'],
  salesforce: ['company', 'lead', 'contact', 'deal', 'owner', 'list'],
};

/** The selected objects in read order, unknown ones dropped. */
export function orderObjects(crm: CrmKind, objects: readonly string[]): SyncObject[] {
  return SYNC_OBJECTS[crm].filter((o) => objects.includes(o));
}
