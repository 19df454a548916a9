import type { CrmKind, CrmObjectType } from '@conduit/crm';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A Conduit person or company ↔ one CRM record of one connection. One person may hold several links (a HubSpot
 * contact and a Salesforce lead at once). A record deleted/archived in the CRM keeps its link with `archivedAt`
 * set, so it is visibly no longer live instead of silently kept.
 *
 * connectionId, personId and companyId reference crm_connection, person and company without declared foreign keys:
 * set-based triggers hold the same integrity (a missing row fails the insert or update with 23503, and a delete
 * removes its links), see CrmLinkSetBasedKeys1765300000000. So no relations are declared here.
 */
@Entity('crm_link')
@Check('chk_crm_link_target', `("person_id" IS NOT NULL) <> ("company_id" IS NOT NULL)`)
@Index('uq_crm_link_record', ['connectionId', 'object', 'crmId'], { unique: true })
// Partial: a link points at a person or a company, so each index holds only its own rows (see CrmLinkLean1765200000000).
@Index('idx_crm_link_person', ['personId'], { where: '"person_id" IS NOT NULL' })
@Index('idx_crm_link_company', ['companyId'], { where: '"company_id" IS NOT NULL' })
export class CrmLink {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_crm_link' })
  id: string;

  /** No foreign key of its own: the connection's cascades from the workspace, and this link's from the connection. */
  @Column({ type: 'uuid' })
  workspaceId: string;

  @Column({ type: 'uuid' })
  connectionId: string;

  @Column({ type: 'text' })
  crm: CrmKind;

  /** The CRM object (contact, lead, company). */
  @Column({ type: 'text' })
  object: CrmObjectType;

  @Column({ type: 'text' })
  crmId: string;

  @Column({ type: 'uuid', nullable: true })
  personId: string | null;

  @Column({ type: 'uuid', nullable: true })
  companyId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ type: 'timestamptz' })
  lastSyncedAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
