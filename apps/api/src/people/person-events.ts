import type { EngagementState } from '@conduit/contracts';

/**
 * Told after people's engagement state or lead status changed (committed). The export feature listens to export people
 * automatically when they reach the connection's policy level; the people feature does not know about CRMs.
 */
export interface PersonEngagementListener {
  engagementChanged(workspaceId: string, changes: readonly { personId: string; engagementState: EngagementState }[]): Promise<void>;
}

export const PERSON_ENGAGEMENT_LISTENER = Symbol('PersonEngagementListener');
