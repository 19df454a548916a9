import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Timestamped } from '../database/timestamps.js';
import { Workspace } from '../workspaces/workspace.entity.js';

@Entity('company')
@Index('idx_company_workspace_name', { synchronize: false })
@Index('idx_company_workspace_domain', { synchronize: false })
export class Company extends Timestamped {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_company' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_company_workspace' })
  workspace?: Relation<Workspace>;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  domain: string | null;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  @Column({ type: 'text', nullable: true })
  industry: string | null;

  @Column({ type: 'integer', nullable: true })
  employeeCount: number | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  country: string | null;

  /** Conduit custom attributes (`custom.<key>` in the Companies tab of a property mapping), like a person's. */
  @Column({ type: 'jsonb', default: {} })
  customAttributes: Record<string, unknown>;
}
