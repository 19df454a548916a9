import type { PersonSyncDto, ProvenanceDto, SyncNowDto, SyncRunDetailDto, SyncRunDto, SyncSettingsDto } from '@conduit/contracts';
import type { Response } from 'express';
import { crmLabel } from '@conduit/crm';
import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Put, Query, Res } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiAcceptedResponse, ApiConflictResponse, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrorResponse, ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { MappingService } from '../connections/mapping.service.js';
import { MappingPreviewDto, RunsQueryDto, StartBackfillDto, StartRemapDto, PersonSyncResponse, SyncNowResponse, UpdateSyncSettingsDto } from './dto.js';
import { PersonSyncService } from './person-sync.service.js';
import { ProvenanceService } from './provenance.service.js';
import { SyncService, toRunView } from './sync.service.js';
import type { Repository } from 'typeorm';

@ApiTags('sync')
@ApiCookieAuth()
@ApiErrors()
@Controller()
export class SyncController {
  constructor(
    private readonly sync: SyncService,
    private readonly provenance: ProvenanceService,
    private readonly personSync: PersonSyncService,
    private readonly mapping: MappingService,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
  ) {}

  @Get('sync/connections/:id/settings')
  settings(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<SyncSettingsDto> {
    return this.sync.getSettings(caller.workspaceId, id);
  }

  @Put('sync/connections/:id/settings')
  @Roles('admin')
  updateSettings(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdateSyncSettingsDto): Promise<SyncSettingsDto> {
    return this.sync.updateSettings(caller.workspaceId, id, body);
  }

  @Post('sync/connections/:id/backfill')
  @Roles('admin')
  @HttpCode(202)
  async backfill(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: StartBackfillDto): Promise<SyncRunDto> {
    return toRunView(
      await this.sync.startBackfill(caller.workspaceId, id, { ...(body.dryRun ? { dryRun: true } : {}), ...(body.objects ? { objects: body.objects } : {}), ...(body.forecastId ? { forecastId: body.forecastId } : {}) }),
    );
  }

  /**
   * "Sync now": an incremental run of the connection at once (its first backfill when it never synced). When an
   * import run is already pending, running or paused, that run is answered (200, `started: false`), not a second one.
   */
  @Post('sync/connections/:id/sync-now')
  @Roles('admin')
  @ApiOperation({ summary: 'Sync a connection now', description: 'Starts an incremental sync now (202), or answers the import run already open (200, started: false). 409 when the connection needs a reconnect or import is off.' })
  @ApiAcceptedResponse({ type: SyncNowResponse, description: 'Sync started' })
  @ApiOkResponse({ type: SyncNowResponse, description: 'A sync was already running: that run, nothing new started' })
  @ApiConflictResponse({ type: ApiErrorResponse, description: 'The connection needs a reconnect, or import is turned off' })
  async syncNow(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response): Promise<SyncNowDto> {
    const { started, run } = await this.sync.syncNow(caller.workspaceId, id);
    res.status(started ? 202 : 200);
    const crm = crmLabel(run.crm);
    return { started, run: toRunView(run), message: started ? `${crm} sync started` : `A ${crm} sync is already running` };
  }

  @Post('sync/connections/:id/remap')
  @Roles('admin')
  @HttpCode(202)
  async remap(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: StartRemapDto): Promise<SyncRunDto> {
    return toRunView(await this.sync.startBackfill(caller.workspaceId, id, { remap: true, ...(body.forecastId ? { forecastId: body.forecastId } : {}) }));
  }

  /**
   * Dry run of proposed mapping rows (validated like a save, 400 naming the row otherwise): reads the CRM records
   * the tab maps and answers, in the run, how many people/companies would be created, updated or left unchanged
   * and a sample of field diffs (old → new, which rule). Nothing is saved or written.
   */
  @Post('sync/connections/:id/mapping-preview')
  @Roles('admin')
  @HttpCode(202)
  async mappingPreview(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: MappingPreviewDto): Promise<SyncRunDto> {
    const connection = await this.connections.findOneBy({ id, workspaceId: caller.workspaceId });
    if (!connection) throw new NotFoundException('Connection not found');
    const rows = await this.mapping.resolveProposed(connection, body.object, body.rows);
    const rules = body.sourceOfTruth ? Object.fromEntries(body.sourceOfTruth.map((r) => [r.conduitField, { source: r.source, others: r.others }])) : undefined;
    return toRunView(await this.sync.previewMapping(caller.workspaceId, id, body.object === 'contacts' ? 'contact' : 'company', rows, rules));
  }

  @Get('sync/runs')
  runs(@CurrentCaller() caller: Caller, @Query() query: RunsQueryDto): Promise<SyncRunDto[]> {
    return this.sync.listRuns(caller.workspaceId, { ...(query.connectionId ? { connectionId: query.connectionId } : {}), ...(query.limit ? { limit: query.limit } : {}) });
  }

  @Get('sync/runs/:id')
  run(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<SyncRunDetailDto> {
    return this.sync.getRun(caller.workspaceId, id);
  }

  /** "Resume now anyway": a run paused for the daily API budget goes on at once (admins; 409 when it is not paused). */
  @Post('sync/runs/:id/resume')
  @Roles('admin')
  @HttpCode(202)
  async resume(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<SyncRunDto> {
    return toRunView(await this.sync.resumeNow(caller.workspaceId, id));
  }

  /**
   * "Sync now" on a person: re-reads each CRM record the person is linked to (import priority and the source of truth
   * apply) and answers what changed, or that it was already up to date. 409 while the same person is being re-read.
   */
  @Post('people/:id/sync-now')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-read a person from each connected CRM', description: 'Re-reads every CRM record linked to the person now, applies import priority, and answers the fields that changed (or upToDate). 409 while the same person is already being re-read.' })
  @ApiOkResponse({ type: PersonSyncResponse })
  @ApiConflictResponse({ type: ApiErrorResponse, description: 'The person is already being re-read' })
  syncPerson(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<PersonSyncDto> {
    return this.personSync.syncPerson(caller.workspaceId, id);
  }

  @Get('people/:id/provenance')
  personProvenance(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ProvenanceDto> {
    return this.provenance.forEntity(caller.workspaceId, 'person', id);
  }

  @Get('companies/:id/provenance')
  companyProvenance(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ProvenanceDto> {
    return this.provenance.forEntity(caller.workspaceId, 'company', id);
  }
}
