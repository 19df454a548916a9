import { BadRequestException, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CRM_KINDS, type CrmKind, type FieldSourceRuleDto, type MappingObjectDto, type SourceOfTruthDto, type UpdateSourceOfTruthBody } from '@conduit/contracts';
import { crmLabel } from '@conduit/crm';
import { defaultFieldSourceRule, defaultMappings, type FieldSourceRule, type MappedObject, standardFields } from '@conduit/mapping';
import { DataSource, In, type Repository } from 'typeorm';
import { CrmConnection } from './connection.entity.js';
import { CrmFieldMapping } from './field-mapping.entity.js';
import { MAPPING_CHANGED_LISTENER, type MappingChangedListener } from './mapping-events.js';

interface RuleRow {
  conduit_field: string;
  source: FieldSourceRule['source'];
  others: FieldSourceRule['others'];
}

const objectOf = (object: MappingObjectDto): 'contact' | 'company' => (object === 'contacts' ? 'contact' : 'company');

/**
 * Source of truth per Conduit field when several CRMs are connected (`field_source_rule`): which CRM's value a field
 * takes, "most recent change wins", or Conduit's own. With one CRM connected the rules do not apply and each mapping
 * row's import priority ("CRM wins" / "Conduit wins") decides, as before; with two or more, the field's rule replaces
 * the rows' import priority for that field (the dialog says so). Reads only: the import asks it for the rules (the
 * sync feature's port), so it cannot depend on the sync feature's listener; SourceOfTruthService saves.
 */
@Injectable()
export class FieldSourceRules {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    @InjectRepository(CrmFieldMapping) private readonly mappings: Repository<CrmFieldMapping>,
  ) {}

  /** The workspace's connected CRMs, first connected first (the default source). */
  async connected(workspaceId: string): Promise<CrmConnection[]> {
    return this.connections.find({ where: { workspaceId, status: 'connected' }, order: { connectedAt: 'ASC' } });
  }

  async saved(workspaceId: string, object: 'contact' | 'company'): Promise<Map<string, FieldSourceRule>> {
    const rows = await this.dataSource.query<RuleRow[]>(`SELECT conduit_field, source, others FROM field_source_rule WHERE workspace_id = $1 AND object = $2`, [workspaceId, object]);
    return new Map(rows.map((r) => [r.conduit_field, { source: r.source, others: r.others }]));
  }

  /** Conduit fields each connected CRM's mapping imports (saved rows, else its defaults). */
  async mappedFields(connections: readonly CrmConnection[], object: MappedObject): Promise<Map<string, CrmKind[]>> {
    const rows = connections.length ? await this.mappings.find({ where: { connectionId: In(connections.map((c) => c.id)), object } }) : [];
    const byField = new Map<string, CrmKind[]>();
    for (const c of connections) {
      const own = rows.filter((r) => r.connectionId === c.id);
      const fields = own.length ? own.map((r) => r.conduitField) : defaultMappings(c.crm, object).map((r) => r.conduitField);
      for (const f of new Set(fields)) byField.set(f, [...(byField.get(f) ?? []), c.crm]);
    }
    return byField;
  }

  /** A saved rule naming a CRM that is no longer connected falls back to the default. */
  effective(rule: FieldSourceRule | undefined, connected: readonly CrmKind[]): { rule: FieldSourceRule; isDefault: boolean } {
    if (rule && (rule.source === 'latest' || rule.source === 'conduit' || connected.includes(rule.source))) return { rule, isDefault: false };
    return { rule: defaultFieldSourceRule(connected), isDefault: true };
  }

  /**
   * The rules an import of `object` applies, by Conduit field (every field some connected CRM maps, defaults filled
   * in); null while fewer than two CRMs are connected (each row's import priority applies then).
   */
  async rulesFor(workspaceId: string, object: 'contact' | 'company', proposed?: Readonly<Record<string, FieldSourceRule>>): Promise<Map<string, FieldSourceRule> | null> {
    const connections = await this.connected(workspaceId);
    if (connections.length < 2) return null;
    const crms = connections.map((c) => c.crm);
    const saved = await this.saved(workspaceId, object);
    for (const [field, rule] of Object.entries(proposed ?? {})) saved.set(field, rule);
    const byField = await this.mappedFields(connections, object);
    return new Map([...byField.keys()].map((f) => [f, this.effective(saved.get(f), crms).rule]));
  }
}

