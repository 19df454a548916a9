import { CrmError, type CrmFieldError, networkFailure } from '../errors.js';

/**
 * One Salesforce error: REST answers use `errorCode`, sObject Collections results use
 * `statusCode`. `httpStatus` is added by the adapter's transport wrapper (jsforce's HttpApiError
 * does not keep the HTTP status).
 */
export interface SalesforceErrorItem {
  errorCode?: string;
  statusCode?: string;
  message?: string;
  fields?: string[];
  httpStatus?: number;
  duplicateResult?: { matchResults?: Array<{ matchRecords?: Array<{ record?: { Id?: string } }> }> };
}

const VALIDATION_CODES = new Set([
  'REQUIRED_FIELD_MISSING',
  'STRING_TOO_LONG',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_FIELD',
  'MALFORMED_ID',
  'INVALID_ID_FIELD',
  'INVALID_EMAIL_ADDRESS',
  'INVALID_TYPE',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'INVALID_CROSS_REFERENCE_KEY',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'FIELD_INTEGRITY_EXCEPTION',
  'JSON_PARSER_ERROR',
  'MALFORMED_QUERY',
  'INVALID_QUERY_FILTER_OPERATOR',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'CANNOT_UPDATE_CONVERTED_LEAD',
  'INVALID_FIELD_WHEN_USING_TEMPLATE',
  'INVALID_QUERY_LOCATOR',
]);

const PERMISSION_CODES = new Set([
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'FUNCTIONALITY_NOT_ENABLED',
  'NOT_API_ENABLED',
]);

/** jsforce error (HttpApiError with errorCode/data, OAuth Error named after `error`) or network failure → typed error. */
export function mapSalesforceError(e: unknown): CrmError | null {
  if (e instanceof CrmError) return e;
  if (typeof e !== 'object' || e === null) return null;
  const err = e as { errorCode?: unknown; name?: unknown; message?: unknown; data?: unknown };

  if (typeof err.errorCode === 'string') {
    if (err.errorCode === 'MULTIPLE_API_ERRORS' && Array.isArray(err.data)) return mapSalesforceErrors(err.data as SalesforceErrorItem[], e);
    const data = typeof err.data === 'object' && err.data !== null && !Array.isArray(err.data) ? (err.data as SalesforceErrorItem) : {};
    return mapSalesforceErrors([{ ...data, errorCode: err.errorCode, message: typeof err.message === 'string' ? err.message : data.message }], e);
  }
  const net = networkFailure(e);
  if (net) return new CrmError({ kind: 'transient', cause: net }, { crm: 'salesforce', message: `Salesforce unreachable (${net})`, cause: e });
  return null;
}

/** Maps the errors of one answer (REST error array, or one collection result's errors). */
export function mapSalesforceErrors(items: SalesforceErrorItem[], cause?: unknown): CrmError {
  const first = items[0] ?? {};
  const code = codeOf(first);
  const message = first.message ?? `Salesforce error ${code}`;
  const status = first.httpStatus ?? httpStatusFromCode(code);
  const init = { crm: 'salesforce' as const, message, crmCode: code, cause, ...(status === undefined ? {} : { status }) };

  if (code === 'INVALID_SESSION_ID' || status === 401) return new CrmError({ kind: 'auth_expired' }, init);
  if (code === 'REQUEST_LIMIT_EXCEEDED' || status === 429 || status === 420) {
    // TotalRequests = the 24 h API budget; ConcurrentPerOrgLongTxn = too many long requests at once.
    if (/concurrent/i.test(message)) return new CrmError({ kind: 'rate_limited', budget: 'secondly', retryAfterMs: 1_000 }, init);
    return new CrmError({ kind: 'rate_limited', budget: 'api_daily', retryAfterMs: msUntilRollingDayFrees() }, init);
  }
  if (code === 'DUPLICATES_DETECTED' || code === 'DUPLICATE_VALUE') return new CrmError({ kind: 'duplicate', existingId: duplicateId(first) }, init);
  if (code === 'NOT_FOUND' || code === 'ENTITY_IS_DELETED' || status === 404) return new CrmError({ kind: 'not_found' }, init);
  if (PERMISSION_CODES.has(code) || status === 403) return new CrmError({ kind: 'permission_denied' }, init);
  if (code === 'SERVER_UNAVAILABLE' || code === 'UNKNOWN_EXCEPTION' || code === 'UNABLE_TO_LOCK_ROW' || (status !== undefined && status >= 500)) {
    return new CrmError({ kind: 'transient', cause: 'server_error' }, init);
  }
  if (VALIDATION_CODES.has(code) || (status !== undefined && status >= 400 && status < 500) || items.length > 0) {
    return new CrmError({ kind: 'validation', fields: items.flatMap(fieldErrorsOf) }, init);
  }
  return new CrmError({ kind: 'transient', cause: 'server_error' }, init);
}

