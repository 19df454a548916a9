/**
 * Advanced statuses: refinements of an engagement state, derived from the activities Conduit records (issue 6,
 * "Show advanced statuses"). Each has a parent engagement state; the status mapping can give an advanced status its
 * own CRM value, and an advanced status without one uses its parent's.
 *
 * The order of the list is the display order and, within a parent, the rank: a person's advanced status under a
 * parent only moves to a higher-ranked one (a later email after a LinkedIn connection was accepted does not move
 * them back), so the result does not depend on the order activities arrive in.
 *
 * - contacted: the outreach that reached the person, lightest touch first — email_sent < linkedin_connection_requested
 *   < linkedin_message_sent < called < linkedin_connected (the prospect accepted: the only signal from them while
 *   they are merely contacted).
 * - replied_positive: meeting_booked < meeting_held (a meeting logged with outcome `completed`).
 * - not_contacted, replied, replied_negative have no refinements: a reply's channel or a negative reply's follow-up
 *   are not something a CRM status needs.
 */
export const ADVANCED_STATUSES = [
  { status: 'email_sent', parent: 'contacted', label: 'Email sent' },
  { status: 'linkedin_connection_requested', parent: 'contacted', label: 'LinkedIn connection requested' },
  { status: 'linkedin_message_sent', parent: 'contacted', label: 'LinkedIn message sent' },
  { status: 'called', parent: 'contacted', label: 'Called' },
  { status: 'linkedin_connected', parent: 'contacted', label: 'LinkedIn connected' },
  { status: 'meeting_booked', parent: 'replied_positive', label: 'Meeting booked' },
  { status: 'meeting_held', parent: 'replied_positive', label: 'Meeting held' },
] as const;

export type AdvancedStatus = (typeof ADVANCED_STATUSES)[number]['status'];
export type AdvancedStatusParent = (typeof ADVANCED_STATUSES)[number]['parent'];

/** Advanced status → its parent engagement state. */
export const ADVANCED_STATUS_PARENT: Readonly<Record<AdvancedStatus, AdvancedStatusParent>> = Object.fromEntries(ADVANCED_STATUSES.map((s) => [s.status, s.parent])) as Record<
  AdvancedStatus,
  AdvancedStatusParent
>;

const RANK = new Map<string, number>(ADVANCED_STATUSES.map((s, i) => [s.status, i]));

export function isAdvancedStatus(s: unknown): s is AdvancedStatus {
  return typeof s === 'string' && RANK.has(s);
}

/** The parent engagement state of an advanced status; null for anything else. */
export function parentOfStatus(s: string): AdvancedStatusParent | null {
  return isAdvancedStatus(s) ? ADVANCED_STATUS_PARENT[s] : null;
}

/** What an activity says about the person, as the intake receives it (type + type-specific fields). */
export interface StatusActivity {
  type: string;
  direction?: string;
  state?: string;
  outcome?: string;
}

const INBOUND = new Set(['incoming', 'received', 'inbound']);

/**
 * The advanced status an activity shows, or null when it shows none: replies (their sentiment sets the engagement
 * state itself), inbound LinkedIn messages, notes, tasks, and meetings cancelled or missed.
 */
export function advancedStatusOfActivity(a: StatusActivity): AdvancedStatus | null {
  switch (a.type) {
    case 'email_sent':
      return 'email_sent';
    case 'linkedin_connection_request':
      return a.state === 'accepted' ? 'linkedin_connected' : 'linkedin_connection_requested';
    case 'linkedin_message':
      return a.direction !== undefined && INBOUND.has(a.direction) ? null : 'linkedin_message_sent';
    case 'call':
      return 'called';
    case 'meeting':
      if (a.outcome === 'canceled' || a.outcome === 'no_show') return null;
      return a.outcome === 'completed' ? 'meeting_held' : 'meeting_booked';
    default:
      return null;
  }
}

/**
 * A person's advanced statuses as stored: per parent engagement state, the highest-ranked advanced status reached.
 * Kept per parent so a meeting logged before the positive reply arrives is not lost.
 */
export type AdvancedStatusMap = Partial<Record<AdvancedStatusParent, AdvancedStatus>>;

/** Reads a stored map, dropping anything that is not an advanced status under its own parent. */
export function readAdvancedStatusMap(v: unknown): AdvancedStatusMap {
  const out: AdvancedStatusMap = {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [parent, status] of Object.entries(v as Record<string, unknown>)) {
    if (isAdvancedStatus(status) && ADVANCED_STATUS_PARENT[status] === parent) out[parent] = status;
  }
  return out;
}

/** The map after the person reached `status`; null when it does not change (a status of the same or higher rank is held). */
export function mergeAdvancedStatus(current: AdvancedStatusMap, status: AdvancedStatus | null): AdvancedStatusMap | null {
  if (status === null) return null;
  const parent = ADVANCED_STATUS_PARENT[status];
  const held = current[parent];
  if (held !== undefined && (RANK.get(held) ?? -1) >= (RANK.get(status) ?? -1)) return null;
  return { ...current, [parent]: status };
}

/**
 * The statuses under `status`'s parent that a person keeps when they reach `status` (its rank or higher, itself
 * included): the rule of mergeAdvancedStatus as a list, for a single conditional UPDATE in SQL.
 */
export function advancedStatusesHeldOver(status: AdvancedStatus): AdvancedStatus[] {
  const parent = ADVANCED_STATUS_PARENT[status];
  const rank = RANK.get(status) ?? 0;
  return ADVANCED_STATUSES.filter((s) => s.parent === parent && (RANK.get(s.status) ?? 0) >= rank).map((s) => s.status);
}

/** The person's current advanced status: the one held under their current engagement state, if any. */
export function advancedStatusOf(engagementState: string | null | undefined, map: AdvancedStatusMap): AdvancedStatus | null {
  if (!engagementState) return null;
  return map[engagementState as AdvancedStatusParent] ?? null;
}
