import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  type ExportBehaviourDto,
  FIELD_SOURCES,
  type FieldSourceDto,
  type ImportPriorityDto,
  type MappingRowDto,
  OTHER_SOURCES_POLICIES,
  type OtherSourcesPolicyDto,
  type UpdateMappingBody,
  type UpdateSourceOfTruthBody,
} from '@conduit/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, registerDecorator, ValidateIf, ValidateNested, type ValidationOptions } from 'class-validator';

/** Option value → Conduit value: at most 1,000 entries, keys and values strings of at most 255 characters. */
function IsValueMap(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isValueMap',
      target: object.constructor,
      propertyName,
      ...(options ? { options } : {}),
      validator: {
        validate: (v: unknown) =>
          v !== null &&
          typeof v === 'object' &&
          !Array.isArray(v) &&
          Object.keys(v).length <= 1000 &&
          Object.entries(v).every(([k, x]) => k.length <= 255 && typeof x === 'string' && x.length <= 255),
        defaultMessage: () => `${propertyName} must map each option value to a Conduit value (text of at most 255 characters)`,
      },
    });
}

export class MappingRowBody implements MappingRowDto {
  @ApiProperty({ example: 'qualificationReasoning', description: 'A Person/Company field or custom.<key>' })
  @IsString() @MaxLength(120) @Matches(/^[A-Za-z0-9_.-]+$/)
  conduitField: string;

  @ApiProperty({ example: 'conduit_qualification_reasoning' })
  @IsString() @MaxLength(255)
  crmField: string;

  @ApiProperty({ enum: ['crm', 'conduit'] })
  @IsIn(['crm', 'conduit'])
  importPriority: ImportPriorityDto;

  @ApiProperty({ enum: ['fill_if_empty', 'overwrite', 'do_not_export'] })
  @IsIn(['fill_if_empty', 'overwrite', 'do_not_export'])
  exportBehaviour: ExportBehaviourDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
    description: "Fixed-vocabulary fields (lead status, industry): CRM option value → Conduit value ('' leaves it unmapped); null = Conduit's suggestions",
  })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsValueMap()
  valueMap?: Record<string, string> | null;
}

export class UpdateMappingDto implements UpdateMappingBody {
  @ApiProperty({ type: [MappingRowBody] })
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => MappingRowBody)
  rows: MappingRowBody[];
}

export class FieldSourceRuleBody {
  @ApiProperty({ example: 'leadStatus', description: 'A Person/Company field or custom.<key>' })
  @IsString() @MaxLength(120) @Matches(/^[A-Za-z0-9_.-]+$/)
  conduitField: string;

  @ApiProperty({ enum: FIELD_SOURCES, description: 'hubspot / salesforce: that CRM is the source; latest: the most recent change in either CRM; conduit: CRMs only fill blanks' })
  @IsIn(FIELD_SOURCES)
  source: FieldSourceDto;

  @ApiProperty({ enum: OTHER_SOURCES_POLICIES, description: 'What CRMs that are not the source do: fill a blank field, or never write it' })
  @IsIn(OTHER_SOURCES_POLICIES)
  others: OtherSourcesPolicyDto;
}

export class UpdateSourceOfTruthDto implements UpdateSourceOfTruthBody {
  @ApiProperty({ type: [FieldSourceRuleBody] })
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => FieldSourceRuleBody)
  rules: FieldSourceRuleBody[];
}
