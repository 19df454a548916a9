import { Inject, Injectable, Logger } from '@nestjs/common';
import { capabilitiesOf, CONSENT_FIELDS, type CrmAdapter, type CrmCallScheduler, type CrmKind, type CrmObjectType, type CrmPage, type CrmRecord } from '@conduit/crm';
import type { ApiFeature } from '@conduit/contracts';
import type { FieldSourceRule, MappingRow } from '@conduit/mapping';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import { CrmClients, type CrmClient } from '../crm-runtime/crm-clients.service.js';
import { withCrmRetry } from '../crm-runtime/crm-retry.js';
import { currentSlowdownMeter, SlowdownMeter, withSlowdownMeter } from '../crm-runtime/run-slowdown.js';
import type { JobOf, SyncRunResult } from '../queues/jobs/index.js';
import type { JobName } from '../queues/queue-names.js';
import { mergeOverlays, overlayOf, type PageOverlay, touchesOpenBatches } from './batch-overlay.js';
import { entityFor, rowsForCrmObject } from './import-plan.js';
import { ImportService, type PageOutcome, type PreparedPage } from './import.service.js';
import { proposedRows } from './mapping-preview.js';
import { PageReader } from './page-reader.js';
import { RelatedImportService } from './related-import.service.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionInfo, type SyncConnectionPort } from './sync-connection.port.js';
import { isRelatedObject } from './sync-objects.js';
import { SyncCursorRepository } from './sync-cursor.repository.js';
import { type RunProgress, type SyncRun } from './sync-run.entity.js';
import { SAMPLE_SIZE, SyncRunRepository } from './sync-run.repository.js';

/**
 * Records imported in one transaction when pages were read ahead faster than they are written. With two writers,
 * 10,000 measured ≈ 25 % more records/s than 5,000 (Postgres 36 instead of 47 µs and Node 25 instead of 32 µs of CPU
 * per record, interleaved runs of the pipeline bench), 20,000 no more than 10,000, and 2,500 less than 5,000.
 */
const MAX_BATCH_RECORDS = 10_000;
/**
 * The first batch of an object when pages are already waiting: batches then double up to MAX_BATCH_RECORDS. The
 * first batch is planned with nothing to overlap it (the writer is idle until it is ready), so a small one gets
 * Postgres going sooner; from the second batch on, one batch is planned while the one before is written.
 */
const FIRST_BATCH_RECORDS = 500;
/** Backfill batches written at once (each in its own transaction): one batch's statements use one Postgres backend. */
const WRITERS = 2;

/** Records per read page (the CRM's metadata: HubSpot list pages 100, search pages 200; Salesforce query pages 2,000). */
function pageSize(crm: CrmKind, cursor: string | null): number {
  const { backfill, incremental } = capabilitiesOf(crm).readPageSize;
  return cursor === null ? backfill : incremental;
}

/**
 * Runs sync jobs: reads CRM pages through the adapter contract and hands them to the ImportService, committing
 * each page together with its checkpoint (the run's progress, or the incremental cursor) and the run's counts.
 * A worker killed mid-run therefore resumes after the last committed page, and no page is counted twice.
 */
@Injectable()
export class SyncRunnerService {
  private readonly logger = new Logger(SyncRunnerService.name);

  constructor(
    @Inject(SYNC_CONNECTION_PORT) private readonly connections: SyncConnectionPort,
    private readonly clients: CrmClients,
    private readonly importer: ImportService,
    private readonly dataSource: DataSource,
    private readonly related: RelatedImportService,
    private readonly runs: SyncRunRepository,
    private readonly cursors: SyncCursorRepository,
    private readonly budgets: ApiBudgetService,
  ) {}

  async runBackfill(payload: JobOf<JobName.SyncBackfill>): Promise<SyncRunResult> {
    const run = await this.startRun(payload.workspaceId, payload.runId);
    if (!run) return { skipped: true };
    const connection = await this.requireConnection(run);
    const client = await this.clientFor(connection, run);
    return this.metered(run, () => this.pausable(run, client, () => this.backfill(run, connection, client)));
  }

