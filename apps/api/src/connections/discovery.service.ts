import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { CrmFieldDto, FieldDriftDto } from '@conduit/contracts';
import { capabilitiesOf, type CrmAdapter, crmAccountName, type CrmFieldDescriptor, type CrmObjectType } from '@conduit/crm';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { ConnectionCredentialsService } from './connection-credentials.service.js';
import { CrmConnection } from './connection.entity.js';
import { CRM_CALL_COUNTER, type CrmCallCounter } from './crm-call-counter.js';
import { hubspotEndpoints } from './crm-endpoints.js';
import { CrmFieldSnapshot, type StoredCrmField } from './field-snapshot.entity.js';

/** The CRM objects whose fields are discovered: HubSpot contacts and companies; Salesforce Lead, Contact, Account. */
export const DISCOVERED_OBJECTS: Record<CrmConnection['crm'], readonly CrmObjectType[]> = {
  hubspot: ['contact', 'company'],
  salesforce: ['lead', 'contact', 'company'],
};

/** The CRM's own name of a neutral object, for the card and the dialog. */
export function crmObjectName(crm: CrmConnection['crm'], object: CrmObjectType): string {
  return capabilitiesOf(crm).objectNames[object];
}

/** The HubSpot property Conduit owns for qualification reasoning (the default mapping writes it). */
export const HUBSPOT_REASONING_PROPERTY = 'conduit_qualification_reasoning';

