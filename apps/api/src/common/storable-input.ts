import type { FieldError } from '@conduit/contracts';

/**
 * Characters Postgres cannot store: NUL (text and jsonb refuse `\u0000`) and UTF-16 surrogates without their pair
 * (jsonb refuses the escape; text would silently get U+FFFD instead of what was sent). Every other control
 * character is stored as sent.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const UNSTORABLE_MESSAGE = 'contains a character that cannot be stored: NUL (\\u0000) or an unpaired UTF-16 surrogate';

/** JSON nested deeper than this is refused rather than walked (no request of the API needs more than a few levels). */
export const MAX_INPUT_DEPTH = 32;

export function isStorable(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * Every string (and object key) of a request value that Postgres could not store, by dotted path. `skip(path)` leaves
 * out a subtree (bulk rows, which are checked one by one so that the good rows are stored).
 */
export function unstorableFields(value: unknown, path = '', skip: (path: string) => boolean = () => false): FieldError[] {
  const out: FieldError[] = [];
  const walk = (v: unknown, at: string, depth: number): void => {
    if (typeof v === 'string') {
      if (!isStorable(v)) out.push({ field: at, messages: [`${at || 'value'} ${UNSTORABLE_MESSAGE}`] });
      return;
    }
    if (typeof v !== 'object' || v === null || skip(at)) return;
    if (depth >= MAX_INPUT_DEPTH) {
      out.push({ field: at, messages: [`${at || 'body'} is nested more than ${MAX_INPUT_DEPTH} levels deep`] });
      return;
    }
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
    for (const [key, item] of entries) {
      if (!isStorable(key)) {
        const where = at || 'body';
        out.push({ field: where, messages: [`a key of ${where} ${UNSTORABLE_MESSAGE}`] });
        continue;
      }
      walk(item, at ? `${at}.${key}` : key, depth + 1);
    }
  };
  walk(value, path, 0);
  return out;
}
