import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { DncSettingsDto, PersonDncDto } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { DealsSyncService } from './deals-sync.service.js';
import { DncService } from './dnc.service.js';
import { DealsSyncBody, UpdateDncSettingsBody } from './dto.js';

@ApiTags('dnc')
@ApiCookieAuth()
@ApiErrors()
@Controller()
export class DncController {
  constructor(
    private readonly dnc: DncService,
    private readonly deals: DealsSyncService,
  ) {}

  @Get('dnc/settings')
  settings(@CurrentCaller() caller: Caller): Promise<DncSettingsDto> {
    return this.dnc.settings(caller.workspaceId);
  }

  @Put('dnc/settings')
  @Roles('admin')
  updateSettings(@CurrentCaller() caller: Caller, @Body() body: UpdateDncSettingsBody): Promise<DncSettingsDto> {
    return this.dnc.updateSettings(caller.workspaceId, body);
  }

  /** Re-reads deals and company customer status now (they are also re-read on a schedule). */
  @Post('dnc/sync')
  @Roles('admin')
  @HttpCode(202)
  async sync(@CurrentCaller() caller: Caller, @Body() body: DealsSyncBody): Promise<{ jobIds: string[] }> {
    return { jobIds: await this.deals.requestSync(caller.workspaceId, body.connectionId) };
  }

  /** Whether the person is do-not-contact, why, and the deals behind it. */
  @Get('people/:id/dnc')
  person(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<PersonDncDto> {
    return this.dnc.forPerson(caller.workspaceId, id);
  }
}
