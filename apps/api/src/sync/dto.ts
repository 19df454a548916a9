import { ApiPropertyOptional } from '@nestjs/swagger';
import type { CrmObjectType } from '@conduit/crm';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

const OBJECTS = ['company', 'contact', 'lead'] as const;

export class UpdateSyncSettingsDto {
  @ApiPropertyOptional({ description: 'Import from the CRM on/off (schedule and webhooks)' })
  @IsOptional() @IsBoolean()
  importEnabled?: boolean;

  @ApiPropertyOptional({ enum: OBJECTS, isArray: true, description: 'CRM objects to import (HubSpot: company, contact; Salesforce: company, lead, contact)' })
  @IsOptional() @IsArray() @ArrayMaxSize(3) @IsIn(OBJECTS, { each: true })
  objects?: CrmObjectType[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1440, description: 'Minutes between incremental syncs' })
  @IsOptional() @IsInt() @Min(1) @Max(1440)
  intervalMinutes?: number;
}

export class StartBackfillDto {
  @ApiPropertyOptional({ description: 'Preview only: counts created/updated/unchanged and sample diffs, no writes' })
  @IsOptional() @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({ enum: OBJECTS, isArray: true, description: 'Defaults to the connection settings' })
  @IsOptional() @IsArray() @ArrayMaxSize(3) @IsIn(OBJECTS, { each: true })
  objects?: CrmObjectType[];
}

export class RunsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  connectionId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
}
