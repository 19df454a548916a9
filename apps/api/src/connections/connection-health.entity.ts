import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Workspace } from '../workspaces/workspace.entity.js';
import { CrmConnection } from './connection.entity.js';

/**
 * How a connection's CRM has been answering Conduit's calls (#21): while it keeps failing (5xx, no answer, dropped
 * connections), since when, how many calls failed and its last answer in words. Written by the CRM runtime
 * (crm-runtime/connection-health.ts) for every feature's calls; cleared by the next call that succeeds. The
 * Integrations card and waiting activities read it ("HubSpot answers 500 since 10:32").
 */
@Entity('crm_connection_health')
export class CrmConnectionHealth {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_crm_connection_health' })
  connectionId: string;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_connection_health_connection' })
  connection?: Relation<CrmConnection>;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_crm_connection_health_workspace' })
  workspace?: Relation<Workspace>;

  /** The first failure since the CRM last answered well; null while it answers. */
  @Column({ type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastFailureAt: Date | null;

  /** The last failure in words ("HubSpot answered 500: internal error"). */
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** Calls failed since failingSince. */
  @Column({ type: 'integer', default: 0 })
  failures: number;

  @Column({ type: 'timestamptz', nullable: true })
  recoveredAt: Date | null;
}