/** The admin's side of the rules: answer them with labels and defaults, save them, and re-apply them. */
@Injectable()
export class SourceOfTruthService {
  private readonly logger = new Logger(SourceOfTruthService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: FieldSourceRules,
    @Optional() @Inject(MAPPING_CHANGED_LISTENER) private readonly changed?: MappingChangedListener,
  ) {}

  async get(workspaceId: string, object: MappingObjectDto): Promise<SourceOfTruthDto> {
    const mapped = objectOf(object);
    const connections = await this.rules.connected(workspaceId);
    const crms = connections.map((c) => c.crm);
    const saved = await this.rules.saved(workspaceId, mapped);
    const byField = await this.rules.mappedFields(connections, mapped);
    const labels = new Map(standardFields(mapped).map((f) => [f.name, f.label]));
    const order = [...labels.keys()];
    const fields: FieldSourceRuleDto[] = [...byField.entries()]
      .sort(([a], [b]) => (order.indexOf(a) === -1 ? 1000 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 1000 : order.indexOf(b)) || a.localeCompare(b))
      .map(([conduitField, mappedBy]) => {
        const { rule, isDefault } = this.rules.effective(saved.get(conduitField), crms);
        return { conduitField, label: labels.get(conduitField) ?? `${conduitField.replace(/^custom\./, '')} (custom attribute)`, source: rule.source, others: rule.others, isDefault, mappedBy };
      });
    return { object, connected: crms, active: crms.length > 1, fields };
  }

  /** Saves the rules (400 naming `rules.N.…` for an unknown field or a CRM that is not connected) and re-applies them. */
  async update(workspaceId: string, object: MappingObjectDto, body: UpdateSourceOfTruthBody): Promise<SourceOfTruthDto> {
    const mapped = objectOf(object);
    const connections = await this.rules.connected(workspaceId);
    const crms = connections.map((c) => c.crm);
    const byField = await this.rules.mappedFields(connections, mapped);
    const errors: { field: string; messages: string[] }[] = [];
    body.rules.forEach((r, i) => {
      if (!byField.has(r.conduitField)) errors.push({ field: `rules.${i}.conduitField`, messages: [`"${r.conduitField}" is not a field any connected CRM's mapping imports`] });
      if (isCrmKind(r.source) && !crms.includes(r.source)) {
        errors.push({ field: `rules.${i}.source`, messages: [`${crmLabel(r.source)} is not connected`] });
      }
    });
    if (errors.length) throw new BadRequestException({ statusCode: 400, message: errors.flatMap((e) => e.messages).join('; '), errors });
    const before = await this.rules.saved(workspaceId, mapped);
    await this.dataSource.transaction(async (tx) => {
      for (const r of body.rules) {
        await tx.query(
          `INSERT INTO field_source_rule (workspace_id, object, conduit_field, source, others) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workspace_id, object, conduit_field) DO UPDATE SET source = EXCLUDED.source, others = EXCLUDED.others, updated_at = now()`,
          [workspaceId, mapped, r.conduitField, r.source, r.others],
        );
      }
    });
    const changed = body.rules.some((r) => {
      const b = this.rules.effective(before.get(r.conduitField), crms).rule;
      return b.source !== r.source || b.others !== r.others;
    });
    // Records already imported follow the new choice: each connection re-applies its mapping (a remap, in the background).
    if (changed && crms.length > 1 && this.changed) {
      for (const c of connections) {
        await this.changed
          .mappingChanged(workspaceId, c.id, mapped)
          .catch((err: unknown) => this.logger.warn({ msg: 'source-of-truth listener failed', connectionId: c.id, error: (err as Error).message }));
      }
    }
    return this.get(workspaceId, object);
  }
}

/** Whether a rule's source names a CRM (the others: most recent change, Conduit). */
function isCrmKind(source: string): source is CrmKind {
  return (CRM_KINDS as readonly string[]).includes(source);
}
