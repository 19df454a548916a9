import type { CrmObjectType } from '@conduit/crm';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';

/**
 * Incremental sync checkpoint per connection and CRM object, written in the same transaction as the page it
 * follows, so a crash resumes after the last imported page. The cursor is the adapter's opaque string.
 */
@Entity('sync_cursor')
export class SyncCursor {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_sync_cursor' })
  connectionId: string;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_sync_cursor_connection' })
  connection?: Relation<CrmConnection>;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_sync_cursor' })
  object: CrmObjectType;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @Column({ type: 'text' })
  cursor: string;

  @Column({ type: 'timestamptz' })
  updatedAt: Date;
}
