import type { JobName } from '../queue-names.js';

/** What one membership sync of a list did. */
export interface MembershipSyncResult {
  listId: string;
  deletedInCrm: boolean;
  /** The CRM refused to read the list (validation or permission): it keeps its last members and says why. */
  unreadableInCrm?: boolean;
  members: number;
  added: number;
  removed: number;
  /** Members Conduit did not know and imported through the import engine. */
  imported: number;
  /** CRM calls: membership pages, then the import runs' reads. */
  apiCalls: number;
  importRunIds: string[];
}

/** A list sync paused for the daily API budget (#17): the list resumes at `resumesAt` (ISO) with a new job. */
export interface PausedListSync {
  listId: string;
  paused: true;
  resumesAt: string;
}

/** Re-reads a CRM list's membership, imports members Conduit does not know yet, and replaces the membership set. */
export interface CrmListsSyncJob {
  name: JobName.CrmListsSync;
  payload: { workspaceId: string; listId: string };
  /** `list_gone`: the list was deleted in Conduit since the job was queued. */
  result: MembershipSyncResult | PausedListSync | { skipped: 'list_gone' };
}
