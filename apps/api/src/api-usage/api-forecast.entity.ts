import type { ForecastDto, ForecastKind } from '@conduit/contracts';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';

/**
 * A forecast as the admin was shown it (#17). Starting the work with its id copies its figures onto the run
 * (`used_at` set: one forecast, one run); forecasts are only taken within FORECAST_TTL_MS of being made.
 */
@Entity('api_forecast')
@Check('chk_api_forecast_kind', `"kind" IN ('backfill', 'remap', 'bulk-export', 'list-sync')`)
@Index('idx_api_forecast_connection', ['workspaceId', 'connectionId', 'createdAt'])
export class ApiForecast {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_forecast' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_api_forecast_workspace' })
  workspace?: Relation<Workspace>;

  @Column({ type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_api_forecast_connection' })
  connection?: Relation<CrmConnection>;

  @Column({ type: 'text' })
  kind: ForecastKind;

  /** The answer the admin saw (without its id, which is this row's). */
  @Column({ type: 'jsonb' })
  figures: Omit<ForecastDto, 'id'>;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
