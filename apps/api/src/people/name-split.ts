/**
 * Splits a full name into first and last name: "Ada Lovelace" → Ada / Lovelace, "Lovelace, Ada" → Ada / Lovelace,
 * "Jean Claude Van Damme" → Jean / Claude Van Damme (first word vs the rest: middle names are rarer than
 * compound surnames in the lists sales teams import), "Cher" → Cher / null.
 */
export function splitName(full: string): { firstName: string | null; lastName: string | null } {
  const clean = full.replace(/\s+/g, ' ').trim();
  if (!clean) return { firstName: null, lastName: null };
  const comma = clean.indexOf(',');
  if (comma > 0) {
    const last = clean.slice(0, comma).trim();
    const first = clean.slice(comma + 1).trim();
    return { firstName: first || null, lastName: last || null };
  }
  const space = clean.indexOf(' ');
  if (space < 0) return { firstName: clean, lastName: null };
  return { firstName: clean.slice(0, space), lastName: clean.slice(space + 1) };
}
