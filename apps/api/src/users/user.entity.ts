import type { Role } from '@conduit/contracts';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Timestamped } from '../database/timestamps.js';
import { Workspace } from '../workspaces/workspace.entity.js';

/**
 * Emails are unique within a workspace (the migration's (workspace_id, lower(email)) index), not across workspaces:
 * a workspace must not learn that an address has an account elsewhere. Login finds the account by its password.
 */
@Entity('app_user')
@Check('chk_app_user_role', `"role" IN ('admin', 'member')`)
@Index('idx_app_user_workspace', ['workspaceId'])
@Index('uq_app_user_workspace_email', { synchronize: false })
@Index('idx_app_user_email', { synchronize: false })
export class User extends Timestamped {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_app_user' })
  id: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_app_user_workspace' })
  workspace?: Relation<Workspace>;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ type: 'text' })
  passwordHash: string;
}
