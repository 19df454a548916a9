import { Injectable, Logger } from '@nestjs/common';
import type { CrmListSource } from '@conduit/contracts';
import { capabilitiesOf, type CrmCallScheduler, CrmError, crmLabel, type CrmListMember, type CrmListMemberPage, type CrmObjectType } from '@conduit/crm';
import { DataSource, type QueryRunner } from 'typeorm';
import type { CrmConnectionRef } from '../crm-runtime/crm-runtime.options.js';
import { ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import { type CrmClient, CrmClients } from '../crm-runtime/crm-clients.service.js';
import type { MembershipSyncResult, PausedListSync } from '../queues/jobs/index.js';
import { CrmLinkRepository, crmLinkSql } from '../sync/crm-link.repository.js';
import { SyncRun } from '../sync/sync-run.entity.js';
import { SyncRunnerService } from '../sync/sync-runner.service.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { unreadableReason } from './crm-list.view.js';
import { CrmListsService } from './crm-lists.service.js';
import { ImportPipeline, type ImportOutcome } from './import-pipeline.js';
import { MEMBERSHIP_LANES, NotKeysetError, readRanges, type ReadPage, splitPoints } from './membership-reader.js';

/** How long a run waits for another sync of the same list to finish, and how often it looks. */
const LOCK_WAIT_MS = 15 * 60_000;
const LOCK_POLL_MS = 500;

/** Changed rows after which a sync refreshes table statistics itself. */
const ANALYZE_AFTER = 1000;

interface ListRow {
  id: string;
  connection_id: string;
  crm_list_id: string;
  source: CrmListSource;
  /** "Resume now anyway": until then the sync's calls pass the daily allocation. */
  allocation_override_until: Date | null;
}

/** `done_elsewhere`: another run of the same job finished it while this one waited for the list's lock. */
export type SkippedSync = { skipped: 'done_elsewhere' } | { skipped: 'list_gone' };

/**
 * One membership sync of one list:
 * 1. page the membership (HubSpot 250 per call, several ranges at once when it pages by record id — see
 *    readMembership; Salesforce CampaignMember query pages);
 * 2. while paging, members without a live crm_link are imported through the sync engine in `list` runs of
 *    IMPORT_CHUNK ids (batch reads of 100, company associations, mapping priorities and provenance), two at a time,
 *    overlapping the next pages — members already linked are kept current by the regular incremental sync and
 *    cost no call here;
 * 3. the membership set is replaced in Postgres: the CRM ids go into a temporary staging table, resolve to
 *    people through crm_link, and one INSERT … ON CONFLICT plus one DELETE … NOT EXISTS make the stored set equal.
 * A list the CRM answers 404 for (or a Salesforce Campaign gone from the catalog) is flagged deleted and keeps
 * its last members.
 */
@Injectable()
export class ListMembershipService {
  private readonly logger = new Logger(ListMembershipService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: CrmClients,
    private readonly budgets: ApiBudgetService,
    private readonly runner: SyncRunnerService,
    private readonly catalog: CrmListsService,
    private readonly links: CrmLinkRepository,
  ) {}

  /**
   * Syncs under a session advisory lock per list, so two runs never import the same new members concurrently.
   * A run that finds the lock taken waits for it (polling, so the event loop and Bull's lock renewal stay free):
   * it is either a new request made while a sync was finishing, which must still read the membership afresh, or a
   * second run of the same job (Bull took the first for stalled), which `stillWanted` recognises once the first
   * has finished the job. Waiting longer than LOCK_WAIT_MS throws, so Bull retries later.
   */
  async sync(workspaceId: string, listId: string, stillWanted: () => Promise<boolean> = () => Promise.resolve(true)): Promise<MembershipSyncResult | PausedListSync | SkippedSync> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await this.acquire(lock, listId);
      try {
        if (!(await stillWanted())) {
          this.logger.warn({ msg: 'list sync job already finished by another run; skipping this one', listId });
          return { skipped: 'done_elsewhere' };
        }
        return await this.syncLocked(workspaceId, listId);
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtext('crm-list-sync:' || $1))`, [listId]);
      }
    } finally {
      await lock.release();
    }
  }

  private async acquire(lock: QueryRunner, listId: string): Promise<void> {
    const until = Date.now() + LOCK_WAIT_MS;
    for (let logged = false; ; ) {
      const held = (await lock.query(`SELECT pg_try_advisory_lock(hashtext('crm-list-sync:' || $1)) AS ok`, [listId])) as { ok: boolean }[];
      if (held[0]?.ok) return;
      if (Date.now() >= until) throw new Error(`Another sync of list ${listId} has held its lock for ${LOCK_WAIT_MS / 60_000} minutes; retrying later`);
      if (!logged) this.logger.log({ msg: 'another sync of this list is running; waiting for it', listId });
      logged = true;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }

  private async syncLocked(workspaceId: string, listId: string): Promise<MembershipSyncResult | PausedListSync | SkippedSync> {
    // UPDATE … RETURNING answers [rows, affected] through TypeORM.
    const [[list]] = await this.dataSource.query<[ListRow[], number]>(
      `UPDATE crm_list SET sync_status = 'running' WHERE workspace_id = $1 AND id = $2 RETURNING id, connection_id, crm_list_id, source, allocation_override_until`,
      [workspaceId, listId],
    );
    if (!list) return { skipped: 'list_gone' };
    const client = await this.clients.open(workspaceId, list.connection_id, { feature: 'lists', allocationOverrideUntil: list.allocation_override_until });
    try {
      return await this.syncWith(workspaceId, listId, list, client);
    } catch (err) {
      // The daily API allocation reached, or the CRM refusing for its daily limit: the list keeps its members and
      // waits (a recorded state, not a failure); the budget sweep (resumeDue) syncs it again after the reset. Members
      // imported before the pause are linked, so the next sync reads the membership again but imports only the rest.
      const pause = this.budgets.pauseFor(client.connection, err);
      if (!pause) throw err;
      await this.dataSource.query(
        `UPDATE crm_list SET sync_status = 'paused', paused_at = $3, paused_reason = $4, pause_cause = $5, resumes_at = $6 WHERE workspace_id = $1 AND id = $2`,
        [workspaceId, listId, this.budgets.now(), pause.reason, pause.cause, pause.resumesAt],
      );
      this.logger.warn({ msg: 'list sync paused for the API budget', listId, cause: pause.cause, resumesAt: pause.resumesAt.toISOString() });
      return { listId, paused: true, resumesAt: pause.resumesAt.toISOString() };
    }
  }

  private async syncWith(workspaceId: string, listId: string, list: ListRow, client: CrmClient): Promise<MembershipSyncResult> {
    const { connection, calls } = client;

    // Members Conduit does not know are imported while later membership pages are still being read, so the
    // page reads, the batch reads and the database writes overlap and the rate budget stays full.
    const imports = new ImportPipeline((object, ids) => this.importMembers(workspaceId, connection, object, ids, list.allocation_override_until));
    let members: CrmListMember[];
    try {
      // Each page under the connection's adaptive in-flight limit (crm-runtime/in-flight-limiter.ts), retried in place.
      const read: ReadPage = (after) => client.call((adapter) => adapter.listMembers(list.crm_list_id, after));
      const onPage = async (page: CrmListMember[]): Promise<void> => {
        // Members without a live link to a person are imported; linked ones are kept current by the incremental sync.
        const unknown = await this.links.withoutLivePerson(workspaceId, list.connection_id, page.map((m) => ({ object: m.object, crmId: m.recordId })));
        for (const u of unknown) await imports.add(u.object, u.crm_id);
      };
      // A CRM that reads a whole membership itself with several calls in flight (Salesforce: the member query's pages
      // fetched ahead by locator offset, every page of a list view however many thousand rows) does; else pages here.
      const readAll = client.adapter.readListMembers?.bind(client.adapter);
      const schedule: CrmCallScheduler = (call) => withCrmRetry(() => client.inFlight.run(call));
      members = readAll
        ? await readEvery(readAll(list.crm_list_id, { schedule }), onPage)
        : await this.readMembership(workspaceId, listId, list.connection_id, read, onPage);
      // A deleted Salesforce Campaign answers the member query (empty, or with orphaned members), not a 404: its
      // existence is checked against the Campaign catalog (one query) before the stored set may change. A deleted
      // list view answers its describe 404 itself.
      if (list.source !== 'list_view' && capabilitiesOf(connection.crm).deletedList === 'gone_from_catalog' && (await this.goneFromCatalog(workspaceId, list.connection_id, listId))) {
        throw new CrmError({ kind: 'not_found' }, { crm: connection.crm, status: 404, message: `${crmLabel(connection.crm)} list ${list.crm_list_id} no longer exists` });
      }
    } catch (err) {
      await imports.abandon();
      if (err instanceof CrmError && err.details.kind === 'not_found') {
        await this.dataSource.query(
          `UPDATE crm_list SET deleted_in_crm_at = COALESCE(deleted_in_crm_at, now()), sync_status = 'ok', last_error = NULL, allocation_override_until = NULL, last_synced_at = now() WHERE workspace_id = $1 AND id = $2`,
          [workspaceId, listId],
        );
        this.logger.warn({ msg: 'CRM list is gone; keeping its last members', listId });
        return { listId, deletedInCrm: true, members: 0, added: 0, removed: 0, imported: 0, apiCalls: calls(), importRunIds: [] };
      }
      if (err instanceof CrmError && (err.details.kind === 'validation' || err.details.kind === 'permission_denied')) {
        // The CRM still has the list but refuses to run it for the connected user (a list view filtering on a field
        // they cannot read): retrying the same request cannot help, and dropping every member would silently empty
        // the campaigns that use it. The list keeps its last members and says why; each scheduled refresh tries
        // again, and the first read that works clears the flag.
        const reason = unreadableReason(list.source, crmLabel(connection.crm), err.message);
        await this.dataSource.query(
          `UPDATE crm_list SET unreadable_at = COALESCE(unreadable_at, now()), unreadable_reason = $3, sync_status = 'ok', last_error = NULL, allocation_override_until = NULL, last_synced_at = now()
            WHERE workspace_id = $1 AND id = $2`,
          [workspaceId, listId, reason],
        );
        this.logger.warn({ msg: 'CRM refuses to read the list; keeping its last members', listId, error: err.message });
        return { listId, deletedInCrm: false, unreadableInCrm: true, members: 0, added: 0, removed: 0, imported: 0, apiCalls: calls(), importRunIds: [] };
      }
      throw err;
    }
    const membershipCalls = calls();
    const { runIds, apiCalls: importCalls, imported } = await imports.finish();
    const objects = members.map((m) => m.object);
    const crmIds = members.map((m) => m.recordId);

    const { added, removed, count } = await this.replaceMembers(workspaceId, listId, list.connection_id, objects, crmIds, members.length);
    await this.refreshStatistics(added + removed, imported);
    this.logger.log({ msg: 'list membership synced', listId, members: count, added, removed, imported, apiCalls: membershipCalls + importCalls });
    return { listId, deletedInCrm: false, members: count, added, removed, imported, apiCalls: membershipCalls + importCalls, importRunIds: runIds };
  }

  /**
   * The whole membership. The first page says whether the CRM pages it by record id; if so, and the list had members
   * at its last sync, the rest is read in ranges cut at those members' record ids, all at once (membership-reader.ts),
   * so a re-sync runs at the rate budget's pace instead of one round trip after another. Otherwise, or if a page
   * comes back out of order, page after page.
   */
  private async readMembership(workspaceId: string, listId: string, connectionId: string, read: ReadPage, onPage: (page: CrmListMember[]) => Promise<void>): Promise<CrmListMember[]> {
    // Where the ranges are cut is read while the first page is on its way.
    const [first, known] = await Promise.all([read(null), this.knownMemberIds(workspaceId, listId, connectionId)]);
    await onPage(first.members);
    if (!first.nextAfter) return first.members;
    if (first.byRecordId === true) {
      const splits = splitPoints(known, first.nextAfter, Math.max(1, first.members.length));
      if (splits.length) {
        try {
          const rest = await readRanges(read, first.nextAfter, splits, MEMBERSHIP_LANES, onPage);
          const members = [...first.members, ...rest];
          if (first.total !== undefined && members.length !== first.total) {
            // A dynamic list re-evaluated while it was read: the same race a page-by-page read has.
            this.logger.log({ msg: 'list membership changed while it was read', listId, read: members.length, total: first.total });
          }
          return members;
        } catch (err) {
          if (!(err instanceof NotKeysetError)) throw err;
          this.logger.warn({ msg: 'membership is not paged by record id after all; reading it page by page', listId, error: err.message });
        }
      }
    }
    const members = [...first.members];
    for (let after: string | null = first.nextAfter; after; ) {
      const page = await read(after);
      members.push(...page.members);
      await onPage(page.members);
      after = page.nextAfter;
    }
    return members;
  }

  /** CRM record ids of the list's members as of its last sync, numeric ids in numeric order (where to cut the membership into ranges). */
  private async knownMemberIds(workspaceId: string, listId: string, connectionId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ crm_id: string }[]>(
      `SELECT l.crm_id FROM crm_list_member m
         ${crmLinkSql.joinLivePersonRecords('l', { workspace: 'm.workspace_id', connection: '$3', person: 'm.person_id' })}
        WHERE m.list_id = $1 AND m.workspace_id = $2
        ORDER BY length(l.crm_id), l.crm_id COLLATE "C"`,
      [listId, workspaceId, connectionId],
    );
    return rows.map((r) => r.crm_id);
  }

  /** Re-reads the connection's list catalog; whether this list is now flagged deleted in the CRM. */
  private async goneFromCatalog(workspaceId: string, connectionId: string, listId: string): Promise<boolean> {
    await this.catalog.refreshCatalog(workspaceId, connectionId);
    const [row] = await this.dataSource.query<{ deleted_in_crm_at: Date | null }[]>(`SELECT deleted_in_crm_at FROM crm_list WHERE workspace_id = $1 AND id = $2`, [workspaceId, listId]);
    return row?.deleted_in_crm_at != null;
  }

  /**
   * One import run of named CRM ids through the sync engine (mapping priorities and provenance apply). The run carries
   * the list sync's "Resume now anyway" (its client is the runner's, opened from the run).
   */
  private async importMembers(workspaceId: string, connection: CrmConnectionRef, object: CrmObjectType, ids: string[], allocationOverrideUntil: Date | null): Promise<ImportOutcome> {
    const run = await this.dataSource
      .getRepository(SyncRun)
      .save({ workspaceId, connectionId: connection.id, crm: connection.crm, kind: 'list', status: 'pending', objects: [object], allocationOverrideUntil });
    const outcome = await this.runner.runWebhook({
      workspaceId,
      connectionId: connection.id,
      runId: run.id,
      // Salesforce campaign members can be Leads; the runner imports any person object.
      object: object as 'contact',
      ids,
      deletedIds: [],
    }).catch(async (err: unknown) => {
      // Paused before it imported anything (its reads come before its one transaction): the run is dropped, and the
      // list's next sync imports these members in a run of its own.
      if (this.budgets.pauseFor(connection, err)) await this.dataSource.getRepository(SyncRun).delete({ id: run.id, workspaceId, status: 'running' });
      throw err;
    });
    const counts = 'skipped' in outcome || 'paused' in outcome ? null : outcome;
    return {
      runId: run.id,
      apiCalls: counts?.apiCalls ?? 0,
      imported: counts ? counts.created + counts.updated + counts.unchanged : 0,
    };
  }

  /** Replaces the stored membership with the staged CRM ids, set-based, in one transaction. */
  private async replaceMembers(
    workspaceId: string,
    listId: string,
    connectionId: string,
    objects: string[],
    crmIds: string[],
    crmSize: number,
  ): Promise<{ added: number; removed: number; count: number }> {
    return this.dataSource.transaction(async (tx) => {
      // Serialises concurrent syncs of the same list.
      await tx.query(`SELECT 1 FROM crm_list WHERE id = $1 AND workspace_id = $2 FOR UPDATE`, [listId, workspaceId]);
      await tx.query(`CREATE TEMP TABLE list_member_stage (person_id uuid PRIMARY KEY) ON COMMIT DROP`);
      await tx.query(
        `INSERT INTO list_member_stage (person_id)
         SELECT DISTINCT l.person_id FROM unnest($3::text[], $4::text[]) AS v(object, crm_id)
           ${crmLinkSql.joinLinkedPerson('l', { workspace: '$1', connection: '$2', object: 'v.object', crmId: 'v.crm_id', live: true })}`,
        [workspaceId, connectionId, objects, crmIds],
      );
      const added = await tx.query<{ person_id: string }[]>(
        `INSERT INTO crm_list_member (list_id, person_id, workspace_id) SELECT $1, s.person_id, $2 FROM list_member_stage s
         ON CONFLICT (list_id, person_id) DO NOTHING RETURNING person_id`,
        [listId, workspaceId],
      );
      const removed = await tx.query<[unknown[], number]>(
        `DELETE FROM crm_list_member m WHERE m.list_id = $1 AND m.workspace_id = $2 AND NOT EXISTS (SELECT 1 FROM list_member_stage s WHERE s.person_id = m.person_id)`,
        [listId, workspaceId],
      );
      const [[row]] = await tx.query<[{ member_count: number }[], number]>(
        `UPDATE crm_list SET member_count = (SELECT count(*) FROM list_member_stage), size = $3, sync_status = 'ok', last_error = NULL, allocation_override_until = NULL,
                last_synced_at = now(), unreadable_at = NULL, unreadable_reason = NULL
          WHERE id = $1 AND workspace_id = $2 RETURNING member_count`,
        [listId, workspaceId, crmSize],
      );
      return { added: added.length, removed: affected(removed), count: row?.member_count ?? 0 };
    });
  }

  /**
   * After a large change, refresh the planner's statistics at once instead of waiting for autovacuum: the
   * recipients query joins these tables, and with stale row counts (e.g. a 50,000-member list imported a moment
   * ago) Postgres picks nested loops that take minutes instead of a few hundred milliseconds.
   */
  private async refreshStatistics(membershipChanges: number, imported: number): Promise<void> {
    if (membershipChanges >= ANALYZE_AFTER) await this.dataSource.query(`ANALYZE crm_list_member`);
    if (imported >= ANALYZE_AFTER) {
      await this.dataSource.query(`ANALYZE person`);
      await this.links.analyze();
    }
  }

  /** The job's last attempt failed: the list shows it (and keeps its members). */
  async markFailed(workspaceId: string, listId: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE crm_list SET sync_status = 'failed', last_error = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, listId, error.slice(0, 2000)]);
  }
}

/** Every page of a membership the adapter reads itself, handed to `onPage` as it comes. */
async function readEvery(pages: AsyncIterable<CrmListMemberPage>, onPage: (page: CrmListMember[]) => Promise<void>): Promise<CrmListMember[]> {
  const members: CrmListMember[] = [];
  for await (const page of pages) {
    members.push(...page.members);
    await onPage(page.members);
  }
  return members;
}

/** TypeORM answers UPDATE/DELETE as [rows, rowCount]. */
function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
