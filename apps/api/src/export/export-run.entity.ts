import type { CrmKind, ExportSkipReasonDto, RunForecastDto } from '@conduit/contracts';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { RunProgressColumns } from '../common/run-progress.js';
import { Workspace } from '../workspaces/workspace.entity.js';

/**
 * One export job (bulk, manual push or automatic): the people it exports, resolved when it starts, and its progress.
 * `processed` is the checkpoint: a retried job continues after the last committed chunk, skipping `doneChunks`.
 */
@Entity('export_run')
@Check('chk_export_run_status', `"status" IN ('pending', 'running', 'paused', 'done', 'failed')`)
@Check('chk_export_run_pause_cause', `"pause_cause" IS NULL OR "pause_cause" IN ('daily_allocation', 'crm_daily_limit')`)
@Check('chk_export_run_paused', `"status" <> 'paused' OR ("resumes_at" IS NOT NULL AND "paused_reason" IS NOT NULL)`)
@Index('idx_export_run_paused', { synchronize: false })
@Check('chk_export_run_trigger', `"trigger" IN ('bulk', 'manual', 'auto', 'retry')`)
@Index('idx_export_run_workspace_created', ['workspaceId', 'createdAt'])
export class ExportRun extends RunProgressColumns {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_export_run' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_export_run_workspace' })
  workspace?: Relation<Workspace>;

  @Column({ type: 'uuid' })
  connectionId: string;

  @Column({ type: 'text' })
  crm: CrmKind;

  @Column({ type: 'text' })
  trigger: 'bulk' | 'manual' | 'auto' | 'retry';

  @Column({ type: 'uuid', array: true })
  personIds: string[];

  @Column({ type: 'integer', default: 0 })
  processed: number;

  /**
   * Chunks finished past the checkpoint, by their first index into `personIds` (a chunk is EXPORT_CHUNK people): with
   * several chunks in flight, one may finish before an earlier one. Their counts are in the run already; a resumed or
   * retried job skips them. Offsets the checkpoint has passed are dropped.
   */
  @Column({ type: 'integer', array: true, default: () => "'{}'" })
  doneChunks: number[];

  @Column({ type: 'integer', default: 0 })
  needsAttention: number;

  @Column({ type: 'integer', default: 0 })
  skipped: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  skippedReasons: Partial<Record<ExportSkipReasonDto, number>>;

  /** The forecast the run was started with (#17), to show next to what it took. */
  @Column({ type: 'jsonb', nullable: true })
  forecast: RunForecastDto | null;

  /** CRM calls the run made, added with each chunk (#17). */
  @Column({ type: 'integer', default: 0 })
  apiCalls: number;

  /** When its job first started (a run may wait in the queue first). */
  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

}
