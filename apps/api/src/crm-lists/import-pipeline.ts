import type { CrmObjectType } from '@conduit/crm';

/**
 * CRM ids handed to one import run: 10 batch reads and one transaction. Small enough that importing a chunk never
 * holds the event loop for long (a 5,000-record chunk did for seconds on a loaded machine, long enough for Bull
 * to take the job for stalled), large enough that a 50,000-member first sync is 50 runs.
 */
const IMPORT_CHUNK = 1000;

/** Import runs in flight while the membership is still being paged: reads of both share the connection's budget. */
const IMPORTS_IN_FLIGHT = 2;

/**
 * With no import running, a chunk this small starts at once instead of waiting to fill IMPORT_CHUNK: a re-sync's few
 * hundred new members are imported while the membership is still read, not in a tail after its last page (one
 * batch read of 100 is the smallest useful run).
 */
const IDLE_CHUNK = 100;

export interface ImportOutcome {
  runId: string;
  apiCalls: number;
  imported: number;
}

/**
 * Collects CRM ids per object and imports them in chunks of IMPORT_CHUNK (IDLE_CHUNK when no import is running), at
 * most IMPORTS_IN_FLIGHT at a time;
 * `add` waits when that many are running (backpressure on the page reader). The first failure stops new chunks
 * and is thrown by the next `add` or by `finish`, after the chunks in flight have settled.
 */
export class ImportPipeline {
  private readonly buffers = new Map<CrmObjectType, string[]>();
  private readonly seen = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly outcomes: ImportOutcome[] = [];
  private failure: unknown = null;

  constructor(
    private readonly importChunk: (object: CrmObjectType, ids: string[]) => Promise<ImportOutcome>,
    private readonly chunk = IMPORT_CHUNK,
    private readonly inFlight = IMPORTS_IN_FLIGHT,
    private readonly idleChunk = IDLE_CHUNK,
  ) {}

  async add(object: CrmObjectType, id: string): Promise<void> {
    this.throwIfFailed();
    const key = `${object}:${id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const buffer = this.buffers.get(object) ?? [];
    buffer.push(id);
    this.buffers.set(object, buffer);
    if (buffer.length >= this.chunk || (buffer.length >= this.idleChunk && this.running.size === 0)) await this.launch(object);
  }

  /** Imports what is left and waits for every chunk; the run ids, calls and imported count of all chunks. */
  async finish(): Promise<{ runIds: string[]; apiCalls: number; imported: number }> {
    for (const object of [...this.buffers.keys()]) await this.launch(object);
    await Promise.all(this.running);
    this.throwIfFailed();
    return {
      runIds: this.outcomes.map((o) => o.runId),
      apiCalls: this.outcomes.reduce((n, o) => n + o.apiCalls, 0),
      imported: this.outcomes.reduce((n, o) => n + o.imported, 0),
    };
  }

  /** The membership read failed: let the chunks in flight settle (their runs are recorded) and start no more. */
  async abandon(): Promise<void> {
    this.buffers.clear();
    await Promise.all(this.running);
  }

  private async launch(object: CrmObjectType): Promise<void> {
    const ids = this.buffers.get(object);
    this.buffers.delete(object);
    if (!ids?.length) return;
    while (this.running.size >= this.inFlight) await Promise.race(this.running);
    this.throwIfFailed();
    const task: Promise<void> = this.importChunk(object, ids).then(
      (outcome) => {
        this.outcomes.push(outcome);
      },
      (err: unknown) => {
        this.failure ??= err;
      },
    );
    const tracked = task.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  private throwIfFailed(): void {
    if (this.failure === null) return;
    throw this.failure instanceof Error ? this.failure : new Error(`list member import failed: ${JSON.stringify(this.failure)}`);
  }
}
