import { NotFoundException, type PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FIELD_MASTERS,
  FILTER_OPERATORS,
  WORKFLOW_KINDS,
  type AccountCompanyConfigDto,
  type AccountHygieneConfigDto,
  type DealStageRowDto,
  type OpportunityDealConfigDto,
  type EmailChangeConfigDto,
  type FieldMapRowDto,
  type FieldMaster,
  type FilterConditionDto,
  type FilterOperator,
  type MqlHandoffConfigDto,
  type OpportunityRuleDto,
  type OwnerRuleDto,
  type StageLifecycleConfigDto,
  type StageRuleDto,
  type TerritoryRowDto,
  type UpdateWorkflowBody,
  type ValueTableRowDto,
  type WorkflowKind,
} from '@conduit/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
  IsObject,
} from 'class-validator';

/** `:kind` in the URL is kebab-case (mql-handoff); anything else names nothing. */
export class WorkflowKindParam implements PipeTransform<string, WorkflowKind> {
  transform(value: string): WorkflowKind {
    const kind = value.replace(/-/g, '_');
    if (!(WORKFLOW_KINDS as readonly string[]).includes(kind)) throw new NotFoundException(`Unknown workflow "${value.slice(0, 40)}"`);
    return kind as WorkflowKind;
  }
}

/** A string, a finite number, or a list of strings (filter values). */
function IsFilterValue(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isFilterValue',
      target: object.constructor,
      propertyName,
      ...(options ? { options } : {}),
      validator: {
        validate: (v: unknown) =>
          v === undefined ||
          (typeof v === 'string' && v.length <= 1000) ||
          (typeof v === 'number' && Number.isFinite(v)) ||
          (Array.isArray(v) && v.length <= 500 && v.every((x) => typeof x === 'string' && x.length <= 1000)),
        defaultMessage: () => `${propertyName} must be a string, a number or a list of strings`,
      },
    });
}

/** A default value: string, finite number, boolean or null. */
function IsScalar(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isScalar',
      target: object.constructor,
      propertyName,
      ...(options ? { options } : {}),
      validator: {
        validate: (v: unknown) => v === undefined || v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 1000),
        defaultMessage: () => `${propertyName} must be a string, a number, a boolean or null`,
      },
    });
}

const FieldName = () => (target: object, key: string) => {
  IsString()(target, key);
  MinLength(1)(target, key);
  MaxLength(200)(target, key);
};

export class FilterConditionInput implements FilterConditionDto {
  @ApiProperty({ example: 'hubspotscore' }) @FieldName()
  property: string;

  @ApiProperty({ enum: FILTER_OPERATORS }) @IsIn(FILTER_OPERATORS)
  operator: FilterOperator;

  @ApiPropertyOptional({ description: 'string, number, or list of strings for in / not_in' })
  @IsFilterValue()
  @ValidateIf((o: FilterConditionInput) => ['gt', 'gte', 'lt', 'lte'].includes(o.operator))
  @IsNumber({}, { message: 'value must be a number for gt, gte, lt and lte' })
  value?: string | number | string[];
}

export class FieldMapRowInput implements FieldMapRowDto {
  @ApiProperty({ nullable: true, example: 'firstname' }) @ValidateIf((_o, v) => v !== null) @FieldName()
  hubspot: string | null;

  @ApiProperty({ example: 'FirstName' }) @FieldName()
  salesforce: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsScalar()
  default?: string | number | boolean | null;

  @ApiPropertyOptional({ enum: FIELD_MASTERS, nullable: true, description: 'Which system wins when the field is also mapped Salesforce → HubSpot' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(FIELD_MASTERS)
  master?: FieldMaster | null;
}

export class ValueTableRowInput implements ValueTableRowDto {
  @ApiProperty() @IsString() @MaxLength(255)
  from: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(255)
  to: string;
}

export class TerritoryRowInput implements TerritoryRowDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100)
  country: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(100)
  state?: string | null;

  @ApiProperty({ description: 'Salesforce User id' }) @IsString() @MinLength(15) @MaxLength(18)
  ownerId: string;
}

export class OwnerRuleInput implements OwnerRuleDto {
  @ApiProperty({ enum: ['none', 'owner_mapping', 'territory'] }) @IsIn(['none', 'owner_mapping', 'territory'])
  kind: 'none' | 'owner_mapping' | 'territory';

  @ApiPropertyOptional({ type: [ValueTableRowInput] }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => ValueTableRowInput)
  ownerMapping?: ValueTableRowInput[];

  @ApiPropertyOptional({ type: [TerritoryRowInput] }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => TerritoryRowInput)
  territories?: TerritoryRowInput[];

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MinLength(15) @MaxLength(18)
  defaultOwnerId?: string | null;
}

export class OpportunityRuleInput implements OpportunityRuleDto {
  @ApiProperty() @IsBoolean()
  enabled: boolean;

  @ApiProperty({ example: 'Qualification' }) @IsString() @MinLength(1) @MaxLength(255)
  stageName: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsNumber() @Min(0)
  amount?: number | null;

  @ApiProperty() @IsInt() @Min(0) @Max(3650)
  closeInDays: number;
}

export class MqlHandoffConfigInput implements MqlHandoffConfigDto {
  @ApiProperty({ example: 'marketingqualifiedlead' }) @FieldName()
  triggerStage: string;

  @ApiProperty({ type: [FilterConditionInput] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => FilterConditionInput)
  conditions: FilterConditionInput[];

  @ApiProperty({ type: [FieldMapRowInput] }) @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => FieldMapRowInput)
  fieldMap: FieldMapRowInput[];

