import { Check, Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One field of a provenance set: how its value was decided. Values are Conduit values (JSON). */
export interface ProvenanceFieldDoc {
  crm_field?: string | null;
  rule: string;
  previous_value?: unknown;
  value?: unknown;
}

/**
 * Where field values came from: one row per change set — the import of one CRM record into a person or company,
 * or one edit made in Conduit — with the changed fields as one json document keyed by field. The person page
 * shows the latest entry per field ("why is this value here?"). Entity ids are not foreign keys: history outlives
 * deletes and this table is written in bulk (COPY). The `field_provenance` view shows it one row per field.
 */
@Entity('field_provenance_set')
@Check('chk_field_provenance_set_entity', `"entity" IN ('person', 'company')`)
@Check('chk_field_provenance_set_source', `"source" IN ('crm', 'conduit')`)
export class FieldProvenance {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_field_provenance_set' })
  workspaceId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_field_provenance_set' })
  entity: 'person' | 'company';

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_field_provenance_set' })
  entityId: string;

  /** Insertion order (ties of `at` within one transaction). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_field_provenance_set' })
  seq: string;

  @Column({ type: 'text' })
  source: 'crm' | 'conduit';

  @Column({ type: 'uuid', nullable: true })
  connectionId: string | null;

  @Column({ type: 'text', nullable: true })
  crmRecordId: string | null;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** CRM imports: the CRM record's own modification time (what "most recent change wins" compares). */
  @Column({ type: 'timestamptz', nullable: true })
  crmModifiedAt: Date | null;

  /** `{ "<field>": { crm_field, rule (`crm_wins`, `conduit_wins_fill_empty`, `conduit_edit`…), previous_value, value } }`. */
  @Column({ type: 'json' })
  fields: Record<string, ProvenanceFieldDoc>;
}
