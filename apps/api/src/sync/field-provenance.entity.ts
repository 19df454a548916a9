import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Where a field's value came from: one row per change (CRM import or Conduit edit), newest last. The person page
 * shows the latest row per field ("why is this value here?"). Entity ids are not foreign keys: history outlives
 * deletes and this table is written in bulk.
 */
@Entity('field_provenance')
@Check('chk_field_provenance_entity', `"entity" IN ('person', 'company')`)
@Check('chk_field_provenance_source', `"source" IN ('crm', 'conduit')`)
@Index('idx_field_provenance_entity', ['workspaceId', 'entity', 'entityId', 'field', 'at'])
export class FieldProvenance {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_field_provenance' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @Column({ type: 'text' })
  entity: 'person' | 'company';

  @Column({ type: 'uuid' })
  entityId: string;

  @Column({ type: 'text' })
  field: string;

  @Column({ type: 'text' })
  source: 'crm' | 'conduit';

  @Column({ type: 'uuid', nullable: true })
  connectionId: string | null;

  @Column({ type: 'text', nullable: true })
  crmRecordId: string | null;

  @Column({ type: 'text', nullable: true })
  crmField: string | null;

  /** The mapping rule that decided (`crm_wins`, `conduit_wins`, `fill_empty`…). */
  @Column({ type: 'text' })
  rule: string;

  @Column({ type: 'jsonb', nullable: true })
  previousValue: unknown;

  @Column({ type: 'jsonb', nullable: true })
  value: unknown;

  @Column({ type: 'timestamptz' })
  at: Date;
}
