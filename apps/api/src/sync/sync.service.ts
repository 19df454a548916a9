import type { FieldSourceRule } from '@conduit/mapping';
import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException, Optional } from '@nestjs/common';
import type { RunForecastDto, SyncRunDetailDto, SyncRunDto } from '@conduit/contracts';
import type { EntityManager } from 'typeorm';
import type { CrmKind, CrmObjectType } from '@conduit/crm';
import { capabilitiesOf, crmLabel } from '@conduit/crm';
import { slowdownOf } from '../common/run-progress.js';
import { forecastNotUsable, forecastVsActual, RUN_FORECASTS, type RunForecasts } from '../common/run-forecast.js';
import { ApiBudgetService } from '../crm-runtime/api-budget.service.js';
import { resumeDue, resumeOne } from '../crm-runtime/paused-work.js';
import { OutboxService, type OutboxTransaction } from '../queues/outbox.service.js';
import { SYNC_CONNECTION_PORT, type SyncConnectionInfo, type SyncConnectionPort, type SyncSettings } from './sync-connection.port.js';
import { isRecordObject, orderObjects, SYNC_OBJECTS } from './sync-objects.js';
import { type ProposedMapping, type SyncRun, type SyncRunKind } from './sync-run.entity.js';
import { CrmRecordRefs } from './crm-record-refs.js';
import { SyncRunRepository } from './sync-run.repository.js';
import { JobName } from '../queues/queue-names.js';

export { orderObjects } from './sync-objects.js';

/** The record objects a mapping of people (`contact`) or companies applies to, in read order. */
export function objectsOfMapping(crm: CrmKind, mapped: 'contact' | 'company'): CrmObjectType[] {
  return mapped === 'company' ? ['company'] : [...capabilitiesOf(crm).personObjects];
}

/** A run for the API; `people` names the person of a person re-read (else it goes nameless). */
export function toRunView(run: SyncRun, now = Date.now(), people: ReadonlyMap<string, string> = new Map()): SyncRunDto {
  const related = run.relatedCounts ?? {};
  const done = run.created + run.updated + run.unchanged + run.failed + run.archived + Object.values(related).reduce<number>((n, c) => n + (c ?? 0), 0);
  const elapsed = run.startedAt ? ((run.finishedAt?.getTime() ?? now) - run.startedAt.getTime()) / 1000 : 0;
  const rate = elapsed > 0 ? done / elapsed : null;
  const eta = rate && run.totalEstimate !== null && run.status === 'running' ? Math.max(0, (run.totalEstimate - done) / rate) : null;
  return {
    id: run.id,
    connectionId: run.connectionId,
    crm: run.crm,
    kind: run.kind,
    status: run.status,
    objects: run.objects,
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    counts: { created: run.created, updated: run.updated, unchanged: run.unchanged, failed: run.failed, archived: run.archived },
    apiCalls: run.apiCalls,
    slowdown: slowdownOf(run),
    related,
    forecast: run.forecast && forecastVsActual(run.forecast, { status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, calls: run.apiCalls, records: done }),
    progress: { done, total: run.totalEstimate, recordsPerSecond: rate === null ? null : Math.round(rate * 10) / 10, etaSeconds: eta === null ? null : Math.round(eta) },
    mappingPreview: run.mapping !== null,
    sample: run.sample,
    error: run.error,
    pausedReason: run.status === 'paused' ? run.pausedReason : null,
    pausedAt: run.status === 'paused' ? (run.pausedAt?.toISOString() ?? null) : null,
    resumesAt: run.status === 'paused' ? (run.resumesAt?.toISOString() ?? null) : null,
    person: run.personId ? { id: run.personId, name: people.get(run.personId) ?? null } : null,
    createdAt: run.createdAt.toISOString(),
  };
}

