import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ENGAGEMENT_STATES,
  EXPORT_POLICIES,
  SALESFORCE_EXPORT_OBJECTS,
  WHEN_LEAD_EXISTS,
  type ContactSourceDto,
  type ExportPolicy,
  type SalesforceExportObject,
  type WhenLeadExists,
  type StartExportBody,
  type UpdateExportSettingsBody,
  type UpdateOwnerMappingBody,
  type UpdateStatusMappingBody,
} from '@conduit/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

export class ContactSourceInput implements ContactSourceDto {
  @ApiProperty({ example: 'LeadSource' }) @IsString() @MaxLength(200)
  crmField: string;

  @ApiProperty({ example: 'Conduit' }) @IsString() @MaxLength(255)
  value: string;
}

export class UpdateExportSettingsDto implements UpdateExportSettingsBody {
  @ApiPropertyOptional({ enum: EXPORT_POLICIES, description: 'When people export: contacted, replied, or replied positively' })
  @IsOptional() @IsIn(EXPORT_POLICIES)
  policy?: ExportPolicy;

  @ApiPropertyOptional({ description: 'Export automatically when a person reaches the policy level' })
  @IsOptional() @IsBoolean()
  autoExport?: boolean;

  @ApiPropertyOptional({ type: ContactSourceInput, nullable: true, description: 'Field and value stamped on created records; validated against the field options' })
  @ValidateIf((_o, v) => v !== undefined && v !== null) @IsObject() @ValidateNested() @Type(() => ContactSourceInput)
  contactSource?: ContactSourceInput | null;

  @ApiPropertyOptional({ nullable: true, description: 'Salesforce Lead external-id field that holds the Conduit person id (upsert on it)' })
  @ValidateIf((_o, v) => v !== undefined && v !== null) @IsString() @MaxLength(200)
  externalIdField?: string | null;

  @ApiPropertyOptional({ enum: SALESFORCE_EXPORT_OBJECTS, description: 'Salesforce: write people as Leads, or as Contacts under an Account (matched by company link, website domain, then exact name; created when missing)' })
  @IsOptional() @IsIn(SALESFORCE_EXPORT_OBJECTS)
  salesforceObject?: SalesforceExportObject;

  @ApiPropertyOptional({ enum: WHEN_LEAD_EXISTS, description: 'Salesforce, Contact + Account: a person who is an unconverted Lead with the same email — update the Lead, or create the Contact and leave the Lead' })
  @IsOptional() @IsIn(WHEN_LEAD_EXISTS)
  whenLeadExists?: WhenLeadExists;
}

export class OwnerOverrideInput {
  @ApiProperty() @IsString() @MaxLength(100)
  crmOwnerId: string;

  @ApiProperty({ format: 'uuid' }) @IsUUID()
  memberId: string;
}

export class UpdateOwnerMappingDto implements UpdateOwnerMappingBody {
  @ApiProperty({ type: [OwnerOverrideInput] }) @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => OwnerOverrideInput)
  overrides: OwnerOverrideInput[];

  @ApiProperty({ nullable: true, description: 'Owner of records whose team member has no CRM owner' })
  @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(100)
  defaultOwnerId: string | null;
}

export class UpdateStatusMappingDto implements UpdateStatusMappingBody {
  @ApiProperty() @IsBoolean()
  enabled: boolean;

  @ApiProperty({ example: 'hs_lead_status' }) @IsString() @MaxLength(200)
  crmField: string;

  @ApiProperty({ enum: ['leadStatus', 'engagementState'] }) @IsIn(['leadStatus', 'engagementState'])
  source: 'leadStatus' | 'engagementState';

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Conduit status → CRM option value. With an engagementState source, advanced statuses (e.g. meeting_booked) may have entries; one without an entry (or blank) uses its parent\'s.' })
  @IsObject()
  table: Record<string, string>;
}

class ExportFilterInput {
  @ApiPropertyOptional({ enum: ENGAGEMENT_STATES }) @IsOptional() @IsIn(ENGAGEMENT_STATES)
  engagementState?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  leadStatus?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  assignedUserId?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID()
  companyId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200)
  search?: string;
}

export class StartExportDto implements StartExportBody {
  @ApiPropertyOptional({ type: [String], description: 'Selected rows (≤ 10,000); omit to export by filter' })
  @IsOptional() @IsArray() @ArrayMaxSize(10_000) @IsUUID('all', { each: true })
  personIds?: string[];

  @ApiPropertyOptional({ type: ExportFilterInput })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ExportFilterInput)
  filter?: ExportFilterInput;

  @ApiPropertyOptional({ format: 'uuid', description: 'The forecast shown before starting (POST /connections/:id/forecast, kind bulk-export): the run keeps it to compare with what it took' })
  @IsOptional() @IsUUID()
  forecastId?: string;
}
