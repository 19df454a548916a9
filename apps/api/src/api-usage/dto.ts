import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { API_USAGE_WINDOWS, type ApiUsageWindow, FORECAST_KINDS, type ForecastKind, type ForecastRequestBody, type SyncObject } from '@conduit/contracts';
import { StartExportDto } from '../export/dto.js';

const OBJECTS = ['company', 'contact', 'lead', 'deal', 'owner', 'list'] as const;

export class ForecastRequestDto implements ForecastRequestBody {
  @ApiProperty({ enum: FORECAST_KINDS, description: 'backfill (full import), remap (re-apply the mapping), bulk-export, list-sync' })
  @IsIn(FORECAST_KINDS)
  kind: ForecastKind;

  @ApiPropertyOptional({ enum: OBJECTS, isArray: true, description: 'backfill / remap: CRM objects (default: the sync settings)' })
  @IsOptional() @IsArray() @ArrayMaxSize(6) @IsIn(OBJECTS, { each: true })
  objects?: SyncObject[];

  @ApiPropertyOptional({ type: StartExportDto, description: 'bulk-export: the people, as POST /export/:crm takes them' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => StartExportDto)
  export?: StartExportDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'list-sync: the CRM list (GET /crm-lists)' })
  @IsOptional() @IsUUID()
  listId?: string;
}

export class ApiUsageQueryDto {
  @ApiPropertyOptional({ enum: API_USAGE_WINDOWS, description: '24h (by hour, default) or 7d (by day)' })
  @IsOptional() @IsIn(API_USAGE_WINDOWS)
  window?: ApiUsageWindow;
}