  /**
   * Runs a run's work with a meter of its CRM calls' 429s, retries and waits (run-slowdown.ts): added to the run with
   * each committed page (recordPage) and, for what came after the last one, when the work ends (done, paused or failed).
   */
  private async metered(run: SyncRun, work: () => Promise<SyncRunResult>): Promise<SyncRunResult> {
    const meter = new SlowdownMeter();
    try {
      return await withSlowdownMeter(meter, work);
    } finally {
      await this.runs.addSlowdown(run.workspaceId, run.id, meter.take()).catch((err: unknown) => this.logger.warn({ msg: 'could not record the run slowdown', runId: run.id, error: String(err) }));
    }
  }

  /**
   * Bulk work stops at the connection's daily API allocation, or when the CRM refuses for its daily limit: the run
   * pauses with the reason and the time it resumes (the budget sweep, SyncService.resumeDue, enqueues it again then;
   * it goes on from its last committed checkpoint). Before starting, a Salesforce run reads the org's usage when the
   * newest reading is old (GET /limits), so what other integrations spent is seen.
   */
  private async pausable(run: SyncRun, client: CrmClient, work: () => Promise<SyncRunResult>): Promise<SyncRunResult> {
    try {
      await this.budgets.refreshReading(client.connection, client.adapter);
      return await work();
    } catch (err) {
      const pause = this.budgets.pauseFor(client.connection, err);
      if (!pause) throw err;
      // Calls of pages that did not commit are not in the run's count; the connection's usage has them.
      await this.runs.pause(run, pause, this.budgets.now());
      this.logger.warn({ msg: 'sync run paused for the API budget', runId: run.id, kind: run.kind, cause: pause.cause, resumesAt: pause.resumesAt.toISOString() });
      return { runId: run.id, paused: true, resumesAt: pause.resumesAt.toISOString() };
    }
  }

  private async backfill(run: SyncRun, connection: SyncConnectionInfo, client: CrmClient): Promise<SyncRunResult> {
    const dryRun = run.kind === 'dry_run';
    const { adapter, takeCalls, inFlight } = client;
    let progress: RunProgress = run.progress ?? { objectIndex: 0, cursor: null };
    const mappings = new Map<CrmObjectType, MappingRow[]>();
    const rulesOf = new Map<CrmObjectType, ReadonlyMap<string, FieldSourceRule> | null>();
    // Every call of the read runs under the connection's in-flight limit, each attempt retried on its own (crm-retry.ts).
    const schedule: CrmCallScheduler = (call) => withCrmRetry(() => inFlight.run(call));
    const pagesOf = (object: CrmObjectType, rows: MappingRow[], cursor: string | null) =>
      adapter.readPages(object, cursor, {
        schedule,
        pageSize: pageSize(connection.crm, cursor),
        ...fetchProperties(connection.crm, rows, object),
        ...(capabilitiesOf(connection.crm).companyLink.kind === 'association' && entityFor(object) === 'person' ? { associations: ['company' as const] } : {}),
      });
    if (run.totalEstimate === null) await this.related.estimateTotal(run, adapter, takeCalls);
    while (progress.objectIndex < run.objects.length) {
      const object = run.objects[progress.objectIndex] as CrmObjectType;
      // Deals, owners and lists: imported by their own services, one checkpoint per object.
      if (isRelatedObject(object)) {
        progress = { objectIndex: progress.objectIndex + 1, cursor: null };
        await this.related.importRelated(run, object, adapter, takeCalls, progress);
        continue;
      }
      const rows = mappings.get(object) ?? proposedRows(run, object) ?? (await this.mappingFor(connection, object));
      mappings.set(object, rows);
      const sourceOfTruth = rulesOf.has(object) ? (rulesOf.get(object) ?? null) : await this.rulesFor(connection, object, run);
      rulesOf.set(object, sourceOfTruth);
      const reader = new PageReader(pagesOf(object, rows, progress.cursor));
      // Batches are pipelined: batch k+1 is read and planned (Node) while batches k-1 and k are written (Postgres, two
      // transactions at once), so Node and Postgres use both cores. A batch is planned against the overlay of the
      // batches still open (their links, rows and keys as they will be once committed), since its reads cannot see
      // their uncommitted rows. It is written beside them only if it inserts rows of its own alone; one that writes their
      // rows (an update of a person they created, a link they inserted) waits until they have committed. Batches
      // commit in order, each with its checkpoint (a batch waits for the one before it to commit, and fails if that one
      // failed), so a crash still resumes after the last committed batch. A dry run writes nothing, so later batches do
      // not see earlier ones (as before).
      const open: { done: Promise<void>; overlay: PageOverlay | null }[] = [];
      let batchRecords = FIRST_BATCH_RECORDS;
      try {
        for (;;) {
          const pages = await reader.next(batchRecords);
          batchRecords = Math.min(MAX_BATCH_RECORDS, batchRecords * 2);
          const last = pages?.at(-1);
          if (!pages || !last) break;
          const next: RunProgress = last.hasMore ? { objectIndex: progress.objectIndex, cursor: last.nextCursor } : { objectIndex: progress.objectIndex + 1, cursor: null };
          const records = pages.flatMap((p) => p.records);
          const after = mergeOverlays(open.map((o) => o.overlay));
          const page = await this.importer.preparePage(this.dataSource.manager, scopeOf(run), object, rows, records, {
            dryRun,
            sampleSize: dryRun ? SAMPLE_SIZE : 0,
            after,
            sliced: open.length > 0,
            sourceOfTruth,
          });
          // At most WRITERS transactions open; a batch that writes rows of the open ones waits for all of them.
          const wait = touchesOpenBatches(page.plan, after) ? open.length : Math.max(0, open.length - WRITERS + 1);
          await settled(open.splice(0, wait));
          const done = this.commitBatch(run, object, page, last, next, takeCalls(), open.at(-1)?.done ?? null);
          // Awaited above or in `finally`; never left to reject unobserved.
          done.catch(() => undefined);
          open.push({ done, overlay: dryRun ? null : overlayOf(page.entity, page.plan) });
          progress = next;
          if (!last.hasMore) break;
        }
        await settled(open.splice(0));
      } finally {
        reader.stop();
        await settled(open.splice(0)).catch(() => undefined);
      }
    }
    return this.finish(run);
  }

