import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ForecastBudgetDto, ForecastDto, ForecastRequestBody } from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import type { Repository } from 'typeorm';
import { CrmConnection } from '../connections/connection.entity.js';
import { CrmClients } from '../crm-runtime/crm-clients.service.js';
import { EXPORT_CHUNK, EXPORT_CONCURRENCY, ExportService } from '../export/export.service.js';
import { CrmLinkRepository } from '../sync/crm-link.repository.js';
import { isRecordObject, orderObjects } from '../sync/sync-objects.js';
import { SyncService } from '../sync/sync.service.js';
import { estimateWork, forecastSummary, limitsPace, measuredMixPace, measuredPace, planAgainstBudget, type BudgetState, type Pace, type PaceSample, type WorkSize } from './forecast.js';
import { ForecastBudget } from './forecast-budget.js';
import { ForecastRepository } from './forecast.repository.js';

/** What the work touches: records per CRM object and the sizes the calls depend on. */
interface Work extends WorkSize {
  byObject: { object: string; records: number }[];
}

const fieldError = (field: string, message: string) => new BadRequestException({ statusCode: 400, message, errors: [{ field, messages: [message] }] });

/**
 * Forecasts of bulk work (#17): record counts from the CRM (HubSpot search `total`, Salesforce `SELECT COUNT()`) or
 * from Conduit's tables (exports, lists), the pace measured on the connection's past runs (else the CRM's page sizes
 * and rate limits), and today's budget. The arithmetic is in forecast.ts; the stored forecasts in forecast.repository.ts.
 */
