import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';
import { bearerToken } from './tokens.js';

/**
 * The instance's operators (whoever runs this Conduit: the platform embedding it, its on-call) are not users of
 * any workspace: they prove themselves with OPERATOR_TOKEN, sent as `Authorization: Bearer <token>` by programs or
 * as the password of HTTP Basic (any user name) by a browser. A workspace admin's session never makes an operator.
 */
export type OperatorCheck = 'operator' | 'missing' | 'wrong' | 'disabled';

export function checkOperator(config: AppConfig, authorization: string | undefined): OperatorCheck {
  if (!config.operatorToken) return 'disabled';
  const presented = bearerToken(authorization) ?? basicPassword(authorization);
  if (presented === null) return 'missing';
  return sameSecret(presented, config.operatorToken.reveal()) ? 'operator' : 'wrong';
}

/** Constant-time comparison of digests, so neither the length nor a prefix of the token leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function basicPassword(header: string | undefined): string | null {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  return sep >= 0 ? decoded.slice(sep + 1) : null;
}
