import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '@conduit/contracts';
import { unstorableFields } from './storable-input.js';
import { disallowedNulls, flattenValidationErrors, VALIDATION_OPTIONS } from './validation.js';

/**
 * Validates one row of a bulk body or CSV with the same rules as the single-item endpoint (whitelist, unknown
 * fields rejected, characters Postgres cannot store, undocumented nulls), so a row fails with the field errors it
 * would get alone.
 */
export async function validateRow<T extends object>(cls: ClassConstructor<T>, plain: unknown): Promise<{ value: T; errors: FieldError[] }> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { value: {} as T, errors: [{ field: '', messages: ['each row must be an object'] }] };
  }
  const unstorable = unstorableFields(plain);
  if (unstorable.length > 0) return { value: {} as T, errors: unstorable };
  const value = plainToInstance(cls, plain);
  const errors = flattenValidationErrors(await validate(value, VALIDATION_OPTIONS));
  return { value, errors: errors.length > 0 ? errors : disallowedNulls(value) };
}
