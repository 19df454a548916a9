import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CAMPAIGN_CHANNELS, CAMPAIGN_STATUSES, type CampaignChannel, type CampaignStatus } from '@conduit/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_PAGE } from '../common/pagination.js';

const MAX_LISTS = 50;
const MAX_PEOPLE = 10_000;

export class CreateCampaignBody {
  @ApiProperty({ maxLength: 200 })
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES, default: 'draft' })
  @IsOptional() @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;

  @ApiPropertyOptional({ enum: CAMPAIGN_CHANNELS, description: 'The channel it sends on (default email): people who withdrew consent for it are excluded' })
  @IsOptional() @IsIn(CAMPAIGN_CHANNELS)
  channel?: CampaignChannel;

  @ApiPropertyOptional({ type: [String], description: 'CRM list ids (GET /crm-lists) whose members are the audience' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_LISTS) @IsUUID('all', { each: true })
  audienceListIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Hand-picked people' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_PEOPLE) @IsUUID('all', { each: true })
  audiencePersonIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'CRM list ids whose members are never sent to' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_LISTS) @IsUUID('all', { each: true })
  suppressionListIds?: string[];
}

export class UpdateCampaignBody {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsOptional() @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;

  @ApiPropertyOptional({ enum: CAMPAIGN_CHANNELS, description: 'The channel it sends on (default email): people who withdrew consent for it are excluded' })
  @IsOptional() @IsIn(CAMPAIGN_CHANNELS)
  channel?: CampaignChannel;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the list audiences' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_LISTS) @IsUUID('all', { each: true })
  audienceListIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Replaces the hand-picked people' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_PEOPLE) @IsUUID('all', { each: true })
  audiencePersonIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Replaces the suppression lists' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_LISTS) @IsUUID('all', { each: true })
  suppressionListIds?: string[];
}

export class WorkspaceSuppressionBody {
  @ApiProperty({ type: [String], description: 'CRM list ids suppressed in every campaign (replaces the set)' })
  @IsArray() @ArrayMaxSize(MAX_LISTS) @IsUUID('all', { each: true })
  listIds!: string[];
}

export class RecipientsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  pageSize?: number;
}
