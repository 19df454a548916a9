import { BadRequestException, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ConnectionMappingDto, CrmFieldDto, MappingObjectDto, MappingRowDto, UnmappedValueDto } from '@conduit/contracts';
import type { CrmObjectType } from '@conduit/crm';
import {
  defaultMappings,
  standardFields,
  validateMapping,
  validateValueMap,
  vocabularyFor,
  type MappedObject,
  type MappingIssue,
  type MappingRow,
} from '@conduit/mapping';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { capabilitiesOf } from '@conduit/crm';
import type { CrmConnection } from './connection.entity.js';
import { crmObjectName } from './discovery.service.js';
import { CrmFieldMapping } from './field-mapping.entity.js';
import { CrmFieldSnapshot, type StoredCrmField } from './field-snapshot.entity.js';
import { MAPPING_CHANGED_LISTENER, type MappingChangedListener } from './mapping-events.js';
import { effectiveValueMap } from './value-maps.js';

/** Mapping object (URL) → @conduit/mapping's object, and the CRM object its rows write. */
export function mappedObject(object: MappingObjectDto): MappedObject {
  return object === 'contacts' ? 'contact' : 'company';
}

export function crmObjectFor(crm: CrmConnection['crm'], object: MappingObjectDto): CrmObjectType {
  if (object === 'companies') return 'company';
  // The object new people are created as (Salesforce Lead; see @conduit/mapping defaultMappings).
  return capabilitiesOf(crm).personObject;
}

