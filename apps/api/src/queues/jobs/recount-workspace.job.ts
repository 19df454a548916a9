import type { WorkspaceCountsDto } from '@conduit/contracts';
import type { JobName } from '../queue-names.js';

/** Counts people, companies and users of a workspace and stores the counts as the job's result. */
export interface RecountWorkspaceJob {
  name: JobName.RecountWorkspace;
  payload: { workspaceId: string };
  result: WorkspaceCountsDto;
}
