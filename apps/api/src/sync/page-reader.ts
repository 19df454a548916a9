import type { CrmPage } from '@conduit/crm';

/**
 * Reads CRM pages ahead of the import, so the CRM calls (bounded by the rate budget) and the Postgres writes
 * overlap, and hands the importer everything already read, up to `maxRecords` at once: when the CRM is the
 * bottleneck the importer takes one page at a time; when Postgres is, pages pile up and are written together,
 * which amortises the per-statement cost. The pages come from the adapter's readPages, which keeps several calls in
 * flight and hands pages out in commit order. Read-ahead is bounded in pages and in records (HubSpot pages hold 100–200
 * records, Salesforce pages 2,000): the reader stops pulling when full, and so the adapter stops calling, so the
 * importer can always take a full batch. Nothing read ahead is checkpointed until it is imported, so a crash only
 * re-reads pages.
 */
export class PageReader {
  private readonly buffer: CrmPage[] = [];
  private buffered = 0;
  private finished = false;
  private failure: Error | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private space: (() => void) | null = null;

  constructor(
    pages: AsyncIterable<CrmPage>,
    private readonly maxAhead = 100,
    private readonly maxAheadRecords = 20_000,
  ) {
    void this.run(pages);
  }

  /**
   * The next pages in order (at least one, at most `maxRecords` records unless a single page is larger), or
   * null when the object is read to the end. Throws the reader's error once the buffer is drained.
   */
  async next(maxRecords: number): Promise<CrmPage[] | null> {
    while (this.buffer.length === 0) {
      if (this.failure !== null) throw this.failure;
      if (this.finished) return null;
      await new Promise<void>((r) => (this.wake = r));
    }
    const out: CrmPage[] = [];
    let records = 0;
    while (this.buffer.length > 0 && (out.length === 0 || records + (this.buffer[0]?.records.length ?? 0) <= maxRecords)) {
      const page = this.buffer.shift()!;
      records += page.records.length;
      this.buffered -= page.records.length;
      out.push(page);
    }
    this.space?.();
    return out;
  }

  /** Stops reading ahead (the importer failed or finished early). */
  stop(): void {
    this.stopped = true;
    this.space?.();
  }

  private async run(pages: AsyncIterable<CrmPage>): Promise<void> {
    try {
      for await (const page of pages) {
        this.buffer.push(page);
        this.buffered += page.records.length;
        this.wake?.();
        if (!page.hasMore) break;
        while ((this.buffer.length >= this.maxAhead || this.buffered >= this.maxAheadRecords) && !this.stopped) await new Promise<void>((r) => (this.space = r));
        // Leaving the loop ends the adapter's read (its calls in flight are dropped).
        if (this.stopped) return;
      }
      this.finished = true;
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
    }
    this.wake?.();
  }
}

/** A cursor chain read one page at a time (`fetch(cursor)` → page → its nextCursor), as an iterable of pages. */
export async function* cursorPages(fetch: (cursor: string | null) => Promise<CrmPage>, start: string | null): AsyncGenerator<CrmPage> {
  for (let cursor = start; ; ) {
    const page = await fetch(cursor);
    yield page;
    if (!page.hasMore) return;
    cursor = page.nextCursor;
  }
}
