import { EntityProvenancePanel } from '../sync/provenance-table';

/** "Why is this value here?": where each field's current value came from (GET /people/:id/provenance). */
export function ProvenancePanel({ personId, name }: { personId: string; name: string }) {
  return <EntityProvenancePanel entity="person" id={personId} recordName={name} />;
}