  /**
   * One backfill batch with its checkpoint, in one transaction. `synchronous_commit = off` (this transaction only):
   * COMMIT returns before its WAL reaches disk, so a Postgres crash can lose the last few batches' commits — but
   * only whole transactions, in order, each with its own checkpoint, so the run resumes from an earlier checkpoint
   * and re-imports those pages (matching by link and email makes that idempotent). Nothing outside Postgres depends
   * on a batch's commit: the run's end (finish()) commits synchronously, which flushes every batch's WAL before the
   * job is reported done. Incremental and webhook imports keep synchronous commits.
   */
  private async commitBatch(run: SyncRun, object: CrmObjectType, page: PreparedPage, last: CrmPage, next: RunProgress, apiCalls: number, before: Promise<void> | null): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`SET LOCAL synchronous_commit = off`);
      const outcome = await this.importer.writePage(tx, page);
      // Checkpoints commit in order: the batch before this one first (its failure rolls this one back, and the run
      // resumes from the last checkpoint that committed).
      if (before) await before;
      // The incremental sync continues where the backfill ended.
      if (!last.hasMore && !page.dryRun) await this.saveCursor(tx, run, object, last.nextCursor);
      await this.recordPage(tx, run, outcome, apiCalls, { progress: next });
    });
  }

  async runIncremental(payload: JobOf<JobName.SyncIncremental>): Promise<SyncRunResult> {
    const run = await this.startRun(payload.workspaceId, payload.runId);
    if (!run) return { skipped: true };
    const connection = await this.requireConnection(run);
    const client = await this.clientFor(connection, run);
    return this.metered(run, () => this.pausable(run, client, () => this.incremental(run, connection, client)));
  }

  private async incremental(run: SyncRun, connection: SyncConnectionInfo, client: CrmClient): Promise<SyncRunResult> {
    const { adapter, takeCalls } = client;
    for (const object of run.objects) {
      const rows = await this.mappingFor(connection, object);
      const sourceOfTruth = await this.rulesFor(connection, object, run);
      let cursor = await this.loadCursor(run, object);
      for (let more = true; more; ) {
        const from = cursor;
        const page = await withCrmRetry(() => adapter.listChangedSince(object, from, { pageSize: pageSize(connection.crm, from), ...fetchProperties(connection.crm, rows, object) }));
        const records = await this.withCompanyAssociations(adapter, connection.crm, object, page.records);
        await this.dataSource.transaction(async (tx) => {
          const outcome = await this.importer.importPage(tx, scopeOf(run), object, rows, records, { sourceOfTruth });
          await this.saveCursor(tx, run, object, page.nextCursor);
          await this.recordPage(tx, run, outcome, takeCalls(), {});
        });
        cursor = page.nextCursor;
        more = page.hasMore;
      }
    }
    return this.finish(run);
  }

  /** Imports just the records a webhook named; ids the CRM no longer returns were deleted and get unlinked. */
  async runWebhook(payload: JobOf<JobName.SyncWebhook>): Promise<SyncRunResult> {
    const run = await this.startRun(payload.workspaceId, payload.runId);
    if (!run) return { skipped: true };
    const connection = await this.requireConnection(run);
    return this.metered(run, () => this.webhook(run, connection, payload));
  }

  private async webhook(run: SyncRun, connection: SyncConnectionInfo, payload: JobOf<JobName.SyncWebhook>): Promise<SyncRunResult> {
    const { adapter, takeCalls } = await this.clientFor(connection, run);
    const object = payload.object;
    const rows = await this.mappingFor(connection, object);
    const sourceOfTruth = await this.rulesFor(connection, object, run);
    const live = payload.ids.filter((id) => !payload.deletedIds.includes(id));
    const read = live.length ? await withCrmRetry(() => adapter.readByIds(object, live, fetchProperties(connection.crm, rows, object))) : [];
    const found = new Set(read.map((r) => r.id));
    const gone: CrmRecord[] = [...payload.deletedIds, ...live.filter((id) => !found.has(id))].map((id) => ({ id, object, properties: {}, updatedAt: new Date().toISOString(), archived: true }));
    const records = await this.withCompanyAssociations(adapter, connection.crm, object, read);
    await this.dataSource.transaction(async (tx) => {
      const outcome = await this.importer.importPage(tx, scopeOf(run), object, rows, [...records, ...gone], { sourceOfTruth });
      await this.recordPage(tx, run, outcome, takeCalls(), {});
    });
    return this.finish(run);
  }

  /** Marks a run failed for good (the job's last attempt failed). */
  async failRun(workspaceId: string, runId: string, error: string): Promise<void> {
    await this.runs.fail(workspaceId, runId, error);
  }

  private startRun(workspaceId: string, runId: string): Promise<SyncRun | null> {
    return this.runs.start(workspaceId, runId);
  }

  private async requireConnection(run: SyncRun): Promise<SyncConnectionInfo> {
    const connection = await this.connections.get(run.workspaceId, run.connectionId);
    if (!connection) throw new Error(`CRM connection ${run.connectionId} no longer exists`);
    return connection;
  }

  /**
   * The connection's client: every HTTP call counted (by the run's feature) and waiting for the shared Redis budget
   * (bulk lane). Webhook imports are a few records at a time and may use the daily allocation's live reserve.
   */
  private clientFor(connection: SyncConnectionInfo, run: SyncRun): Promise<CrmClient> {
    return this.clients.client(
      { id: connection.connectionId, workspaceId: connection.workspaceId, crm: connection.crm },
      { feature: FEATURE_OF_RUN[run.kind], work: run.kind === 'webhook' || run.kind === 'person_sync' ? 'live' : 'bulk', allocationOverrideUntil: run.allocationOverrideUntil },
    );
  }

  private async mappingFor(connection: SyncConnectionInfo, object: CrmObjectType): Promise<MappingRow[]> {
    const rows = await this.connections.getMapping(connection.workspaceId, connection.connectionId, entityFor(object) === 'person' ? 'contact' : 'company');
    return rowsForCrmObject(connection.crm, object, rows);
  }

  /** Several CRMs connected: the source-of-truth rules of the object's Conduit fields (a preview's proposed ones first). */
  private async rulesFor(connection: SyncConnectionInfo, object: CrmObjectType, run: SyncRun): Promise<ReadonlyMap<string, FieldSourceRule> | null> {
    if (isRelatedObject(object)) return null;
    const mapped = entityFor(object) === 'person' ? 'contact' : 'company';
    return this.connections.sourceOfTruth(connection.workspaceId, mapped, run.mapping?.sourceOfTruth?.[mapped]);
  }

  /** Association CRMs (HubSpot): search pages carry no associations, so one batch read per page finds the people's companies. */
  private async withCompanyAssociations(adapter: CrmAdapter, crm: CrmKind, object: CrmObjectType, records: CrmRecord[]): Promise<CrmRecord[]> {
    if (capabilitiesOf(crm).companyLink.kind !== 'association' || entityFor(object) !== 'person' || records.length === 0) return records;
    const ids = records.filter((r) => !r.archived && !r.associations?.company).map((r) => r.id);
    if (!ids.length) return records;
    const assoc = await withCrmRetry(() => adapter.readAssociations('contact', 'company', ids));
    return records.map((r) => (assoc[r.id] ? { ...r, associations: { ...r.associations, company: assoc[r.id] } } : r));
  }

  private loadCursor(run: SyncRun, object: CrmObjectType): Promise<string | null> {
    return this.cursors.load(run.workspaceId, run.connectionId, object);
  }

  private saveCursor(tx: EntityManager, run: SyncRun, object: CrmObjectType, cursor: string): Promise<void> {
    return this.cursors.save(tx, run.workspaceId, run.connectionId, object, cursor);
  }

  private async recordPage(tx: EntityManager, run: SyncRun, outcome: PageOutcome, apiCalls: number, extra: { progress?: RunProgress }): Promise<void> {
    await this.runs.recordPage(tx, run, outcome, apiCalls, extra.progress);
    // The 429s and retries so far, with the page (a page rolled back loses its share: the figure is a floor).
    const slowdown = currentSlowdownMeter()?.take();
    if (slowdown) await this.runs.addSlowdown(run.workspaceId, run.id, slowdown, tx);
    if (run.kind === 'dry_run' && outcome.failures.length) {
      await this.runs.recordFailures(tx, run.workspaceId, run.id, outcome.failures);
    }
  }

  private async finish(run: SyncRun): Promise<SyncRunResult> {
    const done = await this.runs.finish(run, currentSlowdownMeter()?.take());
    this.logger.log({ msg: 'sync run finished', runId: run.id, kind: run.kind, created: done.created, updated: done.updated, unchanged: done.unchanged, failed: done.failed });
    return { runId: run.id, created: done.created, updated: done.updated, unchanged: done.unchanged, failed: done.failed, archived: done.archived, apiCalls: done.apiCalls };
  }
}

