/** Every Bull queue of Conduit. */
export enum QueueName {
  Maintenance = 'maintenance',
  Sync = 'sync',
  Connections = 'connections',
  Export = 'export',
  Lists = 'lists',
  /** Live activity logging: its own queue so backfills and exports never sit in front of it. */
  Activities = 'activities',
  /** HubSpot ↔ Salesforce workflows (MQL handoff, stage → lifecycle, email change, account hygiene). */
  Workflows = 'workflows',
}

/**
 * Every durable job of Conduit (the `outbox_job.name` and the Bull job name). Each job's payload and result are
 * declared in its own file under `jobs/` and gathered in `jobs/index.ts` (`JobOf`, `JobResultOf`).
 */
export enum JobName {
  RecountWorkspace = 'recount-workspace',
  SyncBackfill = 'sync.backfill',
  SyncIncremental = 'sync.incremental',
  SyncWebhook = 'sync.webhook',
  DiscoverFields = 'discover-fields',
  ExportRun = 'export.run',
  CrmListsSync = 'crm-lists.sync',
  DncDealsSync = 'dnc.deals-sync',
  ActivitiesDeliver = 'activities.deliver',
  ConsentDeliver = 'consent.deliver',
  ErasureHubspotDelete = 'erasure.hubspot-delete',
  WorkflowsRun = 'workflows.run',
  WorkflowsPoll = 'workflows.poll',
}

/** Which queue runs which job. */
export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  [JobName.RecountWorkspace]: QueueName.Maintenance,
  [JobName.SyncBackfill]: QueueName.Sync,
  [JobName.SyncIncremental]: QueueName.Sync,
  [JobName.SyncWebhook]: QueueName.Sync,
  [JobName.DiscoverFields]: QueueName.Connections,
  [JobName.ExportRun]: QueueName.Export,
  [JobName.CrmListsSync]: QueueName.Lists,
  [JobName.DncDealsSync]: QueueName.Lists,
  [JobName.ActivitiesDeliver]: QueueName.Activities,
  [JobName.ConsentDeliver]: QueueName.Activities,
  [JobName.ErasureHubspotDelete]: QueueName.Activities,
  [JobName.WorkflowsRun]: QueueName.Workflows,
  [JobName.WorkflowsPoll]: QueueName.Workflows,
};

/**
 * Bull-only repeatable jobs (no outbox row: a missed tick is simply the next tick). Each one enqueues durable
 * outbox jobs for the actual work.
 */
export const REPEATABLE_JOBS = {
  /** Every CRM_DISCOVERY_INTERVAL_MS: one `discover-fields` job per connected CRM connection. */
  scheduleDiscovery: { queue: QueueName.Connections, name: 'schedule-discovery', jobId: 'schedule-discovery' },
} as const;

/** What travels through Redis: a pointer to the durable row. */
export interface BullJobData {
  outboxJobId: string;
}