  @ApiProperty({ example: 'HubSpot_Contact_ID__c' }) @FieldName()
  externalIdField: string;

  @ApiProperty({ type: [ValueTableRowInput] }) @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => ValueTableRowInput)
  leadSourceTable: ValueTableRowInput[];

  @ApiProperty({ nullable: true }) @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(255)
  leadSourceDefault: string | null;

  @ApiProperty({ type: OwnerRuleInput }) @IsObject() @ValidateNested() @Type(() => OwnerRuleInput)
  owner: OwnerRuleInput;

  @ApiProperty({ type: OpportunityRuleInput }) @IsObject() @ValidateNested() @Type(() => OpportunityRuleInput)
  opportunity: OpportunityRuleInput;
}

export class StageRuleInput implements StageRuleDto {
  @ApiProperty({ example: 'Closed Won' }) @IsString() @MinLength(1) @MaxLength(255)
  stage: string;

  @ApiProperty({ example: 'customer' }) @FieldName()
  lifecycle: string;

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @ValidateIf((_o, v) => v !== null) @IsNumber()
  minAmountExclusive?: number | null;
}

export class StageLifecycleConfigInput implements StageLifecycleConfigDto {
  @ApiProperty({ type: [StageRuleInput] }) @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => StageRuleInput)
  rules: StageRuleInput[];

  @ApiProperty() @IsBoolean()
  allowBackwards: boolean;
}

export class EmailChangeConfigInput implements EmailChangeConfigDto {
  @ApiProperty({ enum: ['hubspot_to_salesforce', 'both'] }) @IsIn(['hubspot_to_salesforce', 'both'])
  direction: 'hubspot_to_salesforce' | 'both';

  @ApiPropertyOptional({ enum: FIELD_MASTERS, nullable: true, description: 'Which system wins for email; required with direction both' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsIn(FIELD_MASTERS)
  master?: FieldMaster | null;
}

/** The company value gate both Account workflows share: which fields are copied, the industry table, values never copied. */
abstract class CompanyValueGateInput {
  @ApiProperty({ enum: ['name', 'industry', 'numberofemployees'], isArray: true }) @IsArray() @ArrayMaxSize(3) @IsIn(['name', 'industry', 'numberofemployees'], { each: true })
  fields: ('name' | 'industry' | 'numberofemployees')[];

  @ApiProperty({ type: [ValueTableRowInput] }) @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => ValueTableRowInput)
  industryTable: ValueTableRowInput[];

  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) @MaxLength(255, { each: true })
  genericValues: string[];
}

export class AccountHygieneConfigInput extends CompanyValueGateInput implements AccountHygieneConfigDto {}

/** The body of PUT /workflows/:kind for one workflow kind: enabled, and its configuration validated by `Config`. */
function UpdateWorkflowInput<C extends object>(Config: new () => C) {
  class UpdateWorkflowInput {
    @ApiPropertyOptional() @IsOptional() @IsBoolean()
    enabled?: boolean;

    @ApiPropertyOptional({ type: Config }) @IsOptional() @IsObject() @ValidateNested() @Type(() => Config)
    config?: C;
  }
  return UpdateWorkflowInput;
}

export class UpdateMqlHandoffDto extends UpdateWorkflowInput(MqlHandoffConfigInput) implements UpdateWorkflowBody<MqlHandoffConfigDto> {}

export class UpdateStageLifecycleDto extends UpdateWorkflowInput(StageLifecycleConfigInput) implements UpdateWorkflowBody<StageLifecycleConfigDto> {}

export class UpdateEmailChangeDto extends UpdateWorkflowInput(EmailChangeConfigInput) implements UpdateWorkflowBody<EmailChangeConfigDto> {}

export class UpdateAccountHygieneDto extends UpdateWorkflowInput(AccountHygieneConfigInput) implements UpdateWorkflowBody<AccountHygieneConfigDto> {}

export class DealStageRowInput implements DealStageRowDto {
  @ApiProperty({ example: 'Closed Won', description: 'Salesforce Opportunity StageName' }) @IsString() @MinLength(1) @MaxLength(255)
  stage: string;

  @ApiProperty({ example: 'closedwon', description: 'HubSpot deal stage id in the pipeline' }) @IsString() @MinLength(1) @MaxLength(255)
  dealstage: string;
}

export class OpportunityDealConfigInput implements OpportunityDealConfigDto {
  @ApiProperty({ example: 'default', description: 'HubSpot deal pipeline id' }) @IsString() @MinLength(1) @MaxLength(255)
  pipeline: string;

  @ApiProperty({ type: [DealStageRowInput] }) @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => DealStageRowInput)
  stages: DealStageRowInput[];

  @ApiProperty({ type: [ValueTableRowInput], description: 'Salesforce User id → HubSpot owner id' }) @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => ValueTableRowInput)
  ownerTable: ValueTableRowInput[];

  @ApiProperty() @IsBoolean()
  matchOwnersByEmail: boolean;
}

export class AccountCompanyConfigInput extends CompanyValueGateInput implements AccountCompanyConfigDto {
  @ApiProperty() @IsBoolean()
  create: boolean;

  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(500) @IsString({ each: true }) @MaxLength(255, { each: true })
  blockedDomains: string[];
}

export class UpdateOpportunityDealDto extends UpdateWorkflowInput(OpportunityDealConfigInput) implements UpdateWorkflowBody<OpportunityDealConfigDto> {}

export class UpdateAccountCompanyDto extends UpdateWorkflowInput(AccountCompanyConfigInput) implements UpdateWorkflowBody<AccountCompanyConfigDto> {}
