import { normalizeEmail } from './normalize.js';

/** A HubSpot owner or Salesforce user who can own records. */
export interface CrmOwner {
  id: string;
  email: string | null;
  firstName?: string | null;
  lastName?: string | null;
  active: boolean;
}

export interface TeamMember {
  id: string;
  email: string;
}

/** A manual pairing from Settings → Owner mapping; it beats the email match both ways. */
export interface OwnerOverride {
  crmOwnerId: string;
  memberId: string;
}

export interface OwnerResolverInput {
  owners: readonly CrmOwner[];
  members: readonly TeamMember[];
  overrides?: readonly OwnerOverride[];
  /** CRM owner for records whose member has no (active) owner. */
  defaultOwnerId?: string | null;
  /** Member for records whose CRM owner has no member. */
  defaultMemberId?: string | null;
}

export type OwnerMatchVia = 'override' | 'email' | 'default';

export interface OwnerPair {
  memberId: string;
  crmOwnerId: string;
  via: Exclude<OwnerMatchVia, 'default'>;
}

export type OwnerIssueCode = 'unknown_owner' | 'unknown_member' | 'inactive_owner' | 'conflicting_override';

export interface OwnerIssue {
  code: OwnerIssueCode;
  message: string;
  crmOwnerId?: string;
  memberId?: string;
}

export interface OwnerResolver {
  /** The CRM owner to assign a member's records to, or null when none (not even a default). */
  resolveOwnerForExport(memberId: string | null | undefined): { ownerId: string; via: OwnerMatchVia } | null;
  /** The member a CRM owner's records belong to in Conduit, or null. */
  resolveMemberForImport(crmOwnerId: string | null | undefined): { memberId: string; via: OwnerMatchVia } | null;
  /** Owners no member is paired with (active ones only unless asked). */
  unmappedOwners(options?: { includeInactive?: boolean }): CrmOwner[];
  unmappedMembers(): TeamMember[];
  readonly pairs: readonly OwnerPair[];
  /** Overrides and defaults that were ignored, and why. */
  readonly issues: readonly OwnerIssue[];
}

function emailKey(email: string | null | undefined): string | null {
  if (email === null || email === undefined) return null;
  const r = normalizeEmail(email);
  return r.ok ? r.value : null;
}

/**
 * Pairs CRM owners with team members: manual overrides first (each owner and member at most
 * once, the first override wins), then equal normalised emails (an active owner is preferred
 * when several share an address). Export never assigns an inactive owner — CRMs reject
 * deactivated owners — and falls back to the default owner instead. Import keeps pairs with
 * inactive owners, so historical records still land with the right member.
 */
export function createOwnerResolver(input: OwnerResolverInput): OwnerResolver {
  const owners = new Map(input.owners.map((o) => [o.id, o]));
  const members = new Map(input.members.map((m) => [m.id, m]));
  const issues: OwnerIssue[] = [];
  const ownerOf = new Map<string, OwnerPair>();
  const memberOf = new Map<string, OwnerPair>();
  const pair = (p: OwnerPair): void => {
    ownerOf.set(p.memberId, p);
    memberOf.set(p.crmOwnerId, p);
  };

  for (const o of input.overrides ?? []) {
    if (!owners.has(o.crmOwnerId)) {
      issues.push({ code: 'unknown_owner', message: `Override names unknown CRM owner ${o.crmOwnerId}`, crmOwnerId: o.crmOwnerId, memberId: o.memberId });
    } else if (!members.has(o.memberId)) {
      issues.push({ code: 'unknown_member', message: `Override names unknown member ${o.memberId}`, crmOwnerId: o.crmOwnerId, memberId: o.memberId });
    } else if (ownerOf.has(o.memberId) || memberOf.has(o.crmOwnerId)) {
      issues.push({ code: 'conflicting_override', message: `Owner ${o.crmOwnerId} or member ${o.memberId} is already paired by an earlier override`, crmOwnerId: o.crmOwnerId, memberId: o.memberId });
    } else {
      pair({ memberId: o.memberId, crmOwnerId: o.crmOwnerId, via: 'override' });
    }
  }

  const ownersByEmail = new Map<string, CrmOwner[]>();
  for (const o of input.owners) {
    const k = emailKey(o.email);
    if (k !== null && !memberOf.has(o.id)) ownersByEmail.set(k, [...(ownersByEmail.get(k) ?? []), o]);
  }
  for (const m of input.members) {
    const k = emailKey(m.email);
    if (k === null || ownerOf.has(m.id)) continue;
    const candidates = (ownersByEmail.get(k) ?? []).filter((o) => !memberOf.has(o.id));
    const owner = candidates.find((o) => o.active) ?? candidates[0];
    if (owner) pair({ memberId: m.id, crmOwnerId: owner.id, via: 'email' });
  }

  let defaultOwnerId: string | null = null;
  if (input.defaultOwnerId) {
    const d = owners.get(input.defaultOwnerId);
    if (!d) issues.push({ code: 'unknown_owner', message: `Default owner ${input.defaultOwnerId} is not a CRM owner`, crmOwnerId: input.defaultOwnerId });
    else if (!d.active) issues.push({ code: 'inactive_owner', message: `Default owner ${d.id} is inactive`, crmOwnerId: d.id });
    else defaultOwnerId = d.id;
  }
  let defaultMemberId: string | null = null;
  if (input.defaultMemberId) {
    if (members.has(input.defaultMemberId)) defaultMemberId = input.defaultMemberId;
    else issues.push({ code: 'unknown_member', message: `Default member ${input.defaultMemberId} is not a team member`, memberId: input.defaultMemberId });
  }

  const pairs = [...ownerOf.values()];
  return {
    pairs,
    issues,
    resolveOwnerForExport(memberId) {
      const p = memberId ? ownerOf.get(memberId) : undefined;
      if (p && owners.get(p.crmOwnerId)?.active) return { ownerId: p.crmOwnerId, via: p.via };
      return defaultOwnerId === null ? null : { ownerId: defaultOwnerId, via: 'default' };
    },
    resolveMemberForImport(crmOwnerId) {
      const p = crmOwnerId ? memberOf.get(crmOwnerId) : undefined;
      if (p) return { memberId: p.memberId, via: p.via };
      return defaultMemberId === null ? null : { memberId: defaultMemberId, via: 'default' };
    },
    unmappedOwners(options = {}) {
      return input.owners.filter((o) => !memberOf.has(o.id) && (o.active || options.includeInactive === true));
    },
    unmappedMembers() {
      return input.members.filter((m) => !ownerOf.has(m.id));
    },
  };
}
