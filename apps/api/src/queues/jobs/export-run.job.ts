import type { JobName } from '../queue-names.js';

/** Exports the people of an export run to its CRM, chunk by chunk from the run's checkpoint. */
export interface ExportRunJob {
  name: JobName.ExportRun;
  payload: { workspaceId: string; runId: string };
  result:
    /** The run was already finished, is gone, or its connection was removed (the run is then failed). */
    | { skipped: true }
    /** Paused for the API budget (#17): the run resumes at `resumesAt` (ISO) from its checkpoint, with a new job. */
    | { runId: string; paused: true; resumesAt: string }
    | { created: number; updated: number; unchanged: number; needsAttention: number };
}