export function toFieldDto(f: CrmFieldDescriptor): StoredCrmField {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    crmType: f.crmType,
    ...(f.options && f.options.length > 0 ? { options: f.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
    ...(f.restricted !== undefined ? { restricted: f.restricted } : {}),
    ...(f.multiValued ? { multiValued: true } : {}),
    ...(f.length !== undefined ? { length: f.length } : {}),
    readOnly: f.readOnly,
    ...(f.required ? { required: true } : {}),
    custom: f.custom,
  };
}

/** Added, removed, and changed (type or options) fields between two discoveries; null when nothing changed. */
export function fieldDrift(previous: readonly CrmFieldDto[], current: readonly CrmFieldDto[]): FieldDriftDto | null {
  const before = new Map(previous.map((f) => [f.name, f]));
  const after = new Map(current.map((f) => [f.name, f]));
  const added = current.filter((f) => !before.has(f.name)).map((f) => f.name);
  const removed = previous.filter((f) => !after.has(f.name)).map((f) => f.name);
  const changed: FieldDriftDto['changed'] = [];
  for (const f of current) {
    const old = before.get(f.name);
    if (!old) continue;
    const changes: string[] = [];
    if (old.type !== f.type || old.crmType !== f.crmType) changes.push(`type ${old.type}/${old.crmType} → ${f.type}/${f.crmType}`);
    const oldOptions = new Set((old.options ?? []).map((o) => o.value));
    const newOptions = new Set((f.options ?? []).map((o) => o.value));
    const gained = [...newOptions].filter((o) => !oldOptions.has(o));
    const lost = [...oldOptions].filter((o) => !newOptions.has(o));
    if (gained.length) changes.push(`options added: ${gained.join(', ')}`);
    if (lost.length) changes.push(`options removed: ${lost.join(', ')}`);
    if (changes.length) changed.push({ name: f.name, changes });
  }
  return added.length || removed.length || changed.length ? { added, removed, changed } : null;
}

/**
 * Field discovery: reads every discovered object's fields through the adapter, caches them per object, and
 * records drift against the previous discovery (kept until a later discovery finds another change).
 */
@Injectable()
export class DiscoveryService {
  private readonly logger = new Logger(DiscoveryService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    @InjectRepository(CrmFieldSnapshot) private readonly snapshots: Repository<CrmFieldSnapshot>,
    private readonly credentials: ConnectionCredentialsService,
    @Inject(CRM_CALL_COUNTER) private readonly counter: CrmCallCounter,
  ) {}

  async discover(connection: CrmConnection): Promise<CrmFieldSnapshot[]> {
    // Counted as discovery in the connection's API usage (the runtime's clients are for features above connections).
    const adapter = await this.credentials.adapterFor(connection, { beforeRequest: async (cost) => this.counter.count(connection, 'discovery', cost) });
    const now = new Date();
    const result: CrmFieldSnapshot[] = [];
    for (const object of DISCOVERED_OBJECTS[connection.crm]) {
      const fields = (await adapter.describeFields(object)).map(toFieldDto);
      const previous = await this.snapshots.findOneBy({ connectionId: connection.id, object });
      const drift = previous ? fieldDrift(previous.fields, fields) : null;
      const row = previous ?? this.snapshots.create({ connectionId: connection.id, object, drift: null, driftDetectedAt: null });
      row.fields = fields;
      row.discoveredAt = now;
      if (drift) {
        row.drift = drift;
        row.driftDetectedAt = now;
        this.logger.log({ msg: 'crm field drift', connectionId: connection.id, object, added: drift.added.length, removed: drift.removed.length, changed: drift.changed.length });
      }
      result.push(await this.snapshots.save(row));
    }
    await this.connections.update({ id: connection.id, workspaceId: connection.workspaceId }, { lastDiscoveryAt: now });
    connection.lastDiscoveryAt = now;
    await this.refreshAccountName(connection, adapter);
    return result;
  }

  /**
   * Salesforce: the org's Name, read again with the fields (one query) — a connection made before Conduit read it gets
   * its name here, and a renamed org its new one; the account's label follows.
   */
  private async refreshAccountName(connection: CrmConnection, adapter: CrmAdapter): Promise<void> {
    if (!adapter.readOrganizationName) return;
    const organizationName = await adapter.readOrganizationName();
    if (organizationName === null || organizationName === connection.organizationName) return;
    const accountName = crmAccountName(connection.crm, { accountId: connection.accountId, organizationName, username: connection.crmUsername });
    await this.connections.update({ id: connection.id, workspaceId: connection.workspaceId }, { organizationName, accountName });
    Object.assign(connection, { organizationName, accountName });
    this.logger.log({ msg: 'crm account name read', connectionId: connection.id, crm: connection.crm });
  }

  /**
   * HubSpot: the default mapping writes qualification reasoning to a property Conduit owns; create it when the
   * portal lacks it. The adapter contract has no "create property" yet, so this one call goes to the properties
   * API directly, with the same credentials and single-flight refresh as the adapter.
   */
  async ensureHubspotReasoningProperty(connection: CrmConnection): Promise<boolean> {
    if (connection.crm !== 'hubspot') return false;
    const contact = await this.snapshots.findOneBy({ connectionId: connection.id, object: 'contact' });
    if (contact?.fields.some((f) => f.name === HUBSPOT_REASONING_PROPERTY)) return false;
    const url = `${hubspotEndpoints(this.config).apiBaseUrl}/crm/v3/properties/contacts`;
    const body = JSON.stringify({
      name: HUBSPOT_REASONING_PROPERTY,
      label: 'Conduit qualification reasoning',
      description: 'Why Conduit qualified this prospect (written by Conduit).',
      type: 'string',
      fieldType: 'textarea',
      groupName: 'contactinformation',
    });
    let { accessToken } = await this.credentials.credentials(connection.id);
    for (let attempt = 0; attempt < 2; attempt++) {
      this.counter.count(connection, 'discovery', 1);
      const res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status === 201 || res.status === 409) {
        this.logger.log({ msg: 'hubspot property ensured', connectionId: connection.id, property: HUBSPOT_REASONING_PROPERTY, created: res.status === 201 });
        return res.status === 201;
      }
      if (res.status === 401 && attempt === 0) {
        accessToken = (await this.credentials.refresh(connection.id, accessToken)).accessToken;
        continue;
      }
      throw new Error(`HubSpot refused to create ${HUBSPOT_REASONING_PROPERTY}: HTTP ${res.status}`);
    }
    return false;
  }
}
