import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { OutboxJob } from './outbox-job.entity.js';
import { OutboxService } from './outbox.service.js';
import { PeriodicTask } from './periodic-task.js';

const BATCH = 500;

/**
 * Re-enqueues open rows (pending/running) whose Bull job is missing, e.g. after Redis was flushed or restarted
 * without persistence. Runs once at boot, then every RECONCILE_INTERVAL_MS. Handlers must tolerate a rare
 * second run of the same row (a running row whose Bull job vanished may still be in flight elsewhere).
 */
@Injectable()
export class ReconcilerService extends PeriodicTask {
  constructor(
    @InjectConfig() config: AppConfig,
    @InjectRepository(OutboxJob) private readonly jobs: Repository<OutboxJob>,
    private readonly outbox: OutboxService,
  ) {
    super(new Logger(ReconcilerService.name), config.reconcileIntervalMs, true);
  }

  protected async pass(): Promise<void> {
    await this.reconcileOnce();
  }

  /** One pass; returns how many rows were handed to Bull again. */
  async reconcileOnce(): Promise<number> {
    let requeued = 0;
    let cursor: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const qb = this.jobs.createQueryBuilder('j').where(`j.status IN ('pending', 'running')`);
      if (cursor) qb.andWhere('(j.created_at, j.id) > (:createdAt, :id)', cursor);
      const rows = await qb.orderBy('j.created_at', 'ASC').addOrderBy('j.id', 'ASC').take(BATCH).getMany();
      for (const row of rows) {
        const job = await this.outbox.queue(row.queue).getJob(row.id);
        if (!job) {
          await this.outbox.dispatch(row);
          requeued++;
        }
      }
      const last = rows.at(-1);
      if (rows.length < BATCH || !last) break;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
    if (requeued) this.logger.log({ msg: 'reconciler re-enqueued jobs', count: requeued });
    return requeued;
  }
}
