import { API_FEATURES, type ApiFeature } from '@conduit/contracts';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';

/**
 * Conduit's own CRM calls (#17): one row per connection, hour (UTC start of the hour, on the budget clock) and feature.
 * Written by ApiUsageMeter in batches (in-process counters added with one upsert every few seconds), read by the
 * budget summary and the usage dashboard.
 */
@Entity('crm_api_usage')
@Check('chk_crm_api_usage_feature', `"feature" IN (${API_FEATURES.map((f) => `'${f}'`).join(', ')})`)
@Check('chk_crm_api_usage_calls', `"calls" >= 0`)
@Index('idx_crm_api_usage_workspace_hour', ['workspaceId', 'connectionId', 'hour'])
export class CrmApiUsage {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_crm_api_usage' })
  connectionId: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'pk_crm_api_usage' })
  hour: Date;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_crm_api_usage' })
  feature: ApiFeature;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_crm_api_usage_workspace' })
  workspace?: Relation<Workspace>;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_api_usage_connection' })
  connection?: Relation<CrmConnection>;

  @Column({ type: 'integer', default: 0 })
  calls: number;
}

/**
 * What the CRM reported for the whole account (every integration, Conduit included): the last reading of each hour
 * per connection — HubSpot `X-HubSpot-RateLimit-Daily` / `-Daily-Remaining`, Salesforce `Sforce-Limit-Info:
 * api-usage=used/max` (`headers`) or `GET /limits` (`limits`). The newest row is the current figure.
 */
@Entity('crm_api_reported')
@Check('chk_crm_api_reported_source', `"source" IN ('headers', 'limits')`)
@Index('idx_crm_api_reported_workspace_hour', ['workspaceId', 'connectionId', 'hour'])
export class CrmApiReported {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_crm_api_reported' })
  connectionId: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'pk_crm_api_reported' })
  hour: Date;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_crm_api_reported_workspace' })
  workspace?: Relation<Workspace>;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_api_reported_connection' })
  connection?: Relation<CrmConnection>;

  @Column({ type: 'integer' })
  used: number;

  @Column({ type: 'integer' })
  max: number;

  @Column({ type: 'timestamptz' })
  reportedAt: Date;

  /** Where the span the reading was kept in starts (reported-reading.ts): within it, the highest reading is kept. */
  @Column({ type: 'timestamptz', nullable: true })
  windowStart: Date | null;

  @Column({ type: 'text' })
  source: 'headers' | 'limits';
}
