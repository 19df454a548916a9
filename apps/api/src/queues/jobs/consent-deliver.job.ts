import type { JobName } from '../queue-names.js';

/** Writes a connection's pending consent events (unsubscribe, hard bounce, spam complaint) to the CRM (drains all; extra jobs are no-ops). */
export interface ConsentDeliverJob {
  name: JobName.ConsentDeliver;
  payload: { workspaceId: string; connectionId: string };
  /** Deliveries one drain pass settled, by outcome. */
  result: { delivered: number; waiting: number; failed: number };
}
