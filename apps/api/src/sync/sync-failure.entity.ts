import type { CrmObjectType } from '@conduit/crm';
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

  /** The CRM object of the record (null on failures recorded before #21). */
  @Column({ type: 'text', nullable: true })
  object: CrmObjectType | null;

  /** The record's name as read (a person's name else email, a company's name else domain), for a record Conduit could not link. */
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
