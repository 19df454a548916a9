import { randomBytes } from 'node:crypto';

export interface AccessTokenRecord {
  accessToken: string;
  refreshToken: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  /** CRM-specific subject, e.g. HubSpot user / Salesforce user id. */
  userId?: string;
}

export interface RefreshTokenRecord {
  refreshToken: string;
  clientId: string;
  scopes: string[];
  userId?: string;
  issuedAt: number;
  revoked: boolean;
}

export interface AuthorizationCodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId?: string;
  expiresAt: number;
  used: boolean;
}

export interface MintedToken {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  expiresAt: number;
  issuedAt: number;
  scopes: string[];
  clientId: string;
  userId?: string;
}

export interface MintInput {
  clientId: string;
  scopes?: string[];
  expiresInSec?: number;
  userId?: string;
}

export type TokenCheck =
  | { ok: true; token: AccessTokenRecord }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

export interface TokenStoreSnapshot {
  access: AccessTokenRecord[];
  refresh: RefreshTokenRecord[];
}

export interface TokenStoreOptions {
  /** Prefix that makes tokens recognisable in logs, e.g. 'hs' or '00D'. */
  prefix: string;
  defaultExpiresInSec: number;
  /** Authorization codes live this long (default 10 minutes). */
  codeTtlSec?: number;
  now?: () => number;
}

/**
 * Access/refresh tokens and authorization codes for one sandbox CRM. Expired access
 * tokens are kept so the server can tell "expired" (401 EXPIRED_*) from "unknown".
 */
export class TokenStore {
  private readonly access = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthorizationCodeRecord>();
  private readonly now: () => number;
  defaultExpiresInSec: number;
  /** Bumped on every change, so persistence knows when to save. */
  version = 0;

  constructor(private readonly opts: TokenStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.defaultExpiresInSec = opts.defaultExpiresInSec;
  }

  private random(kind: string): string {
    return `${this.opts.prefix}-${kind}-${randomBytes(18).toString('base64url')}`;
  }

  /** Mint a new access + refresh token pair (used by the token endpoint and by tests). */
  mint(input: MintInput): MintedToken {
    const refresh: RefreshTokenRecord = {
      refreshToken: this.random('refresh'),
      clientId: input.clientId,
      scopes: input.scopes ?? [],
      issuedAt: this.now(),
      revoked: false,
      ...(input.userId !== undefined ? { userId: input.userId } : {}),
    };
    this.refreshTokens.set(refresh.refreshToken, refresh);
    return this.issueAccess(refresh, input.expiresInSec);
  }

  private issueAccess(refresh: RefreshTokenRecord, expiresInSec?: number): MintedToken {
    const expiresIn = expiresInSec ?? this.defaultExpiresInSec;
    const issuedAt = this.now();
    const record: AccessTokenRecord = {
      accessToken: this.random('access'),
      refreshToken: refresh.refreshToken,
      clientId: refresh.clientId,
      scopes: refresh.scopes,
      issuedAt,
      expiresAt: issuedAt + expiresIn * 1000,
      ...(refresh.userId !== undefined ? { userId: refresh.userId } : {}),
    };
    this.access.set(record.accessToken, record);
    this.version += 1;
    return {
      accessToken: record.accessToken,
      refreshToken: refresh.refreshToken,
      expiresIn,
      expiresAt: record.expiresAt,
      issuedAt,
      scopes: record.scopes,
      clientId: record.clientId,
      ...(record.userId !== undefined ? { userId: record.userId } : {}),
    };
  }

  check(accessToken: string | undefined): TokenCheck {
    if (accessToken === undefined || accessToken === '') return { ok: false, reason: 'missing' };
    const token = this.access.get(accessToken);
    if (token === undefined) return { ok: false, reason: 'unknown' };
    if (token.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, token };
  }

  getAccess(accessToken: string): AccessTokenRecord | undefined {
    return this.access.get(accessToken);
  }

  getRefresh(refreshToken: string): RefreshTokenRecord | undefined {
    const record = this.refreshTokens.get(refreshToken);
    return record && !record.revoked ? record : undefined;
  }

  /** Expire one access token, or every access token when none is given. Returns how many changed. */
  expire(accessToken?: string): number {
    const past = this.now() - 1;
    if (accessToken !== undefined) {
      const token = this.access.get(accessToken);
      if (token === undefined) return 0;
      token.expiresAt = past;
      this.version += 1;
      return 1;
    }
    let count = 0;
    for (const token of this.access.values()) {
      if (token.expiresAt > past) {
        token.expiresAt = past;
        count += 1;
      }
    }
    this.version += 1;
    return count;
  }

  /** New access token for a refresh token (the refresh token itself stays valid). */
  refresh(refreshToken: string, clientId?: string): MintedToken | undefined {
    const record = this.getRefresh(refreshToken);
    if (record === undefined) return undefined;
    if (clientId !== undefined && record.clientId !== clientId) return undefined;
    return this.issueAccess(record);
  }

  /** Revoke a refresh token and every access token issued from it. */
  revokeRefresh(refreshToken: string): boolean {
    const record = this.refreshTokens.get(refreshToken);
    if (record === undefined || record.revoked) return false;
    record.revoked = true;
    this.version += 1;
    for (const [key, token] of this.access) if (token.refreshToken === refreshToken) this.access.delete(key);
    return true;
  }

  /** Revoke a single access token (Salesforce's revoke accepts either kind). */
  revokeAccess(accessToken: string): boolean {
    this.version += 1;
    return this.access.delete(accessToken);
  }

  issueCode(input: { clientId: string; redirectUri: string; scopes: string[]; userId?: string }): string {
    const code = this.random('code');
    this.codes.set(code, {
      code,
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      scopes: input.scopes,
      expiresAt: this.now() + (this.opts.codeTtlSec ?? 600) * 1000,
      used: false,
      ...(input.userId !== undefined ? { userId: input.userId } : {}),
    });
    return code;
  }

  /** Single use: a second redemption fails like the real providers. */
  redeemCode(code: string): AuthorizationCodeRecord | undefined {
    const record = this.codes.get(code);
    if (record === undefined || record.used || record.expiresAt <= this.now()) return undefined;
    record.used = true;
    return record;
  }

  snapshot(): TokenStoreSnapshot {
    return { access: [...this.access.values()], refresh: [...this.refreshTokens.values()] };
  }

  load(snapshot: TokenStoreSnapshot): void {
    this.access.clear();
    this.refreshTokens.clear();
    for (const a of snapshot.access) this.access.set(a.accessToken, a);
    for (const r of snapshot.refresh) this.refreshTokens.set(r.refreshToken, r);
  }

  clear(): void {
    this.access.clear();
    this.refreshTokens.clear();
    this.codes.clear();
    this.version += 1;
  }
}

/** Accept http://localhost:* and http://127.0.0.1:* plus an explicit allow-list. */
export function isAllowedRedirect(redirectUri: string, extra: readonly string[] = []): boolean {
  if (extra.includes(redirectUri)) return true;
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]') return true;
  return extra.some((allowed) => allowed.endsWith('*') ? redirectUri.startsWith(allowed.slice(0, -1)) : false);
}

/** SANDBOX_ALLOWED_REDIRECTS, comma-separated, parsed once at boot by the CLI. */
export function parseAllowedRedirects(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}
