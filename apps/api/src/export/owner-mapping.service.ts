import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { OwnerMappingDto, UpdateOwnerMappingBody } from '@conduit/contracts';
import type { CrmAdapter } from '@conduit/crm';
import { createOwnerResolver, type CrmOwner } from '@conduit/mapping';
import type { Repository } from 'typeorm';
import type { CrmConnection } from '../connections/connection.entity.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { User } from '../users/user.entity.js';
import { CrmExportSettings } from './export-settings.entity.js';

/** CRM owners change rarely; an export reuses the cached list for this long before listing them again. */
export const OWNERS_TTL_MS = 60 * 60_000;

/**
 * Owner mapping: the CRM's owners (HubSpot owners, Salesforce active users) paired with team members — by equal
 * email automatically, by the admin's overrides otherwise — and a fallback owner for everyone else.
 */
@Injectable()
export class OwnerMappingService {
  constructor(
    @InjectRepository(CrmExportSettings) private readonly settings: Repository<CrmExportSettings>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** The CRM's owners, from the cache unless stale or `refresh`. */
  async owners(connection: CrmConnection, settings: CrmExportSettings, adapter: CrmAdapter, refresh = false): Promise<CrmOwner[]> {
    const fresh = settings.ownersCache && settings.ownersFetchedAt && Date.now() - settings.ownersFetchedAt.getTime() < OWNERS_TTL_MS;
    if (fresh && !refresh) return settings.ownersCache!;
    const listed = await withCrmRetry(() => adapter.listOwners());
    const owners: CrmOwner[] = listed.map((o) => ({ id: o.id, email: o.email, firstName: o.firstName, lastName: o.lastName, active: o.active }));
    settings.ownersCache = owners;
    settings.ownersFetchedAt = new Date();
    await this.settings.update({ connectionId: connection.id, workspaceId: connection.workspaceId }, { ownersCache: owners, ownersFetchedAt: settings.ownersFetchedAt });
    return owners;
  }

  async view(connection: CrmConnection, settings: CrmExportSettings, adapter: CrmAdapter): Promise<OwnerMappingDto> {
    const owners = await this.owners(connection, settings, adapter, true);
    const members = await this.users.find({ where: { workspaceId: connection.workspaceId }, select: { id: true, email: true } });
    const resolver = createOwnerResolver({ owners, members, overrides: settings.ownerOverrides, defaultOwnerId: settings.defaultOwnerId });
    const pairOf = new Map(resolver.pairs.map((p) => [p.crmOwnerId, p]));
    return {
      crm: connection.crm,
      owners: owners.map((o) => ({
        id: o.id,
        email: o.email,
        name: [o.firstName, o.lastName].filter(Boolean).join(' ') || (o.email ?? o.id),
        active: o.active,
        memberId: pairOf.get(o.id)?.memberId ?? null,
        via: pairOf.get(o.id)?.via ?? null,
      })),
      unmappedOwnerIds: resolver.unmappedOwners().map((o) => o.id),
      unmappedMemberIds: resolver.unmappedMembers().map((m) => m.id),
      overrides: settings.ownerOverrides,
      defaultOwnerId: settings.defaultOwnerId,
      issues: resolver.issues.map((i) => ({ code: i.code, message: i.message })),
    };
  }

  /** Overrides must name known owners and members of the workspace; the fallback must be an active owner. */
  async save(connection: CrmConnection, settings: CrmExportSettings, adapter: CrmAdapter, body: UpdateOwnerMappingBody): Promise<OwnerMappingDto> {
    const owners = await this.owners(connection, settings, adapter, true);
    const members = await this.users.find({ where: { workspaceId: connection.workspaceId }, select: { id: true, email: true } });
    const ownerIds = new Set(owners.map((o) => o.id));
    const memberIds = new Set(members.map((m) => m.id));
    const errors: { field: string; messages: string[] }[] = [];
    body.overrides.forEach((o, i) => {
      if (!ownerIds.has(o.crmOwnerId)) errors.push({ field: `overrides.${i}.crmOwnerId`, messages: [`${o.crmOwnerId} is not an owner in the CRM`] });
      if (!memberIds.has(o.memberId)) errors.push({ field: `overrides.${i}.memberId`, messages: [`${o.memberId} is not a team member`] });
    });
    if (body.defaultOwnerId !== null) {
      const owner = owners.find((o) => o.id === body.defaultOwnerId);
      if (!owner || !owner.active) errors.push({ field: 'defaultOwnerId', messages: [`${body.defaultOwnerId} is not an active owner in the CRM`] });
    }
    if (errors.length) throw new BadRequestException({ statusCode: 400, message: errors.flatMap((e) => e.messages).join('; '), errors });
    settings.ownerOverrides = body.overrides.map((o) => ({ crmOwnerId: o.crmOwnerId, memberId: o.memberId }));
    settings.defaultOwnerId = body.defaultOwnerId;
    await this.settings.update({ connectionId: connection.id, workspaceId: connection.workspaceId }, { ownerOverrides: settings.ownerOverrides, defaultOwnerId: settings.defaultOwnerId });
    return this.view(connection, settings, adapter);
  }
}
