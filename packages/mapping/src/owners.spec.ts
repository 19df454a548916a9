import { describe, expect, it } from '@jest/globals';
import { createOwnerResolver, type CrmOwner, type OwnerResolverInput, type TeamMember } from './owners.js';

const owners: CrmOwner[] = [
  { id: 'o1', email: 'Ada@Acme.com', firstName: 'Ada', lastName: 'Lovelace', active: true },
  { id: 'o2', email: 'grace@acme.com', firstName: 'Grace', lastName: 'Hopper', active: true },
  { id: 'o3', email: 'old.rep@acme.com', firstName: 'Old', lastName: 'Rep', active: false },
  { id: 'o4', email: 'katherine@acme.com', active: true },
  { id: 'o5', email: null, firstName: 'Queue', active: true },
  { id: 'o6', email: 'dup@acme.com', active: false },
  { id: 'o7', email: 'dup@acme.com', active: true },
  { id: 'o8', email: 'sales-lead@acme.com', active: true },
];
const members: TeamMember[] = [
  { id: 'm1', email: ' ada@acme.com ' },
  { id: 'm2', email: 'grace.hopper@acme.com' },
  { id: 'm3', email: 'old.rep@acme.com' },
  { id: 'm4', email: 'dup@ACME.com' },
  { id: 'm5', email: 'not an email' },
  { id: 'm6', email: 'dorothy@acme.com' },
];

const resolver = (extra: Partial<OwnerResolverInput> = {}) => createOwnerResolver({ owners, members, ...extra });

describe('owner pairing', () => {
  it('pairs by normalised email, preferring an active owner when several share it', () => {
    expect(resolver().pairs).toEqual([
      { memberId: 'm1', crmOwnerId: 'o1', via: 'email' },
      { memberId: 'm3', crmOwnerId: 'o3', via: 'email' },
      { memberId: 'm4', crmOwnerId: 'o7', via: 'email' },
    ]);
  });

  it('lets overrides beat the email match', () => {
    const r = resolver({ overrides: [{ crmOwnerId: 'o2', memberId: 'm2' }, { crmOwnerId: 'o4', memberId: 'm1' }] });
    expect(r.pairs).toEqual([
      { memberId: 'm2', crmOwnerId: 'o2', via: 'override' },
      { memberId: 'm1', crmOwnerId: 'o4', via: 'override' },
      { memberId: 'm3', crmOwnerId: 'o3', via: 'email' },
      { memberId: 'm4', crmOwnerId: 'o7', via: 'email' },
    ]);
    // o1 lost its member to the override, so it is unmapped now.
    expect(r.unmappedOwners().map((o) => o.id)).toEqual(['o1', 'o5', 'o8']);
  });

  it('ignores overrides naming unknown ids or pairing someone twice, and says so', () => {
    const r = resolver({
      overrides: [
        { crmOwnerId: 'o2', memberId: 'm2' },
        { crmOwnerId: 'o2', memberId: 'm6' },
        { crmOwnerId: 'o8', memberId: 'm2' },
        { crmOwnerId: 'nope', memberId: 'm6' },
        { crmOwnerId: 'o8', memberId: 'ghost' },
      ],
    });
    expect(r.issues.map((i) => i.code)).toEqual(['conflicting_override', 'conflicting_override', 'unknown_owner', 'unknown_member']);
    expect(r.resolveOwnerForExport('m6')).toBeNull();
    expect(r.resolveOwnerForExport('m2')).toEqual({ ownerId: 'o2', via: 'override' });
  });
});

describe('resolveOwnerForExport', () => {
  const r = resolver({ defaultOwnerId: 'o8' });
  it.each<[string | null | undefined, { ownerId: string; via: string } | null]>([
    ['m1', { ownerId: 'o1', via: 'email' }],
    ['m4', { ownerId: 'o7', via: 'email' }],
    ['m3', { ownerId: 'o8', via: 'default' }], // paired owner is inactive
    ['m6', { ownerId: 'o8', via: 'default' }], // no owner
    ['m5', { ownerId: 'o8', via: 'default' }], // invalid email
    ['ghost', { ownerId: 'o8', via: 'default' }],
    [null, { ownerId: 'o8', via: 'default' }],
    [undefined, { ownerId: 'o8', via: 'default' }],
  ])('%p → %p', (memberId, expected) => {
    expect(r.resolveOwnerForExport(memberId)).toEqual(expected);
  });

  it('returns null without a default', () => {
    expect(resolver().resolveOwnerForExport('m6')).toBeNull();
  });

  it.each<[string, string]>([
    ['ghost', 'unknown_owner'],
    ['o3', 'inactive_owner'],
  ])('ignores default owner %s (%s)', (defaultOwnerId, code) => {
    const x = resolver({ defaultOwnerId });
    expect(x.issues.map((i) => i.code)).toEqual([code]);
    expect(x.resolveOwnerForExport('m6')).toBeNull();
  });
});

describe('resolveMemberForImport', () => {
  const r = resolver({ defaultMemberId: 'm6' });
  it.each<[string | null | undefined, { memberId: string; via: string } | null]>([
    ['o1', { memberId: 'm1', via: 'email' }],
    ['o3', { memberId: 'm3', via: 'email' }], // inactive owners keep their member on import
    ['o7', { memberId: 'm4', via: 'email' }],
    ['o6', { memberId: 'm6', via: 'default' }],
    ['o2', { memberId: 'm6', via: 'default' }],
    ['unknown', { memberId: 'm6', via: 'default' }],
    [null, { memberId: 'm6', via: 'default' }],
  ])('%p → %p', (ownerId, expected) => {
    expect(r.resolveMemberForImport(ownerId)).toEqual(expected);
  });

  it('returns null without a default, and ignores an unknown default member', () => {
    expect(resolver().resolveMemberForImport('o2')).toBeNull();
    const x = resolver({ defaultMemberId: 'ghost' });
    expect(x.issues.map((i) => i.code)).toEqual(['unknown_member']);
    expect(x.resolveMemberForImport('o2')).toBeNull();
  });
});

describe('unmapped owners and members', () => {
  it('lists active unmapped owners, or all of them on request', () => {
    const r = resolver();
    expect(r.unmappedOwners().map((o) => o.id)).toEqual(['o2', 'o4', 'o5', 'o8']);
    expect(r.unmappedOwners({ includeInactive: true }).map((o) => o.id)).toEqual(['o2', 'o4', 'o5', 'o6', 'o8']);
    expect(r.unmappedMembers().map((m) => m.id)).toEqual(['m2', 'm5', 'm6']);
  });

  it('handles empty lists', () => {
    const r = createOwnerResolver({ owners: [], members: [] });
    expect(r.pairs).toEqual([]);
    expect(r.unmappedOwners()).toEqual([]);
    expect(r.resolveOwnerForExport('m1')).toBeNull();
  });
});
