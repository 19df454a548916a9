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
