import type { ContactSourceDto, ExportPolicy, SalesforceExportObject, WhenLeadExists } from '@conduit/contracts';
import type { CrmOwner, OwnerOverride, StatusMapping } from '@conduit/mapping';
import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';

/** A status mapping as stored: the @conduit/mapping shape plus an on/off switch. */
export interface StoredStatusMapping extends StatusMapping {
  enabled: boolean;
}

/**
 * Export configuration of one CRM connection: when people export (policy), the contact-source stamp, the Salesforce
 * external-id field, the status mapping and the owner mapping (overrides + fallback owner, with the CRM's owners
 * cached so an export does not list them on every run). Deleted with the connection.
 */
@Entity('crm_export_settings')
@Check('chk_crm_export_settings_policy', `"policy" IN ('all_contacted', 'replied', 'replied_positive')`)
@Check('chk_crm_export_settings_salesforce_object', `"salesforce_object" IN ('lead', 'contact')`)
@Check('chk_crm_export_settings_when_lead_exists', `"when_lead_exists" IN ('update_lead', 'create_contact')`)
export class CrmExportSettings {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_crm_export_settings' })
  connectionId: string;

  @OneToOne(() => CrmConnection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id', foreignKeyConstraintName: 'fk_crm_export_settings_connection' })
  connection?: Relation<CrmConnection>;

  @Column({ type: 'uuid' })
  workspaceId: string;

  @Column({ type: 'text', default: 'all_contacted' })
  policy: ExportPolicy;

  @Column({ type: 'boolean', default: true })
  autoExport: boolean;

  @Column({ type: 'jsonb', nullable: true })
  contactSource: ContactSourceDto | null;

  @Column({ type: 'text', nullable: true })
  externalIdField: string | null;

  /** Salesforce: people are written as Leads, or as Contacts under an Account (matched or created). */
  @Column({ type: 'text', default: 'lead' })
  salesforceObject: SalesforceExportObject;

  /** Salesforce, Contact + Account: a person who is an unconverted Lead with the same email — update it, or create the Contact and leave the Lead. */
  @Column({ type: 'text', default: 'update_lead' })
  whenLeadExists: WhenLeadExists;

  /** Null = the default status mapping of the CRM. */
  @Column({ type: 'jsonb', nullable: true })
  statusMapping: StoredStatusMapping | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  ownerOverrides: OwnerOverride[];

  @Column({ type: 'text', nullable: true })
  defaultOwnerId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  ownersCache: CrmOwner[] | null;

  @Column({ type: 'timestamptz', nullable: true })
  ownersFetchedAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
