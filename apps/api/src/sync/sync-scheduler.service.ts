import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SyncService } from './sync.service.js';

/** How often the worker looks for connections whose incremental sync is due (each has its own interval). */
export const SCHEDULE_TICK_MS = 30_000;

/**
 * Starts incremental runs when they are due. Several workers may tick at once: SyncService.startIncremental
 * takes a per-connection advisory lock and skips connections with an open run, so each run starts once.
 */
@Injectable()
export class SyncSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyncSchedulerService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly sync: SyncService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), SCHEDULE_TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.sync.scheduleDue();
    try {
      const started = (await this.running) as number;
      if (started) this.logger.log({ msg: 'incremental syncs started', count: started });
    } catch (err) {
      this.logger.error({ msg: 'sync schedule pass failed', error: (err as Error).message });
    } finally {
      this.running = undefined;
    }
  }
}
