import { CrmError, type CrmFieldError, type RateBudget, networkFailure, parseRetryAfter } from '../errors.js';

/**
 * The SDK deserialises error bodies into its `Error` model, which drops `errorType` and
 * `policyName` (the 429 budget). The adapter's response middleware keeps the raw JSON here,
 * keyed by the response's headers object, which the SDK passes on to ApiException.headers.
 */
export const rawErrorBodies = new WeakMap<object, unknown>();

/** What an @hubspot/api-client ApiException looks like (each generated module has its own class). */
interface ApiExceptionLike {
  code: number;
  body: unknown;
  headers: Record<string, string>;
}

interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  subCategory?: unknown;
  errorType?: string;
  policyName?: string;
  correlationId?: string;
  errors?: Array<{ message?: string; code?: string; in?: string; subCategory?: string; context?: Record<string, unknown> }>;
  context?: Record<string, unknown>;
}

export function isApiException(e: unknown): e is ApiExceptionLike {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'number' &&
    'body' in e &&
    typeof (e as { headers?: unknown }).headers === 'object'
  );
}

/**
 * Runs an SDK call and takes a success the SDK refused as a success. The SDK accepts only the codes HubSpot's API
 * description lists; the live API has answered others (v3 and v4 association batch creates answered 200 instead of
 * 201 / 207 from August 2025, hubspot-api-nodejs#656, hubspot-api-python#448), and the SDK then throws an
 * ApiException whose body is the parsed answer. A 2xx with a JSON object body is the answer, whatever was expected.
 */
export async function acceptAnySuccess<T extends object>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isApiException(e) && e.code >= 200 && e.code < 300 && typeof e.body === 'object' && e.body !== null) return e.body as T;
    throw e;
  }
}

/** SDK error (or network failure) → typed error; null when `e` is not a CRM/network failure. */
export function mapHubspotError(e: unknown): CrmError | null {
  if (e instanceof CrmError) return e;
  if (isApiException(e)) {
    const raw = rawErrorBodies.get(e.headers) ?? e.body;
    return mapHubspotResponse(e.code, asBody(raw), e.headers, e);
  }
  const net = networkFailure(e);
  if (net) return new CrmError({ kind: 'transient', cause: net }, { crm: 'hubspot', message: `HubSpot unreachable (${net})`, cause: e });
  return null;
}

/** Maps one HubSpot error answer (status + JSON body + headers). Also used for per-record batch errors. */
export function mapHubspotResponse(status: number, body: HubSpotErrorBody, headers: Record<string, string> = {}, cause?: unknown): CrmError {
  const message = body.message ?? `HubSpot answered HTTP ${status}`;
  const category = body.category ?? body.errorType;
  const init = { crm: 'hubspot' as const, message, status, ...(category ? { crmCode: category } : {}), cause };

  if (status === 429 || category === 'RATE_LIMITS' || body.errorType === 'RATE_LIMIT') {
    const budget = rateBudget(body);
    const retryAfterMs = parseRetryAfter(header(headers, 'retry-after')) ?? defaultRetryAfter(budget, headers);
    return new CrmError({ kind: 'rate_limited', budget, retryAfterMs }, { ...init, crmCode: body.policyName ?? category ?? 'RATE_LIMIT' });
  }
  if (status === 401) {
    // EXPIRED_AUTHENTICATION and INVALID_AUTHENTICATION both get one refresh; a refresh token that
    // is gone fails in the caller's refresh callback (auth_revoked), not here.
    return new CrmError({ kind: 'auth_expired' }, init);
  }
  if (status === 403) return new CrmError({ kind: 'permission_denied' }, init);
  if (status === 404 || category === 'OBJECT_NOT_FOUND') return new CrmError({ kind: 'not_found' }, init);
  if (status === 409 || category === 'CONFLICT' || category === 'OBJECT_ALREADY_EXISTS') {
    return new CrmError({ kind: 'duplicate', existingId: existingIdFrom(body) }, init);
  }
  if (status >= 500) return new CrmError({ kind: 'transient', cause: 'server_error' }, init);
  if (status >= 400 || status === 207 || category === 'VALIDATION_ERROR') {
    return new CrmError({ kind: 'validation', fields: fieldErrors(body) }, init);
  }
  return new CrmError({ kind: 'transient', cause: 'server_error' }, { ...init, message: `Unexpected HubSpot answer HTTP ${status}: ${message}` });
}

