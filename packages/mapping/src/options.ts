import { describeValue } from './normalize.js';
import { err, ok, type Result } from './result.js';
import type { CrmFieldDescriptor } from './types.js';

/**
 * Finds the option a value stands for: exact value, then value ignoring case, then label
 * ignoring case ("Computer Software" → COMPUTER_SOFTWARE). Unmatched values pass through
 * unless `restricted`, in which case they fail with the allowed values in the message.
 */
export function matchOption(field: CrmFieldDescriptor, value: string, restricted: boolean): Result<string> {
  const options = field.options ?? [];
  if (options.length === 0) return ok(value);
  const exact = options.find((o) => o.value === value);
  if (exact) return ok(exact.value);
  const lower = value.toLowerCase();
  const byValue = options.find((o) => o.value.toLowerCase() === lower);
  if (byValue) return ok(byValue.value);
  const byLabel = options.find((o) => o.label.toLowerCase() === lower);
  if (byLabel) return ok(byLabel.value);
  if (!restricted) return ok(value);
  const allowed = options.slice(0, 10).map((o) => o.value).join(', ');
  const more = options.length > 10 ? `, … (${options.length} options)` : '';
  return err('invalid_option', `${describeValue(value)} is not an option of ${field.name} (allowed: ${allowed}${more})`);
}

export function matchOptions(field: CrmFieldDescriptor, values: string[], restricted: boolean): Result<string[]> {
  const out: string[] = [];
  for (const v of values) {
    const m = matchOption(field, v, restricted);
    if (!m.ok) return m;
    if (!out.includes(m.value)) out.push(m.value);
  }
  return ok(out);
}