/**
 * Where the CRM allows it (`readsNamedFields`, HubSpot), ask only for the mapped properties (a contact has ~135; the
 * payload, not the call count, is then the cost). Salesforce rejects unknown fields in SOQL, so it keeps the
 * adapter's describe-based field list.
 */
function fetchProperties(crm: CrmKind, rows: readonly MappingRow[], object: CrmObjectType): { properties?: string[] } {
  if (!capabilitiesOf(crm).readsNamedFields) return {};
  // People also carry their consent fields (opt-out, hard bounce): read with the page, at no extra call.
  const consent = entityFor(object) === 'person' ? CONSENT_FIELDS[crm] : [];
  return { properties: [...new Set([...rows.map((r) => r.crmField), ...consent])] };
}

/** Waits for every batch (none is left running), then throws the first failure, if any. */
async function settled(batches: readonly { done: Promise<void> }[]): Promise<void> {
  const results = await Promise.allSettled(batches.map((b) => b.done));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The usage-by-feature entry of each kind of run. */
const FEATURE_OF_RUN: Record<SyncRun['kind'], ApiFeature> = { backfill: 'backfill', remap: 'backfill', dry_run: 'backfill', incremental: 'incremental', webhook: 'incremental', list: 'lists', person_sync: 'incremental' };

function scopeOf(run: SyncRun) {
  return { workspaceId: run.workspaceId, connectionId: run.connectionId, crm: run.crm, runId: run.id };
}
