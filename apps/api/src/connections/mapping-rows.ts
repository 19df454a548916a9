import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { defaultMappings, type MappedObject, type MappingRow } from '@conduit/mapping';
import type { Repository } from 'typeorm';
import type { CrmConnection } from './connection.entity.js';
import { CrmFieldMapping } from './field-mapping.entity.js';

/**
 * The mapping rows import and export apply for a connection's people (`contact`) or companies: the saved rows in
 * order, or the CRM's defaults when none were saved. Read-only, apart from MappingService (which tells the sync
 * feature about changes, and so cannot be a dependency of it).
 */
@Injectable()
export class MappingRows {
  constructor(@InjectRepository(CrmFieldMapping) private readonly mappings: Repository<CrmFieldMapping>) {}

  async for(connection: Pick<CrmConnection, 'id' | 'crm'>, object: MappedObject): Promise<MappingRow[]> {
    const rows = await this.mappings.find({ where: { connectionId: connection.id, object }, order: { position: 'ASC' } });
    if (rows.length === 0) return defaultMappings(connection.crm, object);
    return rows.map((r) => ({
      conduitField: r.conduitField,
      crmField: r.crmField,
      importPriority: r.importPriority,
      exportBehaviour: r.exportBehaviour,
      ...(r.conduitType ? { conduitType: r.conduitType } : {}),
      ...(r.crmType ? { crmType: r.crmType } : {}),
    }));
  }
}
