import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTIVITY_DELIVERY_STATUSES, ACTIVITY_TYPES, CRM_KINDS, REPLY_SENTIMENTS, type ActivityDeliveryStatus, type ActivityType, type CrmKind, type ReplySentiment } from '@conduit/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MAX_PAGE } from '../common/pagination.js';

/** Validate the property when the activity is one of `types` (then it is required), or whenever it is given. */
const For = (...types: ActivityType[]): PropertyDecorator =>
  ValidateIf((o: Record<string, unknown>, v: unknown) => types.includes(o['type'] as ActivityType) || v !== undefined);

const TEXT = 100_000;

/**
 * One activity from the outbound engine. The fields after `occurredAt` depend on `type`: a field required by the
 * type is validated (and named in the 400) when missing; fields of other types are validated when given.
 */
export class CreateActivityDto {
  @ApiProperty({ description: "The engine's own activity id; unique per workspace. A repeat returns the original result." })
  @IsString()
  @Length(1, 200)
  idempotencyKey!: string;

  @ApiProperty({ enum: ACTIVITY_TYPES })
  @IsIn(ACTIVITY_TYPES)
  type!: ActivityType;

  @ApiProperty()
  @IsUUID()
  personId!: string;

  @ApiPropertyOptional({ description: "Team member who performed it; defaults to the person's assigned member." })
  @IsOptional()
  @IsUUID()
  performerUserId?: string;

  @ApiProperty({ description: 'When it happened (ISO 8601).' })
  @IsISO8601({ strict: true })
  occurredAt!: string;

  // ---- email_sent / email_reply / task ----
  @ApiPropertyOptional({ description: 'email_sent, email_reply, task' })
  @For('email_sent', 'email_reply', 'task')
  @IsString()
  @Length(1, 1000)
  subject?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  bodyText?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  bodyHtml?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(320)
  from?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  to?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  threadId?: string;

  @ApiPropertyOptional({ enum: REPLY_SENTIMENTS, description: 'email_reply' })
  @For('email_reply')
  @IsIn(REPLY_SENTIMENTS)
  sentiment?: ReplySentiment;

  // ---- direction: email_reply (incoming), linkedin_message (sent|received), call (outbound|inbound) ----
  @ApiPropertyOptional({ enum: ['incoming', 'sent', 'received', 'outbound', 'inbound'] })
  @For('linkedin_message', 'call')
  @IsIn(['incoming', 'sent', 'received', 'outbound', 'inbound'])
  direction?: 'incoming' | 'sent' | 'received' | 'outbound' | 'inbound';

  @ApiPropertyOptional({ enum: ['sent', 'accepted'], description: 'linkedin_connection_request' })
  @For('linkedin_connection_request')
  @IsIn(['sent', 'accepted'])
  state?: 'sent' | 'accepted';

  @ApiPropertyOptional({ description: 'linkedin_message, note (required); connection request note, task body' })
  @For('linkedin_message', 'note')
  @IsString()
  @Length(1, TEXT)
  body?: string;

  // ---- call ----
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 3600)
  durationSeconds?: number;

  @ApiPropertyOptional({ description: 'Free-text call disposition' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  disposition?: string;

  @ApiPropertyOptional({ enum: ['completed', 'no_answer', 'busy', 'failed', 'canceled', 'scheduled', 'rescheduled', 'no_show'] })
  @IsOptional()
  @IsIn(['completed', 'no_answer', 'busy', 'failed', 'canceled', 'scheduled', 'rescheduled', 'no_show'])
  outcome?: 'completed' | 'no_answer' | 'busy' | 'failed' | 'canceled' | 'scheduled' | 'rescheduled' | 'no_show';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  notes?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  @MaxLength(2000)
  recordingUrl?: string;

  // ---- meeting ----
  @ApiPropertyOptional({ description: 'meeting (required), call' })
  @For('meeting')
  @IsString()
  @Length(1, 1000)
  title?: string;

  @ApiPropertyOptional({ description: 'meeting start (ISO)' })
  @For('meeting')
  @IsISO8601({ strict: true })
  start?: string;

  @ApiPropertyOptional({ description: 'meeting end (ISO)' })
  @For('meeting')
  @IsISO8601({ strict: true })
  end?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  attendees?: string[];

  @ApiPropertyOptional({ description: 'Meeting location or link' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  location?: string;

  // ---- task ----
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  dueDate?: string;

  @ApiPropertyOptional({ enum: ['low', 'medium', 'high'] })
  @IsOptional()
  @IsIn(['low', 'medium', 'high'])
  priority?: 'low' | 'medium' | 'high';

  @ApiPropertyOptional({ enum: ['not_started', 'completed'] })
  @IsOptional()
  @IsIn(['not_started', 'completed'])
  status?: 'not_started' | 'completed';
}

export class CreateActivitiesDto {
  @ApiProperty({ type: [CreateActivityDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CreateActivityDto)
  activities!: CreateActivityDto[];
}

export class ListActivitiesQuery {
  @IsOptional()
  @IsIn(ACTIVITY_TYPES)
  type?: ActivityType;

  @IsOptional()
  @IsIn(ACTIVITY_DELIVERY_STATUSES)
  status?: ActivityDeliveryStatus;

  @IsOptional()
  @IsUUID()
  personId?: string;

  @IsOptional()
  @IsIn(CRM_KINDS)
  crm?: CrmKind;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

class ActivityTypeTogglesDto {
  @IsOptional() @IsBoolean() email_sent?: boolean;
  @IsOptional() @IsBoolean() email_reply?: boolean;
  @IsOptional() @IsBoolean() linkedin_message?: boolean;
  @IsOptional() @IsBoolean() linkedin_connection_request?: boolean;
  @IsOptional() @IsBoolean() call?: boolean;
  @IsOptional() @IsBoolean() meeting?: boolean;
  @IsOptional() @IsBoolean() note?: boolean;
  @IsOptional() @IsBoolean() task?: boolean;
}

export class UpdateActivitySettingsDto {
  @ApiPropertyOptional({ description: 'Per type: true = log to the CRM' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ActivityTypeTogglesDto)
  types?: ActivityTypeTogglesDto;

  @ApiPropertyOptional({ description: 'Prefixed to subjects/bodies; may be empty' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  label?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  associateCompany?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  associateDeal?: boolean;
}
