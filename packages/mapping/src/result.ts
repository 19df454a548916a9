/**
 * Conversions and lookups return a Result instead of throwing, so a caller can report one
 * bad field and carry on with the others (a sync never aborts because of a single value).
 */
export type MappingErrorCode =
  | 'invalid_type'
  | 'invalid_number'
  | 'not_an_integer'
  | 'invalid_boolean'
  | 'invalid_date'
  | 'invalid_datetime'
  | 'invalid_option'
  | 'invalid_email'
  | 'invalid_domain'
  | 'unknown_conduit_field'
  | 'invalid_id'
  | 'too_long'
  | 'unknown_field'
  | 'read_only'
  | 'duplicate_target'
  | 'required_missing'
  | 'unmapped_status';

export interface MappingError {
  code: MappingErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: MappingError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: MappingErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
