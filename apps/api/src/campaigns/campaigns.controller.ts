import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CampaignDto, CampaignListsRefreshDto, CampaignSuppressionDto, ExcludedPageDto, RecipientCountsDto, RecipientsPageDto } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { CampaignsService } from './campaigns.service.js';
import { CreateCampaignBody, RecipientsQueryDto, UpdateCampaignBody, WorkspaceSuppressionBody } from './dto.js';

const DEFAULT_PAGE_SIZE = 50;

@ApiTags('campaigns')
@ApiCookieAuth()
@ApiErrors()
@Controller()
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get('campaigns')
  list(@CurrentCaller() caller: Caller): Promise<CampaignDto[]> {
    return this.campaigns.list(caller.workspaceId);
  }

  @Post('campaigns')
  create(@CurrentCaller() caller: Caller, @Body() body: CreateCampaignBody): Promise<CampaignDto> {
    return this.campaigns.create(caller.workspaceId, body);
  }

  @Get('campaigns/:id')
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<CampaignDto> {
    return this.campaigns.get(caller.workspaceId, id);
  }

  /** Refresh: re-reads the members of every CRM list the campaign uses (a list already syncing is not queued again). */
  @Post('campaigns/:id/refresh-lists')
  @HttpCode(202)
  @ApiOperation({ summary: "Refresh a campaign's CRM lists", description: 'Queues a membership sync of the audience and suppression lists the campaign reads (workspace-wide suppression lists included). Lists already syncing keep their sync; deleted or disconnected ones are answered as skipped.' })
  @ApiAcceptedResponse({ description: '`{ campaignId, queued: [{ listId, name, alreadySyncing }], skipped: [{ listId, name, reason }] }`' })
  refreshLists(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<CampaignListsRefreshDto> {
    return this.campaigns.refreshLists(caller.workspaceId, id);
  }

  @Patch('campaigns/:id')
  update(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: UpdateCampaignBody): Promise<CampaignDto> {
    return this.campaigns.update(caller.workspaceId, id, body);
  }

  @Delete('campaigns/:id')
  @HttpCode(204)
  remove(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<void> {
    return this.campaigns.remove(caller.workspaceId, id);
  }

  /** The people the outbound engine may contact: audience minus suppressed minus do-not-contact. */
  @Get('campaigns/:id/recipients')
  recipients(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: RecipientsQueryDto): Promise<RecipientsPageDto> {
    return this.campaigns.recipients(caller.workspaceId, id, query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  @Get('campaigns/:id/recipients/counts')
  counts(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<RecipientCountsDto> {
    return this.campaigns.counts(caller.workspaceId, id);
  }

  /** Audience people left out, each with every reason (suppression list, open deal, customer, domain). */
  @Get('campaigns/:id/recipients/excluded')
  excluded(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: RecipientsQueryDto): Promise<ExcludedPageDto> {
    return this.campaigns.excluded(caller.workspaceId, id, query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  /** Suppression lists that apply to every campaign. */
  @Get('suppression-lists')
  workspaceSuppressions(@CurrentCaller() caller: Caller): Promise<CampaignSuppressionDto[]> {
    return this.campaigns.workspaceSuppressions(caller.workspaceId);
  }

  @Put('suppression-lists')
  @Roles('admin')
  setWorkspaceSuppressions(@CurrentCaller() caller: Caller, @Body() body: WorkspaceSuppressionBody): Promise<CampaignSuppressionDto[]> {
    return this.campaigns.setWorkspaceSuppressions(caller.workspaceId, body.listIds);
  }
}
