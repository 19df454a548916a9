import type { JobName } from '../queue-names.js';

/** Executes one HubSpot ↔ Salesforce workflow run (a row of workflow_run). */
export interface WorkflowsRunJob {
  name: JobName.WorkflowsRun;
  payload: { workspaceId: string; runId: string };
  /** The run's result (`gone` when the run no longer exists). */
  result: { result: string };
}
