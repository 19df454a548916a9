import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import type { CompaniesQuery, CompanyDto, CreateCompanyBody, Page } from '@conduit/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsFQDN, IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../common/pagination.js';
import { BulkRows, documentNullable } from '../common/validation.js';

const COMPANY_SORTS = ['createdAt', 'name', 'domain', 'employeeCount'] as const;
export const MAX_BULK_COMPANIES = 1000;

export class CreateCompanyDto implements CreateCompanyBody {
  @ApiProperty({ example: 'Globex' })
  @IsString() @MinLength(1) @MaxLength(200) @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiPropertyOptional({ example: 'globex.com' }) @IsOptional() @IsFQDN({ require_tld: true }) @MaxLength(253)
  domain?: string;

  @ApiPropertyOptional({ example: 'https://globex.com' }) @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }) @MaxLength(500)
  website?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120)
  industry?: string;

  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000)
  employeeCount?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120)
  city?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120)
  country?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Conduit custom attributes; a PATCH replaces the whole object' })
  @ValidateIf((_o, v) => v !== undefined) @IsObject()
  customAttributes?: Record<string, unknown>;
}

// The nullable columns: null means "no value" on create and clears the value in a PATCH (UpdateCompanyDto inherits it).
documentNullable(CreateCompanyDto, ['domain', 'website', 'industry', 'employeeCount', 'city', 'country']);

/** Every field may be left out of a PATCH; nullable ones may be cleared with null, `name` and `customAttributes` may not. */
export class UpdateCompanyDto extends PartialType(OmitType(CreateCompanyDto, ['name', 'customAttributes'] as const)) {
  @ApiPropertyOptional({ example: 'Globex' })
  @ValidateIf((_o, v) => v !== undefined)
  @IsString() @MinLength(1) @MaxLength(200) @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Replaces the whole object' })
  @ValidateIf((_o, v) => v !== undefined) @IsObject()
  customAttributes?: Record<string, unknown>;
}

export class BulkCompaniesDto {
  @ApiProperty({ type: [CreateCompanyDto], maxItems: MAX_BULK_COMPANIES })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_COMPANIES) @IsObject({ each: true }) @BulkRows()
  companies: Record<string, unknown>[];
}

export class CompaniesQueryDto extends PageQueryDto implements CompaniesQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(120)
  industry?: string;

  @ApiPropertyOptional({ enum: COMPANY_SORTS, default: 'createdAt' }) @IsOptional() @IsIn(COMPANY_SORTS)
  sort?: (typeof COMPANY_SORTS)[number];
}

export class CompanyResponse implements CompanyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) domain: string | null;
  @ApiProperty({ type: String, nullable: true }) website: string | null;
  @ApiProperty({ type: String, nullable: true }) industry: string | null;
  @ApiProperty({ type: Number, nullable: true }) employeeCount: number | null;
  @ApiProperty({ type: String, nullable: true }) city: string | null;
  @ApiProperty({ type: String, nullable: true }) country: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) customAttributes: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CompanyPageResponse implements Page<CompanyDto> {
  @ApiProperty({ type: [CompanyResponse] }) items: CompanyResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
