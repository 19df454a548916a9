/** What a sync job (backfill, incremental, webhook) stores as its result: the run's final counts. */
export type SyncRunResult =
  /** The run was already finished (a second delivery of the job) or is gone. */
  | { skipped: true }
  /** Paused for the API budget (#17): the run resumes at `resumesAt` (ISO) from its checkpoint, with a new job. */
  | { runId: string; paused: true; resumesAt: string }
  | { runId: string; created: number; updated: number; unchanged: number; failed: number; archived: number; apiCalls: number };

/** Every sync job names its run (a row of sync_run). */
export interface SyncRunPayload {
  workspaceId: string;
  connectionId: string;
  runId: string;
}
