import type { ApiFeature } from '@conduit/contracts';

/**
 * Where the connections feature counts the CRM calls it makes itself — field discovery (describe calls) and OAuth token
 * refreshes — in the connection's API usage by feature (#17). Provided by the CRM runtime (its ApiBudgetService), which
 * sits above connections: the runtime's clients count every other call as they admit it.
 */
export interface CrmCallCounter {
  count(connection: { id: string; workspaceId: string }, feature: Extract<ApiFeature, 'discovery' | 'token_refresh'>, calls: number): void;
}

export const CRM_CALL_COUNTER = Symbol('CrmCallCounter');
