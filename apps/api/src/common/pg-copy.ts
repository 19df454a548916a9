import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Postgres COPY … FROM STDIN in text format: field encoding and a line buffer that keeps the payload off the JS heap.
 * The import engine sends new people, companies, CRM links and provenance this way (see sync/import.service.ts).
 */

/** A value as a field of COPY's text format: `\N` for null, backslash escapes for \\, newline, CR and tab. */
export function copyField(value: unknown, type: string): string {
  if (value === null || value === undefined) return '\\N';
  let text: string;
  if (type === 'jsonb') text = JSON.stringify(value);
  else if (typeof value === 'string') text = value;
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value) ?? '';
  return COPY_SPECIAL.test(text) ? text.replace(COPY_ESCAPES, (c) => COPY_ESCAPE[c] ?? c) : text;
}
const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES = /[\\\n\r\t]/g;
const COPY_ESCAPE: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * JSON text (from JSON.stringify) as a COPY text field. JSON.stringify writes newlines, CRs and tabs inside strings as
 * `\n`, `\r`, `\t` escapes and none between tokens, so only its backslashes need escaping: a substring search
 * instead of copyField's character-class scan of a document of ≈ 800 characters per imported record.
 */
export function copyJson(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/** COPY … FROM STDIN of prepared text-format lines on the transaction's connection. */
export async function copyIn(client: PoolClient, sql: string, chunks: readonly Buffer[]): Promise<void> {
  await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
}

/**
 * COPY text built line by line into UTF-8 chunks of ≈ 64 KiB. A string built with `+=` is a tree of fragments (dozens
 * per record); kept whole until the page is written (while the next page is planned) the young-generation collector
 * would copy that tree at every scavenge. Encoded a chunk at a time, each fragment dies young and the page's text lives
 * outside the JS heap.
 */
export class CopyLines {
  private readonly chunks: Buffer[] = [];
  private pending = '';

  add(line: string): void {
    this.pending += line;
    if (this.pending.length >= 65_536) this.flush();
  }

  /** The chunks, or null when no line was added. */
  done(): Buffer[] | null {
    this.flush();
    return this.chunks.length ? this.chunks : null;
  }

  private flush(): void {
    if (this.pending) this.chunks.push(Buffer.from(this.pending));
    this.pending = '';
  }
}
