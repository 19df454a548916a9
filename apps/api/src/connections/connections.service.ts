import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  CRM_KINDS,
  type AuthorizeConnectionResponse,
  type ConnectionDto,
  type CrmKind,
  type TokenHealth,
} from '@conduit/contracts';
import { type CrmConnectedAccount, crmLabel, isCrmError } from '@conduit/crm';
import { randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { User } from '../users/user.entity.js';
import { ConnectionCredentialsService, REFRESH_AHEAD_MS } from './connection-credentials.service.js';
import { CrmConnectionHealth } from './connection-health.entity.js';
import { CrmConnection } from './connection.entity.js';
import { oauthOf } from './crm-endpoints.js';
import { crmHttpError } from './crm-http-errors.js';
import { crmObjectName, DiscoveryService } from './discovery.service.js';
import { CrmFieldSnapshot } from './field-snapshot.entity.js';
import { CrmFieldMapping } from './field-mapping.entity.js';
import { MappingService } from './mapping.service.js';
import { CallbackError, OAuthStateService } from './oauth-state.service.js';

/** What the CRM handed over on connect, before it is sealed into a row. */
export type ConnectedAccount = CrmConnectedAccount;

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
}

/** Connect (OAuth with a single-use state bound to the admin's session), status, discovery and disconnect. */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    private readonly oauthStates: OAuthStateService,
    @InjectRepository(CrmFieldSnapshot) private readonly snapshots: Repository<CrmFieldSnapshot>,
    @InjectRepository(CrmConnectionHealth) private readonly health: Repository<CrmConnectionHealth>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly credentials: ConnectionCredentialsService,
    private readonly discovery: DiscoveryService,
    private readonly mapping: MappingService,
    private readonly dataSource: DataSource,
  ) {}

  async list(caller: Caller): Promise<ConnectionDto[]> {
    const rows = await this.connections.findBy({ workspaceId: caller.workspaceId });
    return Promise.all(CRM_KINDS.map((crm) => this.toDto(crm, rows.find((r) => r.crm === crm) ?? null)));
  }

  async get(caller: Caller, crm: CrmKind): Promise<ConnectionDto> {
    return this.toDto(crm, await this.connections.findOneBy({ workspaceId: caller.workspaceId, crm }));
  }

  /** The connection of the caller's workspace, or 404. */
  async require(caller: Caller, crm: CrmKind): Promise<CrmConnection> {
    const row = await this.connections.findOneBy({ workspaceId: caller.workspaceId, crm });
    if (!row) throw new NotFoundException(`${label(crm)} is not connected`);
    return row;
  }

  /** The CRM's consent URL, with a state bound to this admin's session (oauth-state.service.ts). */
  async authorize(caller: Caller & { kind: 'user' }, crm: CrmKind): Promise<AuthorizeConnectionResponse> {
    const state = await this.oauthStates.issue(caller, crm);
    return { url: oauthOf(this.config, crm).authorizeUrl(state) };
  }

  /**
   * The CRM's redirect back. Checks the state (oauth-state.service.ts: known, unused, unexpired, same session), exchanges the code,
   * stores the connection and runs discovery. Answers where to send the browser: the Integrations page with
   * `?connected=<crm>` or `?crm=<crm>&error=<code>`.
   */
  async callback(caller: Caller | null, crm: CrmKind, query: CallbackQuery): Promise<string> {
    const back = new URL('/settings/integrations', this.config.adminOrigin);
    try {
      const state = await this.oauthStates.consume(caller, crm, query.state);
      if (query.error) throw new CallbackError('access_denied');
      if (!query.code) throw new CallbackError('exchange_failed');
      const account = await oauthOf(this.config, crm).exchange(query.code);
      const connection = await this.store(state.workspaceId, state.userId, crm, account);
      await this.afterConnect(connection);
      back.searchParams.set('connected', crm);
    } catch (err) {
      const code = err instanceof CallbackError ? err.code : 'exchange_failed';
      if (!(err instanceof CallbackError)) this.logger.warn({ msg: 'crm connect failed', crm, error: isCrmError(err) ? err.toJSON() : (err as Error).message });
      else this.logger.warn({ msg: 'crm connect refused', crm, reason: code });
      back.searchParams.set('crm', crm);
      back.searchParams.set('error', code);
    }
    return back.toString();
  }

  async discover(caller: Caller, crm: CrmKind): Promise<ConnectionDto> {
    const connection = await this.requireConnected(caller, crm);
    try {
      await this.discovery.discover(connection);
    } catch (err) {
      throw crmHttpError(err);
    }
    return this.toDto(crm, await this.require(caller, crm));
  }

  /** Revokes at the CRM (best effort), then deletes tokens, mapping, cached fields and sync settings with the row. */
  async disconnect(caller: Caller, crm: CrmKind): Promise<void> {
    const connection = await this.require(caller, crm);
    try {
      const refreshToken = this.credentials.revealRefreshToken(connection);
      if (refreshToken) await oauthOf(this.config, crm).revoke(refreshToken);
    } catch (err) {
      // The CRM being down must not keep tokens here: they are deleted regardless, and the admin can revoke the app in the CRM.
      this.logger.warn({ msg: 'could not revoke the token at the CRM; deleting it here anyway', crm, error: isCrmError(err) ? err.toJSON() : (err as Error).message });
    }
    await this.connections.delete({ id: connection.id, workspaceId: caller.workspaceId });
    this.logger.log({ msg: 'crm disconnected', crm, workspaceId: caller.workspaceId, connectionId: connection.id });
  }

  async requireConnected(caller: Caller, crm: CrmKind): Promise<CrmConnection> {
    const connection = await this.require(caller, crm);
    if (connection.status !== 'connected') throw new ConflictException(`${label(crm)} needs to be reconnected`);
    return connection;
  }

  /**
   * Stores (or, on reconnect, updates) the workspace's connection with sealed tokens. A reconnect to a different
   * account starts over: its cached fields and mapping belonged to the old account.
   */
  async store(workspaceId: string, userId: string | null, crm: CrmKind, account: ConnectedAccount): Promise<CrmConnection> {
    return this.dataSource.transaction(async (tx) => {
      const existing = await tx.findOne(CrmConnection, { where: { workspaceId, crm }, lock: { mode: 'pessimistic_write' } });
      const id = existing?.id ?? randomUUID();
      if (existing && existing.accountId !== account.accountId) {
        await tx.delete(CrmFieldSnapshot, { connectionId: id });
        await tx.delete(CrmFieldMapping, { connectionId: id });
      }
      const row = tx.create(CrmConnection, {
        ...(existing ?? {}),
        id,
        workspaceId,
        crm,
        status: 'connected',
        accountId: account.accountId,
        accountName: account.accountName,
        organizationName: account.organizationName ?? null,
        crmUsername: account.username ?? null,
        instanceUrl: account.instanceUrl,
        scopes: account.scopes,
        connectedByUserId: userId,
        connectedAt: new Date(),
        lastRefreshedAt: null,
        lastError: null,
        ...this.credentials.sealTokens(id, account.tokens),
      });
      return tx.save(row);
    });
  }

  /**
   * Discovery, the HubSpot property the default mapping writes, then default mapping rows (checked against the
   * discovered fields). A CRM failure here leaves the connection usable: the schedule discovers again later.
   */
  async afterConnect(connection: CrmConnection): Promise<void> {
    try {
      await this.discovery.discover(connection);
      if (await this.discovery.ensureHubspotReasoningProperty(connection)) await this.discovery.discover(connection);
    } catch (err) {
      this.logger.warn({ msg: 'discovery after connect failed; the schedule will retry', crm: connection.crm, error: isCrmError(err) ? err.toJSON() : (err as Error).message });
    }
    await this.mapping.ensureDefaults(connection);
  }

  private async toDto(crm: CrmKind, row: CrmConnection | null): Promise<ConnectionDto> {
    if (!row) {
      return {
        id: null,
        crm,
        state: 'not_connected',
        accountId: null,
        accountName: null,
        instanceUrl: null,
        connectedBy: null,
        connectedAt: null,
        scopes: [],
        tokenHealth: null,
        tokenExpiresAt: null,
        lastError: null,
        lastDiscoveryAt: null,
        discovery: [],
        health: null,
      };
    }
    const user = row.connectedByUserId ? await this.users.findOneBy({ id: row.connectedByUserId, workspaceId: row.workspaceId }) : null;
    const snapshots = await this.snapshots.findBy({ connectionId: row.id });
    const health = await this.health.findOneBy({ connectionId: row.id, workspaceId: row.workspaceId });
    return {
      id: row.id,
      crm,
      state: row.status,
      accountId: row.accountId,
      accountName: row.accountName,
      instanceUrl: row.instanceUrl,
      connectedBy: user ? { id: user.id, name: user.name } : null,
      connectedAt: row.connectedAt.toISOString(),
      scopes: row.scopes,
      tokenHealth: tokenHealth(row),
      tokenExpiresAt: row.accessTokenExpiresAt?.toISOString() ?? null,
      lastError: row.lastError,
      lastDiscoveryAt: row.lastDiscoveryAt?.toISOString() ?? null,
      discovery: snapshots
        .sort((a, b) => a.object.localeCompare(b.object))
        .map((s) => ({
          object: crmObjectName(row.crm, s.object as Parameters<typeof crmObjectName>[1]),
          fieldCount: s.fields.length,
          customFieldCount: s.fields.filter((f) => f.custom).length,
          discoveredAt: s.discoveredAt.toISOString(),
          drift: s.drift,
          driftDetectedAt: s.driftDetectedAt?.toISOString() ?? null,
        })),
      health:
        health?.failingSince && health.lastFailureAt
          ? { failingSince: health.failingSince.toISOString(), lastFailureAt: health.lastFailureAt.toISOString(), lastError: health.lastError ?? '', failures: health.failures }
          : null,
    };
  }
}

function tokenHealth(row: CrmConnection): TokenHealth {
  if (row.status === 'needs_reconnect' || !row.accessTokenEnc) return 'needs_reconnect';
  if (row.accessTokenExpiresAt && row.accessTokenExpiresAt.getTime() - Date.now() < REFRESH_AHEAD_MS) return 'expiring';
  return 'ok';
}

function label(crm: CrmKind): string {
  return crmLabel(crm);
}
