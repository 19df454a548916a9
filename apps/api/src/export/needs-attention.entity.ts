import type { CrmKind } from '@conduit/contracts';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Timestamped } from '../database/timestamps.js';
import { Person } from '../people/person.entity.js';

/**
 * A person an export could not write, with the exact reason (the CRM's own message when the CRM refused it).
 * One open row per person and connection; exporting the person successfully deletes it.
 */
@Entity('export_needs_attention')
@Check('chk_export_needs_attention_source', `"source" IN ('preflight', 'crm')`)
@Index('uq_export_needs_attention_person', ['connectionId', 'personId'], { unique: true })
@Index('idx_export_needs_attention_workspace', ['workspaceId', 'createdAt'])
export class NeedsAttention extends Timestamped {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_export_needs_attention' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @Column({ type: 'uuid' })
  connectionId: string;

  @Column({ type: 'text' })
  crm: CrmKind;

  @Column({ type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_export_needs_attention_person' })
  person?: Relation<Person>;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  fields: string[];

  @Column({ type: 'text' })
  source: 'preflight' | 'crm';

  @Column({ type: 'integer', default: 1 })
  attempts: number;
}
