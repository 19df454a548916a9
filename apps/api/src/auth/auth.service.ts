import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { SessionDto } from '@conduit/contracts';
import type { Request } from 'express';
import { IsNull, LessThan, MoreThan, type Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { toUserDto } from '../users/user.dto.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { ApiKey } from './api-key.entity.js';
import type { Caller } from './caller.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { timingDummyHash, verifyPassword } from './password.js';
import { Session } from './session.entity.js';
import { API_KEY_PREFIX, bearerToken, newSecretToken, SESSION_COOKIE, sha256 } from './tokens.js';

@Injectable()
export class AuthService {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
    private readonly throttle: LoginThrottleService,
  ) {}

  /** Checks the credentials and opens a session; the returned token goes into the cookie and nowhere else. */
  async login(email: string, password: string, ip: string | undefined): Promise<{ token: string; expiresAt: Date; session: SessionDto }> {
    const ticket = await this.throttle.begin(email, ip);
    const user = await this.accountFor(email, password);
    if (!user) {
      await this.throttle.failed(ticket);
      throw new UnauthorizedException('Invalid email or password');
    }
    await this.throttle.succeeded(ticket);
    const token = newSecretToken();
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3_600_000);
    await this.sessions.insert({ workspaceId: user.workspaceId, userId: user.id, tokenHash: sha256(token), expiresAt });
    // Housekeeping: expired sessions of this user go away at each login.
    await this.sessions.delete({ userId: user.id, expiresAt: LessThan(new Date()) });
    return { token, expiresAt, session: await this.sessionOf(user) };
  }

  /**
   * The account this email and password open. One email may have accounts in several workspaces (emails are unique
   * per workspace): each is checked, in parallel so the time does not tell how many there are, and the oldest that
   * matches wins. An unknown email costs one check of a dummy hash, like a known one.
   */
  private async accountFor(email: string, password: string): Promise<User | null> {
    const candidates = await this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).orderBy('u.created_at', 'ASC').addOrderBy('u.id').getMany();
    if (candidates.length === 0) {
      await verifyPassword(await timingDummyHash(), password);
      return null;
    }
    const matches = await Promise.all(candidates.map((u) => verifyPassword(u.passwordHash, password)));
    return candidates.find((_, i) => matches[i]) ?? null;
  }

  async logout(caller: Caller): Promise<void> {
    if (caller.kind === 'user') await this.sessions.delete({ id: caller.sessionId, workspaceId: caller.workspaceId });
  }

  async me(caller: Caller & { kind: 'user' }): Promise<SessionDto> {
    const user = await this.users.findOneBy({ id: caller.userId, workspaceId: caller.workspaceId });
    if (!user) throw new UnauthorizedException();
    return this.sessionOf(user);
  }

  /** Resolves the caller of a request from its session cookie or its `Authorization: Bearer` API key. */
  async authenticate(req: Request): Promise<Caller | null> {
    const bearer = bearerToken(req.headers.authorization);
    if (bearer) return this.fromApiKey(bearer);
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    const token = cookies?.[SESSION_COOKIE];
    return token ? this.fromSession(token) : null;
  }

  private async fromSession(token: string): Promise<Caller | null> {
    const session = await this.sessions.findOne({
      where: { tokenHash: sha256(token), expiresAt: MoreThan(new Date()) },
      relations: { user: true },
    });
    if (!session?.user) return null;
    return { kind: 'user', workspaceId: session.workspaceId, userId: session.userId, role: session.user.role, sessionId: session.id };
  }

  private async fromApiKey(key: string): Promise<Caller | null> {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const apiKey = await this.apiKeys.findOneBy({ keyHash: sha256(key), revokedAt: IsNull() });
    if (!apiKey) return null;
    // At most one write a minute per key, not one per request.
    await this.apiKeys
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: () => 'now()' })
      .where(`id = :id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`, { id: apiKey.id })
      .execute();
    return { kind: 'api-key', workspaceId: apiKey.workspaceId, userId: null, role: 'member', apiKeyId: apiKey.id };
  }

  private async sessionOf(user: User): Promise<SessionDto> {
    const workspace = await this.workspaces.findOneByOrFail({ id: user.workspaceId });
    return { user: toUserDto(user), workspace: { id: workspace.id, name: workspace.name } };
  }
}
