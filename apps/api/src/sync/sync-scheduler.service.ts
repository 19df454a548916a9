import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '../queues/periodic-task.js';
import { SyncService } from './sync.service.js';

/** How often the worker looks for connections whose incremental sync is due (each has its own interval). */
export const SCHEDULE_TICK_MS = 30_000;

/**
 * Resumes runs paused for the API budget once their reset has come, and starts incremental runs when they are due. Several workers may tick at once: SyncService.startIncremental
 * takes a per-connection advisory lock and skips connections with an open run, so each run starts once.
 */
@Injectable()
export class SyncSchedulerService extends PeriodicTask {
  constructor(private readonly sync: SyncService) {
    super(new Logger(SyncSchedulerService.name), SCHEDULE_TICK_MS);
  }

  protected async pass(): Promise<void> {
    // Runs paused for the API budget whose reset has come go on first (#17).
    const resumed = await this.sync.resumeDue();
    if (resumed) this.logger.log({ msg: 'paused sync runs resumed', count: resumed });
    const started = await this.sync.scheduleDue();
    if (started) this.logger.log({ msg: 'incremental syncs started', count: started });
  }
}
