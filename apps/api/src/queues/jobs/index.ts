import type { JobName } from '../queue-names.js';
import type { ActivitiesDeliverJob } from './activities-deliver.job.js';
import type { ConsentDeliverJob } from './consent-deliver.job.js';
import type { CrmListsSyncJob } from './crm-lists-sync.job.js';
import type { DiscoverFieldsJob } from './discover-fields.job.js';
import type { DncDealsSyncJob } from './dnc-deals-sync.job.js';
import type { ErasureHubspotDeleteJob } from './erasure-hubspot-delete.job.js';
import type { ExportRunJob } from './export-run.job.js';
import type { RecountWorkspaceJob } from './recount-workspace.job.js';
import type { SyncBackfillJob } from './sync-backfill.job.js';
import type { SyncIncrementalJob } from './sync-incremental.job.js';
import type { SyncWebhookJob } from './sync-webhook.job.js';
import type { WorkflowsPollJob } from './workflows-poll.job.js';
import type { WorkflowsRunJob } from './workflows-run.job.js';

export type { DeliveryCounts } from './activities-deliver.job.js';
export type { MembershipSyncResult, PausedListSync } from './crm-lists-sync.job.js';
export type { DealsSyncResult } from './dnc-deals-sync.job.js';
export type { SyncRunPayload, SyncRunResult } from './sync-run.result.js';

/**
 * Every job with its payload (stored in `outbox_job.payload`; Bull only carries the row id) and its result (stored
 * in `outbox_job.result` when it completes). One file per job.
 */
export type JobItem =
  | RecountWorkspaceJob
  | SyncBackfillJob
  | SyncIncrementalJob
  | SyncWebhookJob
  | DiscoverFieldsJob
  | ExportRunJob
  | CrmListsSyncJob
  | DncDealsSyncJob
  | ActivitiesDeliverJob
  | ConsentDeliverJob
  | ErasureHubspotDeleteJob
  | WorkflowsRunJob
  | WorkflowsPollJob;

type JobsByName = { [J in JobItem as J['name']]: J };
/** The payload of job `N`: what enqueueing it takes and what its handler receives. */
export type JobOf<N extends JobName> = JobsByName[N]['payload'];
/** What job `N` stores as its result. */
export type JobResultOf<N extends JobName> = JobsByName[N]['result'];
/** Any job's payload / result (the column types of `outbox_job`). */
export type AnyJobPayload = JobItem['payload'];
export type AnyJobResult = JobItem['result'];