@Injectable()
export class ForecastService {
  constructor(
    private readonly clients: CrmClients,
    private readonly sync: SyncService,
    private readonly exports: ExportService,
    private readonly repo: ForecastRepository,
    private readonly links: CrmLinkRepository,
    private readonly budget: ForecastBudget,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {}

  async forecast(workspaceId: string, connectionId: string, body: ForecastRequestBody, now = this.budget.clock()): Promise<ForecastDto> {
    const connection = await this.connections.findOneBy({ id: connectionId, workspaceId });
    if (!connection) throw new NotFoundException('Connection not found');
    if (connection.status !== 'connected') throw new ConflictException('The connection needs a reconnect before Conduit can forecast its work');
    const work = await this.work(connection, body);
    const pace = await this.pace(connection, body, work);
    const { calls, seconds } = estimateWork(work, pace, connection.crm);
    const budget = await this.budget.now(workspaceId, connectionId);
    const plan = planAgainstBudget(calls, seconds, budget, now);
    const figures: Omit<ForecastDto, 'id'> = {
      connectionId,
      crm: connection.crm,
      kind: body.kind,
      records: work.records,
      recordsByObject: work.byObject,
      expectedCalls: calls,
      expectedSeconds: seconds,
      pace: { source: pace.source, callsPerRecord: round(pace.callsPerRecord, 6), recordsPerSecond: round(pace.recordsPerSecond, 1), runsMeasured: pace.runsMeasured },
      budget: budgetDto(budget),
      shareOfRemaining: plan.shareOfRemaining === null ? null : Number.isFinite(plan.shareOfRemaining) ? round(plan.shareOfRemaining, 4) : null,
      pause: plan.pause && { atShare: round(plan.pause.atShare, 4), resets: plan.pause.resets, resumesAt: plan.pause.resumesAt?.toISOString() ?? null },
      finishesAt: plan.finishesAt.toISOString(),
      summary: forecastSummary(calls, seconds, plan, budget.remainingToday),
      createdAt: now.toISOString(),
    };
    const id = await this.repo.save(workspaceId, connectionId, body.kind, figures);
    return { id, ...figures };
  }

  /** Records the work reads or writes. */
  private async work(connection: CrmConnection, body: ForecastRequestBody): Promise<Work> {
    switch (body.kind) {
      case 'backfill':
      case 'remap': {
        const info = await this.sync.connection(connection.workspaceId, connection.id);
        const selected = orderObjects(connection.crm, body.objects ?? info.settings.objects);
        const objects = body.kind === 'remap' ? selected.filter(isRecordObject) : selected;
        // The run counts the same objects first (its progress total): one call each, like here.
        const counted = objects.filter((o): o is CrmObjectType => isRecordObject(o) || o === 'deal');
        if (counted.length === 0) throw fieldError('objects', `Nothing to ${body.kind === 'remap' ? 're-apply the mapping to' : 'import'}: select companies or people.`);
        const client = await this.clients.client(connection);
        const byObject: Work['byObject'] = [];
        for (const object of counted) byObject.push({ object, records: await client.call((adapter) => adapter.countRecords(object)) });
        // Owners and lists of a backfill: a page or two each (a few hundred records at most).
        const fixedCalls = counted.length + objects.filter((o) => o === 'owner' || o === 'list').length;
        return { records: byObject.reduce((n, o) => n + o.records, 0), fixedCalls, byObject, perObject: byObject.map((o) => o.records) };
      }
      case 'bulk-export': {
        if (!body.export) throw fieldError('export', 'Say which people to export: personIds or a filter.');
        const { eligible } = await this.exports.selectBulk(connection, body.export);
        const linked = await this.links.countLinkedPeople(connection.workspaceId, connection.id, eligible);
        const newCompanies = await this.repo.newCompaniesOf(connection.workspaceId, connection.id, eligible);
        const contactMode = connection.crm === 'salesforce' && (await this.repo.salesforceExportObject(connection.workspaceId, connection.id)) === 'contact';
        return { records: eligible.length, linked, newCompanies, ...(contactMode ? { contactMode } : {}), byObject: [{ object: 'person', records: eligible.length }] };
      }
      case 'list-sync': {
        if (!body.listId) throw fieldError('listId', 'Say which list to sync.');
        const list = await this.repo.list(connection.workspaceId, connection.id, body.listId);
        if (!list) throw fieldError('listId', 'No such list on this connection.');
        const records = list.size ?? list.members;
        // Members Conduit already links cost no import. Which they are is known only once the membership is read: the
        // members held from the last sync, or the share of the CRM's people Conduit links (all of them after a backfill),
        // whichever is more. Counting the CRM's people costs one call per person object.
        const client = await this.clients.client(connection);
        let crmPeople = 0;
        for (const object of client.adapter.capabilities.personObjects) crmPeople += await client.call((adapter) => adapter.countRecords(object));
        const coverage = crmPeople > 0 ? Math.min(1, (await this.links.countLinkedPeople(connection.workspaceId, connection.id)) / crmPeople) : 0;
        const linked = Math.min(records, Math.max(list.members, Math.round(records * coverage)));
        // Salesforce checks the Campaign catalog once per sync (a deleted Campaign still answers its member query).
        return { records, linked, fixedCalls: connection.crm === 'salesforce' ? 1 : 0, byObject: [{ object: 'member', records }] };
      }
    }
  }

  /**
   * Measured on the connection's past runs of the same work when there are some (exports and list syncs for the mix
   * of linked and new records at hand), else from the CRM's limits.
   */
  private async pace(connection: CrmConnection, body: ForecastRequestBody, work: WorkSize): Promise<Pace> {
    const samples = await this.samples(connection, body);
    // An export runs EXPORT_CONCURRENCY chunks of EXPORT_CHUNK people at once: a small run has fewer in flight.
    const parallelism = body.kind === 'bulk-export' ? { chunk: EXPORT_CHUNK, inFlight: EXPORT_CONCURRENCY } : undefined;
    return (
      measuredMixPace(body.kind, connection.crm, work, samples, parallelism) ??
      measuredPace(samples, parallelism ? { records: work.records, crm: connection.crm, parallelism } : undefined) ??
      limitsPace(body.kind, connection.crm, work, parallelism)
    );
  }

  private async samples(connection: CrmConnection, body: ForecastRequestBody): Promise<PaceSample[]> {
    const { workspaceId, id } = connection;
    switch (body.kind) {
      case 'backfill':
      case 'remap': {
        // A remap reads the same pages as a backfill: each falls back on the other's runs.
        const same = await this.repo.syncSamples(workspaceId, id, body.kind);
        return measuredPace(same) ? same : this.repo.syncSamples(workspaceId, id, body.kind === 'backfill' ? 'remap' : 'backfill');
      }
      case 'list-sync':
        return this.repo.listSamples(workspaceId, id);
      case 'bulk-export':
        return this.repo.exportSamples(workspaceId, id);
    }
  }
}

function budgetDto(b: BudgetState & { dailyLimit: number | null }): ForecastBudgetDto {
  return { dailyLimit: b.dailyLimit, remainingToday: b.remainingToday, allowancePerDay: b.allowancePerDay, resetsAt: b.resetsAt?.toISOString() ?? null };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
