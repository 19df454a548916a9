import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ConnectionErrorCode, CrmKind } from '@conduit/contracts';
import { randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { sha256 } from '../auth/tokens.js';
import { CrmOAuthState } from './oauth-state.entity.js';

export const STATE_TTL_MS = 10 * 60_000;

/** A refused OAuth callback, with the code the Integrations page shows. */
export class CallbackError extends Error {
  constructor(readonly code: ConnectionErrorCode) {
    super(code);
  }
}

/**
 * The OAuth `state` of a connect attempt: issued bound to the admin's session, user and workspace (only its SHA-256
 * is stored, 10 minutes, single use), and checked when the CRM sends the browser back.
 */
@Injectable()
export class OAuthStateService {
  constructor(@InjectRepository(CrmOAuthState) private readonly states: Repository<CrmOAuthState>) {}

  /** A new state for this admin's session. */
  async issue(caller: Caller & { kind: 'user' }, crm: CrmKind): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    // Housekeeping: states are useless once expired; keep a day of them for "expired" (vs "unknown") answers.
    await this.states.createQueryBuilder().delete().where(`expires_at < now() - interval '1 day'`).execute();
    await this.states.insert({
      stateHash: sha256(state),
      workspaceId: caller.workspaceId,
      userId: caller.userId,
      sessionId: caller.sessionId,
      crm,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    });
    return state;
  }

  /**
   * The callback's state: known for this CRM, unused, unexpired, and from the same admin session that asked for it —
   * then used up. Throws a CallbackError naming what failed.
   */
  async consume(caller: Caller | null, crm: CrmKind, state: string | undefined): Promise<CrmOAuthState> {
    if (!state || state.length > 200) throw new CallbackError('invalid_state');
    const row = await this.states.findOneBy({ stateHash: sha256(state), crm });
    if (!row) throw new CallbackError('invalid_state');
    if (row.usedAt) throw new CallbackError('state_replayed');
    if (row.expiresAt.getTime() < Date.now()) throw new CallbackError('state_expired');
    // The session is checked before the state is used up: someone who sees a state (a shared screen, a proxy log)
    // must not be able to spoil the admin's connect attempt by calling back first.
    if (!caller || caller.kind !== 'user' || caller.sessionId !== row.sessionId || caller.workspaceId !== row.workspaceId || caller.role !== 'admin') {
      throw new CallbackError('session_mismatch');
    }
    // Single use even under concurrent callbacks: only one UPDATE can flip used_at.
    const claimed = await this.states
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('id = :id AND used_at IS NULL', { id: row.id })
      .execute();
    if (!claimed.affected) throw new CallbackError('state_replayed');
    return row;
  }
}
