import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { JOB_STATUSES, type JobDto, type JobStatus } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { UuidParam } from '../common/uuid-param.js';
import { OutboxService, toJobDto } from '../queues/outbox.service.js';
import { ApiErrors } from '../common/api-errors.js';
import { JobName } from '../queues/queue-names.js';

class JobResponse implements JobDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() queue: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: JOB_STATUSES }) status: JobStatus;
  @ApiProperty() attempts: number;
  @ApiProperty() maxAttempts: number;
  @ApiPropertyOptional({ type: String, nullable: true }) lastError: string | null;
  @ApiPropertyOptional({ type: 'object', nullable: true, additionalProperties: true }) result: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) runAfter: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' }) finishedAt: string | null;
}

@ApiTags('jobs')
@ApiCookieAuth()
@ApiErrors()
@Controller('jobs')
export class JobsController {
  constructor(private readonly outbox: OutboxService) {}

  @Post('recount-workspace')
  @Roles('admin')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: JobResponse, description: 'Queued; poll GET /api/jobs/:id for the counts.' })
  async recount(@CurrentCaller() caller: Caller): Promise<JobDto> {
    const row = await this.outbox.enqueue(JobName.RecountWorkspace, { workspaceId: caller.workspaceId }, { workspaceId: caller.workspaceId });
    return toJobDto(row);
  }

  @Get(':id')
  @ApiOkResponse({ type: JobResponse })
  async get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<JobDto> {
    const row = await this.outbox.findForWorkspace(caller.workspaceId, id);
    if (!row) throw new NotFoundException('Job not found');
    return toJobDto(row);
  }
}
