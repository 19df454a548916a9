import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { PersonSyncChangeDto, PersonSyncDto, PersonSyncRecordDto } from '@conduit/contracts';
import { capabilitiesOf, crmLabel, isCrmError } from '@conduit/crm';
import { DataSource, IsNull } from 'typeorm';
import { describeCrmFailure } from '../crm-runtime/crm-failure.js';
import { CrmLink } from './crm-link.entity.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionPort } from './sync-connection.port.js';
import { SyncRunRepository } from './sync-run.repository.js';
import { SyncRunnerService } from './sync-runner.service.js';

/** The person's own fields a re-read can change, compared before and after (custom attributes by key as well). */
const COMPARED = ['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country', 'linkedinUrl', 'companyName', 'qualificationReasoning', 'leadStatus'] as const;

/**
 * A person as a re-read compares it, read with SQL: sync sits below the people and companies folders (depcruise layers),
 * so it reads their tables, not their entities.
 */
export type PersonSnapshot = Record<(typeof COMPARED)[number], unknown> & { companyId: string | null; customAttributes: Record<string, unknown> | null };

const SNAPSHOT_SQL = `SELECT first_name AS "firstName", last_name AS "lastName", email, phone, job_title AS "jobTitle", city, country,
         linkedin_url AS "linkedinUrl", company_name AS "companyName", qualification_reasoning AS "qualificationReasoning",
         lead_status AS "leadStatus", company_id AS "companyId", custom_attributes AS "customAttributes"
    FROM person WHERE id = $1 AND workspace_id = $2`;

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** The fields whose value differs between two reads of a person; the company by name, custom attributes by key. */
export function personChanges(before: PersonSnapshot, after: PersonSnapshot, companyName: (id: string | null) => string | null): PersonSyncChangeDto[] {
  const changes: PersonSyncChangeDto[] = [];
  for (const field of COMPARED) {
    const [b, a] = [text(before[field]), text(after[field])];
    if (b !== a) changes.push({ field, before: b, after: a });
  }
  if (before.companyId !== after.companyId) changes.push({ field: 'companyId', before: companyName(before.companyId), after: companyName(after.companyId) });
  const keys = new Set([...Object.keys(before.customAttributes ?? {}), ...Object.keys(after.customAttributes ?? {})]);
  for (const key of [...keys].sort()) {
    const [b, a] = [text(before.customAttributes?.[key]), text(after.customAttributes?.[key])];
    if (b !== a) changes.push({ field: `customAttributes.${key}`, before: b, after: a });
  }
  return changes;
}

/**
 * "Sync now" on a person: each CRM record the person is linked to is re-read at once through the sync engine (an
 * import run of those ids, so import priority, the source of truth, value maps and provenance apply as in any sync),
 * and the answer says what changed. One re-read of a person at a time (a second click while one runs is a 409).
 */
@Injectable()
export class PersonSyncService {
  private readonly logger = new Logger(PersonSyncService.name);

  constructor(
    @Inject(SYNC_CONNECTION_PORT) private readonly connections: SyncConnectionPort,
    private readonly runner: SyncRunnerService,
    private readonly runs: SyncRunRepository,
    private readonly dataSource: DataSource,
  ) {}

