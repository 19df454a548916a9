import { Controller, Get, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { ApiBudgetDto } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { ApiBudgetService } from './api-budget.service.js';

/** The daily API budget of a connection (#17): what Conduit may spend, what it and the account spent, what is paused. */
@ApiTags('connections')
@ApiCookieAuth()
@ApiErrors()
@Controller('connections')
export class ApiBudgetController {
  constructor(private readonly budgets: ApiBudgetService) {}

  @Get(':id/api-budget')
  @ApiOkResponse({
    description:
      "Today's API budget of the connection: allocation, reset rule and next reset, Conduit's calls by feature, the CRM-reported account usage, calls left for bulk and live work, and the runs paused until the reset.",
  })
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ApiBudgetDto> {
    return this.budgets.summary(caller.workspaceId, id);
  }
}
