import { NotFoundException, type PipeTransform } from '@nestjs/common';
import { CRM_KINDS, MAPPING_OBJECTS, type CrmKind, type MappingObjectDto } from '@conduit/contracts';

/** `:crm` is hubspot or salesforce; anything else names nothing (404). */
export class CrmParam implements PipeTransform<string, CrmKind> {
  transform(value: string): CrmKind {
    if (!(CRM_KINDS as readonly string[]).includes(value)) throw new NotFoundException(`Unknown CRM "${value.slice(0, 40)}"`);
    return value as CrmKind;
  }
}

/** `:object` of a mapping: contacts or companies. */
export class MappingObjectParam implements PipeTransform<string, MappingObjectDto> {
  transform(value: string): MappingObjectDto {
    if (!(MAPPING_OBJECTS as readonly string[]).includes(value)) throw new NotFoundException(`Unknown mapping object "${value.slice(0, 40)}"`);
    return value as MappingObjectDto;
  }
}
