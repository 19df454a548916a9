import type { CrmObjectType } from '@conduit/crm';
import type { MappingRow } from '@conduit/mapping';
import { entityFor, rowsForCrmObject } from './import-plan.js';
import type { SyncRun } from './sync-run.entity.js';

/**
 * A mapping dry run's rows for one CRM object: the proposed rows of the mapped object it belongs to (people rows for
 * contacts and leads, company rows for companies), adapted to the object like saved rows are. Null when the run
 * previews no mapping for it (the saved mapping applies).
 */
export function proposedRows(run: Pick<SyncRun, 'crm' | 'mapping'>, object: CrmObjectType): MappingRow[] | null {
  const rows = run.mapping?.[entityFor(object) === 'person' ? 'contact' : 'company'];
  return rows ? rowsForCrmObject(run.crm, object, rows) : null;
}
