import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { SyncRun } from './sync-run.entity.js';

/** A record a run could not import, with the CRM's or the converter's reason. */
@Entity('sync_failure')
@Index('idx_sync_failure_run', ['runId'])
export class SyncFailure {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sync_failure' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @Column({ type: 'uuid' })
  runId: string;

  @ManyToOne(() => SyncRun, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_sync_failure_run' })
  run?: Relation<SyncRun>;

  @Column({ type: 'text' })
  crmId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