function codeOf(item: SalesforceErrorItem): string {
  return item.errorCode ?? item.statusCode ?? 'UNKNOWN';
}

/** jsforce names errors of non-JSON answers `ERROR_HTTP_<status>`. */
function httpStatusFromCode(code: string): number | undefined {
  const m = /^ERROR_HTTP_(\d{3})$/.exec(code);
  return m?.[1] ? Number(m[1]) : undefined;
}

function fieldErrorsOf(item: SalesforceErrorItem): CrmFieldError[] {
  const code = codeOf(item);
  const message = item.message ?? code;
  let fields = item.fields ?? [];
  // "Required fields are missing: [Company, LastName]" names the fields only in the message.
  if (fields.length === 0 && code === 'REQUIRED_FIELD_MISSING') {
    const m = /\[([^\]]+)\]/.exec(message);
    if (m?.[1]) fields = m[1].split(',').map((f) => f.trim());
  }
  if (fields.length === 0) return [{ field: null, code, message }];
  return fields.map((field) => ({ field, code, message }));
}

function duplicateId(item: SalesforceErrorItem): string | null {
  for (const mr of item.duplicateResult?.matchResults ?? []) {
    for (const rec of mr.matchRecords ?? []) if (rec.record?.Id) return rec.record.Id;
  }
  // DUPLICATE_VALUE: "duplicate value found: Ext__c duplicates value on record with id: 00Q…"
  const m = /with id:\s*([a-zA-Z0-9]{15,18})/.exec(item.message ?? '');
  return m?.[1] ?? null;
}

/** The daily limit is a rolling 24 h window: an hour is a reasonable first wait. */
function msUntilRollingDayFrees(): number {
  return 60 * 60_000;
}

/** OAuth token endpoint errors (jsforce throws Error named after `error`): invalid_grant = refresh token revoked/expired. */
export function mapSalesforceOAuthError(e: unknown): CrmError {
  const err = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; message?: unknown };
  const name = typeof err.name === 'string' ? err.name : '';
  const message = typeof err.message === 'string' && err.message ? err.message : name || 'Salesforce OAuth failed';
  const init = { crm: 'salesforce' as const, message, crmCode: name, cause: e };
  if (name === 'invalid_grant' || name === 'invalid_client' || name === 'unauthorized_client' || name === 'ERROR_HTTP_401') {
    return new CrmError({ kind: 'auth_revoked' }, init);
  }
  const net = networkFailure(e);
  if (net) return new CrmError({ kind: 'transient', cause: net }, init);
  const status = httpStatusFromCode(name);
  if (status === 429 || /rate|too many/i.test(message)) return new CrmError({ kind: 'rate_limited', budget: 'api_daily', retryAfterMs: 60_000 }, init);
  if (status !== undefined && status >= 500) return new CrmError({ kind: 'transient', cause: 'server_error' }, init);
  return new CrmError({ kind: 'validation', fields: [{ field: null, code: name || 'OAUTH_ERROR', message }] }, init);
}
