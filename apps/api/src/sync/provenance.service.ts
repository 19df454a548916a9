import { Injectable, NotFoundException } from '@nestjs/common';
import type { ProvenanceDto, ProvenanceEntryDto } from '@conduit/contracts';
import { DataSource } from 'typeorm';

interface Row {
  field: string;
  source: 'crm' | 'conduit';
  connection_id: string | null;
  crm_record_id: string | null;
  crm_field: string | null;
  rule: string;
  previous_value: unknown;
  value: unknown;
  at: Date;
  crm_modified_at: Date | null;
}

const view = (r: Row): ProvenanceEntryDto => ({
  field: r.field,
  source: r.source,
  connectionId: r.connection_id,
  crmRecordId: r.crm_record_id,
  crmField: r.crm_field,
  rule: r.rule,
  previousValue: r.previous_value,
  value: r.value,
  at: r.at.toISOString(),
  crmModifiedAt: r.crm_modified_at?.toISOString() ?? null,
});

/** "Why is this value here?": provenance of a person's or company's fields. */
@Injectable()
export class ProvenanceService {
  constructor(private readonly dataSource: DataSource) {}

  async forEntity(workspaceId: string, entity: 'person' | 'company', id: string): Promise<ProvenanceDto> {
    const [exists] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM ${entity === 'person' ? 'person' : 'company'} WHERE id = $1 AND workspace_id = $2`, [id, workspaceId]);
    if (!exists) throw new NotFoundException(`${entity === 'person' ? 'Person' : 'Company'} not found`);
    // field_provenance is the per-field view of field_provenance_set (one row per change set); both queries read the
    // entity's sets through its primary key.
    const history = await this.dataSource.query<Row[]>(
      `SELECT field, source, connection_id, crm_record_id, crm_field, rule, previous_value, value, at, crm_modified_at FROM field_provenance
        WHERE workspace_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY at DESC, seq DESC, field LIMIT 200`,
      [workspaceId, entity, id],
    );
    const current = await this.dataSource.query<Row[]>(
      `SELECT DISTINCT ON (field) field, source, connection_id, crm_record_id, crm_field, rule, previous_value, value, at, crm_modified_at FROM field_provenance
        WHERE workspace_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY field, at DESC, seq DESC`,
      [workspaceId, entity, id],
    );
    return { current: current.map(view), history: history.map(view) };
  }
}
