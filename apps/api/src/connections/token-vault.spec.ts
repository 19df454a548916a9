import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Secret } from '../config/secret.js';
import { TokenVault, TokenVaultError } from './token-vault.js';

const key = () => new Secret(randomBytes(32));
const ring = (currentId: string, keys: Record<string, Secret<Buffer>>) => ({ currentId, keys: new Map(Object.entries(keys)) });

describe('TokenVault', () => {
  const k1 = key();
  const vault = new TokenVault(ring('k1', { k1 }));

  it('round-trips a value and never stores the plaintext', () => {
    const stored = vault.encrypt('pat-na1-secret-token', 'conn:1:access');
    expect(stored).not.toContain('pat-na1-secret-token');
    expect(stored.startsWith('v1.k1.')).toBe(true);
    expect(vault.decrypt(stored, 'conn:1:access')).toBe('pat-na1-secret-token');
  });

  it('uses a random 12-byte IV for every value', () => {
    const a = vault.encrypt('same', 'ctx');
    const b = vault.encrypt('same', 'ctx');
    expect(a).not.toBe(b);
    const ivA = Buffer.from(a.split('.')[2]!, 'base64url');
    expect(ivA).toHaveLength(12);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const stored = vault.encrypt('refresh-token-value', 'ctx');
    const parts = stored.split('.');
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      const tampered = [...parts.slice(0, i), bytes.toString('base64url'), ...parts.slice(i + 1)].join('.');
      expect(() => vault.decrypt(tampered, 'ctx')).toThrow(TokenVaultError);
    }
    expect(() => vault.decrypt('plain-text', 'ctx')).toThrow(TokenVaultError);
  });

  it('refuses a value moved to another context (row or column)', () => {
    const stored = vault.encrypt('token', 'conn:1:access');
    expect(() => vault.decrypt(stored, 'conn:2:access')).toThrow(TokenVaultError);
    expect(() => vault.decrypt(stored, 'conn:1:refresh')).toThrow(TokenVaultError);
  });

  it('rotates keys: old values decrypt with their key id, new ones use the current key', () => {
    const oldStored = vault.encrypt('old-token', 'ctx');
    const k2 = key();
    const rotated = new TokenVault(ring('k2', { k2, k1 }));
    expect(rotated.decrypt(oldStored, 'ctx')).toBe('old-token');
    expect(rotated.needsRotation(oldStored)).toBe(true);
    const fresh = rotated.encrypt('old-token', 'ctx');
    expect(rotated.keyIdOf(fresh)).toBe('k2');
    expect(rotated.needsRotation(fresh)).toBe(false);
    // Once the old key is retired, values under it can no longer be read.
    const retired = new TokenVault(ring('k2', { k2 }));
    expect(() => retired.decrypt(oldStored, 'ctx')).toThrow(/no encryption key "k1"/);
    expect(retired.decrypt(fresh, 'ctx')).toBe('old-token');
  });

  it('refuses a ring without its current key', () => {
    expect(() => new TokenVault(ring('k9', { k1 }))).toThrow();
  });
});
