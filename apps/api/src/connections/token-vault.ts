import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKeyRing } from '../config/app-config.js';

/**
 * AES-256-GCM for CRM tokens at rest. A stored value is `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts):
 * a fresh random 12-byte IV per value, the 16-byte auth tag, and the id of the key that encrypted it so the key
 * ring can rotate (new values use the current key; older ones decrypt with theirs until re-encrypted).
 * `context` is bound as additional authenticated data (e.g. the connection id and which token), so a ciphertext
 * copied to another row or column fails to decrypt instead of yielding someone else's token.
 */
export class TokenVault {
  constructor(private readonly ring: EncryptionKeyRing) {
    if (!ring.keys.has(ring.currentId)) throw new Error(`encryption key ring has no key "${ring.currentId}"`);
  }

  get currentKeyId(): string {
    return this.ring.currentId;
  }

  encrypt(plaintext: string, context: string): string {
    const keyId = this.ring.currentId;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(keyId), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Throws TokenVaultError when the value was tampered with, belongs to another context, or its key is gone. */
  decrypt(stored: string, context: string): string {
    const parts = stored.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new TokenVaultError('not an encrypted value');
    const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenVaultError('encrypted value failed authentication');
    }
  }

  /** The id of the key a stored value was encrypted with. */
  keyIdOf(stored: string): string | null {
    const parts = stored.split('.');
    return parts.length === 5 && parts[0] === 'v1' ? (parts[1] ?? null) : null;
  }

  /** True when the value should be re-encrypted with the current key. */
  needsRotation(stored: string): boolean {
    return this.keyIdOf(stored) !== this.ring.currentId;
  }

  private key(id: string): Buffer {
    const key = this.ring.keys.get(id);
    if (!key) throw new TokenVaultError(`no encryption key "${id}" is configured`);
    return key.reveal();
  }
}

export class TokenVaultError extends Error {
  override readonly name = 'TokenVaultError';
}
