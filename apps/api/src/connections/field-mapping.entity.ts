import type { ExportBehaviour, FieldType, ImportPriority, MappedObject, CrmFieldType } from '@conduit/mapping';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CrmConnection } from './connection.entity.js';

/**
 * One row of a connection's field mapping, in the shape of @conduit/mapping's MappingRow so the sync engine
 * reads it as is. `position` keeps the admin's order (validation messages name rows by it).
 */
@Entity('crm_field_mapping')
@Check('chk_crm_field_mapping_object', `"object" IN ('contact', 'company', 'activity')`)
@Check('chk_crm_field_mapping_import', `"import_priority" IN ('crm', 'conduit')`)
@Check('chk_crm_field_mapping_export', `"export_behaviour" IN ('fill_if_empty', 'overwrite', 'do_not_export')`)
@Index('uq_crm_field_mapping_position', ['connectionId', 'object', 'position'], { unique: true })
export class CrmFieldMapping {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_crm_field_mapping' })
  id: string;

  @Column({ type: 'uuid' })
  connectionId: string;

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_field_mapping_connection' })
  connection?: Relation<CrmConnection>;

  @Column({ type: 'text' })
  object: MappedObject;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  conduitField: string;

  @Column({ type: 'text' })
  crmField: string;

  @Column({ type: 'text' })
  importPriority: ImportPriority;

  @Column({ type: 'text' })
  exportBehaviour: ExportBehaviour;

  @Column({ type: 'text', nullable: true })
  conduitType: FieldType | null;

  @Column({ type: 'text', nullable: true })
  crmType: CrmFieldType | null;

  /** Fixed-vocabulary fields: CRM option value → Conduit value (null: Conduit's suggestions from the field's options). */
  @Column({ type: 'jsonb', nullable: true })
  valueMap: Record<string, string> | null;
}
