import { BadRequestException, Inject, Injectable, Logger, NotFoundException, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ContactSourceFieldsDto,
  CrmKind,
  CrmLinkDto,
  EngagementState,
  ExportRunDto,
  ExportSettingsDto,
  ExportSkipReasonDto,
  NeedsAttentionDto,
  OwnerMappingDto,
  PushResultDto,
  RunForecastDto,
  StartExportBody,
  StatusMappingDto,
} from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import { crmValueType, defaultStatusMapping, findCrmField, parentOfStatus, validateStatusMapping, type CrmFieldDescriptor } from '@conduit/mapping';
import { type EntityManager, In, IsNull, type Repository } from 'typeorm';
import { capabilitiesOf, CrmError, crmLabel } from '@conduit/crm';
import type { Caller } from '../auth/caller.js';
import { likePattern } from '../common/pagination.js';
import { slowdownOf } from '../common/run-progress.js';
import { forecastNotUsable, forecastVsActual, RUN_FORECASTS, type RunForecasts } from '../common/run-forecast.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { ConnectionsService } from '../connections/connections.service.js';
import { ApiBudgetService, liveWaitReason } from '../crm-runtime/api-budget.service.js';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import { withRetryDeadline } from '../crm-runtime/crm-retry.js';
import { currentSlowdownMeter, NO_SLOWDOWN, SlowdownMeter, withSlowdownMeter } from '../crm-runtime/run-slowdown.js';
import { CrmFieldSnapshot } from '../connections/field-snapshot.entity.js';
import { Person } from '../people/person.entity.js';
import { OutboxService } from '../queues/outbox.service.js';
import type { JobOf, JobResultOf } from '../queues/jobs/index.js';
import { JobName } from '../queues/queue-names.js';
import { CrmLink } from '../sync/crm-link.entity.js';
import { describeCrmFailure } from '../crm-runtime/crm-failure.js';
import { attentionFromFailure } from './crm-failure.js';
import type { StartExportDto, UpdateExportSettingsDto, UpdateOwnerMappingDto, UpdateStatusMappingDto } from './dto.js';
import { ExportEngine } from './export-engine.service.js';
import { ExportLinks } from './export-links.js';
import { advanceCheckpoint, callsPerChunk, chunksLeft, nextChunkDecision, peopleDone } from './export-chunks.js';
import { meetsPolicy } from './export-plan.js';
import type { ExportRun } from './export-run.entity.js';
import { ExportRunRepository } from './export-run.repository.js';
import { CrmExportSettings } from './export-settings.entity.js';
import { NeedsAttention } from './needs-attention.entity.js';
import { OwnerMappingService } from './owner-mapping.service.js';

/** People per engine call: one lookup and a handful of batch writes each (HubSpot batches of 100, Salesforce composite calls of 1,000); progress is committed per chunk. */
export const EXPORT_CHUNK = 500;
/**
 * Chunks of one export job in flight at most (they share the connection's rate budget, which paces them). A chunk's
 * stages (look up, companies, write, associate) go one after another, each a few batch calls at once, with its database
 * work between them: three chunks held 9 calls/s at HubSpot's realistic answer times (0.896 of the window), five
 * 0.924–0.929. Against a small daily allocation a chunk starts beside others only when the day pays for it
 * (export-chunks.ts), and chunks finished past the checkpoint are remembered (`done_chunks`), so a day's calls finish
 * chunks instead of being spread over five that the next day redoes. Each chunk holds a database connection for its
 * advisory locks (pool of 10).
 */
export const EXPORT_CONCURRENCY = 5;
/** Before the CRM's first answer says what the day holds, a second chunk looks again after this long… */
const READING_WAIT_MS = 100;
/** …for up to this long (most first answers come within it); then an unknown day is one without a limit. */
const READING_WAIT_LIMIT_MS = 1_000;

/** How long a push retries a failing CRM before it answers (a person is waiting for it). */
export const PUSH_RETRY_WINDOW_MS = 3_000;
/** Per CRM call of a push: a CRM that hangs is a failure the person hears about, not a wait. */
const PUSH_CALL_TIMEOUT_MS = 3_000;
/** A push answers by then whatever the CRM does. */
export const PUSH_ANSWER_MS = 4_000;

function emptyResult(personId: string, crm: CrmKind): Omit<PushResultDto, 'outcome'> {
  return { personId, crm, crmObject: null, crmId: null, recordUrl: null, reason: null };
}

