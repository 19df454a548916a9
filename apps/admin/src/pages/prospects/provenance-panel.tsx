import { EntityProvenancePanel } from '../sync/provenance-table';

/** "Why is this value here?": where each field's current value came from (GET /people/:id/provenance). */
export function ProvenancePanel({ personId }: { personId: string }) {
  return <EntityProvenancePanel entity="person" id={personId} />;
}
