import type { CrmKind, CrmObjectType } from '@conduit/crm';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { Company } from '../companies/company.entity.js';
import { Person } from '../people/person.entity.js';

/**
 * A Conduit person or company ↔ one CRM record of one connection. One person may hold several links (a HubSpot
 * contact and a Salesforce lead at once). A record deleted/archived in the CRM keeps its link with `archivedAt`
 * set, so it is visibly no longer live instead of silently kept.
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

  @ManyToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_link_connection' })
  connection?: Relation<CrmConnection>;

  @Column({ type: 'text' })
  crm: CrmKind;

  /** The CRM object (contact, lead, company). */
  @Column({ type: 'text' })
  object: CrmObjectType;

  @Column({ type: 'text' })
  crmId: string;

  @Column({ type: 'uuid', nullable: true })
  personId: string | null;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_crm_link_person' })
  person?: Relation<Person> | null;

  @Column({ type: 'uuid', nullable: true })
  companyId: string | null;

  @ManyToOne(() => Company, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'company_id', foreignKeyConstraintName: 'fk_crm_link_company' })
  company?: Relation<Company> | null;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ type: 'timestamptz' })
  lastSyncedAt: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
