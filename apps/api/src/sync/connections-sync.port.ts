import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { CrmKind } from '@conduit/crm';
import type { FieldSourceRule, MappingRow } from '@conduit/mapping';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { CrmConnection } from '../connections/connection.entity.js';
import { MappingRows } from '../connections/mapping-rows.js';
import { FieldSourceRules } from '../connections/source-of-truth.service.js';
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

/** The sync engine's view of the connections feature: its rows and its mapping rows (adapters come from the CRM runtime). */
@Injectable()
export class ConnectionsSyncPort implements SyncConnectionPort {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>,
    private readonly mappings: MappingRows,
    private readonly sources: FieldSourceRules,
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

  async getMapping(workspaceId: string, connectionId: string, object: 'contact' | 'company'): Promise<MappingRow[]> {
    const row = await this.connections.findOneByOrFail({ id: connectionId, workspaceId });
    return this.mappings.for(row, object);
  }

  sourceOfTruth(workspaceId: string, object: 'contact' | 'company', proposed?: Readonly<Record<string, FieldSourceRule>>): Promise<Map<string, FieldSourceRule> | null> {
    return this.sources.rulesFor(workspaceId, object, proposed);
  }

  async saveSettings(workspaceId: string, connectionId: string, settings: SyncSettings): Promise<void> {
    await this.connections.update({ id: connectionId, workspaceId }, { syncSettings: { ...settings } });
  }

  hubspotWebhookSecret(): string {
    return this.config.crm.hubspot.clientSecret.reveal();
  }
}
