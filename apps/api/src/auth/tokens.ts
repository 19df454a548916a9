import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'conduit_session';
export const API_KEY_PREFIX = 'cdk_';

/** Session and API-key secrets are 32 random bytes; only their SHA-256 is stored. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** `cdk_<12 chars>_<secret>`; the part before the secret is the displayable prefix. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const id = randomBytes(9).toString('base64url');
  const prefix = `${API_KEY_PREFIX}${id}`;
  const key = `${prefix}_${newSecretToken()}`;
  return { key, prefix, hash: sha256(key) };
}

/** Extracts the token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
