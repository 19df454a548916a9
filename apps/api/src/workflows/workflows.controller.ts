import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  LATENCY_WINDOWS,
  type OpportunityStageDto,
  type DealPipelineDto,
  type WorkflowOwnersDto,
  WORKFLOW_RUN_RESULTS,
  type LatencyWindow,
  type WorkflowCountsDto,
  type WorkflowDto,
  type WorkflowKind,
  type WorkflowLatencyDto,
  type WorkflowRunDto,
  type WorkflowRunResult,
} from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { BoundedIntPipe } from '../common/pagination.js';
import { validationFailed } from '../common/validation.js';
import { OutboxService } from '../queues/outbox.service.js';
import { UpdateAccountCompanyDto, UpdateAccountHygieneDto, UpdateEmailChangeDto, UpdateMqlHandoffDto, UpdateOpportunityDealDto, UpdateStageLifecycleDto, WorkflowKindParam } from './dto.js';
import { WorkflowsService } from './workflows.service.js';
import { JobName } from '../queues/queue-names.js';

/** HubSpot ↔ Salesforce workflows. Everyone reads definitions and the run log; admins change, resume and retry. */
@ApiTags('workflows')
@ApiCookieAuth()
@ApiErrors()
@Controller('workflows')
export class WorkflowsController {
  constructor(
    private readonly workflows: WorkflowsService,
    private readonly outbox: OutboxService,
  ) {}

  @Get()
  list(@CurrentCaller() caller: Caller): Promise<WorkflowDto[]> {
    return this.workflows.list(caller);
  }

  /** Salesforce Opportunity stage values (label + API value) for the stage pickers; 409 while a CRM is not connected. */
  @Get('opportunity-stages')
  opportunityStages(@CurrentCaller() caller: Caller): Promise<OpportunityStageDto[]> {
    return this.workflows.opportunityStages(caller);
  }

  /** HubSpot deal pipelines and their stages (the Opportunity → deal stage table); 409 while HubSpot is not connected. */
  @Get('deal-pipelines')
  dealPipelines(@CurrentCaller() caller: Caller): Promise<DealPipelineDto[]> {
    return this.workflows.dealPipelines(caller);
  }

  /** Salesforce users and HubSpot owners (the Opportunity → deal owner table); 409 while a CRM is not connected. */
  @Get('owners')
  owners(@CurrentCaller() caller: Caller): Promise<WorkflowOwnersDto> {
    return this.workflows.owners(caller);
  }

  @Get('runs/:id')
  run(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<WorkflowRunDto> {
    return this.workflows.run(caller, id);
  }

  @Post('runs/:id/retry')
  @Roles('admin')
  @HttpCode(200)
  retry(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<WorkflowRunDto> {
    return this.workflows.retry(caller, id);
  }

  /** Reads Salesforce changes now instead of waiting for the next scheduled poll. */
  @Post('poll')
  @Roles('admin')
  @HttpCode(202)
  async poll(@CurrentCaller() caller: Caller): Promise<{ jobId: string }> {
    const job = await this.outbox.enqueue(JobName.WorkflowsPoll, { workspaceId: caller.workspaceId }, { workspaceId: caller.workspaceId, maxAttempts: 1 });
    return { jobId: job.id };
  }

  @Put('mql-handoff')
  @Roles('admin')
  updateMql(@CurrentCaller() caller: Caller, @Body() body: UpdateMqlHandoffDto): Promise<WorkflowDto> {
    return this.workflows.update(caller, 'mql_handoff', body);
  }

  @Put('stage-lifecycle')
  @Roles('admin')
  updateStage(@CurrentCaller() caller: Caller, @Body() body: UpdateStageLifecycleDto): Promise<WorkflowDto> {
    return this.workflows.update(caller, 'stage_lifecycle', body);
  }

  @Put('email-change')
  @Roles('admin')
  updateEmail(@CurrentCaller() caller: Caller, @Body() body: UpdateEmailChangeDto): Promise<WorkflowDto> {
    return this.workflows.update(caller, 'email_change', body);
  }

  @Put('account-hygiene')
  @Roles('admin')
  updateHygiene(@CurrentCaller() caller: Caller, @Body() body: UpdateAccountHygieneDto): Promise<WorkflowDto> {
    return this.workflows.update(caller, 'account_hygiene', body);
  }

  @Put('opportunity-deal')
  @Roles('admin')
  updateOpportunityDeal(@CurrentCaller() caller: Caller, @Body() body: UpdateOpportunityDealDto): Promise<WorkflowDto> {
    return this.workflows.update(caller, 'opportunity_deal', body);
  }

  @Put('account-company')
  @Roles('admin')
  updateAccountCompany(@CurrentCaller() caller: Caller, @Body() body: UpdateAccountCompanyDto): Promise<WorkflowDto> {
    return this.workflows.update(caller, 'account_company', body);
  }

  @Get(':kind')
  get(@CurrentCaller() caller: Caller, @Param('kind', WorkflowKindParam) kind: WorkflowKind): Promise<WorkflowDto> {
    return this.workflows.get(caller, kind);
  }

  @Delete(':kind')
  @Roles('admin')
  reset(@CurrentCaller() caller: Caller, @Param('kind', WorkflowKindParam) kind: WorkflowKind): Promise<WorkflowDto> {
    return this.workflows.reset(caller, kind);
  }

  @Post(':kind/resume')
  @Roles('admin')
  @HttpCode(200)
  resume(@CurrentCaller() caller: Caller, @Param('kind', WorkflowKindParam) kind: WorkflowKind): Promise<WorkflowDto> {
    return this.workflows.resume(caller, kind);
  }

  @Get(':kind/runs')
  @ApiQuery({ name: 'result', required: false, enum: WORKFLOW_RUN_RESULTS })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', minimum: 1, maximum: 500 })
  runs(
    @CurrentCaller() caller: Caller,
    @Param('kind', WorkflowKindParam) kind: WorkflowKind,
    @Query('result') result?: string,
    @Query('limit', new BoundedIntPipe('limit', 1, 500)) limit?: number,
  ): Promise<WorkflowRunDto[]> {
    if (result !== undefined && !(WORKFLOW_RUN_RESULTS as readonly string[]).includes(result)) {
      throw validationFailed([{ field: 'result', messages: [`result must be one of ${WORKFLOW_RUN_RESULTS.join(', ')}`] }]);
    }
    const filter = result as WorkflowRunResult | undefined;
    return this.workflows.runs(caller, kind, { ...(filter ? { result: filter } : {}), ...(limit === undefined ? {} : { limit }) });
  }

  @Get(':kind/latency')
  @ApiQuery({ name: 'window', required: false, enum: LATENCY_WINDOWS })
  latency(@CurrentCaller() caller: Caller, @Param('kind', WorkflowKindParam) kind: WorkflowKind, @Query('window') window?: string): Promise<WorkflowLatencyDto> {
    const w = window ?? '24h';
    if (!(LATENCY_WINDOWS as readonly string[]).includes(w)) throw validationFailed([{ field: 'window', messages: [`window must be one of ${LATENCY_WINDOWS.join(', ')}`] }]);
    return this.workflows.latency(caller, kind, w as LatencyWindow);
  }

  @Get(':kind/counts')
  counts(@CurrentCaller() caller: Caller, @Param('kind', WorkflowKindParam) kind: WorkflowKind): Promise<WorkflowCountsDto> {
    return this.workflows.counts(caller, kind);
  }
}
