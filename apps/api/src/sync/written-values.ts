import { createHash } from 'node:crypto';
import { echoKey } from '@conduit/mapping';

/**
 * How a value Conduit wrote to a CRM is remembered (crm_written_value): SHA-256 of its echoKey (text, trimmed, any
 * case), never the value itself, so the table holds no personal data. Null for a blank value.
 */
export function writtenFingerprint(value: unknown): string | null {
  const key = echoKey(value);
  return key === null ? null : createHash('sha256').update(key).digest('base64url');
}
