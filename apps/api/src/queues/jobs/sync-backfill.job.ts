import type { JobName } from '../queue-names.js';
import type { SyncRunPayload, SyncRunResult } from './sync-run.result.js';

/** Imports every record of a run's CRM objects, page by page from an empty cursor (a dry run writes nothing). */
export interface SyncBackfillJob {
  name: JobName.SyncBackfill;
  payload: SyncRunPayload;
  result: SyncRunResult;
}
