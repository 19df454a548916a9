import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { ApiUsageDto, ForecastDto } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { ApiUsageQueryDto, ForecastRequestDto } from './dto.js';
import { ForecastService } from './forecast.service.js';
import { UsageService } from './usage.service.js';

@ApiTags('api-usage')
@ApiCookieAuth()
@ApiErrors()
@Controller()
export class ApiUsageController {
  constructor(
    private readonly forecasts: ForecastService,
    private readonly usage: UsageService,
  ) {}

  /**
   * Conduit's API calls on the connection by feature — the last 24 h hour by hour (what counted against the day's
   * budget) or the last 7 days by day — with the whole account's calls as the CRM reported them, the daily limit
   * and Conduit's allocation of it, and the recent runs with the share of the day each took.
   */
  @Get('connections/:id/api-usage')
  apiUsage(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: ApiUsageQueryDto): Promise<ApiUsageDto> {
    return this.usage.usage(caller.workspaceId, id, query.window ?? '24h');
  }

  /**
   * What a backfill, remap, bulk export or list sync will cost before it starts: records, API calls, time, the share
   * of what Conduit may still spend today, and where the daily allocation would pause it. Counting the CRM's records
   * costs one API call per object. Pass the answer's `id` as `forecastId` when starting the work: the run keeps it.
   */
  @Post('connections/:id/forecast')
  forecast(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() body: ForecastRequestDto): Promise<ForecastDto> {
    return this.forecasts.forecast(caller.workspaceId, id, body);
  }
}
