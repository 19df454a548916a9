import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { ActivityBatchResultDto, ActivityDto, ActivityIntakeResultDto, ActivityListDto, ActivitySettingsDto, CrmKind } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { CrmParam } from '../connections/dto/params.js';
import { ActivitiesService } from './activities.service.js';
import { CreateActivitiesDto, CreateActivityDto, ListActivitiesQuery, UpdateActivitySettingsDto } from './dto.js';

/** Activity intake (session or workspace API key), the Activity log, person timelines and the Activity tab. */
@ApiTags('activities')
@ApiCookieAuth()
@ApiErrors()
@Controller()
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  /**
   * 201 with the stored activity; a repeated idempotency key with the same payload answers the original with
   * `duplicate: true` and logs nothing new; the key reused with another payload is a 409 naming `idempotencyKey`.
   */
  @Post('activities')
  @HttpCode(201)
  create(@CurrentCaller() caller: Caller, @Body() body: CreateActivityDto): Promise<ActivityIntakeResultDto> {
    return this.activities.createOne(caller, body);
  }

  /** Up to 500 activities; one result per input (unknown people → status 404 in their result). */
  @Post('activities/batch')
  @HttpCode(200)
  createMany(@CurrentCaller() caller: Caller, @Body() body: CreateActivitiesDto): Promise<ActivityBatchResultDto> {
    return this.activities.createMany(caller, body.activities);
  }

  @Get('activities')
  list(@CurrentCaller() caller: Caller, @Query() query: ListActivitiesQuery): Promise<ActivityListDto> {
    return this.activities.list(caller, query);
  }

  @Get('activities/:id')
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ActivityDto> {
    return this.activities.get(caller, id);
  }

  @Post('activities/:id/retry')
  @HttpCode(200)
  retry(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ActivityDto> {
    return this.activities.retry(caller, id);
  }

  @Get('people/:id/activities')
  timeline(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ActivityDto[]> {
    return this.activities.timeline(caller, id);
  }

  @Get('connections/:crm/activity-settings')
  settings(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<ActivitySettingsDto> {
    return this.activities.getSettings(caller, crm);
  }

  @Put('connections/:crm/activity-settings')
  @Roles('admin')
  updateSettings(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind, @Body() body: UpdateActivitySettingsDto): Promise<ActivitySettingsDto> {
    return this.activities.updateSettings(caller, crm, body);
  }
}
