import type { OutboxService, OutboxTransaction } from '../queues/outbox.service.js';

/** Paused rows taken per transaction by a budget sweep. */
const SWEEP_BATCH = 100;

/**
 * The budget sweep of one kind of paused work (#17: sync runs, export runs, CRM list syncs): rows whose resume time
 * has come go back to pending and get a new job, `SWEEP_BATCH` rows per transaction (the outbox sends the jobs once it
 * commits). The resume time lives in Postgres, so a pause survives worker restarts and a Redis flush; a Bull delayed
 * job alone would not. `take` must lock the rows it takes with SKIP LOCKED, so several workers may sweep at once.
 * Answers how many resumed.
 */
export async function resumeDue<R>(outbox: OutboxService, take: (tx: OutboxTransaction, limit: number) => Promise<R[]>, enqueue: (tx: OutboxTransaction, row: R) => Promise<unknown>): Promise<number> {
  let resumed = 0;
  for (;;) {
    const batch = await outbox.transaction(async (tx) => {
      const rows = await take(tx, SWEEP_BATCH);
      for (const row of rows) await enqueue(tx, row);
      return rows.length;
    });
    resumed += batch;
    if (batch < SWEEP_BATCH) return resumed;
  }
}

/** "Resume now anyway" for one paused row: taken back to pending with a new job at once; null when it was not paused. */
export async function resumeOne<R>(outbox: OutboxService, take: (tx: OutboxTransaction) => Promise<R[]>, enqueue: (tx: OutboxTransaction, row: R) => Promise<unknown>): Promise<R | null> {
  return outbox.transaction(async (tx) => {
    const [row] = await take(tx);
    if (row) await enqueue(tx, row);
    return row ?? null;
  });
}
