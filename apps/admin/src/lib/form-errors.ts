import type { FieldError } from '@conduit/contracts';
import { isApiError } from '../api/client';

/**
 * Turns the API's field errors into `{ field: message }` for a form.
 * Only fields the form shows are kept (others would be invisible); the rest come back
 * in `unmatched` so the form can show them in a banner instead of swallowing them.
 */
export function mapFieldErrors(
  fieldErrors: readonly FieldError[],
  formFields: readonly string[],
): { errors: Record<string, string>; unmatched: string[] } {
  const errors: Record<string, string> = {};
  const unmatched: string[] = [];
  for (const { field, messages } of fieldErrors) {
    const message = messages.join('. ');
    // `customAttributes.tier` belongs to the form field `customAttributes`.
    const target = formFields.find((name) => field === name || field.startsWith(`${name}.`));
    if (target) errors[target] = errors[target] ? `${errors[target]}. ${message}` : message;
    else unmatched.push(field ? `${field}: ${message}` : message);
  }
  return { errors, unmatched };
}

/** What a form shows after a failed submit: per-field messages plus one summary line. */
export function describeSubmitError(
  error: unknown,
  formFields: readonly string[],
): { fieldErrors: Record<string, string>; summary: string | null } {
  if (!isApiError(error)) return { fieldErrors: {}, summary: error instanceof Error ? error.message : 'Something went wrong.' };
  const { errors, unmatched } = mapFieldErrors(error.fieldErrors, formFields);
  const hasFieldErrors = Object.keys(errors).length > 0;
  if (unmatched.length > 0) return { fieldErrors: errors, summary: unmatched.join('; ') };
  return { fieldErrors: errors, summary: hasFieldErrors ? null : error.message };
}
