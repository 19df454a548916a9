import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { ErasureAuditDto, ErasureResultDto } from '@conduit/contracts';
import { isEmail } from 'class-validator';
import type { Caller } from '../auth/caller.js';
import { parseCsv, type CsvSchema } from '../common/csv.js';
import { csvRows } from '../common/csv-upload.js';
import { validationFailed } from '../common/validation.js';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { OutboxService } from '../queues/outbox.service.js';
import { JobName } from '../queues/queue-names.js';
import { emailKey, SuppressionService } from '../suppression/suppression.service.js';
import { CrmLinkRepository } from '../sync/crm-link.repository.js';
import { ErasureRepository } from './erasure.repository.js';

const ERASURE_CSV: CsvSchema<'email'> = { customAttributes: false, aliases: { email: 'email', emailaddress: 'email', mail: 'email', workemail: 'email' } };
/** The same check as the JSON body's (class-validator IsEmail), so a CSV row and a body item are held to one rule. */
const isAddress = (v: unknown): v is string => typeof v === 'string' && v.length <= 320 && isEmail(v);

type Target = { personIds: string[] } | { emails: string[] };

/**
 * Erasure (#18). In one transaction: the people's email and CRM-record hashes go on the suppression list, the people
 * and everything describing them are deleted (profile, custom attributes, provenance, activities and their bodies,
 * consent rows and events, list and campaign memberships, needs-attention rows, CRM links, workflow runs about their
 * records), remaining mentions of the address in free-text columns are replaced, and an audit row records who erased
 * how many — never whom. With `deleteInHubspot`, the HubSpot contacts (linked, or found by email before the
 * transaction) are deleted through HubSpot's GDPR delete by a durable job. Salesforce records are the customer's.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger(ErasureService.name);

  constructor(
    private readonly outbox: OutboxService,
    private readonly repo: ErasureRepository,
    private readonly suppression: SuppressionService,
    private readonly clients: CrmClients,
    private readonly links: CrmLinkRepository,
  ) {}

  async erasePerson(caller: Caller, personId: string, deleteInHubspot: boolean): Promise<ErasureResultDto> {
    return this.erase(caller, { personIds: [personId] }, deleteInHubspot, 'person');
  }

  eraseEmails(caller: Caller, emails: string[], deleteInHubspot: boolean): Promise<ErasureResultDto> {
    return this.erase(caller, { emails }, deleteInHubspot, 'emails');
  }

  /** A CSV with an email column (header row first). Every row must hold an address, or nothing is erased. */
  eraseCsv(caller: Caller, text: string, deleteInHubspot: boolean): Promise<ErasureResultDto> {
    const rows = csvRows((t) => parseCsv(ERASURE_CSV, t), text);
    const bad = rows.flatMap((r, i) => (isAddress(r['email']) ? [] : [i + 1]));
    if (bad.length) {
      throw validationFailed([{ field: 'file', messages: [`the email column of data row${bad.length > 1 ? 's' : ''} ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? '…' : ''} is empty or not an address: nothing was erased`] }]);
    }
    return this.erase(caller, { emails: rows.map((r) => r['email'] as string) }, deleteInHubspot, 'csv');
  }

  audit(caller: Caller): Promise<ErasureAuditDto[]> {
    return this.repo.audit(caller.workspaceId);
  }

  private async erase(caller: Caller, target: Target, deleteInHubspot: boolean, source: ErasureAuditDto['source']): Promise<ErasureResultDto> {
    const ws = caller.workspaceId;
    const hubspot = deleteInHubspot ? await this.repo.hubspotConnection(ws) : null;
    if (deleteInHubspot && !hubspot) {
      throw validationFailed([{ field: 'deleteInHubspot', messages: ['HubSpot is not connected: connect it first, or erase without deleting in HubSpot'] }]);
    }
    const keys = 'emails' in target ? [...new Set(target.emails.map(emailKey))] : [];
    // HubSpot contacts with these addresses that Conduit may not be linked to, read before the transaction opens (no
    // CRM call while rows are locked). One batch read per 100 addresses.
    const byEmail = hubspot ? await this.hubspotContactsByEmail(ws, hubspot, 'personIds' in target ? await this.emailsOf(ws, target.personIds) : keys) : [];

    const result = await this.outbox.transaction(async (tx) => {
      const m = tx.manager;
      const people = 'personIds' in target ? await this.repo.peopleByIds(m, ws, target.personIds) : await this.repo.peopleByEmails(m, ws, keys);
      if (source === 'person' && !people.length) throw new NotFoundException('Person not found');
      const personIds = people.map((p) => p.id);
      const records = await this.links.recordsOfPeople(m, ws, personIds);
      const emails = [...new Set([...keys, ...people.flatMap((p) => (p.email ? [emailKey(p.email)] : []))])];
      const hubspotIds = [...new Set([...records.filter((r) => r.connection_id === hubspot && r.object === 'contact').map((r) => r.crm_id), ...byEmail])];

      const salt = await this.suppression.salt(ws, true, m);
      await this.suppression.suppress(m, ws, [
        ...emails.map((e) => this.suppression.emailHash(salt, e)),
        ...records.map((r) => this.suppression.recordHash(salt, r.crm, r.object, r.crm_id)),
        ...byEmail.map((id) => this.suppression.recordHash(salt, 'hubspot', 'contact', id)),
      ]);
      await this.repo.deletePeople(m, ws, personIds, [...new Set([...records.map((r) => r.crm_id), ...byEmail])]);
      await this.repo.scrub(m, ws, emails);

      const known = new Set(people.flatMap((p) => (p.email ? [emailKey(p.email)] : [])));
      const auditId = await this.repo.insertAudit(m, {
        workspaceId: ws,
        userId: caller.kind === 'user' ? caller.userId : null,
        apiKeyId: caller.kind === 'api-key' ? caller.apiKeyId : null,
        source,
        peopleErased: people.length,
        emailsSuppressed: emails.length,
        hubspotRequested: hubspotIds.length,
      });
      if (hubspot && hubspotIds.length) {
        await tx.enqueue(JobName.ErasureHubspotDelete, { workspaceId: ws, connectionId: hubspot, auditId, contactIds: hubspotIds }, { workspaceId: ws, maxAttempts: 10 });
      }
      return { erased: people.length, suppressedOnly: keys.filter((k) => !known.has(k)).length, hubspotDeletes: hubspotIds.length, auditId };
    });
    // Counts only: never the addresses.
    this.logger.log({ msg: 'people erased', workspaceId: ws, source, erased: result.erased, suppressedOnly: result.suppressedOnly, hubspotDeletes: result.hubspotDeletes, auditId: result.auditId });
    const { auditId: _id, ...answer } = result;
    return answer;
  }

  private async emailsOf(workspaceId: string, personIds: string[]): Promise<string[]> {
    return (await this.repo.emailsOf(workspaceId, personIds)).map(emailKey);
  }

  private async hubspotContactsByEmail(workspaceId: string, connectionId: string, emails: string[]): Promise<string[]> {
    if (!emails.length) return [];
    // An admin waits on the answer: a few addresses take the live lane; a bulk erasure takes what bulk work leaves.
    const client = await this.clients.open(workspaceId, connectionId, { feature: 'other', lane: emails.length <= 100 ? { kind: 'live', share: 0.5 } : { kind: 'bulk' } });
    const ids = new Set<string>();
    for (let i = 0; i < emails.length; i += 100) {
      const part = emails.slice(i, i + 100);
      const matches = await withCrmRetry(() => client.adapter.findByEmails(part));
      for (const m of matches) if (m.record.object === 'contact') ids.add(m.record.id);
    }
    return [...ids];
  }
}
