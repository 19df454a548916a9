/**
 * How an export job walks its chunks (#16): which ones are left, how far the checkpoint moves when one finishes, and
 * whether another chunk may start while others are in flight. Pure: the job (ExportService) does the I/O.
 *
 * Several chunks in flight keep the CRM's rate budget in use at real answer times: while one chunk waits for its
 * answers or does its database work, the others call. Against a small daily allocation they would split the day's
 * calls among them and few would finish; a chunk starts beside others only when the day's remaining calls pay for it
 * and for the ones in flight.
 */

/** Calls per person guessed for a chunk before any has finished and with no forecast (HubSpot measured 0.03 for new people with companies). */
export const GUESSED_CALLS_PER_PERSON = 0.03;

/** The first index of each chunk of `chunkSize` people from the checkpoint on, less the chunks already done. */
export function chunksLeft(total: number, checkpoint: number, chunkSize: number, done: readonly number[]): number[] {
  const skip = new Set(done);
  const starts: number[] = [];
  for (let at = checkpoint; at < total; at += chunkSize) if (!skip.has(at)) starts.push(at);
  return starts;
}

/**
 * The checkpoint after the chunk at `finished` is done: it moves over the contiguous run of done chunks after it.
 * Answers the new checkpoint and the done chunks still past it.
 */
export function advanceCheckpoint(checkpoint: number, done: readonly number[], finished: number, chunkSize: number, total: number): { checkpoint: number; done: number[] } {
  const pending = new Set(done);
  pending.add(finished);
  let at = checkpoint;
  while (at < total && pending.has(at)) {
    pending.delete(at);
    at = Math.min(total, at + chunkSize);
  }
  return { checkpoint: at, done: [...pending].filter((c) => c >= at).sort((a, b) => a - b) };
}

/** People done: the checkpoint and every chunk finished past it. */
export function peopleDone(total: number, checkpoint: number, done: readonly number[], chunkSize: number): number {
  return done.filter((c) => c >= checkpoint && c < total).reduce((sum, c) => sum + Math.min(chunkSize, total - c), Math.min(checkpoint, total));
}

/** Calls one chunk is expected to take: as measured by this job, else by the run's forecast, else the guess. */
export function callsPerChunk(chunkSize: number, measured: { calls: number; chunks: number }, forecastCallsPerPerson: number | null): number {
  // The measured calls include those of chunks still in flight: an overestimate, which only starts fewer chunks.
  if (measured.chunks > 0) return measured.calls / measured.chunks;
  return chunkSize * (forecastCallsPerPerson ?? GUESSED_CALLS_PER_PERSON);
}

/**
 * Whether another chunk may start now. `remaining`: the calls today's allocation still pays for this work (Infinity
 * when it has no limit or an admin lifted it), or 'unknown' before the CRM's first answer said what the day holds.
 * - `start`: go;
 * - `wait_for_chunk`: as many chunks in flight as allowed, or the day pays for no more: start when one finishes;
 * - `wait_for_reading`: look again shortly (the first answers of the chunk in flight bring the day's figures).
 * One chunk always starts when none is in flight: the run moves on until the allocation stops it.
 */
export function nextChunkDecision(inFlight: number, maxInFlight: number, remaining: number | 'unknown', perChunk: number): 'start' | 'wait_for_chunk' | 'wait_for_reading' {
  if (inFlight === 0) return 'start';
  if (inFlight >= maxInFlight) return 'wait_for_chunk';
  if (remaining === 'unknown') return 'wait_for_reading';
  return remaining >= (inFlight + 1) * perChunk ? 'start' : 'wait_for_chunk';
}
