import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { type CreatePersonBody, ENGAGEMENT_STATES, type EngagementState, type Page, type PeopleQuery, type PersonDto } from '@conduit/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsObject, IsOptional, IsString, IsUrl, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';
import { BulkRows, documentNullable } from '../common/validation.js';
import { IsPhone } from './phone.js';

export const MAX_BULK_ROWS = 1000;
const PERSON_SORTS = ['createdAt', 'updatedAt', 'lastName', 'firstName', 'email', 'companyName'] as const;

export class CreatePersonDto implements CreatePersonBody {
  @ApiPropertyOptional({ description: 'Full name; split into firstName/lastName when those are absent', example: 'Ada Lovelace' })
  @IsOptional() @IsString() @MaxLength(300)
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(150)
  firstName?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(150)
  lastName?: string;

  @ApiPropertyOptional({ example: 'ada@analytical.test' }) @IsOptional() @IsEmail() @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ description: 'International format (+ country code), checked against the numbering plan of its country (libphonenumber)', example: '+1 415 555 0100' })
  @IsOptional() @IsString() @MaxLength(50) @IsPhone()
  phone?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  jobTitle?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120)
  city?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120)
  country?: string;

  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }) @MaxLength(500)
  linkedinUrl?: string;

  @ApiPropertyOptional({ description: 'Linked to the workspace company of the same name when companyId is absent' })
  @IsOptional() @IsString() @MaxLength(200)
  companyName?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  companyId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000)
  qualificationReasoning?: string;

  @ApiPropertyOptional({ example: 'New' }) @IsOptional() @IsString() @MaxLength(100)
  leadStatus?: string;

  @ApiPropertyOptional({ enum: ENGAGEMENT_STATES })
  @ValidateIf((_o, v) => v !== undefined)
  @IsIn(ENGAGEMENT_STATES)
  engagementState?: EngagementState;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  assignedUserId?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @ValidateIf((_o, v) => v !== undefined) @IsObject()
  customAttributes?: Record<string, unknown>;
}

// The nullable columns: null means "no value" on create and clears the value in a PATCH (UpdatePersonDto inherits it).
documentNullable(CreatePersonDto, [
  'firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country', 'linkedinUrl', 'companyName', 'companyId', 'qualificationReasoning', 'leadStatus', 'assignedUserId',
]);

/**
 * Every field may be left out of a PATCH and nullable ones cleared with null; PartialType makes fields @IsOptional
 * (which lets null through), so the two non-nullable columns are redeclared to refuse null.
 */
export class UpdatePersonDto extends PartialType(OmitType(CreatePersonDto, ['engagementState', 'customAttributes'] as const)) {
  @ApiPropertyOptional({ enum: ENGAGEMENT_STATES })
  @ValidateIf((_o, v) => v !== undefined)
  @IsIn(ENGAGEMENT_STATES)
  engagementState?: EngagementState;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @ValidateIf((_o, v) => v !== undefined) @IsObject()
  customAttributes?: Record<string, unknown>;
}

export class BulkPeopleDto {
  @ApiProperty({ type: [CreatePersonDto], maxItems: MAX_BULK_ROWS, description: 'Rows are validated one by one: see BulkResult' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ROWS)
  @IsObject({ each: true })
  @BulkRows()
  people: Record<string, unknown>[];
}

export class PeopleQueryDto extends PageQueryDto implements PeopleQuery {
  @ApiPropertyOptional({ enum: ENGAGEMENT_STATES }) @IsOptional() @IsIn(ENGAGEMENT_STATES)
  engagementState?: EngagementState;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  leadStatus?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  assignedUserId?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  companyId?: string;

  @ApiPropertyOptional({ enum: PERSON_SORTS, default: 'createdAt' }) @IsOptional() @IsIn(PERSON_SORTS)
  sort?: (typeof PERSON_SORTS)[number];
}

export class PersonResponse implements PersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) jobTitle: string | null;
  @ApiProperty({ type: String, nullable: true }) city: string | null;
  @ApiProperty({ type: String, nullable: true }) country: string | null;
  @ApiProperty({ type: String, nullable: true }) linkedinUrl: string | null;
  @ApiProperty({ type: String, nullable: true }) companyName: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) companyId: string | null;
  @ApiProperty({ type: String, nullable: true }) qualificationReasoning: string | null;
  @ApiProperty({ type: String, nullable: true }) leadStatus: string | null;
  @ApiProperty({ enum: ENGAGEMENT_STATES }) engagementState: EngagementState;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) assignedUserId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) customAttributes: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PersonPageResponse implements Page<PersonDto> {
  @ApiProperty({ type: [PersonResponse] }) items: PersonResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
