import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { ConsentDeliveryPageDto, ConsentEventResultDto } from '@conduit/contracts';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Response } from 'express';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { MAX_PAGE } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { ConsentEventDto } from './dto.js';
import { ConsentService } from './consent.service.js';

class DeliveriesQuery {
  @IsOptional() @IsIn(['pending', 'delivered', 'waiting_for_export', 'failed'])
  status?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  pageSize?: number;
}

/** Consent events of the outbound engine (session or workspace API key) and their CRM deliveries. */
@ApiTags('consent')
@ApiCookieAuth()
@ApiErrors()
@Controller('consent')
export class ConsentController {
  constructor(private readonly consent: ConsentService) {}

  /**
   * Records an unsubscribe, hard bounce or spam complaint at once (201) and queues its write to every connected CRM;
   * a repeated idempotency key answers 200 with the first report (`duplicate: true`) and changes nothing.
   */
  @Post('events')
  async record(@CurrentCaller() caller: Caller, @Body() body: ConsentEventDto, @Res({ passthrough: true }) res: Response): Promise<ConsentEventResultDto> {
    const result = await this.consent.record(caller, body);
    res.status(result.duplicate ? 200 : 201);
    return result;
  }

  @Get('events/:id')
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ConsentEventResultDto> {
    return this.consent.get(caller.workspaceId, id);
  }

  /**
   * Deliveries, newest change first, by status (the Activity log shows all, Needs attention `failed`: the CRM's
   * reason), retried with POST …/retry.
   */
  @Get('deliveries')
  deliveries(@CurrentCaller() caller: Caller, @Query() query: DeliveriesQuery): Promise<ConsentDeliveryPageDto> {
    return this.consent.deliveries(caller.workspaceId, query.status, query.page ?? 1, query.pageSize ?? 25);
  }

  @Post('deliveries/:id/retry')
  @HttpCode(204)
  retry(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<void> {
    return this.consent.retry(caller.workspaceId, id);
  }
}
