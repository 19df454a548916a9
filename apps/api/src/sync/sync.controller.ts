import type { ProvenanceDto, SyncRunDetailDto, SyncRunDto, SyncSettingsDto } from '@conduit/contracts';
import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Put, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { MappingService } from '../connections/mapping.service.js';
import { MappingPreviewDto, RunsQueryDto, StartBackfillDto, StartRemapDto, UpdateSyncSettingsDto } from './dto.js';
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

  @Get('people/:id/provenance')
  personProvenance(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ProvenanceDto> {
    return this.provenance.forEntity(caller.workspaceId, 'person', id);
  }

  @Get('companies/:id/provenance')
  companyProvenance(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ProvenanceDto> {
    return this.provenance.forEntity(caller.workspaceId, 'company', id);
  }
}