  async syncPerson(workspaceId: string, personId: string): Promise<PersonSyncDto> {
    const snapshot = async (): Promise<PersonSnapshot | undefined> => (await this.dataSource.query<PersonSnapshot[]>(SNAPSHOT_SQL, [personId, workspaceId]))[0];
    const before = await snapshot();
    if (!before) throw new NotFoundException('Person not found');
    const links = await this.dataSource.getRepository(CrmLink).find({ where: { workspaceId, personId, archivedAt: IsNull() }, order: { crm: 'ASC', createdAt: 'ASC' } });
    if (links.length === 0) return { personId, records: [], changes: [], upToDate: true, message: 'Not linked to any CRM record: nothing to re-read' };

    // The lock lives as long as this transaction (its connection is held for the few seconds of the re-read).
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.startTransaction();
      const [row] = (await lock.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok`, [`person-sync:${workspaceId}:${personId}`])) as { ok: boolean }[];
      if (!row?.ok) throw new ConflictException('This person is already being synced: the result shows when that finishes');
      const records: PersonSyncRecordDto[] = [];
      for (const link of links) records.push(await this.reread(workspaceId, link));
      const after = (await snapshot()) ?? before;
      const companies = await this.companyNames(workspaceId, [before.companyId, after.companyId]);
      const changes = personChanges(before, after, (id) => (id ? (companies.get(id) ?? null) : null));
      return { personId, records, changes, upToDate: changes.length === 0 && records.every((r) => r.outcome === 'unchanged' || r.outcome === 'updated'), message: messageOf(records, changes) };
    } finally {
      if (lock.isTransactionActive) await lock.commitTransaction();
      await lock.release();
    }
  }

  /** One linked record through the engine: a `person_sync` run naming the person, started and finished here. */
  private async reread(workspaceId: string, link: CrmLink): Promise<PersonSyncRecordDto> {
    const crmObject = capabilitiesOf(link.crm).objectNames[link.object];
    const base = { crm: link.crm, crmObject: crmObject.replace(/s$/, '').replace(/^./, (c) => c.toUpperCase()), crmId: link.crmId };
    const connection = await this.connections.get(workspaceId, link.connectionId);
    if (!connection?.usable) return { ...base, outcome: 'skipped', reason: `${crmLabel(link.crm)} needs to be reconnected`, runId: null };
    const run = await this.runs.create(this.dataSource.manager, { workspaceId, connectionId: link.connectionId, crm: link.crm, kind: 'person_sync', objects: [link.object], personId: link.personId });
    try {
      // Salesforce people can be Leads: the runner imports any person object.
      const result = await this.runner.runWebhook({ workspaceId, connectionId: link.connectionId, runId: run.id, object: link.object as 'contact', ids: [link.crmId], deletedIds: [] });
      if ('paused' in result) return { ...base, outcome: 'failed', reason: `${crmLabel(link.crm)}'s daily API allocation is spent: the record is re-read after the reset`, runId: run.id };
      if ('skipped' in result) return { ...base, outcome: 'skipped', reason: 'The run was already finished', runId: run.id };
      if (result.failed > 0) {
        const [failure] = await this.runs.failures(workspaceId, run.id, 1);
        return { ...base, outcome: 'failed', reason: failure?.reason ?? `${crmLabel(link.crm)} refused the record`, runId: run.id };
      }
      if (result.archived > 0) return { ...base, outcome: 'not_found', reason: `The ${base.crmObject} no longer exists in ${crmLabel(link.crm)}`, runId: run.id };
      return { ...base, outcome: result.updated > 0 || result.created > 0 ? 'updated' : 'unchanged', reason: null, runId: run.id };
    } catch (err) {
      const reason = isCrmError(err) ? describeCrmFailure(err) : `${crmLabel(link.crm)} could not be read: ${(err as Error).message}`;
      await this.runner.failRun(workspaceId, run.id, reason);
      this.logger.warn({ msg: 'person re-read failed', runId: run.id, crm: link.crm, reason });
      return { ...base, outcome: 'failed', reason, runId: run.id };
    }
  }

  private async companyNames(workspaceId: string, ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = ids.filter((id): id is string => id !== null);
    if (!wanted.length) return new Map();
    const rows = await this.dataSource.query<{ id: string; name: string | null; domain: string | null }[]>(`SELECT id, name, domain FROM company WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, wanted]);
    return new Map(rows.map((c) => [c.id, c.name || c.domain || 'Unnamed company']));
  }
}

function messageOf(records: readonly PersonSyncRecordDto[], changes: readonly PersonSyncChangeDto[]): string {
  const problems = records.filter((r) => r.outcome === 'failed' || r.outcome === 'skipped' || r.outcome === 'not_found');
  const from = [...new Set(records.filter((r) => r.outcome === 'updated').map((r) => crmLabel(r.crm)))];
  const changed = changes.length === 0 ? 'Already up to date' : `${changes.length} ${changes.length === 1 ? 'field' : 'fields'} updated${from.length ? ` from ${from.join(' and ')}` : ''}`;
  return problems.length ? `${changed}; ${problems.map((p) => p.reason ?? p.outcome).join('; ')}` : changed;
}
