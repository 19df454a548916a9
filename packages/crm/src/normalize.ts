/** Trimmed, lowercased: how Conduit and both adapters compare emails. */
export function normalizeEmail(e: string): string {
  return e.trim().toLowerCase();
}

/** Lowercase, no scheme, no www., no path, query or port: `https://www.Acme.com/about` → `acme.com`. */
export function normalizeDomain(d: string): string {
  return d
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/:?#].*$/, '');
}
