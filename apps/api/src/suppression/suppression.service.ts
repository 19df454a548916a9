import { createHmac, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '@conduit/mapping';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { TokenVault } from '../connections/token-vault.js';

/** The canonical form of an address before hashing (the import's identity key: trimmed, lowercased, no mailto:/<…>). */
export function emailKey(raw: string): string {
  const n = normalizeEmail(raw);
  return n.ok ? n.value : raw.trim().toLowerCase();
}

/**
 * The erasure suppression list (#18): salted hashes of erased people's emails and CRM records, so an erased person is
 * never imported or added again. The salt is random per workspace (32 bytes) and stored encrypted with the token vault
 * (AES-256-GCM under ENCRYPTION_KEY, the workspace id as additional data), so the hashes in a database dump cannot be
 * tested against guessed addresses without the key, and one address hashes differently in two workspaces.
 * Hash = HMAC-SHA256(salt, "email:<address>") or HMAC-SHA256(salt, "record:<crm>:<object>:<id>"), hex.
 */
@Injectable()
export class SuppressionService {
  private readonly vault: TokenVault;
  /** A workspace's salt never changes once made: cached after the first read. */
  private readonly salts = new Map<string, Buffer>();

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.vault = new TokenVault(config.encryptionKeys);
  }

  /** The workspace's salt; `create` makes one when there is none (null otherwise: nothing was ever erased). */
  async salt(workspaceId: string, create: false, manager?: EntityManager): Promise<Buffer | null>;
  async salt(workspaceId: string, create: true, manager?: EntityManager): Promise<Buffer>;
  async salt(workspaceId: string, create: boolean, manager: EntityManager = this.dataSource.manager): Promise<Buffer | null> {
    const cached = this.salts.get(workspaceId);
    if (cached) return cached;
    const context = `erasure_key:${workspaceId}`;
    if (create) {
      // Concurrent first erasures: the first insert wins and everyone reads its salt.
      await manager.query(`INSERT INTO erasure_key (workspace_id, salt_enc) VALUES ($1, $2) ON CONFLICT (workspace_id) DO NOTHING`, [
        workspaceId,
        this.vault.encrypt(randomBytes(32).toString('base64'), context),
      ]);
    }
    const [row] = await manager.query<{ salt_enc: string }[]>(`SELECT salt_enc FROM erasure_key WHERE workspace_id = $1`, [workspaceId]);
    if (!row) return null;
    const salt = Buffer.from(this.vault.decrypt(row.salt_enc, context), 'base64');
    this.salts.set(workspaceId, salt);
    return salt;
  }

  emailHash(salt: Buffer, email: string): string {
    return createHmac('sha256', salt).update(`email:${emailKey(email)}`).digest('hex');
  }

  recordHash(salt: Buffer, crm: string, object: string, crmId: string): string {
    return createHmac('sha256', salt).update(`record:${crm}:${object}:${crmId}`).digest('hex');
  }

  /** Adds hashes to the workspace's list (in the caller's transaction). */
  async suppress(manager: EntityManager, workspaceId: string, hashes: readonly string[]): Promise<void> {
    if (!hashes.length) return;
    await manager.query(`INSERT INTO erased_identity (workspace_id, hash) SELECT $1, h FROM unnest($2::text[]) AS h ON CONFLICT DO NOTHING`, [workspaceId, [...new Set(hashes)]]);
  }

  /** Which of these hashes are on the list. */
  private async listed(manager: EntityManager, workspaceId: string, hashes: string[]): Promise<Set<string>> {
    if (!hashes.length) return new Set();
    const rows = await manager.query<{ hash: string }[]>(`SELECT hash FROM erased_identity WHERE workspace_id = $1 AND hash = ANY($2::text[])`, [workspaceId, hashes]);
    return new Set(rows.map((r) => r.hash));
  }

  /** The addresses (as given) that belong to erased people. One query; none when the workspace never erased anyone. */
  async erasedEmails(manager: EntityManager, workspaceId: string, emails: readonly string[]): Promise<Set<string>> {
    const salt = emails.length ? await this.salt(workspaceId, false, manager) : null;
    if (!salt) return new Set();
    const byHash = new Map(emails.map((e) => [this.emailHash(salt, e), e]));
    const hit = await this.listed(manager, workspaceId, [...byHash.keys()]);
    return new Set([...hit].map((h) => byHash.get(h)!));
  }

  /**
   * Indexes of the CRM records that belong to erased people, by their email or by the record itself (so an address
   * changed in the CRM does not bring them back). One query per call; none when the workspace never erased anyone.
   */
  async erasedRecords(
    manager: EntityManager,
    workspaceId: string,
    crm: string,
    records: readonly { object: string; id: string; email: string | null }[],
  ): Promise<Set<number>> {
    const salt = records.length ? await this.salt(workspaceId, false, manager) : null;
    if (!salt) return new Set();
    const hashes = records.map((r) => ({ record: this.recordHash(salt, crm, r.object, r.id), email: r.email ? this.emailHash(salt, r.email) : null }));
    const hit = await this.listed(manager, workspaceId, hashes.flatMap((h) => (h.email ? [h.record, h.email] : [h.record])));
    const out = new Set<number>();
    hashes.forEach((h, i) => {
      if (hit.has(h.record) || (h.email !== null && hit.has(h.email))) out.add(i);
    });
    return out;
  }
}
