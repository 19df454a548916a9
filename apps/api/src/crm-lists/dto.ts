import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class BrowseListsQueryDto {
  @ApiPropertyOptional({ enum: ['hubspot', 'salesforce'], description: 'Only this CRM (default: every connected CRM)' })
  @IsOptional() @IsIn(['hubspot', 'salesforce'])
  crm?: 'hubspot' | 'salesforce';

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the list name' })
  @IsOptional() @IsString() @MaxLength(200)
  search?: string;
}
