import { parse } from 'csv-parse/sync';

/** How a CSV header row maps onto a create body. */
export interface CsvSchema<F extends string> {
  /** Normalised header (see normaliseHeader) → body field. */
  aliases: Readonly<Record<string, F>>;
  /** Unknown headers become `customAttributes[<original header>]`; otherwise they are ignored. */
  customAttributes: boolean;
  /** Fields whose cells are converted to numbers when they are plain integers (others fail validation as typed). */
  integers?: readonly F[];
}

export type CsvColumn<F extends string> = { field: F } | { custom: string } | null;

export class CsvFormatError extends Error {}

export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Column index → field (or custom attribute, or null to skip). The first of duplicate columns wins. */
export function mapHeader<F extends string>(schema: CsvSchema<F>, header: string[]): CsvColumn<F>[] {
  const seen = new Set<string>();
  return header.map((raw) => {
    const name = raw.trim();
    if (!name) return null;
    const field = schema.aliases[normaliseHeader(name)];
    if (!field && !schema.customAttributes) return null;
    const key = field ?? `custom:${name}`;
    if (seen.has(key)) return null;
    seen.add(key);
    return field ? { field } : { custom: name };
  });
}

/** One data row → a create body. Empty cells are left out, so they never overwrite or fail validation. */
export function mapRow<F extends string>(schema: CsvSchema<F>, columns: CsvColumn<F>[], row: string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  columns.forEach((column, i) => {
    const value = row[i]?.trim();
    if (!column || !value) return;
    if ('custom' in column) custom[column.custom] = value;
    else body[column.field] = schema.integers?.includes(column.field) && /^\d{1,15}$/.test(value) ? Number(value) : value;
  });
  if (Object.keys(custom).length > 0) body['customAttributes'] = custom;
  return body;
}

/** Parses CSV text (header row first) into create bodies, in file order. */
export function parseCsv<F extends string>(schema: CsvSchema<F>, text: string): Record<string, unknown>[] {
  let records: string[][];
  try {
    const parsed: unknown = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true });
    records = parsed as string[][]; // without `columns`, csv-parse yields one string array per line
  } catch (err) {
    throw new CsvFormatError(`Could not parse CSV: ${(err as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new CsvFormatError('The CSV is empty: a header row is required');
  const columns = mapHeader(schema, header);
  if (!columns.some((c) => c && 'field' in c)) {
    const known = [...new Set(Object.values(schema.aliases))].slice(0, 6).join(', ');
    throw new CsvFormatError(`No known column in the header row (expected e.g. ${known})`);
  }
  return rows.map((row) => mapRow(schema, columns, row));
}
