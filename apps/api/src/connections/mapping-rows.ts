import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { capabilitiesOf } from '@conduit/crm';
import { defaultMappings, type MappedObject, type MappingRow, vocabularyFor } from '@conduit/mapping';
import type { Repository } from 'typeorm';
import type { CrmConnection } from './connection.entity.js';
import { CrmFieldMapping } from './field-mapping.entity.js';
import { CrmFieldSnapshot } from './field-snapshot.entity.js';
import { effectiveValueMap } from './value-maps.js';

/**
 * The mapping rows import and export apply for a connection's people (`contact`) or companies: the saved rows in
 * order, or the CRM's defaults when none were saved. Read-only, apart from MappingService (which tells the sync
 * feature about changes, and so cannot be a dependency of it).
 */
@Injectable()
export class MappingRows {
  constructor(
    @InjectRepository(CrmFieldMapping) private readonly mappings: Repository<CrmFieldMapping>,
    @InjectRepository(CrmFieldSnapshot) private readonly snapshots: Repository<CrmFieldSnapshot>,
  ) {}

  /** Rows of fixed-vocabulary fields (lead status, industry) carry their value map (saved, completed with suggestions). */
  async for(connection: Pick<CrmConnection, 'id' | 'crm'>, object: MappedObject): Promise<MappingRow[]> {
    const saved = await this.mappings.find({ where: { connectionId: connection.id, object }, order: { position: 'ASC' } });
    const rows: (MappingRow & { saved?: Record<string, string> | null })[] = saved.length
      ? saved.map((r) => ({
          conduitField: r.conduitField,
          crmField: r.crmField,
          importPriority: r.importPriority,
          exportBehaviour: r.exportBehaviour,
          ...(r.conduitType ? { conduitType: r.conduitType } : {}),
          ...(r.crmType ? { crmType: r.crmType } : {}),
          saved: r.valueMap,
        }))
      : defaultMappings(connection.crm, object);
    if (!rows.some((r) => vocabularyFor(object, r.conduitField) !== null)) return rows.map(({ saved: _s, ...r }) => r);
    const crmObject = object === 'company' ? 'company' : capabilitiesOf(connection.crm).personObject;
    const fields = (await this.snapshots.findOneBy({ connectionId: connection.id, object: crmObject }))?.fields ?? null;
    return rows.map(({ saved: map, ...r }) => {
      const valueMap = effectiveValueMap(object, r.conduitField, r.crmField, map ?? null, fields);
      return valueMap ? { ...r, valueMap } : r;
    });
  }
}
