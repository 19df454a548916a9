import type { CrmFieldDto, FieldDriftDto } from '@conduit/contracts';
import type { CrmFieldDescriptor } from '@conduit/mapping';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CrmConnection } from './connection.entity.js';

/**
 * A discovered field as stored: the API's shape (CrmFieldDto), whose `type` discovery wrote from the adapter's
 * descriptor, so the mapping engine reads it as its own CrmFieldDescriptor without a cast.
 */
export type StoredCrmField = CrmFieldDto & CrmFieldDescriptor;

/** The fields of one CRM object as last discovered, and the last drift found between two discoveries. */
@Entity('crm_field_snapshot')
@Index('uq_crm_field_snapshot_object', ['connectionId', 'object'], { unique: true })
export class CrmFieldSnapshot {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_crm_field_snapshot' })
  id: string;

  @Column({ type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_field_snapshot_connection' })
  connection?: Relation<CrmConnection>;

  /** Neutral object name (contact, lead, company). */
  @Column({ type: 'text' })
  object: string;

  @Column({ type: 'jsonb' })
  fields: StoredCrmField[];

  @Column({ type: 'timestamptz' })
  discoveredAt: Date;

  @Column({ type: 'jsonb', nullable: true })
  drift: FieldDriftDto | null;

  @Column({ type: 'timestamptz', nullable: true })
  driftDetectedAt: Date | null;
}
