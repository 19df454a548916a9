import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SyncCrmListBody } from '@conduit/contracts';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class BrowseListsQueryDto {
  @ApiPropertyOptional({ enum: ['hubspot', 'salesforce'], description: 'Only this CRM (default: every connected CRM)' })
  @IsOptional() @IsIn(['hubspot', 'salesforce'])
  crm?: 'hubspot' | 'salesforce';

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the list name' })
  @IsOptional() @IsString() @MaxLength(200)
  search?: string;
}

export class UpdateCrmListBody {
  @ApiProperty({ minimum: 5, maximum: 10_080, description: 'How often a dynamic list in use is re-read, in minutes' })
  @IsInt() @Min(5) @Max(10_080)
  refreshMinutes!: number;
}

export class SyncCrmListDto implements SyncCrmListBody {
  @ApiPropertyOptional({ format: 'uuid', description: 'The forecast shown before (POST /connections/:id/forecast, kind list-sync): the sync keeps it to compare with what it took' })
  @IsOptional() @IsUUID()
  forecastId?: string;
}