/** Starting runs (API, schedule, webhooks) and reading their history. Every query is scoped by workspace. */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);

  constructor(
    @Inject(SYNC_CONNECTION_PORT) private readonly connections: SyncConnectionPort,
    private readonly outbox: OutboxService,
    private readonly runs: SyncRunRepository,
    private readonly budgets: ApiBudgetService,
    private readonly refs: CrmRecordRefs,
    @Optional() @Inject(RUN_FORECASTS) private readonly forecasts?: RunForecasts,
  ) {}

  async connection(workspaceId: string, connectionId: string): Promise<SyncConnectionInfo> {
    const c = await this.connections.get(workspaceId, connectionId);
    if (!c) throw new NotFoundException('Connection not found');
    return c;
  }

  async getSettings(workspaceId: string, connectionId: string): Promise<SyncSettings> {
    return (await this.connection(workspaceId, connectionId)).settings;
  }

  async updateSettings(workspaceId: string, connectionId: string, patch: Partial<Omit<SyncSettings, 'objects'>> & { objects?: string[] }): Promise<SyncSettings> {
    const c = await this.connection(workspaceId, connectionId);
    const objects = patch.objects ? orderObjects(c.crm, patch.objects) : c.settings.objects;
    if (patch.objects && objects.length !== new Set(patch.objects).size) throw new BadRequestException(`objects: ${c.crm} imports ${SYNC_OBJECTS[c.crm].join(', ')}`);
    const next: SyncSettings = { ...c.settings, ...patch, objects };
    await this.connections.saveSettings(workspaceId, connectionId, next);
    return next;
  }

  /**
   * Creates a backfill run and its durable job; one open backfill per connection and kind at a time (a second
   * request answers the open run). A full backfill also imports the selected deals, owners and lists.
   *
   * `dryRun` previews people/companies only (counts and sample diffs, nothing written); with `mapping` it previews
   * proposed mapping rows instead of the saved ones. `remap` re-reads the CRM records and applies the current
   * mapping to records already imported (after a mapping change); a remap that already started keeps the mapping
   * it read, so a newer change queues another one. `forecastId` (backfill and remap): the forecast the admin was
   * shown; the new run keeps it (400 naming `forecastId` when it cannot be used).
   */
  async startBackfill(
    workspaceId: string,
    connectionId: string,
    options: { dryRun?: boolean; remap?: boolean; objects?: readonly string[]; mapping?: ProposedMapping; forecastId?: string } = {},
  ): Promise<SyncRun> {
    const c = await this.connection(workspaceId, connectionId);
    if (!c.usable) throw new ConflictException('The connection needs a reconnect before it can sync');
    const kind: SyncRunKind = options.dryRun || options.mapping ? 'dry_run' : options.remap ? 'remap' : 'backfill';
    const selected = orderObjects(c.crm, options.objects ?? c.settings.objects);
    const objects = kind === 'backfill' ? selected : selected.filter(isRecordObject);
    if (objects.length === 0) throw new BadRequestException(`objects: nothing to ${kind === 'remap' ? 're-apply the mapping to' : 'import'} (select ${SYNC_OBJECTS[c.crm].filter(isRecordObject).join(', ')})`);
    return this.outbox.transaction(async (tx) => {
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`sync:${connectionId}:${kind}`]);
      // A mapping preview always gets its own run: it answers for the rows it was given.
      if (!options.mapping) {
        // A paused run of the kind is the open one too: it resumes after the daily reset (or when an admin resumes it).
        const open = (await this.runs.findOpen(tx.manager, workspaceId, connectionId, kind, 'pending')) ?? (await this.runs.findOpen(tx.manager, workspaceId, connectionId, kind, 'paused'));
        const running = open ?? (kind === 'remap' ? null : await this.runs.findOpen(tx.manager, workspaceId, connectionId, kind, 'running'));
        if (running && running.mapping === null) return running;
      }
      const forecast = await this.claimForecast(tx.manager, workspaceId, connectionId, kind, options.forecastId);
      const run = await this.runs.create(tx.manager, { workspaceId, connectionId, crm: c.crm, kind, objects: objects as CrmObjectType[], progress: null, mapping: options.mapping ?? null, forecast });
      await tx.enqueue(JobName.SyncBackfill, { workspaceId, connectionId, runId: run.id }, { workspaceId, maxAttempts: 10 });
      return run;
    });
  }

  private async claimForecast(manager: EntityManager, workspaceId: string, connectionId: string, kind: SyncRunKind, forecastId: string | undefined): Promise<RunForecastDto | null> {
    if (forecastId === undefined) return null;
    if (kind !== 'backfill' && kind !== 'remap') throw forecastNotUsable();
    const forecast = await this.forecasts?.claim(manager, { workspaceId, connectionId, kind, forecastId });
    if (!forecast) throw forecastNotUsable();
    return forecast;
  }

  /**
   * After a mapping of people or companies was saved: re-evaluates the records already imported in the background
   * (a remap of the objects that mapping applies to). Nothing to do while import is off or before anything was
   * imported from this connection.
   */
  async mappingChanged(workspaceId: string, connectionId: string, mapped: 'contact' | 'company'): Promise<SyncRun | null> {
    const c = await this.connections.get(workspaceId, connectionId);
    if (!c || !c.usable || !c.settings.importEnabled) return null;
    const objects = objectsOfMapping(c.crm, mapped).filter((o) => c.settings.objects.includes(o));
    if (objects.length === 0) return null;
    if (!(await this.runs.hasImported(workspaceId, connectionId))) return null;
    const run = await this.startBackfill(workspaceId, connectionId, { remap: true, objects });
    this.logger.log({ msg: 'mapping changed: re-applying it to imported records', connectionId, mapped, runId: run.id });
    return run;
  }

  /** A dry run of proposed mapping rows (already validated by the caller) for the objects that mapping applies to. */
  async previewMapping(workspaceId: string, connectionId: string, mapped: 'contact' | 'company', rows: ProposedMapping['contact'], rules?: Record<string, FieldSourceRule>): Promise<SyncRun> {
    const c = await this.connection(workspaceId, connectionId);
    const mapping: ProposedMapping = { [mapped]: rows ?? [], ...(rules ? { sourceOfTruth: { [mapped]: rules } } : {}) };
    return this.startBackfill(workspaceId, connectionId, { objects: objectsOfMapping(c.crm, mapped), mapping });
  }

  /** An incremental run unless one is already open for the connection (the schedule and manual triggers share this). */
  async startIncremental(connection: SyncConnectionInfo): Promise<SyncRun | null> {
    const { workspaceId, connectionId } = connection;
    return this.outbox.transaction(async (tx) => {
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`sync:${connectionId}:incremental`]);
      if (await this.runs.hasOpenImport(tx.manager, workspaceId, connectionId)) return null;
      // Deals are re-read by their own schedule (every 15 minutes, for do-not-contact); owners and lists with each backfill.
      const objects = orderObjects(connection.crm, connection.settings.objects).filter(isRecordObject);
      if (objects.length === 0) return null;
      const run = await this.runs.create(tx.manager, { workspaceId, connectionId, crm: connection.crm, kind: 'incremental', objects });
      await tx.enqueue(JobName.SyncIncremental, { workspaceId, connectionId, runId: run.id }, { workspaceId, maxAttempts: 5 });
      return run;
    });
  }

  /**
   * "Sync now" (an admin): an incremental run of the connection at once, or its first full backfill when it never
   * synced. A run already open (pending, running, paused) is answered instead of starting a second one.
   */
  async syncNow(workspaceId: string, connectionId: string): Promise<{ started: boolean; run: SyncRun }> {
    const c = await this.connection(workspaceId, connectionId);
    if (!c.usable) throw new ConflictException(`${crmLabel(c.crm)} needs to be reconnected before it can sync`);
    if (!c.settings.importEnabled) throw new ConflictException(`Import from ${crmLabel(c.crm)} is turned off: turn it on in the Import tab to sync`);
    const open = await this.runs.findOpenImport(workspaceId, connectionId);
    if (open) return { started: false, run: open };
    const run = (await this.runs.hasSynced(workspaceId, connectionId)) ? await this.startIncremental(c) : await this.startBackfill(workspaceId, connectionId);
    if (run) return { started: true, run };
    // Another request started one between the check and the lock: answer that one.
    const raced = await this.runs.findOpenImport(workspaceId, connectionId);
    if (!raced) throw new ConflictException(`Nothing to sync: no ${crmLabel(c.crm)} record objects are selected for import`);
    return { started: false, run: raced };
  }

  /** Due when import is on and the last incremental run started more than the interval ago (a first full backfill before any). */
  async scheduleDue(now = new Date()): Promise<number> {
    let started = 0;
    for (const c of await this.connections.list()) {
      if (!c.usable || !c.settings.importEnabled) continue;
      // First connect: a full backfill (people, companies, deals, owners, lists); incremental runs follow from its cursor.
      if (!(await this.runs.hasSynced(c.workspaceId, c.connectionId))) {
        await this.startBackfill(c.workspaceId, c.connectionId);
        started++;
        continue;
      }
      const last = await this.runs.lastIncrementalAt(c.workspaceId, c.connectionId);
      if (last && now.getTime() - last.getTime() < c.settings.intervalMinutes * 60_000) continue;
      if (await this.startIncremental(c)) started++;
    }
    return started;
  }

  /**
   * The budget sweep (#17): paused runs whose resume time has come (on the budget clock) go back to pending with a new
   * job each, in one transaction per batch, so a pause survives worker restarts and a Redis flush (resumes_at is in
   * Postgres; a Bull delayed job alone would not be). Runs from the scheduler's tick; several workers may run it at
   * once (rows are taken with SKIP LOCKED). Answers how many runs resumed.
   */
  resumeDue(now: Date = this.budgets.now()): Promise<number> {
    return resumeDue(this.outbox, (tx, limit) => this.runs.unpause(tx.manager, { now, limit }), (tx, run) => this.enqueueRun(tx, run));
  }

  /** "Resume now anyway" (an admin): the paused run goes on at once, even before the reset. 409 when it is not paused. */
  async resumeNow(workspaceId: string, runId: string): Promise<SyncRun> {
    const resumed = await resumeOne(this.outbox, (tx) => this.runs.unpause(tx.manager, { workspaceId, runId }), (tx, run) => this.enqueueRun(tx, run));
    if (!resumed) {
      if (!(await this.runs.get(workspaceId, runId))) throw new NotFoundException('Sync run not found');
      throw new ConflictException('The sync run is not paused');
    }
    this.logger.log({ msg: 'paused sync run resumed by an admin', runId });
    return (await this.runs.get(workspaceId, runId)) ?? resumed;
  }

  private async enqueueRun(tx: OutboxTransaction, run: SyncRun): Promise<void> {
    const payload = { workspaceId: run.workspaceId, connectionId: run.connectionId, runId: run.id };
    if (run.kind === 'incremental') await tx.enqueue(JobName.SyncIncremental, payload, { workspaceId: run.workspaceId, maxAttempts: 5 });
    else await tx.enqueue(JobName.SyncBackfill, payload, { workspaceId: run.workspaceId, maxAttempts: 10 });
  }

  /** One webhook run per (connection, object) batch of events, enqueued in the caller's transaction. */
  async startWebhookRun(
    tx: Parameters<Parameters<OutboxService['transaction']>[0]>[0],
    connection: SyncConnectionInfo,
    object: 'contact' | 'company',
    ids: string[],
    deletedIds: string[],
  ): Promise<void> {
    const { workspaceId, connectionId } = connection;
    const run = await this.runs.create(tx.manager, { workspaceId, connectionId, crm: connection.crm, kind: 'webhook', objects: [object] });
    await tx.enqueue(JobName.SyncWebhook, { workspaceId, connectionId, runId: run.id, object, ids, deletedIds }, { workspaceId, maxAttempts: 10 });
  }

  async listRuns(workspaceId: string, options: { connectionId?: string; limit?: number } = {}): Promise<SyncRunDto[]> {
    const runs = await this.runs.list(workspaceId, { ...(options.connectionId ? { connectionId: options.connectionId } : {}), limit: Math.min(Math.max(options.limit ?? 50, 1), 200) });
    const people = await this.runs.personNames(workspaceId, runs);
    return runs.map((r) => toRunView(r, Date.now(), people));
  }

  async getRun(workspaceId: string, id: string): Promise<SyncRunDetailDto> {
    const run = await this.runs.get(workspaceId, id);
    if (!run) throw new NotFoundException('Sync run not found');
    const failures = await this.runs.failures(workspaceId, id, 200);
    // Failures recorded before their object was kept: a one-object run says it.
    const only = run.objects.length === 1 ? (run.objects[0] ?? null) : null;
    const records = await this.refs.resolve(workspaceId, failures.map((f) => ({ crm: run.crm, object: f.object ?? only, crmId: f.crmId, name: f.name })));
    const people = await this.runs.personNames(workspaceId, [run]);
    return { ...toRunView(run, Date.now(), people), failures: failures.map((f, i) => ({ crmId: f.crmId, reason: f.reason, at: f.at.toISOString(), record: records[i]! })) };
  }
}
