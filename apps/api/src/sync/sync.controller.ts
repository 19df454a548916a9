import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { RunsQueryDto, StartBackfillDto, UpdateSyncSettingsDto } from './dto.js';
import { ProvenanceService, type ProvenanceView } from './provenance.service.js';
import type { SyncSettings } from './sync-connection.port.js';
import { type RunView, SyncService, toRunView } from './sync.service.js';

@ApiTags('sync')
@ApiCookieAuth()
@ApiErrors()
@Controller()
export class SyncController {
  constructor(
    private readonly sync: SyncService,
    private readonly provenance: ProvenanceService,
  ) {}

  @Get('sync/connections/:id/settings')
  settings(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<SyncSettings> {
    return this.sync.getSettings(caller.workspaceId, id);
  }

  @Put('sync/connections/:id/settings')
  @Roles('admin')
  updateSettings(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdateSyncSettingsDto): Promise<SyncSettings> {
    return this.sync.updateSettings(caller.workspaceId, id, body);
  }

  @Post('sync/connections/:id/backfill')
  @Roles('admin')
  @HttpCode(202)
  async backfill(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: StartBackfillDto): Promise<RunView> {
    return toRunView(await this.sync.startBackfill(caller.workspaceId, id, { ...(body.dryRun ? { dryRun: true } : {}), ...(body.objects ? { objects: body.objects } : {}) }));
  }

  @Post('sync/connections/:id/remap')
  @Roles('admin')
  @HttpCode(202)
  async remap(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<RunView> {
    return toRunView(await this.sync.startBackfill(caller.workspaceId, id, { remap: true }));
  }

  @Get('sync/runs')
  runs(@CurrentCaller() caller: Caller, @Query() query: RunsQueryDto): Promise<RunView[]> {
    return this.sync.listRuns(caller.workspaceId, { ...(query.connectionId ? { connectionId: query.connectionId } : {}), ...(query.limit ? { limit: query.limit } : {}) });
  }

  @Get('sync/runs/:id')
  run(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<RunView & { failures: { crmId: string; reason: string; at: string }[] }> {
    return this.sync.getRun(caller.workspaceId, id);
  }

  @Get('people/:id/provenance')
  personProvenance(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ProvenanceView> {
    return this.provenance.forEntity(caller.workspaceId, 'person', id);
  }

  @Get('companies/:id/provenance')
  companyProvenance(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ProvenanceView> {
    return this.provenance.forEntity(caller.workspaceId, 'company', id);
  }
}