function asBody(raw: unknown): HubSpotErrorBody {
  if (typeof raw === 'string') {
    try {
      return asBody(JSON.parse(raw));
    } catch {
      return { message: raw.slice(0, 500) };
    }
  }
  return typeof raw === 'object' && raw !== null ? (raw) : {};
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function rateBudget(body: HubSpotErrorBody): RateBudget {
  const policy = (body.policyName ?? '').toUpperCase();
  if (policy === 'DAILY') return 'daily';
  if (policy === 'SECONDLY') return 'secondly';
  if (policy.startsWith('TEN_SECONDLY')) return 'ten_secondly';
  // Real messages read "You have reached your ten_secondly_rolling limit." / "… daily limit."
  const m = (body.message ?? '').toLowerCase();
  if (m.includes('ten_secondly')) return 'ten_secondly';
  if (m.includes('secondly')) return 'secondly';
  if (m.includes('daily')) return 'daily';
  return 'ten_secondly';
}

/**
 * Without Retry-After: the daily budget resets at midnight (the account's time zone; UTC is
 * assumed), a rolling window frees a slot within a fraction of its interval. The SDK itself waits
 * a whole 10 s, which would idle the engine's shared token bucket for nothing.
 */
function defaultRetryAfter(budget: RateBudget, headers: Record<string, string>, now = new Date()): number {
  switch (budget) {
    case 'daily':
    case 'api_daily': {
      const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
      return midnight - now.getTime();
    }
    case 'secondly':
      return 1_000;
    case 'ten_secondly': {
      const interval = Number(header(headers, 'x-hubspot-ratelimit-interval-milliseconds'));
      return Number.isFinite(interval) && interval > 0 ? Math.ceil(interval / 10) : 1_000;
    }
  }
}

function existingIdFrom(body: HubSpotErrorBody): string | null {
  const m = /Existing ID:\s*(\d+)/i.exec(body.message ?? '');
  if (m?.[1]) return m[1];
  for (const d of body.errors ?? []) {
    const n = /Existing ID:\s*(\d+)/i.exec(d.message ?? '');
    if (n?.[1]) return n[1];
  }
  return null;
}

/**
 * Per-field errors. HubSpot puts them in `errors[]` (`code` INVALID_OPTION…, `context.propertyName`)
 * and, for property validation, also as JSON in the message: "Property values were not valid: [{…}]".
 */
export function fieldErrors(body: HubSpotErrorBody): CrmFieldError[] {
  const out: CrmFieldError[] = [];
  const fromMessage = /Property values were not valid:\s*(\[.*\])\s*$/s.exec(body.message ?? '');
  if (fromMessage?.[1]) {
    try {
      const items = JSON.parse(fromMessage[1]) as Array<{ name?: string; error?: string; message?: string; localizedErrorMessage?: string }>;
      for (const it of items) {
        out.push({ field: it.name ?? null, code: it.error ?? 'INVALID_VALUE', message: it.message ?? it.localizedErrorMessage ?? 'Invalid value' });
      }
    } catch {
      // not JSON after all: fall through to errors[]
    }
  }
  if (out.length === 0) {
    for (const d of body.errors ?? []) {
      const names = d.context?.['propertyName'];
      const field = Array.isArray(names) && typeof names[0] === 'string' ? names[0] : null;
      out.push({ field, code: d.code ?? 'INVALID_VALUE', message: d.message ?? body.message ?? 'Invalid value' });
    }
  }
  if (out.length === 0) out.push({ field: null, code: body.category ?? 'VALIDATION_ERROR', message: body.message ?? 'Invalid request' });
  return out;
}
