import type { JobName } from '../queue-names.js';
import type { SyncRunPayload, SyncRunResult } from './sync-run.result.js';

/** Imports what changed since the stored cursor of each object of the run. */
export interface SyncIncrementalJob {
  name: JobName.SyncIncremental;
  payload: SyncRunPayload;
  result: SyncRunResult;
}
