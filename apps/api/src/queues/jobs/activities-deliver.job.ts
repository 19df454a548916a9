import type { JobName } from '../queue-names.js';

/** Deliveries one drain pass settled, by outcome. */
export interface DeliveryCounts {
  logged: number;
  failed: number;
  waiting: number;
  adopted: number;
}

/** Delivers a connection's pending activities to the CRM timeline (drains everything open; extra jobs are no-ops). */
export interface ActivitiesDeliverJob {
  name: JobName.ActivitiesDeliver;
  payload: { workspaceId: string; connectionId: string };
  result:
    /** The connection is gone. */
    | { skipped: 1 }
    /** `busy`: another job held the connection's drain lock; it drains what this job was queued for. */
    | (DeliveryCounts & { busy?: 1; budgetWaitUntil?: string });
}
