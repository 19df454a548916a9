import { type Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';

/**
 * A pass repeated every `intervalMs` in each process that runs it: one pass at a time per process (a slow pass
 * makes later ticks skip), failures logged rather than thrown, the timer never keeps the process alive, and
 * shutdown waits for the pass in flight. Several workers may run the same pass at once, so each pass takes its
 * own locks (advisory locks, row locks or outbox dedupe) before starting work.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  protected constructor(
    protected readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly runAtBoot = false,
  ) {}

  /** One pass of the work. */
  protected abstract pass(): Promise<void>;

  onApplicationBootstrap(): void {
    if (this.runAtBoot) void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.pass();
    try {
      await this.running;
    } catch (err) {
      this.logger.error({ msg: 'periodic pass failed', error: (err as Error).message });
    } finally {
      this.running = undefined;
    }
  }
}
