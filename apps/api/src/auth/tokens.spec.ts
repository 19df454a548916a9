import { describe, expect, it } from '@jest/globals';
import { bearerToken, newApiKey, newSecretToken, sha256 } from './tokens.js';

describe('tokens', () => {
  it('hashes with SHA-256 hex', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('makes unguessable, distinct session tokens', () => {
    const a = newSecretToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecretToken()).not.toBe(a);
  });

  it('makes API keys whose hash matches and whose prefix starts the key', () => {
    const { key, prefix, hash } = newApiKey();
    expect(key.startsWith(`${prefix}_`)).toBe(true);
    expect(prefix).toMatch(/^cdk_[A-Za-z0-9_-]{12}$/);
    expect(hash).toBe(sha256(key));
    expect(key.length).toBeGreaterThan(prefix.length + 40);
  });

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   xyz ')).toBe('xyz');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
