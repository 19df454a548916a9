import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DealsSyncService } from './deals-sync.service.js';

export const DNC_TICK_MS = 60_000;

/** Starts deal syncs when due, so DNC flags follow deals changing in the CRM. */
@Injectable()
export class DncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DncScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly deals: DealsSyncService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), DNC_TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.deals.scheduleDue();
    try {
      const started = await this.running;
      if (started) this.logger.log({ msg: 'deal syncs started', count: started });
    } catch (err) {
      this.logger.error({ msg: 'deals schedule pass failed', error: (err as Error).message });
    } finally {
      this.running = undefined;
    }
  }
}
