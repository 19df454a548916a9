import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { Workspace } from '../workspaces/workspace.entity.js';
import type { AnyJobPayload, AnyJobResult, JobOf } from './jobs/index.js';
import type { JobName, QueueName } from './queue-names.js';

export const OUTBOX_STATUSES = ['pending', 'running', 'done', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * The durable record of a unit of background work. Redis/Bull only carries a pointer (jobId = this id),
 * so work survives a Redis flush: the reconciler re-enqueues pending/running rows whose Bull job is gone.
 */
@Entity('outbox_job')
@Check('chk_outbox_job_status', `"status" IN ('pending', 'running', 'done', 'failed')`)
@Index('idx_outbox_job_open', { synchronize: false })
export class OutboxJob {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_outbox_job' })
  id: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  workspaceId: string | null;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_outbox_job_workspace' })
  workspace?: Relation<Workspace> | null;

  @Column({ type: 'text' })
  queue: QueueName;

  @Column({ type: 'text' })
  name: JobName;

  @Column({ type: 'jsonb' })
  payload: AnyJobPayload;

  @Column({ type: 'text', default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'integer', default: 5 })
  maxAttempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'jsonb', nullable: true })
  result: AnyJobResult | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  runAfter: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/** A row of one of the jobs `N` (one name or a union of names), its payload typed by the name. */
export type OutboxJobOf<N extends JobName> = OutboxJob & { name: N; payload: JobOf<N> };

/** Narrows a row to its job by name: `enqueue` stored the payload of that name (see OutboxService). */
export function isJobOf<N extends JobName>(row: OutboxJob, names: N | readonly N[]): row is OutboxJobOf<N> {
  const list: readonly JobName[] = typeof names === 'string' ? [names] : names;
  return list.includes(row.name);
}
