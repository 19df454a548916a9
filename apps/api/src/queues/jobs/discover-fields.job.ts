import type { JobName } from '../queue-names.js';

/** Re-reads a CRM connection's fields and records drift (enqueued per connection by the discovery schedule). */
export interface DiscoverFieldsJob {
  name: JobName.DiscoverFields;
  payload: { workspaceId: string; connectionId: string };
  result:
    /** Disconnected or waiting for a reconnect since the job was queued: nothing to discover. */
    | { skipped: true }
    | { objects: { object: string; fields: number; drift: boolean }[] };
}
