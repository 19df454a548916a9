import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import { resumeDue, resumeOne } from '../crm-runtime/paused-work.js';
import { PeriodicTask } from '../queues/periodic-task.js';
import { OutboxService, type OutboxTransaction } from '../queues/outbox.service.js';
import { JobName } from '../queues/queue-names.js';
import type { ExportRun } from './export-run.entity.js';
import { ExportRunRepository } from './export-run.repository.js';

/**
 * Export runs paused for the daily API budget (#17; ExportService.runJob pauses them): the sweep that resumes them
 * once their reset has come, from their checkpoint (`processed`), and "Resume now anyway" for admins.
 */
@Injectable()
export class ExportResumes {
  private readonly logger = new Logger(ExportResumes.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly runs: ExportRunRepository,
    private readonly budgets: ApiBudgetService,
  ) {}

  /** Paused export runs due at `now` (the budget clock) go back to pending with a new job each. */
  resumeDue(now: Date = this.budgets.now()): Promise<number> {
    return resumeDue(this.outbox, (tx, limit) => this.runs.unpause(tx.manager, { now, limit }), (tx, run) => this.enqueue(tx, run));
  }

  /** "Resume now anyway": past the allocation until the reset it waited for (the CRM's own limit still stops it). */
  async resumeNow(workspaceId: string, runId: string): Promise<ExportRun> {
    const resumed = await resumeOne(this.outbox, (tx) => this.runs.unpause(tx.manager, { workspaceId, runId }), (tx, run) => this.enqueue(tx, run));
    const run = await this.runs.get(workspaceId, runId);
    if (!run) throw new NotFoundException('Export run not found');
    if (!resumed) throw new ConflictException('The export run is not paused');
    this.logger.log({ msg: 'paused export run resumed by an admin', runId });
    return run;
  }

  private enqueue(tx: OutboxTransaction, run: { id: string; workspaceId: string }): Promise<unknown> {
    return tx.enqueue(JobName.ExportRun, { workspaceId: run.workspaceId, runId: run.id }, { workspaceId: run.workspaceId, maxAttempts: 8 });
  }
}

/** How often a worker looks for paused export runs whose reset has come. */
export const EXPORT_RESUME_TICK_MS = 30_000;

/** Resumes paused export runs when due (several workers may tick at once: rows are taken with SKIP LOCKED). */
@Injectable()
export class ExportResumeScheduler extends PeriodicTask {
  constructor(private readonly resumes: ExportResumes) {
    super(new Logger(ExportResumeScheduler.name), EXPORT_RESUME_TICK_MS);
  }

  protected async pass(): Promise<void> {
    const resumed = await this.resumes.resumeDue();
    if (resumed) this.logger.log({ msg: 'paused export runs resumed', count: resumed });
  }
}
