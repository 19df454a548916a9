import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { FieldSourceRuleBody, MappingRowBody } from '../connections/dto/mapping.dto.js';
import type { SyncObject } from './sync-objects.js';

const OBJECTS = ['company', 'contact', 'lead', 'deal', 'owner', 'list'] as const;
const OBJECTS_DOC = 'HubSpot: company, contact, deal, owner, list; Salesforce: company (Account), lead, contact, deal (Opportunity), owner (User), list (Campaign)';

export class UpdateSyncSettingsDto {
  @ApiPropertyOptional({ description: 'Import from the CRM on/off (schedule and webhooks)' })
  @IsOptional() @IsBoolean()
  importEnabled?: boolean;

  @ApiPropertyOptional({ enum: OBJECTS, isArray: true, description: `CRM objects to import (${OBJECTS_DOC})` })
  @IsOptional() @IsArray() @ArrayMaxSize(6) @IsIn(OBJECTS, { each: true })
  objects?: SyncObject[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1440, description: 'Minutes between incremental syncs' })
  @IsOptional() @IsInt() @Min(1) @Max(1440)
  intervalMinutes?: number;
}

export class StartBackfillDto {
  @ApiPropertyOptional({ description: 'Preview only: counts created/updated/unchanged and sample diffs, no writes' })
  @IsOptional() @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ enum: OBJECTS, isArray: true, description: 'Defaults to the connection settings (a dry run previews people and companies only)' })
  @IsOptional() @IsArray() @ArrayMaxSize(6) @IsIn(OBJECTS, { each: true })
  objects?: SyncObject[];

  @ApiPropertyOptional({ format: 'uuid', description: 'The forecast shown before starting (POST /connections/:id/forecast, kind backfill): the run keeps it to compare with what it took' })
  @IsOptional() @IsUUID()
  forecastId?: string;
}

export class StartRemapDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The forecast shown before starting (POST /connections/:id/forecast, kind remap)' })
  @IsOptional() @IsUUID()
  forecastId?: string;
}

export class RunsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  connectionId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
}

export class MappingPreviewDto {
  @ApiProperty({ enum: ['contacts', 'companies'], description: 'The mapping tab the rows belong to' })
  @IsIn(['contacts', 'companies'])
  object: 'contacts' | 'companies';

  @ApiProperty({ type: [MappingRowBody], description: 'The proposed rows (validated like a save); nothing is saved or written' })
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => MappingRowBody)
  rows: MappingRowBody[];

  @ApiPropertyOptional({ type: [FieldSourceRuleBody], description: 'Proposed source-of-truth rules (several CRMs connected), replacing the saved ones for these fields in the preview' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => FieldSourceRuleBody)
  sourceOfTruth?: FieldSourceRuleBody[];
}

/** OpenAPI shape of POST /sync/connections/:id/sync-now (the run itself is a SyncRunDto, described by GET /sync/runs/:id). */
export class SyncNowResponse {
  @ApiProperty({ description: 'False when an import run of the connection was already open; no second run is started' }) started!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The run started, or the one already open (as GET /sync/runs/:id without failures)' }) run!: Record<string, unknown>;
  @ApiProperty({ example: 'A HubSpot sync is already running' }) message!: string;
}

class PersonSyncRecordResponse {
  @ApiProperty({ enum: ['hubspot', 'salesforce'] }) crm!: string;
  @ApiProperty({ example: 'Lead' }) crmObject!: string;
  @ApiProperty() crmId!: string;
  @ApiProperty({ enum: ['updated', 'unchanged', 'not_found', 'failed', 'skipped'] }) outcome!: string;
  @ApiProperty({ type: String, nullable: true, description: "Why it failed or was skipped (the CRM's reason)" }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) runId!: string | null;
}

class PersonSyncChangeResponse {
  @ApiProperty({ example: 'jobTitle', description: 'Conduit field key (customAttributes.<key> for custom attributes; companyId with company names)' }) field!: string;
  @ApiProperty({ type: String, nullable: true }) before!: string | null;
  @ApiProperty({ type: String, nullable: true }) after!: string | null;
}

/** OpenAPI shape of POST /people/:id/sync-now. */
export class PersonSyncResponse {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ type: [PersonSyncRecordResponse] }) records!: PersonSyncRecordResponse[];
  @ApiProperty({ type: [PersonSyncChangeResponse] }) changes!: PersonSyncChangeResponse[];
  @ApiProperty({ description: 'Nothing changed and every record was read' }) upToDate!: boolean;
  @ApiProperty({ example: 'Already up to date' }) message!: string;
}
