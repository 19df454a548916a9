import type { CrmKind, CrmValue, CrmWriteResult } from './contract.js';
import { CrmError } from './errors.js';

/** Splits `items` into consecutive chunks of at most `size` (HubSpot batch ≤ 100, Salesforce collections ≤ 200). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** An input with its position in the caller's array, so results can be returned in input order. */
export interface Indexed<T> {
  index: number;
  input: T;
}

/** Errors about the records themselves: another split of the batch may succeed. */
export function isRecordLevel(e: CrmError): boolean {
  return e.kind === 'validation' || e.kind === 'duplicate' || e.kind === 'not_found';
}

export interface BatchWriteOptions<T> {
  crm: CrmKind;
  size: number;
  /**
   * Sends one chunk and returns one result per item (per-record errors included). May throw a
   * CrmError: a record-level one means the CRM refused the chunk as a whole because of some
   * record(s), and nothing of it was written (HubSpot batch create/update are atomic on 400/409).
   */
  send: (items: Indexed<T>[]) => Promise<CrmWriteResult[]>;
  /**
   * When a chunk is refused as a whole for a record-level reason, split it in halves and retry
   * until the offending records stand alone (HubSpot does not say which input was bad).
   * Salesforce collections report per record already and never need this.
   */
  isolate: boolean;
}

/**
 * Writes `inputs` chunk by chunk. Throws only if nothing was written; once some records are
 * written, a fatal error (rate limit, auth, transient) becomes the result of every record not
 * yet attempted, so the caller learns both what was created and what must be retried.
 */
export async function writeInBatches<T>(inputs: readonly T[], opts: BatchWriteOptions<T>): Promise<CrmWriteResult[]> {
  const results = new Map<number, CrmWriteResult>();
  const state: { written: boolean; stopped: CrmError | null } = { written: false, stopped: null };

  const attempt = async (items: Indexed<T>[]): Promise<void> => {
    if (items.length === 0) return;
    if (state.stopped) {
      for (const it of items) results.set(it.index, { index: it.index, ok: false, error: state.stopped });
      return;
    }
    try {
      const got = await opts.send(items);
      for (const r of got) {
        results.set(r.index, r);
        if (r.ok) state.written = true;
      }
    } catch (e) {
      if (!(e instanceof CrmError)) throw e;
      if (isRecordLevel(e)) {
        if (items.length === 1 || !opts.isolate) {
          for (const it of items) results.set(it.index, { index: it.index, ok: false, error: e });
          return;
        }
        const mid = Math.ceil(items.length / 2);
        await attempt(items.slice(0, mid));
        await attempt(items.slice(mid));
        return;
      }
      if (!state.written) throw e;
      state.stopped = e;
      for (const it of items) results.set(it.index, { index: it.index, ok: false, error: e });
    }
  };

  const indexed = inputs.map((input, index) => ({ index, input }));
  for (const part of chunk(indexed, opts.size)) await attempt(part);

  return indexed.map(({ index }) => {
    const r = results.get(index);
    if (r) return r;
    // A send() that forgot an item is a bug in the adapter, not a CRM answer: fail loudly per record.
    return { index, ok: false as const, error: missingResult(opts.crm, index) };
  });
}

function missingResult(crm: CrmKind, index: number): CrmError {
  return new CrmError({ kind: 'transient', cause: 'server_error' }, { crm, message: `The CRM returned no result for input #${index}` });
}

/**
 * Upserts that name the same key twice in one batch are refused or raced by the CRM. Inputs with
 * the same key are merged (later properties win) into one write, whose result every one of them
 * gets (with its own index).
 */
export async function dedupeByKey<T extends { properties: Record<string, CrmValue> }>(
  crm: CrmKind,
  inputs: readonly T[],
  key: (t: T) => string,
  write: (unique: T[]) => Promise<CrmWriteResult[]>,
): Promise<CrmWriteResult[]> {
  const groups = new Map<string, { first: T; properties: Record<string, CrmValue>; indices: number[] }>();
  inputs.forEach((t, i) => {
    const k = key(t);
    const g = groups.get(k);
    if (g) {
      Object.assign(g.properties, t.properties);
      g.indices.push(i);
    } else {
      groups.set(k, { first: t, properties: { ...t.properties }, indices: [i] });
    }
  });
  if (groups.size === inputs.length) return write([...inputs]);
  const unique = [...groups.values()];
  const res = await write(unique.map((g) => ({ ...g.first, properties: g.properties })));
  const out: CrmWriteResult[] = [];
  unique.forEach((g, u) => {
    const r = res[u];
    for (const i of g.indices) if (r) out[i] = { ...r, index: i };
  });
  return inputs.map((_, i) => out[i] ?? { index: i, ok: false as const, error: missingResult(crm, i) });
}
