import { ApiProperty } from '@nestjs/swagger';
import type { ExportBehaviourDto, ImportPriorityDto, MappingRowDto, UpdateMappingBody } from '@conduit/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

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
}

export class UpdateMappingDto implements UpdateMappingBody {
  @ApiProperty({ type: [MappingRowBody] })
  @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => MappingRowBody)
  rows: MappingRowBody[];
}
