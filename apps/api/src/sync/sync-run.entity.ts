import type { RunForecastDto, SampleDiffDto, SyncRunKind } from '@conduit/contracts';
import type { CrmKind, CrmObjectType } from '@conduit/crm';
import type { FieldSourceRule, MappingRow } from '@conduit/mapping';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { RunProgressColumns } from '../common/run-progress.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';

export type { SyncRunKind, SyncRunStatus } from '@conduit/contracts';

/** Where a multi-object run stands: the object being read and the adapter cursor after its last imported page. */
export interface RunProgress {
  objectIndex: number;
  cursor: string | null;
}

/** Proposed mapping rows per mapped object (`contact` rows apply to HubSpot contacts and Salesforce leads/contacts). */
export type ProposedMapping = Partial<Record<'contact' | 'company', MappingRow[]>> & {
  /** A preview of source-of-truth rules (several CRMs connected): Conduit field → rule, replacing the saved ones. */
  sourceOfTruth?: Partial<Record<'contact' | 'company', Record<string, FieldSourceRule>>>;
};

/** A field-level change a dry run would make. */
export type SampleDiff = SampleDiffDto;

/** One sync run with its counts: the sync history, and the progress of a running backfill (shared run columns: RunProgressColumns). */
@Entity('sync_run')
@Check('chk_sync_run_kind', `"kind" IN ('backfill', 'incremental', 'webhook', 'remap', 'dry_run', 'list', 'person_sync')`)
@Check('chk_sync_run_status', `"status" IN ('pending', 'running', 'paused', 'done', 'failed')`)
@Check('chk_sync_run_pause_cause', `"pause_cause" IS NULL OR "pause_cause" IN ('daily_allocation', 'crm_daily_limit')`)
@Check('chk_sync_run_paused', `"status" <> 'paused' OR ("resumes_at" IS NOT NULL AND "paused_reason" IS NOT NULL)`)
@Index('idx_sync_run_paused', { synchronize: false })
@Index('idx_sync_run_workspace_created', ['workspaceId', 'createdAt'])
@Index('idx_sync_run_connection', ['connectionId', 'kind', 'status'])
@Index('idx_sync_run_person', ['personId'], { where: '"person_id" IS NOT NULL' })
export class SyncRun extends RunProgressColumns {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_sync_run' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_sync_run_workspace' })
  workspace?: Relation<Workspace>;

  @Column({ type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_sync_run_connection' })
  connection?: Relation<CrmConnection>;

  @Column({ type: 'text' })
  crm: CrmKind;

  @Column({ type: 'text' })
  kind: SyncRunKind;

  /** CRM objects in the order they are read (companies before people, so contacts find their company). */
  @Column({ type: 'text', array: true })
  objects: CrmObjectType[];

  @Column({ type: 'jsonb', nullable: true })
  progress: RunProgress | null;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  failed: number;

  /** Records linked as archived/deleted in the CRM during this run. */
  @Column({ type: 'integer', default: 0 })
  archived: number;

  /** Records expected in all (null when the CRM cannot say cheaply). */
  @Column({ type: 'integer', nullable: true })
  totalEstimate: number | null;

  @Column({ type: 'integer', default: 0 })
  apiCalls: number;

  /** Related objects a full backfill imported (deals, owners, lists), by object: rows read from the CRM. */
  @Column({ type: 'jsonb', nullable: true })
  relatedCounts: Partial<Record<string, number>> | null;

  /** A mapping dry run: the proposed rows per mapped object, used instead of the saved mapping (nothing is written). */
  @Column({ type: 'jsonb', nullable: true })
  mapping: ProposedMapping | null;

  /** Dry runs: a sample of field-level diffs. */
  @Column({ type: 'jsonb', nullable: true })
  sample: SampleDiff[] | null;

  /**
   * A person re-read ("Sync now" on a person): the person. No foreign key (people sit in a layer above sync): a
   * deleted person's runs keep the id and are shown without a name.
   */
  @Column({ type: 'uuid', nullable: true })
  personId: string | null;

  /** The forecast the run was started with (#17), to show next to what it took. */
  @Column({ type: 'jsonb', nullable: true })
  forecast: RunForecastDto | null;

}
