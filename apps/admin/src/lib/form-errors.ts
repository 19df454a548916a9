import type { FieldError } from '@conduit/contracts';
import { isApiError } from '../api/client';
import { fieldLabel } from './field-labels';

/**
 * The API's validator messages ("name must be longer than or equal to 1 characters") rewritten for people, each
 * starting with the field's label ("Name is required"). The API keeps its field names for machines; this is the one
 * place the admin turns them into words. Messages already written for people pass through with the key replaced.
 */
const PLAIN: readonly [RegExp, (label: string, m: RegExpExecArray) => string][] = [
  [/^must be longer than or equal to 1 characters?$/, (l) => `${l} is required`],
  [/^should not be empty$/, (l) => `${l} is required`],
  [/^must be longer than or equal to (\d+) characters$/, (l, m) => `${l} needs at least ${m[1]} characters`],
  [/^must be shorter than or equal to (\d+) characters$/, (l, m) => `${l} is too long: at most ${Number(m[1]).toLocaleString('en')} characters`],
  [/^must be an email$/, (l) => `${l} must be an email address, like name@company.com`],
  [/^must be a URL address$/, (l) => `${l} must be a full web address, like https://example.com`],
  [/^must be one of the following values: (.*)$/, (l, m) => `${l} must be one of: ${m[1]}`],
  [/^must be a string$/, (l) => `${l} must be text`],
  [/^must be a number conforming to the specified constraints$/, (l) => `${l} must be a number`],
  [/^must be an integer number$/, (l) => `${l} must be a whole number`],
  [/^must not be less than (-?[\d.]+)$/, (l, m) => `${l} must be at least ${m[1]}`],
  [/^must not be greater than (-?[\d.]+)$/, (l, m) => `${l} must be at most ${m[1]}`],
  [/^must be a boolean value$/, (l) => `${l} must be yes or no`],
  [/^must be a UUID$/, (l) => `${l} must be picked from the list`],
  [/^must be an array$/, (l) => `${l} must be a list`],
  [/^must be an object$/, (l) => `${l} must be a set of values`],
  [/^must be a valid ISO 8601 date string$/, (l) => `${l} must be a date`],
  [/^should not exist$/, (l) => `${l} is not a field Conduit knows`],
  // class-validator's `each: true` messages name the property again: "each value in domains must be …".
  [/^each value in \S+ (.*)$/, (l, m) => `${l}: each value ${m[1]}`],
];

/** One API message about `field` in plain language, starting with the field's label. */
export function plainMessage(field: string, message: string, entity: 'person' | 'company' = 'person'): string {
  const label = fieldLabel(field, entity);
  const last = field.slice(Math.max(field.lastIndexOf('.'), field.lastIndexOf(']')) + 1);
  // class-validator starts with the property ("email must be an email", "property foo should not exist").
  let rest = message.trim().replace(/^property /, '');
  for (const key of [field, last]) {
    if (key && rest.startsWith(`${key} `)) {
      rest = rest.slice(key.length + 1);
      break;
    }
  }
  for (const [pattern, say] of PLAIN) {
    const m = pattern.exec(rest);
    if (m) return say(label, m);
  }
  // Already words (a service's own message): keep it, under the field's label unless it names the field already.
  if (rest !== message.trim() || !field) return field ? `${label} ${rest}` : rest;
  return rest.toLowerCase().startsWith(label.toLowerCase()) ? rest : `${label}: ${rest}`;
}

/**
 * Turns the API's field errors into `{ field: message }` for a form.
 * Only fields the form shows are kept (others would be invisible); the rest come back
 * in `unmatched` so the form can show them in a banner instead of swallowing them.
 */
export function mapFieldErrors(
  fieldErrors: readonly FieldError[],
  formFields: readonly string[],
  entity: 'person' | 'company' = 'person',
): { errors: Record<string, string>; unmatched: string[] } {
  const errors: Record<string, string> = {};
  const unmatched: string[] = [];
  for (const { field, messages } of fieldErrors) {
    const message = messages.map((m) => plainMessage(field, m, entity)).join('. ');
    // `customAttributes.tier` belongs to the form field `customAttributes`.
    const target = formFields.find((name) => field === name || field.startsWith(`${name}.`));
    if (target) errors[target] = errors[target] ? `${errors[target]}. ${message}` : message;
    else unmatched.push(message);
  }
  return { errors, unmatched };
}

/** What a form shows after a failed submit: per-field messages plus one summary line. */
export function describeSubmitError(
  error: unknown,
  formFields: readonly string[],
  entity: 'person' | 'company' = 'person',
): { fieldErrors: Record<string, string>; summary: string | null } {
  if (!isApiError(error)) return { fieldErrors: {}, summary: error instanceof Error ? error.message : 'Something went wrong.' };
  const { errors, unmatched } = mapFieldErrors(error.fieldErrors, formFields, entity);
  const hasFieldErrors = Object.keys(errors).length > 0;
  if (unmatched.length > 0) return { fieldErrors: errors, summary: unmatched.join('; ') };
  return { fieldErrors: errors, summary: hasFieldErrors ? null : error.message };
}
