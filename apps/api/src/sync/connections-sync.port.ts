import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createCrmAdapter, type CrmAdapter, type CrmAdapterOptions, type CrmKind } from '@conduit/crm';
import { defaultMappings, type MappingRow } from '@conduit/mapping';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { ConnectionCredentialsService } from '../connections/connection-credentials.service.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { adapterEndpoints } from '../connections/crm-endpoints.js';
import { CrmFieldMapping } from '../connections/field-mapping.entity.js';
import { orderObjects } from './sync.service.js';
import { defaultSyncSettings, type SyncConnectionInfo, type SyncConnectionPort, type SyncSettings } from './sync-connection.port.js';

function settingsOf(row: CrmConnection): SyncSettings {
  const defaults = defaultSyncSettings(row.crm);
  const s = row.syncSettings as Partial<SyncSettings>;
  return {
    importEnabled: typeof s.importEnabled === 'boolean' ? s.importEnabled : defaults.importEnabled,
    objects: Array.isArray(s.objects) ? orderObjects(row.crm, s.objects) : defaults.objects,
    intervalMinutes: typeof s.intervalMinutes === 'number' ? s.intervalMinutes : defaults.intervalMinutes,
  };
}

function info(row: CrmConnection): SyncConnectionInfo {
  return { workspaceId: row.workspaceId, connectionId: row.id, crm: row.crm, accountId: row.accountId, usable: row.status === 'connected', settings: settingsOf(row) };
}

/** The sync engine's view of the connections feature: its rows, its credentials service and its mapping rows. */
@Injectable()
export class ConnectionsSyncPort implements SyncConnectionPort {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    @InjectRepository(CrmFieldMapping) private readonly mappings: Repository<CrmFieldMapping>,
    private readonly credentials: ConnectionCredentialsService,
  ) {}

  async get(workspaceId: string, connectionId: string): Promise<SyncConnectionInfo | null> {
    const row = await this.connections.findOneBy({ id: connectionId, workspaceId });
    return row ? info(row) : null;
  }

  async list(): Promise<SyncConnectionInfo[]> {
    return (await this.connections.findBy({ status: 'connected' })).map(info);
  }

  async findByAccount(crm: CrmKind, accountId: string): Promise<SyncConnectionInfo[]> {
    return (await this.connections.findBy({ crm, accountId })).map(info);
  }

  async getAdapter(workspaceId: string, connectionId: string, hooks: Pick<CrmAdapterOptions, 'beforeRequest'>): Promise<CrmAdapter> {
    const row = await this.connections.findOneByOrFail({ id: connectionId, workspaceId });
    const credentials = await this.credentials.credentials(row.id);
    let current = credentials.accessToken;
    return createCrmAdapter(row.crm, credentials, {
      ...adapterEndpoints(this.config),
      ...hooks,
      // Single-flight refresh across workers lives in the connections feature.
      refresh: async () => {
        const next = await this.credentials.refresh(row.id, current);
        current = next.accessToken;
        return next;
      },
    });
  }

  async getMapping(workspaceId: string, connectionId: string, object: 'contact' | 'company'): Promise<MappingRow[]> {
    const row = await this.connections.findOneByOrFail({ id: connectionId, workspaceId });
    const rows = await this.mappings.find({ where: { connectionId: row.id, object }, order: { position: 'ASC' } });
    if (rows.length === 0) return defaultMappings(row.crm, object);
    return rows.map((r) => ({
      conduitField: r.conduitField,
      crmField: r.crmField,
      importPriority: r.importPriority,
      exportBehaviour: r.exportBehaviour,
      ...(r.conduitType ? { conduitType: r.conduitType } : {}),
      ...(r.crmType ? { crmType: r.crmType } : {}),
    }));
  }

  async saveSettings(workspaceId: string, connectionId: string, settings: SyncSettings): Promise<void> {
    await this.connections.update({ id: connectionId, workspaceId }, { syncSettings: { ...settings } });
  }

  hubspotWebhookSecret(): string {
    return this.config.crm.hubspot.clientSecret.reveal();
  }
}
