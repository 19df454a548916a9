import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '../queues/periodic-task.js';
import { DealsSyncService } from './deals-sync.service.js';

export const DNC_TICK_MS = 60_000;

/** Starts deal syncs when due, so DNC flags follow deals changing in the CRM. */
@Injectable()
export class DncScheduler extends PeriodicTask {
  constructor(private readonly deals: DealsSyncService) {
    super(new Logger(DncScheduler.name), DNC_TICK_MS);
  }

  protected async pass(): Promise<void> {
    const started = await this.deals.scheduleDue();
    if (started) this.logger.log({ msg: 'deal syncs started', count: started });
  }
}
