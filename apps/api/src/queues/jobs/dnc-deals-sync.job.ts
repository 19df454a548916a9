import type { JobName } from '../queue-names.js';

/** What one deals sync read and changed. */
export interface DealsSyncResult {
  deals: number;
  dealContacts: number;
  companies: number;
  removedDeals: number;
  apiCalls: number;
}

/** Re-reads a connection's deals (with their people and company) and company customer status for do-not-contact. */
export interface DncDealsSyncJob {
  name: JobName.DncDealsSync;
  payload: { workspaceId: string; connectionId: string };
  result: DealsSyncResult;
}
