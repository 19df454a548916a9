/**
 * Told after a connection's mapping of people (`contact`) or companies was saved or reset with different rows
 * (committed). The sync feature listens to re-apply the new mapping to records already imported; the connections
 * feature does not know about sync runs.
 */
export interface MappingChangedListener {
  mappingChanged(workspaceId: string, connectionId: string, mapped: 'contact' | 'company'): Promise<unknown>;
}

export const MAPPING_CHANGED_LISTENER = Symbol('MappingChangedListener');
