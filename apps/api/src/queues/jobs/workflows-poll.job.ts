import type { JobName } from '../queue-names.js';

/** Reads what changed in Salesforce (Opportunities, Accounts, Leads, Contacts) for a workspace's workflows. */
export interface WorkflowsPollJob {
  name: JobName.WorkflowsPoll;
  payload: { workspaceId: string };
  /** Workflow runs the changes started. */
  result: { triggered: number };
}
