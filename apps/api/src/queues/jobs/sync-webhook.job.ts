import type { JobName } from '../queue-names.js';
import type { SyncRunPayload, SyncRunResult } from './sync-run.result.js';

/** Imports the records a CRM webhook named; `deletedIds` were deleted/archived in the CRM. */
export interface SyncWebhookJob {
  name: JobName.SyncWebhook;
  payload: SyncRunPayload & { object: 'contact' | 'company'; ids: string[]; deletedIds: string[] };
  result: SyncRunResult;
}
