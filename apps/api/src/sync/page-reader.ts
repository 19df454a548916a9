import type { CrmPage } from '@conduit/crm';

/**
 * Reads CRM pages ahead of the import, so the CRM calls (bounded by the rate budget) and the Postgres writes
 * overlap, and hands the importer everything already read, up to `maxRecords` at once: when the CRM is the
 * bottleneck the importer takes one page at a time; when Postgres is, pages pile up and are written together,
 * which amortises the per-statement cost. Read-ahead is bounded in pages and in records (HubSpot pages hold 100
 * records, Salesforce pages 2,000), so the importer can always take a full batch. Nothing read ahead is
 * checkpointed until it is imported, so a crash only re-reads pages.
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
    private readonly fetch: (cursor: string | null) => Promise<CrmPage>,
    start: string | null,
    private readonly maxAhead = 100,
    private readonly maxAheadRecords = 20_000,
  ) {
    void this.run(start);
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

  private async run(cursor: string | null): Promise<void> {
    try {
      for (;;) {
        while ((this.buffer.length >= this.maxAhead || this.buffered >= this.maxAheadRecords) && !this.stopped) await new Promise<void>((r) => (this.space = r));
        if (this.stopped) return;
        const page = await this.fetch(cursor);
        this.buffer.push(page);
        this.buffered += page.records.length;
        this.wake?.();
        if (!page.hasMore) break;
        cursor = page.nextCursor;
      }
      this.finished = true;
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
    }
    this.wake?.();
  }
}