/** A value map's entries in key order: Postgres jsonb hands keys back in its own order, so insertion order says nothing. */
const mapKey = (m: Record<string, string> | null | undefined): string => (m ? JSON.stringify(Object.entries(m).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : 'null');
const sameMap = (a: Record<string, string> | null | undefined, b: Record<string, string> | null | undefined) => mapKey(a) === mapKey(b);

const sameRow = (a: MappingRowDto, b: MappingRowDto) =>
  a.conduitField === b.conduitField && a.crmField === b.crmField && a.importPriority === b.importPriority && a.exportBehaviour === b.exportBehaviour && sameMap(a.valueMap, b.valueMap);

/** Rows as the defaults compare (the value map is the suggestions' unless saved). */
const sameRule = (a: MappingRowDto, b: MappingRowDto) =>
  a.conduitField === b.conduitField && a.crmField === b.crmField && a.importPriority === b.importPriority && a.exportBehaviour === b.exportBehaviour;

function rowLabel(rows: readonly MappingRowDto[], index: number): string {
  const row = rows[index];
  return row ? `Row ${index + 1} (${row.conduitField} → ${row.crmField})` : 'Mapping';
}

/** Field mappings per connection and object, validated with @conduit/mapping against the discovered fields. */
@Injectable()
export class MappingService {
  private readonly logger = new Logger(MappingService.name);

  constructor(
    @InjectRepository(CrmFieldMapping) private readonly mappings: Repository<CrmFieldMapping>,
    @InjectRepository(CrmFieldSnapshot) private readonly snapshots: Repository<CrmFieldSnapshot>,
    private readonly dataSource: DataSource,
    @Optional() @Inject(MAPPING_CHANGED_LISTENER) private readonly changed?: MappingChangedListener,
  ) {}

  async get(connection: CrmConnection, object: MappingObjectDto): Promise<ConnectionMappingDto> {
    const snapshot = await this.snapshots.findOneBy({ connectionId: connection.id, object: crmObjectFor(connection.crm, object) });
    const fields = snapshot?.fields ?? [];
    const mapped = mappedObject(object);
    const rows = (await this.mappings.find({ where: { connectionId: connection.id, object: mapped }, order: { position: 'ASC' } })).map((r) => {
      const valueMap = effectiveValueMap(mapped, r.conduitField, r.crmField, r.valueMap, snapshot?.fields ?? null);
      return { ...toRowDto(r), ...(valueMap ? { valueMap } : {}) };
    });
    const issues = snapshot ? this.validate(connection, object, rows, fields).issues : [];
    const known = new Set(fields.map((f) => f.name));
    const defaults = this.defaults(connection, mappedObject(object), snapshot?.fields ?? null);
    return {
      crm: connection.crm,
      object,
      crmObject: crmObjectName(connection.crm, crmObjectFor(connection.crm, object)),
      rows,
      isDefault: rows.length === defaults.length && rows.every((r, i) => sameRule(r, defaults[i] as MappingRowDto)),
      conduitFields: [
        ...standardFields(mapped).map((f) => {
          const vocabulary = vocabularyFor(mapped, f.name);
          return { name: f.name, label: f.label, type: f.type, ...(vocabulary ? { vocabulary: [...vocabulary] } : {}) };
        }),
        ...(await this.customAttributes(connection, object, rows)),
      ],
      fields,
      issues: issues.map((i) => ({ rowIndex: i.rowIndex, field: i.field, severity: i.severity, code: i.code, message: i.message })),
      missingFields: snapshot ? rows.filter((r) => !known.has(r.crmField)).map((r) => r.crmField) : [],
      drift: snapshot?.drift ?? null,
      discoveredAt: snapshot?.discoveredAt.toISOString() ?? null,
      unmapped: await this.unmapped(connection, mapped, fields),
    };
  }

  /** Values the value maps left untranslated on import, per field and value, with how many records hold each. */
  private async unmapped(connection: CrmConnection, object: MappedObject, fields: readonly CrmFieldDto[]): Promise<UnmappedValueDto[]> {
    const found = await this.dataSource.query<{ conduit_field: string; crm_field: string; crm_value: string; records: number }[]>(
      `SELECT conduit_field, crm_field, crm_value, count(*)::int AS records FROM unmapped_value
        WHERE workspace_id = $1 AND connection_id = $2 AND object = ANY($3::text[])
        GROUP BY conduit_field, crm_field, crm_value ORDER BY conduit_field, count(*) DESC, crm_value LIMIT 500`,
      [connection.workspaceId, connection.id, object === 'company' ? ['company'] : ['contact', 'lead']],
    );
    return found.map((u) => ({
      conduitField: u.conduit_field,
      crmField: u.crm_field,
      crmValue: u.crm_value,
      crmLabel: fields.find((f) => f.name === u.crm_field)?.options?.find((o) => o.value === u.crm_value)?.label ?? null,
      records: u.records,
    }));
  }

  /**
   * Saves the rows when validation finds no error. Unknown or read-only CRM fields (and the other errors of
   * validateMapping) answer 400 naming each row and why; warnings (type mismatches) are saved and returned.
   */
  async replace(connection: CrmConnection, object: MappingObjectDto, rows: MappingRowDto[]): Promise<ConnectionMappingDto> {
    const { snapshot } = await this.validated(connection, object, rows);
    const before = await this.savedRows(connection, object);
    await this.dataSource.transaction((tx) => this.write(tx, connection, mappedObject(object), rows, snapshot.fields));
    await this.notifyChanged(connection, object, before, rows);
    return this.get(connection, object);
  }

  /**
   * Proposed rows validated exactly like a save (400 naming each row otherwise), typed from the discovered fields —
   * what a mapping dry run previews. Nothing is saved.
   */
  async resolveProposed(connection: CrmConnection, object: MappingObjectDto, rows: MappingRowDto[]): Promise<MappingRow[]> {
    const { snapshot } = await this.validated(connection, object, rows);
    const byName = new Map(snapshot.fields.map((f) => [f.name, f]));
    const mapped = mappedObject(object);
    return rows.map((r) => {
      const valueMap = effectiveValueMap(mapped, r.conduitField, r.crmField, r.valueMap ?? null, snapshot.fields);
      return {
        conduitField: r.conduitField,
        crmField: r.crmField,
        importPriority: r.importPriority,
        exportBehaviour: r.exportBehaviour,
        ...(byName.get(r.crmField)?.type ? { crmType: byName.get(r.crmField)?.type } : {}),
        ...(valueMap ? { valueMap } : {}),
      };
    });
  }

  private async validated(connection: CrmConnection, object: MappingObjectDto, rows: MappingRowDto[]): Promise<{ snapshot: CrmFieldSnapshot }> {
    const snapshot = await this.snapshots.findOneBy({ connectionId: connection.id, object: crmObjectFor(connection.crm, object) });
    if (!snapshot) throw new BadRequestException('The CRM fields have not been discovered yet: run discovery first');
    const { issues } = this.validate(connection, object, rows, snapshot.fields);
    const errors = issues.filter((i) => i.severity === 'error');
    const mapErrors = rows.flatMap((r, i) => {
      const vocabulary = vocabularyFor(mappedObject(object), r.conduitField);
      if (!r.valueMap) return [];
      if (!vocabulary) return [{ field: `rows.${i}.valueMap`, messages: [`${rowLabel(rows, i)}: this field takes any value, so it has no value map`] }];
      const bad = validateValueMap(vocabulary, r.valueMap);
      return bad.length ? [{ field: `rows.${i}.valueMap`, messages: bad.map((b) => `${rowLabel(rows, i)}: ${b.crmValue} → ${b.message}`) }] : [];
    });
    if (mapErrors.length > 0 && errors.length === 0) {
      throw new BadRequestException({ statusCode: 400, message: mapErrors.flatMap((e) => e.messages).join('; '), errors: mapErrors });
    }
    if (errors.length > 0) {
      const fieldErrors = new Map<string, string[]>();
      for (const e of errors) {
        const key = e.rowIndex === null ? 'rows' : `rows.${e.rowIndex}.${e.code.includes('conduit') ? 'conduitField' : 'crmField'}`;
        fieldErrors.set(key, [...(fieldErrors.get(key) ?? []), `${rowLabel(rows, e.rowIndex ?? -1)}: ${e.message}`]);
      }
      throw new BadRequestException({
        statusCode: 400,
        message: errors.map((e) => `${rowLabel(rows, e.rowIndex ?? -1)}: ${e.message}`).join('; '),
        errors: [...fieldErrors].map(([field, messages]) => ({ field, messages })),
      });
    }
    return { snapshot };
  }

  private async savedRows(connection: CrmConnection, object: MappingObjectDto): Promise<MappingRowDto[]> {
    return (await this.mappings.find({ where: { connectionId: connection.id, object: mappedObject(object) }, order: { position: 'ASC' } })).map(toRowDto);
  }

  /** After the commit: records already imported are re-evaluated in the background; a failure there does not undo the save. */
  private async notifyChanged(connection: CrmConnection, object: MappingObjectDto, before: readonly MappingRowDto[], after: readonly MappingRowDto[]): Promise<void> {
    if (!this.changed || (before.length === after.length && before.every((r, i) => sameRow(r, after[i] as MappingRowDto)))) return;
    await this.changed
      .mappingChanged(connection.workspaceId, connection.id, object === 'contacts' ? 'contact' : 'company')
      .catch((err: unknown) => this.logger.warn({ msg: 'mapping listener failed', connectionId: connection.id, error: (err as Error).message }));
  }

  /**
   * Custom attributes the workspace's people (Contacts tab) or companies (Companies tab) already carry, offered as
   * `custom.<key>` (rows already mapping one are kept even when no record has it yet).
   */
  private async customAttributes(connection: CrmConnection, object: MappingObjectDto, rows: readonly MappingRowDto[]): Promise<{ name: string; label: string; type: string }[]> {
    const table = object === 'contacts' ? 'person' : 'company';
    const found = await this.dataSource.query<{ key: string }[]>(
      `SELECT DISTINCT k.key FROM (SELECT custom_attributes FROM ${table} WHERE workspace_id = $1 AND custom_attributes <> '{}'::jsonb LIMIT 5000) p, jsonb_object_keys(p.custom_attributes) AS k(key) ORDER BY 1 LIMIT 200`,
      [connection.workspaceId],
    );
    const keys = new Set([...found.map((f) => f.key), ...rows.filter((r) => r.conduitField.startsWith('custom.')).map((r) => r.conduitField.slice('custom.'.length))]);
    return [...keys].sort().map((key) => ({ name: `custom.${key}`, label: `${key} (custom attribute)`, type: 'string' }));
  }

  async reset(connection: CrmConnection, object: MappingObjectDto): Promise<ConnectionMappingDto> {
    const snapshot = await this.snapshots.findOneBy({ connectionId: connection.id, object: crmObjectFor(connection.crm, object) });
    const fields = snapshot?.fields ?? null;
    const before = await this.savedRows(connection, object);
    const rows = this.defaults(connection, mappedObject(object), fields);
    await this.dataSource.transaction((tx) => this.write(tx, connection, mappedObject(object), rows, fields));
    await this.notifyChanged(connection, object, before, rows);
    return this.get(connection, object);
  }

  /** Default rows for every object that has none yet (first connect, after discovery). */
  async ensureDefaults(connection: CrmConnection): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      for (const object of ['contact', 'company'] as const) {
        const count = await tx.countBy(CrmFieldMapping, { connectionId: connection.id, object });
        if (count > 0) continue;
        const snapshot = await tx.findOneBy(CrmFieldSnapshot, { connectionId: connection.id, object: crmObjectFor(connection.crm, object === 'contact' ? 'contacts' : 'companies') });
        const fields = snapshot?.fields ?? null;
        await this.write(tx, connection, object, this.defaults(connection, object, fields), fields);
      }
    });
  }

  /**
   * @conduit/mapping's defaults for this account's discovered fields: rows whose CRM field it does not have (a portal
   * without `hs_linkedin_url`, say) are left out, so saving the defaults always passes validation, and a field of its
   * own for LinkedIn (a custom `linkedin_url`) is mapped. Without discovered fields, all rows.
   */
  private defaults(connection: CrmConnection, object: MappedObject, fields: readonly CrmFieldDto[] | null): MappingRow[] {
    return defaultMappings(connection.crm, object, fields ? { fields } : {});
  }

  private validate(connection: CrmConnection, object: MappingObjectDto, rows: readonly MappingRowDto[], fields: readonly StoredCrmField[]): { issues: MappingIssue[] } {
    return validateMapping({
      crm: connection.crm,
      object: mappedObject(object),
      rows: rows.map((r) => ({ conduitField: r.conduitField, crmField: r.crmField, importPriority: r.importPriority, exportBehaviour: r.exportBehaviour })),
      fields,
    });
  }

  private async write(tx: EntityManager, connection: CrmConnection, object: MappedObject, rows: readonly (MappingRowDto | MappingRow)[], fields: readonly CrmFieldDto[] | null): Promise<void> {
    await tx.delete(CrmFieldMapping, { connectionId: connection.id, object });
    if (rows.length === 0) return;
    const byName = new Map((fields ?? []).map((f) => [f.name, f]));
    await tx.insert(
      CrmFieldMapping,
      rows.map((r, position) => ({
        connectionId: connection.id,
        object,
        position,
        conduitField: r.conduitField,
        crmField: r.crmField,
        importPriority: r.importPriority,
        exportBehaviour: r.exportBehaviour,
        conduitType: ('conduitType' in r ? r.conduitType : undefined) ?? null,
        crmType: ((byName.get(r.crmField)?.type ?? ('crmType' in r ? r.crmType : undefined)) as CrmFieldMapping['crmType'] | undefined) ?? null,
        valueMap: 'valueMap' in r && r.valueMap && vocabularyFor(object, r.conduitField) ? { ...r.valueMap } : null,
      })),
    );
  }
}

function toRowDto(r: CrmFieldMapping): MappingRowDto {
  return { conduitField: r.conduitField, crmField: r.crmField, importPriority: r.importPriority, exportBehaviour: r.exportBehaviour, ...(r.valueMap ? { valueMap: r.valueMap } : {}) };
}
