import { Injectable, Logger } from '@nestjs/common';
import { PeriodicTask } from '../queues/periodic-task.js';
import { CrmListsService } from './crm-lists.service.js';

/** How often the worker looks for list syncs that are due. */
export const LISTS_TICK_MS = 60_000;

/**
 * Resumes list syncs paused for the API budget once their reset has come, and keeps dynamic lists in use current. Several workers may tick at once: enqueueing locks the list row and skips
 * lists with a sync already pending or running.
 */
@Injectable()
export class CrmListsScheduler extends PeriodicTask {
  constructor(private readonly lists: CrmListsService) {
    super(new Logger(CrmListsScheduler.name), LISTS_TICK_MS);
  }

  protected async pass(): Promise<void> {
    // List syncs paused for the API budget whose reset has come go on first (#17).
    const resumed = await this.lists.resumeDue();
    if (resumed) this.logger.log({ msg: 'paused list syncs resumed', count: resumed });
    const started = await this.lists.scheduleDue();
    if (started) this.logger.log({ msg: 'list syncs started', count: started });
  }
}
