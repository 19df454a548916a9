/**
 * Tail-latency hedging for idempotent reads ("The Tail at Scale", Dean & Barroso, CACM 2013). A CRM's answer times
 * have a long tail: at Salesforce's realistic profile a 2,000-row query page answers in about 2 s at the median but
 * one in a hundred takes 13 s or more, and a backfill that hands pages out in order waits for its slowest page while
 * every page fetched ahead of it is already in. When a read has not answered after a delay well past the typical
 * answer, the same read is sent once more and the first answer wins: a few percent more calls for a much shorter
 * tail. Only for calls that change nothing (query pages): a write is never hedged.
 */

/**
 * Runs `call`; if it has not settled `delayMs` (a number, or asked when the call starts) after it started, runs it a second time and settles with whichever
 * answers first. `call` says when it really starts (`started()`: a call may first wait for a slot in the caller's
 * scheduler, and that wait must not count toward the delay). A failure before the second call starts rejects at once
 * (the caller's retry policy decides); once both run, the read fails only when both fail (with the first failure).
 * `onHedge` is told when the second call starts.
 */
export function hedged<T>(call: (started: () => void) => Promise<T>, delayMs: number | (() => number), onHedge?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let running = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstError: { error: unknown } | null = null;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      fn();
    };
    const startTimer = (): void => {
      if (settled || timer !== undefined) return;
      timer = setTimeout(() => {
        if (settled) return;
        onHedge?.();
        start(() => undefined);
      }, Math.max(0, typeof delayMs === 'function' ? delayMs() : delayMs));
    };
    const start = (started: () => void): void => {
      running += 1;
      let p: Promise<T>;
      try {
        p = call(started);
      } catch (error) {
        p = Promise.reject(asError(error));
      }
      p.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => {
          running -= 1;
          firstError ??= { error };
          const failure = firstError.error;
          // The other call may still answer: wait for it. Otherwise fail now (and never start the hedge).
          if (running === 0) settle(() => reject(asError(failure)));
        },
      );
    };
    start(startTimer);
  });
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * When to hedge, learnt from the answers seen so far: `factor` × their median, at least `minMs`, `initialMs` before
 * `minSamples` answers are in. Keeps the last `window` answer times.
 */
export class HedgeDelay {
  private readonly samples: number[] = [];

  constructor(
    private readonly opts: { initialMs: number; minMs: number; factor: number; minSamples?: number; window?: number } = {
      initialMs: 5_000,
      minMs: 2_000,
      factor: 2.5,
    },
  ) {}

  observe(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.samples.push(ms);
    if (this.samples.length > (this.opts.window ?? 32)) this.samples.shift();
  }

  delayMs(): number {
    if (this.samples.length < (this.opts.minSamples ?? 3)) return this.opts.initialMs;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return Math.max(this.opts.minMs, Math.round(median * this.opts.factor));
  }
}
