import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CRM_KINDS, type ContactSourceFieldsDto, type CrmKind, type ExportRunDto, type ExportSettingsDto, type NeedsAttentionDto, type OwnerMappingDto, type PushResultDto, type StatusMappingDto } from '@conduit/contracts';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import { UuidParam } from '../common/uuid-param.js';
import { validationFailed } from '../common/validation.js';
import { CrmParam } from '../connections/dto/params.js';
import { StartExportDto, UpdateExportSettingsDto, UpdateOwnerMappingDto, UpdateStatusMappingDto } from './dto.js';
import { ExportResumes } from './export-resume.js';
import { type CrmLinkView, ExportService, type PersonCrmLinkView, toRunDto } from './export.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Export to the CRM. Members push and export; only admins change settings and mappings. */
@ApiTags('export')
@ApiCookieAuth()
@ApiErrors()
@Controller()
export class ExportController {
  constructor(
    private readonly exports: ExportService,
    private readonly resumes: ExportResumes,
  ) {}

  @Get('connections/:crm/export-settings')
  settings(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<ExportSettingsDto> {
    return this.exports.getSettings(caller, crm);
  }

  @Put('connections/:crm/export-settings')
  @Roles('admin')
  updateSettings(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind, @Body() body: UpdateExportSettingsDto): Promise<ExportSettingsDto> {
    return this.exports.updateSettings(caller, crm, body);
  }

  /** The contact-source picker's fields: writable discovered fields of the object people are exported as. */
  @Get('connections/:crm/export-settings/contact-source-fields')
  contactSourceFields(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<ContactSourceFieldsDto> {
    return this.exports.contactSourceFields(caller, crm);
  }

  @Get('connections/:crm/owner-mapping')
  ownerMapping(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<OwnerMappingDto> {
    return this.exports.getOwnerMapping(caller, crm);
  }

  @Put('connections/:crm/owner-mapping')
  @Roles('admin')
  updateOwnerMapping(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind, @Body() body: UpdateOwnerMappingDto): Promise<OwnerMappingDto> {
    return this.exports.updateOwnerMapping(caller, crm, body);
  }

  @Get('connections/:crm/status-mapping')
  statusMapping(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind): Promise<StatusMappingDto> {
    return this.exports.getStatusMapping(caller, crm);
  }

  @Put('connections/:crm/status-mapping')
  @Roles('admin')
  updateStatusMapping(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind, @Body() body: UpdateStatusMappingDto): Promise<StatusMappingDto> {
    return this.exports.updateStatusMapping(caller, crm, body);
  }

  @Post('people/:id/push/:crm')
  @HttpCode(200)
  push(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Param('crm', CrmParam) crm: CrmKind): Promise<PushResultDto> {
    return this.exports.push(caller, id, crm);
  }

  @Get('people/:id/crm-links')
  links(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<CrmLinkView[]> {
    return this.exports.linksOf(caller, id);
  }

  @Get('export/crm-links')
  @ApiQuery({ name: 'personIds', required: true, description: 'Comma-separated person ids (at most 200)' })
  peopleLinks(@CurrentCaller() caller: Caller, @Query('personIds') personIds?: string): Promise<PersonCrmLinkView[]> {
    const ids = (personIds ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const problem = ids.length > 200 ? 'personIds: at most 200 person ids' : ids.filter((id) => !UUID.test(id)).map((id) => `personIds: ${id} is not a UUID`)[0];
    if (problem) throw new BadRequestException({ statusCode: 400, message: problem, errors: [{ field: 'personIds', messages: [problem.slice('personIds: '.length)] }] });
    return this.exports.linksOfPeople(caller, ids);
  }

  @Get('export/runs/:id')
  run(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ExportRunDto> {
    return this.exports.getRun(caller, id);
  }

  /** "Resume now anyway": an export run paused for the daily API budget goes on at once (admins; 409 when not paused). */
  @Post('export/runs/:id/resume')
  @Roles('admin')
  @HttpCode(202)
  async resume(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ExportRunDto> {
    return toRunDto(await this.resumes.resumeNow(caller.workspaceId, id));
  }

  @Get('export/needs-attention')
  @ApiQuery({ name: 'crm', required: false, enum: ['hubspot', 'salesforce'] })
  needsAttention(@CurrentCaller() caller: Caller, @Query('crm') crm?: string): Promise<NeedsAttentionDto[]> {
    if (crm !== undefined && !isCrmKind(crm)) throw validationFailed([{ field: 'crm', messages: [`crm must be one of ${CRM_KINDS.join(', ')}`] }]);
    return this.exports.needsAttention(caller, crm);
  }

  @Post('export/needs-attention/:id/retry')
  @HttpCode(200)
  retry(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<PushResultDto> {
    return this.exports.retry(caller, id);
  }

  @Post('export/:crm')
  @HttpCode(202)
  bulk(@CurrentCaller() caller: Caller, @Param('crm', CrmParam) crm: CrmKind, @Body() body: StartExportDto): Promise<ExportRunDto> {
    return this.exports.startBulk(caller, crm, body);
  }
}

function isCrmKind(value: string): value is CrmKind {
  return (CRM_KINDS as readonly string[]).includes(value);
}
