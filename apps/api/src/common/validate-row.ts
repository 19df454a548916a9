import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate } from 'class-validator';
import type { FieldError } from '@conduit/contracts';
import { flattenValidationErrors, VALIDATION_OPTIONS } from './validation.js';

/**
 * Validates one row of a bulk body or CSV with the same rules as the single-item endpoint
 * (whitelist, unknown fields rejected), so a row fails with the field errors it would get alone.
 */
export async function validateRow<T extends object>(cls: ClassConstructor<T>, plain: unknown): Promise<{ value: T; errors: FieldError[] }> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { value: {} as T, errors: [{ field: '', messages: ['each row must be an object'] }] };
  }
  const value = plainToInstance(cls, plain);
  const errors = await validate(value, VALIDATION_OPTIONS);
  return { value, errors: flattenValidationErrors(errors) };
}
