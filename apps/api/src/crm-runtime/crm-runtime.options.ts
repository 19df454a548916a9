import type { CrmAdapter, CrmKind, CrmRateLimits } from '@conduit/crm';

/** The connection a CRM client is for: enough to pick its CRM and scope its budget. */
export interface CrmConnectionRef {
  id: string;
  workspaceId: string;
  crm: CrmKind;
}

/**
 * How the CRM runtime is set up for one process. Production passes nothing: every connection gets its CRM's
 * budgets from `packages/crm` metadata and the adapter as built. A benchmark configures the runtime here instead of
 * patching it (a limits override, or a decorator that replays recorded pages).
 */
export interface CrmRuntimeOptions {
  /**
   * Budgets to use instead of the CRM metadata's, per CRM and budget. Per connection (e.g. a customer with a raised
   * HubSpot limit) is the next step: CrmRateLimitsService.for() already receives the connection.
   */
  limits?: Partial<Record<CrmKind, Partial<CrmRateLimits>>>;
  /** Wraps every adapter the runtime hands out (after budget, accounting and refresh are wired). */
  decorateAdapter?: (adapter: CrmAdapter, connection: CrmConnectionRef) => CrmAdapter;
  /**
   * The clock of the daily API budget (epoch ms; default Date.now): the day's start and reset, usage hours, pause and
   * resume times. Tests pass the CRM sandbox's limits clock, so `clock/advance` to the reset moves Conduit's day too.
   */
  now?: () => number;
}

export const CRM_RUNTIME_OPTIONS = Symbol('CrmRuntimeOptions');
