import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { ConsentDeliveryDto, ConsentEventResultDto } from '@conduit/contracts';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { ConsentEventDto, type ConsentEventType } from './dto.js';
import { ConsentService } from './consent.service.js';

class DeliveriesQuery {
  @IsOptional() @IsIn(['pending', 'delivered', 'waiting_for_export', 'failed'])
  status?: string;
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

  /** Deliveries by status; `failed` is what needs attention (the CRM's reason), retried with POST …/retry. */
  @Get('deliveries')
  deliveries(@CurrentCaller() caller: Caller, @Query() query: DeliveriesQuery): Promise<(ConsentDeliveryDto & { eventId: string; personId: string; type: ConsentEventType })[]> {
    return this.consent.deliveries(caller.workspaceId, query.status);
  }

  @Post('deliveries/:id/retry')
  @HttpCode(204)
  retry(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<void> {
    return this.consent.retry(caller.workspaceId, id);
  }
}
