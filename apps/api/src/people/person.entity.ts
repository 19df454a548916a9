import { type EngagementState } from '@conduit/contracts';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Company } from '../companies/company.entity.js';
import { Timestamped } from '../database/timestamps.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';

/** A prospect. Expression indexes (lower(email), search) live in the migration, hence `synchronize: false`. */
@Entity('person')
@Check('chk_person_engagement_state', `"engagement_state" IN ('not_contacted', 'contacted', 'replied', 'replied_positive', 'replied_negative')`)
@Index('uq_person_workspace_email', { synchronize: false })
@Index('idx_person_workspace_created', { synchronize: false })
export class Person extends Timestamped {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_person' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_person_workspace' })
  workspace?: Relation<Workspace>;

  @Column({ type: 'text', nullable: true })
  firstName: string | null;

  @Column({ type: 'text', nullable: true })
  lastName: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  jobTitle: string | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  country: string | null;

  @Column({ type: 'text', nullable: true })
  linkedinUrl: string | null;

  @Column({ type: 'text', nullable: true })
  companyName: string | null;

  // Partial: only people with a company are found by it (see PersonPartialIndexes1765400000000).
  @Index('idx_person_company', { where: '"company_id" IS NOT NULL' })
  @Column({ type: 'uuid', nullable: true })
  companyId: string | null;

  @ManyToOne(() => Company, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'company_id', foreignKeyConstraintName: 'fk_person_company' })
  company?: Relation<Company> | null;

  @Column({ type: 'text', nullable: true })
  qualificationReasoning: string | null;

  @Column({ type: 'text', nullable: true })
  leadStatus: string | null;

  @Column({ type: 'text', default: 'not_contacted' })
  engagementState: EngagementState;

  @Index('idx_person_assigned_user', { where: '"assigned_user_id" IS NOT NULL' })
  @Column({ type: 'uuid', nullable: true })
  assignedUserId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assigned_user_id', foreignKeyConstraintName: 'fk_person_assigned_user' })
  assignedUser?: Relation<User> | null;

  @Column({ type: 'jsonb', default: {} })
  customAttributes: Record<string, unknown>;

  /** Advanced statuses reached, per parent engagement state ("Show advanced statuses"); written by export/advanced-status.ts. */
  @Column({ type: 'jsonb', default: {} })
  engagementDetails: Record<string, string>;
}
