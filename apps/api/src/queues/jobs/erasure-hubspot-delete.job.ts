import type { JobName } from '../queue-names.js';

/** HubSpot GDPR deletes of erased people's contacts (ids only: the emails are gone from Conduit by then). */
export interface ErasureHubspotDeleteJob {
  name: JobName.ErasureHubspotDelete;
  payload: { workspaceId: string; connectionId: string; auditId: string; contactIds: string[] };
  result: { deleted: number; notFound: number; failed: number };
}
