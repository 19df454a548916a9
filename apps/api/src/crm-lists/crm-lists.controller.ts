import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { CrmListDto, CrmListSyncResultDto } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { CrmListsService } from './crm-lists.service.js';
import { BrowseListsQueryDto, SyncCrmListDto, UpdateCrmListBody } from './dto.js';

@ApiTags('crm-lists')
@ApiCookieAuth()
@ApiErrors()
@Controller('crm-lists')
export class CrmListsController {
  constructor(private readonly lists: CrmListsService) {}

  /** HubSpot lists and Salesforce Campaigns of the connected CRMs, with type, size, last sync and where used. */
  @Get()
  browse(@CurrentCaller() caller: Caller, @Query() query: BrowseListsQueryDto): Promise<CrmListDto[]> {
    return this.lists.browse(caller.workspaceId, { ...(query.crm ? { crm: query.crm } : {}), ...(query.search ? { search: query.search } : {}) });
  }

  @Get(':id')
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<CrmListDto> {
    return this.lists.get(caller.workspaceId, id);
  }

  /** The list's refresh schedule (dynamic lists in use are re-read this often). */
  @Patch(':id')
  @Roles('admin')
  update(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdateCrmListBody): Promise<CrmListDto> {
    return this.lists.update(caller.workspaceId, id, body.refreshMinutes);
  }

  /**
   * "Resume now anyway": a list sync paused for the daily API budget is synced again at once, past Conduit's daily
   * allocation until the reset it was waiting for (the CRM's own daily limit still applies). Admins only; 404 when
   * there is no such list, 409 when its sync is not paused.
   */
  @Post(':id/resume')
  @Roles('admin')
  @HttpCode(202)
  resume(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<CrmListDto> {
    return this.lists.resumeNow(caller.workspaceId, id);
  }

  /** Re-reads the list's membership now (static lists only change this way). */
  @Post(':id/sync')
  @HttpCode(202)
  sync(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: SyncCrmListDto): Promise<CrmListSyncResultDto> {
    return this.lists.requestSync(caller.workspaceId, id, body.forecastId);
  }
}
