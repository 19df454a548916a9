import { Injectable, NotFoundException } from '@nestjs/common';
import type { CrmFieldDto, CrmKind, ProvenanceDto, ProvenanceEntryDto } from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { crmRecordUrl } from '../connections/crm-endpoints.js';
import { CrmLinkRepository } from './crm-link.repository.js';

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

interface ConnectionRow {
  id: string;
  crm: CrmKind;
  account_id: string;
  instance_url: string | null;
}

/** What names an entry's CRM side in words: the CRM, its record's object and page, the field's own label. */
interface CrmContext {
  connections: ReadonlyMap<string, ConnectionRow>;
  /** `connectionId:crmId` → object, from the entity's links. */
  objects: ReadonlyMap<string, CrmObjectType>;
  /** `connectionId:object` → field name → label, from discovery. */
  labels: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Ids among the values (companies, team members) → their names. */
  names: ReadonlyMap<string, string>;
}

/** Fields whose values are ids of rows with a name. */
const ID_FIELDS: Record<string, 'company' | 'app_user'> = { companyId: 'company', assignedUserId: 'app_user' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How the import names a link it follows instead of a field: `association:company`. */
const ASSOCIATION = 'association:';

/** Salesforce ids say their object in their first three characters. */
const SALESFORCE_PREFIX: Record<string, CrmObjectType> = { '00Q': 'lead', '003': 'contact', '001': 'company' };

/** "Why is this value here?": provenance of a person's or company's fields. */
@Injectable()
export class ProvenanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: CrmLinkRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

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
    const ctx = await this.crmContext(workspaceId, entity, id, [...current, ...history]);
    const view = (r: Row) => this.view(r, entity, ctx);
    return { current: current.map(view), history: history.map(view) };
  }

  private async crmContext(workspaceId: string, entity: 'person' | 'company', id: string, rows: readonly Row[]): Promise<CrmContext> {
    const connections = await this.dataSource.query<ConnectionRow[]>(`SELECT id, crm, account_id, instance_url FROM crm_connection WHERE workspace_id = $1`, [workspaceId]);
    const links = await this.links.linksOf(workspaceId, entity, id);
    const snapshots = connections.length
      ? await this.dataSource.query<{ connection_id: string; object: string; fields: CrmFieldDto[] }[]>(
          `SELECT connection_id, object, fields FROM crm_field_snapshot WHERE connection_id = ANY($1::uuid[])`,
          [connections.map((c) => c.id)],
        )
      : [];
    const names = new Map<string, string>();
    for (const table of ['company', 'app_user'] as const) {
      const ids = [...new Set(rows.filter((r) => ID_FIELDS[r.field] === table).flatMap((r) => [r.value, r.previous_value]).filter((v): v is string => typeof v === 'string' && UUID.test(v)))];
      if (!ids.length) continue;
      const found = await this.dataSource.query<{ id: string; name: string }[]>(`SELECT id, name FROM ${table} WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [workspaceId, ids]);
      for (const f of found) names.set(f.id, f.name);
    }
    return {
      names,
      connections: new Map(connections.map((c) => [c.id, c])),
      objects: new Map(links.map((l) => [`${l.connection_id}:${l.crm_id}`, l.object])),
      labels: new Map(snapshots.map((s) => [`${s.connection_id}:${s.object}`, new Map(s.fields.map((f) => [f.name, f.label]))])),
    };
  }

  private view(r: Row, entity: 'person' | 'company', ctx: CrmContext): ProvenanceEntryDto {
    const connection = r.connection_id ? ctx.connections.get(r.connection_id) : undefined;
    const object = connection && r.crm_record_id ? (ctx.objects.get(`${connection.id}:${r.crm_record_id}`) ?? objectOf(connection.crm, entity, r.crm_record_id)) : null;
    return {
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
      crm: connection?.crm ?? null,
      crmObject: object,
      crmFieldLabel: r.crm_field?.startsWith(ASSOCIATION) ? `associated ${r.crm_field.slice(ASSOCIATION.length)}` : connection && object && r.crm_field ? (ctx.labels.get(`${connection.id}:${object}`)?.get(r.crm_field) ?? null) : null,
      crmRecordUrl: connection && object && r.crm_record_id ? crmRecordUrl(this.config, { crm: connection.crm, accountId: connection.account_id, instanceUrl: connection.instance_url }, object, r.crm_record_id) : null,
      valueLabel: typeof r.value === 'string' ? (ctx.names.get(r.value) ?? null) : null,
      previousValueLabel: typeof r.previous_value === 'string' ? (ctx.names.get(r.previous_value) ?? null) : null,
    };
  }
}

/** The object of a record no longer linked (a converted Salesforce lead, an unlinked record), from what it is. */
function objectOf(crm: CrmKind, entity: 'person' | 'company', crmId: string): CrmObjectType | null {
  if (entity === 'company') return 'company';
  if (crm === 'hubspot') return 'contact';
  return SALESFORCE_PREFIX[crmId.slice(0, 3)] ?? null;
}
