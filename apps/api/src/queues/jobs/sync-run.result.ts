/** What a sync job (backfill, incremental, webhook) stores as its result: the run's final counts. */
export type SyncRunResult =
  /** The run was already finished (a second delivery of the job) or is gone. */
  | { skipped: true }
  | { runId: string; created: number; updated: number; unchanged: number; failed: number; archived: number; apiCalls: number };

/** Every sync job names its run (a row of sync_run). */
export interface SyncRunPayload {
  workspaceId: string;
  connectionId: string;
  runId: string;
}
