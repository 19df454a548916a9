import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CrmListsService } from './crm-lists.service.js';

/** How often the worker looks for list syncs that are due. */
export const LISTS_TICK_MS = 60_000;

/**
 * Keeps dynamic lists in use current. Several workers may tick at once: enqueueing locks the list row and skips
 * lists with a sync already pending or running.
 */
@Injectable()
export class CrmListsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CrmListsScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly lists: CrmListsService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), LISTS_TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.lists.scheduleDue();
    try {
      const started = (await this.running) as number;
      if (started) this.logger.log({ msg: 'list syncs started', count: started });
    } catch (err) {
      this.logger.error({ msg: 'lists schedule pass failed', error: (err as Error).message });
    } finally {
      this.running = undefined;
    }
  }
}
