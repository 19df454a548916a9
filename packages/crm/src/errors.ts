import type { CrmKind } from './contract.js';

/** Which rate budget ran out. HubSpot: ten_secondly / secondly (search) / daily; Salesforce: api_daily. */
export type RateBudget = 'ten_secondly' | 'secondly' | 'daily' | 'api_daily';

/** One offending field of a validation answer, with the CRM's own code and message. */
export interface CrmFieldError {
  /** CRM field name; `null` when the CRM did not say which field. */
  field: string | null;
  /** CRM error code, e.g. INVALID_OPTION, REQUIRED_FIELD_MISSING, STRING_TOO_LONG. */
  code: string;
  message: string;
}

/**
 * What the sync engine can act on. Retry with backoff: rate_limited (after retryAfterMs),
 * transient. Ask for a refresh/reconnect: auth_expired (the adapter already refreshed once),
 * auth_revoked. Put the record in "Needs attention": validation, permission_denied.
 * Link instead of create: duplicate (existingId).
 */
export type CrmErrorDetails =
  | { kind: 'rate_limited'; retryAfterMs: number; budget: RateBudget }
  | { kind: 'auth_expired' }
  | { kind: 'auth_revoked' }
  | { kind: 'permission_denied' }
  | { kind: 'validation'; fields: CrmFieldError[] }
  | { kind: 'duplicate'; existingId: string | null }
  | { kind: 'not_found' }
  | { kind: 'transient'; cause: 'server_error' | 'timeout' | 'connection' };

export type CrmErrorKind = CrmErrorDetails['kind'];

export interface CrmErrorInit {
  crm: CrmKind;
  message: string;
  /** HTTP status, when the CRM answered. */
  status?: number;
  /** The CRM's own error code/category (EXPIRED_AUTHENTICATION, REQUEST_LIMIT_EXCEEDED, …). */
  crmCode?: string;
  cause?: unknown;
}

export class CrmError extends Error {
  override readonly name = 'CrmError';
  readonly crm: CrmKind;
  readonly details: CrmErrorDetails;
  readonly status: number | undefined;
  readonly crmCode: string | undefined;

  constructor(details: CrmErrorDetails, init: CrmErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.details = details;
    this.crm = init.crm;
    this.status = init.status;
    this.crmCode = init.crmCode;
  }

  get kind(): CrmErrorKind {
    return this.details.kind;
  }

  /** Whether retrying the same request later can succeed without changing it. */
  get retryable(): boolean {
    return this.details.kind === 'rate_limited' || this.details.kind === 'transient';
  }

  /** A plain, log-safe shape (no tokens ever reach a CrmError message). */
  toJSON(): { kind: CrmErrorKind; crm: CrmKind; message: string; status?: number; crmCode?: string; details: CrmErrorDetails } {
    return {
      kind: this.details.kind,
      crm: this.crm,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.crmCode === undefined ? {} : { crmCode: this.crmCode }),
      details: this.details,
    };
  }
}

export function isCrmError(e: unknown): e is CrmError {
  return e instanceof CrmError;
}

/** Thrown by the registry (unknown CRM kind) and by operations a CRM does not have. */
export class UnsupportedCrmError extends Error {
  override readonly name = 'UnsupportedCrmError';
  constructor(message: string) {
    super(message);
  }
}

/** Node/undici network failures that mean "try again", whatever the CRM. */
const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * Recognises a network-level failure (no HTTP answer) anywhere in an error's cause chain:
 * fetch wraps them as `TypeError('fetch failed', { cause })`, node-fetch as FetchError with `code`.
 */
export function networkFailure(e: unknown): 'timeout' | 'connection' | null {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur !== null && typeof cur === 'object'; depth++) {
    const o = cur as { name?: unknown; code?: unknown; type?: unknown; message?: unknown; cause?: unknown };
    if (o.name === 'TimeoutError' || o.name === 'AbortError' || o.type === 'request-timeout') return 'timeout';
    if (typeof o.code === 'string' && CONNECTION_CODES.has(o.code)) {
      return o.code.includes('TIMEOUT') || o.code === 'ETIMEDOUT' ? 'timeout' : 'connection';
    }
    if (o.name === 'FetchError' || (o.name === 'TypeError' && o.message === 'fetch failed')) {
      if (o.cause === undefined) return 'connection';
    }
    if (typeof o.message === 'string' && /socket hang up|other side closed|ECONNRESET/.test(o.message)) return 'connection';
    cur = o.cause;
  }
  return null;
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, Math.round(secs * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
