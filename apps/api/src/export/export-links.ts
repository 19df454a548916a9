import { Injectable } from '@nestjs/common';
import type { CrmObjectType } from '@conduit/crm';
import { DataSource, In } from 'typeorm';
import type { CrmConnection } from '../connections/connection.entity.js';
import { CrmLink } from '../sync/crm-link.entity.js';
import { CrmLinkRepository } from '../sync/crm-link.repository.js';
import { LeadConversions } from '../sync/lead-conversions.js';
import type { Attention, ExportContext, Item } from './export-context.js';
import { NeedsAttention } from './needs-attention.entity.js';

/** After a chunk's writes: crm_link rows for what the CRM holds now, and the Needs attention list. */
@Injectable()
export class ExportLinks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly conversions: LeadConversions,
    private readonly links: CrmLinkRepository,
  ) {}

  async record(ctx: ExportContext, items: Item[]): Promise<void> {
    const { connection } = ctx;
    const ok = items.filter((i) => !i.attention && i.crmId);
    // A push that met a converted Lead wrote its Contact: the person's link moves there, with provenance.
    const converted = ok.filter((i) => i.convertedFromLeadId && i.object === 'contact');
    if (converted.length) {
      await this.conversions.apply({ workspaceId: connection.workspaceId, connectionId: connection.id, crm: connection.crm }, converted.map((i) => ({ leadId: i.convertedFromLeadId!, contactId: i.crmId!, accountId: accountOf(i) })), new Date());
    }
    for (const object of ['contact', 'lead'] as const) {
      const rows = ok.filter((i) => i.object === object).map((i) => ({ crmId: i.crmId!, personId: i.person.id }));
      if (rows.length) await this.link(connection, object, rows);
      // What was written, remembered so the import does not take it back as a change (several CRMs: no echo).
      const written = ok.filter((i) => i.object === object && Object.keys(i.properties).length > 0).map((i) => ({ crmId: i.crmId!, properties: i.properties }));
      if (written.length) await this.links.recordWritten({ workspaceId: connection.workspaceId, connectionId: connection.id }, object, written);
    }
    // A Lead converted into a Contact: its old link is no longer the live record.
    const moved = ok.filter((i) => i.linked && i.linked.crmId !== i.crmId);
    if (moved.length) {
      await this.dataSource.getRepository(CrmLink).update({ id: In(moved.map((i) => i.linked!.id)), workspaceId: connection.workspaceId }, { archivedAt: new Date() });
    }
    const repo = this.dataSource.getRepository(NeedsAttention);
    if (ok.length) await repo.delete({ workspaceId: connection.workspaceId, connectionId: connection.id, personId: In(ok.map((i) => i.person.id)) });
    await this.needsAttention(connection, items.flatMap((i) => (i.attention ? [{ personId: i.person.id, attention: i.attention }] : [])));
  }

  /** People an export could not write, with the reason: one open entry per person and connection, its attempts counted. */
  async needsAttention(connection: CrmConnection, entries: readonly { personId: string; attention: Attention }[]): Promise<void> {
    for (const { personId, attention } of entries) {
      await this.dataSource.query(
        `INSERT INTO export_needs_attention (workspace_id, connection_id, crm, person_id, code, reason, fields, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (connection_id, person_id) DO UPDATE
           SET code = excluded.code, reason = excluded.reason, fields = excluded.fields, source = excluded.source,
               attempts = export_needs_attention.attempts + 1, updated_at = now()`,
        [connection.workspaceId, connection.id, connection.crm, personId, attention.code, attention.reason, attention.fields, attention.source],
      );
    }
  }

  /** crm_link is the one person/company ↔ CRM record link (shared with import; its SQL: sync/crm-link.repository.ts). */
  async link(connection: CrmConnection, object: CrmObjectType, all: { crmId: string; personId?: string; companyId?: string }[]): Promise<void> {
    await this.links.upsert({ workspaceId: connection.workspaceId, connectionId: connection.id, crm: connection.crm, object }, all);
  }
}

/** The Account of a converted Lead's Contact, as the export found it (its AccountId) or put it (Contact + Account). */
function accountOf(item: Item): string | null {
  const account = item.account?.id ?? item.match?.properties['AccountId'];
  return typeof account === 'string' && account !== '' ? account : null;
}
