import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createCrmAdapter, type CrmAdapter, type CrmAdapterOptions, type CrmCredentials, CrmError, crmLabel, type CrmTokenSet } from '@conduit/crm';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { CrmConnection } from './connection.entity.js';
import { CRM_CALL_COUNTER, type CrmCallCounter } from './crm-call-counter.js';
import { adapterEndpoints, oauthOf } from './crm-endpoints.js';
import { TokenVault } from './token-vault.js';

/** Refresh ahead of expiry when less than this is left (a sync batch should not start on a dying token). */
export const REFRESH_AHEAD_MS = 2 * 60_000;
const LOCK_TTL_MS = 60_000;
const LOCK_WAIT_MS = 60_000;
const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_RETRY_AFTER_MS = 30_000;

/** Releases the lock only if we still hold it (our random token), so a slow holder cannot free someone else's. */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Tokens to seal (the CRM's answer, see CrmOAuth in packages/crm). */
export type TokenSet = Pick<CrmTokenSet, 'accessToken' | 'refreshToken' | 'expiresAt'>;

const accessContext = (id: string) => `crm_connection:${id}:access_token`;
const refreshContext = (id: string) => `crm_connection:${id}:refresh_token`;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The only place that decrypts CRM tokens. Hands adapters `{ accessToken, instanceUrl }` plus a `refresh`
 * callback; refreshes ahead of expiry and on 401, single-flight per connection: one promise per connection
 * in this process, and a Redis lock (SET NX PX) across processes, re-reading the row once the lock is held so a
 * refresh another worker just did is reused instead of repeated.
 */
@Injectable()
export class ConnectionCredentialsService implements OnModuleDestroy {
  private readonly logger = new Logger(ConnectionCredentialsService.name);
  private readonly vault: TokenVault;
  private readonly redis: Redis;
  private readonly inflight = new Map<string, Promise<CrmCredentials>>();

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    @Inject(CRM_CALL_COUNTER) private readonly counter: CrmCallCounter,
  ) {
    this.vault = new TokenVault(config.encryptionKeys);
    this.redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 2000 });
    this.redis.on('error', (err: Error) => this.logger.warn({ msg: 'redis error (refresh locks)', error: err.message }));
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }

  /** Encrypted columns for a token set, bound to the connection id. */
  sealTokens(connectionId: string, tokens: TokenSet): Pick<CrmConnection, 'accessTokenEnc' | 'refreshTokenEnc' | 'tokenKeyId' | 'accessTokenExpiresAt'> {
    return {
      accessTokenEnc: this.vault.encrypt(tokens.accessToken, accessContext(connectionId)),
      refreshTokenEnc: tokens.refreshToken === null ? null : this.vault.encrypt(tokens.refreshToken, refreshContext(connectionId)),
      tokenKeyId: this.vault.currentKeyId,
      accessTokenExpiresAt: tokens.expiresAt,
    };
  }

  /** The refresh token, for revoking it at the CRM on disconnect. */
  revealRefreshToken(connection: CrmConnection): string | null {
    return connection.refreshTokenEnc ? this.vault.decrypt(connection.refreshTokenEnc, refreshContext(connection.id)) : null;
  }

  revealAccessToken(connection: CrmConnection): string | null {
    return connection.accessTokenEnc ? this.vault.decrypt(connection.accessTokenEnc, accessContext(connection.id)) : null;
  }

  /** Current credentials, refreshed first when the access token ends within REFRESH_AHEAD_MS. */
  async credentials(connectionId: string): Promise<CrmCredentials> {
    const row = await this.load(connectionId);
    if (expiringSoon(row)) return this.refresh(connectionId);
    const accessToken = this.revealAccessToken(row);
    if (!accessToken) throw revoked(row, 'The connection has no access token: connect again');
    await this.rotateKeyIfNeeded(row);
    return { accessToken, ...(row.instanceUrl ? { instanceUrl: row.instanceUrl } : {}) };
  }

  /**
   * An adapter for the connection whose `refresh` callback goes through the single-flight refresh. `options` are the
   * caller's hooks (the CRM runtime's budget and request accounting, a timeout); features get their adapters from
   * the CRM runtime (crm-runtime/crm-clients.service.ts), which calls this.
   */
  async adapterFor(connection: Pick<CrmConnection, 'id' | 'crm'>, options: CrmAdapterOptions = {}): Promise<CrmAdapter> {
    const credentials = await this.credentials(connection.id);
    let current = credentials.accessToken;
    return createCrmAdapter(connection.crm, credentials, {
      ...adapterEndpoints(this.config),
      ...options,
      refresh: async () => {
        const next = await this.refresh(connection.id, current);
        current = next.accessToken;
        return next;
      },
    });
  }

  /**
   * Single-flight refresh. `failedToken` is the access token the CRM just refused: if the stored token already
   * differs, another caller refreshed meanwhile and its result is returned without calling the CRM.
   */
  refresh(connectionId: string, failedToken?: string): Promise<CrmCredentials> {
    const running = this.inflight.get(connectionId);
    if (running) return running;
    const promise = this.refreshUnderLock(connectionId, failedToken).finally(() => this.inflight.delete(connectionId));
    this.inflight.set(connectionId, promise);
    return promise;
  }

  private async refreshUnderLock(connectionId: string, failedToken: string | undefined): Promise<CrmCredentials> {
    const lockKey = `${this.config.queuePrefix}:crm-refresh-lock:${connectionId}`;
    const holder = randomUUID();
    const deadline = Date.now() + LOCK_WAIT_MS;
    let locked = false;
    try {
      while ((await this.redis.set(lockKey, holder, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new CrmError({ kind: 'transient', cause: 'timeout' }, { crm: (await this.load(connectionId)).crm, message: 'Timed out waiting for another token refresh' });
        await sleep(100);
      }
      locked = true;
    } catch (err) {
      if (err instanceof CrmError) throw err;
      // Redis unreachable: the queues are stopped too, so only this process refreshes (its own promise dedupes).
      this.logger.warn({ msg: 'refresh lock unavailable; refreshing without it', connectionId, error: (err as Error).message });
    }
    try {
      // Re-read under the lock: the previous holder may have stored fresh tokens.
      const row = await this.load(connectionId);
      if (row.status === 'needs_reconnect') throw revoked(row, row.lastError ?? 'The CRM revoked access: connect again');
      const stored = this.revealAccessToken(row);
      const stale = failedToken !== undefined ? stored === failedToken : expiringSoon(row);
      if (stored && !stale) return { accessToken: stored, ...(row.instanceUrl ? { instanceUrl: row.instanceUrl } : {}) };
      return await this.refreshAtCrm(row);
    } finally {
      if (locked) await this.redis.eval(RELEASE_LOCK, 1, lockKey, holder).catch((err: unknown) => this.logger.warn({ msg: 'could not release refresh lock', error: (err as Error).message }));
    }
  }

  private async refreshAtCrm(row: CrmConnection): Promise<CrmCredentials> {
    const refreshToken = this.revealRefreshToken(row);
    if (!refreshToken) throw await this.markRevoked(row, 'No refresh token is stored: connect again');
    for (let attempt = 0; ; attempt++) {
      try {
        // Each attempt is a call at the CRM's token endpoint (the usage by feature counts it, a refused one too).
        this.counter.count(row, 'token_refresh', 1);
        const next = await oauthOf(this.config, row.crm).refresh(refreshToken);
        await this.connections.update(
          { id: row.id, workspaceId: row.workspaceId },
          {
            ...this.sealTokens(row.id, { accessToken: next.accessToken, refreshToken: next.refreshToken ?? refreshToken, expiresAt: next.expiresAt }),
            ...(next.instanceUrl ? { instanceUrl: next.instanceUrl } : {}),
            lastRefreshedAt: new Date(),
            lastError: null,
          },
        );
        this.logger.log({ msg: 'crm token refreshed', connectionId: row.id, crm: row.crm });
        const instanceUrl = next.instanceUrl ?? row.instanceUrl;
        return { accessToken: next.accessToken, ...(instanceUrl ? { instanceUrl } : {}) };
      } catch (err) {
        if (err instanceof CrmError && err.kind === 'auth_revoked') throw await this.markRevoked(row, `${crmName(row)} refused the refresh token (${err.crmCode ?? 'revoked'}): connect again`);
        if (err instanceof CrmError && err.details.kind === 'rate_limited' && attempt < MAX_RATE_LIMIT_RETRIES) {
          const waitMs = Math.min(Math.max(err.details.retryAfterMs, 100), MAX_RETRY_AFTER_MS);
          this.logger.warn({ msg: 'token refresh rate limited; waiting Retry-After', connectionId: row.id, waitMs });
          await sleep(waitMs);
          continue;
        }
        throw err;
      }
    }
  }

  /** The CRM no longer honours the grant: drop the dead tokens and ask an admin to reconnect. */
  private async markRevoked(row: CrmConnection, message: string): Promise<CrmError> {
    await this.connections.update(
      { id: row.id, workspaceId: row.workspaceId },
      { status: 'needs_reconnect', lastError: message, accessTokenEnc: null, refreshTokenEnc: null, accessTokenExpiresAt: null },
    );
    this.logger.warn({ msg: 'crm connection needs reconnect', connectionId: row.id, crm: row.crm });
    return revoked(row, message);
  }

  /** Values under a retired key are re-encrypted with the current one the next time they are read. */
  private async rotateKeyIfNeeded(row: CrmConnection): Promise<void> {
    if (!row.accessTokenEnc || !this.vault.needsRotation(row.accessTokenEnc)) return;
    const accessToken = this.revealAccessToken(row);
    if (!accessToken) return;
    await this.connections.update(
      { id: row.id, workspaceId: row.workspaceId, accessTokenEnc: row.accessTokenEnc },
      this.sealTokens(row.id, { accessToken, refreshToken: this.revealRefreshToken(row), expiresAt: row.accessTokenExpiresAt }),
    );
  }

  private async load(id: string): Promise<CrmConnection> {
    const row = await this.connections.findOneBy({ id });
    if (!row) throw new Error(`CRM connection ${id} no longer exists`);
    return row;
  }
}

function expiringSoon(row: CrmConnection): boolean {
  return row.accessTokenExpiresAt !== null && row.accessTokenExpiresAt.getTime() - Date.now() < REFRESH_AHEAD_MS;
}

function crmName(row: CrmConnection): string {
  return crmLabel(row.crm);
}

function revoked(row: CrmConnection, message: string): CrmError {
  return new CrmError({ kind: 'auth_revoked' }, { crm: row.crm, message });
}
