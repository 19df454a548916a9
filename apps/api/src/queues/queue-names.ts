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

/** Every job name with its payload: the payload is stored in `outbox_job.payload`, Bull only carries the row id. */
export interface JobPayloads {
  /** Counts people, companies and users of a workspace and stores the counts as the job's result. */
  'recount-workspace': { workspaceId: string };
  /** Imports every record of a run's CRM objects, page by page from an empty cursor (a dry run writes nothing). */
  'sync.backfill': { workspaceId: string; connectionId: string; runId: string };
  /** Imports what changed since the stored cursor of each object of the run. */
  'sync.incremental': { workspaceId: string; connectionId: string; runId: string };
  /** Imports the records a CRM webhook named; `deletedIds` were deleted/archived in the CRM. */
  'sync.webhook': { workspaceId: string; connectionId: string; runId: string; object: 'contact' | 'company'; ids: string[]; deletedIds: string[] };
  /** Re-reads a CRM connection's fields and records drift (enqueued per connection by the discovery schedule). */
  'discover-fields': { workspaceId: string; connectionId: string };
  /** Exports the people of an export run to its CRM, chunk by chunk from the run's checkpoint. */
  'export.run': { workspaceId: string; runId: string };
  /** Re-reads a CRM list's membership, imports members Conduit does not know yet, and replaces the membership set. */
  'crm-lists.sync': { workspaceId: string; listId: string };
  /** Re-reads a connection's deals (with their people and company) and company customer status for do-not-contact. */
  'dnc.deals-sync': { workspaceId: string; connectionId: string };
  /** Delivers a connection's pending activities to the CRM timeline (drains everything open; extra jobs are no-ops). */
  'activities.deliver': { workspaceId: string; connectionId: string };
  /** Executes one HubSpot ↔ Salesforce workflow run (a row of workflow_run). */
  'workflows.run': { workspaceId: string; runId: string };
  /** Reads what changed in Salesforce (Opportunities, Accounts, Leads, Contacts) for a workspace's workflows. */
  'workflows.poll': { workspaceId: string };
}

export type JobName = keyof JobPayloads;

/** Which queue runs which job. */
export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'recount-workspace': QueueName.Maintenance,
  'sync.backfill': QueueName.Sync,
  'sync.incremental': QueueName.Sync,
  'sync.webhook': QueueName.Sync,
  'discover-fields': QueueName.Connections,
  'export.run': QueueName.Export,
  'crm-lists.sync': QueueName.Lists,
  'dnc.deals-sync': QueueName.Lists,
  'activities.deliver': QueueName.Activities,
  'workflows.run': QueueName.Workflows,
  'workflows.poll': QueueName.Workflows,
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