export function toRunDto(r: ExportRun): ExportRunDto {
  return {
    id: r.id,
    crm: r.crm,
    status: r.status,
    total: r.personIds.length,
    processed: peopleDone(r.personIds.length, r.processed, r.doneChunks, EXPORT_CHUNK),
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    needsAttention: r.needsAttention,
    skipped: r.skipped,
    skippedReasons: r.skippedReasons,
    slowdown: slowdownOf(r),
    error: r.error,
    pausedReason: r.status === 'paused' ? r.pausedReason : null,
    resumesAt: r.status === 'paused' ? (r.resumesAt?.toISOString() ?? null) : null,
    apiCalls: r.apiCalls,
    // Timed from the job's first start (runs from before it was kept: from creation).
    forecast: r.forecast && forecastVsActual(r.forecast, { status: r.status, startedAt: r.startedAt ?? r.createdAt, finishedAt: r.finishedAt, calls: r.apiCalls, records: peopleDone(r.personIds.length, r.processed, r.doneChunks, EXPORT_CHUNK) }),
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** The object persons are written to on create, whose discovered fields settings are validated against. */
function personObject(crm: CrmKind, settings: Pick<CrmExportSettings, 'salesforceObject'>): CrmObjectType {
  return crm === 'hubspot' ? 'contact' : settings.salesforceObject;
}

/** What the admin calls the object people are exported as (HubSpot's API name is "contacts"). */
const PERSON_OBJECT_NAMES: Partial<Record<CrmObjectType, string>> = { contact: 'Contact', lead: 'Lead' };

export type CrmLinkView = CrmLinkDto;
/** A CRM link of one of several people (the Prospects table's CRM badges). */
export type PersonCrmLinkView = CrmLinkDto & { personId: string };

/**
 * Export to the CRM: settings (policy, contact source, external id), owner and status mapping, and the three
 * triggers — manual push (always exports, immediately), bulk export (follows the policy, as a job with progress)
 * and automatic export when a person's engagement reaches the policy level.
 */
@Injectable()
export class ExportService {
  private readonly logger = new Logger(ExportService.name);

  constructor(
    private readonly connections: ConnectionsService,
    private readonly clients: CrmClients,
    private readonly budgets: ApiBudgetService,
    private readonly engine: ExportEngine,
    private readonly exportLinks: ExportLinks,
    private readonly owners: OwnerMappingService,
    private readonly outbox: OutboxService,
    private readonly runs: ExportRunRepository,
    @InjectRepository(CrmExportSettings) private readonly settingsRepo: Repository<CrmExportSettings>,
    @InjectRepository(NeedsAttention) private readonly attention: Repository<NeedsAttention>,
    @InjectRepository(CrmFieldSnapshot) private readonly snapshots: Repository<CrmFieldSnapshot>,
    @InjectRepository(Person) private readonly people: Repository<Person>,
    @InjectRepository(CrmLink) private readonly links: Repository<CrmLink>,
    @InjectRepository(CrmConnection) private readonly connectionRows: Repository<CrmConnection>,
    @Optional() @Inject(RUN_FORECASTS) private readonly forecasts?: RunForecasts,
  ) {}

  // ---- settings ------------------------------------------------------------------------------

  async settingsFor(connection: CrmConnection, manager?: EntityManager): Promise<CrmExportSettings> {
    const repo = manager ? manager.getRepository(CrmExportSettings) : this.settingsRepo;
    await repo.createQueryBuilder().insert().values({ connectionId: connection.id, workspaceId: connection.workspaceId }).orIgnore().execute();
    return repo.findOneByOrFail({ connectionId: connection.id, workspaceId: connection.workspaceId });
  }

  private toSettingsDto(connection: CrmConnection, s: CrmExportSettings): ExportSettingsDto {
    return {
      crm: connection.crm,
      policy: s.policy,
      autoExport: s.autoExport,
      contactSource: s.contactSource,
      externalIdField: s.externalIdField,
      ...(connection.crm === 'salesforce' ? { salesforceObject: s.salesforceObject, whenLeadExists: s.whenLeadExists } : {}),
    };
  }

  async getSettings(caller: Caller, crm: CrmKind): Promise<ExportSettingsDto> {
    const connection = await this.connections.require(caller, crm);
    return this.toSettingsDto(connection, await this.settingsFor(connection));
  }

  async updateSettings(caller: Caller, crm: CrmKind, body: UpdateExportSettingsDto): Promise<ExportSettingsDto> {
    const connection = await this.connections.require(caller, crm);
    const settings = await this.settingsFor(connection);
    const errors: { field: string; messages: string[] }[] = [];
    if ((body.salesforceObject !== undefined || body.whenLeadExists !== undefined) && crm !== 'salesforce') {
      errors.push({ field: body.salesforceObject !== undefined ? 'salesforceObject' : 'whenLeadExists', messages: ['The export object applies to Salesforce only'] });
    }
    const object = personObject(crm, { salesforceObject: body.salesforceObject ?? settings.salesforceObject });
    if (body.contactSource) {
      const fields = await this.fieldsOf(connection, object);
      const problem = contactSourceProblem(fields, body.contactSource.crmField, body.contactSource.value);
      if (problem) errors.push({ field: problem.field, messages: [problem.message] });
    }
    if (body.externalIdField) {
      // Only a CRM without an atomic upsert by email creates people on an external-id field (Salesforce).
      if (capabilitiesOf(crm).personCreate !== 'create') errors.push({ field: 'externalIdField', messages: [`An external-id field does not apply to ${crmLabel(crm)}`] });
      else {
        const field = findCrmField(crm, await this.fieldsOf(connection, 'lead'), body.externalIdField);
        if (!field) errors.push({ field: 'externalIdField', messages: [`${body.externalIdField} is not a Lead field`] });
      }
    }
    if (errors.length) throw new BadRequestException({ statusCode: 400, message: errors.flatMap((e) => e.messages).join('; '), errors });
    const patch: Pick<Partial<CrmExportSettings>, 'policy' | 'autoExport' | 'contactSource' | 'externalIdField' | 'salesforceObject' | 'whenLeadExists'> = {
      ...(body.salesforceObject ? { salesforceObject: body.salesforceObject } : {}),
      ...(body.whenLeadExists ? { whenLeadExists: body.whenLeadExists } : {}),
      ...(body.policy ? { policy: body.policy } : {}),
      ...(body.autoExport !== undefined ? { autoExport: body.autoExport } : {}),
      ...(body.contactSource !== undefined ? { contactSource: body.contactSource ? { crmField: body.contactSource.crmField, value: body.contactSource.value } : null } : {}),
      ...(body.externalIdField !== undefined ? { externalIdField: body.externalIdField } : {}),
    };
    await this.settingsRepo.update({ connectionId: connection.id, workspaceId: connection.workspaceId }, patch);
    return this.toSettingsDto(connection, { ...settings, ...patch });
  }

  /** The writable discovered fields of the object people are exported as: what the contact-source picker offers. */
  async contactSourceFields(caller: Caller, crm: CrmKind): Promise<ContactSourceFieldsDto> {
    const connection = await this.connections.require(caller, crm);
    const object = personObject(crm, await this.settingsFor(connection));
    const snapshot = await this.snapshots.findOneBy({ connectionId: connection.id, object });
    const fields = (snapshot?.fields ?? []).filter((f) => !f.readOnly);
    fields.sort((x, y) => x.label.localeCompare(y.label));
    return { crm, objectName: PERSON_OBJECT_NAMES[object] ?? object, discoveredAt: snapshot ? snapshot.discoveredAt.toISOString() : null, fields };
  }

  private async fieldsOf(connection: CrmConnection, object: CrmObjectType): Promise<CrmFieldDescriptor[]> {
    const snapshot = await this.snapshots.findOneBy({ connectionId: connection.id, object });
    if (!snapshot) throw new BadRequestException('The CRM fields have not been discovered yet: run discovery first');
    return snapshot.fields;
  }

  // ---- owner mapping --------------------------------------------------------------------------

  async getOwnerMapping(caller: Caller, crm: CrmKind): Promise<OwnerMappingDto> {
    const connection = await this.connections.requireConnected(caller, crm);
    const { adapter } = await this.clients.client(connection, { feature: 'export', work: 'live' });
    return this.owners.view(connection, await this.settingsFor(connection), adapter);
  }

  async updateOwnerMapping(caller: Caller, crm: CrmKind, body: UpdateOwnerMappingDto): Promise<OwnerMappingDto> {
    const connection = await this.connections.requireConnected(caller, crm);
    const { adapter } = await this.clients.client(connection, { feature: 'export', work: 'live' });
    return this.owners.save(connection, await this.settingsFor(connection), adapter, body);
  }

  // ---- status mapping -------------------------------------------------------------------------

  async getStatusMapping(caller: Caller, crm: CrmKind): Promise<StatusMappingDto> {
    const connection = await this.connections.require(caller, crm);
    const settings = await this.settingsFor(connection);
    const snapshot = await this.snapshots.findOneBy({ connectionId: connection.id, object: personObject(crm, settings) });
    const fields: CrmFieldDescriptor[] = snapshot?.fields ?? [];
    const stored = settings.statusMapping ?? { ...defaultStatusMapping(crm), enabled: true };
    const field = findCrmField(crm, fields, stored.crmField);
    return {
      crm,
      enabled: stored.enabled,
      crmField: stored.crmField,
      source: stored.source,
      table: stored.table,
      options: (field?.options ?? []).map((o) => ({ value: o.value, label: o.label })),
      candidateFields: fields.filter((f) => !f.readOnly && crmValueType(f) === 'enumeration').map((f) => ({ name: f.name, label: f.label })),
    };
  }

  async updateStatusMapping(caller: Caller, crm: CrmKind, body: UpdateStatusMappingDto): Promise<StatusMappingDto> {
    const connection = await this.connections.require(caller, crm);
    const fields = await this.fieldsOf(connection, personObject(crm, await this.settingsFor(connection)));
    // A blank advanced entry means "use the parent's value": stored as no entry.
    const table = Object.fromEntries(Object.entries(body.table).filter(([status, value]) => !(body.source === 'engagementState' && parentOfStatus(status) !== null && typeof value === 'string' && value.trim() === '')));
    const mapping = { crmField: body.crmField, source: body.source, table };
    const { issues } = validateStatusMapping({ crm, mapping, fields });
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length) {
      throw new BadRequestException({
        statusCode: 400,
        message: errors.map((e) => e.message).join('; '),
        errors: errors.map((e) => ({ field: e.status === null ? 'crmField' : `table.${e.status}`, messages: [e.message] })),
      });
    }
    await this.settingsFor(connection);
    await this.settingsRepo.update({ connectionId: connection.id, workspaceId: connection.workspaceId }, { statusMapping: { ...mapping, enabled: body.enabled } });
    return this.getStatusMapping(caller, crm);
  }

  // ---- triggers -------------------------------------------------------------------------------

  /**
   * Manual push: always exports the person, whatever the policy, and answers within a few seconds with the outcome.
   * A person is waiting: the CRM's failures are retried for PUSH_RETRY_WINDOW_MS only (not a backfill's minutes of
   * backoff), then the push lands in Needs attention with the CRM's answer, where Retry pushes again. A CRM that is
   * rate limiting gets the push as an export run instead (`queued`), which waits its turn in the connection's budget.
   */
  async push(caller: Caller, personId: string, crm: CrmKind): Promise<PushResultDto> {
    const connection = await this.connections.requireConnected(caller, crm);
    const person = await this.people.findOneBy({ id: personId, workspaceId: caller.workspaceId });
    if (!person) throw new NotFoundException('Person not found');
    const settings = await this.settingsFor(connection);
    const work = withRetryDeadline(Date.now() + PUSH_RETRY_WINDOW_MS, async () => {
      const ctx = await this.engine.context(connection, settings, { timeoutMs: PUSH_CALL_TIMEOUT_MS, work: 'live' });
      return (await this.engine.exportPeople(ctx, [person.id])).results[0]!;
    }).catch((err: unknown) => this.pushFailed(connection, person.id, err));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), PUSH_ANSWER_MS);
    });
    const answer = await Promise.race([work, late]).finally(() => clearTimeout(timer));
    if (answer) return answer;
    // Still waiting for a turn in the connection's rate budget (a backfill is using it): the push finishes here in the
    // background and its outcome lands on the person's CRM badge, or in Needs attention (pushFailed) if it fails.
    work.catch((err: unknown) => this.logger.error({ msg: 'push failed after its answer', personId: person.id, crm, error: err instanceof Error ? err.message : String(err) }));
    return { ...emptyResult(person.id, crm), outcome: 'queued', reason: `${crmLabel(crm)} is busy with other work from Conduit: the push goes out in its turn` };
  }

  /** A push the CRM failed as a whole: queued behind a rate limit, otherwise in Needs attention with the CRM's answer. */
  private async pushFailed(connection: CrmConnection, personId: string, err: unknown): Promise<PushResultDto> {
    // Past the daily API allocation's live reserve, or the CRM's daily limit reached (#17): the push waits for the
    // reset as a paused export run (the budget sweep sends it then), instead of retrying until then.
    const pause = this.budgets.pauseFor(connection, err);
    if (pause) {
      const run = await this.outbox.transaction(async (tx) => {
        const created = await this.runs.create(tx.manager, { workspaceId: connection.workspaceId, connectionId: connection.id, crm: connection.crm, trigger: 'manual', personIds: [personId] });
        await this.runs.markPaused(tx.manager, created, pause, this.budgets.now());
        return created;
      });
      return { ...emptyResult(personId, connection.crm), outcome: 'queued', runId: run.id, reason: `${liveWaitReason(connection.crm, pause)}: the push goes out at ${pause.resumesAt.toISOString()}` };
    }
    if (!(err instanceof CrmError)) throw err;
    if (err.details.kind === 'rate_limited') {
      const run = await this.createRun(connection, 'manual', [personId], {});
      return { ...emptyResult(personId, connection.crm), outcome: 'queued', runId: run.id, reason: describeCrmFailure(err) };
    }
    const attention = attentionFromFailure(err);
    await this.exportLinks.needsAttention(connection, [{ personId, attention }]);
    this.logger.warn({ msg: 'push failed: needs attention', personId, crm: connection.crm, error: err.message });
    return { ...emptyResult(personId, connection.crm), outcome: 'needs_attention', reason: attention.reason };
  }

  /** Bulk export of selected rows or a filter: follows the policy, reports skipped people and why, runs as a job. */
  async startBulk(caller: Caller, crm: CrmKind, body: StartExportDto): Promise<ExportRunDto> {
    const connection = await this.connections.requireConnected(caller, crm);
    // A forecast that cannot be used is refused before anything else (its claim with the run still decides).
    if (body.forecastId !== undefined && !(await this.forecasts?.usable({ workspaceId: connection.workspaceId, connectionId: connection.id, kind: 'bulk-export', forecastId: body.forecastId }))) {
      throw forecastNotUsable();
    }
    const { eligible, reasons } = await this.selectBulk(connection, body);
    const skipped = Object.values(reasons).reduce((a, b) => a + b, 0);
    const run = await this.createRun(connection, 'bulk', eligible, { skipped, skippedReasons: reasons }, body.forecastId);
    return toRunDto(run);
  }

  /**
   * Who a bulk export of `body` would export now (the people its policy lets through) and why the others are
   * skipped; with how many of them are already linked to a record of this CRM (a forecast prices those lower).
   */
  async selectBulk(connection: CrmConnection, body: StartExportBody): Promise<{ eligible: string[]; reasons: Partial<Record<ExportSkipReasonDto, number>> }> {
    if (!body.personIds && !body.filter) throw new BadRequestException('Give personIds or a filter');
    const settings = await this.settingsFor(connection);
    const qb = this.people.createQueryBuilder('p').select(['p.id', 'p.engagementState']).where('p.workspace_id = :ws', { ws: connection.workspaceId });
    if (body.personIds) qb.andWhere('p.id IN (:...ids)', { ids: body.personIds.length ? body.personIds : ['00000000-0000-0000-0000-000000000000'] });
    const f = body.filter;
    if (f?.engagementState) qb.andWhere('p.engagement_state = :es', { es: f.engagementState });
    if (f?.leadStatus) qb.andWhere('p.lead_status = :ls', { ls: f.leadStatus });
    if (f?.assignedUserId) qb.andWhere('p.assigned_user_id = :au', { au: f.assignedUserId });
    if (f?.companyId) qb.andWhere('p.company_id = :co', { co: f.companyId });
    if (f?.search) {
      qb.andWhere(`(coalesce(p.first_name,'') || ' ' || coalesce(p.last_name,'') || ' ' || coalesce(p.email,'') || ' ' || coalesce(p.company_name,'')) ILIKE :q`, { q: likePattern(f.search) });
    }
    const found = await qb.getMany();
    const reasons: Partial<Record<ExportSkipReasonDto, number>> = {};
    const eligible: string[] = [];
    for (const p of found) {
      if (meetsPolicy(settings.policy, p.engagementState)) eligible.push(p.id);
      else reasons.below_policy = (reasons.below_policy ?? 0) + 1;
    }
    if (body.personIds) {
      const missing = new Set(body.personIds).size - found.length;
      if (missing > 0) reasons.not_found = missing;
    }
    return { eligible, reasons };
  }

  /**
   * Automatic export: called after people's engagement state or lead status changed. Each connection gets an export
   * job for the people whose new state reaches its policy, and for people already linked to it (so a status change
   * on a linked person updates the CRM). The export is idempotent.
   */
  async engagementChanged(workspaceId: string, changes: readonly { personId: string; engagementState: EngagementState }[]): Promise<void> {
    if (!changes.length) return;
    const rows = await this.settingsRepo
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.connection', 'c')
      .where('s.workspace_id = :ws AND s.auto_export AND c.status = :st', { ws: workspaceId, st: 'connected' })
      .getMany();
    for (const s of rows) {
      if (!s.connection) continue;
      // People already in this CRM follow their status changes whatever the policy; others once they reach it.
      const linked = new Set(
        (await this.links.find({ where: { workspaceId, connectionId: s.connectionId, personId: In(changes.map((c) => c.personId)), object: In(['contact', 'lead']) }, select: { personId: true } })).map((l) => l.personId),
      );
      const ids = changes.filter((c) => linked.has(c.personId) || meetsPolicy(s.policy, c.engagementState)).map((c) => c.personId);
      if (ids.length) await this.createRun(s.connection, 'auto', [...new Set(ids)], {});
    }
  }

  private async createRun(connection: CrmConnection, trigger: ExportRun['trigger'], personIds: string[], extra: Partial<Pick<ExportRun, 'skipped' | 'skippedReasons'>>, forecastId?: string): Promise<ExportRun> {
    return this.outbox.transaction(async (tx) => {
      let forecast: RunForecastDto | null = null;
      if (forecastId !== undefined) {
        forecast = (await this.forecasts?.claim(tx.manager, { workspaceId: connection.workspaceId, connectionId: connection.id, kind: 'bulk-export', forecastId })) ?? null;
        if (!forecast) throw forecastNotUsable();
      }
      const run = await this.runs.create(tx.manager, { workspaceId: connection.workspaceId, connectionId: connection.id, crm: connection.crm, trigger, personIds, forecast, ...extra });
      if (personIds.length) await tx.enqueue(JobName.ExportRun, { workspaceId: connection.workspaceId, runId: run.id }, { workspaceId: connection.workspaceId, maxAttempts: 8 });
      return run;
    });
  }

  async getRun(caller: Caller, id: string): Promise<ExportRunDto> {
    const run = await this.runs.get(caller.workspaceId, id);
    if (!run) throw new NotFoundException('Export run not found');
    return toRunDto(run);
  }

  /**
   * The job, with a meter of its CRM calls' 429s, retries and waits (run-slowdown.ts), added to the run with each
   * chunk and, for the rest, when the job ends (done, paused or failed).
   */
  async runJob(payload: JobOf<JobName.ExportRun>): Promise<JobResultOf<JobName.ExportRun>> {
    const meter = new SlowdownMeter();
    try {
      return await withSlowdownMeter(meter, () => this.exportRun(payload));
    } finally {
      await this.runs.addSlowdown(payload.workspaceId, payload.runId, meter.take()).catch((err: unknown) => this.logger.warn({ msg: 'could not record the run slowdown', runId: payload.runId, error: String(err) }));
    }
  }

  /** Chunk by chunk from the checkpoint, counts and checkpoint committed together. */
  private async exportRun(payload: JobOf<JobName.ExportRun>): Promise<JobResultOf<JobName.ExportRun>> {
    const run = await this.runs.start(payload.workspaceId, payload.runId);
    if (!run) return { skipped: true };
    const connection = await this.connectionRows.findOneBy({ id: run.connectionId, workspaceId: run.workspaceId });
    if (!connection) {
      await this.failRun(run.workspaceId, run.id, 'The CRM connection was removed');
      return { skipped: true };
    }
    // needs_reconnect: throw, so the job retries with backoff while an admin reconnects.
    if (connection.status !== 'connected') throw new Error(`${connection.crm} needs to be reconnected`);
    try {
      return await this.exportChunks(run, connection);
    } catch (err) {
      // The daily API allocation reached, or the CRM refusing for its daily limit: a recorded state, not a failure.
      const pause = this.budgets.pauseFor(connection, err);
      if (!pause) throw err;
      await this.runs.pause(run, pause, this.budgets.now());
      this.logger.warn({ msg: 'export run paused for the API budget', runId: run.id, cause: pause.cause, resumesAt: pause.resumesAt.toISOString() });
      return { runId: run.id, paused: true, resumesAt: pause.resumesAt.toISOString() };
    }
  }

  /**
   * The run's chunks from its checkpoint. A queued push (`manual`, `retry`) is live work: it may use the daily API
   * allocation's live reserve; bulk and automatic exports stop where bulk work stops.
   */
  private async exportChunks(run: ExportRun, connection: CrmConnection): Promise<JobResultOf<JobName.ExportRun>> {
    const work = run.trigger === 'manual' || run.trigger === 'retry' ? 'live' : 'bulk';
    const ctx = await this.engine.context(connection, await this.settingsFor(connection), { work, allocationOverrideUntil: run.allocationOverrideUntil });
    // Several chunks in flight (export-chunks.ts). A chunk's counts and calls are committed when it finishes, with the
    // checkpoint (the contiguous prefix of finished chunks) and the chunks finished past it, which a resumed or
    // retried job skips: no chunk is exported or counted twice, whatever order they finish in.
    const total = run.personIds.length;
    let checkpoint = run.processed;
    let done = run.doneChunks;
    const measured = { calls: 0, chunks: 0 };
    const forecastCallsPerPerson = run.forecast?.pace.callsPerRecord ?? null;
    const exportChunk = async (at: number): Promise<void> => {
      const result = await this.engine.exportPeople(ctx, run.personIds.slice(at, at + EXPORT_CHUNK));
      ({ checkpoint, done } = advanceCheckpoint(checkpoint, done, at, EXPORT_CHUNK, total));
      const calls = ctx.takeCalls();
      measured.calls += calls;
      measured.chunks += 1;
      await this.runs.recordChunk(run, { at, checkpoint }, result, calls);
      await this.runs.addSlowdown(run.workspaceId, run.id, currentSlowdownMeter()?.take() ?? NO_SLOWDOWN);
    };
    // Whether today's allocation pays for another chunk beside the ones in flight. With no daily limit known the budget
    // refuses nothing (HubSpot sends no daily figures to OAuth apps): unlimited, once the first answers had their
    // chance to bring the day's figures (READING_WAIT_LIMIT_MS, or a chunk finished).
    const overridden = run.allocationOverrideUntil !== null && run.allocationOverrideUntil > this.budgets.now();
    const startedAt = performance.now();
    const remaining = async (): Promise<number | 'unknown'> => {
      if (overridden) return Number.POSITIVE_INFINITY;
      const left = await this.budgets.remaining(connection, work);
      if (left !== null) return left;
      return measured.chunks > 0 || performance.now() - startedAt >= READING_WAIT_LIMIT_MS ? Number.POSITIVE_INFINITY : 'unknown';
    };
    // A failed chunk stops new chunks from starting; the job throws once the others have finished.
    let failure: { error: unknown } | null = null;
    const inFlight = new Set<Promise<void>>();
    for (const at of chunksLeft(total, checkpoint, EXPORT_CHUNK, done)) {
      for (;;) {
        if (failure !== null) break;
        const decision = nextChunkDecision(inFlight.size, EXPORT_CONCURRENCY, inFlight.size > 0 ? await remaining() : 'unknown', callsPerChunk(EXPORT_CHUNK, measured, forecastCallsPerPerson));
        if (decision === 'start') break;
        await Promise.race(decision === 'wait_for_chunk' ? inFlight : [...inFlight, sleep(READING_WAIT_MS)]);
      }
      if (failure !== null) break;
      const chunk: Promise<void> = exportChunk(at)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(chunk));
      inFlight.add(chunk);
    }
    await Promise.all(inFlight);
    if (failure !== null) throw (failure as { error: unknown }).error;
    const finished = await this.runs.finish(run, currentSlowdownMeter()?.take());
    return { created: finished.created, updated: finished.updated, unchanged: finished.unchanged, needsAttention: finished.needsAttention };
  }

  /**
   * The run's last attempt failed. A push that was queued (a `manual` run) must not vanish: its people land in Needs
   * attention with the CRM's answer, where Retry pushes them again.
   */
  async failRun(workspaceId: string, runId: string, error: unknown): Promise<void> {
    const message = error instanceof CrmError ? describeCrmFailure(error) : error instanceof Error ? error.message : String(error);
    await this.runs.fail(workspaceId, runId, message);
    const run = await this.runs.get(workspaceId, runId);
    const connection = run && run.trigger === 'manual' ? await this.connectionRows.findOneBy({ id: run.connectionId, workspaceId }) : null;
    if (!run || !connection) return;
    const attention = error instanceof CrmError ? attentionFromFailure(error) : { code: 'export_failed', reason: message, fields: [], source: 'crm' as const };
    const left = chunksLeft(run.personIds.length, run.processed, EXPORT_CHUNK, run.doneChunks).flatMap((at) => run.personIds.slice(at, at + EXPORT_CHUNK));
    await this.exportLinks.needsAttention(connection, left.map((personId) => ({ personId, attention })));
  }

  // ---- Needs attention and links --------------------------------------------------------------

  async needsAttention(caller: Caller, crm?: CrmKind): Promise<NeedsAttentionDto[]> {
    const rows = await this.attention.find({
      where: { workspaceId: caller.workspaceId, ...(crm ? { crm } : {}) },
      relations: { person: true },
      order: { createdAt: 'DESC' },
      take: 500,
    });
    return rows.map((r) => ({
      id: r.id,
      personId: r.personId,
      personName: [r.person?.firstName, r.person?.lastName].filter(Boolean).join(' ') || null,
      personEmail: r.person?.email ?? null,
      crm: r.crm,
      reason: r.reason,
      code: r.code,
      fields: r.fields,
      source: r.source,
      attempts: r.attempts,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }));
  }

  /** After fixing the person or the mapping: export the person again now. */
  async retry(caller: Caller, id: string): Promise<PushResultDto> {
    const row = await this.attention.findOneBy({ id, workspaceId: caller.workspaceId });
    if (!row) throw new NotFoundException('Needs-attention item not found');
    return this.push(caller, row.personId, row.crm);
  }

  /** The person's CRM records (the Prospects badge), with links to the records. */
  async linksOf(caller: Caller, personId: string): Promise<CrmLinkView[]> {
    const person = await this.people.findOneBy({ id: personId, workspaceId: caller.workspaceId });
    if (!person) throw new NotFoundException('Person not found');
    const links = await this.links.find({ where: { workspaceId: caller.workspaceId, personId, object: In(['contact', 'lead']) }, order: { lastSyncedAt: 'DESC' } });
    const out: CrmLinkView[] = [];
    for (const l of links.filter((x) => x.archivedAt === null)) {
      const connection = await this.connections.require(caller, l.crm).catch(() => null);
      if (!connection || connection.id !== l.connectionId) continue;
      out.push({ crm: l.crm, object: l.object, crmId: l.crmId, recordUrl: this.engine.recordUrl(connection, l.object, l.crmId), lastSyncedAt: l.lastSyncedAt.toISOString() });
    }
    return out;
  }

  /** The live CRM records of up to 200 people, one query: the CRM badges of a Prospects page. */
  async linksOfPeople(caller: Caller, personIds: readonly string[]): Promise<PersonCrmLinkView[]> {
    if (personIds.length === 0) return [];
    const connections = await this.connectionRows.findBy({ workspaceId: caller.workspaceId });
    const byId = new Map(connections.map((c) => [c.id, c]));
    const links = await this.links.find({
      where: { workspaceId: caller.workspaceId, personId: In([...personIds]), object: In(['contact', 'lead']), archivedAt: IsNull() },
      order: { lastSyncedAt: 'DESC' },
    });
    const out: PersonCrmLinkView[] = [];
    const seen = new Set<string>();
    for (const l of links) {
      const connection = byId.get(l.connectionId);
      // One badge per person and CRM: the most recently synced record of a connection that is still there.
      if (!connection || !l.personId || seen.has(`${l.personId}:${l.crm}`)) continue;
      seen.add(`${l.personId}:${l.crm}`);
      out.push({ personId: l.personId, crm: l.crm, object: l.object, crmId: l.crmId, recordUrl: this.engine.recordUrl(connection, l.object, l.crmId), lastSyncedAt: l.lastSyncedAt.toISOString() });
    }
    return out;
  }
}

/** The contact-source field must be a writable field of the person object and the value one of its options. */
export function contactSourceProblem(fields: readonly CrmFieldDescriptor[], crmField: string, value: string): { field: string; message: string } | null {
  const field = fields.find((f) => f.name.toLowerCase() === crmField.toLowerCase());
  if (!field) return { field: 'contactSource.crmField', message: `${crmField} is not a field of the CRM person object` };
  if (field.readOnly) return { field: 'contactSource.crmField', message: `${field.name} is read-only` };
  const options = field.options ?? [];
  if (options.length && !options.some((o) => o.value.toLowerCase() === value.toLowerCase() || o.label.toLowerCase() === value.toLowerCase())) {
    return { field: 'contactSource.value', message: `"${value}" is not an option of ${field.name} (${options.map((o) => o.value).join(', ')})` };
  }
  return null;
}
