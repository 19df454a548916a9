import type { CrmKind } from '@conduit/contracts';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Workspace } from '../workspaces/workspace.entity.js';

/**
 * A pending OAuth authorization: single use (usedAt), short-lived (expiresAt), bound to the admin's session,
 * user and workspace. Only the SHA-256 of the `state` value is stored.
 */
@Entity('crm_oauth_state')
export class CrmOAuthState {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_crm_oauth_state' })
  id: string;

  @Index('uq_crm_oauth_state_hash', { unique: true })
  @Column({ type: 'text' })
  stateHash: string;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @ManyToOne(() => Workspace, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id', foreignKeyConstraintName: 'fk_crm_oauth_state_workspace' })
  workspace?: Relation<Workspace>;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @Column({ type: 'text' })
  crm: CrmKind;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
